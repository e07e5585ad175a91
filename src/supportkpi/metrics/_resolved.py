"""Which contacts count as resolved: a ``resolved_at`` timestamp (or a ``resolution_seconds``
duration) is present and the contact was not abandoned in a queue. Shared by the KPIs whose
denominator is "resolved contacts"."""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context


def resolved(ctx: Context) -> pl.Expr:
    """Resolved, and handled (a call abandoned in the queue was never a case to resolve)."""
    ctx.need_any("resolved_at", "resolution_seconds")
    return (ctx.known("resolved_at") | ctx.known("resolution_seconds")) & ~ctx.abandoned


def resolution_unknown(ctx: Context) -> pl.Expr:
    """The resolution column held an unparseable value, so whether it was resolved is unknown."""
    bad = ctx.invalid("resolved_at") | ctx.invalid("resolution_seconds")
    return ~resolved(ctx) & bad & ~ctx.abandoned
