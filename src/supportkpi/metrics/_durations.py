"""Shared shape of the two ticket durations (first response, resolution): ``end − start``
from timestamps, or a duration in seconds that some sources give instead. Timestamps win when
both exist (the engine reports disagreement as a data-quality finding). Their measure from the
seconds per row (:func:`elapsed_measure`) serves the social response time too.

In business hours (``clock="business"``) the duration is the open time of the contact's
calendar within ``[created_at, end)``, which the KPI's ``prepare`` hook
(:func:`per_row_columns`) adds as the column :func:`business_column` (the arithmetic is in
:mod:`supportkpi.calendars`): a contact created outside open hours accrues nothing until the
next opening."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

import polars as pl

from supportkpi.metrics._base import Context, Measure, NotAvailable, RunEnv, duration
from supportkpi.params import KpiParameters, Statistic

HOURS = 3600.0


class TicketDurationParams(KpiParameters):
    """Parameters of a ticket duration KPI: which statistic is the headline value, and whether
    time counts on the calendar or in the business hours of the contact's calendar."""

    statistic: Statistic = "median"
    clock: Literal["calendar", "business"] = "calendar"


def business_column(end: str) -> str:
    """Name of the per-row column of business seconds from ``created_at`` to ``end``."""
    return f"_business_seconds_{end}"


def calendar_column(end: str) -> str:
    """Name of the per-row column of calendar seconds from ``created_at`` to ``end``:
    computed once per row before the aggregation, rather than inside each of the KPI's ten or
    so aggregations (a third of the time of a 10M-row run)."""
    return f"_calendar_seconds_{end}"


def ticket_duration(
    ctx: Context,
    end: str,
    given_seconds: str,
    pending_reason: str,
    statistic: str,
    clock: str = "calendar",
) -> Measure:
    ctx.need_any(end, given_seconds)
    if not ctx.has("created_at") and (clock == "business" or not ctx.has(given_seconds)):
        raise NotAvailable(["created_at"])  # a file with no creation time: only given durations count
    if clock == "business":
        if not ctx.has(business_column(end)):
            raise NotAvailable(["a business-hours calendar"])
        seconds = pl.col(business_column(end))
    elif ctx.has(calendar_column(end)):
        seconds = pl.col(calendar_column(end))
    else:
        seconds = elapsed_seconds(ctx, end, given_seconds)
    # rows without a creation time are left out (and reported); a file with no such column at
    # all is measured from the durations it gives
    dated = ctx.known("created_at") if ctx.has("created_at") else pl.lit(True)
    return elapsed_measure(
        seconds,
        ctx.rows & dated & ~ctx.abandoned,
        bad=ctx.invalid(end) | ctx.invalid(given_seconds),
        unparseable=ctx.unparseable(end, given_seconds),
        pending_reason=pending_reason,
        statistic=statistic,
        clock=clock,
        after={"abandoned": ctx.rows & ctx.abandoned},
    )


def elapsed_measure(
    seconds: pl.Expr,
    rows: pl.Expr,
    *,
    bad: pl.Expr,
    unparseable: Mapping[str, pl.Expr],
    pending_reason: str,
    statistic: str,
    clock: str,
    before: Mapping[str, pl.Expr] | None = None,
    after: Mapping[str, pl.Expr] | None = None,
) -> Measure:
    """The measure of a duration in hours from its per-row ``seconds`` over ``rows``: the
    headline ``statistic`` (with mean, median and p90), and the rows left out: those with no
    value yet and no ``bad`` timestamp (``pending_reason``), those whose timestamp is unreadable
    (``unparseable``: reason -> mask), and negative durations (a data error); ``before`` and
    ``after`` hold the KPI's other reasons, listed around these."""
    has_value = seconds.is_not_null()
    negative = has_value & (seconds < 0)
    value, n, stats, sample = duration(seconds, rows & has_value & ~negative, statistic, HOURS)
    excluded = {
        **(before or {}),
        pending_reason: rows & ~has_value & ~bad,
        **{r: rows & ~has_value & mask for r, mask in unparseable.items()},
        "negative duration": rows & negative,
        **(after or {}),
    }
    label = statistic if clock == "calendar" else f"{statistic}, business hours"
    return Measure(
        value=value,
        n=n,
        excluded=excluded,
        stats=stats,
        variant=label,
        sample=sample,
        statistic=statistic,
        clock=clock,
    )


def elapsed_seconds(ctx: Context, end: str, given_seconds: str) -> pl.Expr:
    """Seconds from ``created_at`` to ``end``; falls back to ``given_seconds`` where the timestamp
    is absent."""
    parts = []
    if ctx.has(end) and ctx.has("created_at"):
        parts.append((pl.col(end) - pl.col("created_at")).dt.total_microseconds() / 1e6)
    if ctx.has(given_seconds):
        parts.append(pl.col(given_seconds))
    return pl.coalesce(parts) if len(parts) > 1 else parts[0]


def end_timestamp(end: str, given_seconds: str, columns: frozenset[str]) -> pl.Expr:
    """When the duration ended: the timestamp, else created_at + the given seconds."""
    parts = []
    if end in columns:
        parts.append(pl.col(end))
    if given_seconds in columns:
        parts.append(pl.col("created_at") + pl.duration(seconds=pl.col(given_seconds)))
    return pl.coalesce(parts) if len(parts) > 1 else parts[0]


def per_row_columns(
    ctx: Context, end: str, given_seconds: str, params: Mapping[str, Any], env: RunEnv
) -> list[pl.Expr]:
    """The ``prepare`` hook of a ticket duration: its seconds per row, on the clock of
    ``params`` (:func:`business_column` or :func:`calendar_column`)."""
    if not ctx.has("created_at"):
        return [elapsed_seconds(ctx, end, given_seconds).alias(calendar_column(end))] if ctx.has(given_seconds) else []
    if not (ctx.has(end) or ctx.has(given_seconds)):
        return []
    if params.get("clock") == "business":
        if env.business_seconds is None:
            return []
        stop = end_timestamp(end, given_seconds, ctx.columns)
        return [env.business_seconds(stop).alias(business_column(end))]
    return [elapsed_seconds(ctx, end, given_seconds).alias(calendar_column(end))]


def on_calendars(m: Measure, env: RunEnv) -> Measure:
    """The ``for_run`` hook of a ticket duration: a business-hours figure names the calendars
    its clock ran on."""
    if m.variant and m.variant.endswith("business hours"):
        return dataclasses.replace(m, variant=f"{m.variant}: {env.calendars}")
    return m
