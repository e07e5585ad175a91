"""Customer satisfaction (CSAT): the share of survey answers that are satisfied.

Formula (default variant ``top_box``): ``100 × answers ≥ satisfied_min / all answers``; on the
default 1–5 scale that is 4 or 5 out of all answers ("top-2-box").
Variant ``exclude_neutral``: ``100 × satisfied / (satisfied + dissatisfied)`` where dissatisfied
is ``≤ dissatisfied_max`` (default 2); neutral answers (3 of 5) are left out, as Zendesk counts
good/bad ratings.
Parameters (``kpis.csat`` in kpi.yaml): ``scale`` [1, 5], ``satisfied_min`` 4,
``dissatisfied_max`` 2, ``variant``.
Exclusions: no answer; unparseable answers; answers off the declared scale (a data error); under
``exclude_neutral`` the neutral answers.
Unit: %. Better: higher.

Example: answers 5, 4, 3, 2, 1 and one 7 (off the scale): top-2-box is 2 of 5; without the
neutral 3 it is 2 of 4.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"csat": [5, 4, 3, 2, 1, 7, None]})
>>> kpi(frame, "csat").value, kpi(frame, "csat", variant="exclude_neutral").value
(40.0, 50.0)
>>> kpi(frame, "csat").excluded["off-scale value"]
1
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, KpiInfo, Measure, rate
from supportkpi.metrics._survey import on_scale

INFO = KpiInfo(
    id="csat",
    title="Customer satisfaction",
    unit="%",
    direction="higher",
    kind="rate",
    columns=("csat",),
)


def measure(
    ctx: Context,
    scale: tuple[float, float] = (1, 5),
    satisfied_min: float = 4,
    dissatisfied_max: float = 2,
    variant: str = "top_box",
) -> Measure:
    answers, excluded = on_scale(ctx, "csat", scale[0], scale[1])
    satisfied = pl.col("csat") >= satisfied_min
    if variant == "exclude_neutral":
        neutral = (pl.col("csat") > dissatisfied_max) & ~satisfied
        excluded["neutral answer"] = answers & neutral
        answers = answers & ~neutral
    value, n = rate(satisfied, answers)
    label = f"{variant}, satisfied >= {satisfied_min:g} on {scale[0]:g}-{scale[1]:g}"
    return Measure(value=value, n=n, excluded=excluded, variant=label)
