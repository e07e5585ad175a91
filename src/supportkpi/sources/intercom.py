"""Intercom conversations from the REST API (``GET /conversations`` or ``POST
/conversations/search``): a JSON array of conversation objects, or the API's own
``{"type": "conversation.list", "conversations": [...], "pages": {...}}`` document.

What maps where (timestamps are Unix epoch seconds, UTC):

* ``id`` is the conversation, ``created_at`` its creation, ``admin_assignee_id`` the agent,
  ``team_assignee_id`` the team, the first of ``contacts`` (``contacts.contacts`` in API 2.x,
  a plain list in older versions) the customer.
* ``source.type`` is the channel: ``conversation`` (the Messenger) and ``push`` (a reply in the
  in-app Messenger to a push message) are ``chat``; ``email``; ``phone_call`` and
  ``phone_switch`` (a call continued in the Messenger) are ``phone``; ``sms``; ``whatsapp`` is
  ``messaging``; ``facebook``, ``instagram`` and ``twitter`` are ``social``.
* ``state`` open/closed/snoozed: a snoozed conversation waits for a time or a customer reply,
  so it is ``pending``; closed is ``closed``.
* ``priority`` is a flag: ``priority`` is ``high``, ``not_priority`` is ``normal``.
* ``statistics.first_admin_reply_at`` is the first response (Intercom counts the first visible
  reply by a human teammate after the customer's first message).
* ``resolved_at`` is ``statistics.last_close_at`` while ``state`` is closed; a conversation
  reopened since its last close is open again and not resolved.
* ``statistics.count_reopens`` is ``reopens``. ``transfers`` is ``statistics.count_assignments``
  minus one (the first assignment routes the conversation; each further one hands it to another
  teammate or team), never below zero.
* ``conversation_rating.rating`` (1-5) is ``csat``; an unrated conversation has none.

Not available: agent reply counts (``count_conversation_parts`` counts every part, including
customer messages, notes and assignments), so the ``one_touch`` and ``exactly_one_reply`` FCR
definitions are not available (``no_reopen`` is); no NPS, CES, escalation or queue data. The
``time_to_*`` durations subtract office hours, so they are not used: the timestamps give
calendar durations, and business hours come from a kpi.yaml schedule.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, epoch_seconds, vocabulary

_CHANNEL = {
    "conversation": "chat",
    "push": "chat",
    "email": "email",
    "phone_call": "phone",
    "phone_switch": "phone",
    "sms": "sms",
    "whatsapp": "messaging",
    "facebook": "social",
    "instagram": "social",
    "twitter": "social",
}
_STATUS = {"open": "open", "snoozed": "pending", "closed": "closed"}
_PRIORITY = {"priority": "high", "not_priority": "normal"}


def _text(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _epoch_text(raw: pl.Expr) -> pl.Expr:
    """Epoch seconds as ISO 8601 UTC text. A derived column is typed by the loader like any
    text, so a value that is not a number is kept as it is and reported there."""
    text = _text(raw)
    number = text.cast(pl.Float64, strict=False)
    micros = (number * 1_000_000).round(0).cast(pl.Int64)
    iso = micros.cast(pl.Datetime("us")).dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
    return pl.when(number.is_finite()).then(iso).otherwise(text)


def _resolved_at(col) -> pl.Expr:
    closed = _text(col("state")).str.to_lowercase() == "closed"
    return pl.when(closed).then(_epoch_text(col("statistics.last_close_at")))


def _transfers(col) -> pl.Expr:
    text = _text(col("statistics.count_assignments"))
    number = text.cast(pl.Float64, strict=False)
    handovers = (number - 1).clip(lower_bound=0).cast(pl.Int64).cast(pl.String)
    return pl.when(number.is_finite() & (number == number.round(0))).then(handovers).otherwise(text)


def _customer(col) -> pl.Expr:
    return pl.coalesce(
        _text(col("contacts.contacts")).str.json_path_match("$[0].id"),
        _text(col("contacts")).str.json_path_match("$[0].id"),
    )


SOURCE = Source(
    name="intercom",
    title="Intercom conversations (REST API conversation objects, JSON)",
    docs=(
        "https://developers.intercom.com/docs/references/2.15/rest-api/api.intercom.io/"
        "conversations/conversation (conversation model, statistics, conversation_rating); "
        "https://www.intercom.com/help/en/articles/"
        "6762778-reporting-metrics-for-rest-api-and-csv-exports"
    ),
    fields={
        "ticket_id": Field("id"),
        "created_at": Field("created_at", epoch_seconds),
        "channel": Field("source.type", vocabulary(_CHANNEL)),
        "agent": Field("admin_assignee_id"),
        "team": Field("team_assignee_id"),
        "priority": Field("priority", vocabulary(_PRIORITY)),
        "status": Field("state", vocabulary(_STATUS)),
        "customer_id": Derived(("contacts.contacts", "contacts"), _customer),
        "first_response_at": Field("statistics.first_admin_reply_at", epoch_seconds),
        "resolved_at": Derived(("state", "statistics.last_close_at"), _resolved_at),
        "reopens": Field("statistics.count_reopens"),
        "transfers": Derived(("statistics.count_assignments",), _transfers),
        "csat": Field("conversation_rating.rating"),
    },
    signature=frozenset(
        {
            "admin_assignee_id",
            "team_assignee_id",
            "waiting_since",
            "source.delivered_as",
            "statistics.first_admin_reply_at",
            "statistics.count_reopens",
        }
    ),
    notes=(
        "Epoch-second timestamps; resolved only while state is closed; transfers = "
        "count_assignments - 1. No agent reply counts: use fcr definition no_reopen."
    ),
)
