"""``supportkpi compare A B [more...]``: vendors side by side, with tests of the differences.

Sides are the inputs (a file, a glob, or ``name=path``; each read with its own source preset),
or with a single input, the values of the first ``--by`` column (``--by vendor``); further
``--by`` columns are strata (``--by vendor,channel``: vendors compared within each channel).
"""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import split_list, write_output
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import UsageError

FORMATS = ("table", "json", "csv", "markdown", "html")


EXAMPLES = examples(
    ("The vendors of one export, KPI by KPI", "supportkpi compare examples/contacts.csv --by vendor"),
    (
        "Two KPIs, each vendor against the best one",
        "supportkpi compare examples/contacts.csv --by vendor --kpi csat,aht --baseline best",
    ),
    (
        "Vendors compared within each channel, as a page",
        "supportkpi compare examples/contacts.csv --by vendor,channel -f html -o compare.html",
    ),
)


@app.command("compare", cls=Command, epilog=EXAMPLES)
@input_options(
    "hours",
    "as_of",
    "strict",
    "memory",
    "quiet",
    "no_color",
    files=typer.Argument(..., metavar="SIDE...", help="Sides: files, globs or name=path (one file: with --by vendor)."),
)
def compare_command(
    inputs: Inputs,
    by: list[str] = typer.Option(
        None,
        "--by",
        "-b",
        metavar="COLUMNS",
        help="With one input: the side column first (vendor), then strata; else strata.",
    ),
    only: list[str] = typer.Option(
        None, "--only", metavar="SIDES", help="Only these sides, in this order (the first is the baseline)."
    ),
    period: str = options.PERIOD,
    kpi: list[str] = typer.Option(
        None, "--kpi", "-k", metavar="KPIS", help="Only these KPI ids, comma-separated (see `supportkpi kpis`)."
    ),
    baseline: str = typer.Option(
        "first", "--baseline", metavar="SIDE", help="first or best: what each side is compared with."
    ),
    open_tickets: str = typer.Option(
        "exclude",
        "--open",
        metavar="RULE",
        help="Open tickets in resolution time: exclude (the catalog's formula) or censor (Kaplan-Meier).",
    ),
    confidence: float = typer.Option(
        0.95, "--confidence", metavar="LEVEL", help="Confidence of the intervals; alpha = 1 - confidence."
    ),
    min_n: int = typer.Option(
        30, "--min-n", metavar="N", help="Fewer contacts (surveys, calls) on a side: too few to tell."
    ),
    adjust: str = typer.Option(
        "kpi", "--adjust", metavar="SCOPE", help="Holm correction per kpi (default), over the whole run, or none."
    ),
    resamples: int = typer.Option(2000, "--resamples", metavar="N", help="Bootstrap resamples for medians."),
    seed: int = typer.Option(0, "--seed", metavar="N", help="Seed of the bootstrap (results are reproducible)."),
    benchmark: str = typer.Option(
        None, "--benchmark", metavar="NAME|FILE", help="Industry figures beside the sides: ecommerce, or a YAML file."
    ),
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table, json, csv, markdown or html."),
    output: Path = options.OUTPUT,
) -> None:
    """Compare vendors KPI by KPI: values, differences, intervals, p-values and a verdict."""
    from supportkpi.render import compare as view

    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    options.refuse_overwriting(inputs.files, inputs.config, {"--output": output}, {"--benchmark": benchmark})
    result = inputs.run().compare(
        split_list(kpi),
        by=split_list(by),
        only=split_list(only),
        period=period,
        as_of=inputs.as_of,
        benchmark=benchmark,
        memory=inputs.memory,
        baseline=baseline,
        open_tickets=open_tickets,
        confidence=confidence,
        min_n=min_n,
        adjust=adjust,
        resamples=resamples,
        seed=seed,
    )
    if fmt == "table":
        options.print_renderables(view.tables(result), output, inputs.no_color)
    else:
        write_output(view.render_text(result, fmt), output)
