"""Exact order statistics in bounded memory (histogram, then the values of the wanted buckets):
hand-worked values, agreement with a plain sort; the engine's in-memory and bounded runs giving
the same numbers, and its choice between them."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi import engine, loading, quantiles
from supportkpi.quantiles import Request

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "messy" / "contacts.csv"  # 410 rows, one duplicate
WANTED = [Request("median", "v"), Request("p90", "v", 90), Request("p50", "v", 50)]


def order_statistics(frame: pl.DataFrame, keys: list[str], requests=WANTED) -> pl.DataFrame:
    counts = pl.concat(pl.collect_all(quantiles.histogram(frame.lazy(), keys, requests)))
    targets = quantiles.locate(counts, keys, requests)
    fetched = (
        pl.concat(pl.collect_all(quantiles.fetch(frame.lazy(), keys, targets)))
        if not targets.is_empty()
        else pl.DataFrame()
    )
    return quantiles.finish(targets, fetched, keys, requests)


def by_key(table: pl.DataFrame, keys: list[str]) -> dict:
    return {
        tuple(row[k] for k in keys): {n: row[n] for n in ("median", "p90", "p50")}
        for row in table.iter_rows(named=True)
    }


def reference(values: list[float | None]) -> dict:
    """The catalog's definitions over a plain sorted list."""
    xs = sorted(v for v in values if v is not None)
    n = len(xs)
    if not n:
        return {"median": None, "p90": None, "p50": None}
    median = xs[(n - 1) // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    return {"median": median, "p90": xs[math.ceil(n * 0.9) - 1], "p50": xs[math.ceil(n * 0.5) - 1]}


def test_hand_worked_values():
    # a: 1, 2, 3, 4 -> median (2 + 3) / 2 = 2.5; p90 the ceil(3.6) = 4th value; p50 the 2nd
    # b: 10, 10, 10 (ties) -> 10 throughout; c: only nulls -> no value
    frame = pl.DataFrame(
        {"g": ["a", "a", "a", "a", "b", "b", "b", "c"], "v": [4.0, 1.0, 3.0, 2.0, 10.0, 10.0, 10.0, None]}
    )
    expected = {
        ("a",): {"median": 2.5, "p90": 4.0, "p50": 2.0},
        ("b",): {"median": 10.0, "p90": 10.0, "p50": 10.0},
        ("c",): {"median": None, "p90": None, "p50": None},
    }
    found = by_key(order_statistics(frame, ["g"]), ["g"])
    # a group without values has no row: the engine's join gives it nulls
    assert "c" not in {k[0] for k in found}
    assert {k: found.get(k, {"median": None, "p90": None, "p50": None}) for k in expected} == expected


def test_negative_values_and_zero_straddle_buckets():
    # sorted: -9, -0.25, 0, 0.0001, 7 -> median 0 (3rd), p90 the 5th (7)
    frame = pl.DataFrame({"v": [7.0, -0.25, 0.0, -9.0, 0.0001]})
    assert order_statistics(frame, []).row(0) == (0.0, 7.0, 0.0)


def test_no_keys_and_no_values():
    frame = pl.DataFrame({"v": [None, None]}, schema={"v": pl.Float64})
    assert order_statistics(frame, []).rows() in ([], [(None, None, None)])


def test_bucket_order_follows_value_order():
    values = pl.Series([-1e9, -3.5, -1e-300, -0.0, 0.0, 5e-324, 1e-6, 0.5, 0.5000001, 1.0, 3600.0, 1e12])
    buckets = pl.select(quantiles.bucket(pl.lit(values))).to_series().to_list()
    assert buckets == sorted(buckets)


values_strategy = st.one_of(
    st.none(),
    st.sampled_from([0.0, 1.0, 2.5, 60.0, 3600.0, -1.0]),  # ties, as whole seconds give
    st.floats(min_value=-1e7, max_value=1e7, allow_nan=False),
)


def grouped(rows):
    """The rows (group g, group h, value v) as a frame, its keys, and each group's values."""
    frame = pl.DataFrame(rows, schema={"g": pl.String, "h": pl.Int64, "v": pl.Float64}, orient="row")
    expected: dict[tuple, list] = {}
    for g, h, v in rows:
        expected.setdefault((g, h), []).append(v)
    return frame, ["g", "h"], expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from([1, 2]), values_strategy), max_size=60))
def test_order_statistics_equal_the_definition(rows):
    frame, keys, expected = grouped(rows)
    want = {k: reference(vs) for k, vs in expected.items()}
    found = by_key(order_statistics(frame, keys), keys)
    assert {k: found.get(k, reference([])) for k in want} == want


