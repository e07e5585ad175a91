"""Queue facts of calls and chats, shared by the contact-center KPIs.

* answered: ``answered_at`` is present, or ``abandoned`` is false (call logs that only say
  "Answered (Y/N)").
* abandoned: ``abandoned`` is true and there is no ``answered_at``.
* offered: the contact has queue data, i.e. it was answered or abandoned (the catalog:
  ``abandoned`` or ``answered_at`` known). Emails and other contacts without queue data are not
  offered calls; the KPIs count them under "no queue data".
* wait: ``wait_seconds`` when present and not negative (a negative wait is a data error, left out
  and counted as "negative duration").
* short abandon: abandoned with a wait below the short-abandon threshold (default 5 s). An
  abandon without a wait is not short: nothing shows it was.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from pydantic import Field

from supportkpi.metrics._base import Context, Measure, duration
from supportkpi.params import SHARED, KpiParameters, Statistic

NO_QUEUE_DATA = "no queue data (not a call or chat)"


def answered(ctx: Context) -> pl.Expr:
    ctx.need_any("answered_at", "abandoned")
    picked_up = ctx.known("answered_at")
    if ctx.has("abandoned"):
        picked_up = picked_up | (pl.col("abandoned") == False).fill_null(False)  # noqa: E712
    return picked_up


def abandoned(ctx: Context) -> pl.Expr:
    """Abandoned and never answered; false without an ``abandoned`` column."""
    return ctx.abandoned


def offered(ctx: Context) -> pl.Expr:
    return answered(ctx) | abandoned(ctx)


def negative_wait(ctx: Context) -> pl.Expr:
    return (pl.col("wait_seconds") < 0).fill_null(False)


def has_wait(ctx: Context) -> pl.Expr:
    return (pl.col("wait_seconds") >= 0).fill_null(False)


def short_abandon_field() -> Any:
    """The short-abandon threshold in seconds (default 5), a parameter of the service level and
    the abandonment rate: the catalog has one, so setting it under one KPI sets it for both."""
    return Field(5, ge=0, json_schema_extra={SHARED: "short-abandon threshold"})


def short_abandon(ctx: Context, short_abandon_seconds: float) -> pl.Expr:
    return abandoned(ctx) & has_wait(ctx) & (pl.col("wait_seconds") < short_abandon_seconds)


HANDLE_TIME = "_handle_seconds"
"""``talk + hold + acw`` per contact, added by AHT's ``prepare`` hook (computed once, not in
every aggregation)."""
HANDLE_PARTS = ("talk_seconds", "hold_seconds", "acw_seconds")
"""The parts of handle time (AHT), in seconds: talk, hold and after-contact work."""


class HandleTimeParams(KpiParameters):
    """Contact-center durations are means by the catalog's formula (AHT, ASA, ...)."""

    statistic: Statistic = "mean"


def handle_time(ctx: Context, parts: tuple[str, ...], statistic: str) -> Measure:
    """Shared shape of AHT and its parts: the statistic over answered contacts of
    ``sum(parts)``, in seconds."""
    ctx.need(*parts)
    is_answered = ctx.rows & answered(ctx)
    complete = pl.all_horizontal(ctx.known(p) for p in parts)
    seconds = (
        pl.col(HANDLE_TIME)
        if parts == HANDLE_PARTS and ctx.has(HANDLE_TIME)
        else pl.sum_horizontal(pl.col(p) for p in parts)
    )
    negative = complete & (pl.min_horizontal(pl.col(p) for p in parts) < 0)
    excluded = {
        "unanswered": ctx.rows & abandoned(ctx),
        NO_QUEUE_DATA: ctx.rows & ~offered(ctx),
        f"lacks {' or '.join(parts)}": is_answered & ~complete,
        "negative duration": is_answered & negative,
    }
    value, n, stats, sample = duration(seconds, is_answered & complete & ~negative, statistic, 1.0)
    return Measure(
        value=value,
        n=n,
        excluded=excluded,
        stats=stats,
        variant=statistic,
        sample=sample,
        statistic=statistic,
    )
