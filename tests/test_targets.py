"""Targets: status by hand in both directions and at the boundaries, minimum samples, overrides
resolving in the right order, the score, and kpi.yaml mistakes reported with their line."""

from __future__ import annotations

from datetime import UTC, datetime
from textwrap import dedent

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from supportkpi.config import level_in_unit, parse_config
from supportkpi.errors import ConfigError
from supportkpi.scorecard import scorecard
from supportkpi.targets import Levels, build_checks, exit_code, gap, judge, score

# --- status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(90, "pass"), (85, "pass"), (84.99, "warn"), (80, "warn"), (79.99, "fail"), (0, "fail")],
)
def test_higher_is_better_boundaries(value, expected):
    # CSAT warn 85, fail 80: exactly at a level is not worse than it
    assert judge(value, 100, Levels(warn=85, fail=80), "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "pass"), (4, "pass"), (4.01, "warn"), (8, "warn"), (8.01, "fail")],
)
def test_lower_is_better_boundaries(value, expected):
    # first response: warn above 4 h, fail above 8 h
    assert judge(value, 100, Levels(warn=4, fail=8), "lower") == expected


def test_only_a_fail_level_gives_pass_or_fail():
    levels = Levels(warn=None, fail=10)
    assert [judge(v, 5, levels, "lower") for v in (10, 10.5)] == ["pass", "fail"]


def test_only_a_warn_level_never_fails():
    levels = Levels(warn=10, fail=None)
    assert [judge(v, 5, levels, "lower") for v in (10, 99)] == ["pass", "warn"]


def test_below_the_minimum_sample_is_insufficient_data_whatever_the_value():
    levels = Levels(warn=85, fail=80, min_sample=30)
    assert judge(10.0, 29, levels, "higher") == "insufficient data"
    assert judge(10.0, 30, levels, "higher") == "fail"


def test_no_value_is_insufficient_data_and_missing_columns_not_available():
    assert judge(None, 0, Levels(85, 80, 0), "higher") == "insufficient data"
    assert judge(None, 0, Levels(85, 80), "higher", available=False) == "not available"


def test_gap_is_positive_when_better_than_the_target():
    assert gap(3.0, Levels(warn=4, fail=8), "lower") == 1.0
    assert gap(80.0, Levels(warn=85, fail=80), "higher") == -5.0
    assert gap(12.0, Levels(warn=None, fail=10), "lower") == -2.0  # no warn: the fail level


STATUS_RANK = {"pass": 0, "warn": 1, "fail": 2}


@given(
    st.floats(-1e6, 1e6),
    st.floats(-1e6, 1e6),
    st.floats(0, 100),
    st.floats(0, 100),
    st.sampled_from(["higher", "lower"]),
)
def test_a_worse_value_never_gets_a_better_status(a, b, level1, level2, direction):
    warn, fail = (
        (max(level1, level2), min(level1, level2))
        if direction == "higher"
        else (min(level1, level2), max(level1, level2))
    )
    levels = Levels(warn=warn, fail=fail)
    worse, better = (min(a, b), max(a, b)) if direction == "higher" else (max(a, b), min(a, b))
    assert STATUS_RANK[judge(worse, 1, levels, direction)] >= STATUS_RANK[judge(better, 1, levels, direction)]


# --- score and exit codes ---------------------------------------------------------------------


def test_score_by_hand():
    # (100*2 + 50*1 + 0*1) / 4 = 62.5; insufficient data and n/a are left out
    assert score([("pass", 2), ("warn", 1), ("fail", 1), ("insufficient data", 3), ("not available", 1)]) == 62.5
    assert score([("insufficient data", 1)]) is None
    assert score([("pass", 0)]) is None


@given(st.lists(st.tuples(st.sampled_from(["pass", "warn", "fail", "insufficient data"]), st.floats(0.1, 10))))
def test_score_stays_between_0_and_100(items):
    result = score(items)
    assert result is None or 0 <= result <= 100


