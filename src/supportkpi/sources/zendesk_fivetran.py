"""Zendesk Support tickets as Fivetran lands them: the ``ticket`` table (CSV or any table
export), one row per ticket, with the API's nested fields flattened with ``_`` (``via_channel``)
and Fivetran's ``_fivetran_synced``. Times are text ``2020-02-19 01:54:52``, UTC as Fivetran
writes them.

What maps where (as in the API preset, ``zendesk``): ``id``, ``created_at``, ``via_channel`` (the
channel), ``assignee_id`` (agent), ``group_id`` (team), ``priority``, ``status``,
``requester_id`` (customer), ``type`` (topic).

Deleted tickets (``status`` ``deleted``) are left out of every KPI, as Zendesk's own reports
leave them out, and counted with that reason.

The ``ticket`` table holds no metrics: first response, resolution, reopens and replies live in
Fivetran's other tables (``ticket_field_history``, ``ticket_comment``...), and ratings in
``satisfaction_rating``; on its own the table gives volume, status, priority and channel counts.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Field, LeaveOut, Source, vocabulary
from supportkpi.sources.zendesk import CHANNEL, PRIORITY, STATUS

_MARKERS = frozenset({"_fivetran_synced", "x_fivetran_synced"})


def _deleted(col) -> pl.Expr:
    return col("status").cast(pl.String).str.strip_chars().str.to_lowercase() == "deleted"


SOURCE = Source(
    name="zendesk_fivetran",
    title="Zendesk Support tickets as Fivetran lands them (ticket table)",
    docs=(
        "https://fivetran.com/docs/connectors/applications/zendesk#schemainformation ; "
        "https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/"
    ),
    fields={
        "ticket_id": Field("id"),
        "created_at": Field("created_at"),
        "channel": Field("via_channel", vocabulary(CHANNEL)),
        "agent": Field("assignee_id"),
        "team": Field("group_id"),
        "priority": Field("priority", vocabulary(PRIORITY)),
        # deleted is known: those rows are left out with their reason, not reported as unknown
        "status": Field("status", vocabulary({**STATUS, "deleted": None})),
        "customer_id": Field("requester_id"),
        "topic": Field("type"),
    },
    signature=frozenset({"via_channel", "requester_id", "submitter_id", "has_incidents", "ticket_form_id"}),
    needs_one_of=_MARKERS,
    leave_out=(LeaveOut("deleted ticket", ("status",), _deleted),),
    notes="Fivetran's ticket table: no metrics (other tables); deleted tickets left out",
)
