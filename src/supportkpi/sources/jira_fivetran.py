"""Jira issues as Fivetran lands them: the ``issue`` table (CSV or any table export), one row
per issue, with ``_fivetran_synced`` and ``_fivetran_deleted``. Times are text
``2020-04-01 08:33:58``, UTC as Fivetran writes them.

What maps where:

* ``ticket_id`` = ``key`` (TP-8), else ``id``; ``created_at`` = ``created``; ``resolved_at`` =
  ``resolved`` (Jira clears it when an issue is reopened, so an open issue has none).
* ``agent`` = ``assignee`` and ``customer_id`` = ``reporter`` (account ids); ``topic`` =
  ``issue_type`` (an id).

``status`` and ``priority`` are ids into Fivetran's ``status`` / ``status_category`` and
``priority`` tables (``3`` is "In Progress" on one site and something else on another), so
without those tables they cannot be read: they are not mapped, and the KPIs that need them are
listed as not available, once, rather than every row reported. Resolution comes from
``resolved``.

Rows Fivetran keeps for issues deleted in Jira (``_fivetran_deleted`` true) are left out of
every KPI, counted with that reason.

Not available: first response (an SLA field of Jira Service Management, not in this table),
channel, CSAT, reopens, replies, and the queue KPIs.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, LeaveOut, Source

_MARKERS = frozenset({"_fivetran_synced", "x_fivetran_synced"})
_DELETED = ("_fivetran_deleted", "x_fivetran_deleted")


def _key(col) -> pl.Expr:
    return pl.coalesce(col("key").cast(pl.String), col("id").cast(pl.String))


def _deleted(col) -> pl.Expr:
    flag = pl.coalesce(*(col(n).cast(pl.String) for n in _DELETED)).str.strip_chars().str.to_lowercase()
    return flag.is_in(["true", "1", "t", "yes"])


SOURCE = Source(
    name="jira_fivetran",
    title="Jira issues as Fivetran lands them (issue table)",
    docs=(
        "https://fivetran.com/docs/connectors/applications/jira#schemainformation ; "
        "https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/"
    ),
    fields={
        "ticket_id": Derived(("key", "id"), _key),
        "created_at": Field("created"),
        "resolved_at": Field("resolved"),
        "agent": Field("assignee"),
        "customer_id": Field("reporter"),
        "topic": Field("issue_type"),
    },
    signature=frozenset({"key", "created", "resolved", "issue_type", "status_category_changed", "work_ratio"}),
    needs_one_of=_MARKERS,
    leave_out=(LeaveOut("issue deleted in Jira (_fivetran_deleted)", _DELETED, _deleted),),
    notes=(
        "status and priority are ids into Fivetran's status/priority tables: not mapped "
        "(resolution from `resolved`); _fivetran_deleted rows left out"
    ),
)
