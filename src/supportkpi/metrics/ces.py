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

from typing import Any, Literal

import polars as pl
from pydantic import model_validator

from supportkpi.metrics._base import Context, KpiInfo, Measure, mean_of
from supportkpi.metrics._survey import on_scale
from supportkpi.params import KpiParameters

SCALE: tuple[float, float] = (1, 7)
"""The default scale of answers."""

INFO = KpiInfo(
    id="ces",
    title="Customer effort score",
    unit="score",
    direction="higher",
    kind="mean",
    columns=("ces",),
    test="mean",
    noun="surveys",
    scale=SCALE,
)


class Params(KpiParameters):
    """``kpis.ces`` in kpi.yaml: the answer scale, and whether a higher answer means easier."""

    scale: tuple[float, float] = SCALE
    higher_is_easier: bool = True

    @model_validator(mode="after")
    def _check(self) -> Params:
        if self.scale[0] >= self.scale[1]:
            raise ValueError(f"scale must be [low, high] with low < high, got {list(self.scale)}")
        return self

    def direction(self, default: Literal["higher", "lower"] | None) -> Literal["higher", "lower"]:
        return "higher" if self.higher_is_easier else "lower"


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    answers, excluded = on_scale(ctx, "ces", p.scale[0], p.scale[1])
    value, n, sample = mean_of(pl.col("ces"), answers)
    easier = "higher is easier" if p.higher_is_easier else "lower is easier"
    return Measure(
        value=value,
        n=n,
        excluded=excluded,
        variant=f"scale {p.scale[0]:g}-{p.scale[1]:g}, {easier}",
        direction=p.direction(INFO.direction),
        sample=sample,
    )