@pytest.mark.parametrize(
    ("outcomes", "fail_on", "code"),
    [
        (["pass"], "fail", 0),
        (["pass", "warn"], "fail", 0),
        (["pass", "warn"], "warn", 4),
        (["warn", "fail"], "warn", 1),
        (["fail", "error"], "fail", 3),
        (["skip", "pass"], "warn", 0),
        ([], "fail", 0),
    ],
)
def test_exit_code_precedence(outcomes, fail_on, code):
    assert exit_code(outcomes, fail_on) == code


# --- levels with units ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "unit", "expected"),
    [
        ("15 min", "hours", 0.25),
        ("90s", "seconds", 90.0),
        ("2h", "seconds", 7200.0),
        ("1d", "hours", 24.0),
        ("95%", "%", 95.0),
        (4, "hours", 4.0),
        ("4", "hours", 4.0),
    ],
)
def test_levels_convert_to_the_kpis_unit(level, unit, expected):
    assert level_in_unit(level, unit) == pytest.approx(expected)


# --- kpi.yaml mistakes --------------------------------------------------------------------------


def config_error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        parse_config(dedent(text), "kpi.yaml")
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("targets:\n  - kpi: cast\n    warn: 80\n", 2, ["unknown KPI 'cast'", "did you mean 'csat'"]),
        ("targets:\n  - kpi: csat\n    warn: 75\n    fail: 80\n", 3, ["wrong side of fail", "higher is better"]),
        ("targets:\n  - kpi: aht\n    warn: 600\n    fail: 300\n", 3, ["wrong side", "at or below"]),
        (
            "targets:\n  - kpi: csat\n    warn: 80\n  - kpi: csat\n    fail: 70\n",
            4,
            ["two targets are named 'csat'", "name:"],
        ),
        (
            "targets:\n  - kpi: csat\n    name: c\n    warn: 80\n  - kpi: nps\n    name: c\n    fail: 0\n",
            6,
            ["two targets are named 'c'"],
        ),
        (
            "vendors:\n  Acme: {}\ntargets:\n  - kpi: csat\n    warn: 80\n    overrides:\n      - vendor: Acmee\n        warn: 70\n",
            7,
            ["no vendor 'Acmee'", "did you mean 'Acme'"],
        ),
        ("targets:\n  - kpi: first_response_time\n    warn: 95%\n", 3, ["percentage", "hours"]),
        ("targets:\n  - kpi: csat\n    warn: 4h\n", 3, ["duration", "%"]),
        ("targets:\n  - kpi: csat\n    statistic: p90\n    warn: 80\n", 3, ["`statistic` is for duration KPIs"]),
        ("targets:\n  - kpi: ticket_volume\n    warn: 100\n", 2, ["no better direction", "direction: higher"]),
        ("targets:\n  - kpi: csat\n", 2, ["give `warn`, `fail` or both"]),
        ("targets:\n  - kpi: sla_compliance.first\n    warn: 90\n", 2, ["unknown KPI", "sla_compliance.<policy name>"]),
        (
            "targets:\n  - kpi: csat\n    warn: 80\n    overrides:\n      - channel: chatt\n        warn: 70\n",
            5,
            ["not a canonical channel"],
        ),
        (
            "targets:\n  - kpi: csat\n    warn: 80\n    overrides:\n      - warn: 70\n",
            5,
            ["names a `vendor`, `channel`, `priority` or `language`"],
        ),
        ("targets:\n  - kpi: csat\n    warn: 80\n    weight: -1\n", 4, ["greater than or equal to 0"]),
        ("targets:\n  - kpi: csat\n    warn: 80\n    treshold: 3\n", 4, ["unknown key 'treshold'"]),
    ],
)
def test_target_mistakes_are_errors_with_their_line(text, line, words):
    error = config_error(text)
    assert error.line == line, str(error)
    for word in words:
        assert word in str(error)


def test_an_override_level_left_out_is_the_targets_and_the_merge_is_checked():
    # the vendor override gives only fail 82; with the target's warn 85 that is fine...
    text = "vendors: {Acme: {}}\ntargets:\n  - {kpi: csat, warn: 85, fail: 80, overrides: [{vendor: Acme, fail: 82}]}\n"
    (check,) = build_checks(parse_config(text))
    assert check.overrides[0].levels == Levels(warn=85, fail=82, min_sample=1)
    # ...but fail 90 would put the inherited warn 85 on the wrong side
    error = config_error(text.replace("fail: 82", "fail: 90"))
    assert "wrong side" in str(error) and error.line == 3


