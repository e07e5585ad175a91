"""What a source preset is: a declarative map from one helpdesk's export onto the canonical
columns, with the value conversions that export needs. Presets translate; they compute nothing.

A preset lists, per canonical column, the export field it comes from and, where the export's
values are not already canonical text (ISO timestamps, numbers, true/false), a *converter*:
a function from the raw text to ``(value, ok)``. ``ok`` is false where the raw value was not
understood; the loader then reports it (file, row, column, value) instead of dropping it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from supportkpi.schema import invalid_flag, left_out_flag, sentiment_word
from supportkpi.words import word_key, word_key_expr

Converter = Callable[[pl.Expr], tuple[pl.Expr, pl.Expr]]


class Headers:
    """The headers of one file, looked up by their :func:`supportkpi.words.word_key` (case,
    spaces, underscores, dots and other punctuation ignored: ``Call id`` is ``Call Id``, and a
    nested ``via.channel`` is the ``via_channel`` a sync tool flattens it to). An exact match
    wins over a near one; of two near ones, the first in the file.

    >>> Headers(["Call id", "via_channel"]).find("Call Id"), Headers(["via_channel"]).find("via.channel")
    ('Call id', 'via_channel')
    """

    def __init__(self, columns: list[str]) -> None:
        self.exact = set(columns)
        self.by_key: dict[str, str] = {}
        for column in columns:
            self.by_key.setdefault(word_key(column), column)

    def find(self, *names: str) -> str | None:
        """The file's header for the first of ``names`` it has, or None."""
        for name in names:
            if name in self.exact:
                return name
            found = self.by_key.get(word_key(name))
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class Field:
    """A canonical column taken from one export field, converted if need be. ``source`` may
    name alternatives (the spellings of one field in different copies of an export): the first
    the file has is read."""

    source: str | tuple[str, ...]
    convert: Converter | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source


@dataclass(frozen=True)
class Derived:
    """A canonical column computed from several export fields (e.g. "answered" from an agent
    timestamp). ``build`` receives ``col(name)``, which is null for a field the file lacks.
    Derived values are not checked for unparseable input: each source field is."""

    sources: tuple[str, ...]
    build: Callable[[Callable[[str], pl.Expr]], pl.Expr]


@dataclass(frozen=True)
class LeaveOut:
    """A rule that leaves rows out of every KPI for a stated reason (a deleted ticket, an
    outbound conversation in an inbound report): ``when`` receives ``col(name)`` (null for a
    field the file lacks) and is true for the rows to leave out. The rule applies when the file
    has one of ``sources``; the rows are counted and reported with ``reason``."""

    reason: str
    sources: tuple[str, ...]
    when: Callable[[Callable[[str], pl.Expr]], pl.Expr]


@dataclass(frozen=True)
class Companion:
    """A table that adds to a source's tickets, one row per ticket, joined on the ticket id
    (Zendesk's ``ticket_metrics``, its ``satisfaction_ratings``). Its fields read as
    ``<prefix>.<field>`` on the ticket, as they do where the API side-loads them.

    A table is recognised as this one by its name (the sync tool's stream, or the file name:
    the table's name or one of ``aliases``) with one of the ``signature`` fields, or by the whole
    ``signature`` alone; in both cases it must hold ``key``."""

    key: str
    """The table's field holding the ticket id."""
    prefix: str
    signature: frozenset[str]
    title: str
    """What the table holds, for messages ("Zendesk ticket metrics")."""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    docs: str
    """Where the export's fields are documented."""
    fields: Mapping[str, Field | Derived]
    signature: frozenset[str]
    """Export fields that identify this export (used by detection)."""
    needs_one_of: frozenset[str] = frozenset()
    """A file without any of these fields is never detected as this export: the marker of a
    sync tool's landed table (``_fivetran_synced``), whose other columns look like the API's
    flattened fields."""
    prepare: Callable[[Any], list[dict] | None] | None = None
    """For JSON object documents (side-loaded arrays, nesting to reduce to one record per
    contact): the records to read, or None when the document is not of this source's shape."""
    notes: str = ""
    leave_out: tuple[LeaveOut, ...] = ()
    """Rows left out of every KPI, each rule with its reason (the first rule that matches a
    row names its reason)."""
    latest: tuple[str, ...] = ()
    """The export's update-time field (spellings): when a record is delivered again under the
    same id, the version with the latest update time is kept and the others are counted as
    replaced (:func:`supportkpi.dedupe.keep_latest`), not as duplicates."""
    variants: tuple[frozenset[str], ...] = ()
    """Signatures of other layouts of the same export (an older API version, a tree export):
    detection scores the best of ``signature`` and these."""
    optional: frozenset[str] = frozenset()
    """Required canonical columns that some layouts of this export lack (a Salesforce tree
    export has no ``CreatedDate``): the file is read without them, with a note, when it has
    its ticket ids."""
    table: str = ""
    """The name of the tickets table, as sync tools name its stream (``tickets``)."""
    tables: Mapping[str, Companion] = field(default_factory=dict)
    """Companion tables by name, joined onto the tickets by the loader (``loading.tables``)."""
    canonical_table: str = "contacts"
    """The canonical table the export's rows become (``schema.TABLES``): ``contacts``, or
    ``mentions`` for review and social listening exports."""

    @property
    def provides(self) -> tuple[str, ...]:
        return tuple(self.fields)

    def score(self, columns: set[str]) -> float:
        """Share of the signature fields present (headers matched as :func:`supportkpi.words.word_key` says),
        the best of the signature and its variants: 1.0 is a sure match."""
        keys = {word_key(c) for c in columns}
        if self.needs_one_of and not keys & {word_key(n) for n in self.needs_one_of}:
            return 0.0
        shares = [sum(word_key(s) in keys for s in sig) / len(sig) for sig in (self.signature, *self.variants) if sig]
        return max(shares, default=0.0)


