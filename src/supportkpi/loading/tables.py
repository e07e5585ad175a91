"""Several tables of one source, joined on the ticket id into one row per ticket.

A sync tool lands a helpdesk as tables (Zendesk: ``tickets``, ``ticket_metrics``,
``satisfaction_ratings``): as streams of one file (``loading.envelopes``) or as files given
together on the command line. A preset declares the tables that add to its tickets
(``Source.tables``: a :class:`~supportkpi.sources._base.Companion` per table, with its join key
and the prefix its fields get); :func:`join` recognises them among the inputs, joins each onto
its source's tickets (a left join: a ticket and its metrics are one contact, and the tickets are
never counted twice) and says what it did in the input's notes. A companion table without its
tickets is a data error naming the table that is missing: metrics alone are no contacts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from supportkpi import sources as presets
from supportkpi.errors import DataError
from supportkpi.sources._base import Companion, Derived, Headers, Source
from supportkpi.words import word_key

_KEY = "__join_key"
_COMPANION = "__companion_"


@dataclass
class Table:
    """One table of an input file: the whole file, or one stream of a sync tool's file."""

    frame: pl.LazyFrame
    name: str | None = None
    """The sync tool's stream (None: a plain file, named by its file name)."""
    notes: list[str] = field(default_factory=list)


@dataclass
class Input:
    """A file as read: its tables, and the preset named for it (None: detect)."""

    path: str
    fmt: str
    source: str | None
    tables: list[Table]


@dataclass
class Joined:
    """A tickets table with its companions joined on: one input of the run."""

    path: str
    fmt: str
    source: str | None
    frame: pl.LazyFrame
    notes: list[str] = field(default_factory=list)


@dataclass(eq=False)
class _Entry:
    item: Input
    table: Table
    names: list[str]
    companions: list[tuple[Source, str, Companion]]
    owner: Source | None = None

    @property
    def label(self) -> str:
        return self.table.name or Path(self.item.path).name.split(".", 1)[0]

    def describe(self) -> str:
        where = f"stream '{self.table.name}' of " if self.table.name else ""
        return f"{where}{self.item.path}"


def join(inputs: Sequence[Input]) -> list[Joined]:
    """The inputs' tickets tables, each with its source's companion tables joined on, in the
    order of the inputs; companion tables are no inputs of their own."""
    entries = [
        _Entry(item, table, names, _companions(table, item, names))
        for item in inputs
        for table in item.tables
        for names in [table.frame.collect_schema().names()]
    ]
    mains: list[_Entry] = []
    for item in inputs:
        own = [e for e in entries if e.item is item]
        mains += _mains(item, [e for e in own if not e.companions], len(own))
    if any(e.companions for e in entries):
        for entry in mains:
            entry.owner = _owner(entry)
    joined = {id(e): Joined(e.item.path, e.item.fmt, e.item.source, e.table.frame, list(e.table.notes)) for e in mains}
    for companion in (e for e in entries if e.companions):
        source, name, spec, targets = _targets(companion, mains)
        unmatched = _unmatched(companion, spec, [(t, _ticket_key(t, source, name)) for t in targets])
        for target in targets:
            into = joined[id(target)]
            into.frame = _attach(into.frame, _ticket_key(target, source, name), companion, spec)
            note = f"joined {source.name} {name} ({companion.describe()}) by {spec.key}"
            if companion.item is target.item:
                note = f"joined {source.name} {name} by {spec.key}"
            if unmatched:
                note += f"; {unmatched:,} of its rows match no ticket and are left out"
            into.notes.append(note)
    return [joined[id(e)] for e in mains]


def _companions(table: Table, item: Input, names: list[str]) -> list[tuple[Source, str, Companion]]:
    """The companion tables of presets that this table is (none: it is no companion)."""
    if item.source == presets.CANONICAL:
        return []
    headers = Headers(names)
    label = word_key(table.name or Path(item.path).name.split(".", 1)[0])
    named = presets.get(item.source) if item.source else None
    candidates = [named] if named is not None else list(presets.sources().values())
    found = []
    for source in candidates:
        for name, spec in source.tables.items():
            if headers.find(spec.key) is None:
                continue
            present = [s for s in spec.signature if headers.find(s) is not None]
            others = [s for s in present if word_key(s) != word_key(spec.key)]
            by_name = any(label.startswith(word_key(n)) for n in (name, *spec.aliases))
            if len(present) == len(spec.signature) or (by_name and others):
                found.append((source, name, spec))
    return found


