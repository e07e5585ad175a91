"""``supportkpi staffing``: agents needed per interval by Erlang C, from call-level exports
(offered volume and AHT per weekday and time of day) or from plain numbers (``--volume``)."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.api import staffing_from_numbers
from supportkpi.api.planning import check_plan
from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import split_list, write_output
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import UsageError

EXAMPLES = examples(
    ("Agents per half hour from plain numbers", "supportkpi staffing --volume 120 --per 30m --aht 300"),
    (
        "From call-level exports, per channel, 90 % answered within 30 s",
        "supportkpi staffing examples/contacts.csv --by channel --target 90/30",
    ),
    (
        "Headcount with 30 % shrinkage, 20 % more contacts, as CSV",
        "supportkpi staffing examples/contacts.csv --shrinkage 0.3 --growth 1.2 -f csv -o plan.csv",
    ),
)


@app.command("staffing", cls=Command, epilog=EXAMPLES)
@input_options(
    "quiet",
    "no_color",
    files=typer.Argument(
        None, metavar="FILE...", help="Call-level exports (files, globs, or - for stdin); or give --volume instead."
    ),
)
def staffing_command(
    inputs: Inputs,
    interval: str = typer.Option(
        "30m",
        "--interval",
        "--per",
        "-i",
        metavar="LENGTH",
        help="Interval length: 15m, 30m, 1h (--per with --volume).",
    ),
    target: str = typer.Option(
        "80/20", "--target", "-t", metavar="PERCENT/SECONDS", help="80/20 = 80 % answered within 20 s."
    ),
    shrinkage: float = typer.Option(
        0.0,
        "--shrinkage",
        metavar="SHARE",
        help="Share of paid time off the queue, 0–1 (0.3 = 30 %): headcount = ⌈agents/(1−s)⌉.",
    ),
    agents: int = typer.Option(
        None, "--agents", metavar="N", help="Evaluate this many agents instead of solving for the target."
    ),
    growth: float = typer.Option(
        1.0, "--growth", metavar="FACTOR", help="Volume multiplier, e.g. 1.4 for 40 % more contacts."
    ),
    max_occupancy: float = typer.Option(
        None,
        "--max-occupancy",
        metavar="SHARE",
        help="Also keep occupancy (traffic/agents) at or below this, 0–1, e.g. 0.85.",
    ),
    by: list[str] = typer.Option(
        None, "--by", "-b", metavar="COLUMNS", help="One plan per group, e.g. vendor or channel."
    ),
    volume: float = typer.Option(
        None, "--volume", metavar="CONTACTS", help="Contacts per interval, instead of exports (needs --aht)."
    ),
    aht: float = typer.Option(
        None,
        "--aht",
        metavar="SECONDS",
        help="AHT in seconds: with --volume; with exports it replaces the measured AHT.",
    ),
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
) -> None:
    """Agents needed per interval (Erlang C), from call-level exports or from plain numbers.

    From exports: offered volume and AHT per weekday and time of day. From numbers: --volume
    contacts per interval with --aht, e.g. --volume 100 --per 30m --aht 180."""
    from supportkpi.render.staffing import FORMATS

    # Usage errors first (exit 2 wins over a data error found while loading)
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    options.refuse_overwriting(inputs.files, inputs.config, {"--output": output})
    _, plan = check_plan(
        interval,
        volume=volume,
        aht=aht,
        target=target,
        shrinkage=shrinkage,
        agents=agents,
        growth=growth,
        max_occupancy=max_occupancy,
    )
    groups = split_list(by)
    if inputs.files and volume is not None:
        raise UsageError("give exports or --volume, not both")
    if volume is not None:
        if aht is None:
            raise UsageError("--volume needs --aht (average handle time in seconds)")
        if groups:
            raise UsageError("--by needs call-level exports, not --volume")
        report = staffing_from_numbers(volume, interval, aht, **plan)
    elif inputs.files:
        report = inputs.run().staffing(interval, by=groups, aht=aht, **plan)
    else:
        raise UsageError("give call-level exports, or --volume and --aht (e.g. --volume 100 --per 30m --aht 180)")
    if fmt == "table":
        from supportkpi.render.staffing import tables

        options.print_renderables(tables(report), output, inputs.no_color)
    else:
        from supportkpi.render.staffing import render_text

        write_output(render_text(report, fmt), output)
