"""Help Scout conversations from the Mailbox API 2.0 (``GET /v2/conversations?status=all``):
the response document as the API sends it, ``{"_embedded": {"conversations": [...]},
"_links": {...}, "page": {...}}``, one file per page. Its records are nested one level down, so
:func:`_prepare` picks them out (and drops each conversation's HAL ``_embedded``/``_links``).

What maps where:

* ``id`` is the conversation (``number`` is only the number shown in the UI), ``createdAt``
  (ISO 8601, UTC) its creation, ``assignee.id`` the agent, ``mailboxId`` the team (the inbox it
  sits in), ``primaryCustomer.id`` the customer (``customer.id`` in the webhook object).
* ``type`` email/chat/phone is the channel.
* ``status`` active (``open``), pending, closed. ``spam`` is left unmapped on purpose, so spam
  conversations are reported as unknown values instead of counting silently as contacts
  (``status=all`` includes them; filter them out of the export).
* ``resolved_at`` is ``closedAt`` while ``status`` is closed; an active conversation that was
  closed before and got a new reply is open again.

The retired API v1's single-conversation responses (``GET /v1/conversations/{id}.json``,
``{"item": {...}}``, one file per conversation) are read too: the loader takes the record out of
``item``, and ``mailbox.id`` stands for ``mailboxId``. Their ``owner`` may be a team, so it is
not read as the agent.

Not available: the list endpoint gives no first-response time (threads come only through
``embed=threads``, truncated for chats), no agent reply count (``threads`` counts every
published thread, customer and agent alike), no priority, reopen count, satisfaction rating
(ratings sit on threads), NPS, CES, transfers, escalation or queue data. So first response time,
reopen rate, FCR and CSAT are not available; volume, resolution time, resolution rate and
backlog are.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, vocabulary

_CHANNEL = {"email": "email", "chat": "chat", "phone": "phone"}
_STATUS = {"active": "open", "open": "open", "pending": "pending", "closed": "closed"}


def _text(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _prepare(document: Any) -> list[dict] | None:
    """The conversations of a Mailbox API 2.0 list response, without their HAL link and
    embedding members (the loader does not accept names that start with '_')."""
    if not isinstance(document, dict) or not isinstance(document.get("_embedded"), dict):
        return None
    records = document["_embedded"].get("conversations")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return None
    return [{k: v for k, v in r.items() if not k.startswith("_")} for r in records]


def _resolved_at(col) -> pl.Expr:
    # ISO text: the loader's typing parses it and reports a value it cannot read.
    closed = _text(col("status")).str.to_lowercase() == "closed"
    return pl.when(closed).then(_text(col("closedAt")))


def _customer(col) -> pl.Expr:
    return pl.coalesce(_text(col("primaryCustomer.id")), _text(col("customer.id")))


SOURCE = Source(
    name="helpscout",
    title="Help Scout conversations (Mailbox API 2.0 list response, JSON)",
    docs=(
        "https://developer.helpscout.com/mailbox-api/endpoints/conversations/list/ and "
        "https://developer.helpscout.com/mailbox-api/endpoints/conversations/get/ (response fields)"
    ),
    fields={
        "ticket_id": Field("id"),
        "created_at": Field("createdAt"),
        "channel": Field("type", vocabulary(_CHANNEL)),
        "agent": Field("assignee.id"),
        "team": Field(("mailboxId", "mailbox.id")),
        "status": Field("status", vocabulary(_STATUS)),
        "customer_id": Derived(("primaryCustomer.id", "customer.id"), _customer),
        "resolved_at": Derived(("status", "closedAt"), _resolved_at),
    },
    signature=frozenset(
        {
            "mailboxId",
            "folderId",
            "primaryCustomer.id",
            "userUpdatedAt",
            "customerWaitingSince.time",
            "source.via",
        }
    ),
    variants=(
        # API v1 single conversations, {"item": {...}} (GET /v1/conversations/{id}.json)
        frozenset({"folderId", "mailbox.id", "customer.id", "modifiedAt", "closedBy", "threadCount", "source.via"}),
    ),
    prepare=_prepare,
    notes=(
        "Read the API response documents (one per page). No first-response time, reply "
        "counts, reopens or ratings in the list endpoint; spam conversations are reported."
    ),
)
