"""``supportkpi forecast FILE...``: next period's AHT (or another duration or mean KPI) per group,
beside the current value, with the change in % and a prediction interval.

The KPI is computed per period by the engine; each group's series then goes through Holt's
linear trend (:mod:`supportkpi.forecast`, where the model, its fit, the interval, the minimum
history and the handling of gaps are stated). Every group is forecast for the same period: the
one after the latest period in the data. That latest period may be partial (the data ends before
its last day): it is used, with a note, or left out with ``--exclude-partial``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import split_list, write_output
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import UsageError

EXAMPLES = examples(
    ("Next month's AHT per vendor", "supportkpi forecast examples/contacts.csv --by vendor"),
    (
        "Next week's talk time, leaving out a partial last week",
        "supportkpi forecast examples/contacts.csv --kpi talk_time -p week --exclude-partial",
    ),
    ("As CSV, to a file", "supportkpi forecast examples/contacts.csv --by channel -f csv -o forecast.csv"),
)


@app.command("forecast", cls=Command, epilog=EXAMPLES)
@input_options("hours", "strict", "memory", "quiet", "no_color")
def forecast_command(
    inputs: Inputs,
    period: str = typer.Option(
        "month", "--period", "-p", metavar="PERIOD", help="day, week, month or quarter (by created_at)."
    ),
    by: list[str] = typer.Option(None, "--by", "-b", metavar="COLUMNS", help="A forecast per group, e.g. vendor."),
    kpi: str = typer.Option(
        None, "--kpi", "-k", metavar="KPI", help="A duration or mean KPI id: aht (the default), talk_time, asa, ..."
    ),
    horizon: int = typer.Option(
        1, "--horizon", metavar="PERIODS", help="Periods ahead of the latest period (1 = the next)."
    ),
    confidence: float = typer.Option(
        0.95, "--confidence", metavar="LEVEL", help="Coverage of the prediction interval."
    ),
    exclude_partial: bool = typer.Option(
        False, "--exclude-partial", help="Leave out the latest period when the data ends before its last day."
    ),
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
) -> None:
    """Forecast next period's AHT (Holt's linear trend) beside the current value, per group."""
    from supportkpi.render import forecast as view

    if fmt not in view.FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(view.FORMATS)}")
    options.refuse_overwriting(inputs.files, inputs.config, {"--output": output})
    report, result = inputs.run().forecast(
        kpi,
        by=split_list(by),
        period=period,
        horizon=horizon,
        confidence=confidence,
        exclude_partial=exclude_partial,
        memory=inputs.memory,
    )
    if fmt == "table":
        options.print_renderables(view.tables(report), output, inputs.no_color)
    else:
        write_output(view.render_text(report, result, fmt), output)
