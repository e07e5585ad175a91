"""The verbs of :class:`supportkpi.api.Run` beyond KPIs and targets: forecast, staffing, CLV and
validation. Each takes the run (its kpi.yaml, time zone, inputs and listener)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from supportkpi.api import inputs as reading
from supportkpi.api import sections
from supportkpi.erlang import MAX_AGENTS, BeyondCap
from supportkpi.errors import DataError, UsageError, first_line
from supportkpi.left_out import nothing_used, warning
from supportkpi.schema import TABLES, table_of

if TYPE_CHECKING:
    from supportkpi.api.run import Run

MAX_THRESHOLD = 86_400
"""The longest answer threshold of a staffing target, in seconds (a day)."""

MAX_HORIZON = 1000
"""The most periods a forecast looks ahead (a trend line says nothing that far out anyway)."""
MAX_EXAMPLES = 1000
"""The most example rows ``validate`` shows per finding."""

FORECAST_KINDS = ("duration", "mean")
"""KPI kinds a trend forecast fits: averages per contact (rates, counts and scores do not)."""


def check_tests(
    *,
    baseline: str = "first",
    open_tickets: str = "exclude",
    confidence: float = 0.95,
    min_n: int = 30,
    adjust: str = "kpi",
    resamples: int = 2000,
    seed: int = 0,
) -> None:
    """compare's test settings as usage errors."""
    from supportkpi.comparison import ADJUSTMENTS

    if adjust not in ADJUSTMENTS:
        raise UsageError(f"--adjust '{adjust}': expected one of {', '.join(ADJUSTMENTS)}")
    if baseline not in ("first", "best"):
        raise UsageError(f"--baseline '{baseline}': expected first or best")
    if open_tickets not in ("exclude", "censor"):
        raise UsageError(f"--open '{open_tickets}': expected exclude or censor")
    if not 0.5 <= confidence < 1:
        raise UsageError(f"--confidence {confidence}: expected a level such as 0.95 (0.5 to below 1)")
    if min_n < 1:
        raise UsageError(f"--min-n {min_n}: expected 1 or more")
    if seed < 0:  # numpy's generators take no negative seed
        raise UsageError(f"--seed {seed}: expected a whole number ≥ 0")
    if not 100 <= resamples <= 1_000_000:
        raise UsageError(f"--resamples {resamples}: expected 100 to 1000000")
    if 1 / resamples >= round(1 - confidence, 10):
        # a bootstrap p-value cannot go below 1/resamples: it could never be significant
        raise UsageError(
            f"--resamples {resamples} cannot show significance at --confidence {confidence}: "
            f"use more than {round(1 / (1 - confidence)):,} resamples"
        )