def _mains(item: Input, candidates: list[_Entry], tables: int) -> list[_Entry]:
    """The tickets tables among an input's tables that are no companions: all of a plain file;
    of a sync tool's streams, those named as a preset's tickets table, else those a preset
    recognises, else the only one."""
    if tables == 1 or len(candidates) <= 1:
        return candidates
    named = [presets.get(item.source)] if item.source else list(presets.sources().values())
    wanted = {word_key(s.table) for s in named if s is not None and s.table}
    chosen = [e for e in candidates if any(word_key(e.label).startswith(w) for w in wanted)]
    chosen = chosen or [e for e in candidates if _owner(e) is not None]
    if not chosen and tables > len(candidates):
        return []  # companion streams without their tickets: the join names the missing table
    if not chosen:
        streams = ", ".join(e.label for e in candidates)
        raise DataError(
            f"{item.path}: holds the streams {streams}, and no source preset reads any of them as "
            "tickets; split the file by stream, or pass --source NAME (see `supportkpi sources`)"
        )
    left = [e.label for e in candidates if e not in chosen]
    if left:
        chosen[0].table.notes.append(f"streams not read (not tickets): {', '.join(left)}")
    return chosen


def _owner(entry: _Entry) -> Source | None:
    """The preset that reads a tickets table: the one named for its file, else the detected one."""
    if entry.item.source:
        return presets.get(entry.item.source)
    try:
        return presets.detect(entry.names, entry.item.path).source
    except DataError:
        return None  # ambiguous: the loader reports it when it reads the table


def _targets(companion: _Entry, mains: list[_Entry]) -> tuple[Source, str, Companion, list[_Entry]]:
    """The tickets tables a companion joins onto: those of its source, in its own file first."""
    for source, name, spec in companion.companions:
        targets = [m for m in mains if m.owner is not None and m.owner.name == source.name]
        same_file = [m for m in targets if m.item is companion.item]
        if targets:
            return source, name, spec, same_file or targets
    source, name, spec = companion.companions[0]
    table = source.table or "tickets"
    raise DataError(
        f"{companion.describe()}: this is the {name} table of {source.name} ({spec.title}), one row per "
        f"ticket, not tickets; its {table} table is missing: give it too (e.g. `supportkpi compute "
        f"{table}.jsonl {companion.item.path}`)"
    )


def _ticket_key(entry: _Entry, source: Source, name: str) -> str:
    """The tickets table's header holding the ticket id, as the preset reads it."""
    spec = source.fields["ticket_id"]
    spellings = spec.sources if isinstance(spec, Derived) else spec.names
    found = Headers(entry.names).find(*spellings)
    if found is None:
        raise DataError(
            f"{entry.describe()}: cannot join {source.name}'s {name} table: no ticket id "
            f"({', '.join(spellings)}) in the tickets table"
        )
    return found


def _text_key(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _attach(main: pl.LazyFrame, main_key: str, companion: _Entry, spec: Companion) -> pl.LazyFrame:
    """``main`` with the companion's fields as ``<prefix>.<field>``, by ticket id; of several
    rows of one ticket the last (sync tools append a record again when it changes). A field the
    tickets already carry (Zendesk's inline ``satisfaction_rating.score``) takes the companion's
    value where it has one."""
    key = Headers(companion.names).find(spec.key)
    right = (
        companion.table.frame.with_columns(_text_key(key).alias(_KEY))  # type: ignore[arg-type]
        .filter(pl.col(_KEY).is_not_null())
        .unique(subset=[_KEY], keep="last", maintain_order=True)
    )
    have = set(main.collect_schema().names())
    renames = {}
    for name in companion.names:
        prefixed = f"{spec.prefix}.{name}"
        renames[name] = f"{_COMPANION}{prefixed}" if prefixed in have else prefixed
    clashes = [n for n in renames.values() if n.startswith(_COMPANION)]
    out = main.with_columns(_text_key(main_key).alias(_KEY)).join(
        right.rename(renames), on=_KEY, how="left", maintain_order="left"
    )
    merged = [
        pl.coalesce(pl.col(c).cast(pl.String), pl.col(c.removeprefix(_COMPANION)).cast(pl.String)).alias(
            c.removeprefix(_COMPANION)
        )
        for c in clashes
    ]
    return out.with_columns(merged).drop([_KEY, *clashes])


def _unmatched(companion: _Entry, spec: Companion, targets: list[tuple[_Entry, str]]) -> int:
    """Rows of the companion whose ticket is in none of the tickets tables (counted, as nothing
    is left out silently)."""
    key = Headers(companion.names).find(spec.key)
    keys = pl.concat([t.table.frame.select(_text_key(k).alias(_KEY)) for t, k in targets])
    rows = companion.table.frame.select(_text_key(key).alias(_KEY))  # type: ignore[arg-type]
    return int(rows.join(keys.unique(), on=_KEY, how="anti").select(pl.len()).collect().item())