def sorted_order_statistics(frame: pl.DataFrame, keys: list[str], requests=WANTED) -> pl.DataFrame:
    """The in-memory way: each group's sorted values, read at the same ranks."""
    if keys:
        grouped = frame.group_by(keys).agg(quantiles.sorted_values(requests))
    else:
        grouped = frame.select(e.implode() for e in quantiles.sorted_values(requests))
    return quantiles.from_sorted(grouped, requests)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from([1, 2]), values_strategy), max_size=60))
def test_sorted_values_give_the_two_step_statistics(rows):
    frame, keys, expected = grouped(rows)
    found = by_key(sorted_order_statistics(frame, keys), keys)
    assert found == {k: reference(vs) for k, vs in expected.items()}
    two_step = by_key(order_statistics(frame, keys), keys)
    # the same numbers, bit for bit, wherever the two-step way has a row (groups with values)
    assert {k: found[k] for k in two_step} == two_step
    no_keys = sorted_order_statistics(frame, [])
    assert by_key(no_keys, []) == {(): reference([v for _, _, v in rows])}


@settings(max_examples=25, deadline=None)
@given(st.lists(values_strategy, min_size=1, max_size=80), st.randoms(use_true_random=False))
def test_order_of_rows_does_not_matter(values, rnd):
    shuffled = list(values)
    rnd.shuffle(shuffled)
    a = order_statistics(pl.DataFrame({"v": values}, schema={"v": pl.Float64}), [])
    b = order_statistics(pl.DataFrame({"v": shuffled}, schema={"v": pl.Float64}), [])
    assert a.rows() == b.rows()


def _results(result) -> dict:
    return {(tuple(g.keys.values()), kpi_id): r.to_dict() for g in result.groups for kpi_id, r in g.kpis.items()}


def _flat(tree, prefix=()) -> dict:
    if isinstance(tree, dict):
        return {k: v for key, sub in tree.items() for k, v in _flat(sub, (*prefix, key)).items()}
    return {prefix: tree}


@pytest.mark.parametrize("by, period", [([], None), (["vendor"], "month"), (["channel", "priority"], "week")])
def test_engine_gives_the_same_numbers_either_way(by, period):
    loaded = loading.load([str(EXAMPLE)])
    frame = loaded.frame.collect()
    one = engine.compute(frame, by=by, period=period, memory="in-memory")
    two = engine.compute(frame, by=by, period=period, memory="bounded")
    flat_one, flat_two = _flat(_results(one)), _flat(_results(two))
    assert flat_one.keys() == flat_two.keys()
    for key, value in flat_one.items():
        if key[-1] in ("mean", "value") and isinstance(value, float):
            # means may differ in the last bit: streaming sums chunk by chunk, in another order
            assert math.isclose(flat_two[key], value, rel_tol=1e-12), key
        else:
            assert flat_two[key] == value, key  # medians, percentiles, counts: identical
    medians = [r["median"] for r in _results(two).values() if r.get("median") is not None]
    assert medians  # the example has durations: the comparison above compared real values
    # its unreadable created_at and repeated id are counted in their vendor's KPIs, alike
    left_out = [
        (key, r["excluded"].get("unparseable created_at", 0), r["excluded"].get("duplicate ticket_id", 0))
        for key, r in _results(two).items()
        if key[1] == "csat"
    ]
    assert sum(u for _, u, _ in left_out) == sum(d for _, _, d in left_out) == 1
    assert [g.undated for g in two.groups] == [g.undated for g in one.groups]
    assert any(g.undated for g in two.groups) == (period is not None)  # no period for an undated row


def test_engine_bounds_memory_for_large_inputs(monkeypatch):
    from supportkpi import spill

    loaded = loading.load([str(EXAMPLE)])
    assert loaded.inputs[0].estimated_rows is not None
    copies = []
    real_on_disk = spill.on_disk
    monkeypatch.setattr(spill, "on_disk", lambda frame: copies.append(1) or real_on_disk(frame))
    engine.compute(loaded.frame, by=["vendor"], inputs=loaded.inputs)
    assert not copies  # 410 rows: in memory
    monkeypatch.setattr(engine, "IN_MEMORY_ROWS", 100)
    engine.compute(loaded.frame, by=["vendor"], inputs=loaded.inputs)
    assert copies == [1]


def test_order_statistics_option_is_checked():
    frame = pl.DataFrame({"ticket_id": ["1"], "talk_seconds": [3.0]})
    with pytest.raises(Exception, match="auto, in-memory, bounded"):
        engine.compute(frame, memory="sometimes")


