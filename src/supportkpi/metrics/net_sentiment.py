"""Net sentiment: positive mentions minus negative ones, as points of all mentions with a
sentiment.

Formula: ``100 × (positive − negative) / mentions with a sentiment``
Numerator: positive mentions minus negative mentions (neutral ones count in the denominator
only).
Denominator: mentions with a sentiment (positive, neutral or negative).
Exclusions: no sentiment; a sentiment that is none of the three words (nor a score in [-1, 1]).
Unit: points, −100…100. Better: higher. The shares of positive and negative mentions are
reported beside it.

Example: 3 positive, 1 neutral, 1 negative: (3 − 1) / 5 = +40 points.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"sentiment": ["positive"] * 3 + ["neutral", "negative", None]})
>>> result = kpi(frame, "net_sentiment")
>>> result.value, result.n, result.stats["positive_pct"], result.stats["negative_pct"]
(40.0, 5, 60.0, 20.0)
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, count
from supportkpi.metrics._mentions import is_sentiment, with_sentiment

INFO = KpiInfo(
    id="net_sentiment",
    title="Net sentiment",
    unit="points",
    direction="higher",
    kind="score",
    columns=("sentiment",),
    test="nps",
    noun="mentions",
    signed=True,
    table="mentions",
)


def measure(ctx: Context) -> Measure:
    known, excluded = with_sentiment(ctx)
    n = count(known)
    positive = count(known & is_sentiment("positive"))
    negative = count(known & is_sentiment("negative"))
    value = pl.when(n > 0).then((positive - negative) * 100.0 / n).otherwise(None)
    stats = {
        "positive_pct": pl.when(n > 0).then(positive * 100.0 / n).otherwise(None),
        "negative_pct": pl.when(n > 0).then(negative * 100.0 / n).otherwise(None),
    }
    return Measure(value=value, n=n, excluded=excluded, stats=stats)