def forecast(
    run: Run,
    kpi: str | None,
    *,
    by: Sequence[str],
    period: str,
    horizon: int,
    confidence: float,
    exclude_partial: bool,
    memory: str = "auto",
):
    """:meth:`supportkpi.api.Run.forecast`."""
    import polars as pl

    from supportkpi.engine import check_kpis, check_memory, check_period, compute
    from supportkpi.forecast import forecast_groups
    from supportkpi.metrics import FORECAST_DEFAULT, REGISTRY

    kpi = kpi or FORECAST_DEFAULT
    kpi_ids = check_kpis([k.strip() for k in kpi.split(",") if k.strip()])
    if len(kpi_ids) != 1:
        raise UsageError(f"--kpi '{kpi}': forecast takes one KPI at a time")
    kpi_id = kpi_ids[0]
    if kpi_id not in REGISTRY or REGISTRY[kpi_id].INFO.kind not in FORECAST_KINDS:
        usable = ", ".join(k for k, m in REGISTRY.items() if m.INFO.kind in FORECAST_KINDS)
        raise UsageError(f"--kpi '{kpi_id}': forecast works on duration and mean KPIs ({usable})")
    check_period(period)
    if not 1 <= horizon <= MAX_HORIZON:
        raise UsageError(f"--horizon {horizon}: expected 1 to {MAX_HORIZON:,} periods")
    if not 0.5 <= confidence < 1:
        raise UsageError(f"--confidence {confidence}: expected a level such as 0.95 (0.5 to below 1)")
    check_memory(memory)
    # the KPI's table must be the inputs' (average handle time of a mentions export is no figure)
    table, wanted = sections.one_table(run, [kpi_id], explicit=False, verb="forecast")
    if not wanted:
        usable = ", ".join(k for k, m in REGISTRY.items() if m.INFO.kind in FORECAST_KINDS and m.INFO.table == table)
        raise UsageError(
            f"--kpi '{kpi_id}' reads {REGISTRY[kpi_id].INFO.table}, and these inputs are {table}: forecast one of {usable}"
        )
    time = TABLES[table].time
    params = run.params()
    loaded = run.load(by)
    timezone = run.timezone
    run.bounded(memory, loaded.inputs)

    def computed():
        result = compute(
            loaded.frame,
            [kpi_id],
            by=list(by),
            period=period,
            timezone=timezone,
            params=params,
            inputs=loaded.inputs,
            calendars=run.calendars(),
            memory=memory,
        )
        day = pl.col(time).max().dt.convert_time_zone(timezone).dt.date()
        return result, loaded.frame.lazy().select(day).collect().item()

    result, data_end = run.guarded(loaded.inputs, computed)
    run.report(loaded.inputs, result.findings, result.data_errors, "no report written", result.left_out)
    if result.groups and not result.groups[0].kpis[kpi_id].available:
        needs = ", ".join(result.groups[0].kpis[kpi_id].needs)
        raise DataError(f"{kpi_id} cannot be computed from these inputs: needs {needs}")
    report = forecast_groups(
        result, kpi_id, horizon=horizon, confidence=confidence, data_end=data_end, exclude_partial=exclude_partial
    )
    return report, result


def staffing(run: Run, interval: str, *, by: Sequence[str], aht: float | None, **plan: Any):
    """:meth:`supportkpi.api.Run.staffing`."""
    import polars as pl

    from supportkpi.demand import demand_exclusions, interval_demand, staff_intervals
    from supportkpi.metrics import NotAvailable
    from supportkpi.metrics._queue import HANDLE_PARTS
    from supportkpi.render.staffing import StaffingReport, describe_method

    interval_seconds, plan = check_plan(interval, aht=aht, **plan)
    loaded = run.load(by)
    timezone = run.timezone
    try:
        demand = interval_demand(loaded.frame, interval, timezone=timezone, by=by)
        left_out = demand_exclusions(loaded.frame, by) if not run.listener.quiet else {}
    except NotAvailable as missing:
        raise DataError(
            f"staffing needs {' and '.join(missing.needs)} in the exports (calls or chats with queue data)"
        ) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except pl.exceptions.PolarsError as exc:
        raise DataError(reading.read_failure(loaded.inputs, exc)) from None
    run.listener.read(loaded.inputs)
    run.listener.left_out("staffing", left_out)
    warned = run.judge_left_out(
        loaded.inputs, run.guarded(loaded.inputs, lambda: rows_left_out(loaded)), "nothing staffed"
    )
    if aht is None and demand.height and demand["aht_seconds"].null_count() == demand.height:
        names = loaded.frame.collect_schema().names()
        lacking = [p for p in HANDLE_PARTS if p not in names]
        why = f"the exports lack {', '.join(lacking)}" if lacking else "no answered call has all of talk, hold and acw"
        raise DataError(f"staffing needs the handle time of answered calls: {why} (or give --aht SECONDS)")
    try:
        table = staff_intervals(demand, interval_seconds, aht_seconds=aht, **plan)
    except BeyondCap as exc:
        given = f"with --aht {aht:g}, " if aht is not None else ""
        # an option that multiplied the traffic is the likelier mistake than the data
        error = UsageError if aht is not None or plan["growth"] > 1 else DataError
        raise error(
            f"staffing: {given}a slot of the exports: {exc} (check --aht, --growth and the handle times)"
        ) from None
    # "weeks" counts the weekday in its group's window (Int64; never null: the slot is in it)
    weeks = (cast(int, demand["weeks"].min()), cast(int, demand["weeks"].max())) if demand.height else None
    method = describe_method(
        interval_seconds=interval_seconds, weeks=weeks, timezone=timezone, aht_given=aht is not None, **plan
    )
    if aht is None and demand.height and demand["aht_seconds"].null_count():
        method += " Slots without a measured AHT (no answered call with talk, hold and acw) are not staffed (—)."
    if warned is not None:
        method += f" Warning: {warned.message()}."
    parameters = _parameters(interval_seconds, plan, timezone=timezone, aht_seconds=aht)
    return StaffingReport(plan=table, method=method, parameters=parameters, by=tuple(by))


