"""Honest exit codes: no usable row is a data error (exit 3) in every command that reads
contacts; more than --max-left-out (kpi.yaml max_left_out, default 50 %) left out warns in every
view and fails under --strict. Also: one probe per input file."""

from __future__ import annotations

import json

import polars as pl
import pytest
from cli_support import run
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi import quality
from supportkpi.engine import with_duplicate_flag
from supportkpi.loading import load
from supportkpi.loading.probe import probe

HEAD = "ticket_id,created_at,customer_id,vendor,csat,wait_seconds,abandoned,talk_seconds,hold_seconds,acw_seconds"
COMMANDS = ["compute", "validate", "check", "scorecard", "staffing", "forecast", "clv"]


def _row(i: int, stamp: str) -> str:
    return f"C{i},{stamp},U{i},{'A' if i % 2 else 'B'},{1 + i % 5},{10 * i},false,{60 + i},5,20"


@pytest.fixture
def files(tmp_path):
    good = [_row(i, f"2025-0{1 + i % 3}-1{i} 09:{10 + i}:00") for i in range(1, 5)]
    bad = [_row(i, "31/31/2025") for i in range(5, 11)]
    (tmp_path / "sixty.csv").write_text("\n".join([HEAD, *good, *bad]) + "\n")  # 6 of 10 unusable
    (tmp_path / "none.csv").write_text("\n".join([HEAD, *(_row(i, "31/31/2025") for i in range(1, 6))]) + "\n")
    orders = "".join(f"O{i},U{i},2025-03-01T00:00:00Z,{10 * i}\n" for i in range(1, 11))
    (tmp_path / "orders.csv").write_text("order_id,customer_id,ordered_at,order_value\n" + orders)
    (tmp_path / "kpi.yaml").write_text("version: 1\ntargets:\n  - {kpi: csat, warn: 10, fail: 5}\n")
    return tmp_path


def _args(command: str, name: str) -> list[str]:
    return [command, name, *(["--orders", "orders.csv"] if command == "clv" else [])]


@pytest.mark.parametrize("command", COMMANDS)
def test_no_usable_row_is_a_data_error_naming_why(files, command):
    result = run(*_args(command, "none.csv"), cwd=files)
    assert result.returncode == 3, result.stderr
    assert (
        "none of the 5 rows of none.csv could be used: 5 have an unreadable created_at "
        "(e.g. file none.csv, row 1: '31/31/2025')"
    ) in result.stderr


def test_an_export_of_only_a_header_is_a_data_error(files):
    (files / "empty.csv").write_text(HEAD + "\n")
    result = run("compute", "empty.csv", cwd=files)
    assert result.returncode == 3 and "no rows to read" in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_most_rows_left_out_warns_and_fails_under_strict(files, command):
    warned = run(*_args(command, "sixty.csv"), cwd=files)
    # validate exits 1 on findings; the others ran (check and scorecard pass their target)
    assert warned.returncode == (1 if command == "validate" else 0), warned.stderr
    text = _told(command, "sixty.csv", files)
    assert "60% of the 10 rows read, above the limit of 50%" in text
    assert "6 have an unreadable created_at (e.g. file sixty.csv, row 5: '31/31/2025')" in text
    if command not in ("validate", "staffing"):  # they take no --strict
        strict = run(*_args(command, "sixty.csv"), "--strict", cwd=files)
        assert strict.returncode == 3 and "--strict" in strict.stderr


def _told(command: str, name: str, cwd, *extra: str) -> str:
    """What a run says on stderr, and for validate its JSON report (it tells no findings on
    stderr)."""
    if command == "validate":
        return run("validate", name, "-f", "json", *extra, cwd=cwd).stdout
    return run(*_args(command, name), *extra, cwd=cwd).stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_the_threshold_from_the_flag_and_kpi_yaml(files, command):
    assert "above the limit" not in _told(command, "sixty.csv", files, "--max-left-out", "60%")
    assert "above the limit of 40%" in _told(command, "sixty.csv", files, "--max-left-out", "0.4")
    (files / "kpi.yaml").write_text("version: 1\nmax_left_out: 70%\ntargets:\n  - {kpi: csat, warn: 10, fail: 5}\n")
    assert "above the limit" not in _told(command, "sixty.csv", files)
    # the flag wins over kpi.yaml
    assert "above the limit of 55%" in _told(command, "sixty.csv", files, "--max-left-out", "55%")


