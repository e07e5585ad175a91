"""Amazon Connect contact records (CTR, "contact trace records"): one record per contact, as
the contact record export stream (Kinesis Data Streams / Firehose, one JSON object per line) or a
JSON array of such records. Nested objects are read as dotted names (``Agent.Username``).

What maps where:

* ``ticket_id`` = ``ContactId``; ``created_at`` = ``InitiationTimestamp`` (UTC, ISO 8601).
* ``channel`` = ``Channel``: VOICE -> phone, CHAT -> chat, EMAIL -> email, TASK -> other (a task
  is back-office work, not a customer channel); any other value is reported.
* ``agent`` = ``Agent.Username``; ``team`` = ``Queue.Name``; ``customer_id`` =
  ``CustomerEndpoint.Address`` (the caller's number in E.164).
* ``wait_seconds`` = ``Queue.Duration`` (whole seconds from ``EnqueueTimestamp`` to
  ``DequeueTimestamp``: answer or hang-up).
* ``talk_seconds`` = ``Agent.AgentInteractionDuration``, ``hold_seconds`` =
  ``Agent.CustomerHoldDuration``, ``acw_seconds`` = ``Agent.AfterContactWorkDuration`` (whole
  seconds). Amazon's "agent interaction time" excludes hold and ACW, so the three parts add up to
  its handle time without overlap.

Offered, answered, abandoned (the queue KPIs):

* A contact is *offered* when it entered a queue (``Queue.EnqueueTimestamp``) and was started by
  or for the customer: ``InitiationMethod`` INBOUND, TRANSFER or QUEUE_TRANSFER (the customer
  waits again in the next queue; Connect writes a new record for each such leg, so each leg is
  a contact here, as in Connect's own queue metrics), API (chats started with StartChatContact)
  or WEBRTC_API (in-app calls).
* Answered = offered with ``Agent.ConnectedToAgentTimestamp`` (-> ``answered_at``); abandoned =
  offered and never connected to an agent (Connect's own definition of an abandoned contact).
* Judgement call: a queued contact that left the queue without an agent but with a
  ``NextContactId`` moved on to another contact (a queued callback or a transfer to another
  queue). Connect does not count those as abandoned, so here they are neither answered nor
  abandoned: no queue data.
* OUTBOUND, CALLBACK (the callback leg: the customer did not wait on the line), MONITOR,
  DISCONNECT and other contacts, and contacts that never entered a queue (IVR only), have no
  queue data: they count in ticket volume but not in ASA, service level, abandonment or AHT and
  its parts (those are inbound figures here).
* ``transfers`` (answered contacts only) = 1 when the contact was passed on: a
  ``NextContactId`` (transfer to an agent or queue, which starts a new TRANSFER record) or a
  ``TransferCompletedTimestamp`` (transfer out of Connect to an external number); else 0.

Not in a contact record, so not available: resolution (``resolved_at``/``status``: a contact
record has no case state, ``DisconnectTimestamp`` is the end of the call, not a resolution),
first response time, reopens, FCR, backlog, escalation, CSAT/NPS/CES (post-contact surveys live
in contact attributes whose names each instance chooses: map them with ``--map csat=...``).

Connect delivers records at least once, and again when a record is updated (an attribute set
after the call, a recording added): a re-delivered record repeats its ``ContactId``. As Connect
advises, the version with the latest ``LastUpdateTimestamp`` is kept (of equal times, the first
row); the earlier versions are left out of every KPI and counted as replaced, not reported as
duplicates (``latest``; kpi.yaml ``dedupe: first`` restores the first-row rule).
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, seconds, vocabulary

# InitiationMethod values under which a queued contact is a customer waiting for an agent
_CUSTOMER_WAITING = ["INBOUND", "TRANSFER", "QUEUE_TRANSFER", "API", "WEBRTC_API"]

_QUEUE_FIELDS = (
    "Queue.EnqueueTimestamp",
    "InitiationMethod",
    "Agent.ConnectedToAgentTimestamp",
    "NextContactId",
)


def _present(col, name: str) -> pl.Expr:
    text = col(name).cast(pl.String).str.strip_chars()
    return (text.str.len_bytes() > 0).fill_null(False)


def _connected(col) -> pl.Expr:
    return _present(col, "Agent.ConnectedToAgentTimestamp")


def _offered(col) -> pl.Expr:
    method = col("InitiationMethod").cast(pl.String).str.strip_chars().str.to_uppercase()
    moved_on = _present(col, "NextContactId") & ~_connected(col)  # queued callback, queue transfer
    return _present(col, "Queue.EnqueueTimestamp") & method.is_in(_CUSTOMER_WAITING).fill_null(False) & ~moved_on


def _abandoned(col) -> pl.Expr:
    return pl.when(_offered(col)).then(~_connected(col))


def _answered_at(col) -> pl.Expr:
    return pl.when(_offered(col) & _connected(col)).then(col("Agent.ConnectedToAgentTimestamp"))


def _transfers(col) -> pl.Expr:
    passed_on = _present(col, "NextContactId") | _present(col, "TransferCompletedTimestamp")
    return pl.when(_offered(col) & _connected(col)).then(passed_on.cast(pl.Int64))


SOURCE = Source(
    name="amazon_connect",
    title="Amazon Connect contact records (CTR export stream, JSON Lines or JSON array)",
    docs=(
        "Amazon Connect Administrator Guide: 'Contact records data model' "
        "(docs.aws.amazon.com/connect/latest/adminguide/ctr-data-model.html) and "
        "'Historical metrics definitions' (agent interaction time excludes hold and ACW)"
    ),
    fields={
        "ticket_id": Field("ContactId"),
        "created_at": Field("InitiationTimestamp"),
        "channel": Field("Channel", vocabulary({"VOICE": "phone", "CHAT": "chat", "EMAIL": "email", "TASK": "other"})),
        "agent": Field("Agent.Username"),
        "team": Field("Queue.Name"),
        "customer_id": Field("CustomerEndpoint.Address"),
        "abandoned": Derived(_QUEUE_FIELDS, _abandoned),
        "answered_at": Derived(_QUEUE_FIELDS, _answered_at),
        "wait_seconds": Field("Queue.Duration", seconds),
        "talk_seconds": Field("Agent.AgentInteractionDuration", seconds),
        "hold_seconds": Field("Agent.CustomerHoldDuration", seconds),
        "acw_seconds": Field("Agent.AfterContactWorkDuration", seconds),
        "transfers": Derived((*_QUEUE_FIELDS, "TransferCompletedTimestamp"), _transfers),
    },
    signature=frozenset(
        {
            "ContactId",
            "InitiationMethod",
            "InitiationTimestamp",
            "DisconnectTimestamp",
            "AWSContactTraceRecordFormatVersion",
            "InstanceARN",
        }
    ),
    latest=("LastUpdateTimestamp",),
)
