"""Net promoter score (NPS): promoters minus detractors.

Formula: ``100 × (promoters − detractors) / all answers``, promoters answering 9–10 and
detractors 0–6 on the 0–10 "how likely are you to recommend" question.
Exclusions: no answer; unparseable answers; answers outside 0–10 or not whole numbers (the
question allows 0, 1, … 10: 7.5 is an off-scale value, as 4.5 is for CSAT on 1–5).
Unit: points, −100…100. Better: higher.

Example: 10, 9, 8, 7, 6, 0 → 2 promoters, 2 detractors of 6: NPS 0; drop the two detractors
and it is 50.

>>> import polars as pl
>>> from supportkpi import kpi
>>> kpi(pl.DataFrame({"nps": [10, 9, 8, 7, 6, 0]}), "nps").value
0.0
>>> kpi(pl.DataFrame({"nps": [10, 9, 8, 7, 11]}), "nps").value
50.0
>>> kpi(pl.DataFrame({"nps": [10.0, 7.5]}), "nps").excluded["off-scale value"]
1
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, count
from supportkpi.metrics._survey import on_scale

SCALE: tuple[float, float] = (0, 10)
"""The answers that count (whole numbers only)."""

INFO = KpiInfo(
    id="nps",
    title="Net promoter score",
    unit="points",
    direction="higher",
    kind="score",
    columns=("nps",),
    test="nps",
    noun="surveys",
    signed=True,
    scale=SCALE,
    whole=True,
)


def measure(ctx: Context) -> Measure:
    answers, excluded = on_scale(ctx, "nps", *SCALE, whole=INFO.whole)
    n = count(answers)
    promoters = count(answers & (pl.col("nps") >= 9))
    detractors = count(answers & (pl.col("nps") <= 6))
    value = pl.when(n > 0).then((promoters - detractors) * 100.0 / n).otherwise(None)
    stats = {
        "promoters_pct": pl.when(n > 0).then(promoters * 100.0 / n).otherwise(None),
        "detractors_pct": pl.when(n > 0).then(detractors * 100.0 / n).otherwise(None),
    }
    return Measure(value=value, n=n, excluded=excluded, stats=stats)