def staffing_from_numbers(volume: float, interval: str, aht: float, **plan: Any):
    """Agents needed for ``volume`` contacts per ``interval`` of ``aht`` seconds each (Erlang C),
    without exports; ``plan`` as in :meth:`supportkpi.api.Run.staffing`."""
    import polars as pl

    from supportkpi.demand import staff_intervals
    from supportkpi.render.staffing import StaffingReport, describe_method

    interval_seconds, plan = check_plan(interval, volume=volume, aht=aht, **plan)
    one = pl.DataFrame({"offered_per_week": [float(volume)], "aht_seconds": [float(aht)]})
    try:
        table = staff_intervals(one, interval_seconds, **plan).drop("offered_per_week")
    except BeyondCap as exc:
        raise UsageError(f"--volume {volume:g} with --aht {aht:g}: {exc}") from None
    method = describe_method(interval_seconds=interval_seconds, **plan)
    return StaffingReport(plan=table, method=method, parameters=_parameters(interval_seconds, plan, volume=volume))


def check_plan(
    interval: str,
    *,
    volume: float | None = None,
    aht: float | None = None,
    target: str | tuple[float, float] = (0.80, 20.0),
    shrinkage: float = 0.0,
    agents: int | None = None,
    growth: float = 1.0,
    max_occupancy: float | None = None,
) -> tuple[int, dict[str, Any]]:
    """A staffing plan's settings as usage errors, before anything is read: the interval in
    seconds and the plan for :func:`supportkpi.demand.staff_intervals` (``target`` as text,
    ``"80/20"``, or as a share and seconds, ``(0.8, 20.0)``).

    >>> check_plan("1h", target="90/30", shrinkage=0.3)
    (3600, {'target': (0.9, 30.0), 'shrinkage': 0.3, 'agents': None, 'growth': 1.0, 'max_occupancy': None})
    """
    from supportkpi.demand import parse_interval

    if isinstance(target, str):
        target = parse_target(target)
    elif not 0 < target[0] < 1 or not 0 <= target[1] < math.inf:
        raise UsageError(f"target {target}: expected (share answered, seconds), the share above 0 and below 1")
    try:
        interval_seconds = parse_interval(interval)
    except ValueError as exc:
        raise UsageError(f"--interval: {exc}") from None
    if not 0 <= shrinkage < 1:
        raise UsageError(f"--shrinkage {shrinkage:g}: expected a share in [0, 1), e.g. 0.3 for 30 %")
    if agents is not None and not 1 <= agents <= MAX_AGENTS:
        raise UsageError(f"--agents {agents}: expected a whole number from 1 to {MAX_AGENTS:,}")
    if not 0 < growth < math.inf:
        raise UsageError(f"--growth {growth:g}: expected a finite multiplier > 0, e.g. 1.4 for 40 % more contacts")
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise UsageError(f"--max-occupancy {max_occupancy:g}: expected a share in (0, 1], e.g. 0.85")
    if volume is not None and not 0 <= volume < math.inf:
        raise UsageError(f"--volume {volume:g}: expected a finite number of contacts ≥ 0")
    if aht is not None and not 0 < aht < math.inf:
        raise UsageError(f"--aht {aht:g}: expected a finite number of seconds > 0")
    if volume is not None and aht is not None:
        given = f"--volume {volume:g} with --aht {aht:g}" + (
            f" and --max-occupancy {max_occupancy:g}" if max_occupancy else ""
        )
        _check_traffic(volume * growth * aht / interval_seconds, max_occupancy, given)
    plan = {
        "target": target,
        "shrinkage": shrinkage,
        "agents": agents,
        "growth": growth,
        "max_occupancy": max_occupancy,
    }
    return interval_seconds, plan


