"""Typing of raw export values into the canonical dtypes, as polars expressions.

Every parser returns the parsed value (null where the raw value is empty or unparseable). The
caller marks rows where a non-empty raw value gave null as unparseable, keeping the raw value for
the report: polars' own ``strict=False`` would turn bad cells into nulls silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from supportkpi import batches
from supportkpi.loading import datetimes
from supportkpi.schema import Kind
from supportkpi.words import word_key_expr

_FAST_UTC = "%Y-%m-%dT%H:%M:%SZ"
_FAST = "%Y-%m-%dT%H:%M:%S%.f%#z"
_TRUE = ["true", "t", "yes", "y", "1", "1.0"]
_FALSE = ["false", "f", "no", "n", "0", "0.0"]


def blank_to_null(raw: pl.Expr) -> pl.Expr:
    """Strings trimmed; empty strings are missing values, not errors."""
    text = raw.str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text).otherwise(None)


def formats_of(fmt: str | Sequence[str] | None) -> tuple[str, ...]:
    """``--datetime-format`` as a tuple of formats: one, several, or none."""
    if fmt is None:
        return ()
    return (fmt,) if isinstance(fmt, str) else tuple(fmt)


def timestamp(
    raw: pl.Expr,
    dtype: pl.DataType,
    timezone: str,
    fmt: str | Sequence[str] | None,
) -> pl.Expr:
    """A UTC timestamp from text in any layout :mod:`supportkpi.loading.datetimes` reads (ISO
    8601 with ``Z``, offsets and naive values mixed in one column, day-first or month-first
    dates; naive values are wall-clock times in ``timezone``), the given formats (``fmt``: one or
    several strftime formats, tried first) included. (The loader runs the same reading in
    steps, :mod:`supportkpi.loading.typed`.)"""
    return timestamp_noted(raw, dtype, timezone, fmt)[0]


def timestamp_noted(
    raw: pl.Expr,
    dtype: pl.DataType,
    timezone: str,
    fmt: str | Sequence[str] | None,
) -> tuple[pl.Expr, pl.Expr | None]:
    """:func:`timestamp` and the notes of its values (:func:`supportkpi.loading.datetimes.read`;
    None for columns that are typed already)."""
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            return datetimes.localize(raw, timezone), None
        return raw.dt.convert_time_zone("UTC"), None
    if isinstance(dtype, pl.Date):
        return datetimes.localize(raw.cast(pl.Datetime("us")), timezone), None
    text = blank_to_null(raw.cast(pl.String))
    formats = formats_of(fmt)
    if formats:
        # the given formats first; values in other layouts in the same column are still read
        return datetimes.read(text, timezone, formats)
    # Only the values the fast path could not read go through the general layouts; the others
    # are null there, and nulls cost next to nothing.
    fast = fast_timestamp(text)
    value, note = datetimes.read(batches.unread(fast, text), timezone)
    return pl.coalesce(fast, value), note


def fast_timestamp(text: pl.Expr) -> pl.Expr:
    """ISO 8601 with a T and a zone (Z or an offset): what most exports write, read fast. The
    commonest form (whole seconds, ``Z``) first, which polars reads several times faster; only
    the rest goes through the format with fractions and offsets."""
    utc = text.str.to_datetime(_FAST_UTC, time_zone="UTC", strict=False, time_unit="us")
    rest = batches.unread(utc, text)
    return pl.coalesce(utc, rest.str.to_datetime(_FAST, time_zone="UTC", strict=False, time_unit="us"))


def number(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_numeric():
        value = raw.cast(pl.Float64)
        return pl.when(value.is_finite()).then(value)
    if dtype == pl.Boolean:
        return pl.lit(None, pl.Float64)  # true/false is not a number: reported
    text = raw.cast(pl.String)
    # most values read directly; only those that do not are trimmed and read again
    direct = text.cast(pl.Float64, strict=False)
    value = pl.coalesce(direct, blank_to_null(batches.unread(direct, text)).cast(pl.Float64, strict=False))
    return pl.when(value.is_finite()).then(value)  # "NaN" and "inf" are not measurements


def whole_number(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_integer():
        return raw.cast(pl.Int64)
    if dtype == pl.String:
        # "3" directly; "3.0" (and anything else) through the float reading
        direct = raw.cast(pl.Int64, strict=False)
        rest = number(batches.unread(direct, raw), dtype)
        whole = pl.when(rest == rest.round(0)).then(rest).cast(pl.Int64, strict=False)
        return pl.coalesce(direct, whole)
    value = number(raw, dtype)
    return pl.when(value == value.round(0)).then(value).otherwise(None).cast(pl.Int64, strict=False)


def boolean(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Boolean:
        return raw
    if dtype.is_numeric():
        return pl.when(raw == 1).then(True).when(raw == 0).then(False).otherwise(None)
    text = raw.cast(pl.String)
    # "true"/"false" as most exports write them, directly; other spellings looked up
    exact = pl.when(text == "true").then(True).when(text == "false").then(False)
    other = blank_to_null(batches.unread(exact, text)).str.to_lowercase()
    looked_up = pl.when(other.is_in(_TRUE)).then(True).when(other.is_in(_FALSE)).then(False)
    return pl.coalesce(exact, looked_up).cast(pl.Boolean)


def string(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    return blank_to_null(raw.cast(pl.String))


def vocabulary(raw: pl.Expr, lookup: Mapping[str, str]) -> pl.Expr:
    """A vocabulary column (channel, priority, status) as a struct of ``value`` (the canonical
    word, null when the text is none of ``lookup``'s words) and ``invalid`` (the trimmed text
    that is none). ``lookup`` maps words compared by :func:`supportkpi.words.word_key` (case,
    spaces and punctuation ignored) to canonical words. Values written as a canonical word, as
    most are, are taken as they are; only the others are reduced to their key (several times
    faster than doing so for every value).

    >>> s = pl.Series(["email", "E-Mail", " Live chat ", "fax", "", None])
    >>> table = {"email": "email", "chat": "chat", "livechat": "chat"}
    >>> pl.select(vocabulary(pl.lit(s), table).alias("v")).unnest("v").rows()
    [('email', None), ('email', None), ('chat', None), (None, 'fax'), (None, None), (None, None)]
    """
    canonical = sorted(set(lookup.values()))

    def as_is(batch: pl.Series) -> pl.Series | None:
        # most batches hold canonical words only: taken as they are, with nothing invalid
        if not (batch.is_in(canonical) | batch.is_null()).all():
            return None
        return batch.to_frame("value").with_columns(pl.lit(None, pl.String).alias("invalid")).to_struct(batch.name)

    # the few distinct other words are each reduced to their key once (word_key's Unicode and
    # pattern work, done for a million values, cost more than reading them)
    return batches.by_distinct(
        raw.cast(pl.String), lambda text: _vocabulary_reading(text, lookup, canonical), VOCABULARY_READING, as_is
    )


VOCABULARY_READING = pl.Struct({"value": pl.String, "invalid": pl.String})


def _vocabulary_reading(raw: pl.Expr, lookup: Mapping[str, str], canonical: list[str]) -> pl.Expr:
    exact = raw.is_in(canonical)
    text = blank_to_null(pl.when(~exact & raw.is_not_null()).then(raw))
    key = word_key_expr(text)
    word = key.replace_strict(dict(lookup), default=None, return_dtype=pl.String)
    return pl.struct(
        pl.when(exact).then(raw).otherwise(word).alias("value"),
        pl.when(word.is_null()).then(text).alias("invalid"),
    )


def parse(
    kind: Kind,
    raw: pl.Expr,
    dtype: pl.DataType,
    timezone: str,
    datetime_format: str | Sequence[str] | None,
) -> pl.Expr:
    if kind is Kind.DATETIME:
        return timestamp(raw, dtype, timezone, datetime_format)
    if kind is Kind.FLOAT:
        return number(raw, dtype)
    if kind is Kind.INT:
        return whole_number(raw, dtype)
    if kind is Kind.BOOL:
        return boolean(raw, dtype)
    return string(raw, dtype)


def raw_text(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """The raw value as non-empty text, or null: what counts as "a value was given"."""
    if dtype == pl.String:
        return blank_to_null(raw)
    return raw.cast(pl.String)
