"""Freshdesk ticket export (Tickets > Export, CSV): one row per ticket.

Headers as Freshdesk writes them: ``Ticket ID, Subject, Status, Priority, Source, Type, Agent,
Group, Created time, Due by Time, Resolved time, Closed time, Last update time, Initial response
time, Time tracked, First response time (in hrs), Resolution time (in hrs), Agent interactions,
Customer interactions, Resolution status, First response status, Tags, Survey results, ...``
plus the contact fields chosen for the export (``Full name, Email, Contact ID, ...``).

What maps where:

* Timestamps (``Created time``, ``Initial response time``, ``Resolved time``, ``Closed time``)
  are written ``YYYY-MM-DD HH:MM:SS`` in the exporting user's time zone, without an offset: pass
  ``--tz`` with the helpdesk's time zone. The generic typing reads them; no converter is needed.
* ``first_response_at`` is ``Initial response time`` (the time of the first agent response).
  Freshdesk shows it, and ``Due by Time``, only where SLA management is part of the plan.
* ``resolved_at`` is ``Resolved time`` (``Closed time`` for a ticket closed without being
  resolved first), and only while ``Status`` is Resolved or Closed: a reopened ticket is open.
* ``Status`` Open/Pending/Resolved/Closed and the default custom statuses "Waiting on Customer"
  (pending) and "Waiting on Third Party" (on_hold); other custom statuses are reported as
  unknown values. ``Priority`` Medium is ``normal``. ``Source`` Portal, Feedback Widget, Forum
  and MobiHelp are ``web``; Twitter and Facebook ``social``; Bot ``chat``; WhatsApp
  ``messaging``; Outbound Email ``email``; Ecommerce (marketplace messages) ``other``.
* ``agent_replies`` is ``Agent interactions`` (agent responses: replies and public notes).
* ``Type`` is the topic, ``Group`` the team, ``Agent`` the agent, ``Contact ID`` (a contact
  field, if exported) the customer.

Judgement calls and what the export cannot give:

* ``First response time (in hrs)`` and ``Resolution time (in hrs)`` are *business-hours*
  durations written ``HH:MM:SS`` (and ``00:00:00`` when there is none), so they are not mapped
  onto the calendar ``*_seconds`` columns: the timestamps give both durations in calendar time
  (and in business hours through a kpi.yaml schedule).
* No reopen count: reopen rate and FCR (every definition needs ``reopens``) are not available.
* ``Survey results`` holds the text of the answer label each account defines for its survey
  (2-, 3-, 5- or 7-point), so there is no fixed mapping to a score and it is not read. CSAT
  comes from the satisfaction ratings (API ``GET /api/v2/surveys/satisfaction_ratings``, or a
  sync tool's ``satisfaction_ratings`` table) given beside the export: joined on ``ticket_id``
  = ``Ticket ID`` and scored as the ``freshdesk_api`` preset says. No NPS, CES, escalation,
  transfer or queue data either (AHT, ASA, service level, abandonment not available).
* ``Customer interactions`` counts customer messages on the ticket, not separate contacts about
  the issue, so it is not mapped onto ``customer_contacts``.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, vocabulary
from supportkpi.sources.freshdesk_api import CSAT, RATINGS

_STATUS = {
    "open": "open",
    "pending": "pending",
    "resolved": "solved",
    "closed": "closed",
    "waiting on customer": "pending",
    "waiting on third party": "on_hold",
}
_PRIORITY = {"low": "low", "medium": "normal", "high": "high", "urgent": "urgent"}
_CHANNEL = {
    "email": "email",
    "outbound email": "email",
    "portal": "web",
    "feedback widget": "web",
    "forum": "web",
    "mobihelp": "web",
    "phone": "phone",
    "chat": "chat",
    "bot": "chat",
    "twitter": "social",
    "facebook": "social",
    "whatsapp": "messaging",
    "ecommerce": "other",
    "e-commerce": "other",
}


def _text(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _resolved_at(col) -> pl.Expr:
    # Text on purpose: the loader's typing then reads it in --tz and reports an unreadable value.
    done = _text(col("Status")).str.to_lowercase().is_in(["resolved", "closed"])
    return pl.when(done).then(pl.coalesce(_text(col("Resolved time")), _text(col("Closed time"))))


SOURCE = Source(
    name="freshdesk",
    title="Freshdesk ticket export (CSV: Ticket ID, Created time, Initial response time, ...)",
    docs=(
        "https://support.freshdesk.com/support/solutions/articles/50000000041 (support metrics); "
        "Freshdesk ticket export fields (Export::Ticket / Helpdesk::TicketModelExtension "
        "EXPORT_FIELDS in the Freshdesk helpkit source)"
    ),
    fields={
        "ticket_id": Field("Ticket ID"),
        "created_at": Field("Created time"),
        "channel": Field("Source", vocabulary(_CHANNEL)),
        "agent": Field("Agent"),
        "team": Field("Group"),
        "priority": Field("Priority", vocabulary(_PRIORITY)),
        "status": Field("Status", vocabulary(_STATUS)),
        "customer_id": Field("Contact ID"),
        "topic": Field("Type"),
        "first_response_at": Field("Initial response time"),
        "resolved_at": Derived(("Status", "Resolved time", "Closed time"), _resolved_at),
        "agent_replies": Field("Agent interactions"),
        "csat": Field("satisfaction_rating.ratings.default_question", vocabulary(CSAT)),
    },
    signature=frozenset(
        {
            "Initial response time",
            "First response time (in hrs)",
            "Resolution time (in hrs)",
            "Agent interactions",
            "Customer interactions",
            "Resolution status",
            "First response status",
        }
    ),
    notes=(
        "Times are local to the exporting user: pass --tz. Business-hours columns '(in hrs)' "
        "are not used; CSAT only from satisfaction ratings given beside the export; reopens and "
        "FCR are not available."
    ),
    table="tickets",
    tables={"satisfaction_ratings": RATINGS},
)
