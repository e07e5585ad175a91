"""Shared shape of survey and review scores: which answers count, and why others do not."""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context


def on_scale(
    ctx: Context, column: str, low: float, high: float, whole: bool = False
) -> tuple[pl.Expr, dict[str, pl.Expr]]:
    """Rows whose ``column`` answer lies on [low, high] (whole numbers only when ``whole``), and
    the exclusions: no answer, unparseable, off the scale."""
    ctx.need(column)
    answered = ctx.rows & pl.col(column).is_not_null()
    fits = fits_scale(column, low, high, whole)
    excluded = {
        "no answer": ctx.rows & ctx.missing(column),
        **{k: ctx.rows & v for k, v in ctx.unparseable(column).items()},
        "off-scale value": answered & ~fits,
    }
    return answered & fits, excluded


def fits_scale(column: str, low: float, high: float, whole: bool = False) -> pl.Expr:
    """Whether the ``column`` answer lies on [low, high] (a whole number when ``whole``); null
    where there is no answer."""
    value = pl.col(column)
    fits = (value >= low) & (value <= high)
    if whole:
        fits = fits & (value == value.round(0))
    return fits
