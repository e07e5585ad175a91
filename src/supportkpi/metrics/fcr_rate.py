"""First contact resolution (FCR) rate: the share of resolved contacts solved at first contact.

Formula: ``100 × resolved contacts resolved at first contact / resolved contacts``, where "at
first contact" is the definition chosen in kpi.yaml (``kpis.fcr_rate.definition``):

* ``one_touch`` (default): at most 1 agent reply and never reopened (``agent_replies <= 1`` and
  ``reopens == 0``), as Zendesk counts "one-touch" tickets;
* ``exactly_one_reply``: exactly 1 agent reply and never reopened (Zoho's count);
* ``no_reopen``: never reopened;
* ``single_contact``: the customer contacted once (``customer_contacts == 1``) and never
  reopened.

Resolved as :mod:`supportkpi.metrics._resolved` says (a status of solved or closed when there is
no resolution time).

Exclusions: unresolved contacts; calls and chats abandoned in the queue; resolved contacts lacking a column of the definition.
Unit: %. Better: higher.

Example: four resolved contacts; under ``one_touch`` the first two count (0 and 1 replies, no
reopen), under ``exactly_one_reply`` only the second.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> done = datetime(2025, 1, 7)
>>> frame = pl.DataFrame({"resolved_at": [done] * 4,
...                       "agent_replies": [0, 1, 1, 3], "reopens": [0, 0, 1, 0]})
>>> kpi(frame, "fcr_rate").value, kpi(frame, "fcr_rate", definition="exactly_one_reply").value
(50.0, 25.0)
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._resolved import note, resolved
from supportkpi.params import KpiParameters

INFO = KpiInfo(
    id="fcr_rate",
    title="First contact resolution",
    unit="%",
    direction="higher",
    kind="rate",
    columns=(
        "resolved_at",
        "resolution_seconds",
        "resolved",
        "status",
        "agent_replies",
        "reopens",
        "customer_contacts",
    ),
    test="proportion",
)


class Params(KpiParameters):
    """``kpis.fcr_rate`` in kpi.yaml: what counts as resolved at first contact (one of
    :data:`DEFINITIONS`)."""

    definition: Literal["one_touch", "exactly_one_reply", "no_reopen", "single_contact"] = "one_touch"


_NOT_REOPENED = pl.col("reopens") == 0
DEFINITIONS: dict[str, tuple[tuple[str, ...], pl.Expr]] = {
    "one_touch": (("agent_replies", "reopens"), (pl.col("agent_replies") <= 1) & _NOT_REOPENED),
    "exactly_one_reply": (
        ("agent_replies", "reopens"),
        (pl.col("agent_replies") == 1) & _NOT_REOPENED,
    ),
    "no_reopen": (("reopens",), _NOT_REOPENED),
    "single_contact": (
        ("customer_contacts", "reopens"),
        (pl.col("customer_contacts") == 1) & _NOT_REOPENED,
    ),
}


def at_first_contact(ctx: Context, params: Params) -> tuple[pl.Expr, pl.Expr]:
    """Under ``params.definition``: which contacts the rate counts (resolved, with every column
    of the definition known) and whether a contact was resolved at first contact. Raises
    :class:`~supportkpi.metrics._base.NotAvailable` when the frame lacks a column of the definition."""
    columns, first_contact = DEFINITIONS[params.definition]
    ctx.need(*columns)
    complete = pl.all_horizontal(ctx.known(c) for c in columns)
    return resolved(ctx) & complete, first_contact


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    counted, first_contact = at_first_contact(ctx, p)
    columns = DEFINITIONS[p.definition][0]
    is_resolved = ctx.rows & resolved(ctx)
    value, n = rate(first_contact, ctx.rows & counted)
    excluded = {
        "unresolved": ctx.rows & ~resolved(ctx) & ~ctx.abandoned,
        "abandoned": ctx.rows & ctx.abandoned,
        f"lacks {' or '.join(columns)}": is_resolved & ~counted,
        **{k: is_resolved & v for k, v in ctx.unparseable(*columns).items()},
    }
    derived = note(ctx)
    return Measure(
        value=value, n=n, excluded=excluded, variant=f"{p.definition}; {derived}" if derived else p.definition
    )
