"""Salesforce Case records, with the fields' API names as headers: a CSV from Data Loader or the
Bulk API (``"Id","CaseNumber","CreatedDate",...``, times like ``2024-03-04T08:00:00.000Z``) or the
REST query JSON (``{"totalSize": ..., "records": [{"attributes": {...}, "Id": ...}]}``, times like
``2024-03-04T08:00:00.000+0000``).

What maps where:

* ``ticket_id`` = ``CaseNumber`` (else ``Id``); ``created_at`` = ``CreatedDate`` (Date/Time
  Opened).
* ``resolved_at`` = ``ClosedDate`` while ``IsClosed`` is true. ``IsClosed`` is what Salesforce
  derives from the status (each Status value is marked closed or not in CaseStatus), so a case
  reopened to an open status is unresolved whatever ``ClosedDate`` still says.
* ``status`` = ``Status``, Salesforce's default picklist: New is new, Working and Escalated are
  open, On Hold is on_hold, Closed is closed. Orgs add their own values; those are reported (the
  resolution KPIs do not depend on them: they use ``IsClosed``).
* ``priority`` = ``Priority``, default picklist High / Medium / Low: high / normal / low.
* ``channel`` = ``Origin`` (Case Origin), default picklist Email / Phone / Web, plus Chat (cases
  created from chats); any other origin an org added is reported, not guessed.
* ``escalated`` = ``IsEscalated`` (set by escalation rules or by hand); a file without it (a
  tree export) says so only through ``Status``: Escalated is escalated, any other status not (a
  case escalated earlier and worked on since is missed there).
* ``agent`` / ``team`` = ``OwnerId``: a case's owner is a user or a queue. Ids starting ``005``
  are users (agent), ``00G`` are queues (team); a queue-owned case has no agent yet.
* ``customer_id`` = ``ContactId`` (the person who raised it; ``AccountId`` is the company).
* ``topic`` = ``Reason`` (Case Reason, the reason for contact; ``Type`` is not used).

Not available from the Case object: first response time (Salesforce has no first-reply field on
Case; entitlement milestones live in CaseMilestone), CSAT (no standard survey field), reopens,
agent replies, transfers and the queue/call KPIs.

Tree exports (``sf data export tree``, seed data for an org: ``{"records": [{"attributes":
{"type": "Case", "referenceId": "CaseRef1"}, ...}]}``) carry no ``Id`` and only the fields to
import: the reference id stands for the id where there is no ``CaseNumber``, and without
``CreatedDate`` there is nothing to time, so only counts and rates from the status come out.

Report exports (field labels as headers, dates in the user's locale) are a different layout and
are not recognised: export with Data Loader, the Bulk API or the REST API instead. Headers must
keep the API names' case.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, vocabulary

# Salesforce's default picklists (orgs add their own values; those are reported)
_STATUSES = {"new": "new", "working": "open", "escalated": "open", "on hold": "on_hold", "closed": "closed"}
_ORIGINS = {"email": "email", "phone": "phone", "web": "web", "chat": "chat"}
_USER_PREFIX = "005"
_QUEUE_PREFIX = "00G"


def _owner(prefix: str):
    def build(col) -> pl.Expr:
        owner = col("OwnerId").str.strip_chars()
        return pl.when(owner.str.starts_with(prefix)).then(owner)

    return build


def _escalated(col) -> pl.Expr:
    # IsEscalated where the file has it; a tree export carries only the Status
    flag = col("IsEscalated").str.strip_chars()
    status = col("Status").str.strip_chars().str.to_lowercase()
    by_status = pl.when(status.is_not_null()).then(
        pl.when(status == "escalated").then(pl.lit("true")).otherwise(pl.lit("false"))
    )
    return pl.coalesce(pl.when(flag.str.len_bytes() > 0).then(flag), by_status)


def _resolved_at(col) -> pl.Expr:
    closed_flag = col("IsClosed").str.strip_chars().str.to_lowercase()
    reopened = closed_flag.is_in(["false", "0"])
    return pl.when(~reopened | closed_flag.is_null()).then(col("ClosedDate"))


SOURCE = Source(
    name="salesforce_case",
    title="Salesforce Case records (Data Loader / Bulk API CSV, REST query JSON)",
    docs=(
        "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_case.htm ; "
        "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_casestatus.htm ; "
        "https://help.salesforce.com/s/articleView?id=service.cases_fields.htm"
    ),
    fields={
        "ticket_id": Derived(
            ("CaseNumber", "Id", "attributes.referenceId"),
            lambda col: pl.coalesce(col("CaseNumber"), col("Id"), col("attributes.referenceId")),
        ),
        "created_at": Field("CreatedDate"),
        "resolved_at": Derived(("ClosedDate",), _resolved_at),
        "status": Field("Status", vocabulary(_STATUSES)),
        "priority": Field("Priority", vocabulary({"high": "high", "medium": "normal", "low": "low"})),
        "channel": Field("Origin", vocabulary(_ORIGINS)),
        "escalated": Derived(("IsEscalated", "Status"), _escalated),
        "agent": Derived(("OwnerId",), _owner(_USER_PREFIX)),
        "team": Derived(("OwnerId",), _owner(_QUEUE_PREFIX)),
        "customer_id": Field("ContactId"),
        "topic": Field("Reason"),
    },
    signature=frozenset({"CaseNumber", "CreatedDate", "ClosedDate", "IsClosed", "IsEscalated", "Origin"}),
    optional=frozenset({"created_at"}),
    variants=(
        # sf data tree export / import files: {"records": [{"attributes": {"type": "Case",
        # "referenceId": ...}, ...}]}, only the fields to import
        frozenset({"attributes.type", "attributes.referenceId", "CaseNumber", "Status", "Origin"}),
    ),
    notes="resolution from ClosedDate while IsClosed; no first-response field on Case",
)
