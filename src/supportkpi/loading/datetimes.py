"""Timestamps written as people write them: ISO 8601, ``dd/mm/yyyy``, ``mm/dd/yyyy``,
``m/d/yyyy``, ``dd.mm.yyyy``, ``dd-mm-yyyy``, each with an optional time (``9:12``, ``09:12:58``,
``9:12:58 PM``, ``9.12.58``, a fraction of a second) and an optional zone.

Day-first or month-first is decided per column, from the values, in the same query that reads
them (no extra pass over the file): a value that reads only one way (``13/01/2021``) is evidence,
the order with more evidence wins, and values that contradict it are unparseable (reported with
their raw text). When no value decides, the reading whose dates lie closest together wins
(``01/02 .. 04/02`` is four days read day-first and four months read month-first), and each
row says so in its note, so that the report can name the choice and the flag that changes it.
Dates written with dots are always day-first.

A note column (``_note_<column>``) carries, per row, bits that the report counts: the value had
no time of day (:data:`DATE_ONLY`), and the order chosen for a column that no value decided.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import polars as pl

from supportkpi import batches
from supportkpi.results import Finding

_STAMP = (
    r"^\s*(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4}))"
    r"(?:(?:[Tt]|\s+)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$"
)
_TRAILING_TIME = r"(?:[Tt]|\s+)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?\s*$"
_TIME_DIRECTIVES = re.compile(r"%[-_0^#]?[HIklMSTRrcXsfpP]")
_ZONE_DIRECTIVES = ("%z", "%:z", "%#z", "%Z")

DATE_ONLY = 1
"""Note bit: the value had a date and no time of day."""
_ORDER_SHIFT = 1
# the order chosen for a column that no value decided, and its separator (bits 1-3 of the note)
_ORDERS = {
    1: ("day-first", "/", "%m/%d/%Y"),
    2: ("day-first", "-", "%m-%d-%Y"),
    3: ("month-first", "/", "%d/%m/%Y"),
    4: ("month-first", "-", "%d-%m-%Y"),
}
NOTE_PREFIX = "_note_"


def note_flag(column: str) -> str:
    """Name of the internal column with the notes of ``column``'s values."""
    return NOTE_PREFIX + column


def read(text: pl.Expr, timezone: str, formats: Sequence[str] = ()) -> tuple[pl.Expr, pl.Expr]:
    """The UTC timestamp of trimmed text (null: empty or unparseable) and its note bits.

    ``formats`` (strftime) are tried first, in order; a format with no time directive is the
    date's layout and a time after it is still read. Values that no format reads are read as
    any supported layout, with the day/month order inferred from the column.
    (A loader reading many rows runs the same steps as columns: :func:`with_formats`,
    :func:`layout`, :func:`candidates`, :func:`choice`, :func:`wall_time`, :func:`zoned`,
    :func:`notes`.)

    >>> frame = pl.DataFrame({"t": ["02/01/2021 9:12:58", "13/01/2021 5:00 PM", "2021-01-05", "1/13/2021"]})
    >>> value, note = read(pl.col("t"), "UTC")
    >>> [(str(t), n) for t, n in frame.select(value, note.alias("n")).rows()]
    [('2021-01-02 09:12:58+00:00', None), ('2021-01-13 17:00:00+00:00', None), ('2021-01-05 00:00:00+00:00', 1), ('None', None)]
    """
    given = with_formats(text, timezone, formats)
    if formats:
        text = batches.unread(given, text)
    read_in_any_layout = inferred_where_given(text, timezone)
    value, note = read_in_any_layout.struct.field("value"), read_in_any_layout.struct.field("note")
    if formats:
        return pl.coalesce(given, value), pl.when(given.is_null()).then(note)
    return value, note


INFERRED = pl.Struct({"value": pl.Datetime("us", "UTC"), "note": pl.UInt8})
"""What :func:`inferred_where_given` gives for each value: its UTC time and its note bits."""


