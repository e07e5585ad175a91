"""Shared shape of survey and review scores: which answers count, and why others do not.

Whole numbers or fractions: a survey question is answered with a whole number (NPS 0–10, CSAT
1–5, CES 1–7), so 4.5 on such a scale is no answer the question allowed: an off-scale value,
reported as such, for CSAT and CES as for NPS. A scale declared with fractions (``scale: [0.5,
5]``) or a KPI's ``fractions: true`` (ratings that are averages of several questions, half
stars) accepts any value on the scale.

>>> whole_only((1, 5), fractions=False), whole_only((1, 5), fractions=True), whole_only((0.5, 5), fractions=False)
(True, False, False)
"""

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


def whole_only(scale: tuple[float, float], fractions: bool) -> bool:
    """Whether only whole numbers are answers on ``scale``: unless ``fractions`` is set or an
    end of the scale is itself a fraction."""
    return not fractions and all(float(end).is_integer() for end in scale)


FRACTIONS_HELP = (
    "true when the answers may be fractions (averages of several questions, half stars); by default "
    "only whole numbers on the scale count and a fraction is an off-scale value"
)


def fits_scale(column: str, low: float, high: float, whole: bool = False) -> pl.Expr:
    """Whether the ``column`` answer lies on [low, high] (a whole number when ``whole``); null
    where there is no answer."""
    value = pl.col(column)
    fits = (value >= low) & (value <= high)
    if whole:
        fits = fits & (value == value.round(0))
    return fits
