"""The engine and the interval reports know KPIs only through the registry and the hooks of the
KPI modules (``prepare``, ``run_params``, ``for_run``, ``stock_per_period``, ``from_intervals``)."""

from __future__ import annotations

import ast
import inspect
import pkgutil
from datetime import datetime

import polars as pl

import supportkpi.engine
import supportkpi.intervals
from supportkpi import compute
from supportkpi.metrics import REGISTRY, Context
from supportkpi.metrics._base import RunEnv
from supportkpi.metrics._intervals import IntervalContext, RowCheck
from supportkpi.sla import SLA_COMPLIANCE


def _string_constants(module) -> set[str]:
    """The string literals of a module, docstrings left out."""
    tree = ast.parse(inspect.getsource(module))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    }


def test_the_engine_and_interval_reports_name_no_kpi():
    ids = {*REGISTRY, SLA_COMPLIANCE}
    for package in (supportkpi.engine, supportkpi.intervals):
        modules = [package] + [
            __import__(f"{package.__name__}.{m.name}", fromlist=["_"]) for m in pkgutil.iter_modules(package.__path__)
        ]
        for module in modules:
            assert not _string_constants(module) & ids, module.__name__


def test_prepare_gives_a_duration_per_row_on_the_clock_asked_for():
    module = REGISTRY["first_response_time"]
    ctx = Context(frozenset({"created_at", "first_response_at"}))
    calendar = module.prepare(ctx, {}, RunEnv())
    business = module.prepare(ctx, {"clock": "business"}, RunEnv(business_seconds=lambda stop: stop))
    assert [e.meta.output_name() for e in calendar] == ["_calendar_seconds_first_response_at"]
    assert [e.meta.output_name() for e in business] == ["_business_seconds_first_response_at"]
    assert module.prepare(Context(frozenset({"first_response_at"})), {}, RunEnv()) == []


def test_run_params_give_cost_per_contact_the_period():
    assert REGISTRY["cost_per_contact"].run_params({"pricing": {}}, RunEnv(period="week")) == {
        "pricing": {},
        "period": "week",
    }


def test_ticket_volume_counts_repeated_ids_under_its_exclusions():
    frame = pl.DataFrame({"ticket_id": ["1", "1", "2"], "created_at": [datetime(2025, 1, 6)] * 3})
    result = compute(frame, ["ticket_volume"]).groups[0].kpis["ticket_volume"]
    assert (result.value, result.excluded) == (2, {"duplicate ticket_id": 1})


def test_interval_exclusions_grow_by_one_term_per_reason():
    # each reason adds one column to the left-out mask: the expression grows linearly (it used
    # to double with every reason)
    def size(reasons: int) -> int:
        checks = tuple(RowCheck(f"_check_{i}", f"reason {i}", ("offered",)) for i in range(reasons))
        usable, _ = IntervalContext(frozenset({"offered"}), checks).exclusions(("offered",))
        return len(str(usable))

    assert size(12) - size(11) == size(11) - size(10)


def test_a_group_key_may_be_named_like_a_data_quality_count():
    # the pass's count columns lose their prefix for the report; a key named `rows` stays a key
    frame = pl.DataFrame({"ticket_id": ["1", "2", "3"], "rows": ["a", "a", "b"], "duplicates": [1, 1, 2]})
    for key in ("rows", "duplicates"):
        result = compute(frame, ["ticket_volume"], by=[key], memory="in-memory")
        assert [(g.keys[key], g.kpis["ticket_volume"].value) for g in result.groups] == [
            ("a" if key == "rows" else 1, 2),
            ("b" if key == "rows" else 2, 1),
        ]
