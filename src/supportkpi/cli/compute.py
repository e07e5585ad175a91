"""``supportkpi compute FILE...``: every KPI per group, as a table, JSON, CSV or Markdown."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import split_list, write_output
from supportkpi.cli.speak import say
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import UsageError
from supportkpi.render import FORMATS, render_text

LAYOUTS = ("auto", "wide", "long")
"""``--layout`` (:mod:`supportkpi.render.side_by_side`)."""

EXAMPLES = examples(
    ("Every KPI per vendor", "supportkpi compute examples/contacts.csv --config examples/kpi.yaml --by vendor"),
    (
        "Two KPIs per channel, month by month",
        "supportkpi compute examples/contacts.csv --kpi csat,aht --by channel --period month",
    ),
    ("As Markdown, to a file", "supportkpi compute examples/contacts.csv --by vendor -f markdown -o kpis.md"),
    (
        "The contacts that missed an SLA policy of kpi.yaml",
        "supportkpi compute examples/contacts.csv --config examples/kpi.yaml --breaches",
    ),
)


@app.command("compute", cls=Command, epilog=EXAMPLES)
@input_options("hours", "as_of", "strict", "memory", "quiet", "no_color")
def compute_command(
    inputs: Inputs,
    by: list[str] = typer.Option(None, "--by", "-b", metavar="COLUMNS", help="Group by columns, e.g. vendor,channel."),
    period: str = options.PERIOD,
    kpi: list[str] = typer.Option(
        None, "--kpi", "-k", metavar="KPIS", help="Only these KPI ids, comma-separated (see `supportkpi kpis`)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
    breaches: bool = typer.Option(False, "--breaches", help="List the contacts that breached an SLA policy."),
    layout: str = typer.Option(
        "auto",
        "--layout",
        metavar="LAYOUT",
        help="Table and Markdown: wide (groups side by side), long (one table per group), "
        "or auto (wide when several groups fit the width).",
    ),
) -> None:
    """Compute KPIs from exports (canonical columns or a source preset; see `supportkpi kpis`)."""
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    if layout not in LAYOUTS:
        raise UsageError(f"--layout '{layout}': expected one of {', '.join(LAYOUTS)}")
    options.refuse_overwriting(inputs.files, inputs.config, {"--output": output})
    run = inputs.run()
    if breaches:
        _write_breaches(run, split_list(kpi), period, inputs, fmt, output)
        return
    result = run.compute(split_list(kpi), by=split_list(by), period=period, as_of=inputs.as_of, memory=inputs.memory)
    if fmt == "table":
        from supportkpi.render.sections import table_renderables

        options.print_renderables(table_renderables(result, layout, _width(output)), output, inputs.no_color)
    else:
        write_output(render_text(result, fmt, layout), output)


def _width(output: Path | None) -> int:
    """The width the tables are printed in: a file's fixed width, else the console's as Rich
    sees it (the terminal's; without one, as in CI, $COLUMNS or Rich's fixed 80)."""
    if output is not None:
        return options.FILE_WIDTH
    from rich.console import Console

    return Console().width


def _write_breaches(run, kpi_ids, period, inputs, fmt, output) -> None:
    """--breaches: one row per contact and policy that missed its target."""
    from supportkpi.engine import check_kpis, check_period
    from supportkpi.render.breaches import breaches_renderables, render_breaches

    check_kpis(kpi_ids)  # checked as without --breaches: a wrong option is an error either way
    check_period(period)
    frame, skipped = run.breaches(as_of=inputs.as_of, memory=inputs.memory)
    for name, needs in skipped.items():
        say(f"supportkpi: SLA policy {name} not judged: needs {', '.join(needs)}")
    if fmt == "table":
        options.print_renderables(breaches_renderables(frame), output, False)
    else:
        write_output(render_breaches(frame, fmt), output)