def test_a_bad_threshold_is_a_usage_error(files):
    assert run("compute", "sixty.csv", "--max-left-out", "150%", cwd=files).returncode == 2
    (files / "kpi.yaml").write_text("version: 1\nmax_left_out: lots\n")
    result = run("compute", "sixty.csv", cwd=files)
    assert result.returncode == 2 and "kpi.yaml:2" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv"])
def test_the_warning_is_in_every_view(files, fmt):
    result = run("compute", "sixty.csv", "-q", "-f", fmt, cwd=files)
    assert result.returncode == 0 and "most rows left out of every KPI" in result.stdout
    if fmt == "json":
        report = json.loads(result.stdout)
        (warning,) = [f for f in report["data_quality"]["findings"] if f["kind"] == "most rows left out of every KPI"]
        assert warning["count"] == 6
        assert report["data_quality"]["errors"] == 6  # the warning is not one more data error


def test_scorecard_html_and_compare_show_the_warning(files):
    assert "most rows left out of every KPI" in run("scorecard", "sixty.csv", "-q", "-f", "html", cwd=files).stdout
    (files / "b.csv").write_text((files / "sixty.csv").read_text())
    compared = run("compare", "sixty.csv", "b.csv", "-q", "-f", "markdown", cwd=files)
    assert compared.returncode == 0 and "Warning: 12 row(s): most rows left out" in compared.stdout


def test_a_compare_side_with_no_usable_row_is_a_data_error(files):
    result = run("compare", "sixty.csv", "none.csv", "-q", cwd=files)
    assert result.returncode == 3 and "side 'none': none of its rows could be used" in result.stderr


def test_duplicates_count_once_with_an_unreadable_date(tmp_path):
    # T1 twice (row 3 repeats row 1), row 3 also undated: 2 of 4 rows left out, not 3
    path = tmp_path / "d.csv"
    path.write_text("ticket_id,created_at\nT1,2025-01-01\nT2,2025-01-02\nT1,bad\nT3,\n")
    frame = with_duplicate_flag(load([str(path)]).frame)
    columns = frozenset(frame.collect_schema().names())
    left = quality.left_out(frame.select(quality.counts(columns)).collect(), [])
    assert (left.rows, left.left_out, left.used) == (4, 2, 2)
    assert left.reasons == {"an unreadable created_at": 1, "no created_at": 1, "a repeated ticket_id": 1}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["2025-01-02T10:00:00Z", "", "junk", "02/01/2025"])),
        min_size=1,
        max_size=30,
    )
)
def test_left_out_and_used_add_up_to_the_rows_read(rows):
    frame = pl.DataFrame(
        {"ticket_id": [f"T{i}" for i, _ in rows], "created_at": [s or None for _, s in rows], "_source": 0},
        schema={"ticket_id": pl.String, "created_at": pl.String, "_source": pl.Int32},
    ).with_columns(
        pl.col("created_at").str.to_datetime("%Y-%m-%dT%H:%M:%SZ", strict=False, time_zone="UTC"),
        pl.when(pl.col("created_at").str.to_datetime("%Y-%m-%dT%H:%M:%SZ", strict=False).is_null())
        .then(pl.col("created_at"))
        .alias("_invalid_created_at"),
        pl.col("_source").cast(pl.Int32),
    )
    flagged = with_duplicate_flag(frame.lazy())
    columns = frozenset(flagged.collect_schema().names())
    left = quality.left_out(flagged.select(quality.counts(columns)).collect(), [])
    seen: set[str] = set()
    usable = 0
    for ticket, stamp in rows:
        repeat = f"T{ticket}" in seen
        seen.add(f"T{ticket}")
        usable += stamp == "2025-01-02T10:00:00Z" and not repeat
    assert left.rows == len(rows) and left.used == usable and left.left_out + left.used == left.rows


def test_one_probe_per_file_is_reused_and_reads_the_same(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_text('ticket_id;created_at;csat\nT1;2025-01-01T00:00:00Z;"4,5"\n')
    look = probe(str(path))
    assert (look.format, look.separator, look.sniffed, look.quoting) == ("csv", ";", True, True)
    assert look.header == ("ticket_id", "created_at", "csat")
    opened: list[str] = []
    real_open = open

    def counting_open(file, *args, **kwargs):
        if str(file) == str(path):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", counting_open)
    loaded = load([str(path)], probes={str(path): look})
    # given its probe, loading does not open the file in Python to sniff or estimate again
    # (polars' scan and the field-count check read it on their own)
    assert opened.count(str(path)) == 1  # the quote search of the field-count check
    assert loaded.frame.collect()["csat"].to_list() == [4.5]  # decimal comma for ';' as before
