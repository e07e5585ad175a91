"""Review rating: the mean star rating of reviews, with the share of each star.

Formula: ``mean(rating)`` over reviews with a rating on the 1–5 star scale.
Numerator: the sum of the ratings; denominator: the reviews with a rating.
Exclusions: no rating (a post or comment, not a review); unparseable ratings; ratings off the
scale, or fractions where only whole stars are given (``fractions: true`` in kpi.yaml accepts
half stars and averages).
Unit: stars. Better: higher. The share of reviews of each whole star (``stars_1_pct`` …
``stars_5_pct``) is reported beside the mean.

Example: 5, 5, 4 and 1 stars; one post without a rating and one off-scale 7.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"rating": [5, 5, 4, 1, None, 7]})
>>> result = kpi(frame, "review_rating")
>>> result.value, result.n, result.stats["stars_5_pct"], result.stats["stars_1_pct"]
(3.75, 4, 50.0, 25.0)
>>> result.excluded["no rating"], result.excluded["off-scale value"]
(1, 1)
"""

from __future__ import annotations

from typing import Any

import polars as pl
from pydantic import Field

from supportkpi.metrics._base import Context, KpiInfo, Measure, count, mean_of
from supportkpi.metrics._survey import FRACTIONS_HELP, on_scale
from supportkpi.params import KpiParameters

SCALE: tuple[float, float] = (1, 5)
"""The stars that count."""

INFO = KpiInfo(
    id="review_rating",
    title="Review rating",
    unit="stars",
    direction="higher",
    kind="mean",
    columns=("rating",),
    test="mean",
    noun="reviews",
    scale=SCALE,
    whole=True,
    table="mentions",
)


class Params(KpiParameters):
    """``kpis.review_rating`` in kpi.yaml: whether ratings may be fractions (half stars)."""

    fractions: bool = Field(False, description=FRACTIONS_HELP)

    @property
    def whole(self) -> bool:
        """Whether only whole stars are ratings."""
        return not self.fractions


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    rated, excluded = on_scale(ctx, "rating", *SCALE, whole=p.whole)
    excluded["no rating"] = excluded.pop("no answer")
    value, n, sample = mean_of(pl.col("rating"), rated)
    stats = {
        f"stars_{star}_pct": pl.when(n > 0).then(count(rated & (pl.col("rating") == star)) * 100.0 / n)
        for star in range(int(SCALE[0]), int(SCALE[1]) + 1)
    }
    return Measure(value=value, n=n, excluded=excluded, stats=stats, sample=sample)
