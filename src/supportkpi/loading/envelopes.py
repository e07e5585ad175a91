"""Sync tools' envelopes around the records they copy, recognised and taken off.

What a Zendesk, Freshdesk or Intercom user often has is not the API's response but what a sync
tool wrote. Four shapes are recognised, from the first records of a file:

* Airbyte record lines, as its local JSON destination and its connectors' test fixtures write
  them: ``{"stream": "tickets", "data": {...}, "emitted_at": 1720179640459}``;
* Airbyte protocol messages, as a source connector prints them:
  ``{"type": "RECORD", "record": {"stream": ..., "data": {...}, "emitted_at": ...}}``, besides
  ``STATE``, ``LOG``, ``TRACE`` and other messages, which are skipped;
* Singer messages (Stitch, Meltano taps): ``{"type": "RECORD", "stream": ..., "record": {...}}``,
  besides ``SCHEMA``, ``STATE`` and ``ACTIVATE_VERSION`` messages, which are skipped;
* Airbyte raw tables, as destinations land them: a column ``_airbyte_data`` holding the record
  (as a JSON object, or as JSON text in a CSV) beside ``_airbyte_raw_id``/``_airbyte_ab_id`` and
  the extraction time. A raw table holds one stream; its name comes from the file name
  (``_airbyte_raw_tickets.csv``, ``zendesk_raw__stream_tickets.csv``).

:func:`unwrap` returns the records of each stream and a note telling the user what was done;
:func:`kind_of` only names the envelope, for a probe that looks at a file once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from supportkpi.errors import DataError

AIRBYTE = "Airbyte records"
AIRBYTE_MESSAGES = "Airbyte protocol messages"
SINGER = "Singer messages"
AIRBYTE_RAW = "Airbyte raw table"
RAW_DATA = "_airbyte_data"

_AIRBYTE_TYPES = frozenset({"RECORD", "STATE", "LOG", "TRACE", "SPEC", "CATALOG", "CONNECTION_STATUS", "CONTROL"})
_SINGER_TYPES = frozenset({"RECORD", "SCHEMA", "STATE", "ACTIVATE_VERSION", "BATCH"})
# the first records looked at to recognise an envelope (Singer streams start with SCHEMA lines)
_LOOK_AHEAD = 20


@dataclass
class Unwrapped:
    """The records of each stream, in the order the streams first appear, and what was skipped."""

    kind: str
    streams: dict[str, list[dict]]
    skipped: dict[str, int] = field(default_factory=dict)

    def note(self) -> str:
        """What was done, for the user: ``Airbyte records of streams tickets, ticket_metrics
        unwrapped``."""
        names = ", ".join(self.streams)
        what = f"{self.kind} of stream{'s' if len(self.streams) > 1 else ''} {names} unwrapped"
        if self.skipped:
            what += " (skipped: " + ", ".join(f"{n} {t}" for t, n in self.skipped.items()) + ")"
        return what


def _airbyte_record(record: dict) -> bool:
    return isinstance(record.get("stream"), str) and isinstance(record.get("data"), dict) and "emitted_at" in record


def _message_kind(record: dict) -> str | None:
    """Which message family a ``{"type": "RECORD", ...}`` line belongs to (None: not a record)."""
    if record.get("type") != "RECORD":
        return None
    if isinstance(record.get("record"), dict) and isinstance(record["record"].get("data"), dict):
        return AIRBYTE_MESSAGES
    if isinstance(record.get("stream"), str) and isinstance(record.get("record"), dict):
        return SINGER
    return None


def _is_message(record: dict) -> bool:
    kind = record.get("type")
    return isinstance(kind, str) and (kind in _AIRBYTE_TYPES or kind in _SINGER_TYPES)


def kind_of(records: Iterable[dict]) -> str | None:
    """The envelope of these records (the first ones decide), or None for plain records.

    >>> kind_of([{"stream": "tickets", "data": {"id": 1}, "emitted_at": 1}])
    'Airbyte records'
    >>> kind_of([{"type": "SCHEMA", "stream": "t", "schema": {}}, {"type": "RECORD", "stream": "t", "record": {}}])
    'Singer messages'
    >>> kind_of([{"id": 1, "status": "open"}]) is None
    True
    """
    for number, record in enumerate(records):
        if number >= _LOOK_AHEAD or not isinstance(record, dict):
            return None
        if _airbyte_record(record):
            return AIRBYTE
        if RAW_DATA in record:
            return AIRBYTE_RAW
        found = _message_kind(record)
        if found is not None:
            return found
        if not _is_message(record):
            return None
    return None


def unwrap(path: str, records: Sequence[dict]) -> Unwrapped | None:
    """The records inside an envelope, by stream; None when the records wear none."""
    kind = kind_of(records)
    if kind is None:
        return None
    out = Unwrapped(kind, {})
    for number, record in enumerate(records, start=1):
        stream, data = _open(path, number, kind, record)
        if data is None:
            skipped = str(record.get("type", "other")) if isinstance(record, dict) else "other"
            out.skipped[skipped] = out.skipped.get(skipped, 0) + 1
            continue
        out.streams.setdefault(stream, []).append(data)
    if not out.streams:
        raise DataError(f"{path}: {kind} without a single RECORD message; nothing to read")
    return out


def _open(path: str, number: int, kind: str, record: object) -> tuple[str, dict | None]:
    """The stream and data of one enveloped record; data None for a message that is no record."""
    if not isinstance(record, dict):
        raise DataError(f"{path}: line {number}: expected a JSON object ({kind})")
    if kind == AIRBYTE_RAW:
        return raw_stream(path), raw_data(path, number, record.get(RAW_DATA))
    if kind == AIRBYTE and _airbyte_record(record):
        return record["stream"], record["data"]
    if kind in (AIRBYTE_MESSAGES, SINGER):
        found = _message_kind(record)
        if found == kind:
            inner = record["record"]
            return (inner["stream"], inner["data"]) if kind == AIRBYTE_MESSAGES else (record["stream"], inner)
        if found is None and _is_message(record) and record.get("type") != "RECORD":
            return "", None
    raise DataError(f"{path}: line {number}: not one of the {kind} of the lines before it")


def raw_data(path: str, number: int, value: object) -> dict:
    """The record of one raw-table row: a JSON object, or JSON text holding one."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise DataError(f"{path}: row {number}: column {RAW_DATA} is not JSON ({exc})") from None
    if not isinstance(value, dict):
        raise DataError(f"{path}: row {number}: column {RAW_DATA} holds no JSON object")
    return value


def raw_stream(path: str) -> str:
    """The stream a raw table holds, from its file name.

    >>> raw_stream("exports/_airbyte_raw_tickets.csv"), raw_stream("zendesk_raw__stream_ticket_metrics.jsonl")
    ('tickets', 'ticket_metrics')
    """
    stem = Path(path).name.split(".", 1)[0]
    return re.sub(r"^(?:.*_raw__stream_|_?airbyte_raw_)", "", stem) or stem
