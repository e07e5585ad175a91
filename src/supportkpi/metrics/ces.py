"""Customer effort score (CES): how easy customers found it to get their issue handled.

Formula: ``mean(ces)`` over answers on the declared scale.
Parameters (``kpis.ces`` in kpi.yaml): ``scale`` (default [1, 7], CES 2.0) and
``higher_is_easier`` (default true; set false for the older 1–5 scale where high means hard). The
direction of "better" follows it.
Exclusions: no answer; unparseable answers; answers off the declared scale.
Unit: score. Better: higher when ``higher_is_easier``, else lower.

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> kpi(pl.DataFrame({"ces": [7, 6, 5, 2, 9]}), "ces").value
5.0
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, mean_of
from supportkpi.metrics._survey import on_scale

INFO = KpiInfo(
    id="ces",
    title="Customer effort score",
    unit="score",
    direction="higher",
    kind="mean",
    columns=("ces",),
)


def measure(
    ctx: Context, scale: tuple[float, float] = (1, 7), higher_is_easier: bool = True
) -> Measure:
    answers, excluded = on_scale(ctx, "ces", scale[0], scale[1])
    value, n, sample = mean_of(pl.col("ces"), answers)
    easier = "higher is easier" if higher_is_easier else "lower is easier"
    return Measure(
        value=value,
        n=n,
        excluded=excluded,
        variant=f"scale {scale[0]:g}-{scale[1]:g}, {easier}",
        direction="higher" if higher_is_easier else "lower",
        sample=sample,
    )