def test_row_estimates(tmp_path):
    """The loader's estimate of an input's rows (which picks the memory mode): exact for
    Parquet (its footer), from the size and the first lines for CSV."""
    from supportkpi.loading.probe import probe

    rows = 5000
    frame = pl.DataFrame({"ticket_id": [f"T{i:06d}" for i in range(rows)], "csat": [i % 5 + 1 for i in range(rows)]})
    frame.write_parquet(tmp_path / "a.parquet")
    frame.write_csv(tmp_path / "a.csv")
    assert probe(str(tmp_path / "a.parquet"), None, None, None).estimated_rows == rows
    estimate = probe(str(tmp_path / "a.csv"), None, None, None).estimated_rows
    assert estimate is not None and 0.8 * rows <= estimate <= 1.2 * rows


def test_bounded_run_reports_the_same_findings():
    loaded = loading.load([str(EXAMPLE)])
    one = engine.compute(loaded.frame, by=["vendor"], inputs=loaded.inputs, memory="in-memory")
    two = engine.compute(loaded.frame, by=["vendor"], inputs=loaded.inputs, memory="bounded")
    assert [f.__dict__ for f in two.findings] == [f.__dict__ for f in one.findings]
    assert any(f.kind == "duplicate ticket_id" for f in one.findings)  # the example has one
    assert [i.rows for i in two.inputs] == [i.rows for i in one.inputs] == [410]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from([0, 1]), st.one_of(st.none(), st.sampled_from(list("abcdefg")))), max_size=40),
    st.integers(min_value=1, max_value=4),
)
def test_partitioned_duplicates_equal_the_in_memory_flag(rows, partitions):
    from supportkpi import dedupe

    frame = pl.DataFrame(
        [(source, row, ticket) for row, (source, ticket) in enumerate(rows, start=1)],
        schema={"_source": pl.Int32, "_row": pl.Int64, "ticket_id": pl.String},
        orient="row",
    )
    monkey = dedupe.PARTITION_ROWS
    try:
        dedupe.PARTITION_ROWS = max(1, len(rows) // partitions)
        flagged = dedupe.with_duplicate_flag(frame.lazy(), len(rows)).collect()
    finally:
        dedupe.PARTITION_ROWS = monkey
    expected = engine.with_duplicate_flag(frame.lazy()).collect()
    assert flagged["_duplicate"].to_list() == expected["_duplicate"].to_list()
    assert flagged.drop("_duplicate").equals(frame)  # order and rows kept


def test_cli_memory_option(tmp_path):
    import json

    from cli_support import run

    default = run("compute", EXAMPLE, "--by", "vendor", "-f", "json", "-q", cwd=tmp_path)
    bounded = run("compute", EXAMPLE, "--by", "vendor", "-f", "json", "-q", "--memory", "bounded", cwd=tmp_path)
    assert default.returncode == bounded.returncode == 0, bounded.stderr
    one, two = json.loads(default.stdout), json.loads(bounded.stdout)
    medians = lambda doc: [k["median"] for g in doc["groups"] for k in g["kpis"].values() if "median" in k]  # noqa: E731
    assert medians(one) == medians(two) and any(m is not None for m in medians(one))
    wrong = run("compute", EXAMPLE, "--memory", "lots", cwd=tmp_path)
    assert wrong.returncode == 2 and "--memory 'lots'" in wrong.stderr and "Traceback" not in wrong.stderr


def test_progress_line_follows_the_engine_steps(monkeypatch):
    import sys

    from supportkpi.cli import options

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(options.working, "DELAY", 3600)  # never drawn: only its state is checked
    steps = []
    with options.working("Reading and computing", inputs=[str(EXAMPLE)], rows=410) as progress:
        loaded = loading.load([str(EXAMPLE)])
        engine.compute(loaded.frame, inputs=loaded.inputs, on_step=lambda s: (steps.append(s), progress.step(s)))
        description = progress._progress.tasks[0].description
    assert steps[0] == "reading and typing" and "computing the KPIs" in steps  # medians in the pass, in memory
    assert description == f"Reading and computing: {steps[-1]}…"
    quiet = options.working("Reading", quiet=True)
    with quiet:
        quiet.step("anything")  # no display, no error
    assert quiet._progress is None


def test_terminated_bounded_run_removes_its_temporary_copy(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    rows = 300_000
    frame = pl.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(rows)],
            "created_at": ["2025-01-06T09:00:00Z"] * rows,
            "resolved_at": ["2025-01-06T13:00:00Z"] * rows,
            "csat": [i % 5 + 1 for i in range(rows)],
        }
    )
    export = tmp_path / "big.csv"
    frame.write_csv(export)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "supportkpi", "compute", str(export), "--memory", "bounded", "-q", "-f", "json"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(temp.glob("supportkpi-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if process.poll() is not None:
        pytest.skip("the run ended before its temporary copy could be seen")
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in stderr
    assert not list(temp.glob("supportkpi-*"))
