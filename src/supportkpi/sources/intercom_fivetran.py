"""Intercom conversations as Fivetran lands them: the ``conversation_history`` table (CSV or any
table export), one row per *version* of a conversation. Fivetran's history mode writes a new row
each time a conversation changes and marks the current one ``_fivetran_active = true``; every
version starts at its ``_fivetran_start``.

Versions: of the rows of one ``id``, the one with the latest ``_fivetran_start`` (the active
version) is the conversation; the earlier versions are left out of every KPI and counted as
replaced (:func:`supportkpi.dedupe.keep_latest`), not reported as duplicates.

What maps where (the columns are the API's fields, flattened with ``_``; times are text
``2020-10-28 23:59:37``, UTC as Fivetran writes them, or epoch seconds):

* ``id`` is the conversation, ``created_at`` its creation, ``assignee_id`` the agent (when
  ``assignee_type`` is ``admin``; a team assignee is the ``team``), ``source_author_id`` the
  customer.
* ``source_type``, ``state`` and ``priority`` as in the API preset (``intercom``): the channel,
  open/snoozed/closed, priority/not_priority.
* ``conversation_rating_value`` (1-5) is ``csat``.
* ``resolved_at``: the table has no close time (``statistics`` live in another table), so a
  closed conversation's ``updated_at`` is taken: the close, or a later change to the closed
  conversation. Resolution rate and backlog are exact; resolution time is an upper bound.
* Outbound and automated conversations (``source_delivered_as``) are left out as in the API
  preset.

Not available: first response time (``first_contact_reply_created_at`` is the *customer's* first
message, not a teammate's reply), reopens, transfers, agent replies, and the queue KPIs.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, vocabulary
from supportkpi.sources.intercom import CHANNEL, LEAVE_OUT, PRIORITY, STATUS, epoch_or_text

_MARKERS = frozenset({"_fivetran_synced", "x_fivetran_synced"})


def _text(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _assignee(kind: str):
    def build(col) -> pl.Expr:
        assignee_type = _text(col("assignee_type")).str.to_lowercase()
        # without assignee_type (an older sync) an assignee is taken as a teammate
        is_kind = assignee_type == kind if kind != "admin" else assignee_type.is_null() | (assignee_type == kind)
        return pl.when(is_kind).then(_text(col("assignee_id")))

    return build


def _resolved_at(col) -> pl.Expr:
    closed = _text(col("state")).str.to_lowercase() == "closed"
    return pl.when(closed).then(epoch_or_text(col("updated_at"))[0])


SOURCE = Source(
    name="intercom_fivetran",
    title="Intercom conversation history as Fivetran lands it (conversation_history table)",
    docs=(
        "https://fivetran.com/docs/connectors/applications/intercom#schemainformation ; "
        "https://fivetran.com/docs/core-concepts/sync-modes/history-mode ; "
        "https://developers.intercom.com/docs/references/2.15/rest-api/api.intercom.io/conversations/conversation"
    ),
    fields={
        "ticket_id": Field("id"),
        "created_at": Field("created_at", epoch_or_text),
        "channel": Field("source_type", vocabulary(CHANNEL)),
        "agent": Derived(("assignee_id",), _assignee("admin")),
        "team": Derived(("assignee_id",), _assignee("team")),
        "priority": Field("priority", vocabulary(PRIORITY)),
        "status": Field("state", vocabulary(STATUS)),
        "customer_id": Field("source_author_id"),
        "resolved_at": Derived(("state", "updated_at"), _resolved_at),
        "csat": Field("conversation_rating_value"),
    },
    signature=frozenset(
        {
            "source_delivered_as",
            "source_type",
            "waiting_since",
            "conversation_rating_value",
            "first_contact_reply_created_at",
            "assignee_type",
        }
    ),
    needs_one_of=_MARKERS,
    leave_out=LEAVE_OUT,
    latest=("_fivetran_start", "x_fivetran_start"),
    notes="Fivetran history table: the latest _fivetran_start of each id is kept; resolved_at is a closed row's updated_at",
)
