"""Durations as exports write them, for every ``*_seconds`` column: plain numbers (seconds, or the
column's declared unit), ``h:mm:ss``, ``mm:ss``, ``0.02.23``, a clock time Excel wrote for a
duration (``12:02:23 AM``, ``1900-01-01 00:02:23``), ISO 8601 (``PT1H2M3S``, ``P1DT2H``) and a
number with its unit (``90s``, ``15 min``, ``1.5 h``, ``250 ms``, ``2 days``).

A column's unit (``UNITS``: s, ms, min, h, d) applies to plain numbers only: a value that
states its own unit or is a clock is read as it says.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from supportkpi import batches

UNITS: dict[str, float] = {"s": 1.0, "ms": 0.001, "min": 60.0, "h": 3600.0, "d": 86400.0}
"""Seconds per unit, by the unit's name in ``--map column=Header:unit`` and kpi.yaml."""

_UNIT_WORDS = {
    "ms": ("ms", "msec", "msecs", "millisecond", "milliseconds"),
    "s": ("s", "sec", "secs", "second", "seconds"),
    "min": ("m", "min", "mins", "minute", "minutes"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "d": ("d", "day", "days"),
}
_WORD_SECONDS = {word: UNITS[unit] for unit, words in _UNIT_WORDS.items() for word in words}
_WITH_UNIT = r"^([+-]?\d+(?:[.,]\d+)?)\s*([A-Za-z]+)$"
# h:mm:ss, mm:ss, h.mm.ss (never mm.ss: that is a decimal number); Excel's clock for a duration
# (12:02:23 AM is 2 min 23 s) and pandas' datetime on Excel's day 0 (1900-01-01 00:02:23)
_CLOCK = (
    r"^(?:(?:1899-12-3[01]|1900-01-0[01])[ T])?"
    r"(?:(\d+):(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)|(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)|(\d+)\.(\d{2})\.(\d{2}))"
    r"(?:\s*([AaPp])\.?[Mm]\.?)?$"
)
_ISO = r"^[Pp](?:(\d+(?:[.,]\d+)?)[Dd])?(?:[Tt](?:(\d+(?:[.,]\d+)?)[Hh])?(?:(\d+(?:[.,]\d+)?)[Mm])?(?:(\d+(?:[.,]\d+)?)[Ss])?)?$"


def check_unit(unit: str, where: str) -> float:
    """Seconds per ``unit``; a ValueError naming ``where`` when it is not one of :data:`UNITS`."""
    if unit not in UNITS:
        raise ValueError(f"{where}: unknown unit '{unit}' (expected one of {', '.join(UNITS)})")
    return UNITS[unit]


def seconds(raw: pl.Expr, dtype: pl.DataType, unit: str = "s") -> pl.Expr:
    """A duration in seconds (null: empty or unparseable); plain numbers are in ``unit``.

    >>> s = pl.Series(["90", "1:02:03", "02:23", "0.02.23", "12:02:23 AM", "PT1H2M3S", "15 min",
    ...                "1.5 h", "1900-01-01 00:02:23", "soon", ""])
    >>> pl.select(seconds(pl.lit(s), pl.String)).to_series().to_list()
    [90.0, 3723.0, 143.0, 143.0, 143.0, 3723.0, 900.0, 5400.0, 143.0, None, None]
    >>> pl.select(seconds(pl.lit(pl.Series(["1.5", "30 s"])), pl.String, "min")).to_series().to_list()
    [90.0, 30.0]
    """
    factor = UNITS[unit]
    if dtype.is_numeric():
        value = raw.cast(pl.Float64)
        return pl.when(value.is_finite()).then(value * factor)
    if dtype == pl.Boolean:
        return pl.lit(None, pl.Float64)
    plain, written = split(raw, unit)
    return from_parts(plain, written)


def split(raw: pl.Expr, unit: str = "s") -> tuple[pl.Expr, pl.Expr]:
    """Text durations in two parts, the first step of reading them: plain numbers in seconds, and
    the text of the values written otherwise (a clock, ISO 8601, a unit). A loader keeps both as
    columns, so that :func:`from_parts`, which refers to them many times, keeps polars' plan small."""
    text = raw.cast(pl.String)
    direct = text.cast(pl.Float64, strict=False)
    rest = batches.unread(direct, text).str.strip_chars()
    plain = pl.coalesce(direct, rest.cast(pl.Float64, strict=False))
    written = pl.when(plain.is_null() & (rest.str.len_bytes() > 0)).then(rest)
    return plain * UNITS[unit], written


def from_parts(plain: pl.Expr, written: pl.Expr) -> pl.Expr:
    """The seconds of :func:`split`'s parts (null: empty or unparseable). The text is read only
    in the batches of rows that hold any (:func:`supportkpi.batches.where_given`): in most exports
    every value is a plain number, and reading the nulls left took more time than the numbers."""
    value = pl.coalesce(plain, batches.where_given(written, _written_seconds, pl.Float64))
    return pl.when(value.is_finite()).then(value)


def _written_seconds(written: pl.Series) -> pl.Series:
    # the groups as columns first: _from_groups refers to each many times
    parts = written.to_frame("written").select(
        *(g.alias(k) for k, g in zip(("unit", "clock", "iso"), _groups(pl.col("written")), strict=True))
    )
    return parts.select(
        _from_groups(pl.lit(None, pl.Float64), pl.col("unit"), pl.col("clock"), pl.col("iso"))
    ).to_series()


def _groups(written: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """The parts of the values :func:`split` left as text, read as a number with a unit, a clock
    and ISO 8601 (structs): a loader keeps them as columns, since :func:`_from_groups` refers to
    each many times (written as one expression, polars' plan grew to 26 KB a column)."""
    return written.str.extract_groups(_WITH_UNIT), written.str.extract_groups(_CLOCK), written.str.extract_groups(_ISO)


def _from_groups(plain: pl.Expr, with_unit: pl.Expr, clock: pl.Expr, iso: pl.Expr) -> pl.Expr:
    """The seconds from :func:`split`'s plain numbers and the :func:`_groups` of the rest."""
    value = pl.coalesce(plain, _with_unit(with_unit), _clock(clock), _iso(iso))
    return pl.when(value.is_finite()).then(value)


def _decimal(text: pl.Expr) -> pl.Expr:
    return text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)


def _with_unit(parts: pl.Expr) -> pl.Expr:
    amount = _decimal(parts.struct.field("1"))
    per = (
        parts.struct.field("2").str.to_lowercase().replace_strict(_WORD_SECONDS, default=None, return_dtype=pl.Float64)
    )
    return amount * per


def _clock(parts: pl.Expr) -> pl.Expr:
    field = [parts.struct.field(str(i)) for i in range(1, 10)]
    hours = pl.coalesce(field[0], pl.when(field[3].is_not_null()).then(pl.lit("0")), field[5]).cast(
        pl.Float64, strict=False
    )
    minutes = pl.coalesce(field[1], field[3], field[6]).cast(pl.Float64, strict=False)
    secs = _decimal(pl.coalesce(field[2], field[4], field[7]))
    half = field[8].str.to_uppercase()
    # an AM/PM clock: 12 AM is hour 0, 1 PM is hour 13
    hours = pl.when(half.is_null()).then(hours).when(half == "P").then(hours % 12 + 12).otherwise(hours % 12)
    valid = (minutes < 60) & (secs < 60) & (half.is_null() | ((hours >= 0) & (hours < 24)))
    return pl.when(valid).then(hours * 3600 + minutes * 60 + secs)


def _iso(parts: pl.Expr) -> pl.Expr:
    days, hours, minutes, secs = (_decimal(parts.struct.field(str(i))) for i in range(1, 5))
    given = pl.any_horizontal(p.is_not_null() for p in (days, hours, minutes, secs))
    total = days.fill_null(0) * 86400 + hours.fill_null(0) * 3600 + minutes.fill_null(0) * 60 + secs.fill_null(0)
    return pl.when(given).then(total)


def is_duration(column: str) -> bool:
    """Whether a canonical column is a duration in seconds (and so takes a unit)."""
    return column.endswith("_seconds")


def split_unit(header: str, names: Mapping[str, object] | set[str] | list[str]) -> tuple[str, str | None]:
    """``Header:unit`` -> (Header, unit) unless the whole text is a header of the file (then it
    is the header); a suffix that names no unit is part of the header.

    >>> split_unit("reply_time_in_minutes.calendar:min", ["reply_time_in_minutes.calendar"])
    ('reply_time_in_minutes.calendar', 'min')
    >>> split_unit("Talk:min", ["Talk:min", "Talk"]), split_unit("a:b", ["a"])
    (('Talk:min', None), ('a:b', None))
    """
    if header in names:
        return header, None
    base, sep, unit = header.rpartition(":")
    if sep and base and unit.strip() in UNITS:
        return base.strip(), unit.strip()
    return header, None
