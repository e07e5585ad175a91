"""Rows left out of every KPI (an unreadable or missing created_at, a repeated ticket_id) are
counted in the group their readable values place them in, in every KPI's ``excluded``, in both
memory modes and in every view; with --period, a group's undated rows form a group of no period.
Hand-worked counts, and a property: per group, the rows used plus the rows left out are the rows
read."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from cli_support import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportkpi import engine, loading

HEADER = ["ticket_id", "vendor", "created_at", "resolved_at", "csat"]
# vendor A: 5 rows; ids 1, 2 used; an unreadable date, a missing date, a repeat of id 2
# vendor B: 5 rows; ids 5, 7 used; an unreadable date, a repeat of id 5, and a third row of
#           id 5 whose date is unreadable too (counted once: under its date)
# vendor C: 2 rows, neither dated
ROWS = [
    ["1", "A", "2025-01-05T10:00:00Z", "2025-01-05T12:00:00Z", "5"],
    ["2", "A", "2025-01-06T10:00:00Z", "", "4"],
    ["3", "A", "yesterday", "2025-01-06T12:00:00Z", "5"],
    ["4", "A", "", "", "1"],
    ["2", "A", "2025-01-06T10:00:00Z", "", "4"],
    ["5", "B", "2025-01-07T10:00:00Z", "2025-01-07T11:00:00Z", "2"],
    ["6", "B", "31/02/2025", "", "5"],
    ["7", "B", "2025-02-01T09:00:00Z", "2025-02-01T10:00:00Z", ""],
    ["5", "B", "2025-01-07T10:00:00Z", "2025-01-07T11:00:00Z", "2"],
    ["5", "B", "garbage", "", ""],
    ["8", "C", "not a date", "", "3"],
    ["9", "C", "", "", ""],
]
KPIS = ["ticket_volume", "csat", "resolution_time"]
UNREADABLE, MISSING, REPEAT = "unparseable created_at", "no created_at", "duplicate ticket_id"


def _csv(rows: list[list[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return text.getvalue()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(_csv(ROWS), encoding="utf-8")
    return path


def _compute(path: Path, memory: str, period: str | None = None, kpis=KPIS):
    loaded = loading.load([str(path)])
    return engine.compute(loaded.frame, kpis, by=["vendor"], period=period, inputs=loaded.inputs, memory=memory)


def _left_out(excluded: dict[str, int]) -> dict[str, int]:
    return {r: n for r, n in excluded.items() if r in (UNREADABLE, MISSING, REPEAT) and n}


@pytest.mark.parametrize("memory", ["in-memory", "bounded"])
def test_hand_worked_counts_per_vendor_and_kpi(export, memory):
    result = _compute(export, memory)
    groups = {g.keys["vendor"]: g for g in result.groups}
    assert list(groups) == ["A", "B", "C"]
    expected_left_out = {
        "A": {UNREADABLE: 1, MISSING: 1, REPEAT: 1},
        "B": {UNREADABLE: 2, REPEAT: 1},
        "C": {UNREADABLE: 1, MISSING: 1},
    }
    for vendor, left_out in expected_left_out.items():
        for kpi_id in KPIS:
            assert _left_out(groups[vendor].kpis[kpi_id].excluded) == left_out, (vendor, kpi_id)
    a, b, c = groups["A"].kpis, groups["B"].kpis, groups["C"].kpis
    assert (a["ticket_volume"].value, b["ticket_volume"].value) == (2, 2)  # ids 1, 2; ids 5, 7
    assert (a["csat"].value, a["csat"].n) == (100.0, 2)  # 5 and 4
    assert (b["csat"].value, b["csat"].n, b["csat"].excluded["no answer"]) == (0.0, 1, 1)  # 2; id 7 unanswered
    assert (a["resolution_time"].value, a["resolution_time"].n, a["resolution_time"].excluded["unresolved"]) == (
        2.0,
        1,
        1,
    )
    assert (b["resolution_time"].value, b["resolution_time"].n) == (1.0, 2)
    # vendor C: every date unreadable or missing: a group with no data that says why
    assert groups["C"].undated and not groups["A"].undated and not groups["B"].undated
    assert all(k.value is None and k.n == 0 for k in c.values())
    # the run's totals are unchanged: a row with two reasons counts under each there
    assert result.left_out is not None
    assert (result.left_out.rows, result.left_out.left_out) == (12, 8)
    assert result.left_out.reasons == {"an unreadable created_at": 4, "no created_at": 2, "a repeated ticket_id": 3}


@pytest.mark.parametrize("memory", ["in-memory", "bounded"])
def test_with_periods_undated_rows_are_a_group_of_no_period(export, memory):
    result = _compute(export, memory, period="month")
    table = {
        (g.keys["vendor"], g.keys["period"]): (g.kpis["ticket_volume"].value, _left_out(g.kpis["csat"].excluded))
        for g in result.groups
    }
    assert table == {
        ("A", "2025-01"): (2, {REPEAT: 1}),
        ("A", None): (None, {UNREADABLE: 1, MISSING: 1}),
        ("B", "2025-01"): (1, {REPEAT: 1}),
        ("B", "2025-02"): (1, {}),
        ("B", None): (None, {UNREADABLE: 2}),
        ("C", None): (None, {UNREADABLE: 1, MISSING: 1}),
    }
    assert list(table) == [("A", "2025-01"), ("A", None), ("B", "2025-01"), ("B", "2025-02"), ("B", None), ("C", None)]
    assert [g.undated for g in result.groups] == [False, True, False, False, True, True]


@pytest.mark.parametrize("period", [None, "month"])
def test_both_memory_modes_give_the_same_groups(export, period):
    one, two = _compute(export, "in-memory", period), _compute(export, "bounded", period)
    assert [(g.keys, g.undated, {k: r.to_dict() for k, r in g.kpis.items()}) for g in two.groups] == [
        (g.keys, g.undated, {k: r.to_dict() for k, r in g.kpis.items()}) for g in one.groups
    ]


def test_without_groups_the_one_group_counts_them(export):
    loaded = loading.load([str(export)])
    result = engine.compute(loaded.frame, ["ticket_volume"], inputs=loaded.inputs)
    (group,) = result.groups
    assert group.kpis["ticket_volume"].value == 4
    assert _left_out(group.kpis["ticket_volume"].excluded) == {UNREADABLE: 4, MISSING: 2, REPEAT: 2}
    assert not group.undated


def test_every_view_shows_them(export, tmp_path):
    args = ["compute", export.name, "--by", "vendor", "-k", "ticket_volume", "-k", "csat", "-q"]
    shown = run(*args, "-f", "json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    groups = {g["keys"]["vendor"]: g["kpis"] for g in json.loads(shown.stdout)["groups"]}
    assert groups["C"]["csat"]["excluded"][UNREADABLE] == 1
    assert groups["C"]["ticket_volume"]["value"] is None
    assert groups["B"]["csat"]["excluded"][UNREADABLE] == 2
    text = run(*args, "-f", "csv", cwd=tmp_path).stdout
    assert "B,csat,0.0,%,1,4,no answer: 1; unparseable created_at: 2; duplicate ticket_id: 1," in text
    markdown = run(*args, "-f", "markdown", "--layout", "long", cwd=tmp_path).stdout
    assert "| C | csat |  | % | 0 | 2 | unparseable created_at: 1; no created_at: 1 |" in markdown
    # side by side (A / B / C): a row left out of every KPI is named once for all of them
    wide = run(*args, "-f", "markdown", cwd=tmp_path).stdout
    assert "- unparseable created_at 1 / 2 / 1: every KPI" in wide
    table = run(*args, "--layout", "long", cwd=tmp_path).stdout
    assert "vendor C" in table and "unparseable" in table
    # the scorecard's HTML page: the SLA policies' table, per group
    (tmp_path / "kpi.yaml").write_text(
        "targets:\n  - {kpi: csat, warn: 80, fail: 60}\n"
        "sla:\n  - name: resolve\n    metric: resolution_time\n    targets:\n      - {hours: 24}\n",
        encoding="utf-8",
    )
    card = run("scorecard", export.name, "--by", "vendor", "-f", "html", "-q", cwd=tmp_path)
    assert card.returncode == 0, card.stderr
    html = card.stdout
    assert (
        "<td>B</td><td class=num>100.0 %</td><td class=num>2</td><td>unparseable created_at 2, duplicate ticket_id 1</td>"
        in html
    )
    assert (
        "<td>C</td><td class=num>—</td><td class=num>0</td><td>unparseable created_at 1, no created_at 1</td>" in html
    )


def test_scorecard_and_compare_judge_no_undated_group(export, tmp_path):
    config = tmp_path / "kpi.yaml"
    config.write_text("targets:\n  - kpi: csat\n    warn: 80\n    fail: 60\n", encoding="utf-8")
    card = run("scorecard", export.name, "--by", "vendor", "--period", "month", "-f", "json", "-q", cwd=tmp_path)
    assert card.returncode == 0, card.stderr
    judged = [(g["keys"]["vendor"], g["keys"]["period"]) for g in json.loads(card.stdout)["groups"]]
    assert judged == [("A", "2025-01"), ("B", "2025-01"), ("B", "2025-02")]
    compared = run("compare", export.name, "--by", "vendor", "-k", "csat", "-f", "json", "-q", cwd=tmp_path)
    assert compared.returncode == 0, compared.stderr
    assert json.loads(compared.stdout)["parameters"]["sides"] == ["A", "B"]  # C has no usable row


def test_compare_names_a_side_of_only_undated_rows(export, tmp_path):
    compared = run("compare", export.name, "--by", "vendor", "--only", "A,C", "-k", "csat", "-q", cwd=tmp_path)
    assert compared.returncode == 3
    assert "vendor 'C': none of its rows could be used" in compared.stderr


# --- the property: every row read is used or left out, in exactly one group -------------------

_DATES = st.sampled_from(["2025-01-05T10:00:00Z", "2025-03-09T23:30:00Z", "2024-12-31T23:59:59Z", "garbage", ""])
_ROW = st.tuples(
    st.sampled_from(["", "1", "2", "3", "4"]),
    st.sampled_from(["A", "B", "C"]),
    _DATES,
    st.sampled_from(["", "1", "3", "5", "x"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ROW, min_size=1, max_size=30), st.sampled_from([None, "month"]))
def test_rows_used_plus_rows_left_out_are_the_rows_read(rows, period):
    table = [[ticket, vendor, created, "", csat] for ticket, vendor, created, csat in rows]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "contacts.csv"
        path.write_text(_csv(table), encoding="utf-8")
        loaded = loading.load([str(path)])
        result = engine.compute(
            loaded.frame, ["ticket_volume", "csat"], by=["vendor"], period=period, inputs=loaded.inputs
        )
    per_vendor: dict[str, int] = {}
    for group in result.groups:
        volume = group.kpis["ticket_volume"]
        counted = (volume.value or 0) + sum(_left_out(volume.excluded).values())
        per_vendor[group.keys["vendor"]] = per_vendor.get(group.keys["vendor"], 0) + counted
        csat = group.kpis["csat"]
        # the survey's own reasons and the rows left out of every KPI: each row once
        assert csat.n + sum(csat.excluded.values()) == counted, group.keys
        assert group.undated == (volume.value is None)
    expected: dict[str, int] = {}
    for _, vendor, _, _ in rows:
        expected[vendor] = expected.get(vendor, 0) + 1
    assert per_vendor == expected
    assert sum(per_vendor.values()) == len(rows) == result.left_out.rows
