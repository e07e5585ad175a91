"""What every test and interval of :mod:`supportkpi.stats` returns, and the argument checks and
small numeric helpers they share."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri


@dataclass(frozen=True, slots=True)
class Interval:
    """One side's estimate with a confidence interval (``low``/``high`` ``None``: not defined)."""

    estimate: float | None
    low: float | None
    high: float | None
    method: str


@dataclass(frozen=True, slots=True)
class Difference:
    """Side minus baseline: ``estimate = a - b``, its interval and a two-sided p-value.

    ``p_bound`` is ``True`` when ``p_value`` is an upper bound (``p <= p_value``), not a value.
    """

    estimate: float | None
    low: float | None
    high: float | None
    p_value: float | None
    method: str
    p_bound: bool = False


def check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), not {confidence}")
    return confidence


def z_value(confidence: float) -> float:
    """The two-sided normal quantile: 1.959963984540054 for 0.95."""
    return float(ndtri(0.5 + check_confidence(confidence) / 2))


def check_count(k: int, n: int, what: str = "k") -> None:
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= {what} <= n, got {what}={k}, n={n}")


def as_sample(values, name: str = "x") -> np.ndarray:
    """A 1-D float array of finite values (NaN/inf raise: a sample must be cleaned first)."""
    arr = np.asarray(values if values is not None else [], dtype=float).ravel()
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return arr


def two_sided_normal_p(z: float) -> float:
    """2 * P(Z > |z|), exactly 1.0 at z = 0."""
    return float(min(1.0, 2.0 * ndtr(-abs(z))))


def clip(value: float, low: float, high: float) -> float:
    return float(min(high, max(low, value)))
