"""Five9 Call Log report (Dashboards and Reports, or ``getReportResultCsv`` of the Web Services
API), CSV with one row per call and upper-case headers: ``CALL ID, TIMESTAMP, CAMPAIGN,
CALL TYPE, AGENT, AGENT NAME, DISPOSITION, ANI, CUSTOMER NAME, DNIS, CALL TIME,
BILL TIME (ROUNDED), COST, IVR TIME, QUEUE WAIT TIME, RING TIME, TALK TIME, HOLD TIME,
PARK TIME, AFTER CALL WORK TIME, TRANSFERS, CONFERENCES, HOLDS, ABANDONED, RECORDINGS``;
custom call log reports may add ``SKILL``, ``DATE`` and ``TIME``. Durations are ``HH:MM:SS``.

What maps where:

* ``ticket_id`` = ``CALL ID``; ``created_at`` = ``TIMESTAMP`` (``Thu, 27 Oct 2016 14:51:34``)
  or, in reports without it, ``DATE`` (``2016/10/27``) + ``TIME``. Five9 writes the report's
  local time without an offset: pass ``--tz`` (the domain's time zone).
* ``channel`` = phone for every known ``CALL TYPE`` (the Call Log holds calls only; chats and
  emails are in the Digital Engagement reports); an unknown call type is reported.
* ``agent`` = ``AGENT`` (the user name; ``[None]`` = no agent); ``team`` = ``SKILL`` where the
  report has it, else ``CAMPAIGN``; ``customer_id`` = ``ANI``.
* ``wait_seconds`` = ``QUEUE WAIT TIME``; ``talk_seconds`` = ``TALK TIME``; ``hold_seconds`` =
  ``HOLD TIME``; ``acw_seconds`` = ``AFTER CALL WORK TIME`` (Five9 reports them as separate call
  segments). ``PARK TIME`` is not counted as hold.

Offered, answered, abandoned: only ``CALL TYPE`` Inbound calls are offered calls. An inbound call
with ``ABANDONED`` 1 is abandoned (an abandon with 0 s in the queue hung up in the IVR or at once
and counts as a short abandon); one with an agent is answered. Other inbound calls (ended in the
IVR, sent to voicemail, or the caller registered a queue callback) have no queue data, nor have
outbound, manual, preview, autodial, internal, queue-callback and 3rd-party calls: they count
in ticket volume only, not in ASA, service level, abandonment or AHT and its parts.
``transfers`` (answered calls) = ``TRANSFERS``, empty read as 0.

Not in the Call Log, so not available: ``answered_at`` (no answer time stamp; answered comes
from ``ABANDONED`` and the agent), resolution and backlog (no case state), first response
time, reopens, FCR, escalation, CSAT/NPS (Five9 post-call surveys are a separate report).
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, clock_duration, vocabulary

# Call types of the Call Log (all calls: phone)
_CALL_TYPES = {
    name: "phone"
    for name in (
        "Inbound",
        "Outbound",
        "Manual",
        "Preview",
        "Autodial",
        "Internal",
        "Queue Callback",
        "3rd party conference",
        "3rd party transfer",
    )
}
_NONE = ["", "[none]"]


def _text(col, name: str) -> pl.Expr:
    return col(name).cast(pl.String).str.strip_chars()


def _named(col, name: str) -> pl.Expr:
    """The value, or null for Five9's "[None]" placeholder and empty cells."""
    text = _text(col, name)
    return pl.when(~text.str.to_lowercase().is_in(_NONE)).then(text)


def _created(col) -> pl.Expr:
    stamp = _text(col, "TIMESTAMP")
    split = pl.concat_str(_text(col, "DATE"), pl.lit(" "), _text(col, "TIME"))
    parsed = pl.coalesce(
        stamp.str.to_datetime("%a, %d %b %Y %H:%M:%S", strict=False, time_unit="us"),
        split.str.to_datetime("%Y/%m/%d %H:%M:%S", strict=False, time_unit="us"),
    )
    # naive ISO text, read in --tz by the loader; an unreadable value goes through as it is, so
    # that the loader reports it with its row
    return pl.coalesce(parsed.dt.strftime("%Y-%m-%dT%H:%M:%S"), stamp, split)


def _inbound(col) -> pl.Expr:
    return (_text(col, "CALL TYPE").str.to_lowercase() == "inbound").fill_null(False)


def _with_agent(col) -> pl.Expr:
    return _named(col, "AGENT").is_not_null()


def _gave_up(col) -> pl.Expr:
    return _text(col, "ABANDONED").is_in(["1"]).fill_null(False)


def _abandoned(col) -> pl.Expr:
    return pl.when(_inbound(col) & _gave_up(col)).then(True).when(_inbound(col) & _with_agent(col)).then(False)


def _transfers(col) -> pl.Expr:
    answered = _inbound(col) & ~_gave_up(col) & _with_agent(col)
    count = _text(col, "TRANSFERS").cast(pl.Int64, strict=False).fill_null(0)
    return pl.when(answered).then(count)


SOURCE = Source(
    name="five9",
    title="Five9 Call Log report (CSV, HH:MM:SS durations, local times)",
    docs=(
        "Five9 Dashboards and Reports User's Guide: Call Log report and Call Segment Reference "
        "(call segments: IVR, queue wait, ring, talk, hold, park, after-call work)"
    ),
    fields={
        "ticket_id": Field("CALL ID"),
        "created_at": Derived(("TIMESTAMP", "DATE", "TIME"), _created),
        "channel": Field("CALL TYPE", vocabulary(_CALL_TYPES)),
        "agent": Derived(("AGENT",), lambda col: _named(col, "AGENT")),
        "team": Derived(("SKILL", "CAMPAIGN"), lambda col: pl.coalesce(_named(col, "SKILL"), _named(col, "CAMPAIGN"))),
        "customer_id": Field("ANI"),
        "abandoned": Derived(("CALL TYPE", "ABANDONED", "AGENT"), _abandoned),
        "wait_seconds": Field("QUEUE WAIT TIME", clock_duration),
        "talk_seconds": Field("TALK TIME", clock_duration),
        "hold_seconds": Field("HOLD TIME", clock_duration),
        "acw_seconds": Field("AFTER CALL WORK TIME", clock_duration),
        "transfers": Derived(("CALL TYPE", "ABANDONED", "AGENT", "TRANSFERS"), _transfers),
    },
    signature=frozenset({"CALL ID", "CALL TYPE", "CAMPAIGN", "QUEUE WAIT TIME", "AFTER CALL WORK TIME", "IVR TIME"}),
)