# --- converters -------------------------------------------------------------------------------


def _text(raw: pl.Expr) -> pl.Expr:
    text = raw.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def vocabulary(mapping: Mapping[str, Any]) -> Converter:
    """Map known values, compared as :func:`supportkpi.words.word_key` does (case, spaces and
    punctuation ignored: ``In Progress`` = ``in_progress``); a value mapped to None is known but
    empty (e.g. Zendesk's "offered": a survey sent, no answer). Unknown values are flagged."""
    lowered = {word_key(str(k)): v for k, v in mapping.items()}
    values = [v for v in lowered.values() if v is not None]
    dtype = (
        pl.String
        if not values or isinstance(values[0], str)
        else (pl.Boolean if isinstance(values[0], bool) else pl.Float64)
    )

    def convert(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
        text = _text(raw)
        key = word_key_expr(text)
        value = key.replace_strict(lowered, default=None, return_dtype=dtype)
        return value, text.is_null() | key.is_in(list(lowered))

    return convert


def _scaled(factor: float) -> Converter:
    @_numeric
    def convert(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
        text = _text(raw)
        number = text.cast(pl.Float64, strict=False)
        value = pl.when(number.is_finite()).then(number * factor)
        return value, text.is_null() | value.is_not_null()

    return convert


_NUMERIC: set[Converter] = set()
"""Converters of numbers: :func:`apply` reads a decimal comma before them."""


def _numeric(convert: Converter) -> Converter:
    _NUMERIC.add(convert)
    return convert


seconds = _scaled(1.0)
minutes = _scaled(60.0)
hours = _scaled(3600.0)
milliseconds = _scaled(0.001)


def clock_duration(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """ "HH:MM:SS", "H:MM:SS" or "MM:SS" (also more than 24 hours) to seconds."""
    text = _text(raw)
    parts = text.str.extract_groups(r"^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$")
    h = parts.struct.field("1").cast(pl.Float64, strict=False).fill_null(0)
    m = parts.struct.field("2").cast(pl.Float64, strict=False)
    s = parts.struct.field("3").cast(pl.Float64, strict=False)
    value = h * 3600 + m * 60 + s
    return value, text.is_null() | value.is_not_null()


def _epoch(unit: str) -> Converter:
    def convert(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
        text = _text(raw)
        number = text.cast(pl.Float64, strict=False)
        scale = {"s": 1_000_000, "ms": 1_000, "us": 1}[unit]
        value = (
            pl.when(number.is_finite())
            .then((number * scale).round(0).cast(pl.Int64))
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("UTC")
        )
        return value, text.is_null() | value.is_not_null()

    return convert


epoch_seconds = _epoch("s")
epoch_millis = _epoch("ms")
epoch_micros = _epoch("us")


def timestamp(fmt: str) -> Converter:
    """Text in a fixed strftime format, rewritten as naive ISO 8601 text for the loader's typing
    (local time, the loader's --tz; an offset when the format has %z). A value the format does
    not read goes through as it is: the loader reads it in any layout it knows, with the user's
    --datetime-format first, and reports it with its text if it cannot."""

    def convert(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
        text = _text(raw)
        aware = "%z" in fmt or "%:z" in fmt or "%#z" in fmt
        value = text.str.to_datetime(fmt, strict=False, time_unit="us")
        iso = value.dt.strftime("%Y-%m-%dT%H:%M:%S%.f%:z" if aware else "%Y-%m-%dT%H:%M:%S%.f")
        return pl.coalesce(iso, text), pl.lit(True)

    return convert


def sentiment_scale(low: float, high: float) -> Converter:
    """A sentiment score on the tool's own scale from ``low`` to ``high`` (Talkwalker: -5 to 5)
    read as its word, the scale brought onto the data model's [-1, 1] first so that its
    threshold applies (``SENTIMENT_THRESHOLD`` of the half-range around the middle). A word
    (positive, neutral, negative) goes through as written; a number outside the scale or
    other text is flagged.

    >>> frame = pl.DataFrame({"s": ["-5", "0", "5", "0.1", "neutral", "7", None]})
    >>> value, ok = sentiment_scale(-5, 5)(pl.col("s"))
    >>> frame.select(value, ok.alias("ok")).rows()  # doctest: +NORMALIZE_WHITESPACE
    [('negative', True), ('neutral', True), ('positive', True), ('neutral', True),
     ('neutral', True), ('7', False), (None, True)]
    """
    middle, half = (low + high) / 2, (high - low) / 2

    def convert(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
        text = _text(raw)
        score = (text.cast(pl.Float64, strict=False) - middle) / half
        on_scale = score.is_finite() & score.is_between(-1.0, 1.0)
        is_word = text.str.to_lowercase().is_in(["positive", "neutral", "negative"])
        return pl.when(on_scale).then(sentiment_word(score)).otherwise(text), text.is_null() | on_scale | is_word

    return convert


_DAY_ZERO = r"^(?:1899-12-3[01]|1900-01-0[01])[ T]"


def time_of_day_text(raw: pl.Expr) -> pl.Expr:
    """A time-of-day column as text the loader's timestamp parser reads after a date: an Excel
    day fraction (``0.38400462962963`` -> ``9:12:58``) or a time on Excel's day 0 as pandas
    writes it (``1900-01-01 09:12:58`` -> ``09:12:58``); other text as it is.

    >>> s = pl.Series(["0.38400462962963", "1900-01-01 09:12:58", "9.12.58", "", None])
    >>> pl.select(time_of_day_text(pl.lit(s))).to_series().to_list()
    ['9:12:58', '09:12:58', '9.12.58', None, None]
    """
    text = _text(raw)
    fraction = text.cast(pl.Float64, strict=False)
    seconds = (fraction * 86400).round(0).cast(pl.Int64)
    clock = pl.format(
        "{}:{}:{}",
        seconds // 3600,
        (seconds % 3600 // 60).cast(pl.String).str.zfill(2),
        (seconds % 60).cast(pl.String).str.zfill(2),
    )
    in_day = (fraction >= 0) & (fraction < 1)
    return pl.when(in_day).then(clock).otherwise(text.str.replace(_DAY_ZERO, ""))


def apply(
    source: Source,
    frame: pl.LazyFrame,
    columns: list[str],
    keep: list[str],
    extra: Mapping[str, str] | None = None,
    decimal_comma: bool = False,
    values: Mapping[str, Mapping[str, str | None]] | None = None,
) -> pl.LazyFrame:
    """The export frame translated into canonical columns (plus the ``keep`` columns and
    ``extra`` export fields under new names), with ``_invalid_<column>`` holding the raw value
    where a converter did not understand it. ``values`` (kpi.yaml: an export's words -> canonical
    values, as text) win over the preset's own conversion of a column."""
    headers = Headers(columns)

    def col(name: str) -> pl.Expr:
        found = headers.find(name)
        return pl.col(found) if found is not None else pl.lit(None, pl.String)

    out: list[pl.Expr] = [pl.col(k) for k in keep]
    out += [pl.col(field).alias(name) for name, field in (extra or {}).items()]
    flags: list[pl.Expr] = []
    for canonical, spec in source.fields.items():
        if isinstance(spec, Derived):
            if headers.find(*spec.sources) is not None:
                out.append(spec.build(col).alias(canonical))
            continue
        header = headers.find(*spec.names)
        if header is None:
            continue
        raw = pl.col(header)
        if spec.convert is None:
            out.append(raw.alias(canonical))
            continue
        if decimal_comma and spec.convert in _NUMERIC:
            raw = raw.cast(pl.String).str.replace(",", ".", literal=True)
        value, ok = spec.convert(raw)
        table = (values or {}).get(canonical)
        if table:
            # the user's words win; the column stays text for the loader's typing to read
            key = word_key_expr(_text(raw))
            hit = key.is_in(list(table))
            mapped = key.replace_strict(dict(table), default=None, return_dtype=pl.String)
            value = pl.when(hit).then(mapped).otherwise(value.cast(pl.String))
            ok = ok | hit
        out.append(value.alias(canonical))
        flags.append(pl.when(~ok).then(_text(raw)).alias(invalid_flag(canonical)))
    return frame.select(*out, *flags, *left_out(source, headers, col))


def left_out(source: Source, headers: Headers, col: Callable[[str], pl.Expr]) -> list[pl.Expr]:
    """The ``_left_out:<reason>`` flags of the preset's rules that apply to this file; a row
    is flagged for the first rule that matches it."""
    flags: list[pl.Expr] = []
    earlier: pl.Expr = pl.lit(False)
    for rule in source.leave_out:
        if headers.find(*rule.sources) is None:
            continue
        hit = rule.when(col).fill_null(False)
        flags.append((hit & ~earlier).alias(left_out_flag(rule.reason)))
        earlier = earlier | hit
    return flags


@dataclass
class Detection:
    source: Source | None
    confidence: float
    candidates: list[tuple[str, float]] = field(default_factory=list)
