"""Queue facts of calls and chats, shared by the contact-center KPIs.

* answered: ``answered_at`` is present. Without an ``answered_at`` column, a contact with
  ``abandoned = false`` counts as answered (call logs that only say "Answered (Y/N)").
* abandoned: ``abandoned = true``.
* offered: the contact has queue data, i.e. it was answered or abandoned. Emails and other
  contacts without queue data are not offered calls; the KPIs count them under "no queue data".
* short abandon: abandoned with ``wait_seconds`` below the short-abandon threshold (default 5 s).
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, Measure, duration

NO_QUEUE_DATA = "no queue data (not a call or chat)"


def answered(ctx: Context) -> pl.Expr:
    ctx.need_any("answered_at", "abandoned")
    if ctx.has("answered_at"):
        return pl.col("answered_at").is_not_null()
    return pl.col("abandoned").not_().fill_null(False)


def abandoned(ctx: Context) -> pl.Expr:
    if ctx.has("abandoned"):
        return pl.col("abandoned").fill_null(False) & ~answered(ctx)
    return pl.lit(False)


def offered(ctx: Context) -> pl.Expr:
    return answered(ctx) | abandoned(ctx)


def short_abandon(ctx: Context, short_abandon_seconds: float) -> pl.Expr:
    return abandoned(ctx) & (pl.col("wait_seconds") < short_abandon_seconds).fill_null(False)


def handle_time(ctx: Context, parts: tuple[str, ...], statistic: str) -> Measure:
    """Shared shape of AHT and its parts: the statistic over answered contacts of
    ``sum(parts)``, in seconds."""
    ctx.need(*parts)
    is_answered = ctx.rows & answered(ctx)
    complete = pl.all_horizontal(ctx.known(p) for p in parts)
    seconds = pl.sum_horizontal(pl.col(p) for p in parts)
    negative = complete & (pl.min_horizontal(pl.col(p) for p in parts) < 0)
    excluded = {
        "unanswered": ctx.rows & abandoned(ctx),
        NO_QUEUE_DATA: ctx.rows & ~offered(ctx),
        f"lacks {' or '.join(parts)}": is_answered & ~complete,
        "negative duration": is_answered & negative,
    }
    value, n, stats = duration(seconds, is_answered & complete & ~negative, statistic, 1.0)
    return Measure(value=value, n=n, excluded=excluded, stats=stats, variant=statistic)
