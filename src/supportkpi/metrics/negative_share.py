"""Negative share: the share of mentions that are negative.

Formula: ``100 × negative mentions / mentions with a sentiment``
Numerator: mentions whose ``sentiment`` is negative (a score below -0.05 is read as negative).
Denominator: mentions with a sentiment (positive, neutral or negative).
Exclusions: no sentiment; a sentiment that is none of the three words (nor a score in [-1, 1]).
Unit: %. Better: lower.

Example: one negative of four mentions with a sentiment; one has none.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"mention_id": list("abcde"),
...                       "sentiment": ["negative", "positive", "neutral", "positive", None]})
>>> result = kpi(frame, "negative_share")
>>> result.value, result.n, result.excluded["no sentiment"]
(25.0, 4, 1)
"""

from __future__ import annotations

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._mentions import is_sentiment, with_sentiment

INFO = KpiInfo(
    id="negative_share",
    title="Negative share",
    unit="%",
    direction="lower",
    kind="rate",
    columns=("sentiment",),
    test="proportion",
    noun="mentions",
    table="mentions",
)


def measure(ctx: Context) -> Measure:
    known, excluded = with_sentiment(ctx)
    value, n = rate(is_sentiment("negative"), known)
    return Measure(value=value, n=n, excluded=excluded)
