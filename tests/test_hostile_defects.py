"""Smaller defects of issue 17: a timestamp format polars cannot use was accepted silently (every
timestamp then unparseable); rows a preset's rule left out were counted as "duplicate ticket_id"
by staffing and CLV; the plausible range of timestamps and durations was fixed (now kpi.yaml's
``plausible:``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from cli_support import run

import supportkpi
from supportkpi.clv.compute import clv
from supportkpi.demand import demand_exclusions
from supportkpi.schema import left_out_flag
from supportkpi.strftime import problem

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
EXPORT = "ticket_id,created_at,vendor\nT1,06/01/2025 09:00,Acme\nT2,07/01/2025 10:30,Acme\n"


# -- --datetime-format and kpi.yaml's datetime_format --------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "why"),
    [
        ("%Q", "'%Q' is no strftime directive"),
        ("%d/%m/%Y %Q", "'%Q' is no strftime directive"),
        ("%d/%m/%Y %H:%", "a lone '%' at its end"),
        ("%H:%M", "no year in it"),
        ("hello", "no year in it"),
    ],
)
def test_unusable_datetime_format_is_a_usage_error(tmp_path, fmt, why):
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    for command in ("compute", "validate"):
        ran = run(command, "export.csv", "--datetime-format", fmt, cwd=tmp_path)
        assert ran.returncode == 2, (command, ran.stderr)
        assert ran.stderr.startswith(f"supportkpi: error: --datetime-format '{fmt}': {why}"), ran.stderr
        assert ran.stdout == ""


def test_unusable_datetime_format_in_kpi_yaml_names_its_line(tmp_path):
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    (tmp_path / "kpi.yaml").write_text("version: 1\ndatetime_format: ['%d/%m/%Y %H:%M', '%Q']\n", encoding="utf-8")
    ran = run("compute", "export.csv", cwd=tmp_path)
    assert ran.returncode == 2 and "kpi.yaml:2: datetime_format" in ran.stderr and "'%Q'" in ran.stderr


def test_usable_datetime_formats_still_read(tmp_path):
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    ran = run("compute", "export.csv", "--datetime-format", "%d/%m/%Y %H:%M", "-k", "ticket_volume", cwd=tmp_path)
    assert ran.returncode == 0 and "no findings" in ran.stderr + ran.stdout, ran.stderr
    for fmt in ("%Y-%m-%dT%H:%M:%S%.f%:z", "%-d.%-m.%Y", "%s", "%F %T", "%d %b %Y %I:%M %p", "100%% %Y"):
        assert problem(fmt) is None, fmt


# -- rows a preset leaves out, under their own reason in staffing and CLV --------------------------


def test_staffing_counts_rule_rows_under_their_reason():
    def at(hour):
        return datetime(2025, 6, 2, hour, tzinfo=UTC)

    calls = pl.DataFrame(
        {
            "ticket_id": ["1", "1", "2", "3"],
            "created_at": [at(8), at(8), at(9), at(10)],
            "abandoned": [False, False, False, True],
            "talk_seconds": [60.0, 60.0, 90.0, None],
            "hold_seconds": [0.0, 0.0, 0.0, None],
            "acw_seconds": [10.0, 10.0, 5.0, None],
            # the third call as a preset's rule marks an outbound one
            left_out_flag("outbound call"): [False, False, True, False],
        }
    )
    # before: {"duplicate ticket_id": 2}
    assert demand_exclusions(calls) == {"duplicate ticket_id": 1, "outbound call": 1}


def test_clv_counts_the_deleted_ticket_under_its_reason():
    """The zendesk_csv fixture: nine tickets of seven customers, 48109 (customer 7008) deleted."""
    loaded = supportkpi.load([str(FIXTURES / "zendesk_csv.csv")], timezone="Europe/Berlin")
    orders = pl.DataFrame(
        {
            "order_id": ["O1", "O2"],
            "customer_id": ["7001", "7008"],
            "ordered_at": ["2024-06-01T10:00:00Z", "2024-06-02T10:00:00Z"],
            "order_value": ["40.0", "25.0"],
        }
    )
    result = clv(orders, loaded.frame, min_customers=1)
    assert result.contacts_read == 9
    # before: {"duplicate ticket_id": 1}
    assert result.contacts_excluded == {"deleted ticket": 1}


# -- the plausible range, from kpi.yaml ------------------------------------------------------------

OLD = (
    "ticket_id,created_at,resolved_at,resolution_seconds\n"
    "T1,1965-06-01T00:00:00Z,1965-06-02T00:00:00Z,\n"
    "T2,2025-01-01T00:00:00Z,,7000000000\n"  # 7e9 s: 222 years
    "T3,2025-01-01T00:00:00Z,2025-01-01T02:00:00Z,\n"
)


def _kpis(ran) -> dict:
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)["groups"][0]["kpis"]


def test_plausible_range_by_default(tmp_path):
    (tmp_path / "old.csv").write_text(OLD, encoding="utf-8")
    kpis = _kpis(run("compute", "old.csv", "-k", "ticket_volume,resolution_time", "-f", "json", cwd=tmp_path))
    # 1965 is before 1970: T1 is left out (no created_at); 7e9 s is over a century
    assert kpis["ticket_volume"]["value"] == 2
    assert kpis["resolution_time"]["n"] == 1 and kpis["resolution_time"]["value"] == 2.0
    assert kpis["resolution_time"]["excluded"]["unparseable resolution_seconds"] == 1


def test_plausible_range_from_kpi_yaml(tmp_path):
    (tmp_path / "old.csv").write_text(OLD, encoding="utf-8")
    (tmp_path / "kpi.yaml").write_text(
        "version: 1\nplausible:\n  earliest: 1960-01-01\n  longest_days: 100000\n", encoding="utf-8"
    )
    kpis = _kpis(run("compute", "old.csv", "-k", "ticket_volume,resolution_time", "-f", "json", cwd=tmp_path))
    # T1 counts (24 h), T2's 7e9 s = 81,018.5 days is under 100,000 days; T3 2 h
    assert kpis["ticket_volume"]["value"] == 3
    resolution = kpis["resolution_time"]
    assert resolution["n"] == 3 and resolution["excluded"].get("unparseable resolution_seconds", 0) == 0
    assert resolution["value"] == 24.0  # the median of 2 h, 24 h and 7e9 s
    # and a latest before 2025 leaves the recent contacts out
    (tmp_path / "kpi.yaml").write_text("version: 1\nplausible: {earliest: 1960-01-01, latest: 2000-01-01}\n")
    assert (
        _kpis(run("compute", "old.csv", "-k", "ticket_volume", "-f", "json", cwd=tmp_path))["ticket_volume"]["value"]
        == 1
    )


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("{earliest: 2100-01-01}", "earliest (2100-01-01) must come before latest (2100-01-01)"),
        ("{latest: 1969-12-31}", "must come before latest"),
        ("{longest_days: 0}", "plausible.longest_days"),
        ("{longest_days: .inf}", "plausible.longest_days: inf is not a finite number"),
        ("{earliest: soon}", "plausible.earliest"),
        ("{first: 1970-01-01}", "unknown key 'first'"),
    ],
)
def test_invalid_plausible_range_is_a_config_error(tmp_path, section, message):
    (tmp_path / "old.csv").write_text(OLD, encoding="utf-8")
    (tmp_path / "kpi.yaml").write_text(f"version: 1\nplausible: {section}\n", encoding="utf-8")
    for command in ("compute", "validate"):
        ran = run(command, "old.csv", cwd=tmp_path)
        assert ran.returncode == 2, ran.stderr
        assert ran.stderr.startswith("supportkpi: error: kpi.yaml:2: ") and message in ran.stderr, ran.stderr
