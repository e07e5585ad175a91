"""Hypothesis properties: every KPI equals the plain-Python reference of the catalog's formula
(to 1e-9) on random data, stays in range, ignores row order, and grouping by vendor equals
computing each vendor alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import reference

from supportkpi import compute
from supportkpi.metrics import REGISTRY

T0 = datetime(2025, 1, 1, tzinfo=UTC)
SCHEMA = {
    "ticket_id": pl.String,
    "created_at": pl.Datetime("us", "UTC"),
    "vendor": pl.String,
    "first_response_at": pl.Datetime("us", "UTC"),
    "resolved_at": pl.Datetime("us", "UTC"),
    "reopens": pl.Int64,
    "agent_replies": pl.Int64,
    "customer_contacts": pl.Int64,
    "transfers": pl.Int64,
    "escalated": pl.Boolean,
    "csat": pl.Float64,
    "nps": pl.Float64,
    "ces": pl.Float64,
    "qa_score": pl.Float64,
    "answered_at": pl.Datetime("us", "UTC"),
    "abandoned": pl.Boolean,
    "wait_seconds": pl.Float64,
    "talk_seconds": pl.Float64,
    "hold_seconds": pl.Float64,
    "acw_seconds": pl.Float64,
    "converted": pl.Boolean,
}


def maybe(strategy):
    return st.one_of(st.none(), strategy)


@st.composite
def contact(draw):
    created = T0 + timedelta(minutes=draw(st.integers(0, 60 * 24 * 90)))

    def later(max_hours):
        minutes = draw(maybe(st.integers(-120, max_hours * 60)))
        return None if minutes is None else created + timedelta(minutes=minutes)

    queue = draw(st.sampled_from(["answered", "answered flag only", "abandoned", "none"]))
    return {
        "created_at": created,
        "vendor": draw(st.sampled_from(["A", "B", "C"])),
        "first_response_at": later(48),
        "resolved_at": later(240),
        "reopens": draw(maybe(st.integers(0, 3))),
        "agent_replies": draw(maybe(st.integers(0, 4))),
        "customer_contacts": draw(maybe(st.integers(1, 3))),
        "transfers": draw(maybe(st.integers(0, 2))),
        "escalated": draw(maybe(st.booleans())),
        "csat": draw(maybe(st.integers(0, 7).map(float))),
        "nps": draw(maybe(st.sampled_from([-1.0, 0.0, 3.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 8.5]))),
        "ces": draw(maybe(st.integers(0, 8).map(float))),
        "qa_score": draw(maybe(st.floats(-10, 110, allow_nan=False))),
        "answered_at": created + timedelta(seconds=30) if queue == "answered" else None,
        "abandoned": {"answered": False, "answered flag only": False, "abandoned": True, "none": None}[queue],
        "wait_seconds": draw(maybe(st.floats(-5, 120, allow_nan=False))) if queue != "none" else None,
        "talk_seconds": draw(maybe(st.floats(-10, 900, allow_nan=False))),
        "hold_seconds": draw(maybe(st.floats(0, 200, allow_nan=False))),
        "acw_seconds": draw(maybe(st.floats(0, 200, allow_nan=False))),
        "converted": draw(maybe(st.booleans())),
    }


contacts = st.lists(contact(), min_size=0, max_size=40).map(
    lambda rows: [{"ticket_id": f"T{i}", **row} for i, row in enumerate(rows)]
)

PARAMS = st.fixed_dictionaries(
    {
        "csat": st.fixed_dictionaries({"variant": st.sampled_from(["top_box", "exclude_neutral"])}),
        "fcr_rate": st.fixed_dictionaries(
            {"definition": st.sampled_from(["one_touch", "exactly_one_reply", "no_reopen", "single_contact"])}
        ),
        "service_level": st.fixed_dictionaries(
            {
                "variant": st.sampled_from(["abandons_missed", "abandons_ignored", "abandons_within_t_met"]),
                "threshold_seconds": st.sampled_from([10, 20, 30]),
                "short_abandon_seconds": st.sampled_from([0, 5, 10]),
            }
        ),
        "abandonment_rate": st.fixed_dictionaries({"short_abandon_seconds": st.sampled_from([0, 5, 10])}),
        "first_response_time": st.fixed_dictionaries({"statistic": st.sampled_from(["median", "mean", "p90"])}),
        "aht": st.fixed_dictionaries({"statistic": st.sampled_from(["median", "mean", "p90"])}),
    }
)


def to_frame(rows):
    return pl.DataFrame(rows, schema=SCHEMA)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def values(result):
    return {
        (tuple(g.keys.items()), k): (r.value, r.n, r.excluded, r.stats)
        for g in result.groups
        for k, r in g.kpis.items()
    }


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rows=contacts, params=PARAMS)
def test_every_kpi_equals_the_reference(rows, params):
    result = compute(to_frame(rows), params=params)
    (group,) = result.groups
    # the contacts table's KPIs (the mentions' have their reference in test_metrics_mentions.py)
    for kpi_id in (k for k, m in REGISTRY.items() if m.INFO.table == "contacts"):
        if kpi_id == "cost_per_contact":
            # needs a price list; its formulas are worked by hand in test_metrics_cost.py
            assert not group.kpis[kpi_id].available
            continue
        expected_value, expected_n, expected_stats = reference(rows, kpi_id, **params.get(kpi_id, {}))
        got = group.kpis[kpi_id]
        assert close(got.value, expected_value), (kpi_id, got.value, expected_value)
        assert got.n == expected_n, (kpi_id, got.n, expected_n)
        for name, expected in expected_stats.items():
            assert close(got.stats[name], expected), (kpi_id, name, got.stats[name], expected)


@SETTINGS
@given(rows=contacts)
def test_values_stay_in_range(rows):
    result = compute(to_frame(rows), by=["vendor"])
    for group in result.groups:
        for kpi_id, r in group.kpis.items():
            if r.value is None:
                continue
            if r.unit == "%":
                assert 0 <= r.value <= 100, kpi_id
            if kpi_id == "nps":
                assert -100 <= r.value <= 100
            assert r.n >= 0 and all(c >= 0 for c in r.excluded.values())


@SETTINGS
@given(rows=contacts, seed=st.randoms(use_true_random=False))
def test_row_order_does_not_change_any_kpi(rows, seed):
    shuffled = list(rows)
    seed.shuffle(shuffled)
    a = values(compute(to_frame(rows), by=["vendor"], period="month"))
    b = values(compute(to_frame(shuffled), by=["vendor"], period="month"))
    assert a.keys() == b.keys()
    for key in a:
        (va, na, xa, sa), (vb, nb, xb, sb) = a[key], b[key]
        assert close(va, vb) and na == nb and xa == xb, key
        assert all(close(sa[s], sb[s]) for s in sa), key


@SETTINGS
@given(rows=contacts)
def test_grouping_by_vendor_equals_each_vendor_alone(rows):
    grouped = compute(to_frame(rows), by=["vendor"])
    for group in grouped.groups:
        alone_rows = [r for r in rows if r["vendor"] == group.keys["vendor"]]
        (alone,) = compute(to_frame(alone_rows)).groups
        for kpi_id, r in group.kpis.items():
            other = alone.kpis[kpi_id]
            assert close(r.value, other.value) and r.n == other.n, kpi_id
            assert r.excluded == other.excluded, kpi_id


@SETTINGS
@given(rows=contacts, cut=st.integers(0, 40))
def test_counts_add_up_when_data_is_split(rows, cut):
    """Counts (volume, n, exclusions) of two halves add up to those of the whole."""
    whole = compute(to_frame(rows)).groups[0].kpis
    halves = [compute(to_frame(part)).groups[0].kpis for part in (rows[:cut], rows[cut:])]
    for kpi_id, r in whole.items():
        assert r.n == sum(h[kpi_id].n for h in halves), kpi_id
        for reason, count in r.excluded.items():
            assert count == sum(h[kpi_id].excluded.get(reason, 0) for h in halves), (kpi_id, reason)
    assert whole["ticket_volume"].value == sum(h["ticket_volume"].value for h in halves)


@pytest.mark.parametrize("kpi_id", list(REGISTRY))
def test_every_kpi_has_documented_formula(kpi_id):
    doc = REGISTRY[kpi_id].__doc__ or ""
    for word in ("Formula", "Exclusions", "Unit", "Better", ">>>"):
        assert word in doc, (kpi_id, word)
