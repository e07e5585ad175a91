"""Jira Service Management requests as the Jira REST search returns them
(``GET /rest/api/3/search`` or ``/search/jql``, or ``/rest/api/2/search`` on Data Center:
``{"issues": [{"key": ..., "fields": {...}}, ...]}``), read with ``fields=*all`` or with the
fields below listed. Nested objects arrive flattened (``fields.status.name``).

What maps where:

* ``ticket_id`` = ``key`` (HELP-101); ``created_at`` = ``fields.created`` and ``resolved_at`` =
  ``fields.resolutiondate``, Jira timestamps such as ``2024-03-05T14:22:10.123+0100`` (the offset
  is the API user's time zone; it may change with daylight saving inside one export, which is
  fine: each value carries its own). Jira clears the resolution date when an issue is reopened,
  so an unresolved request has none.
* ``status`` from ``fields.status.statusCategory.key``, not from the status name: status names are
  each site's own workflow ("Waiting for support", "Waiting for customer", "Canceled"...), the
  three categories are Jira's: new (To Do) is new, indeterminate (In Progress) is open, done is
  closed.
* ``priority`` = ``fields.priority.name``: Jira Cloud's default scheme Highest / High / Medium /
  Low / Lowest is urgent / high / normal / low / low; the classic scheme Blocker / Critical /
  Major / Minor / Trivial is urgent / high / normal / low / low (Major was its default). A site's
  own priority names (e.g. "P1") are reported, not guessed: map them with ``--map priority=...``
  on a column of canonical values, or rename them in Jira.
* ``agent`` = ``fields.assignee.displayName``; ``customer_id`` = the reporter (the customer who
  raised the request): ``fields.reporter.accountId`` (Cloud), else ``fields.reporter.key``
  (Data Center).
* ``topic`` = the request type: JSM's "Customer Request Type" field
  (``fields.customfield_NNNNN.requestType.name``).
* ``first_response_at`` = when the "Time to first response" SLA stopped in its first completed
  cycle (``completedCycles[0].stopTime``), i.e. JSM's own first-response event (with the default
  SLA: the first comment visible to the customer, or resolution).

Custom field ids differ per site (``customfield_10010`` on one site is ``customfield_11266`` on
another), so this preset does not name them: it finds the Customer Request Type field by its
shape (an object with ``requestType.name``) and the SLA field by the name the SLA value carries
itself (``"name": "Time to first response"``, JSM's default, compared without regard to case).
A site whose SLA is renamed or translated ("First Reply Time", "Erste Antwort"), or an export
without that SLA field, gives an empty ``first_response_at``: every request is then counted as
"no response yet", so check that figure. A column of scalar values can override any mapped
column with ``--map COLUMN=HEADER`` (kpi.yaml ``columns:``), e.g.
``--map topic=fields.customfield_10010.requestType.name``; the SLA itself cannot be chosen that
way, since its cycles are a list (kept as JSON text).

Judgement calls: the SLA's ``elapsedTime.millis`` is not used, because it is measured on the
SLA's calendar (often business hours) and excludes paused time, while ``first_response_seconds``
is calendar time; first response time is computed from ``stopTime`` instead (calendar time, or
business hours through supportkpi's own schedules). SLAs in ``OLD_SLA_FORMAT`` carry no
``stopTime`` and so give no first response. The "Time to resolution" SLA is not needed:
``resolutiondate`` gives the resolution; the SLAs' ``breached`` flags are not read either,
``sla_compliance`` applies the policy declared in kpi.yaml.

Not available: CSAT (JSM's Satisfaction field is not documented as an issue-field value; the
ratings are in ``/rest/servicedeskapi/request/{key}/feedback``), channel (the request channel is
not an issue field), reopens, agent replies, escalation, transfers, team, and the queue/call KPIs.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, vocabulary

_PRIORITIES = {
    "highest": "urgent",
    "high": "high",
    "medium": "normal",
    "low": "low",
    "lowest": "low",
    "blocker": "urgent",
    "critical": "high",
    "major": "normal",
    "minor": "low",
    "trivial": "low",
}
_STATUS_CATEGORIES = {"new": "new", "indeterminate": "open", "done": "closed", "undefined": None}

_CUSTOM = r"^fields\.customfield_\d+\."
_FIRST_RESPONSE_SLA = "time to first response"


def _completed_cycles(sla_name: str):
    """The ``completedCycles`` (JSON text) of the SLA field whose own ``name`` is ``sla_name``,
    whichever custom field holds it."""

    def pick(fields: pl.Series) -> pl.Series:
        frame = fields.struct.unnest()
        candidates = [
            pl.when(pl.col(name).str.strip_chars().str.to_lowercase() == sla_name).then(
                pl.col(name.removesuffix(".name") + ".completedCycles")
            )
            for name in frame.columns
            if name.endswith(".name") and name.removesuffix(".name") + ".completedCycles" in frame.columns
        ]
        if not candidates:
            return pl.Series(fields.name, [None] * len(frame), dtype=pl.String)
        return frame.select(pl.coalesce(candidates)).to_series()

    # the literal keeps the struct non-empty when the export has no custom field at all
    slas = pl.struct(pl.lit(None, pl.String).alias("_"), pl.col(_CUSTOM + r"(name|completedCycles)$"))
    return slas.map_batches(pick, return_dtype=pl.String)


def _first_response_at(col) -> pl.Expr:
    cycles = _completed_cycles(_FIRST_RESPONSE_SLA)
    return pl.coalesce(
        cycles.str.json_path_match("$[0].stopTime.jira"),
        cycles.str.json_path_match("$[0].stopTime.iso8601"),
    )


def _request_type(col) -> pl.Expr:
    return pl.coalesce(pl.col(_CUSTOM + r"requestType\.name$"), pl.lit(None, pl.String))


SOURCE = Source(
    name="jira_sm",
    title="Jira Service Management requests (Jira REST search JSON)",
    docs=(
        "https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/ ; "
        "https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/ "
        "(SlaInformation: completedCycles[].startTime/stopTime/breached/elapsedTime) ; "
        "https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-status-categories/ ; "
        "https://developer.atlassian.com/cloud/jira/service-desk/exploring-the-jira-service-desk-domain-model-via-the-rest-apis"
    ),
    fields={
        "ticket_id": Field("key"),
        "created_at": Field("fields.created"),
        "resolved_at": Field("fields.resolutiondate"),
        "status": Field("fields.status.statusCategory.key", vocabulary(_STATUS_CATEGORIES)),
        "priority": Field("fields.priority.name", vocabulary(_PRIORITIES)),
        "agent": Field("fields.assignee.displayName"),
        "customer_id": Derived(
            ("fields.reporter.accountId", "fields.reporter.key"),
            lambda col: pl.coalesce(col("fields.reporter.accountId"), col("fields.reporter.key")),
        ),
        "topic": Derived(("fields.created",), _request_type),
        "first_response_at": Derived(("fields.created",), _first_response_at),
    },
    signature=frozenset(
        {
            "fields.created",
            "fields.resolutiondate",
            "fields.status.name",
            "fields.status.statusCategory.key",
            "fields.priority.name",
            "fields.issuetype.name",
        }
    ),
    notes="SLA and request-type custom fields are found by their content, not their ids",
)
