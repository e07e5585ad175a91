"""Customer satisfaction (CSAT): the share of survey answers that are satisfied.

Formula (default variant ``top_box``): ``100 × answers ≥ satisfied_min / all answers``; on the
default 1–5 scale that is 4 or 5 out of all answers ("top-2-box").
Variant ``exclude_neutral``: ``100 × satisfied / (satisfied + dissatisfied)`` where dissatisfied
is ``≤ dissatisfied_max`` (default 2); neutral answers (3 of 5) are left out, as Zendesk counts
good/bad ratings.
Parameters (``kpis.csat`` in kpi.yaml): ``scale`` [1, 5], ``satisfied_min`` 4,
``dissatisfied_max`` 2, ``variant``, ``fractions`` false.
Exclusions: no answer; unparseable answers; answers off the declared scale (a data error),
fractions included (4.5 on a 1–5 scale) unless ``fractions: true`` (ratings that are averages)
or the scale is declared with fractions; under ``exclude_neutral`` the neutral answers.
Unit: %. Better: higher.

Example: answers 5, 4, 3, 2, 1 and one 7 (off the scale): top-2-box is 2 of 5; without the
neutral 3 it is 2 of 4. A 4.5 is off the whole-number scale too, unless ``fractions: true``:
then 4.5 and 3.7 are answers and 4.5 is satisfied (1 of 2).

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"csat": [5, 4, 3, 2, 1, 7, None]})
>>> kpi(frame, "csat").value, kpi(frame, "csat", variant="exclude_neutral").value
(40.0, 50.0)
>>> kpi(frame, "csat").excluded["off-scale value"]
1
>>> averages = pl.DataFrame({"csat": [4.5, 3.7]})
>>> kpi(averages, "csat").excluded["off-scale value"], kpi(averages, "csat", fractions=True).value
(2, 50.0)
"""

from __future__ import annotations

from typing import Any, Literal

import polars as pl
from pydantic import Field, model_validator

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._survey import FRACTIONS_HELP, fits_scale, on_scale, whole_only
from supportkpi.params import KpiParameters

SCALE: tuple[float, float] = (1, 5)
"""The default scale of answers."""

INFO = KpiInfo(
    id="csat",
    title="Customer satisfaction",
    unit="%",
    direction="higher",
    kind="rate",
    columns=("csat",),
    test="proportion",
    noun="surveys",
    scale=SCALE,
)


class Params(KpiParameters):
    """``kpis.csat`` in kpi.yaml: the answer scale, the lowest satisfied and the highest
    dissatisfied answer, and the variant of the formula."""

    scale: tuple[float, float] = SCALE
    fractions: bool = Field(False, description=FRACTIONS_HELP)
    satisfied_min: float = 4
    dissatisfied_max: float = 2
    variant: Literal["top_box", "exclude_neutral"] = "top_box"

    @property
    def whole(self) -> bool:
        """Whether only whole numbers are answers (see :mod:`supportkpi.metrics._survey`)."""
        return whole_only(self.scale, self.fractions)

    @model_validator(mode="after")
    def _check(self) -> Params:
        low, high = self.scale
        if low >= high:
            raise ValueError(f"scale must be [low, high] with low < high, got {list(self.scale)}")
        if not low <= self.dissatisfied_max < self.satisfied_min <= high:
            raise ValueError(
                "need scale low <= dissatisfied_max < satisfied_min <= scale high, got "
                f"scale {list(self.scale)}, dissatisfied_max {self.dissatisfied_max}, "
                f"satisfied_min {self.satisfied_min}"
            )
        return self


def answered(params: Params) -> pl.Expr:
    """Whether a row holds a CSAT answer: a value on ``params.scale`` (an unparseable value or
    one off the scale is no answer)."""
    return pl.col("csat").is_not_null() & fits_scale("csat", *params.scale, whole=params.whole)


def satisfied(params: Params) -> pl.Expr:
    """Whether an answer is satisfied: at or above ``params.satisfied_min``."""
    return pl.col("csat") >= params.satisfied_min


def measure(ctx: Context, **params: Any) -> Measure:
    p = Params(**params)
    answers, excluded = on_scale(ctx, "csat", p.scale[0], p.scale[1], whole=p.whole)
    is_satisfied = satisfied(p)
    if p.variant == "exclude_neutral":
        neutral = (pl.col("csat") > p.dissatisfied_max) & ~is_satisfied
        excluded["neutral answer"] = answers & neutral
        answers = answers & ~neutral
    value, n = rate(is_satisfied, answers)
    label = f"{p.variant}, satisfied >= {p.satisfied_min:g} on {p.scale[0]:g}-{p.scale[1]:g}"
    if not p.whole:
        label += ", fractions accepted"
    return Measure(value=value, n=n, excluded=excluded, variant=label)
