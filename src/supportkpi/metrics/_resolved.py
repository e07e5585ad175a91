"""Which contacts count as resolved. Shared by the KPIs whose denominator is "resolved
contacts".

Resolved means a ``resolved_at`` timestamp (or a ``resolution_seconds`` duration) is present,
or, on a contact without either, a ``status`` of solved or closed.
An export with neither says it otherwise: a ``resolved`` yes/no column, else a ``status`` of
solved or closed. The resolution is then taken from there, and the KPI says so in its variant
("resolved taken from status (solved/closed)"); a contact whose flag or status is missing or
not understood is left out, as its resolution is unknown. A contact abandoned in a queue is
never resolved: it was never a case to resolve.
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context
from supportkpi.schema import RESOLVED_STATUSES

_TIMES = ("resolved_at", "resolution_seconds")


def evidence(ctx: Context) -> str:
    """The column resolution is read from: ``resolved_at`` (or its duration), ``resolved`` or
    ``status``."""
    ctx.need_any(*_TIMES, "resolved", "status")
    if any(ctx.has(c) for c in _TIMES):
        return "resolved_at"
    return "resolved" if ctx.has("resolved") else "status"


def note(ctx: Context) -> str | None:
    """What a KPI's variant says when resolution is not read from a timestamp."""
    column = evidence(ctx)
    if column == "status":
        return f"resolved taken from status ({'/'.join(RESOLVED_STATUSES)})"
    if column == "resolved":
        return "resolved taken from the resolved (yes/no) column"
    return None


def resolved(ctx: Context) -> pl.Expr:
    """Resolved, and handled (a call abandoned in the queue was never a case to resolve)."""
    column = evidence(ctx)
    if column == "resolved":
        done = pl.col("resolved").fill_null(False)
    elif column == "status":
        done = pl.col("status").is_in(list(RESOLVED_STATUSES)).fill_null(False)
    else:
        done = ctx.known("resolved_at") | ctx.known("resolution_seconds")
        if ctx.has("status"):
            # a solved or closed contact without its time (a Zendesk ticket whose metrics were
            # not exported) is resolved all the same; only its resolution time is unknown
            timeless = ~done & ~ctx.invalid("resolved_at") & ~ctx.invalid("resolution_seconds")
            done = done | (timeless & pl.col("status").is_in(list(RESOLVED_STATUSES)).fill_null(False))
    return done & ~ctx.abandoned


def resolution_unknown(ctx: Context) -> pl.Expr:
    """Whether it was resolved is unknown: the resolution column held an unparseable value (or,
    read from a flag or a status, none that is understood)."""
    column = evidence(ctx)
    if column in ("resolved", "status"):
        return pl.col(column).is_null() & ~ctx.abandoned
    bad = ctx.invalid("resolved_at") | ctx.invalid("resolution_seconds")
    return ~resolved(ctx) & bad & ~ctx.abandoned


def unknown_reasons(ctx: Context) -> dict[str, pl.Expr]:
    """The exclusions of contacts whose resolution is unknown, by reason."""
    column = evidence(ctx)
    if column in ("resolved", "status"):
        unknown = pl.col(column).is_null() & ~ctx.abandoned
        return {
            f"no {column}": unknown & ~ctx.invalid(column),
            **{reason: unknown & bad for reason, bad in ctx.unparseable(column).items()},
        }
    return {reason: ~resolved(ctx) & bad & ~ctx.abandoned for reason, bad in ctx.unparseable(*_TIMES).items()}
