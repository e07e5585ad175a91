"""Intercom conversations from the REST API (``GET /conversations`` or ``POST
/conversations/search``): a JSON array of conversation objects, or the API's own
``{"type": "conversation.list", "conversations": [...], "pages": {...}}`` document.

What maps where (timestamps are Unix epoch seconds, UTC; timestamp text such as
``2020-10-28 23:59:37``, as sync tools land them, is read as well):

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

Outbound and automated conversations are left out of every KPI, counted with their reason:
inbound KPIs count what customers started (``source.delivered_as`` ``customer_initiated``), not
conversations a teammate started (``admin_initiated``) nor automated ones (``automated``,
``campaigns_initiated``, ``operator_initiated``: Series, outbound messages, bots). A conversation
without ``source.delivered_as`` is kept.

Not available: agent reply counts (``count_conversation_parts`` counts every part, including
customer messages, notes and assignments), so the ``one_touch`` and ``exactly_one_reply`` FCR
definitions are not available (``no_reopen`` is); no NPS, CES, escalation or queue data. The
``time_to_*`` durations subtract office hours, so they are not used: the timestamps give
calendar durations, and business hours come from a kpi.yaml schedule.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, LeaveOut, Source, vocabulary

CHANNEL = {
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
STATUS = {"open": "open", "snoozed": "pending", "closed": "closed"}
PRIORITY = {"priority": "high", "not_priority": "normal"}


def _text(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _epoch_text(raw: pl.Expr) -> pl.Expr:
    """Epoch seconds as ISO 8601 UTC text. A derived column is typed by the loader like any
    text, so a value that is not a number (a sync tool's ``2020-10-28 23:59:37``) is kept as
    it is for the loader to read, and reported there if it cannot."""
    text = _text(raw)
    number = text.cast(pl.Float64, strict=False)
    micros = (number * 1_000_000).round(0).cast(pl.Int64)
    iso = micros.cast(pl.Datetime("us")).dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
    return pl.when(number.is_finite()).then(iso).otherwise(text)


def epoch_or_text(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """A converter for Intercom times: epoch seconds (the REST API) or timestamp text (what
    sync tools land, ``2020-10-28 23:59:37``), as text for the loader's typing to read (and to
    report when it cannot)."""
    return _epoch_text(raw), pl.lit(True)


_INBOUND = "customer_initiated"
_AUTOMATED = ("automated", "campaigns_initiated", "operator_initiated")


def _delivered_as(col) -> pl.Expr:
    # API 2.x: source.delivered_as; API 1.x: conversation_message.delivered_as
    written = pl.coalesce(col("source.delivered_as"), col("conversation_message.delivered_as"))
    return _text(written).str.to_lowercase()


LEAVE_OUT = (
    LeaveOut(
        "outbound conversation (started by a teammate)",
        ("source.delivered_as", "conversation_message.delivered_as"),
        lambda col: _delivered_as(col) == "admin_initiated",
    ),
    LeaveOut(
        "automated conversation (outbound message or bot)",
        ("source.delivered_as", "conversation_message.delivered_as"),
        lambda col: _delivered_as(col).is_in(list(_AUTOMATED)),
    ),
)
"""Inbound KPIs count the conversations customers started (``source.delivered_as``
``customer_initiated``): conversations a teammate started (``admin_initiated``) and automated
ones (Series, outbound messages, bots: ``automated``, ``campaigns_initiated``,
``operator_initiated``) are left out and counted with their reason. A conversation without the
field is kept."""


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
        "created_at": Field("created_at", epoch_or_text),
        "channel": Field("source.type", vocabulary(CHANNEL)),
        "agent": Field(("admin_assignee_id", "assignee.id")),
        "team": Field("team_assignee_id"),
        "priority": Field("priority", vocabulary(PRIORITY)),
        # API 1.x has no state, only "open": true/false
        "status": Field(("state", "open"), vocabulary({**STATUS, "true": "open", "false": "closed"})),
        "customer_id": Derived(("contacts.contacts", "contacts"), _customer),
        "first_response_at": Field("statistics.first_admin_reply_at", epoch_or_text),
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
    variants=(
        # REST API 1.x conversation lists: open true/false, assignee and user objects, the first
        # message's delivered_as; no statistics, so only volume, status and backlog
        frozenset({"waiting_since", "conversation_message.delivered_as", "assignee.type", "user.id", "open", "read"}),
    ),
    leave_out=LEAVE_OUT,
    notes=(
        "Epoch-second timestamps (or timestamp text); outbound and automated conversations left out; resolved only while state is closed; transfers = "
        "count_assignments - 1. No agent reply counts: use fcr definition no_reopen."
    ),
)
