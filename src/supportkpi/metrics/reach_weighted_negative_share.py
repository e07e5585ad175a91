"""Reach-weighted negative share: the share of the audience reached by mentions that was
reached by negative ones.

Formula: ``100 × Σ reach of negative mentions / Σ reach of mentions with a sentiment``
Numerator: the reach (followers or impressions) of the negative mentions.
Denominator: the reach of every mention with a sentiment and a reach.
Exclusions: no sentiment (or an unknown one); no reach (or an unparseable one); a negative
reach (a data error). n counts the mentions weighed. A group whose mentions all reached no one
(Σ reach = 0) has no value.
Unit: %. Better: lower.

Example: a negative post seen by 900 people, two positive ones by 50 each, and a negative one
without a reach: 900 / 1000 = 90 %.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"sentiment": ["negative", "positive", "positive", "negative"],
...                       "reach": [900, 50, 50, None]})
>>> result = kpi(frame, "reach_weighted_negative_share")
>>> result.value, result.n, result.excluded["no reach"]
(90.0, 3, 1)
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, count
from supportkpi.metrics._mentions import is_sentiment, with_sentiment

INFO = KpiInfo(
    id="reach_weighted_negative_share",
    title="Reach-weighted negative share",
    unit="%",
    direction="lower",
    kind="rate",
    columns=("sentiment", "reach"),
    noun="mentions",
    table="mentions",
)


def measure(ctx: Context) -> Measure:
    ctx.need("sentiment", "reach")
    known, excluded = with_sentiment(ctx)
    reach = pl.col("reach")
    negative_reach = known & reach.is_not_null() & (reach < 0)
    weighed = (known & reach.is_not_null() & (reach >= 0)).fill_null(False)
    total = pl.when(weighed).then(reach).sum()
    negative = pl.when(weighed & is_sentiment("negative")).then(reach).sum()
    value = pl.when(total > 0).then(negative * 100.0 / total).otherwise(None)
    excluded |= {
        "no reach": known & ctx.missing("reach"),
        **{k: known & v for k, v in ctx.unparseable("reach").items()},
        "negative reach": negative_reach,
    }
    return Measure(value=value, n=count(weighed), excluded=excluded)