def inferred_where_given(text: pl.Expr, timezone: str) -> pl.Expr:
    """The timestamps and notes of a column's text in any layout (:func:`layout` to
    :func:`notes`, the day/month order voted by the whole column), as a struct
    (:data:`INFERRED`), read only when the column holds a value at all.

    The text is usually what a fast reading left (null elsewhere), and in most exports every
    value is ISO 8601: then there is nothing to read. Written as one expression, the reading's
    parts repeat, and polars planned megabytes for it (the typing of an interval report took
    2.5 s for a few hundred rows); as one function of the whole column (which the vote needs),
    run in steps, its plan is one node and a column of nulls costs nothing.

    >>> frame = pl.DataFrame({"t": ["13/01/2021 5:00 PM", None, "02/01/2021"]})
    >>> [(str(v), n) for v, n in frame.select(inferred_where_given(pl.col("t"), "UTC").alias("r")).unnest("r").rows()]
    [('2021-01-13 17:00:00+00:00', None), ('None', None), ('2021-01-02 00:00:00+00:00', 1)]
    """

    def read_column(column: pl.Series) -> pl.Series:
        if column.null_count() == column.len():
            return batches.nulls(column, INFERRED)
        return _inferred_steps(column, timezone)

    return text.map_batches(read_column, return_dtype=INFERRED, is_elementwise=False)


def _inferred_steps(column: pl.Series, timezone: str) -> pl.Series:
    # each step kept as a column, as the loader does (loading/typed.py), so no part repeats
    frame = column.to_frame("text").lazy().with_columns(layout(pl.col("text")).alias("parts"))
    parts = pl.col("parts")
    day_first, month_first = candidates(parts)
    frame = frame.with_columns(day_first.alias("day"), month_first.alias("month"))
    day, month = pl.col("day"), pl.col("month")
    choose_day, undecided = choice(parts, day, month)
    frame = frame.with_columns(choose_day.alias("choice"), undecided.alias("undecided"))
    frame = frame.with_columns(wall_time(parts, day, month, pl.col("choice")).alias("wall"))
    frame = frame.with_columns(zoned(parts, pl.col("wall"), timezone).alias("value"))
    note = notes(parts, pl.col("value"), pl.col("choice"), pl.col("undecided"))
    return frame.select(pl.struct(pl.col("value"), note.alias("note")).alias(column.name)).collect().to_series()


def with_formats(text: pl.Expr, timezone: str, formats: Sequence[str]) -> pl.Expr:
    """The timestamps that one of ``formats`` (strftime) reads, the first that does; null for the
    others (and for every value when there is no format)."""
    # each format reads the text on its own: chaining them (only the rest to the next) made
    # polars' planner hang on two formats
    return pl.coalesce(pl.lit(None, pl.Datetime("us", "UTC")), *(_with_format(text, f, timezone) for f in formats))


def _with_format(text: pl.Expr, fmt: str, timezone: str) -> pl.Expr:
    aware = any(z in fmt for z in _ZONE_DIRECTIVES)
    parsed = text.str.to_datetime(fmt, strict=False, time_unit="us")
    parsed = parsed.dt.convert_time_zone("UTC") if aware else localize(parsed, timezone)
    if _TIME_DIRECTIVES.search(fmt) or aware:
        return parsed
    # a date layout: the time after it is read as any supported time of day
    time = text.str.extract_groups(_TRAILING_TIME)
    date = text.str.replace(_TRAILING_TIME, "").str.to_date(fmt, strict=False)
    hour, minute, second, fraction, half = (time.struct.field(str(i)) for i in range(1, 6))
    offset, ok = _time_of_day(hour, minute, second, fraction, half)
    wall = pl.when(ok | hour.is_null()).then(date.cast(pl.Datetime("us")) + offset)
    return pl.coalesce(parsed, localize(wall, timezone))


def _date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """A date from its parts (null when no such day: 31/02)."""
    return pl.concat_str(year, pl.lit("-"), month, pl.lit("-"), day).str.to_date("%Y-%m-%d", strict=False)


