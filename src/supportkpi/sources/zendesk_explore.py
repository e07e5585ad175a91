"""Zendesk Explore's CSV export of a report on the "Support: Tickets" dataset (Explore > a report
> Export > CSV). Its columns are whatever the report shows, titled with Explore's attribute
names: ``Ticket ID``, ``Ticket status``, ``Ticket created - Timestamp``, ``Assignee name``,
``Ticket group``, ``Ticket priority``, ``Ticket channel``, ``Ticket type``, ``Requester ID``,
``Ticket satisfaction rating``, the brackets ``First reply time brackets`` / ``Full resolution
time brackets``, the account's custom ticket fields under their own titles, and the report's
metrics (e.g. ``Tickets``). The attribute names and value formats here are those of a real
export (tests/fixtures/real/zendesk-explore-export); Zendesk's Explore attribute reference could
not be read from here, so attributes not seen in that export are matched by their documented
titles only where they are the obvious counterparts (``Ticket group``, ``Ticket priority``,
``Ticket channel``).

Values: ``Ticket created - Timestamp`` as ``2025-06-25T04:53:22``, ISO without a zone (the
account's time zone: pass ``--tz``); ``Ticket status`` New, Open, Pending, On-hold, Solved,
Closed; ``Ticket satisfaction rating`` Good = 5, Bad = 1 on the 1-5 scale (as the zendesk
presets), Offered / Unoffered / Not offered = no answer, so CSAT is Zendesk's good / (good +
bad). An empty attribute is written as a single no-break space (U+00A0): read as empty. A
custom ``Escalated`` field (true/false), where the account has one, is read as escalated.

Not computed: first response time and resolution time. Explore exports them here only as
brackets (``0-1 hrs``, ``1-8 hrs``, ``>24 hrs``, ``>30 days``, `` No replies``): ranges, not
durations, and no midpoint is invented; add the metrics ``First reply time (min)`` / ``Full
resolution time (min)`` to the report and ``--map`` them with a unit instead. Explore writes a
ticket once per value of a multi-valued attribute in the report (e.g. ``Ticket organization
domains``): those rows share the ticket id; the first is kept and the others are reported as
duplicates. The report's metric columns (``Tickets``) are aggregates, not per-ticket values,
and are not read.
"""

from __future__ import annotations

from supportkpi.sources._base import Field, Source, vocabulary
from supportkpi.sources.zendesk_csv import CHANNEL, CSAT, PRIORITY, STATUS, TYPE

FLAG = {"true": True, "false": False, "yes": True, "no": False}

SOURCE = Source(
    name="zendesk_explore",
    title="Zendesk Explore report CSV (Ticket ID, Ticket status, Ticket created - Timestamp, ...)",
    docs=(
        "Zendesk Explore's metrics and attributes for the Support datasets (help center; not "
        "readable from here) ; attribute names and value formats as in a real Explore export"
    ),
    fields={
        "ticket_id": Field("Ticket ID"),
        "created_at": Field("Ticket created - Timestamp"),
        "status": Field("Ticket status", vocabulary(STATUS)),
        "agent": Field("Assignee name"),
        "team": Field("Ticket group"),
        "priority": Field("Ticket priority", vocabulary(PRIORITY)),
        "channel": Field("Ticket channel", vocabulary(CHANNEL)),
        "topic": Field("Ticket type", vocabulary(TYPE)),
        "customer_id": Field("Requester ID"),
        "csat": Field("Ticket satisfaction rating", vocabulary(CSAT)),
        "escalated": Field("Escalated", vocabulary(FLAG)),
    },
    signature=frozenset(
        {
            "Ticket ID",
            "Ticket status",
            "Ticket created - Timestamp",
            "Ticket satisfaction rating",
            "First reply time brackets",
            "Full resolution time brackets",
        }
    ),
    notes=(
        "first reply and resolution times are only brackets in an Explore export (ranges, not "
        "durations): first response and resolution time are not computed from them"
    ),
)
