"""Average handle time (AHT): how long an agent spends on a contact, wrap-up included.

Formula: ``mean(talk_seconds + hold_seconds + acw_seconds)`` over answered contacts.
Headline: the mean (``statistic`` in kpi.yaml may pick median or p90); mean, median and nearest-
rank p90 are always reported.
Exclusions: unanswered (abandoned) contacts; contacts without queue data; answered contacts
lacking one of the three parts; negative parts (a data error).
Unit: seconds. Better: lower.

Example: two answered calls of 300 + 60 + 40 = 400 s and 200 + 0 + 100 = 300 s; one abandoned.

>>> import polars as pl
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"abandoned": [False, False, True], "talk_seconds": [300, 200, None],
...                       "hold_seconds": [60, 0, None], "acw_seconds": [40, 100, None]})
>>> kpi(frame, "aht").value
350.0
"""

from __future__ import annotations

from typing import Any

from supportkpi.metrics._base import Context, KpiInfo, Measure
from supportkpi.metrics._queue import HANDLE_PARTS, HandleTimeParams, handle_time

INFO = KpiInfo(
    id="aht",
    title="Average handle time",
    unit="seconds",
    direction="lower",
    kind="duration",
    columns=("answered_at", "abandoned", *HANDLE_PARTS),
    test="by statistic",
    noun="calls",
)


class Params(HandleTimeParams):
    """``kpis.aht`` in kpi.yaml: the headline statistic (default the mean)."""


def measure(ctx: Context, **params: Any) -> Measure:
    return handle_time(ctx, HANDLE_PARTS, Params(**params).statistic)