def test_ticket_volume_can_be_a_target_with_a_declared_direction():
    (check,) = build_checks(parse_config("targets:\n  - {kpi: ticket_volume, direction: higher, fail: 10}\n"))
    assert check.direction == "higher"


def test_ces_direction_follows_its_scale():
    text = "kpis:\n  ces: {scale: [1, 5], higher_is_easier: false}\ntargets:\n  - {kpi: ces, warn: 2, fail: 3}\n"
    (check,) = build_checks(parse_config(text))
    assert check.direction == "lower"


# --- overrides resolving ------------------------------------------------------------------------

OVERRIDES = """
vendors: {Acme: {}, Beta: {}}
targets:
  - kpi: first_response_time
    warn: 4h
    fail: 8h
    overrides:
      - {channel: chat, warn: 2 min, fail: 10 min}
      - {vendor: Acme, warn: 2h, fail: 6h}
      - {vendor: Acme, channel: chat, fail: 5 min}
      - {priority: urgent, warn: 30 min, fail: 1h}
"""


@pytest.mark.parametrize(
    ("keys", "warn", "fail"),
    [
        ({"vendor": "Beta", "channel": "email", "priority": "normal"}, 4, 8),  # the target's own
        ({"vendor": "Beta", "channel": "chat", "priority": "normal"}, 2 / 60, 10 / 60),  # channel
        ({"vendor": "Acme", "channel": "email", "priority": "normal"}, 2, 6),  # vendor
        # two conditions beat one; its warn is left out, so the target's 4 h... would be on the
        # wrong side of 5 min: the merge takes the *target's* warn, checked at parse time, so
        # this override must state both. See the config below: it states fail only and the
        # target's warn (4 h) is above 5 min -> that config is rejected; tested separately.
    ],
)
def test_overrides_resolve_most_specific_first(keys, warn, fail):
    (check,) = build_checks(
        parse_config(
            OVERRIDES.replace(
                "{vendor: Acme, channel: chat, fail: 5 min}", "{vendor: Acme, channel: chat, warn: 1 min, fail: 5 min}"
            )
        )
    )
    levels, _ = check.levels_for(keys)
    assert levels.warn == pytest.approx(warn) and levels.fail == pytest.approx(fail)


def test_overrides_tie_break_channel_over_priority_over_vendor():
    fixed = OVERRIDES.replace(
        "{vendor: Acme, channel: chat, fail: 5 min}", "{vendor: Acme, channel: chat, warn: 1 min, fail: 5 min}"
    )
    (check,) = build_checks(parse_config(fixed))
    # Acme + chat: the two-condition override wins over the channel's and the vendor's
    assert check.levels_for({"vendor": "Acme", "channel": "chat"})[0].fail == pytest.approx(5 / 60)
    # Beta + chat + urgent: channel (2 min / 10 min) outranks priority (30 min / 1 h)
    assert check.levels_for({"vendor": "Beta", "channel": "chat", "priority": "urgent"})[0].warn == pytest.approx(
        2 / 60
    )
    # Acme + email + urgent: priority outranks vendor
    assert check.levels_for({"vendor": "Acme", "channel": "email", "priority": "urgent"})[0].fail == pytest.approx(1)


def test_an_override_inheriting_a_warn_on_the_wrong_side_is_rejected():
    error = config_error(OVERRIDES)
    assert "wrong side" in str(error) and error.line == 10


# --- scorecards over a hand-made frame -----------------------------------------------------------


def at(day: int, hour: float = 0) -> datetime:
    return datetime(2025, 1, day, tzinfo=UTC).replace(hour=int(hour), minute=int(hour % 1 * 60))


