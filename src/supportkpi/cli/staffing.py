"""``supportkpi staffing``: agents needed per interval by Erlang C, from call-level exports
(offered volume and AHT per weekday and time of day) or from plain numbers (``--volume``)."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.options import split_list, write_output
from supportkpi.errors import DataError, UsageError


def parse_target(text: str) -> tuple[float, float]:
    """``80/20`` → (0.80, 20.0): 80 % answered within 20 seconds (``80%/20s`` also reads).

    >>> parse_target("80/20"), parse_target("90%/15s"), parse_target("72.5/30")
    ((0.8, 20.0), (0.9, 15.0), (0.725, 30.0))
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%?\s*/\s*(\d+(?:\.\d+)?)\s*s?\s*", text or "")
    if match is None:
        raise UsageError(f"--target '{text}': expected PERCENT/SECONDS, e.g. 80/20 for 80 % answered within 20 s")
    percent, seconds = float(match.group(1)), float(match.group(2))
    if not 0 < percent < 100:
        raise UsageError(f"--target '{text}': the percentage must be above 0 and below 100, e.g. 80/20")
    return percent / 100, seconds


@app.command("staffing")
def staffing_command(
    files: list[str] = typer.Argument(
        None, help="Call-level exports (files, globs, or - for stdin); or give --volume instead."
    ),
    interval: str = typer.Option(
        "30m", "--interval", "--per", "-i", help="Interval length: 15m, 30m, 1h (--per with --volume)."
    ),
    target: str = typer.Option("80/20", "--target", "-t", help="80/20 = 80 % answered within 20 s."),
    shrinkage: float = typer.Option(
        0.0, "--shrinkage", help="Share of paid time off the queue, 0–1 (0.3 = 30 %): headcount = ⌈agents/(1−s)⌉."
    ),
    agents: int = typer.Option(None, "--agents", help="Evaluate this many agents instead of solving for the target."),
    growth: float = typer.Option(1.0, "--growth", help="Volume multiplier, e.g. 1.4 for 40 % more contacts."),
    max_occupancy: float = typer.Option(
        None, "--max-occupancy", help="Also keep occupancy (traffic/agents) at or below this, 0–1, e.g. 0.85."
    ),
    by: list[str] = typer.Option(None, "--by", "-b", help="One plan per group, e.g. vendor or channel."),
    volume: float = typer.Option(None, "--volume", help="Contacts per interval, instead of exports (needs --aht)."),
    aht: float = typer.Option(
        None, "--aht", help="AHT in seconds: with --volume; with exports it replaces the measured AHT."
    ),
    config: Path = options.CONFIG,
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
    output: Path = options.OUTPUT,
    source: str = options.SOURCE,
    mapping: list[str] = options.MAP,
    tz: str = options.TZ,
    datetime_format: str = options.DATETIME_FORMAT,
    input_format: str = options.INPUT_FORMAT,
    encoding: str = options.ENCODING,
    separator: str = options.SEPARATOR,
    decimal_comma: bool = options.DECIMAL_COMMA,
    quiet: bool = options.QUIET,
    no_color: bool = options.NO_COLOR,
) -> None:
    """Agents needed per interval (Erlang C): from call-level exports, per weekday and time of
    day, or from plain numbers (--volume 100 --per 30m --aht 180)."""
    from supportkpi.demand import parse_interval
    from supportkpi.render.staffing import FORMATS

    # Usage errors first (exit 2 wins over a data error found while loading)
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    goal = parse_target(target)
    try:
        interval_seconds = parse_interval(interval)
    except ValueError as exc:
        raise UsageError(f"--interval: {exc}") from None
    _check_ranges(shrinkage=shrinkage, agents=agents, growth=growth, max_occupancy=max_occupancy, volume=volume, aht=aht)
    groups = split_list(by)
    settings = dict(target=goal, shrinkage=shrinkage, agents=agents, growth=growth, max_occupancy=max_occupancy)
    if files and volume is not None:
        raise UsageError("give exports or --volume, not both")
    if volume is not None:
        if aht is None:
            raise UsageError("--volume needs --aht (average handle time in seconds)")
        if groups:
            raise UsageError("--by needs call-level exports, not --volume")
        report = _from_numbers(volume, interval_seconds, aht, **settings)
    elif files:
        report = _from_exports(
            files, interval, interval_seconds, groups, aht, settings, quiet=quiet, config=config,
            source=source, mapping=mapping, tz=tz, datetime_format=datetime_format, input_format=input_format,
            encoding=encoding, separator=separator, decimal_comma=decimal_comma,
        )
    else:
        raise UsageError("give call-level exports, or --volume and --aht (e.g. --volume 100 --per 30m --aht 180)")

    if fmt == "table":
        from supportkpi.render.staffing import tables

        options.print_renderables(tables(report), output, no_color)
    else:
        from supportkpi.render.staffing import render_text

        write_output(render_text(report, fmt), output)