def _check_traffic(traffic: float, max_occupancy: float | None, given: str) -> None:
    """A usage error when the traffic asked for needs more agents than one queue is computed
    for (:data:`supportkpi.erlang.MAX_AGENTS`): a mistyped volume or AHT, never a plan."""
    fewest = traffic / max_occupancy if max_occupancy else traffic
    if not fewest < MAX_AGENTS:
        raise UsageError(
            f"{given}: {traffic:.4g} erlangs (volume × growth × AHT / interval) need more than "
            f"{MAX_AGENTS:,} agents, the most one queue is computed for; expected a traffic below {MAX_AGENTS:,} erlangs"
        )


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
    if not seconds <= MAX_THRESHOLD:
        raise UsageError(f"--target '{text}': the seconds must be from 0 to {MAX_THRESHOLD:,} (a day)")
    return percent / 100, seconds


def _parameters(interval_seconds: int, plan: dict, **extra) -> dict:
    level, threshold = plan["target"]
    return {
        "interval_seconds": interval_seconds,
        "target_service_level_pct": level * 100,
        "threshold_seconds": threshold,
        "agents_evaluated": plan["agents"],
        "growth": plan["growth"],
        "shrinkage": plan["shrinkage"],
        "max_occupancy": plan["max_occupancy"],
        **extra,
    }


def clv(
    run: Run,
    orders: str,
    *,
    orders_format: str | None = None,
    orders_map: Sequence[str] = (),
    lifespan_years: float | None = None,
    margin: float | None = None,
    after_contact: bool = False,
    min_customers: int = 30,
):
    """:meth:`supportkpi.api.Run.clv`: ``orders`` (a file, or ``-``) in ``orders_format``
    (default: from its name), its headers named with ``orders_map`` (``order_value=Total``);
    ``lifespan_years`` and ``margin`` default to kpi.yaml's. The orders are read with the
    contact inputs' encoding, separator, decimal comma, time zone and datetime format."""
    import polars as pl

    from supportkpi import clv as model
    from supportkpi.loading import expand, readers
    from supportkpi.loading.orders import orders_mapping, read_orders

    if orders_format is not None and orders_format not in readers.FORMATS:
        raise UsageError(f"--orders-format '{orders_format}': expected one of {', '.join(readers.FORMATS)}")
    settings = run.settings
    lifespan_years = settings.kpis.clv.lifespan_years if lifespan_years is None else lifespan_years
    margin = settings.kpis.clv.margin if margin is None else margin
    for flag, values in (
        ("--lifespan-years", (lifespan_years, 1.0, 0)),
        ("--margin", (1.0, margin, 0)),
        ("--min-customers", (1.0, 1.0, min_customers)),
    ):
        try:
            model.check_params(*values)
        except UsageError as exc:
            raise UsageError(f"{flag}: {exc}") from None
    renames = orders_mapping(orders_map)
    files = [f for spec in run.specs for f in spec.files]
    if orders == readers.STDIN:
        if readers.STDIN in files:
            raise UsageError("standard input (-) can be read only once: give the contacts or the orders as a file")
    elif not Path(orders).is_file():
        raise UsageError(f"--orders {orders}: no such file")
    expand(files)  # a missing contacts file is a usage error too, before anything is read
    order_fmt = orders_format or (None if orders == readers.STDIN else readers.detect_format(orders))
    loaded = run.load()
    spec = run.specs[0]
    frame, order_fmt, order_sep = read_orders(
        orders, order_fmt, encoding=spec.encoding, separator=spec.separator, renames=renames
    )
    comma = spec.decimal_comma if spec.decimal_comma is not None else order_sep == ";"
    try:
        result = model.clv(
            frame,
            loaded.frame,
            lifespan_years=lifespan_years,
            margin=margin,
            csat_params=settings.kpis.csat,
            fcr_params=settings.kpis.fcr_rate,
            after_contact=after_contact,
            min_customers=min_customers,
            timezone=run.timezone,
            datetime_format=spec.formats(settings),
            decimal_comma=comma,
        )
    except pl.exceptions.PolarsError as exc:
        found = None
        if orders != readers.STDIN and order_fmt in ("csv", "tsv", "jsonl"):
            found = readers.diagnose_text(orders, order_fmt)
        raise DataError(found or reading.read_failure(loaded.inputs, exc)) from None
    run.listener.read(loaded.inputs)
    run.listener.orders(result, orders)
    run.judge_left_out(loaded.inputs, run.guarded(loaded.inputs, lambda: rows_left_out(loaded)), "no report written")
    if run.strict and result.data_errors:
        raise DataError(f"{orders}: {result.data_errors} data error(s) and --strict is set; no report written")
    return result


