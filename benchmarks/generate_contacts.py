"""Generate synthetic canonical contacts for benchmarks and examples.

Every row is one contact with all columns of the ``contacts`` table in ``docs/data-model.md``
(same names, same order). The data is deterministic: rows are built in fixed blocks of 65,536,
each from its own numpy generator seeded with ``(seed, block)``, so a row depends only on the
seed and its position. ``generate(n, start_row=k)`` therefore equals rows ``k..k+n`` of any
larger run, and chunked output is identical whatever the chunk size.

What the rows look like (all values valid; ``examples/messy/generate_messy.py`` adds awkward ones):

* ``created_at`` spread over 2025 (fewer contacts at weekends and at night, busier Nov-Dec).
* email/web/social (~53%) are tickets: first response in hours, resolution in hours to days;
  their queue columns (``answered_at``, ``abandoned``, ``wait_seconds``...) are empty.
* phone/chat (~47%) are queued: ``answered_at = created_at + wait_seconds`` is also the first
  response; ~7% of them are abandoned (no answer, agent, handle times or survey; ``status``
  closed and ``resolved_at`` when the customer left); a few abandons wait under 5 s.
  ``hold_seconds`` is 0 for chat. Most calls and chats are resolved during the contact.
* ~8% of the contacts that were not abandoned are unresolved (``status`` new/open/pending, no
  ``resolved_at``); ``new`` ones have no first response and no agent yet. So
  ``first_response_at`` is empty for ~4% of all rows (abandoned or new).
* csat for ~25% of the resolved contacts, nps ~15%, ces ~10%, qa_score ~10% of handled ones.
* ``converted`` only for phone calls on the ``sales`` topic (~20% of calls; false when
  abandoned), ``order_value`` when converted.
* ``first_response_seconds`` and ``resolution_seconds`` are left empty: this source gives
  timestamps (sources give one form or the other).

Library use (other benchmark scripts)::

    from generate_contacts import generate, to_text
    df = generate(1_000_000)  # canonical dtypes: datetime[us, UTC], String, Int64, Float64, Boolean
    to_text(df).write_csv(path, float_precision=2)  # what the CLI writes

CLI::

    python benchmarks/generate_contacts.py N OUT [--format csv|parquet] [--seed 42]
        [--chunk-rows 5000000] [--mixed-offsets]

CSV is written chunk by chunk into one file (header once), timestamps as ISO 8601 with ``Z``;
``--mixed-offsets`` writes each row's timestamps with ``Z``, ``+02:00`` or ``-05:00`` (same
instants). Parquet is written as one file per chunk into the directory OUT, typed, timestamps UTC.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

BLOCK = 1 << 16
YEAR_START = 1_735_689_600  # 2025-01-01T00:00:00Z; a Wednesday
HOUR, DAY = 3600, 86400

CHANNELS = ["email", "chat", "phone", "web", "social"]
EMAIL, CHAT, PHONE, WEB, SOCIAL = range(5)
VENDORS = ["Acme BPO", "Northwind Support", "Contoso Care", "Fabrikam Helpdesk"]
VENDOR_CODES = ["ACM", "NWS", "CON", "FAB"]  # agents are e.g. "ACM-017"
AGENTS = 40  # per vendor
AGENT_NAMES = [f"{code}-{k:03d}" for code in VENDOR_CODES for k in range(1, AGENTS + 1)]
PRIORITIES = ["low", "normal", "high", "urgent"]
PRIORITY_SPEED = np.array([1.5, 1.0, 0.6, 0.3])  # multiplies response and resolution times
STATUSES = ["new", "open", "pending", "solved", "closed"]
NEW, OPEN, PENDING, SOLVED, CLOSED = range(5)
TOPICS = ["billing", "technical", "account", "shipping", "returns", "sales"]
SALES = 5  # only phone calls: ~20% of them, the ones with `converted`
TEAMS = ["Billing", "Tech Support", "Accounts", "Logistics", "Logistics", "Sales"]  # by topic
REPEAT_SHARE = 0.25  # contacts by a customer who also made a contact some rows earlier
# median first response by channel; chat and phone respond when the agent answers
FIRST_RESPONSE_MEDIAN = np.array([4 * HOUR, 0, 0, 5 * HOUR, 1 * HOUR])

TIMESTAMPS = ["created_at", "first_response_at", "resolved_at", "answered_at"]
COLUMNS = [
    "ticket_id", "created_at", "channel", "vendor", "agent", "team", "priority", "status",
    "customer_id", "topic", "first_response_at", "resolved_at", "first_response_seconds",
    "resolution_seconds", "reopens", "agent_replies", "customer_contacts", "transfers",
    "escalated", "csat", "nps", "ces", "qa_score", "answered_at", "abandoned", "wait_seconds",
    "talk_seconds", "hold_seconds", "acw_seconds", "converted", "order_value",
]  # fmt: skip
OFFSETS = [("Z", 0), ("+02:00", 120), ("-05:00", -300)]
# float columns (as in the data model) that hold whole numbers here: written without decimals
WHOLE = [
    "csat", "nps", "ces", "qa_score", "wait_seconds", "talk_seconds", "hold_seconds", "acw_seconds",
]  # fmt: skip


def _table(shares) -> np.ndarray:
    """Lookup table for fast categorical draws (much faster than ``rng.choice(p=...)``)."""
    cdf = np.cumsum(shares) / np.sum(shares)
    return np.searchsorted(cdf, (np.arange(1 << 14) + 0.5) / (1 << 14))


def _draw(rng: np.random.Generator, table: np.ndarray, n: int) -> np.ndarray:
    return table[rng.integers(0, len(table), n)]


def _day_shares() -> np.ndarray:
    day = np.arange(365)
    weekday = (day + 2) % 7  # Monday = 0; 2025-01-01 is a Wednesday
    w = np.where(weekday == 5, 0.5, np.where(weekday == 6, 0.4, 1.0))
    return w * np.linspace(0.9, 1.1, 365) * np.where(day >= 304, 1.2, 1.0)  # growth, Nov-Dec peak


P_CHANNEL = _table([0.40, 0.22, 0.25, 0.08, 0.05])
P_DAY = _table(_day_shares())
P_HOUR = _table([1, 1, 1, 1, 1, 2, 4, 7, 10, 12, 12, 11, 10, 11, 12, 11, 10, 8, 6, 5, 4, 3, 2, 1.5])
P_VENDOR = _table([0.35, 0.30, 0.25, 0.10])
P_PRIORITY = _table([0.20, 0.55, 0.20, 0.05])
P_TOPIC = _table([0.25, 0.30, 0.15, 0.18, 0.12])  # sales is set separately
P_OPEN_STATUS = _table([0.2, 0.45, 0.35]) + NEW  # new / open / pending
P_REOPENS = _table([0.88, 0.09, 0.025, 0.005])
P_CALL_REPLIES = _table([0.67, 0.27, 0.05, 0.01]) + 1
P_TICKET_REPLIES = _table([0.27, 0.35, 0.23, 0.10, 0.03, 0.02]) + 1
P_CUSTOMER_CONTACTS = _table([0.76, 0.15, 0.06, 0.03]) + 1
P_TRANSFERS = _table([0.82, 0.12, 0.05, 0.01])
P_CSAT = _table([0.08, 0.06, 0.10, 0.26, 0.50]) + 1
P_NPS = _table([0.03, 0.02, 0.03, 0.03, 0.04, 0.06, 0.07, 0.12, 0.15, 0.20, 0.25])
P_CES = _table([0.04, 0.05, 0.08, 0.13, 0.20, 0.25, 0.25]) + 1


def _text(values: list[str], codes: np.ndarray) -> pl.Series:
    return pl.Series(values, dtype=pl.String).gather(codes)


def _lognormal(rng: np.random.Generator, median, sigma: float, n: int) -> np.ndarray:
    return median * rng.lognormal(0.0, sigma, n)


def _block(seed: int, block: int) -> pl.DataFrame:
    """Rows ``block * BLOCK ..`` of the data set ``seed``, typed. NaN marks null in numpy."""
    rng = np.random.default_rng([seed, block])
    n = BLOCK
    ch = _draw(rng, P_CHANNEL, n)
    queued = (ch == CHAT) | (ch == PHONE)
    created = YEAR_START + _draw(rng, P_DAY, n) * DAY + _draw(rng, P_HOUR, n) * HOUR
    created = (created + rng.integers(0, HOUR, n)).astype(np.float64)
    vendor = _draw(rng, P_VENDOR, n)
    agent = vendor * AGENTS + rng.integers(0, AGENTS, n)  # index into AGENT_NAMES
    priority = _draw(rng, P_PRIORITY, n)
    speed = PRIORITY_SPEED[priority]
    topic = np.where((ch == PHONE) & (rng.random(n) < 0.20), SALES, _draw(rng, P_TOPIC, n))
    # customer: the contact's own row number, or for repeats that of a row ~200 rows earlier,
    # scrambled by a bijection of 0..10^9-1 so that ids do not look like ticket numbers
    row = np.arange(block * BLOCK, (block + 1) * BLOCK)
    back = np.where(rng.random(n) < REPEAT_SHARE, rng.geometric(1 / 200, n), 0)
    customer = (np.where(back <= row, row - back, row) * 387_420_489 + 5_021_886) % 10**9

    # queue (chat, phone): wait until answered or abandoned, then talk / hold / wrap-up
    abandoned = queued & (rng.random(n) < 0.07)
    answered = queued & ~abandoned
    wait = np.where(ch == PHONE, rng.exponential(55, n), rng.exponential(35, n))
    wait = np.round(np.where(abandoned, rng.exponential(90, n), wait))
    talk = _lognormal(rng, np.where(ch == PHONE, 300, 540), 0.6, n)
    hold = np.where((ch == PHONE) & (rng.random(n) < 0.35), _lognormal(rng, 45, 0.8, n), 0.0)
    acw = _lognormal(rng, np.where(ch == PHONE, 60, 30), 0.5, n)
    talk, hold, acw = (np.where(answered, np.round(x), np.nan) for x in (talk, hold, acw))
    answered_at = np.where(answered, created + wait, np.nan)
    wait = np.where(queued, wait, np.nan)

    # status: ~8% of the contacts that were not abandoned are still unresolved
    unresolved = ~abandoned & (rng.random(n) < 0.08)
    status = np.where(rng.random(n) < 0.25, SOLVED, CLOSED)
    status = np.where(unresolved, _draw(rng, P_OPEN_STATUS, n), status)
    status[queued & (status == NEW)] = OPEN  # an answered call or chat is not new
    status[abandoned] = CLOSED  # the contact ended when the customer left

    # first response: hours for tickets, the moment of answer for calls and chats
    fr_ticket = created + np.round(_lognormal(rng, FIRST_RESPONSE_MEDIAN[ch] * speed, 1.0, n))
    first_response = np.where(queued, answered_at, fr_ticket)
    first_response[status == NEW] = np.nan  # abandoned contacts have no answer either

    # resolution: hours to days; most calls are solved on the call; reopens take longer
    reopens = np.where(unresolved | abandoned, 0, _draw(rng, P_REOPENS, n))
    follow_up = _lognormal(rng, 18 * HOUR * speed, 1.2, n)
    follow_up += reopens * _lognormal(rng, 2 * DAY, 0.7, n)
    call_end = answered_at + talk + hold + acw
    on_call = answered & (reopens == 0) & (rng.random(n) < 0.7)
    resolved = np.select(
        [abandoned, on_call, answered],
        [created + wait, call_end, call_end + follow_up],
        np.fmax(first_response, created) + follow_up,
    )
    resolved = np.where(unresolved, np.nan, np.round(resolved))

    handled = ~abandoned & (status != NEW)
    replies = np.where(queued, _draw(rng, P_CALL_REPLIES, n), _draw(rng, P_TICKET_REPLIES, n))
    replies = np.where(handled, np.minimum(replies + reopens, 8), 0)
    contacts = np.where(abandoned, 1, _draw(rng, P_CUSTOMER_CONTACTS, n))
    transfers = np.where(handled, _draw(rng, P_TRANSFERS, n), 0)
    escalated = handled & (rng.random(n) < 0.03 + 0.15 * (transfers > 0))

    # surveys and QA reviews for a share of the handled contacts
    surveyed = handled & ~unresolved
    csat = np.maximum(_draw(rng, P_CSAT, n) - (reopens > 0), 1)  # reopened: a bit less happy
    csat = np.where(surveyed & (rng.random(n) < 0.25), csat, np.nan)
    nps = np.where(surveyed & (rng.random(n) < 0.17), _draw(rng, P_NPS, n), np.nan)
    ces = np.where(surveyed & (rng.random(n) < 0.11), _draw(rng, P_CES, n), np.nan)
    qa = np.clip(np.round(rng.normal(84, 9, n)), 0, 100)
    qa = np.where(handled & (rng.random(n) < 0.10), qa, np.nan)

    sales_call = (ch == PHONE) & (topic == SALES)
    converted = answered & sales_call & (rng.random(n) < 0.30)
    order_value = np.where(converted, np.round(_lognormal(rng, 90, 0.6, n), 2), np.nan)

    def number(x: np.ndarray, dtype=pl.Float64) -> pl.Series:
        return pl.Series(x, nan_to_null=True).cast(dtype)

    def timestamp(x: np.ndarray) -> pl.Series:
        return number(x * 1e6, pl.Int64).cast(pl.Datetime("us", "UTC"))

    def numbered(prefix: str, x: np.ndarray, digits: int = 7) -> pl.Series:
        """``prefix`` + ``x`` zero-padded to ``digits`` (longer numbers stay whole)."""
        if x.max() < 10**digits:  # fast path: "1" + padded digits, then drop the "1"
            return prefix + pl.Series(x + 10**digits).cast(pl.String).str.slice(1)
        return prefix + pl.Series(x).cast(pl.String).str.zfill(digits)

    empty = pl.repeat(None, n, dtype=pl.Float64, eager=True)
    no_agent = pl.Series([None], dtype=pl.String)
    return pl.DataFrame(
        {
            "ticket_id": numbered("T", row + 1),
            "created_at": timestamp(created),
            "channel": _text(CHANNELS, ch),
            "vendor": _text(VENDORS, vendor),
            "agent": _text(AGENT_NAMES, agent).zip_with(pl.Series(handled), no_agent),
            "team": _text(TEAMS, topic),
            "priority": _text(PRIORITIES, priority),
            "status": _text(STATUSES, status),
            "customer_id": numbered("C", customer, 9),
            "topic": _text(TOPICS, topic),
            "first_response_at": timestamp(first_response),
            "resolved_at": timestamp(resolved),
            "first_response_seconds": empty,
            "resolution_seconds": empty,
            "reopens": number(reopens, pl.Int64),
            "agent_replies": number(replies, pl.Int64),
            "customer_contacts": number(contacts, pl.Int64),
            "transfers": number(transfers, pl.Int64),
            "escalated": escalated,
            "csat": number(csat),
            "nps": number(nps),
            "ces": number(ces),
            "qa_score": number(qa),
            "answered_at": timestamp(answered_at),
            "abandoned": number(np.where(queued, abandoned, np.nan), pl.Boolean),
            "wait_seconds": number(wait),
            "talk_seconds": number(talk),
            "hold_seconds": number(hold),
            "acw_seconds": number(acw),
            "converted": number(np.where(sales_call, converted, np.nan), pl.Boolean),
            "order_value": number(order_value),
        }
    )


def generate(n: int, seed: int = 42, start_row: int = 0) -> pl.DataFrame:
    """Rows ``start_row .. start_row + n - 1`` of the synthetic contacts for ``seed``, typed.

    >>> df = generate(3)
    >>> df.columns == COLUMNS, df["ticket_id"].to_list()
    (True, ['T0000001', 'T0000002', 'T0000003'])
    >>> generate(2, start_row=1).equals(generate(3)[1:])
    True
    """
    first, last = start_row // BLOCK, (start_row + max(n, 1) - 1) // BLOCK
    blocks = pl.concat([_block(seed, b) for b in range(first, last + 1)], rechunk=False)
    return blocks.slice(start_row - first * BLOCK, max(n, 0))


def to_text(df: pl.DataFrame, mixed_offsets: bool = False) -> pl.DataFrame:
    """The export's text form: timestamps as ISO 8601 strings (``...Z``, or a per-row mix of
    Z/+02:00/-05:00) and whole-number floats (scores, seconds) as integers.

    The offset of a row is a hash of its ``created_at``, so it does not depend on chunking.

    >>> to_text(generate(1))["created_at"].item()
    '2025-07-21T08:11:59Z'
    """
    df = df.with_columns(pl.col(WHOLE).cast(pl.Int64))
    if not mixed_offsets:
        return df.with_columns(pl.col(TIMESTAMPS).dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    secs = df["created_at"].dt.epoch("s").to_numpy().astype(np.uint64)
    pick = ((secs * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(40)) % np.uint64(len(OFFSETS))
    pick = pick.astype(np.int64)
    suffix = pl.lit(_text([s for s, _ in OFFSETS], pick))
    minutes = pl.lit(pl.Series([m for _, m in OFFSETS]).gather(pick))
    local = {c: pl.col(c) + pl.duration(minutes=minutes) for c in TIMESTAMPS}
    return df.with_columns(**{c: pl.concat_str([t.dt.strftime("%Y-%m-%dT%H:%M:%S"), suffix]) for c, t in local.items()})


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("n", type=int, help="number of contacts (rows)")
    p.add_argument("out", type=Path, help="CSV file, or directory of Parquet chunks")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--chunk-rows", type=int, default=5_000_000)
    p.add_argument("--mixed-offsets", action="store_true", help="CSV only: mix Z/+02:00/-05:00")
    args = p.parse_args(argv)
    if args.chunk_rows < 1:
        p.error("--chunk-rows must be at least 1")
    if args.mixed_offsets and args.format != "csv":
        p.error("--mixed-offsets applies to CSV only (Parquet timestamps are typed UTC)")

    started = time.perf_counter()
    if args.format == "parquet":
        args.out.mkdir(parents=True, exist_ok=True)
        for old in args.out.glob("part-*.parquet"):  # chunks of an earlier run
            old.unlink()
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(b"")
    for i, start in enumerate(range(0, args.n, args.chunk_rows) or [0]):
        df = generate(min(args.chunk_rows, args.n - start), args.seed, start)
        if args.format == "parquet":
            df.write_parquet(args.out / f"part-{i:05d}.parquet")
        else:
            text = to_text(df, args.mixed_offsets)
            with args.out.open("ab") as fh:  # one file, header only before the first chunk
                text.write_csv(fh, include_header=i == 0, float_precision=2)
        done = time.perf_counter() - started
        print(f"{start + df.height:>12,} rows  {done:6.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
