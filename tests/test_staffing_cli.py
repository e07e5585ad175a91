"""``supportkpi staffing`` end to end (a subprocess: real exit codes, stdout and stderr).

Plain numbers use the classic worked example (100 calls per 30 min, AHT 180 s, 80/20: 10
erlangs, 14 agents, 88.8 % within 20 s, ASA 7.8 s; see tests/test_erlang.py for the sources).
Call-level figures are worked out by hand from the small export below.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pytest
from cli_support import run

from supportkpi.api import Run, staffing_from_numbers
from supportkpi.errors import UsageError

# --------------------------------------------------------------------------------------------
# The hand-made export: two weeks, Monday 2 June to Sunday 15 June 2025 (UTC)
# --------------------------------------------------------------------------------------------
#
#   id  created (UTC)       vendor  answered  talk+hold+acw   slot
#   C1  Mon  2 Jun 09:05    Acme    yes       240+30+30 = 300   Mon 09:00
#   C2  Mon  2 Jun 09:10    Acme    yes       150+0+50  = 200   Mon 09:00
#   C3  Mon  2 Jun 09:20    Acme    abandoned                   Mon 09:00
#   C4  Mon  2 Jun 09:45    Acme    yes       300+60+40 = 400   Mon 09:30
#   C5  Mon  9 Jun 09:29    Acme    yes       80+0+20   = 100   Mon 09:00
#   C6  Sun 15 Jun 10:00    Acme    yes       500+0+100 = 600   Sun 10:00
#   E1  Tue  3 Jun 11:00    Acme    (an email: no queue data, left out)
#   C7  Wed 11 Jun 14:10    Beta    yes       100+0+80  = 180   Wed 14:00
#   C8  Wed 11 Jun 14:20    Beta    yes       200+0+40  = 240   Wed 14:00
#
# Window of all calls: Mon 2 Jun .. Sun 15 Jun = two of each weekday. Weeks without a call in a
# slot count as 0, so:
#   Mon 09:00  calls 4 (C1, C2, C3, C5), weeks 2 -> 2.0 per week; AHT (300+200+100)/3 = 200 s
#              (the abandoned C3 is offered but has no handle time)
#   Mon 09:30  calls 1, weeks 2 (nobody called in week 2) -> 0.5 per week; AHT 400 s
#   Sun 10:00  calls 1, weeks 2 -> 0.5; AHT 600 s
#   Wed 14:00  calls 2, weeks 2 -> 1.0; AHT 210 s
# By vendor, each vendor has its own window: Acme Mon 2 .. Sun 15 Jun (as above); Beta only
# Wed 11 Jun -> one Wednesday: 2 calls / 1 week = 2.0 per week.

HEADER = "ticket_id,created_at,vendor,channel,answered_at,abandoned,wait_seconds,talk_seconds,hold_seconds,acw_seconds"
ROWS = [
    "C1,2025-06-02T09:05:00Z,Acme,phone,2025-06-02T09:05:10Z,false,10,240,30,30",
    "C2,2025-06-02T09:10:00Z,Acme,phone,2025-06-02T09:10:30Z,false,30,150,0,50",
    "C3,2025-06-02T09:20:00Z,Acme,phone,,true,45,,,",
    "C4,2025-06-02T09:45:00Z,Acme,phone,2025-06-02T09:45:05Z,false,5,300,60,40",
    "C5,2025-06-09T09:29:00Z,Acme,phone,2025-06-09T09:29:20Z,false,20,80,0,20",
    "C6,2025-06-15T10:00:00Z,Acme,phone,2025-06-15T10:00:10Z,false,10,500,0,100",
    "E1,2025-06-03T11:00:00Z,Acme,email,,,,,,",
    "C7,2025-06-11T14:10:00Z,Beta,phone,2025-06-11T14:10:10Z,false,10,100,0,80",
    "C8,2025-06-11T14:20:00Z,Beta,phone,2025-06-11T14:20:10Z,false,10,200,0,40",
]
CLASSIC = ("--volume", "100", "--per", "30m", "--aht", "180", "--target", "80/20")


@pytest.fixture
def calls(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def staffing_json(*args, cwd):
    result = run("staffing", *args, "--format", "json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def slots(document):
    return {(r["weekday"], r["time"]): r for r in document["intervals"]}


# --------------------------------------------------------------------------------------------
# Plain numbers
# --------------------------------------------------------------------------------------------


def test_classic_case_table_shows_14_agents_and_their_service(tmp_path):
    result = run("staffing", *CLASSIC, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "10.00 erlangs" in out
    assert re.search(r"Agents\s*│\s*14\s*│", out)
    assert "88.8 %" in out  # service level within 20 s
    assert "17.4 %" in out  # P(wait)
    assert "7.8 s" in out  # ASA
    assert "71.4 %" in out  # occupancy
    words = " ".join(out.split())  # the method line wraps at the terminal's width
    assert "Erlang C" in words and "80 % answered within 20 s" in words


def test_classic_case_json(tmp_path):
    document = staffing_json(*CLASSIC, cwd=tmp_path)
    (row,) = document["intervals"]
    assert row["traffic_erlangs"] == 10.0
    assert row["agents"] == 14
    assert row["service_level_pct"] == pytest.approx(88.835, abs=1e-3)
    assert row["probability_of_waiting_pct"] == pytest.approx(17.41319, abs=1e-4)
    assert row["asa_seconds"] == pytest.approx(7.83594, abs=1e-4)
    assert row["occupancy_pct"] == pytest.approx(71.42857, abs=1e-4)
    assert row["headcount"] == 14
    assert row["stable"] is True
    assert document["parameters"]["target_service_level_pct"] == 80.0
    assert document["parameters"]["threshold_seconds"] == 20.0
    assert document["method"].startswith("Erlang C")


def test_agents_given_are_evaluated(tmp_path):
    (row,) = staffing_json(*CLASSIC, "--agents", "12", cwd=tmp_path)["intervals"]
    assert row["agents"] == 12
    assert row["service_level_pct"] == pytest.approx(64.0158, abs=1e-3)  # below target, as asked
    assert row["asa_seconds"] == pytest.approx(40.44494, abs=1e-4)


def test_too_few_agents_are_unstable(tmp_path):
    (row,) = staffing_json(*CLASSIC, "--agents", "10", cwd=tmp_path)["intervals"]
    assert (row["probability_of_waiting_pct"], row["service_level_pct"], row["asa_seconds"]) == (100.0, 0.0, None)
    assert row["stable"] is False
    table = run("staffing", *CLASSIC, "--agents", "10", cwd=tmp_path)
    assert table.returncode == 0
    assert "unstable" in table.stdout and "agents ≤ traffic" in table.stdout


def test_growth_raises_the_agents(tmp_path):
    (row,) = staffing_json(*CLASSIC, "--growth", "1.4", cwd=tmp_path)["intervals"]
    assert row["volume"] == pytest.approx(140.0)
    assert row["traffic_erlangs"] == pytest.approx(14.0)
    assert row["agents"] > 14
    assert row["service_level_pct"] >= 80


def test_shrinkage_gives_headcount(tmp_path):
    (row,) = staffing_json(*CLASSIC, "--shrinkage", "0.3", cwd=tmp_path)["intervals"]
    assert (row["agents"], row["headcount"]) == (14, math.ceil(14 / 0.7)) == (14, 20)
    (row,) = staffing_json(*CLASSIC, "--shrinkage", "0.3", "--agents", "15", cwd=tmp_path)["intervals"]
    assert row["headcount"] == 22  # 15 / 0.7 = 21.4


def test_max_occupancy(tmp_path):
    (row,) = staffing_json(*CLASSIC, "--max-occupancy", "0.7", cwd=tmp_path)["intervals"]
    assert row["agents"] == 15  # 10/14 = 71.4 % is above 70 %


# --------------------------------------------------------------------------------------------
# Call-level exports
# --------------------------------------------------------------------------------------------


def test_call_level_offered_per_week_and_aht_by_slot(tmp_path, calls):
    document = staffing_json(calls, "--interval", "30m", cwd=tmp_path)
    by_slot = slots(document)
    assert list(by_slot) == [(1, "09:00"), (1, "09:30"), (3, "14:00"), (7, "10:00")]
    expected = {
        (1, "09:00"): (4, 2, 2.0, 200.0),
        (1, "09:30"): (1, 2, 0.5, 400.0),
        (3, "14:00"): (2, 2, 1.0, 210.0),
        (7, "10:00"): (1, 2, 0.5, 600.0),
    }
    for key, (calls_, weeks, per_week, aht) in expected.items():
        row = by_slot[key]
        assert (row["calls"], row["weeks"]) == (calls_, weeks)
        assert row["offered_per_week"] == pytest.approx(per_week)
        assert row["aht_seconds"] == pytest.approx(aht)
        assert row["traffic_erlangs"] == pytest.approx(per_week * aht / 1800)
        assert row["agents"] >= 1 and row["service_level_pct"] >= 80
    assert "volume averaged over 2 weeks" in document["method"]
    assert "counted as 0" in document["method"]


def test_call_level_by_vendor_has_one_window_and_table_per_vendor(tmp_path, calls):
    document = staffing_json(calls, "--by", "vendor", cwd=tmp_path)
    rows = {(r["vendor"], r["weekday"], r["time"]): r for r in document["intervals"]}
    assert rows[("Acme", 1, "09:00")]["offered_per_week"] == pytest.approx(2.0)
    beta = rows[("Beta", 3, "14:00")]
    assert (beta["calls"], beta["weeks"], beta["offered_per_week"]) == (2, 1, 2.0)
    assert ("Acme", 3, "14:00") not in rows  # only intervals with volume
    table = run("staffing", calls, "--by", "vendor", cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "vendor Acme" in table.stdout and "vendor Beta" in table.stdout
    assert "Mon 09:00" in table.stdout and "Wed 14:00" in table.stdout
    assert "left out 1 contact(s): no queue data" in table.stderr


def test_call_level_time_zone_moves_the_slots(tmp_path, calls):
    by_slot = slots(staffing_json(calls, "--tz", "Europe/Berlin", cwd=tmp_path))  # UTC+2 in June
    assert (1, "11:00") in by_slot and (1, "09:00") not in by_slot
    assert by_slot[(1, "11:00")]["calls"] == 4


def test_call_level_agents_growth_and_one_hour_interval(tmp_path, calls):
    by_slot = slots(staffing_json(calls, "--interval", "1h", "--agents", "2", "--growth", "2", cwd=tmp_path))
    row = by_slot[(1, "09:00")]  # 09:00-09:59: C1..C5 = 5 calls over 2 weeks
    assert (row["calls"], row["offered_per_week"], row["agents"]) == (5, 2.5, 2)
    assert row["volume"] == pytest.approx(5.0)
    assert row["aht_seconds"] == pytest.approx((300 + 200 + 400 + 100) / 4)


def test_call_level_csv_to_a_file(tmp_path, calls):
    target = tmp_path / "plan.csv"
    result = run("staffing", calls, "--format", "csv", "--output", target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [(r["weekday"], r["time"]) for r in rows] == [("1", "09:00"), ("1", "09:30"), ("3", "14:00"), ("7", "10:00")]
    assert float(rows[0]["offered_per_week"]) == 2.0


def test_markdown(tmp_path, calls):
    result = run("staffing", calls, "--format", "markdown", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("| weekday | time |")
    assert "Erlang C" in result.stdout


def test_exports_without_handle_time_need_aht(tmp_path):
    path = tmp_path / "queue.csv"
    path.write_text(
        "ticket_id,created_at,answered_at,abandoned\n"
        "1,2025-06-02T09:05:00Z,2025-06-02T09:05:10Z,false\n"
        "2,2025-06-02T09:10:00Z,,true\n",
        encoding="utf-8",
    )
    result = run("staffing", path, cwd=tmp_path)
    assert result.returncode == 3
    assert "--aht" in result.stderr and "talk_seconds" in result.stderr
    document = staffing_json(path, "--aht", "180", cwd=tmp_path)
    (row,) = document["intervals"]
    assert (row["calls"], row["aht_seconds"], row["offered_per_week"]) == (2, 180.0, 2.0)


def test_exports_without_queue_data_are_a_data_error(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("ticket_id,created_at,channel\n1,2025-06-02T09:05:00Z,email\n", encoding="utf-8")
    result = run("staffing", path, cwd=tmp_path)
    assert result.returncode == 3
    assert "answered_at or abandoned" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------------
# Usage errors: exit 2, one line
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        (),  # neither exports nor --volume
        ("calls.csv", "--volume", "100", "--aht", "180"),  # both
        ("--volume", "100"),  # no --aht
        ("--volume", "100", "--aht", "180", "--by", "vendor"),
        ("--volume", "100", "--aht", "180", "--target", "80-20"),
        ("--volume", "100", "--aht", "180", "--target", "100/20"),
        ("--volume", "100", "--aht", "180", "--target", "80/"),
        ("--volume", "100", "--aht", "180", "--shrinkage", "1"),
        ("--volume", "100", "--aht", "180", "--shrinkage", "-0.1"),
        ("--volume", "100", "--aht", "180", "--growth", "0"),
        ("--volume", "100", "--aht", "180", "--agents", "0"),
        ("--volume", "100", "--aht", "180", "--agents", "many"),
        ("--volume", "100", "--aht", "0"),
        ("--volume", "100", "--aht", "180", "--max-occupancy", "1.5"),
        ("--volume", "100", "--aht", "180", "--per", "7m"),
        ("--volume", "100", "--aht", "180", "--format", "html"),
        ("missing.csv",),
    ],
)
def test_usage_errors_exit_2(tmp_path, calls, args):
    result = run("staffing", *args, cwd=calls.parent)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


PLAN_ERRORS = [
    ({"agents": 0}, ["--agents", "0"]),
    ({"shrinkage": 1.5}, ["--shrinkage", "1.5"]),
    ({"growth": 0}, ["--growth", "0"]),
    ({"max_occupancy": 1.5}, ["--max-occupancy", "1.5"]),
    ({"target": "100/20"}, ["--target", "100/20"]),
    ({"target": "80-20"}, ["--target", "80-20"]),
]


@pytest.mark.parametrize("plan, flags", PLAN_ERRORS)
def test_api_checks_the_plan_as_the_cli_does(tmp_path, calls, plan, flags):
    cli = run("staffing", "calls.csv", *flags, cwd=calls.parent)
    assert cli.returncode == 2
    with pytest.raises(UsageError) as from_exports:
        Run().add_inputs([str(calls)]).staffing("30m", **plan)
    with pytest.raises(UsageError) as from_numbers:
        staffing_from_numbers(100, "30m", 180, **plan)
    assert (
        cli.stderr.strip() == f"supportkpi: error: {from_exports.value}" == f"supportkpi: error: {from_numbers.value}"
    )


@pytest.mark.parametrize(
    "volume, interval, aht, flags",
    [
        (-5, "30m", 180, ["--volume", "-5", "--aht", "180"]),
        (100, "30m", -1, ["--volume", "100", "--aht", "-1"]),
        (100, "7m", 180, ["--volume", "100", "--aht", "180", "--per", "7m"]),
    ],
)
def test_api_checks_volume_aht_and_interval_as_the_cli_does(tmp_path, volume, interval, aht, flags):
    cli = run("staffing", *flags, cwd=tmp_path)
    assert cli.returncode == 2
    with pytest.raises(UsageError) as raised:
        staffing_from_numbers(volume, interval, aht)
    assert cli.stderr.strip() == f"supportkpi: error: {raised.value}"


def test_api_reads_a_target_as_text_or_as_share_and_seconds():
    as_text = staffing_from_numbers(100, "30m", 180, target="80/20").plan.to_dicts()
    assert as_text == staffing_from_numbers(100, "30m", 180, target=(0.8, 20.0)).plan.to_dicts()
    with pytest.raises(UsageError, match="target"):
        staffing_from_numbers(100, "30m", 180, target=(80, 20))


# --------------------------------------------------------------------------------------------
# The core behind it (supportkpi.demand), in process
# --------------------------------------------------------------------------------------------


def _frame(rows):
    import polars as pl

    return pl.DataFrame(
        rows,
        schema={
            "ticket_id": pl.String,
            "created_at": pl.Datetime("us"),
            "vendor": pl.String,
            "abandoned": pl.Boolean,
            "talk_seconds": pl.Float64,
            "hold_seconds": pl.Float64,
            "acw_seconds": pl.Float64,
        },
        orient="row",
    )


def test_weeks_count_each_weekday_in_the_window():
    from datetime import datetime

    from supportkpi.demand import interval_demand

    # window Mon 2 .. Wed 11 June: Mondays 2 and 9, Wednesdays 4 and 11, one Thursday (5)
    frame = _frame(
        [
            ("a", datetime(2025, 6, 2, 9, 0), None, False, 60.0, 0.0, 0.0),
            ("b", datetime(2025, 6, 5, 9, 0), None, False, 60.0, 0.0, 0.0),
            ("c", datetime(2025, 6, 11, 9, 0), None, False, 60.0, 0.0, 0.0),
        ]
    )
    rows = {(r["weekday"], r["time"]): r for r in interval_demand(frame, "30m", timezone="UTC").to_dicts()}
    assert {k: (r["weeks"], r["offered_per_week"]) for k, r in rows.items()} == {
        (1, "09:00"): (2, 0.5),
        (3, "09:00"): (2, 0.5),
        (4, "09:00"): (1, 1.0),
    }


def test_duplicates_and_null_groups():
    from datetime import datetime

    from supportkpi.demand import demand_exclusions, interval_demand

    frame = _frame(
        [
            ("a", datetime(2025, 6, 2, 9, 0), "Acme", False, 60.0, 0.0, 0.0),
            ("a", datetime(2025, 6, 2, 9, 1), "Acme", False, 60.0, 0.0, 0.0),  # a repeat of a
            ("b", datetime(2025, 6, 2, 9, 2), None, True, None, None, None),
            ("c", datetime(2025, 6, 2, 9, 3), None, False, 120.0, 0.0, 30.0),
        ]
    )
    rows = interval_demand(frame, "1h", timezone="UTC", by=["vendor"]).to_dicts()
    assert [(r["vendor"], r["calls"], r["weeks"], r["aht_seconds"]) for r in rows] == [
        ("Acme", 1, 1, 60.0),
        (None, 2, 1, 150.0),
    ]
    assert demand_exclusions(frame, ["vendor"]) == {"duplicate ticket_id": 1}
