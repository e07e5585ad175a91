"""What each KPI module says about itself (its INFO and Params) and how the consumers use it:
compare's choice of test, the survey scales of validate, the sign of NPS."""

from __future__ import annotations

import typing

import pydantic
import pytest

from supportkpi.comparison import KAPLAN_MEIER, MEAN, MEDIAN, NO_TEST, NPS, PROPORTION, choose_test
from supportkpi.metrics import PARAMETERIZED, REGISTRY, signed
from supportkpi.metrics._base import Kind, Test
from supportkpi.validation import survey_scales


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
        ("csat", (1, 5), False),
        ("nps", (0, 10), True),
        ("ces", (1, 7), False),
        ("qa_score", (0, 100), False),
    ]
    assert survey_scales({"ces": {"scale": (1, 5)}})[2] == ("ces", (1.0, 5.0), False)


def test_only_nps_is_signed():
    assert [k for k in REGISTRY if signed(k)] == ["nps"]
    assert not signed("sla_compliance.p1")
