"""Zendesk Support's ticket CSV export (Admin Center > Account > Tools > Reports > Export > CSV
export, delivered as a zipped CSV; unzip it first). One row per ticket with fixed columns:

``Summation column, Id, Requester, Requester id, Requester external id, Requester email,
Requester domain, Submitter, Assignee, Group, Subject, Tags, Status, Priority, Via, Ticket type,
Created at, Updated at, Assigned at, Organization, Due date, Initially assigned at, Solved at,
Resolution time, Satisfaction Score, Group stations, Assignee stations, Reopens, Replies,
First reply time in minutes[ within business hours], First resolution time in minutes[ ...],
Full resolution time in minutes[ ...], Agent wait time in minutes[ ...], Requester wait time in
minutes[ ...], On hold time in minutes[ ...]``, then one column per custom field
(``Name [list]``, ``[txt]``, ``[flag]``...).

The parts of Zendesk's article on the export that could be read do not list its columns; the
header above and the value formats are those that several independent public parsers of real
exports agree on: the same header in the same order; ``Status``, ``Priority`` and ``Ticket type`` capitalised
("Solved", "High", "Incident"); ``Via`` as words ("Mail", "Web form", "Native Messaging",
"Instagram DM", "Closed Ticket"); ``Satisfaction Score`` "Good", "Bad", "Offered", "Not Offered";
timestamps as ``YYYY-MM-DD HH:MM`` without a zone, i.e. the account's local time: pass ``--tz``
with the account's time zone. The metric columns are Zendesk's ticket metrics (the same numbers
as the API's ``reply_time_in_minutes`` etc.), in whole minutes.

What maps where: ``Id`` -> ticket_id; ``Created at`` -> created_at; ``Solved at`` ->
resolved_at; ``First reply time in minutes`` -> first_response_seconds and ``Full resolution
time in minutes`` (creation to the latest solve) -> resolution_seconds, minutes to seconds (the
"within business hours" twins are Zendesk's business-hours figures: left to the business-hours
work, not mapped); ``Reopens``; ``Replies`` (public agent replies) -> agent_replies;
``Assignee`` -> agent and ``Group`` -> team (names); ``Requester id`` -> customer_id (the id, not
the name or email); ``Ticket type`` -> topic (lower case, as the API writes it).
``Satisfaction Score``: Good = 5, Bad = 1 on the 1-5 scale, Offered / Not Offered = no answer,
so CSAT (top-2-box or exclude_neutral alike) is Zendesk's good / (good + bad).
``Status``: New, Open, Pending, Hold / On-hold -> on_hold, Solved, Closed; a deleted ticket
("Deleted") is left out of every KPI, as Zendesk's own reports leave it out and as the API
preset does, and counted with that reason. ``Priority``: Low, Normal, High, Urgent; "-"
(the export's mark for an empty value) is no priority.
``Via`` -> channel, by the via names of Zendesk's via-types reference plus the spellings seen in
real exports: Mail/Email -> email; Web form, Feedback tab, Closed ticket -> web; Chat -> chat;
Native Messaging, Instagram DM -> messaging; Text message -> sms; Voicemail, Phone call
(incoming/outbound) -> phone; Facebook post, X, X DM, Twitter -> social; Web service (API),
Ticket sharing, Trigger/automation -> other (how the ticket was made, not where the customer
wrote). Other via names could not be confirmed and are reported when they occur.

Left out, because the sources do not confirm what they hold: ``Resolution time`` (its unit is
not documented), ``Summation column``. Zendesk's *view* CSV exports are not this preset: their
columns are whatever the view shows, titled as in the view ("ID", "Requested", "Updated", ...),
and the formats of their dates could not be confirmed; map them with ``--map``.

Not available from this export: first_response_at as a timestamp (the minutes serve),
escalation rate, transfer rate (group/assignee stations are not transfers), NPS, CES, QA score,
the call/chat queue KPIs, conversion rate. As for the JSON preset, the minute counts may differ
from the timestamps by rounding; the data-quality report flags disagreements of a minute or more.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Field, LeaveOut, Source, minutes, vocabulary

STATUS = {
    "new": "new",
    "open": "open",
    "pending": "pending",
    "hold": "on_hold",
    "on-hold": "on_hold",
    "on hold": "on_hold",
    "solved": "solved",
    "closed": "closed",
}
PRIORITY = {"low": "low", "normal": "normal", "high": "high", "urgent": "urgent", "-": None}
TYPE = {"question": "question", "incident": "incident", "problem": "problem", "task": "task", "-": None}
CHANNEL = {
    "mail": "email",
    "email": "email",
    "web form": "web",
    "feedback tab": "web",
    "closed ticket": "web",
    "chat": "chat",
    "native messaging": "messaging",
    "instagram dm": "messaging",
    "text message": "sms",
    "voicemail": "phone",
    "phone call (incoming)": "phone",
    "phone call (outbound)": "phone",
    "facebook post": "social",
    "x": "social",
    "x dm": "social",
    "twitter": "social",
    "web service (api)": "other",
    "web service": "other",
    "ticket sharing": "other",
    "trigger, automation": "other",
}


def _deleted(col) -> pl.Expr:
    return col("Status").cast(pl.String).str.strip_chars().str.to_lowercase() == "deleted"


CSAT = {"good": 5.0, "bad": 1.0, "offered": None, "not offered": None, "unoffered": None}

SOURCE = Source(
    name="zendesk_csv",
    title="Zendesk Support ticket CSV export (Summation column, Id, ..., Satisfaction Score, metric minutes)",
    docs=(
        "https://support.zendesk.com/hc/en-us/articles/4408886165402 (Exporting data to a JSON, CSV, "
        "or XML file) ; https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_metrics/ ; "
        "https://developer.zendesk.com/documentation/ticketing/reference-guides/via-types/ ; "
        "header and value formats as read by public parsers of real exports"
    ),
    fields={
        "ticket_id": Field("Id"),
        "created_at": Field("Created at"),
        "channel": Field("Via", vocabulary(CHANNEL)),
        "agent": Field("Assignee"),
        "team": Field("Group"),
        "priority": Field("Priority", vocabulary(PRIORITY)),
        # deleted is known: those rows are left out with their reason, not reported as unknown
        "status": Field("Status", vocabulary({**STATUS, "deleted": None})),
        "customer_id": Field("Requester id"),
        "topic": Field("Ticket type", vocabulary(TYPE)),
        "first_response_seconds": Field("First reply time in minutes", minutes),
        "resolved_at": Field("Solved at"),
        "resolution_seconds": Field("Full resolution time in minutes", minutes),
        "reopens": Field("Reopens"),
        "agent_replies": Field("Replies"),
        "csat": Field("Satisfaction Score", vocabulary(CSAT)),
    },
    signature=frozenset(
        {
            "Summation column",
            "Satisfaction Score",
            "First reply time in minutes",
            "Full resolution time in minutes",
            "Requester wait time in minutes",
            "Initially assigned at",
            "Group stations",
        }
    ),
    leave_out=(LeaveOut("deleted ticket", ("Status",), _deleted),),
)
