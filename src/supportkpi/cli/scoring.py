"""Steps shared by ``scorecard`` and ``check``: load the exports, then judge kpi.yaml's targets."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import options
from supportkpi.cli.options import split_list
from supportkpi.errors import DataError, UsageError


def build_scorecard(
    files: list[str],
    config: Path | None,
    *,
    by: list[str] | None,
    period: str | None,
    hours: str | None,
    as_of: str | None,
    quiet: bool,
    strict: bool,
    **read_options,
):
    """(scorecard, settings). ``by`` defaults to ``vendor`` when the exports have vendors;
    ``--by none`` judges all contacts together."""
    import polars as pl

    from supportkpi.cli.compute import read_failure, report_findings, report_sources
    from supportkpi.config import kpi_params
    from supportkpi.engine import check_period
    from supportkpi.schedules import Calendars
    from supportkpi.scorecard import scorecard

    check_period(period)
    grouping = split_list(by)
    # usage and kpi.yaml errors (exit 2) before reading any data (exit 3)
    settings, timezone = options.config_and_timezone(config, read_options.get("tz"))
    if not settings.targets:
        where = settings.path or "no kpi.yaml found"
        raise UsageError(
            f"{where}: no `targets:` to judge (add some, or write a starter with `supportkpi init`)"
        )
    params = kpi_params(settings, hours)
    end = options.parse_as_of(as_of, timezone)
    settings, timezone, loaded = options.load_inputs(
        files, config, group_by=[g for g in grouping if g != "none"], settings=settings, **read_options
    )
    if not grouping:
        grouping = ["vendor"] if "vendor" in loaded.frame.collect_schema().names() else []
    elif grouping == ["none"]:
        grouping = []
    try:
        with options.working("Reading and judging", quiet, [i.path for i in loaded.inputs]):
            card = scorecard(
                loaded.frame, settings, by=grouping, period=period, timezone=timezone, params=params,
                calendars=Calendars.from_config(settings, timezone), as_of=end, inputs=loaded.inputs,
            )
    except pl.exceptions.PolarsError as exc:
        raise DataError(read_failure(loaded.inputs, exc)) from None
    if not quiet:
        report_sources(loaded.inputs)
    if not quiet or strict:
        report_findings(card.base.findings)
    if strict and card.base.data_errors:
        raise DataError(f"{card.base.data_errors} data error(s) and --strict is set; nothing judged")
    return card, settings


BY = typer.Option(
    None, "--by", "-b",
    help="Group by columns (default: vendor, when the exports have one; `none`: all together).",
)
STRICT = typer.Option(False, "--strict", help="Exit 3 on any data error.")
