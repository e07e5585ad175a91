"""Adjusting the p-values of a family of comparisons: Holm's step-down method."""

from __future__ import annotations

from collections.abc import Sequence


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values (step-down), in the input order.

    With the m given p-values sorted ascending ``p_(1) <= ... <= p_(m)``, the adjusted value of
    ``p_(i)`` is ``max_{j <= i} min(1, (m - j + 1) * p_(j))``: monotone in the raw p and capped
    at 1. Rejecting where the adjusted p < alpha controls the family-wise error rate at alpha
    under any dependence. ``None`` (no test) passes through and does not count in m. scipy has
    no Holm adjustment, hence written here.

    >>> [round(p, 4) for p in holm([0.01, 0.04, 0.03, 0.005])]
    [0.03, 0.06, 0.06, 0.02]
    >>> holm([0.02, None, 0.5])
    [0.04, None, 0.5]
    """
    given = [(i, float(p)) for i, p in enumerate(p_values) if p is not None]
    for _, p in given:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p-values must be within 0..1, got {p}")
    out: list[float | None] = [None] * len(p_values)
    m = len(given)
    running = 0.0
    for rank, (i, p) in enumerate(sorted(given, key=lambda item: item[1])):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out
