"""JSON and JSON Lines documents into tables of flat text records.

A JSON document holds its records in one of these shapes, tried in this order:

1. a shape a source preset knows (its ``prepare`` hook claims the document: side-loaded arrays,
   nesting to reduce to one record per contact);
2. a sync tool's envelope around each record (``loading.envelopes``), one table per stream;
3. one record in a wrapper (Help Scout API v1 ``{"item": {...}}``, ``{"ticket": {...}}``);
4. one record on its own: an object with an id of its own (Freshdesk's ``ticket_1.json``), whose
   nested arrays (attachments, participants) are its fields, never the records;
5. an array of records, bare or as the one array of objects of an envelope object
   (``{"tickets": [...]}``, ``{"total": 2, "results": [...]}``, ``{"records": [...]}``).
"""

from __future__ import annotations

import json
import re

import polars as pl

from supportkpi.errors import DataError
from supportkpi.loading import envelopes
from supportkpi.loading.tables import Table
from supportkpi.sources import prepare_document

# Wrappers of a single record: the object's only member, holding the record.
SINGLE_WRAPPERS = ("item", "ticket", "conversation", "case", "contact")
# A member naming the object's own id: "id", "Id", or a camelCase "...Id" (conversationId),
# but not a paging cursor's ("nextPageId", "scrollId").
_OWN_ID = re.compile(r"^(?:id|Id|ID|[a-z][a-zA-Z]*[a-z]Id)$")
_PAGING = re.compile(r"page|cursor|scroll|next|prev|request", re.IGNORECASE)


def json_tables(path: str, data: bytes, source: str | None = None) -> list[Table]:
    """The tables of a JSON document (one, or one per stream of an enveloped array)."""
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None
    if isinstance(doc, dict):
        records = prepare_document(doc, source)
        if records is not None:
            return [Table(frame(_objects(path, records)).lazy())]
        doc = records_of(path, doc)
    return _tables(path, _objects(path, doc), source)


def _objects(path: str, records: object) -> list[dict]:
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError(f"{path}: expected an array of objects (one per contact)")
    return records


def json_lines_tables(path: str, data: bytes, source: str | None = None) -> list[Table]:
    """The tables of a JSON Lines file: one object per line (or per message of a sync tool)."""
    records = []
    for number, line in enumerate(data.decode("utf-8", errors="strict").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise DataError(f"{path}: line {number}: not a JSON object ({exc})") from None
        if not isinstance(record, dict):
            raise DataError(f"{path}: line {number}: expected a JSON object, one per line")
        records.append(record)
    return _tables(path, records, source)


def _tables(path: str, records: list[dict], source: str | None) -> list[Table]:
    """One table, or one per stream of an envelope; a preset may claim the records (e.g. a bare
    array of nested conversations)."""
    unwrapped = envelopes.unwrap(path, records)
    if unwrapped is None:
        return [Table(frame(prepare_document(records, source) or records).lazy())]
    note = unwrapped.note()
    return [
        Table(frame(prepare_document(rows, source) or rows).lazy(), name=stream, notes=[note])
        for stream, rows in unwrapped.streams.items()
    ]


def raw_table(path: str, values: list) -> Table:
    """An Airbyte raw table read from a CSV: its ``_airbyte_data`` column, one JSON text per row."""
    rows = [envelopes.raw_data(path, number, value) for number, value in enumerate(values, start=1)]
    stream = envelopes.raw_stream(path)
    return Table(frame(rows).lazy(), name=stream, notes=[f"{envelopes.AIRBYTE_RAW} of stream {stream} unwrapped"])


def has_own_id(doc: dict) -> bool:
    """Whether an object is a record itself: it names its own id with a scalar value.

    >>> has_own_id({"id": 1, "attachments": [{"id": 7}]}), has_own_id({"total": 2, "results": []})
    (True, False)
    >>> has_own_id({"conversationId": "c1", "participants": []}), has_own_id({"nextPageId": 3})
    (True, False)
    """
    return any(
        _OWN_ID.match(k) and not _PAGING.search(k) and isinstance(v, (str, int)) and not isinstance(v, bool)
        for k, v in doc.items()
    )


def records_of(path: str, doc: dict) -> list:
    """The records of a JSON object no preset claimed (shapes 3 to 5 of the module's list)."""
    if len(doc) == 1:
        ((key, value),) = doc.items()
        if key in SINGLE_WRAPPERS and isinstance(value, dict):
            return [value]
    if has_own_id(doc):
        return [doc]
    arrays = [k for k, v in doc.items() if isinstance(v, list) and all(isinstance(r, dict) for r in v)]
    if len(arrays) != 1:
        raise DataError(
            f"{path}: expected an array of objects, an object holding one, or one record with its id; "
            "found keys " + ", ".join(doc)
        )
    return doc[arrays[0]]


def frame(records: list[dict]) -> pl.DataFrame:
    """Flattened records as a frame of text columns."""
    # Every field as text, so typing treats JSON like CSV: `"csat": true` is flagged rather than
    # read as 1, and 5 beside "5" in one field is no error.
    flat = [flatten(r) for r in records]
    names = list(dict.fromkeys(k for r in flat for k in r))
    if not names:
        return pl.DataFrame()
    return pl.from_dicts(flat, schema={n: pl.String for n in names})


def flatten(record: dict, prefix: str = "") -> dict:
    """Nested objects become dotted names; lists stay JSON text; scalars become text.

    >>> flatten({"id": 1, "via": {"channel": "web"}, "tags": ["a"], "spam": False})
    {'id': '1', 'via.channel': 'web', 'tags': '["a"]', 'spam': 'false'}
    """
    out: dict = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif value is None or isinstance(value, str):
            out[name] = value
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, (int, float)):
            out[name] = repr(value)
        else:
            out[name] = json.dumps(value)
    return out
