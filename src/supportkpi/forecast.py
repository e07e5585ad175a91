"""``aht_forecast``: next period's AHT (or another duration or mean KPI) from the series of past
periods, with Holt's linear trend, shown beside the current value with the change in %.

The model (Holt's linear trend, additive level and trend, no seasonality). For observations
``y_1 … y_n`` (one per period), level ``l`` and trend ``b``::

    one-step forecast   ŷ_t   = l_{t-1} + b_{t-1}                 e_t = y_t − ŷ_t
    level               l_t   = α·y_t + (1 − α)·(l_{t-1} + b_{t-1})  = ŷ_t + α·e_t
    trend               b_t   = β·(l_t − l_{t-1}) + (1 − β)·b_{t-1}  = b_{t-1} + α·β·e_t
    h steps ahead       ŷ_{n+h} = l_n + h·b_n

* **Initialisation**: level = the first value, trend = second − first (``l_1 = y_1``,
  ``b_1 = y_2 − y_1``). The forecast of ``y_2`` is then exact by construction, so the
  one-step errors start at the third value.
* **Parameters**: α and β are fitted by least squares on the one-step-ahead errors
  ``e_3 … e_n``, searched exhaustively on the grid 0.01, 0.02, …, 0.99 for each (9,801 pairs,
  evaluated together with numpy): deterministic, no optimiser starting points, no library
  version in the result. Ties (a perfect fit, where every pair gives zero error) go to the
  smallest α, then the smallest β: the smoothest model that fits as well.
* **Prediction interval**: normal approximation around the point forecast, with σ² the mean
  squared one-step error (``Σ e_t² / m`` over the ``m`` errors) and Holt's variance multiplier
  for ``h`` steps ``1 + Σ_{j=1}^{h-1} α²(1 + jβ)²``:
  ``ŷ ± z·σ·√multiplier``, z the normal quantile of the confidence (1.96 for 95 %). It leaves out
  the uncertainty of α and β, so on short series it is too narrow rather than too wide. A
  perfect fit (zero errors) gives an interval of width zero.
* **Never negative**: a handle time cannot be below zero, so the forecast and both ends of the
  interval are clipped at 0 (a clipped forecast says so in its note).
* **Minimum history**: :data:`MIN_PERIODS` = 4 periods with a value: two to initialise level and
  trend, and at least two one-step errors to estimate the spread (one error would give a σ from
  a single number). Fewer give a :class:`Forecast` with ``forecast=None`` and the note
  "insufficient history (n periods, needs 4)", never a guess.
* **Gaps** (a period with no value, e.g. no answered calls; ``None`` or NaN): the time axis is kept
  and the model carries its own forecast through the gap: ``l_t = l_{t-1} + b_{t-1}``,
  ``b_t = b_{t-1}``, no error counted (the usual treatment of missing values in exponential
  smoothing). Periods before the first value are dropped. When the second value comes ``k``
  periods after the first, the initial trend is ``(y_k − y_1)/k``. Trailing gaps (no value in
  the latest periods) make the forecast that many steps longer: ``current`` is then the last
  value there is, and the note says so. Only periods with a value count towards the minimum.

>>> f = holt([300, 310, 320, 330, 340, 350])
>>> f.forecast, f.change_pct, (f.low, f.high)
(360.0, 2.857142857142857, (360.0, 360.0))
>>> holt([300, 310, 320]).note
'insufficient history (3 periods, needs 4)'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from statistics import NormalDist
from typing import Any

import numpy as np

MIN_PERIODS = 4
"""Periods with a value needed for a forecast: two to initialise, two errors for the spread."""

METHOD = "holt"
METHOD_TITLE = "Holt's linear trend (additive level and trend)"

GRID = np.round(np.arange(1, 100) / 100, 2)
"""Values tried for α and for β: 0.01 … 0.99."""


@dataclass
class Forecast:
    """One group's forecast. ``forecast`` is None when the history is too short (see ``note``)."""

    current: float | None
    """The latest value of the series (the last period with a value)."""
    forecast: float | None
    change_pct: float | None
    """``(forecast − current) / current × 100``; None without a forecast or when current is 0."""
    low: float | None
    high: float | None
    periods_used: int
    """Periods with a value that the model saw."""
    alpha: float | None
    beta: float | None
    method: str = METHOD
    note: str | None = None
    horizon: int = 1
    """Periods ahead of the end of the series (trailing gaps not included)."""
    confidence: float = 0.95
    sigma: float | None = None
    """Root mean squared one-step error."""
    steps: int | None = None
    """Steps from the last value to the forecast period: ``horizon`` plus trailing gaps."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def holt(
    values: Sequence[float | None],
    *,
    horizon: int = 1,
    confidence: float = 0.95,
    alpha: float | None = None,
    beta: float | None = None,
) -> Forecast:
    """Holt's linear trend forecast ``horizon`` periods after the last element of ``values``
    (one value per consecutive period, None or NaN for a period without a value).

    α and β are fitted (see the module docstring) unless given.

    >>> f = holt([100, 100, 100, 100])
    >>> f.forecast, f.change_pct, f.low, f.high
    (100.0, 0.0, 100.0, 100.0)
    >>> holt([400, 360, 320, 280], horizon=10).forecast  # the trend reaches zero: clipped
    0.0
    """
    if horizon < 1:
        raise ValueError(f"horizon {horizon}: expected 1 or more")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence {confidence}: expected between 0 and 1")
    y = np.array([math.nan if v is None else float(v) for v in values], dtype=float)
    y[~np.isfinite(y)] = math.nan
    observed = np.flatnonzero(~np.isnan(y))
    if observed.size:
        y = y[observed[0] :]  # history starts at the first value
        observed = observed - observed[0]
    n_obs = int(observed.size)
    current = float(y[observed[-1]]) if n_obs else None
    trailing = int(y.size - 1 - observed[-1]) if n_obs else 0
    steps = horizon + trailing
    notes = []
    if n_obs < MIN_PERIODS:
        s = "" if n_obs == 1 else "s"
        return Forecast(
            current,
            None,
            None,
            None,
            None,
            n_obs,
            None,
            None,
            note=f"insufficient history ({n_obs} period{s}, needs {MIN_PERIODS})",
            horizon=horizon,
            confidence=confidence,
            steps=steps,
        )
    inner_gaps = int(observed[-1] + 1 - n_obs)
    if inner_gaps:
        s = "" if inner_gaps == 1 else "s"
        notes.append(f"{inner_gaps} period{s} without a value bridged by the model")
    if trailing:
        last = "the last period" if trailing == 1 else f"the last {trailing} periods"
        notes.append(f"no value in {last}: current is the last value, forecast {steps} periods ahead of it")

    if alpha is None or beta is None:
        alpha, beta = _fit(y, observed, alpha, beta)
    level, trend, errors = _run(y, observed, np.array([alpha]), np.array([beta]))
    level, trend = float(level[0]), float(trend[0])
    errors = errors[:, 0]
    sigma = math.sqrt(float(np.mean(errors**2)))
    point = level + horizon * trend
    multiplier = 1 + sum(alpha**2 * (1 + j * beta) ** 2 for j in range(1, steps))
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    half = z * sigma * math.sqrt(multiplier)
    low, high = point - half, point + half
    if point < 0:
        notes.append(f"forecast {point:.4g} clipped at 0")
    point, low, high = max(point, 0.0), max(low, 0.0), max(high, 0.0)
    change = (point - current) / current * 100 if current else None
    return Forecast(
        current=current,
        forecast=point,
        change_pct=change,
        low=low,
        high=high,
        periods_used=n_obs,
        alpha=float(alpha),
        beta=float(beta),
        note="; ".join(notes) or None,
        horizon=horizon,
        confidence=confidence,
        sigma=sigma,
        steps=steps,
    )


def _run(y: np.ndarray, observed: np.ndarray, alphas: np.ndarray, betas: np.ndarray):
    """The recursion for many (α, β) pairs at once: final level and trend per pair, and the
    one-step errors (rows: errors from the third value on; columns: pairs)."""
    first, second = observed[0], observed[1]
    level = np.full(alphas.shape, y[first])
    trend = np.full(alphas.shape, (y[second] - y[first]) / (second - first))
    errors = []
    for t in range(first + 1, y.size):
        predicted = level + trend
        if math.isnan(y[t]):  # a gap: carry the forecast, no error
            level = predicted
            continue
        error = y[t] - predicted
        if t > second:
            errors.append(error)
        level = predicted + alphas * error
        trend = trend + alphas * betas * error
    return level, trend, np.array(errors)


def _fit(y: np.ndarray, observed: np.ndarray, alpha: float | None, beta: float | None) -> tuple[float, float]:
    """Least squares on the grid (a given α or β is kept); ties to the smallest α, then β."""
    alphas = GRID if alpha is None else np.array([alpha])
    betas = GRID if beta is None else np.array([beta])
    a, b = (m.ravel() for m in np.meshgrid(alphas, betas, indexing="ij"))
    _, _, errors = _run(y, observed, a, b)
    sse = np.sum(errors**2, axis=0)
    scale = float(np.nansum(y**2)) or 1.0
    tolerance = max(float(sse.min()) * 1e-9, scale * 1e-24)
    best = int(np.flatnonzero(sse <= sse.min() + tolerance)[0])
    return float(a[best]), float(b[best])


# ------------------------------------------------------------------------------------------
# Periods: labels as the engine writes them (2025-06, 2025-W23, 2025-Q2, 2025-06-30)
# ------------------------------------------------------------------------------------------

PERIODS = ("day", "week", "month", "quarter")


def period_start(label: str, period: str) -> date:
    """The first day of a period from its label.

    >>> period_start("2025-W01", "week"), period_start("2025-Q3", "quarter")
    (datetime.date(2024, 12, 30), datetime.date(2025, 7, 1))
    """
    if period == "day":
        return date.fromisoformat(label)
    if period == "week":
        year, week = label.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    if period == "month":
        year, month = label.split("-")
        return date(int(year), int(month), 1)
    if period == "quarter":
        year, quarter = label.split("-Q")
        return date(int(year), 3 * int(quarter) - 2, 1)
    raise ValueError(f"unknown period '{period}'")


def label_of(start: date, period: str) -> str:
    """The label of the period starting on ``start`` (as ``engine.period_label`` writes it)."""
    if period == "day":
        return start.isoformat()
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def shift(label: str, period: str, k: int) -> str:
    """The label ``k`` periods after (or before, k < 0) ``label``.

    >>> shift("2025-11", "month", 2), shift("2025-W52", "week", 1), shift("2025-Q1", "quarter", -1)
    ('2026-01', '2026-W01', '2024-Q4')
    """
    start = period_start(label, period)
    if period == "day":
        return label_of(start + timedelta(days=k), period)
    if period == "week":
        return label_of(start + timedelta(weeks=k), period)
    months = 1 if period == "month" else 3
    index = start.year * 12 + start.month - 1 + k * months
    return label_of(date(index // 12, index % 12 + 1, 1), period)


def last_day(label: str, period: str) -> date:
    """The last calendar day of a period."""
    return period_start(shift(label, period, 1), period) - timedelta(days=1)


def labels_between(first: str, last: str, period: str) -> list[str]:
    """Every period label from ``first`` to ``last``, both included."""
    out = [first]
    end = period_start(last, period)
    while period_start(out[-1], period) < end:
        out.append(shift(out[-1], period, 1))
    return out


# ------------------------------------------------------------------------------------------
# Per group, from the engine's per-period results
# ------------------------------------------------------------------------------------------


@dataclass
class GroupForecast:
    keys: dict[str, Any]
    """The group's keys without the period (empty without --by)."""
    history: list[tuple[str, float | None]]
    """(period label, value) for every period from the group's first to the series' end."""
    current_period: str | None
    forecast: Forecast


