"""Gorgias tickets as the REST API lists them (``GET /api/tickets``: ``{"data": [...], "meta":
{...}}``, or a plain array of Ticket objects). Nested objects arrive flattened (``customer.id``,
``satisfaction_survey.score``).

What maps where:

* ``ticket_id`` = ``id``; ``created_at`` = ``created_datetime`` (ISO 8601; Gorgias writes UTC,
  either with ``+00:00`` or without an offset, which the loader reads in ``--tz``, UTC by default).
* ``channel`` = ``channel``, the channel of the ticket's first message. Gorgias' slugs are mapped
  explicitly: email, chat, sms; phone and aircall are phone; whatsapp and the private-message
  channels (facebook-messenger, instagram-direct-message, twitter-direct-message) are messaging;
  public posts, comments and mentions on Facebook, Instagram and Twitter are social; help-center
  (its contact form) is web; api, internal-note and yotpo-review (a product review) are other.
  A slug not in Gorgias' documented list is reported, not guessed.
* ``priority`` = ``priority``: low, normal, high; Gorgias' top level ``critical`` is urgent.
* ``status`` = ``status``: open, closed (and ``new`` of older accounts). A snoozed ticket has
  status closed in the API (Gorgias: "snoozed tickets are considered closed until the snooze time
  ends") and counts as closed here too.
* ``resolved_at`` = ``closed_datetime``, but only while ``status`` is closed: Gorgias keeps the
  last closing time when a customer's reply reopens the ticket, and a reopened ticket is not
  resolved.
* ``agent`` = ``assignee_user.email``, ``team`` = ``assignee_team.name``,
  ``customer_id`` = ``customer.id``.
* ``language`` = ``language``, the language Gorgias sets on the ticket (a code such as ``en``),
  read as any language is (:mod:`supportkpi.languages`).
* ``csat`` = ``satisfaction_survey.score`` (1-5, Gorgias' own scale). A survey sent but not
  answered has no score and counts as no answer; so does a ticket without a survey.

Not available from the ticket object: first response time (``opened_datetime`` is when an agent
first *opened* the ticket, not a reply; the first agent reply is only in the ticket's messages),
reopen rate and FCR (no reopen or reply counts), escalation, transfers and the queue/call KPIs.
Spam and trashed tickets are not filtered out: export without them, or filter on ``spam`` /
``trashed_datetime`` first.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, vocabulary

# Gorgias' channel slugs (API reference: the ticket's and message's `channel` enum).
_CHANNELS = {
    "email": "email",
    "chat": "chat",
    "sms": "sms",
    "phone": "phone",
    "aircall": "phone",
    "whatsapp": "messaging",
    "facebook-messenger": "messaging",
    "instagram-direct-message": "messaging",
    "twitter-direct-message": "messaging",
    "facebook": "social",
    "facebook-mention": "social",
    "facebook-recommendations": "social",
    "instagram-comment": "social",
    "instagram-ad-comment": "social",
    "instagram-mention": "social",
    "twitter": "social",
    "help-center": "web",
    "api": "other",
    "internal-note": "other",
    "yotpo-review": "other",
}


def _resolved_at(col) -> pl.Expr:
    closed = col("status").str.strip_chars().str.to_lowercase() == "closed"
    return pl.when(closed).then(col("closed_datetime"))


SOURCE = Source(
    name="gorgias",
    title="Gorgias tickets (REST API: GET /api/tickets)",
    docs=(
        "https://developers.gorgias.com/reference/the-ticket-object ; "
        "https://developers.gorgias.com/reference/the-satisfactionsurvey-object ; "
        "https://developers.gorgias.com/reference/create-ticket (channel enum); "
        "https://docs.gorgias.com/en-US/handle-incoming-tickets-81832 (statuses, snooze)"
    ),
    fields={
        "ticket_id": Field("id"),
        "created_at": Field("created_datetime"),
        "channel": Field("channel", vocabulary(_CHANNELS)),
        "priority": Field(
            "priority", vocabulary({"low": "low", "normal": "normal", "high": "high", "critical": "urgent"})
        ),
        "status": Field("status", vocabulary({"new": "new", "open": "open", "closed": "closed"})),
        "resolved_at": Derived(("closed_datetime",), _resolved_at),
        "agent": Field("assignee_user.email"),
        "team": Field("assignee_team.name"),
        "customer_id": Field("customer.id"),
        "language": Field("language"),
        "csat": Field("satisfaction_survey.score"),
    },
    signature=frozenset(
        {
            "created_datetime",
            "opened_datetime",
            "closed_datetime",
            "last_received_message_datetime",
            "last_message_datetime",
            "snooze_datetime",
        }
    ),
    notes="first response time is not in the ticket object (opened_datetime is not a reply)",
)