def _check_ranges(*, shrinkage, agents, growth, max_occupancy, volume, aht) -> None:
    if not 0 <= shrinkage < 1:
        raise UsageError(f"--shrinkage {shrinkage:g}: expected a share in [0, 1), e.g. 0.3 for 30 %")
    if agents is not None and agents < 1:
        raise UsageError(f"--agents {agents}: expected a whole number ≥ 1")
    if not growth > 0:
        raise UsageError(f"--growth {growth:g}: expected a multiplier > 0, e.g. 1.4 for 40 % more contacts")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise UsageError(f"--max-occupancy {max_occupancy:g}: expected a share in (0, 1], e.g. 0.85")
    if volume is not None and not volume >= 0:
        raise UsageError(f"--volume {volume:g}: expected a number of contacts ≥ 0")
    if aht is not None and not aht > 0:
        raise UsageError(f"--aht {aht:g}: expected seconds > 0")


def _parameters(interval_seconds: int, settings: dict, **extra) -> dict:
    level, threshold = settings["target"]
    return {
        "interval_seconds": interval_seconds,
        "target_service_level_pct": level * 100,
        "threshold_seconds": threshold,
        "agents_evaluated": settings["agents"],
        "growth": settings["growth"],
        "shrinkage": settings["shrinkage"],
        "max_occupancy": settings["max_occupancy"],
        **extra,
    }


def _from_numbers(volume: float, interval_seconds: int, aht: float, **settings):
    import polars as pl

    from supportkpi.demand import staff_intervals
    from supportkpi.render.staffing import StaffingReport, describe_method

    one = pl.DataFrame({"offered_per_week": [float(volume)], "aht_seconds": [float(aht)]})
    plan = staff_intervals(one, interval_seconds, **settings).drop("offered_per_week")
    method = describe_method(interval_seconds=interval_seconds, **settings)
    return StaffingReport(plan=plan, method=method, parameters=_parameters(interval_seconds, settings, volume=volume))


def _from_exports(files, interval, interval_seconds, groups, aht, settings, *, quiet, config, **reading):
    import sys

    import polars as pl

    from supportkpi.cli.compute import read_failure, report_sources
    from supportkpi.demand import HANDLE_TIME_PARTS, demand_exclusions, interval_demand, staff_intervals
    from supportkpi.metrics._base import NotAvailable
    from supportkpi.render.staffing import StaffingReport, describe_method

    _, timezone, loaded = options.load_inputs(files, config, group_by=groups, **reading)
    try:
        demand = interval_demand(loaded.frame, interval, timezone=timezone, by=groups)
        left_out = demand_exclusions(loaded.frame, groups) if not quiet else {}
    except NotAvailable as missing:
        raise DataError(
            f"staffing needs {' and '.join(missing.needs)} in the exports (calls or chats with queue data)"
        ) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except pl.exceptions.PolarsError as exc:
        raise DataError(read_failure(loaded.inputs, exc)) from None
    if not quiet:
        report_sources(loaded.inputs)
        for reason, count in left_out.items():
            print(f"supportkpi: staffing: left out {count:,} contact(s): {reason}", file=sys.stderr)
    if aht is None and demand.height and demand["aht_seconds"].null_count() == demand.height:
        names = loaded.frame.collect_schema().names()
        lacking = [p for p in HANDLE_TIME_PARTS if p not in names]
        why = f"the exports lack {', '.join(lacking)}" if lacking else "no answered call has all of talk, hold and acw"
        raise DataError(f"staffing needs the handle time of answered calls: {why} (or give --aht SECONDS)")
    plan = staff_intervals(demand, interval_seconds, aht_seconds=aht, **settings)
    weeks = (int(demand["weeks"].min()), int(demand["weeks"].max())) if demand.height else None
    method = describe_method(
        interval_seconds=interval_seconds, weeks=weeks, timezone=timezone, aht_given=aht is not None, **settings
    )
    if aht is None and demand.height and demand["aht_seconds"].null_count():
        method += " Slots without a measured AHT (no answered call with talk, hold and acw) are not staffed (—)."
    parameters = _parameters(interval_seconds, settings, timezone=timezone, aht_seconds=aht)
    return StaffingReport(plan=plan, method=method, parameters=parameters, by=tuple(groups))