def test_scorecard_values_statuses_and_score_by_hand():
    # vendor A: csat 5, 4, 2 -> 2/3 satisfied = 66.67 % (fail < 70); first response 1 h, 3 h, 5 h
    #   -> median 3 h (pass, warn 4 h); chat 0.05 h = 3 min against the chat override 2 min/10 min
    # vendor B: csat 5, 5 -> 100 % but min_sample 3 -> insufficient data; response 6 h (warn)
    frame = pl.DataFrame(
        {
            "ticket_id": ["1", "2", "3", "4", "5", "6"],
            "vendor": ["A", "A", "A", "A", "B", "B"],
            "channel": ["email", "email", "email", "chat", "email", "email"],
            "created_at": [at(6, 8)] * 6,
            "first_response_at": [at(6, 9), at(6, 11), at(6, 13), at(6, 8.05), at(6, 14), None],
            "csat": [5, 4, 2, None, 5, 5],
        }
    )
    config = parse_config(
        dedent("""
        targets:
          - {kpi: csat, warn: 80, fail: 70, min_sample: 3, weight: 2}
          - kpi: first_response_time
            warn: 4h
            fail: 8h
            overrides: [{channel: chat, warn: 2 min, fail: 10 min}]
    """)
    )
    card = scorecard(frame, config, by=["vendor"])
    got = [(r.keys["vendor"], r.slice_text, r.check.name, r.value, r.n, r.status) for r in card.results]
    assert got == [
        ("A", "", "csat", pytest.approx(200 / 3), 3, "fail"),
        ("A", "channel=chat", "first_response_time", pytest.approx(0.05), 1, "warn"),
        ("A", "other", "first_response_time", pytest.approx(3.0), 3, "pass"),
        ("B", "", "csat", 100.0, 2, "insufficient data"),
        # B has no chats: its contacts are all "other", judged against the target's own levels
        ("B", "", "first_response_time", pytest.approx(6.0), 1, "warn"),
    ]
    # A: csat fail (0 x 2) and first response in two slices, weight 1 shared:
    # (0*2 + 50*0.5 + 100*0.5) / 3 = 25.0; B: csat left out, (50*1) / 1 = 50.0
    assert [(s.keys["vendor"], s.score) for s in card.scores] == [("A", 25.0), ("B", 50.0)]


def test_statistic_judges_the_p90_and_periods_give_the_change():
    # January: responses 1, 2, ..., 10 h -> p90 (nearest rank) 9 h; February: 2 h each -> 2 h
    created = [at(6)] * 10 + [datetime(2025, 2, 3, tzinfo=UTC)] * 2
    hours = list(range(1, 11)) + [2, 2]
    frame = pl.DataFrame(
        {
            "ticket_id": [str(i) for i in range(12)],
            "created_at": created,
            "first_response_at": [c.replace(hour=h) for c, h in zip(created, hours)],
        }
    )
    config = parse_config("targets:\n  - {kpi: first_response_time, statistic: p90, warn: 8h, fail: 12h}\n")
    card = scorecard(frame, config, period="month")
    assert [(r.keys["period"], r.value, r.status, r.change) for r in card.results] == [
        ("2025-01", 9.0, "warn", None),
        ("2025-02", 2.0, "pass", -7.0),
    ]
    assert [(s.score, s.change) for s in card.scores] == [(50.0, None), (100.0, 50.0)]


def test_a_target_on_a_missing_column_is_not_available():
    frame = pl.DataFrame({"ticket_id": ["1"], "created_at": [at(6)]})
    card = scorecard(frame, parse_config("targets:\n  - {kpi: csat, warn: 80}\n"))
    (result,) = card.results
    assert (result.status, result.needs) == ("not available", ("csat",))


def test_order_of_rows_does_not_change_the_scorecard():
    frame = pl.DataFrame(
        {
            "ticket_id": [str(i) for i in range(8)],
            "vendor": ["A", "B"] * 4,
            "csat": [5, 1, 4, 2, 3, 5, 5, 4],
        }
    )
    config = parse_config("targets:\n  - {kpi: csat, warn: 80, fail: 50}\n")
    first = scorecard(frame, config, by=["vendor"]).to_dict()
    second = scorecard(frame.reverse(), config, by=["vendor"]).to_dict()
    assert first["groups"] == second["groups"]


