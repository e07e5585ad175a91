"""Zendesk Support tickets from the API, with their ticket metrics side-loaded:

``GET /api/v2/tickets.json?include=metric_sets`` or the incremental export
``GET /api/v2/incremental/tickets/cursor.json?start_time=...&include=metric_sets``, saved as
JSON: ``{"tickets": [...], "metric_sets": [...], ...}``.

:func:`prepare` joins each metric set onto its ticket (``metric_set.ticket_id`` = ``id``) under
the key ``metric_set``, so its fields read as ``metric_set.reply_time_in_minutes.calendar``. A
ticket without a metric set (a deleted one, for instance) keeps its ticket fields only. A
document without a ``tickets`` array is not this source's. A file holding only ``{"tickets":
[...]}`` is read too (it is the layout sync tools land as well); the metric columns are then missing and
so are the KPIs that need them.

What maps where:

* ``id`` -> ``ticket_id``; ``created_at`` (the ticket's, not the metric set's) -> ``created_at``;
  ``assignee_id`` -> ``agent``; ``group_id`` -> ``team``; ``requester_id`` -> ``customer_id``;
  ``type`` (question, incident, problem, task) -> ``topic``. Agents, groups and requesters stay
  ids: names need the users/groups side-loads, which this preset does not read.
* ``status``: new, open, pending, ``hold`` -> on_hold, solved, closed. The incremental export
  (and a landed ``ticket`` table) also holds deleted tickets with status ``deleted``: they are
  left out of every KPI, as Zendesk's own reports leave them out, and counted with that reason.
* ``priority``: low, normal, high, urgent; null (no priority) stays empty.
* ``via.channel`` (the ticket channel of Zendesk's via types): email, web, chat; voice -> phone;
  native_messaging, whatsapp, instagram_dm, sunshine_conversations_facebook_messenger ->
  messaging; sms -> sms; twitter, facebook -> social; mobile_sdk (the Support SDK's request
  form), answer_bot_for_web_widget, forum -> web; chat_transcript -> chat; api, any_channel
  (channel-framework integrations), rule (created by a trigger), mobile (the agent app) -> other:
  the API says how the ticket was made, not where the customer wrote, so they are "other" on
  purpose. Any other channel (closed_ticket, side_conversation, sample_ticket, ...) is reported.
* ``metric_set.reply_time_in_minutes.calendar`` -> ``first_response_seconds`` and
  ``metric_set.full_resolution_time_in_minutes.calendar`` (creation to the latest solve) ->
  ``resolution_seconds``, minutes converted to seconds. The ``business`` halves of both are
  Zendesk's business-hours figures under its own schedule; they belong to the business-hours
  work (kpi.yaml calendars) and are not mapped here.
* ``metric_set.solved_at`` -> ``resolved_at``; ``metric_set.reopens`` -> ``reopens``;
  ``metric_set.replies`` (public agent replies) -> ``agent_replies``.
* ``satisfaction_rating.score`` (legacy CSAT) -> ``csat`` on the 1-5 scale: good = 5, bad = 1;
  offered (survey sent, no answer) and unoffered are no answer. Both the default top-2-box and
  ``exclude_neutral`` then give Zendesk's own good / (good + bad). Accounts on the newer CSAT
  surveys (survey responses API) are not covered.

Sync tools (Airbyte, Fivetran, Stitch) land the same objects as tables: ``tickets``,
``ticket_metrics`` and ``satisfaction_ratings``, as streams of one file or as files given
together. The loader joins the metrics (as ``metric_set``) and the ratings (as
``satisfaction_rating``, replacing the ticket's own summary where a rating row exists; of
several rows of one ticket, the last) onto the tickets by ``ticket_id``; metrics or ratings
without their tickets are a data error naming the missing table.

Judgement calls: timestamps win over the minute counts where both exist (the engine's rule).
Zendesk's metrics are whole minutes while ``solved_at`` has seconds; the data-quality check that
compares them tolerates a minute's rounding and flags larger disagreements.

Not available from this export: escalation rate (no escalated flag), transfer rate
(``group_stations``/``assignee_stations`` count groups and assignees, not transfers, and are not
mapped), NPS, CES, QA score, and the call/chat queue KPIs (AHT, talk/hold/wrap-up time, ASA,
service level, abandonment), conversion rate.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from supportkpi.sources._base import Companion, Field, LeaveOut, Source, minutes, vocabulary

STATUS = {
    "new": "new",
    "open": "open",
    "pending": "pending",
    "hold": "on_hold",
    "solved": "solved",
    "closed": "closed",
}
PRIORITY = {"low": "low", "normal": "normal", "high": "high", "urgent": "urgent"}
CHANNEL = {
    "email": "email",
    "web": "web",
    "mobile_sdk": "web",
    "answer_bot_for_web_widget": "web",
    "forum": "web",
    "chat": "chat",
    "chat_transcript": "chat",
    "voice": "phone",
    "native_messaging": "messaging",
    "whatsapp": "messaging",
    "instagram_dm": "messaging",
    "sunshine_conversations_facebook_messenger": "messaging",
    "sms": "sms",
    "twitter": "social",
    "facebook": "social",
    "api": "other",
    "any_channel": "other",
    "rule": "other",
    "mobile": "other",
}


def _deleted(col) -> pl.Expr:
    return col("status").cast(pl.String).str.strip_chars().str.to_lowercase() == "deleted"


CSAT = {"good": 5.0, "bad": 1.0, "offered": None, "unoffered": None}


def prepare(document: Any) -> list[dict] | None:
    """The tickets of an API document, each with its side-loaded metric set under
    ``metric_set``; None when the document holds no ``tickets`` array."""
    if not isinstance(document, dict) or not isinstance(document.get("tickets"), list):
        return None
    metric_sets: dict[str, dict] = {}
    for metric_set in document.get("metric_sets") or []:
        if isinstance(metric_set, dict) and metric_set.get("ticket_id") is not None:
            metric_sets.setdefault(str(metric_set["ticket_id"]), metric_set)
    records = []
    for ticket in document["tickets"]:
        metric_set = metric_sets.get(str(ticket.get("id"))) if isinstance(ticket, dict) else None
        # anything not an object is passed on unchanged, for the reader to report
        records.append({**ticket, "metric_set": metric_set} if metric_set is not None else ticket)
    return records


SOURCE = Source(
    name="zendesk",
    title="Zendesk Support tickets API / incremental export with include=metric_sets (JSON)",
    docs=(
        "https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/ ; "
        "https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metrics/ ; "
        "https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/ ; "
        "https://developer.zendesk.com/documentation/ticketing/reference-guides/via-types/ ; "
        "https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/"
    ),
    fields={
        "ticket_id": Field("id"),
        "created_at": Field("created_at"),
        "channel": Field("via.channel", vocabulary(CHANNEL)),
        "agent": Field("assignee_id"),
        "team": Field("group_id"),
        "priority": Field("priority", vocabulary(PRIORITY)),
        # deleted is known: those rows are left out with their reason, not reported as unknown
        "status": Field("status", vocabulary({**STATUS, "deleted": None})),
        "customer_id": Field("requester_id"),
        "topic": Field("type"),
        "first_response_seconds": Field("metric_set.reply_time_in_minutes.calendar", minutes),
        "resolved_at": Field("metric_set.solved_at"),
        "resolution_seconds": Field("metric_set.full_resolution_time_in_minutes.calendar", minutes),
        "reopens": Field("metric_set.reopens"),
        "agent_replies": Field("metric_set.replies"),
        "csat": Field("satisfaction_rating.score", vocabulary(CSAT)),
    },
    signature=frozenset(
        {
            "via.channel",
            "raw_subject",
            "has_incidents",
            "submitter_id",
            "metric_set.reply_time_in_minutes.calendar",
            "metric_set.full_resolution_time_in_minutes.calendar",
        }
    ),
    variants=(
        # the tickets table as sync tools land it (Airbyte's tickets stream, Fivetran's ticket
        # table with via.channel flattened to via_channel), without the metric sets
        frozenset({"via.channel", "has_incidents", "submitter_id", "requester_id", "is_public", "ticket_form_id"}),
    ),
    prepare=prepare,
    leave_out=(LeaveOut("deleted ticket", ("status",), _deleted),),
    table="tickets",
    tables={
        "ticket_metrics": Companion(
            key="ticket_id",
            prefix="metric_set",
            signature=frozenset(
                {"ticket_id", "reply_time_in_minutes.calendar", "full_resolution_time_in_minutes.calendar"}
            ),
            title="Zendesk ticket metrics",
            aliases=("ticket_metric",),
        ),
        "satisfaction_ratings": Companion(
            key="ticket_id",
            prefix="satisfaction_rating",
            signature=frozenset({"ticket_id", "score", "requester_id", "assignee_id", "group_id"}),
            title="Zendesk satisfaction ratings",
            aliases=("satisfaction_rating",),
        ),
    },
)
