"""What each KPI module says about itself (its INFO, Params and hooks) and how the consumers use
it: compare's choice of test, the survey scales of validate, the sign of NPS."""

from __future__ import annotations

import ast
import difflib
import inspect
import typing
from pathlib import Path

import pydantic
import pytest

from supportkpi.comparison import KAPLAN_MEIER, MEAN, MEDIAN, NO_TEST, NPS, PROPORTION, choose_test
from supportkpi.comparison.model import BY_STATISTIC, COUNT
from supportkpi.metrics import PARAMETERIZED, REGISTRY, signed, sla_compliance
from supportkpi.metrics._base import HOOKS, Kind, Test
from supportkpi.validation import survey_scales

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "supportkpi"
KPI_MODULES = [*REGISTRY.values(), sla_compliance]


@pytest.mark.parametrize("kpi_id", list(REGISTRY))
def test_info_fields_take_their_documented_values(kpi_id):
    info = REGISTRY[kpi_id].INFO
    assert info.kind in typing.get_args(Kind)
    assert info.test in typing.get_args(Test)
    assert (info.test == "by statistic") == (info.kind == "duration")
    assert info.business_clock <= (info.kind == "duration")
    assert info.censor_open <= info.business_clock


@pytest.mark.parametrize("kpi_id", list(PARAMETERIZED))
def test_params_defaults_are_valid(kpi_id):
    params = PARAMETERIZED[kpi_id].Params()
    assert PARAMETERIZED[kpi_id].Params(**params.model_dump()) == params


def test_params_reject_unknown_keys_and_bad_values():
    with pytest.raises(pydantic.ValidationError):
        REGISTRY["csat"].Params(satisfied_min=1)  # below dissatisfied_max
    with pytest.raises(pydantic.ValidationError):
        REGISTRY["aht"].Params(statistc="mean")


def test_ces_direction_follows_its_parameter():
    assert REGISTRY["ces"].Params().direction("higher") == "higher"
    assert REGISTRY["ces"].Params(higher_is_easier=False).direction("higher") == "lower"
    assert REGISTRY["csat"].Params().direction("higher") == "higher"


@pytest.mark.parametrize(
    ("kpi_id", "statistic", "open_tickets", "test"),
    [
        ("csat", None, "exclude", PROPORTION),
        ("nps", None, "censor", NPS),
        ("ces", None, "exclude", MEAN),
        ("aht", "mean", "exclude", MEAN),
        ("aht", "median", "censor", MEDIAN),
        ("first_response_time", "p90", "exclude", NO_TEST),
        ("first_response_time", "median", "censor", MEDIAN),
        ("resolution_time", "median", "exclude", MEDIAN),
        ("resolution_time", "median", "censor", KAPLAN_MEIER),
        ("resolution_time", "mean", "censor", MEAN),
        ("resolution_time", None, "censor", NO_TEST),
        ("ticket_volume", None, "exclude", "count"),
        ("cost_per_contact", None, "exclude", NO_TEST),
    ],
)
def test_choose_test_by_kpi_metadata(kpi_id, statistic, open_tickets, test):
    assert choose_test(REGISTRY[kpi_id].INFO, statistic, open_tickets) == test


def test_survey_scales_come_from_the_kpi_modules():
    assert survey_scales({}) == [
        ("csat", (1, 5), True),
        ("nps", (0, 10), True),
        ("ces", (1, 7), True),
        ("qa_score", (0, 100), False),
        ("rating", (1, 5), True),
    ]
    assert survey_scales({"ces": {"scale": (1, 5)}})[2] == ("ces", (1.0, 5.0), True)
    # issue 17: fractions only where kpi.yaml says the ratings are averages, or the scale has them
    assert survey_scales({"ces": {"fractions": True}})[2] == ("ces", (1, 7), False)
    assert survey_scales({"csat": {"scale": (0.5, 5)}})[0] == ("csat", (0.5, 5.0), False)


def test_only_nps_is_signed():
    assert [k for k in REGISTRY if signed(k)] == ["nps", "net_sentiment"]
    assert not signed("sla_compliance.p1")


def test_comparison_names_the_tests_a_kpi_declares():
    assert (PROPORTION, NPS, MEAN, BY_STATISTIC, COUNT, NO_TEST) == (
        "proportion",
        "nps",
        "mean",
        "by statistic",
        "count",
        "none",
    )
    assert {MEDIAN, KAPLAN_MEIER}.isdisjoint(typing.get_args(Test))


def _defined(tree: ast.Module) -> set[str]:
    """The names a module's top level defines (imports left out)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def _used_elsewhere() -> set[str]:
    """Names the package reads from another module: imported by name, or as an attribute
    (``csat.answered``, ``REGISTRY[kpi].END``)."""
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                used.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Attribute):
                used.add(node.attr)
    return used


def test_kpi_modules_define_only_their_interface_and_what_is_used():
    # hooks are looked up by name (getattr): a misspelt one would be silently ignored
    interface = {"INFO", "Params", "measure", *HOOKS}
    elsewhere = _used_elsewhere()
    unknown = {}
    for module in KPI_MODULES:
        tree = ast.parse(inspect.getsource(module))
        read_here = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        public = {n for n in _defined(tree) if not n.startswith("_")}
        names = {n for n in public - interface if n not in read_here and n not in elsewhere}
        near_misses = {n for n in public - interface if difflib.get_close_matches(n, HOOKS, cutoff=0.8)}
        if names | near_misses:
            unknown[module.__name__] = sorted(names | near_misses)
    assert unknown == {}
