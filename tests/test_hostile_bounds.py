"""Issue 17, hostile input outside the file readers: bounded resources and the documented exit
code for every ordinary bad value (2 usage/config, 3 data, never 70, never a hang).

Each case failed before the fix: staffing ran for ever (``--volume 1e12``, ``--max-occupancy
1e-9``) or died with 70 (``--aht inf``); a kpi.yaml alias bomb cost two minutes, deep nesting
and a recursive alias died with 70, ``threshold_seconds: 1e999999`` ran with T=inf; a backslash
as ``--separator``, ``--as-of 0000-01-01``, a huge ``--horizon`` or ``--examples`` and a
negative ``--seed`` died with 70; ``--map ticket_id=Nope`` exited 3; CSAT 4.5 on 1-5 counted as
satisfied while NPS 7.5 was off-scale; SIGTERM took as long as the polars query running.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportkpi.erlang import MAX_AGENTS, BeyondCap, agents_needed, probability_of_waiting, service_level, staff

ROOT = Path(__file__).resolve().parents[1]
CONTACTS = ROOT / "examples" / "contacts.csv"
CALLCENTER = ROOT / "tests" / "fixtures" / "real" / "callcenter-synthetic" / "call_center_data.csv"


def _error(ran) -> str:
    assert "Traceback" not in ran.stderr
    return ran.stderr


# --- staffing: bounded for any input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--volume", "1e308", "--aht", "300"], "--volume 1e+308"),  # traffic overflows to inf
        (["--volume", "100", "--aht", "inf"], "--aht inf"),
        (["--volume", "100", "--aht", "nan"], "--aht nan"),
        (["--volume", "inf", "--aht", "180"], "--volume inf"),
        (["--volume", "-1", "--aht", "180"], "--volume -1"),
        (["--volume", "100", "--aht", "0"], "--aht 0"),
        (["--volume", "100", "--aht", "180", "--growth", "inf"], "--growth inf"),
        (["--volume", "100", "--aht", "180", "--agents", str(MAX_AGENTS + 1)], "--agents 100001"),
        (["--volume", "100", "--aht", "180", "--target", "80/" + "9" * 400], "--target"),
        (["--volume", "100", "--aht", "180", "--target", "80/86401"], "--target"),
        # 10 erlangs at an occupancy of at most 1e-9 would need 10 billion agents
        (["--volume", "100", "--aht", "180", "--max-occupancy", "1e-9"], "--max-occupancy 1e-09"),
        # 1e5 erlangs: more agents than one queue is computed for
        (["--volume", "1e5", "--aht", "1800"], "--volume 100000"),
    ],
)
def test_staffing_nonsense_is_a_usage_error_naming_the_option(tmp_path, args, named):
    ran = run("staffing", *args, cwd=tmp_path)
    assert ran.returncode == 2, ran.stderr
    assert named in _error(ran)


def test_staffing_beyond_the_cap_names_the_range(tmp_path):
    ran = run("staffing", "--volume", "100", "--aht", "180", "--agents", "1000000000000", cwd=tmp_path)
    assert ran.returncode == 2
    assert "from 1 to 100,000" in _error(ran)


def test_staffing_a_huge_volume_ends_at_once_with_a_usage_error(tmp_path):
    # the one case that ran for ever: a subprocess with a timeout, so the suite cannot hang
    ran = run("staffing", "--volume", "1e12", "--aht", "300", cwd=tmp_path, subprocess=True)
    assert ran.returncode == 2
    # 1e12 contacts × 300 s / 1800 s = 1.667e11 erlangs
    assert "1.667e+11 erlangs" in _error(ran) and "100,000" in ran.stderr


def test_staffing_exports_with_an_absurd_aht_or_growth_is_a_usage_error(tmp_path):
    # contacts.csv's busiest slot has a few calls a week: AHT 1e9 s makes it > 100,000 erlangs
    for option in (["--aht", "1e9"], ["--growth", "1e9"]):
        ran = run("staffing", str(CONTACTS), *option, cwd=tmp_path)
        assert ran.returncode == 2, (option, ran.stderr)
        assert "100,000 agents" in _error(ran)


def test_agents_needed_is_capped_rather_than_searched_for_ever():
    # 200,000 erlangs need more than 200,000 agents: refused, not searched for
    with pytest.raises(BeyondCap, match="100,000"):
        agents_needed(200_000, 180, 20, 0.8)
    with pytest.raises(BeyondCap):
        agents_needed(10, 180, 20, 0.8, max_occupancy=1e-9)
    with pytest.raises(BeyondCap):
        probability_of_waiting(10, MAX_AGENTS + 1)
    with pytest.raises(ValueError, match="finite"):
        staff(100, 1800, math.inf)
    with pytest.raises(BeyondCap):  # finite inputs whose traffic overflows
        staff(1e308, 1800, 1e308)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    volume=st.floats(0, 5000),
    aht=st.floats(1, 3600),
    share=st.floats(0.05, 0.99),
    threshold=st.floats(0, 600),
)
def test_staffing_reaches_the_target_with_the_fewest_agents(volume, aht, share, threshold):
    # accepted range: at most 5000 × 3600 / 1800 = 10,000 erlangs, below the cap
    result = staff(volume, 1800, aht, target=(share, threshold))
    assert result.agents <= MAX_AGENTS
    assert result.service_level >= share
    fewer = result.agents - 1
    if result.traffic > 0 and fewer > result.traffic:
        assert service_level(result.traffic, fewer, aht, threshold) < share


@settings(max_examples=60, deadline=None)
@given(volume=st.floats(0, 1e300), aht=st.floats(1e-3, 1e300))
def test_staffing_any_finite_input_answers_or_refuses(volume, aht):
    try:
        result = staff(volume, 1800, aht)
    except BeyondCap:
        assert volume * aht / 1800 > MAX_AGENTS * 0.9  # refused only near or above the cap
    else:
        assert result.agents <= MAX_AGENTS and result.service_level >= 0.8


# --- kpi.yaml: limits on what a hostile file can cost -------------------------------------------

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}' if prev else 'lol'] * 10)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f"], ["a", "b", "c", "d", "e", "f", "g"], strict=True)
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 10^7 values once expanded (a few lines of text)
        (BOMB, "kpi.yaml: more than 100,000 values once its aliases"),
        ("a: &a [*a]\n", "kpi.yaml: more than 100,000 values once its aliases"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "kpi.yaml:1: nested more than 64 levels deep"),
        (
            "kpis:\n  service_level:\n    threshold_seconds: 1e999999\n",
            "kpi.yaml:3: kpis.service_level.threshold_seconds",
        ),
        ("kpis:\n  service_level:\n    threshold_seconds: .nan\n", "kpi.yaml:3: kpis.service_level.threshold_seconds"),
        ("kpis:\n  csat:\n    scale: [1, .inf]\n", "kpi.yaml:3: kpis.csat.scale.1: inf is not a finite number"),
        ("- version\n- 1\n", "kpi.yaml:1: expected a mapping of sections"),
    ],
)
def test_hostile_kpi_yaml_is_a_config_error_with_file_and_line(tmp_path, text, expected):
    (tmp_path / "kpi.yaml").write_text(text, encoding="utf-8")
    ran = run("compute", str(CONTACTS), "-q", cwd=tmp_path)
    assert ran.returncode == 2, ran.stderr
    assert expected in _error(ran)


def test_a_non_finite_threshold_says_finite(tmp_path):
    (tmp_path / "kpi.yaml").write_text("kpis:\n  service_level:\n    threshold_seconds: 1e999999\n")
    ran = run("compute", str(CONTACTS), "-q", cwd=tmp_path)
    assert ran.returncode == 2 and "finite number" in _error(ran)


def test_kpi_yaml_not_utf8_names_the_line(tmp_path):
    (tmp_path / "kpi.yaml").write_bytes(b"version: 1\n# caf\xe9\n")
    ran = run("compute", str(CONTACTS), "-q", cwd=tmp_path)
    assert ran.returncode == 2
    assert "kpi.yaml:2: not UTF-8" in _error(ran)


# --- exit codes of ordinary bad options ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["compute", "C", "--separator", "\\"], "--separator"),
        (["compute", "C", "--separator", '"'], "--separator"),
        (["compute", "C", "--separator", "\n"], "--separator"),
        (["compute", "C", "--separator", ";;"], "--separator"),
        (["compute", "C", "--input-format", "xls"], "--input-format 'xls'"),
        (["compute", "C", "--map", "ticket_id=Nope"], "no column 'Nope' to map onto 'ticket_id'"),
        (["compute", "C", "--as-of", "0000-01-01"], "--as-of '0000-01-01'"),
        (["compute", "C", "--as-of", "nonsense"], "--as-of 'nonsense'"),
        (["compute", "C", "--tz", "Not/AZone"], "Not/AZone"),
        (["compute", "C", "--period", "fortnight"], "fortnight"),
        (["forecast", "C", "--horizon", "1000000000"], "--horizon 1000000000: expected 1 to 1,000"),
        (["validate", "C", "--examples", "1000000000000"], "--examples 1000000000000: expected 0 to 1,000"),
        (["compare", "C", "--by", "vendor", "--seed", "-1"], "--seed -1"),
    ],
)
def test_bad_option_values_are_usage_errors(tmp_path, args, named):
    ran = run(*[str(CONTACTS) if a == "C" else a for a in args], "-q" if args[0] != "validate" else "", cwd=tmp_path)
    assert ran.returncode == 2, ran.stderr
    assert named in _error(ran)


# --- survey scales ------------------------------------------------------------------------------


def _kpi(payload: dict, kpi_id: str) -> dict:
    """The first result of ``kpi_id`` in a compute JSON report."""
    if isinstance(payload, dict):
        if kpi_id in payload and isinstance(payload[kpi_id], dict) and "excluded" in payload[kpi_id]:
            return payload[kpi_id]
        values = payload.values()
    elif isinstance(payload, list):
        values = payload
    else:
        return {}
    for value in values:
        found = _kpi(value, kpi_id)
        if found:
            return found
    return {}


SURVEYS = (
    "ticket_id,created_at,csat,nps,ces\n"
    "T1,2025-06-02T09:00:00Z,5,10,7\n"
    "T2,2025-06-02T10:00:00Z,4.5,7.5,5.5\n"
    "T3,2025-06-02T11:00:00Z,2,6,3\n"
)


def test_fractions_on_whole_number_scales_are_off_scale_alike(tmp_path):
    (tmp_path / "s.csv").write_text(SURVEYS)
    ran = run("compute", "s.csv", "--kpi", "csat,nps,ces", "-f", "json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    csat, nps, ces = (_kpi(report, k) for k in ("csat", "nps", "ces"))
    # T2 is off-scale for each: CSAT 5 and 2 -> 1 satisfied of 2; NPS 10, 6 -> (1 - 1)/2 = 0;
    # CES (7 + 3) / 2 = 5
    assert (csat["value"], csat["n"], csat["excluded"]["off-scale value"]) == (50.0, 2, 1)
    assert (nps["value"], nps["n"], nps["excluded"]["off-scale value"]) == (0.0, 2, 1)
    assert (ces["value"], ces["n"], ces["excluded"]["off-scale value"]) == (5.0, 2, 1)
    assert "off-scale value" in ran.stderr  # a data error, reported


def test_fractions_true_accepts_averages_for_csat_and_ces_not_nps(tmp_path):
    (tmp_path / "s.csv").write_text(SURVEYS)
    (tmp_path / "kpi.yaml").write_text("kpis:\n  csat:\n    fractions: true\n  ces:\n    fractions: true\n")
    ran = run("compute", "s.csv", "--kpi", "csat,nps,ces", "-f", "json", cwd=tmp_path)
    report = json.loads(ran.stdout)
    csat, nps, ces = (_kpi(report, k) for k in ("csat", "nps", "ces"))
    # CSAT 5, 4.5 satisfied of 3 = 66.67 %; CES (7 + 5.5 + 3) / 3 = 5.1667; NPS unchanged
    assert (round(csat["value"], 2), csat["n"]) == (66.67, 3)
    assert (round(ces["value"], 2), ces["n"]) == (5.17, 3)
    assert (nps["n"], nps["excluded"]["off-scale value"]) == (2, 1)
    assert "fractions accepted" in csat["variant"]


def test_validate_flags_fractional_csat_with_the_way_to_accept_averages(tmp_path):
    (tmp_path / "s.csv").write_text(SURVEYS)
    ran = run("validate", "s.csv", "-f", "json", cwd=tmp_path)
    assert ran.returncode == 1
    findings = [f for f in json.loads(ran.stdout)["findings"] if f["kind"] == "off-scale value"]
    by_column = {f["column"]: f for f in findings}
    assert {c: by_column[c]["count"] for c in ("csat", "nps", "ces")} == {"csat": 1, "nps": 1, "ces": 1}
    assert "kpis.csat.fractions: true" in by_column["csat"]["expected"]


def test_callcenter_averages_are_reported_not_silently_dropped(tmp_path):
    # every rating is a float such as 1.2009 on 1-5: off-scale by default, loudly; accepted
    # with fractions: true, where ratings >= 4 are 1,217 of 5,000 (FINDINGS.md, Python csv)
    args = ["compute", str(CALLCENTER), "--source", "callcenter_sample", "--map", "created_at=Date"]
    ran = run(*args, "--kpi", "csat", "-f", "json", cwd=tmp_path)
    csat = _kpi(json.loads(ran.stdout), "csat")
    assert (csat["n"], csat["excluded"]["off-scale value"]) == (0, 5000)
    assert "5000 row(s): off-scale value" in ran.stderr
    strict = run(*args, "--kpi", "csat", "--strict", "-q", cwd=tmp_path)
    assert strict.returncode == 3
    (tmp_path / "kpi.yaml").write_text("kpis:\n  csat:\n    fractions: true\n")
    ran = run(*args, "--kpi", "csat", "-f", "json", cwd=tmp_path)
    csat = _kpi(json.loads(ran.stdout), "csat")
    assert (csat["value"], csat["n"]) == (24.34, 5000)


# --- SIGTERM ------------------------------------------------------------------------------------


def _catches_sigterm(pid: int) -> bool:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc to know the handler is set")
def test_sigterm_ends_a_run_with_its_own_word_and_no_traceback(tmp_path):
    # a run waiting for standard input that never ends; SIGTERM once its handler is installed
    process = subprocess.Popen(
        [sys.executable, "-m", "supportkpi", "compute", "-"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        while not _catches_sigterm(process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "terminated (SIGTERM)" in stderr
    assert "Traceback" not in stderr
