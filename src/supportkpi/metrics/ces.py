"""Customer effort score (CES): how easy customers found it to get their issue handled.

Formula: ``mean(ces)`` over answers on the declared scale.
Parameters (``kpis.ces`` in kpi.yaml): ``scale`` (default [1, 7], CES 2.0),
``higher_is_easier`` (default true; set false for the older 1–5 scale where high means hard; the
direction of "better" follows it) and ``fractions`` (default false: only whole numbers are
answers; true for ratings that are averages).
Exclusions: no answer; unparseable answers; answers off the declared scale, fractions included
(5.5 on 1–7) unless ``fractions: true`` or the scale is declared with fractions.
Unit: score. Better: higher when ``higher_is_easier``, else lower.

Example:

>>> import polars as pl
>>> from supportkpi import kpi
>>> kpi(pl.DataFrame({"ces": [7, 6, 5, 2, 9]}), "ces").value
5.0
>>> halves = pl.DataFrame({"ces": [7.0, 5.5]})
>>> kpi(halves, "ces").value, kpi(halves, "ces", fractions=True).value
(7.0, 6.25)
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl
from pydantic import Field, model_validator

from supportkpi.metrics._base import Context, KpiInfo, Measure, mean_of
from supportkpi.metrics._survey import FRACTIONS_HELP, on_scale, whole_only
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
    fractions: bool = Field(False, description=FRACTIONS_HELP)
    higher_is_easier: bool = True

    @property
    def whole(self) -> bool:
        """Whether only whole numbers are answers (see :mod:`supportkpi.metrics._survey`)."""
        return whole_only(self.scale, self.fractions)

    @model_validator(mode="after")
    def _check(self) -> Params:
        if self.scale[0] >= self.scale[1]:
            raise ValueError(f"scale must be [low, high] with low < high, got {list(self.scale)}")
        return self

    def direction(self, default: Literal["higher", "lower"] | None) -> Literal["higher", "lower"]:
        return "higher" if self.higher_is_easier else "lower"


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    answers, excluded = on_scale(ctx, "ces", p.scale[0], p.scale[1], whole=p.whole)
    value, n, sample = mean_of(pl.col("ces"), answers)
    easier = "higher is easier" if p.higher_is_easier else "lower is easier"
    return Measure(
        value=value,
        n=n,
        excluded=excluded,
        variant=f"scale {p.scale[0]:g}-{p.scale[1]:g}, {easier}" + ("" if p.whole else ", fractions accepted"),
        direction=p.direction(INFO.direction),
        sample=sample,
    )