@dataclass
class ForecastReport:
    """The forecast of one KPI for every group, for the period ``forecast_period``."""

    kpi: str
    title: str
    unit: str
    period: str
    last_period: str | None
    """The last period of the series (the report's "now")."""
    forecast_period: str | None
    horizon: int
    confidence: float
    groups: list[GroupForecast] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    by: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.kpi} forecast"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kpi": self.kpi,
            "title": self.title,
            "unit": self.unit,
            "period": self.period,
            "last_period": self.last_period,
            "forecast_period": self.forecast_period,
            "horizon": self.horizon,
            "confidence": self.confidence,
            "model": {
                "method": METHOD,
                "title": METHOD_TITLE,
                "min_periods": MIN_PERIODS,
                "fit": "alpha, beta by least squares of one-step errors on the grid 0.01..0.99",
                "interval": "normal approximation, RMS one-step error times the Holt h-step multiplier; clipped at 0",
            },
            "groups": [
                {
                    "keys": g.keys,
                    "current_period": g.current_period,
                    **g.forecast.to_dict(),
                    "history": [{"period": p, "value": v} for p, v in g.history],
                }
                for g in self.groups
            ],
            "notes": list(self.notes),
        }


def forecast_groups(
    result: Any,
    kpi_id: str,
    *,
    horizon: int = 1,
    confidence: float = 0.95,
    data_end: date | None = None,
    exclude_partial: bool = False,
) -> ForecastReport:
    """Forecasts from a per-period ``ComputeResult`` (``compute(..., period=...)``).

    The series ends at the latest period in the data, the same for every group, so every group
    is forecast for the same period (a group without a value there has a trailing gap). The
    latest period may be partial: when ``data_end`` (the local date of the latest
    ``created_at``) is before that period's last day, a note says so and the period is still
    used, since a mean over part of a period is a smaller sample, not a biased one; with
    ``exclude_partial`` it is left out and becomes the period forecast (for ``horizon`` 1).
    """
    period = result.period
    if period is None:
        raise ValueError("forecast_groups needs a result computed per period")
    info_title, unit = kpi_id, ""
    series: dict[tuple, dict[str, float | None]] = {}
    key_dicts: dict[tuple, dict[str, Any]] = {}
    for group in result.groups:
        keys = {k: v for k, v in group.keys.items() if k != "period"}
        label = group.keys.get("period")
        if label is None:
            continue
        kpi = group.kpis[kpi_id]
        info_title, unit = kpi.title, kpi.unit
        ident = tuple(keys.items())
        key_dicts[ident] = keys
        series.setdefault(ident, {})[label] = kpi.value
    labels = sorted({p for values in series.values() for p in values}, key=lambda p: period_start(p, period))
    report = ForecastReport(
        kpi=kpi_id,
        title=info_title,
        unit=unit,
        period=period,
        last_period=None,
        forecast_period=None,
        horizon=horizon,
        confidence=confidence,
        by=list(result.by),
    )
    if not labels:
        return report
    last = labels[-1]
    if data_end is not None and data_end < last_day(last, period):
        if exclude_partial:
            report.notes.append(
                f"{last} is partial (data ends {data_end.isoformat()}) and left out (--exclude-partial)"
            )
            last = shift(last, period, -1)
        else:
            report.notes.append(
                f"{last} is partial (data ends {data_end.isoformat()}); used as the current period "
                "(--exclude-partial to leave it out)"
            )
    report.last_period = last
    report.forecast_period = shift(last, period, horizon)
    end = period_start(last, period)
    for ident, values in series.items():
        present = [p for p in values if period_start(p, period) <= end]
        if not present:
            continue
        first = min(present, key=lambda p: period_start(p, period))
        history = [(p, _number(values.get(p))) for p in labels_between(first, last, period)]
        f = holt([v for _, v in history], horizon=horizon, confidence=confidence)
        current_period = next((p for p, v in reversed(history) if v is not None), None)
        report.groups.append(GroupForecast(key_dicts[ident], history, current_period, f))
    return report


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def describe(f: Forecast) -> str:
    """The model as a short text: ``Holt α=0.35, β=0.10``.

    >>> describe(holt([300, 310, 320, 330]))
    'Holt α=0.01, β=0.01'
    """
    if f.alpha is None or f.beta is None:
        return "—"
    return f"Holt α={f.alpha:.2f}, β={f.beta:.2f}"


__all__ = [
    "MIN_PERIODS",
    "Forecast",
    "ForecastReport",
    "GroupForecast",
    "describe",
    "forecast_groups",
    "holt",
]