def _time_of_day(
    hour: pl.Expr, minute: pl.Expr, second: pl.Expr, fraction: pl.Expr, half: pl.Expr
) -> tuple[pl.Expr, pl.Expr]:
    """The time since midnight as a duration, and whether the parts make a time of day."""
    h = hour.cast(pl.Int64, strict=False).fill_null(0)
    m = minute.cast(pl.Int64, strict=False).fill_null(0)
    s = second.cast(pl.Int64, strict=False).fill_null(0)
    micro = fraction.str.pad_end(6, "0").str.slice(0, 6).cast(pl.Int64, strict=False).fill_null(0)
    pm = half.str.to_uppercase() == "P"
    twelve = (h >= 1) & (h <= 12)
    h24 = pl.when(half.is_null()).then(h).when(pm).then(h % 12 + 12).otherwise(h % 12)
    ok = (h24 < 24) & (m < 60) & (s < 60) & (half.is_null() | twelve)
    return pl.duration(hours=h24, minutes=m, seconds=s, microseconds=micro), ok.fill_null(False)


def layout(text: pl.Expr) -> pl.Expr:
    """The parts of each value (a struct): the first step of reading a column. A loader that
    reads many rows keeps it as a column, so that the later steps, which refer to it many times,
    neither repeat the pattern match nor grow polars' plan (see :func:`inferred_where_given`)."""
    return text.str.extract_groups(_STAMP)