def validate(run: Run, examples: int) -> dict:
    """:meth:`supportkpi.api.Run.validate`."""
    import polars as pl

    if not 0 <= examples <= MAX_EXAMPLES:
        raise UsageError(f"--examples {examples}: expected 0 to {MAX_EXAMPLES:,} rows per finding")
    from supportkpi import quality, validation
    from supportkpi.engine import with_duplicate_flag

    loaded = run.load()
    frame = with_duplicate_flag(loaded.frame)
    columns = frozenset(frame.collect_schema().names())
    active, counts, sample = validation.plan(frame, columns, validation.rules(run.settings.kpis.model_dump()), examples)
    try:
        collected = pl.collect_all([*quality.plan(frame, columns), counts, sample])
    except pl.exceptions.PolarsError as exc:
        raise DataError(f"cannot read the input: {first_line(exc)}") from None
    paths = [i.path for i in loaded.inputs]
    found, _, rows = quality.report(collected[:3], columns, paths)
    found += validation.findings(active, collected[3], collected[4], paths)
    found += quality.input_findings(loaded.inputs, rows)
    rows_read = quality.left_out(collected[0], found)
    warned = warning(rows_read, run.left_out_threshold)
    if warned is not None:
        found.append(warned)
    message = nothing_used(rows_read, paths)
    if message is not None:
        raise DataError(message)
    for finding in found:
        finding.examples = finding.examples[:examples]
    available = available_kpis(columns)
    own = table_of(columns).by_name
    return {
        "inputs": [
            {
                "path": i.path,
                "format": i.format,
                "source": i.source,
                "confidence": i.confidence,
                "rows": rows.get(n, 0),
                **({"notes": i.notes} if i.notes else {}),
            }
            for n, i in enumerate(loaded.inputs)
        ],
        "columns_found": [c for c in own if c in columns],
        "columns_missing": [c for c in own if c not in columns],
        "extra_columns": sorted(c for c in columns if c not in own and not c.startswith("_")),
        "kpis_available": available,
        "kpis_not_available": [k for k in table_kpis(columns) if k not in available],
        "findings": [f.to_dict() for f in found],
    }


def rows_left_out(loaded):
    """The rows read and left out of every KPI (:class:`supportkpi.results.LeftOut`), with the
    first examples, for the verbs whose own pass does not count them (staffing, clv)."""
    import polars as pl

    from supportkpi import quality
    from supportkpi.engine import with_duplicate_flag

    frame = with_duplicate_flag(loaded.frame)
    columns = frozenset(frame.collect_schema().names())
    collected = pl.collect_all(quality.plan(frame, columns))
    found, _, _ = quality.report(collected, columns, [i.path for i in loaded.inputs])
    return quality.left_out(collected[0], found)


def table_kpis(columns: frozenset[str]) -> list[str]:
    """The KPIs of the canonical table these columns are (contacts or mentions), in the
    registry's order."""
    from supportkpi.metrics import REGISTRY

    table = table_of(columns).name
    return [k for k, m in REGISTRY.items() if m.INFO.table == table]


def available_kpis(columns: frozenset[str]) -> list[str]:
    """The KPIs of the columns' table that can be measured from them, in the registry's order."""
    from supportkpi.metrics import REGISTRY, Context, NotAvailable

    ctx = Context(columns=columns)
    available = []
    for kpi_id in table_kpis(columns):
        module = REGISTRY[kpi_id]
        try:
            module.measure(ctx)
            available.append(kpi_id)
        except NotAvailable:
            pass
    return available
