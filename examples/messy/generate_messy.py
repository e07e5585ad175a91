"""Build ``examples/messy/contacts.csv``: 400 ordinary contacts plus 10 awkward rows, the
example of the data-quality report (and the data of the tests' hand-checked figures).

Rows 1-400 are the first 400 rows of ``benchmarks/generate_contacts.py`` with seed 42 (all
values valid, timestamps ISO 8601 with ``Z``). Rows 401-410 are written out below, one per data
problem a loader or KPI must handle; ``examples/messy/README.md`` lists them. Row numbers are 1-based
data rows (the header is not counted). Run from anywhere::

    python examples/messy/generate_messy.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "benchmarks"))
from generate_contacts import COLUMNS, generate, to_text  # noqa: E402

SEED = 42
ROWS = 400

# An ordinary resolved email ticket; each awkward row below starts from it and changes a little.
# Empty columns (surveys, queue data...) are simply left out. Each row gets its own customer.
EMAIL = {
    "ticket_id": None, "created_at": "2025-03-12T09:30:00Z", "channel": "email",
    "vendor": "Acme BPO", "agent": "ACM-007", "team": "Billing", "priority": "normal",
    "status": "solved", "topic": "billing",
    "first_response_at": "2025-03-12T12:05:00Z", "resolved_at": "2025-03-13T10:40:00Z",
    "reopens": "0", "agent_replies": "2", "customer_contacts": "1", "transfers": "0",
    "escalated": "false",
}  # fmt: skip

AWKWARD = [
    # 401: duplicate ticket_id: same id as data row 17 (T0000017), different values
    {**EMAIL, "ticket_id": "T0000017", "created_at": "2025-08-04T14:20:00Z",
     "first_response_at": "2025-08-04T16:00:00Z", "resolved_at": "2025-08-05T09:00:00Z"},
    # 402: created_at that cannot be parsed (there is no 31 February)
    {**EMAIL, "ticket_id": "T0000402", "created_at": "31/02/2025 10:00"},
    # 403: naive created_at without offset (UTC by default; 2025-03-30 is the EU DST switch day)
    {**EMAIL, "ticket_id": "T0000403", "created_at": "2025-03-30 09:15:00",
     "first_response_at": "2025-03-30T11:15:00Z", "resolved_at": "2025-03-31T08:00:00Z"},
    # 404: created_at with a +05:30 offset: 2025-06-12T09:15:00Z, so first response after 2 h
    {**EMAIL, "ticket_id": "T0000404", "created_at": "2025-06-12T14:45:00+05:30",
     "first_response_at": "2025-06-12T11:15:00Z", "resolved_at": "2025-06-13T08:00:00Z"},
    # 405: negative first response: first_response_at 90 minutes before created_at
    {**EMAIL, "ticket_id": "T0000405", "created_at": "2025-04-02T10:00:00Z",
     "first_response_at": "2025-04-02T08:30:00Z", "resolved_at": "2025-04-02T15:00:00Z"},
    # 406: CSAT 7, off the declared 1-5 scale
    {**EMAIL, "ticket_id": "T0000406", "csat": "7"},
    # 407: NPS 11, off the 0-10 scale
    {**EMAIL, "ticket_id": "T0000407", "nps": "11"},
    # 408: empty vendor
    {**EMAIL, "ticket_id": "T0000408", "vendor": None},
    # 409: phone call abandoned after 3 s in the queue: a short abandon (threshold 5 s)
    {**EMAIL, "ticket_id": "T0000409", "channel": "phone", "agent": None, "status": "closed",
     "created_at": "2025-05-20T15:00:00Z", "first_response_at": None,
     "resolved_at": "2025-05-20T15:00:03Z", "agent_replies": "0", "answered_at": None,
     "abandoned": "true", "wait_seconds": "3"},
    # 410: email ticket still open: first response given, no resolved_at
    {**EMAIL, "ticket_id": "T0000410", "status": "open", "created_at": "2025-12-29T16:10:00Z",
     "first_response_at": "2025-12-30T09:00:00Z", "resolved_at": None},
]  # fmt: skip


def build() -> pl.DataFrame:
    # the same text as the generator's CSV output, read back as strings
    csv = to_text(generate(ROWS, seed=SEED)).write_csv(float_precision=2)
    ordinary = pl.read_csv(io.StringIO(csv), infer_schema=False)
    rows = [
        {**{c: row.get(c) for c in COLUMNS}, "customer_id": f"C900000{ROWS + i:03d}"}
        for i, row in enumerate(AWKWARD, start=1)
    ]
    awkward = pl.DataFrame(rows, schema=COLUMNS)
    return pl.concat([ordinary, awkward.cast(pl.String)])


if __name__ == "__main__":
    out = HERE / "contacts.csv"
    build().write_csv(out)
    print(f"wrote {out}")