def candidates(parts: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The date of each value of :func:`layout` read day-first and read month-first (null where
    that reading is no date): the second step."""
    first, sep, second_part, sep2, year = (parts.struct.field(str(i)) for i in range(4, 9))
    same_sep = sep == sep2
    day_first = pl.when(same_sep).then(_date(year, second_part, first))
    month_first = pl.when(same_sep & (sep != ".")).then(_date(year, first, second_part))
    return day_first, month_first


def choice(parts: pl.Expr, day_first: pl.Expr, month_first: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Whether the column reads day-first (one value for the column), and, per row, whether its
    value was ambiguous with no value of the column deciding."""
    first, sep, second_part = (parts.struct.field(str(i)) for i in range(4, 7))
    dotted = sep == "."
    day_ok, month_ok = day_first.is_not_null(), month_first.is_not_null()
    # evidence: values that read only one way (dots are day-first whatever the column says)
    votes_day = (day_ok & ~month_ok & ~dotted).sum()
    votes_month = (month_ok & ~day_ok).sum()
    ambiguous = day_ok & month_ok & (first != second_part)
    span_day = pl.when(ambiguous).then(day_first).max() - pl.when(ambiguous).then(day_first).min()
    span_month = pl.when(ambiguous).then(month_first).max() - pl.when(ambiguous).then(month_first).min()
    choose_day = (votes_day > votes_month) | ((votes_day == votes_month) & (span_day <= span_month).fill_null(True))
    return choose_day, ambiguous & (votes_day == 0) & (votes_month == 0)


def wall_time(parts: pl.Expr, day_first: pl.Expr, month_first: pl.Expr, choose_day: pl.Expr) -> pl.Expr:
    """The wall-clock time of each value (naive; null where date or time of day is none)."""
    iso_year, iso_month, iso_day = (parts.struct.field(str(i)) for i in range(1, 4))
    hour, minute, second, fraction, half = (parts.struct.field(str(i)) for i in range(9, 14))
    date = (
        pl.when(iso_year.is_not_null())
        .then(_date(iso_year, iso_month, iso_day))
        .when(parts.struct.field("5") == ".")
        .then(day_first)
        .when(choose_day)
        .then(pl.when(day_first.is_not_null()).then(day_first))
        .otherwise(pl.when(month_first.is_not_null()).then(month_first))
    )
    offset, time_ok = _time_of_day(hour, minute, second, fraction, half)
    return pl.when(time_ok).then(date.cast(pl.Datetime("us")) + offset)


def zoned(parts: pl.Expr, wall: pl.Expr, timezone: str) -> pl.Expr:
    """The UTC time of a wall-clock time: at its own zone where it has one, else in ``timezone``."""
    zone = parts.struct.field("14")
    aware = wall.dt.replace_time_zone("UTC") - pl.duration(minutes=offset_minutes(zone))
    return pl.when(zone.is_not_null()).then(aware).otherwise(localize(wall, timezone))


def notes(parts: pl.Expr, value: pl.Expr, choose_day: pl.Expr, undecided: pl.Expr) -> pl.Expr:
    """The note bits of each value read (null where there is nothing to note)."""
    order = (
        pl.when(undecided)
        .then(pl.when(choose_day).then(1).otherwise(3) + pl.when(parts.struct.field("5") == "/").then(0).otherwise(1))
        .otherwise(0)
    )
    bits = pl.when(parts.struct.field("9").is_null()).then(DATE_ONLY).otherwise(0) + order * (1 << _ORDER_SHIFT)
    return pl.when(value.is_not_null() & (bits > 0)).then(bits.cast(pl.UInt8))


def offset_minutes(zone: pl.Expr) -> pl.Expr:
    """A zone designator (``Z``, ``+02``, ``-0530``, ``+05:30``) as minutes east of UTC."""
    digits = zone.str.replace_all(":", "", literal=True)
    sign = pl.when(digits.str.starts_with("-")).then(-1).otherwise(1)
    hours = digits.str.slice(1, 2).cast(pl.Int32, strict=False).fill_null(0)
    minutes = digits.str.slice(3, 2).cast(pl.Int32, strict=False).fill_null(0)
    return sign * (hours * 60 + minutes)


def localize(naive: pl.Expr, timezone: str) -> pl.Expr:
    """A wall-clock time in ``timezone`` as UTC."""
    # A wall-clock time that does not exist (skipped by a daylight-saving change) is null and so
    # reported as unparseable; an ambiguous one (the repeated hour) is read as the earlier.
    return naive.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")


# --- the report's side ------------------------------------------------------------------------


def note_counts(columns: frozenset[str], candidates: Sequence[str]) -> list[pl.Expr]:
    """Counts of the notes of ``candidates`` columns, as sums the engine adds up over groups."""
    counted = []
    for column in candidates:
        flag = note_flag(column)
        if flag not in columns:
            continue
        counted.append((pl.col(flag) % 2).eq(DATE_ONLY).sum().alias(f"note:{column}:date"))
        for code in _ORDERS:
            counted.append((pl.col(flag) // (1 << _ORDER_SHIFT)).eq(code).sum().alias(f"note:{column}:order{code}"))
    return counted


def note_findings(counts: Mapping[str, object], candidates: Sequence[str]) -> list[Finding]:
    """What the notes counted by :func:`note_counts` tell the reader."""
    findings: list[Finding] = []
    for column in candidates:
        for code, (order, sep, other) in _ORDERS.items():
            count = counts.get(f"note:{column}:order{code}")
            if count:
                layout = f"dd{sep}mm{sep}yyyy" if order == "day-first" else f"mm{sep}dd{sep}yyyy"
                other_order = "month-first" if order == "day-first" else "day-first"
                findings.append(
                    Finding(
                        kind="ambiguous dates",
                        column=column,
                        count=int(count),  # type: ignore[call-overload]
                        expected="a value such as 13/01 that shows whether the day or the month comes first",
                        effect=f"no value shows the order: read {order} ({layout}, the reading whose dates "
                        f"lie closest together); pass --datetime-format '{other}' to read them {other_order}",
                    )
                )
        dates = counts.get(f"note:{column}:date")
        if dates:
            findings.append(
                Finding(
                    kind="note",
                    column=column,
                    count=int(dates),  # type: ignore[call-overload]
                    effect="dates without a time of day, read as midnight: durations from them are whole days",
                )
            )
    return findings
