"""``--memory`` on check, scorecard, compare and forecast (as on compute): bounded and in-memory
runs print the same JSON, on the bundled example and on the messy one (repeated ids, bad
values); a bad mode is a usage error; polars' budget is decided from each command's arguments.

The runs are in this process (``subprocess=False``): the engine bounds them all the same, only
polars' own budget, read when polars loads, is not set (test_budget.py checks that part)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import polars as pl
import pytest
from cli_support import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportkpi import engine
from supportkpi.cli import budget
from supportkpi.comparison import compare

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contacts.csv"
EXAMPLE_CONFIG = ROOT / "examples" / "kpi.yaml"
MESSY = ROOT / "examples" / "messy" / "contacts.csv"
MESSY_CONFIG = ROOT / "examples" / "messy" / "kpi.yaml"
DATASETS = {"example": (EXAMPLE, EXAMPLE_CONFIG), "messy": (MESSY, MESSY_CONFIG)}

COMMANDS = {
    "check": ["check", "{data}", "-c", "{config}", "--insufficient", "skip", "--missing", "skip"],
    "check by month": ["check", "{data}", "-c", "{config}", "-p", "month", "--insufficient", "skip", "--missing", "warn"],
    "scorecard": ["scorecard", "{data}", "-c", "{config}"],
    "scorecard by month": ["scorecard", "{data}", "-c", "{config}", "--by", "channel", "-p", "month"],
    "compare": ["compare", "{data}", "-c", "{config}", "--by", "vendor", "--resamples", "200"],
    "compare censored": [
        "compare", "{data}", "-c", "{config}", "--by", "vendor,channel", "--open", "censor", "--baseline", "best",
        "--resamples", "200",
    ],
    "forecast": ["forecast", "{data}", "-c", "{config}", "--by", "vendor", "-p", "week"],
    "forecast mean": ["forecast", "{data}", "-c", "{config}", "--kpi", "qa_score", "-p", "week", "--exclude-partial"],
}  # fmt: skip


def _args(command: str, dataset: str) -> list[str]:
    data, config = DATASETS[dataset]
    return [a.format(data=data, config=config) for a in COMMANDS[command]]


def _json_run(args: list[str], memory: str, cwd: Path):
    ran = run(*args, "-f", "json", "--memory", memory, cwd=cwd, subprocess=False)
    assert ran.returncode in (0, 1), ran.stderr
    return ran.returncode, json.loads(ran.stdout), ran.stderr


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("command", COMMANDS)
def test_bounded_and_in_memory_print_the_same(tmp_path, command, dataset):
    code, in_memory, said = _json_run(_args(command, dataset), "in-memory", tmp_path)
    bounded_code, bounded, bounded_said = _json_run(_args(command, dataset), "bounded", tmp_path)
    assert bounded == in_memory
    assert bounded_code == code
    assert bounded_said == said  # the same data-quality messages


def test_the_messy_example_has_what_the_comparison_is_about():
    """Repeated ids and bad values: else the test above would not test the bounded run's dedupe
    and data-quality report."""
    frame = pl.read_csv(MESSY, infer_schema=False)
    assert frame["ticket_id"].is_duplicated().any()
    assert frame["created_at"].str.contains("/").any()  # a date that cannot be read


@pytest.mark.parametrize("command", COMMANDS)
def test_text_in_number_columns_bounded_as_in_memory(tmp_path, command):
    """Every tenth row of the messy example with words in its numbers, and a repeated id more."""
    frame = pl.read_csv(MESSY, infer_schema=False).with_row_index()
    tenth = pl.col("index") % 10 == 3
    bad = {c: pl.when(tenth).then(pl.lit("n/a")).otherwise(pl.col(c)) for c in ("talk_seconds", "qa_score", "csat")}
    frame = frame.with_columns(**bad).drop("index")
    data = tmp_path / "bad.csv"
    pl.concat([frame, frame.slice(5, 3)]).write_csv(data)
    args = [a.format(data=data, config=MESSY_CONFIG) for a in COMMANDS[command]]
    code, in_memory, said = _json_run(args, "in-memory", tmp_path)
    bounded_code, bounded, bounded_said = _json_run(args, "bounded", tmp_path)
    assert (bounded_code, bounded, bounded_said) == (code, in_memory, said)
    assert "talk_seconds" in said and "n/a" in said


def test_compare_of_two_files_bounded_as_in_memory(tmp_path):
    frame = pl.read_csv(EXAMPLE, infer_schema=False)
    vendors = sorted(frame["vendor"].unique().to_list())[:2]
    paths = []
    for i, vendor in enumerate(vendors):
        path = tmp_path / f"side{i}.csv"
        frame.filter(pl.col("vendor") == vendor).write_csv(path)
        paths.append(f"{vendor}={path}")
    args = ["compare", *paths, "-c", str(EXAMPLE_CONFIG), "--by", "channel", "--resamples", "200"]
    _, in_memory, _ = _json_run(args, "in-memory", tmp_path)
    _, bounded, _ = _json_run(args, "bounded", tmp_path)
    assert bounded == in_memory
    assert in_memory["parameters"]["sides"] == vendors


@pytest.mark.parametrize("command", ["check", "scorecard", "compare", "forecast"])
@pytest.mark.parametrize("value", ["sometimes", "BOUNDED", ""])
def test_a_bad_memory_mode_is_a_usage_error(tmp_path, command, value):
    args = _args(command, "example")
    ran = run(*args, "--memory", value, cwd=tmp_path, subprocess=False)
    assert ran.returncode == 2
    assert f"--memory '{value}': expected one of auto, in-memory, bounded" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert not ran.stdout


@pytest.mark.parametrize("command", ["check", "scorecard", "compare", "forecast"])
def test_every_command_lists_the_option(tmp_path, command):
    ran = run(command, "--help", cwd=tmp_path, subprocess=False)
    assert ran.returncode == 0
    assert "--memory" in ran.stdout and "in-memory (fast)" in ran.stdout


# -- polars' budget, decided from each command's arguments --------------------------------------


def _budget(args: list[str], monkeypatch, rows_per_file: int = 1) -> bool:
    """Whether ``prepare`` sets the budget for ``args``, as before polars loads, every text file
    estimated at ``rows_per_file`` rows."""
    monkeypatch.setattr(budget, "text_rows", lambda path: rows_per_file)
    monkeypatch.delitem(sys.modules, "polars", raising=False)
    monkeypatch.setenv(budget.OUT_OF_CORE_BUDGET, "0")
    monkeypatch.delenv(budget.OUT_OF_CORE_BUDGET)  # restored by monkeypatch whatever prepare sets
    decided = budget.prepare(args)
    assert decided == (os.environ.get(budget.OUT_OF_CORE_BUDGET) == budget.BOUNDED_BUDGET_MB)
    return decided


@pytest.mark.parametrize("command", ["compute", "check", "scorecard", "compare", "forecast"])
def test_each_command_gets_the_budget_when_bounded(tmp_path, monkeypatch, command):
    small = tmp_path / "small.csv"
    small.write_text("ticket_id\nT1\n")
    assert _budget([command, str(small), "--memory", "bounded"], monkeypatch)
    assert _budget([command, str(small), "--memory=bounded", "--by", "vendor"], monkeypatch)
    assert not _budget([command, str(small)], monkeypatch)
    assert not _budget([command, str(small), "--memory", "in-memory"], monkeypatch, engine.IN_MEMORY_ROWS * 2)
    assert _budget(["--debug", command, str(small)], monkeypatch, engine.IN_MEMORY_ROWS + 1)


@pytest.mark.parametrize("command", ["validate", "staffing", "clv", "kpis"])
def test_commands_without_the_option_never_get_the_budget(tmp_path, monkeypatch, command):
    """They read in memory whatever the size: the budget would only slow them down."""
    big = tmp_path / "big.csv"
    big.write_text("ticket_id\nT1\n")
    assert not _budget([command, str(big)], monkeypatch, engine.IN_MEMORY_ROWS + 1)


def test_compare_sides_add_up_as_in_the_engine(tmp_path, monkeypatch):
    """Two sides of 6M rows each are 12M rows: bounded under auto, named or not, or as a glob."""
    one, two = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (one, two):
        path.write_text("ticket_id\nT1\n")
    half = engine.IN_MEMORY_ROWS * 6 // 10
    assert _budget(["compare", str(one), str(two)], monkeypatch, half)
    assert _budget(["compare", f"Acme={one}", f"Globex={two}"], monkeypatch, half)
    assert _budget(["compare", str(tmp_path / "*.csv"), "--by", "vendor"], monkeypatch, half)
    assert not _budget(["compare", f"Acme={one}"], monkeypatch, half)


def test_reports_and_configuration_are_not_inputs(tmp_path, monkeypatch):
    """An earlier report (`-o last.csv`) is no export: it would make a small run bounded."""
    data, report = tmp_path / "data.csv", tmp_path / "last.csv"
    for path in (data, report):
        path.write_text("ticket_id\nT1\n")
    big = engine.IN_MEMORY_ROWS * 6 // 10
    for flag in ("-o", "--output", "--junit", "-c", "--config", "--benchmark"):
        assert not _budget(["check", str(data), flag, str(report)], monkeypatch, big)
    assert _budget(["check", str(data), str(report)], monkeypatch, big)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8),
    rows=st.integers(0, 500),
)
def test_a_named_side_counts_as_its_file(tmp_path, name, rows):
    path = tmp_path / "side.csv"
    path.write_text("ticket_id\n" + "".join(f"T{i}\n" for i in range(rows)))
    assert budget.estimated_rows(["compare", f"{name}={path}"]) == budget.estimated_rows(["compare", str(path)])


# -- the comparison itself, on random sides --------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B"]),
            st.integers(0, 12),  # ticket id: repeats are flagged and left out
            st.one_of(st.none(), st.integers(-5, 4000)),  # handle time (negative: a data error)
            st.one_of(st.none(), st.integers(1, 5)),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_compare_bounded_as_in_memory_on_random_sides(rows):
    frame = pl.DataFrame(
        {
            "vendor": [r[0] for r in rows],
            "ticket_id": [f"T{r[1]}" for r in rows],
            "talk_seconds": [r[2] for r in rows],
            "csat": [r[3] for r in rows],
        },
        schema={"vendor": pl.String, "ticket_id": pl.String, "talk_seconds": pl.Float64, "csat": pl.Int64},
    )
    options = {"side": "vendor", "min_n": 2, "resamples": 100}
    one = compare(frame, ["talk_time", "csat"], memory="in-memory", **options)
    two = compare(frame, ["talk_time", "csat"], memory="bounded", **options)
    assert one.to_dict() == two.to_dict()
