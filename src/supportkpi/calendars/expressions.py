"""Per-row polars expressions over a schedule's plan: :func:`business_seconds` and
:func:`clock_start`, a few table look-ups per row.

Eager polars does not share repeated sub-expressions, so values used more than once become fields
of a struct built in stages (``with_fields``, read with ``pl.field``)."""

from __future__ import annotations

import polars as pl

from supportkpi.calendars.plan import Plan, Slot, plan_of
from supportkpi.calendars.schedule import DAY_US, Schedule
from supportkpi.calendars.zone import local_day

F = pl.field  # noqa: N816


class _Stages:
    def __init__(self, **fields: pl.Expr) -> None:
        self.expr = pl.struct(**fields)  # type: ignore[call-overload]  # no field is named eager

    def add(self, **fields: pl.Expr) -> None:
        if fields:
            self.expr = self.expr.struct.with_fields(**fields)

    def get(self, name: str) -> pl.Expr:
        return self.expr.struct.field(name)


def _week_rows(days: pl.Expr, plan: Plan, name: str) -> dict[str, dict[str, pl.Expr]]:
    """Three stages of fields locating a date in the tables: ``q<name>`` its week from the span's
    start, ``w<name>`` the whole weeks by which it lies after (> 0) or before (< 0) the span, and
    ``r<name>`` its table row: itself inside the span, else the same weekday in the first or last
    week of the span (which is whole weeks, starting on a Monday)."""
    q, w = F(f"q{name}"), F(f"w{name}")
    return {
        "q": {f"q{name}": (days - plan.first_day) // 7},
        "w": {f"w{name}": q - q.clip(0, (plan.last_day - plan.first_day) // 7)},
        "r": {f"r{name}": days - plan.first_day - 7 * w},
    }


def _row(days: pl.Expr, plan: Plan) -> pl.Expr:
    """Table row of a date (see :func:`_week_rows`), as one expression (``days`` is repeated)."""
    q = (days - plan.first_day) // 7
    return days - plan.first_day - 7 * (q - q.clip(0, (plan.last_day - plan.first_day) // 7))


def _tag(p: str, k: int) -> str:
    """Field-name suffix for endpoint ``p`` and the date ``k`` days before its local date."""
    return f"{p}{k}" if k >= 0 else f"{p}m{-k}"


def _utc_us(ts: pl.Expr) -> pl.Expr:
    return ts.dt.convert_time_zone("UTC").dt.cast_time_unit("us").cast(pl.Int64)


def business_seconds(start: pl.Expr, end: pl.Expr, schedule: Schedule) -> pl.Expr:
    """Seconds (Float64) of ``[start, end)`` inside the open hours of ``schedule``, per row.

    ``start``/``end`` are time-zone-aware Datetime expressions (normally ``Datetime("us",
    "UTC")``). Null if either is null; 0 if ``end <= start``.
    """
    plan = plan_of(schedule)

    def days_of(slot: Slot) -> range:
        """Days before the local date D of t on which occurrences that may straddle t start:
        D, also D - 1 for a slot running past midnight, and D + 1 (-1 days before) where clocks
        once went back over midnight."""
        return range(1 if slot.spills else 0, -plan.zone.steps_back - 1, -1)

    shifts = sorted({k for slot in plan.slots for k in days_of(slot)})
    st = _Stages(s=_utc_us(start), e=_utc_us(end))
    st.add(s_day=local_day(F("s"), plan.zone), e_day=local_day(F("e"), plan.zone))
    located = [_week_rows(F(f"{p}_day") - k, plan, _tag(p, k)) for p in ("s", "e") for k in shifts]
    for stage in ("q", "w", "r"):
        st.add(**{k: v for fields in located for k, v in fields[stage].items()})

    def open_before(p: str) -> pl.Expr:
        """Open time before instant ``p`` from the span's start: whole earlier dates from the
        table, plus the part before ``p`` of the occurrences that may straddle it."""
        parts = []
        for slot in plan.slots:
            ks = days_of(slot)
            whole = pl.lit(slot.before).gather(F(f"r{_tag(p, ks[0])}"))
            parts += [whole, F(f"w{_tag(p, ks[0])}") * slot.weekly_us]
            for k in ks:
                midnight = (F(f"{p}_day") - k) * DAY_US
                opens = midnight + pl.lit(slot.opens).gather(F(f"r{_tag(p, k)}"))
                closes = midnight + pl.lit(slot.closes).gather(F(f"r{_tag(p, k)}"))
                parts.append((pl.min_horizontal(F(p), closes) - opens).clip(lower_bound=0))
        return pl.sum_horizontal(parts) if parts else pl.lit(0, dtype=pl.Int64)

    st.add(total=open_before("e") - open_before("s"))
    st.add(
        seconds=pl.when(F("s").is_null() | F("e").is_null())
        .then(None)
        .when(F("e") <= F("s"))
        .then(0.0)
        # whole and fractional seconds apart: polars divides by a scalar via its reciprocal,
        # which is 1 ulp off for about a quarter of all values
        .otherwise((F("total") // 1_000_000).cast(pl.Float64) + (F("total") % 1_000_000) / 1_000_000)
        .cast(pl.Float64)
    )
    return st.get("seconds")


def clock_start(start: pl.Expr, schedule: Schedule) -> pl.Expr:
    """The first instant at or after ``start`` at which ``schedule`` is open (Datetime("us",
    "UTC")); ``start`` itself if open then. Null if ``start`` is null or nothing opens again."""
    plan = plan_of(schedule)
    slots = list(enumerate(plan.slots))
    if not slots:
        return pl.lit(None, dtype=pl.Datetime("us", "UTC"))

    def at(table: pl.Series, days: pl.Expr) -> pl.Expr:
        return days * DAY_US + pl.lit(table).gather(_row(days, plan))

    def next_date(slot: Slot, days: pl.Expr) -> pl.Expr:
        # within a week: the same weekday pattern holds outside the span; further (a slot that
        # only opens on partial dates, seen from before the span): a date inside the span
        row = _row(days, plan)
        wait = pl.lit(slot.wait).gather(row)
        return pl.when(wait < 7).then(days + wait).otherwise(plan.first_day + row + wait)

    st = _Stages(t=_utc_us(start))
    st.add(day=local_day(F("t"), plan.zone))
    if any(slot.spills for slot in plan.slots):
        st.add(yesterday=_row(F("day") - 1, plan))
    # the first date on or after the local date with an occurrence; the next one if that is over
    st.add(**{f"n{i}": next_date(slot, F("day")) for i, slot in slots})
    for _ in range(1 + plan.zone.steps_back):
        st.add(**{f"c{i}": at(slot.closes, F(f"n{i}")) for i, slot in slots})
        st.add(
            **{
                f"n{i}": pl.when(F(f"c{i}") <= F("t")).then(next_date(slot, F(f"n{i}") + 1)).otherwise(F(f"n{i}"))
                for i, slot in slots
            }
        )
    opens = {f"o{i}": at(slot.opens, F(f"n{i}")) for i, slot in slots}
    # an occurrence from yesterday still open (closing after t, and not a date it is closed)
    yesterday = {
        name: pl.lit(table).gather(F("yesterday"))
        for i, slot in slots
        if slot.spills
        for name, table in ((f"yo{i}", slot.opens), (f"yc{i}", slot.closes))
    }
    st.add(**yesterday)
    running = {
        f"y{i}": ((F("day") - 1) * DAY_US + F(f"yc{i}") > F("t")) & (F(f"yc{i}") > F(f"yo{i}"))
        for i, slot in slots
        if slot.spills
    }
    st.add(**opens, **running)
    candidates = [pl.when(F(name).is_not_null()).then(pl.max_horizontal(F("t"), F(name))) for name in opens]
    candidates += [pl.when(F(name)).then(F("t")) for name in running]
    st.add(
        opening=pl.when(F("t").is_null())
        .then(None)
        .otherwise(pl.min_horizontal(candidates))
        .cast(pl.Datetime("us", "UTC"))
    )
    return st.get("opening")