# --- slices: each contact under its most specific override --------------------------------------


SLICED = pl.DataFrame(
    {
        # Acme: urgent email 1 h, normal email 3 h, 5 h; chat 0.05 h (3 min)
        # Beta: normal email 6 h, 8 h; urgent chat 5 min (at(6, 8.1) truncates to 08:05)
        "ticket_id": [str(i) for i in range(7)],
        "vendor": ["Acme"] * 4 + ["Beta"] * 3,
        "channel": ["email", "email", "email", "chat", "email", "email", "chat"],
        "priority": ["urgent", "normal", "normal", "normal", "normal", "normal", "urgent"],
        "created_at": [at(6, 8)] * 7,
        "first_response_at": [at(6, 9), at(6, 11), at(6, 13), at(6, 8.05), at(6, 14), at(6, 16), at(6, 8.1)],
    }
)


def sliced(overrides: str, by=("vendor",)):
    config = parse_config(
        "vendors: {Acme: {}, Beta: {}}\ntargets:\n  - kpi: first_response_time\n    warn: 4h\n"
        f"    fail: 8h\n    overrides: {overrides}\n"
    )
    card = scorecard(SLICED, config, by=list(by))
    return [(r.keys.get("vendor"), r.slice_text, r.value, r.n, r.status) for r in card.results]


def test_a_vendor_scoped_override_changes_nothing_for_other_vendors():
    plain = sliced("[]")
    with_acme_urgent = sliced("[{vendor: Acme, priority: urgent, warn: 30 min, fail: 1h}]")
    assert [r for r in with_acme_urgent if r[0] == "Beta"] == [r for r in plain if r[0] == "Beta"]
    # Acme's urgent email (1 h) is judged against 30 min / 1 h: exactly at fail -> warn;
    # its other three contacts (3 min, 3 h, 5 h -> median 3 h) against 4 h -> pass
    assert [r for r in with_acme_urgent if r[0] == "Acme"] == [
        ("Acme", "priority=urgent", 1.0, 1, "warn"),
        ("Acme", "other", pytest.approx(3.0), 3, "pass"),
    ]


def test_each_contact_falls_under_its_most_specific_override():
    # Beta's urgent chat matches both; the chat override (channel outranks priority) takes it
    rows = sliced("[{channel: chat, warn: 2 min, fail: 5 min}, {priority: urgent, warn: 30 min, fail: 2h}]")
    assert rows == [
        ("Acme", "channel=chat", pytest.approx(0.05), 1, "warn"),  # 3 min: over 2, not over 5
        ("Acme", "priority=urgent", 1.0, 1, "warn"),  # 1 h: over 30 min
        ("Acme", "other", pytest.approx(4.0), 2, "pass"),  # 3 h and 5 h: median 4 h
        ("Beta", "channel=chat", pytest.approx(5 / 60), 1, "warn"),  # 5 min: exactly at fail
        ("Beta", "other", pytest.approx(7.0), 2, "warn"),  # 6 h and 8 h: median 7 h
    ]


def test_a_vendor_override_in_a_run_by_vendor_is_that_vendors_whole_group():
    rows = sliced("[{vendor: Beta, warn: 8h, fail: 12h}]")
    # Beta: 6 h, 8 h, 6 min -> median 6 h against 8 h: pass (against 4 h it would warn)
    assert rows[-1] == ("Beta", "", pytest.approx(6.0), 3, "pass")


def test_a_check_in_several_slices_keeps_its_weight():
    config = parse_config(
        "targets:\n  - {kpi: first_response_time, warn: 4h, fail: 8h, weight: 2,"
        " overrides: [{channel: chat, warn: 2 min, fail: 5 min}]}\n"
        "  - {kpi: ticket_volume, direction: higher, fail: 100}\n"
    )
    card = scorecard(SLICED, config, by=["vendor"])
    # Acme: chat warn (50), other 3 h pass (100) share weight 2; volume 4 < 100 fails (0):
    # (50*1 + 100*1 + 0*1) / 3 = 50.0
    assert card.scores[0].score == 50.0
