"""Row-level checks behind ``supportkpi validate``: what would be left out of which KPI, found
before any KPI is computed. Each rule is a boolean polars expression over canonical columns;
all rules are counted in one pass, with the first rows of each as examples."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl

from supportkpi.metrics import REGISTRY
from supportkpi.results import Finding
from supportkpi.schema import ROW, SOURCE


@dataclass(frozen=True)
class Rule:
    kind: str
    column: str
    needs: tuple[str, ...]
    expected: str
    build: Any  # Callable[[], pl.Expr]


def rules(params: dict[str, dict[str, Any]], now: datetime | None = None) -> list[Rule]:
    """The checks, with the survey scales of kpi.yaml (``params`` = its ``kpis`` section)."""
    now = now or datetime.now(UTC)

    def before_created(column: str) -> Rule:
        return Rule(
            "before created_at",
            column,
            (column, "created_at"),
            "a time at or after created_at",
            lambda: pl.col(column) < pl.col("created_at"),
        )

    def off_scale(column: str, low: float, high: float, whole: bool = False) -> Rule:
        def build() -> pl.Expr:
            value = pl.col(column)
            bad = (value < low) | (value > high)
            return bad | (value != value.round(0)) if whole else bad

        what = f"a {'whole number' if whole else 'value'} from {low:g} to {high:g}"
        if whole and column in fractional:
            what += f" (kpis.{column}.fractions: true if the ratings are averages)"
        return Rule("off-scale value", column, (column,), what, build)

    def negative(column: str) -> Rule:
        return Rule("negative duration", column, (column,), "0 or more seconds", lambda: pl.col(column) < 0)

    # the scores whose kpi.yaml can accept fractions (their KPI id is their column)
    fractional = {
        m.INFO.columns[0]
        for m in REGISTRY.values()
        if "fractions" in getattr(getattr(m, "Params", None), "model_fields", {})
    }
    out = [before_created(c) for c in ("first_response_at", "resolved_at", "answered_at")]
    out += [
        Rule(
            "in the future",
            column,
            (column,),
            f"a time before {now:%Y-%m-%d %H:%M} UTC",
            lambda column=column: pl.col(column) > now,
        )
        for column in ("created_at", "first_response_at", "resolved_at", "answered_at")
    ]
    out += [off_scale(column, low, high, whole) for column, (low, high), whole in survey_scales(params)]
    out += [
        negative(c)
        for c in (
            "first_response_seconds",
            "resolution_seconds",
            "wait_seconds",
            "talk_seconds",
            "hold_seconds",
            "acw_seconds",
            "reopens",
            "agent_replies",
            "transfers",
        )
    ]
    return out


def survey_scales(params: dict[str, dict[str, Any]]) -> list[tuple[str, tuple[float, float], bool]]:
    """Each survey or review score's column, the scale of its answers (kpi.yaml's, for a KPI
    whose ``Params`` has one) and whether only whole numbers are answers, in catalog order.

    >>> survey_scales({"csat": {"scale": (0, 10)}})[:2]
    [('csat', (0.0, 10.0), True), ('nps', (0, 10), True)]
    >>> survey_scales({"csat": {"fractions": True}})[0]
    ('csat', (1, 5), False)
    """
    out = []
    for kpi_id, module in REGISTRY.items():
        info = module.INFO
        if info.scale is None:
            continue
        scale, whole = info.scale, info.whole
        if hasattr(module, "Params"):
            settings = module.Params(**params.get(kpi_id, {}))
            scale = getattr(settings, "scale", scale)
            whole = getattr(settings, "whole", info.whole)
        out.append((info.columns[0], scale, whole))
    return out


def plan(frame: pl.LazyFrame, columns: frozenset[str], checks: list[Rule], examples: int):
    """Two lazy queries: counts per rule, and up to ``examples`` rows per rule."""
    active = [r for r in checks if all(c in columns for c in r.needs)]
    counts = frame.select(
        [pl.len().alias("_rows")] + [r.build().fill_null(False).sum().alias(f"r{i}") for i, r in enumerate(active)]
    )
    where = [c for c in (SOURCE, ROW) if c in columns]
    samples = [
        frame.filter(r.build().fill_null(False))
        .head(examples)
        .select(*where, pl.col(r.column).cast(pl.String).alias("value"), pl.lit(i).alias("rule"))
        for i, r in enumerate(active)
    ]
    sample = pl.concat(samples) if samples else pl.LazyFrame()
    return active, counts, sample


def findings(active: list[Rule], counts: pl.DataFrame, sample: pl.DataFrame, paths: list[str]) -> list[Finding]:
    out = []
    row = counts.row(0, named=True)
    for i, rule in enumerate(active):
        count = row[f"r{i}"]
        if not count:
            continue
        examples = []
        if sample.height:
            for ex in sample.filter(pl.col("rule") == i).iter_rows(named=True):
                item: dict[str, Any] = {}
                if ex.get(SOURCE) is not None and ex[SOURCE] < len(paths):
                    item["file"] = paths[ex[SOURCE]]
                if ex.get(ROW) is not None:
                    item["row"] = ex[ROW]
                item["value"] = ex["value"]
                examples.append(item)
        out.append(Finding(kind=rule.kind, column=rule.column, count=count, expected=rule.expected, examples=examples))
    return out
