"""``supportkpi scorecard FILE...``: every target of kpi.yaml judged per vendor (and period)."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import BY, split_list, write_output
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import UsageError

FORMATS = ("table", "json", "csv", "markdown", "html")


EXAMPLES = examples(
    ("Every target of kpi.yaml per vendor", "supportkpi scorecard examples/contacts.csv --config examples/kpi.yaml"),
    (
        "Month by month, as a page to open in a browser",
        "supportkpi scorecard examples/contacts.csv -c examples/kpi.yaml -p month -f html -o card.html",
    ),
    (
        "Beside industry figures",
        "supportkpi scorecard examples/contacts.csv -c examples/kpi.yaml --benchmark ecommerce",
    ),
)


@app.command("scorecard", cls=Command, epilog=EXAMPLES)
@input_options("hours", "as_of", "strict", "memory", "quiet", "no_color")
def scorecard_command(
    inputs: Inputs,
    by: list[str] = BY,
    period: str = options.PERIOD,
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table, json, csv, markdown or html."),
    output: Path = options.OUTPUT,
    benchmark: str = typer.Option(
        None, "--benchmark", metavar="NAME|FILE", help="Industry figures beside the checks: ecommerce, or a YAML file."
    ),
) -> None:
    """Scorecard per vendor: each target's value, status and distance, and an overall score."""
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    options.refuse_overwriting(inputs.files, inputs.config, {"--output": output}, {"--benchmark": benchmark})
    card = inputs.run().scorecard(
        by=split_list(by), period=period, as_of=inputs.as_of, benchmark=benchmark, memory=inputs.memory
    )
    if fmt == "table":
        from supportkpi.render.scorecard import tables

        options.print_renderables(tables(card), output, inputs.no_color)
    elif fmt == "html":
        from supportkpi.render.html import render

        write_output(render(card), output)
    else:
        from supportkpi.render.scorecard import render_text

        write_output(render_text(card, fmt), output)
