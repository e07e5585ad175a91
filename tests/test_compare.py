"""`compare`: sides, differences, tests and verdicts; the statistics themselves are checked
against known answers in test_stats.py. Every expected figure here is worked out by hand."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from cli_support import run

from supportkpi import stats
from supportkpi.comparison import KpiComparison, PairResult, SideValue, compare, format_p, verdict

T0 = datetime(2025, 3, 3, 8, tzinfo=UTC)


def surveys(side: str, satisfied: int, total: int, start: int = 0) -> pl.DataFrame:
    scores = [5] * satisfied + [1] * (total - satisfied)
    return pl.DataFrame(
        {
            "ticket_id": [f"{side}{start + i}" for i in range(total)],
            "side": [side] * total,
            "created_at": [T0] * total,
            "csat": scores,
        }
    )


def one(result, kpi: str, keys: dict | None = None) -> KpiComparison:
    (item,) = [i for i in result.items if i.kpi == kpi and (keys is None or i.keys == keys)]
    return item


def test_proportions_difference_test_and_verdict():
    # A: 40 of 50 satisfied = 80 %; B: 25 of 50 = 50 % -> B - A = -30 pp
    frame = pl.concat([surveys("A", 40, 50), surveys("B", 25, 50)])
    item = one(compare(frame, ["csat"], sides=["A", "B"]), "csat")
    (pair,) = item.pairs
    assert (pair.side, pair.baseline, pair.difference) == ("B", "A", pytest.approx(-30.0))
    assert pair.relative == pytest.approx(-37.5)  # -30 / 80
    expected = stats.proportion_difference(25, 50, 40, 50)
    assert (pair.low, pair.high, pair.p_value) == (expected.low, expected.high, expected.p_value)
    assert pair.p_adjusted == pair.p_value  # one comparison in the family
    assert pair.better == "A" and pair.verdict == f"A is better ({format_p(pair.p_value)})"
    low, high = stats.wilson(40, 50).low, stats.wilson(40, 50).high
    assert (item.sides[0].low, item.sides[0].high) == (low, high)


def test_identical_sides_show_no_difference_with_p_1():
    frame = pl.concat([surveys("A", 30, 40), surveys("B", 30, 40)])
    (pair,) = one(compare(frame, ["csat"]), "csat").pairs
    assert pair.difference == 0 and pair.p_value == 1
    assert pair.verdict == "no significant difference (p = 1)"


def test_a_side_without_surveys_and_a_single_row_side():
    no_surveys = surveys("B", 0, 5).with_columns(pl.lit(None, pl.Int64).alias("csat"))
    single = surveys("C", 1, 1)
    frame = pl.concat([surveys("A", 30, 40), no_surveys, single])
    item = one(compare(frame, ["csat"], sides=["A", "B", "C"]), "csat")
    assert [p.verdict for p in item.pairs] == ["no data for B", "too few surveys for C to tell (n = 1)"]


@pytest.mark.parametrize(("n", "judged"), [(30, True), (29, False)])
def test_min_n_boundary(n, judged):
    frame = pl.concat([surveys("A", n, n), surveys("B", 0, n)])  # 100 % against 0 %
    (pair,) = one(compare(frame, ["csat"], min_n=30), "csat").pairs
    assert (
        pair.verdict.startswith("A is better") if judged else pair.verdict == f"too few surveys for B to tell (n = {n})"
    )


def _pair_with_p(p: float) -> tuple[KpiComparison, PairResult]:
    pair = PairResult("B", "A", 1.0, 1.0, 0.5, 1.5, p, p_adjusted=p, better="B")
    sides = [SideValue("A", 1.0, 100), SideValue("B", 2.0, 100)]
    return KpiComparison("aht", "AHT", "seconds", "lower", {}, "mean", sides, [pair]), pair


@pytest.mark.parametrize(
    ("p", "words"),
    [
        (0.0499, "B is better (p = 0.0499)"),
        (0.05, "no significant difference (p = 0.0500)"),
        (0.0004, "B is better (p < 0.001)"),
        (0.9999, "no significant difference (p = 1)"),
    ],
)
def test_verdict_wording_at_the_boundaries(p, words):
    item, pair = _pair_with_p(p)
    assert verdict(item, pair, alpha=0.05, min_n=30) == words


def test_best_baseline_follows_the_direction_and_holm_covers_every_pair():
    frame = pl.concat([surveys("A", 20, 40), surveys("B", 35, 40), surveys("C", 30, 40), surveys("D", 10, 10)])
    item = one(compare(frame, ["csat"], baseline="best"), "csat")
    # D (100 %) has too few surveys to be the baseline; B (87.5 %) is the best of the rest
    assert [(p.side, p.baseline) for p in item.pairs] == [("A", "B"), ("C", "B"), ("D", "B")]
    # the best side is chosen from the data: the family is all 6 pairs, not the 3 shown
    assert [(p.side, p.baseline) for p in item.other_pairs] == [("C", "A"), ("D", "A"), ("D", "C")]
    everything = item.pairs + item.other_pairs
    assert [p.p_adjusted for p in everything] == stats.holm([p.p_value for p in everything])


def test_holm_within_each_kpi():
    frame = pl.concat([surveys("A", 30, 40), surveys("B", 20, 40), surveys("C", 25, 40)])
    item = one(compare(frame, ["csat"]), "csat")
    raw = [p.p_value for p in item.pairs]
    assert [p.p_adjusted for p in item.pairs] == stats.holm(raw)
    unadjusted = one(compare(frame, ["csat"], adjust="none"), "csat")
    assert [p.p_adjusted for p in unadjusted.pairs] == raw


def tickets(side: str, resolved_hours: list[float], open_count: int, start: int = 0) -> pl.DataFrame:
    n = len(resolved_hours) + open_count
    resolved = [T0 + timedelta(hours=h) for h in resolved_hours] + [None] * open_count
    return pl.DataFrame(
        {
            "ticket_id": [f"{side}{start + i}" for i in range(n)],
            "side": [side] * n,
            "created_at": [T0] * n,
            "resolved_at": resolved,
        },
        schema_overrides={"resolved_at": pl.Datetime("us", "UTC")},
    )


def test_open_tickets_excluded_by_default_and_censored_on_request():
    # A resolves 1, 2, 3 h and leaves 3 open; B resolves 2, 4, 6, 8, 10, 12 h, none open.
    # as_of = T0 + 12 h (the latest timestamp): A's open tickets have waited 12 h.
    frame = pl.concat([tickets("A", [1, 2, 3], 3), tickets("B", [2, 4, 6, 8, 10, 12], 0, start=10)])
    plain = one(compare(frame, ["resolution_time"]), "resolution_time")
    assert [s.value for s in plain.sides] == [2.0, 7.0]  # medians of resolved tickets only
    censored = one(compare(frame, ["resolution_time"], open_tickets="censor"), "resolution_time")
    # Kaplan-Meier for A: S = 5/6 after 1 h, 4/6 after 2 h, 3/6 = 0.5 after 3 h -> median 3 h
    # (the open tickets keep S from falling further); B has no censoring: S = 0.5 from 6 h to
    # 8 h -> the midpoint 7 h, the ordinary median of an even count
    assert [s.value for s in censored.sides] == [3.0, 7.0]
    assert [s.n for s in censored.sides] == [6, 6]
    assert censored.test == "kaplan-meier" and "log-rank" in censored.pairs[0].method


def test_open_ticket_note_states_the_default_and_its_effect():
    frame = pl.concat([tickets("A", [1, 2, 3], 3), tickets("B", [2, 4], 0, start=10)])
    notes = compare(frame, ["resolution_time"]).notes
    assert any("resolved tickets only" in n and "A 3" in n and "--open censor" in n for n in notes)


def test_open_ticket_note_lists_the_sides_in_order_whatever_the_row_order():
    # a ticket of no side (null) is not a side: the note must not list it
    nobody = tickets("A", [1], 0, start=50).with_columns(pl.lit(None, pl.String).alias("side"))
    frame = pl.concat([tickets("A", [1, 2, 3], 7), tickets("B", [2, 4, 6], 6, start=10), nobody])
    for seed in range(8):
        shuffled = frame.sample(fraction=1.0, shuffle=True, seed=seed)
        (note,) = [n for n in compare(shuffled, ["resolution_time"]).notes if "open tickets" in n]
        assert "open tickets left out per side: A 7, B 6." in note
        (note,) = [n for n in compare(shuffled, ["resolution_time"], sides=["B", "A"]).notes if "open tickets" in n]
        assert "open tickets left out per side: B 6, A 7." in note


def test_mix_note_when_channels_differ():
    a = surveys("A", 30, 40).with_columns(pl.lit("email").alias("channel"))
    b = surveys("B", 30, 40).with_columns(pl.Series("channel", ["chat"] * 30 + ["email"] * 10))
    notes = compare(pl.concat([a, b]), ["csat"]).notes
    # A: 100 % email; B: 75 % chat, 25 % email -> distance (|1 - .25| + |0 - .75|) / 2 = 0.75
    assert any("channel mix differs" in n and "0.75" in n and "--by channel" in n for n in notes)
    by_channel = compare(pl.concat([a, b]), ["csat"], by=["channel"])
    assert not any("channel mix" in n for n in by_channel.notes)
    assert {tuple(i.keys.items()) for i in by_channel.items} == {(("channel", "chat"),), (("channel", "email"),)}


def test_means_use_welch_on_the_per_contact_values():
    a = pl.DataFrame(
        {
            "ticket_id": [f"a{i}" for i in range(4)],
            "side": ["A"] * 4,
            "created_at": [T0] * 4,
            "abandoned": [False] * 4,
            "talk_seconds": [100.0, 200, 300, 400],
            "hold_seconds": [0.0] * 4,
            "acw_seconds": [0.0] * 4,
        }
    )
    b = a.with_columns(
        pl.lit("B").alias("side"),
        (pl.col("talk_seconds") + 50).alias("talk_seconds"),
        pl.Series("ticket_id", [f"b{i}" for i in range(4)]),
    )
    (pair,) = one(compare(pl.concat([a, b]), ["aht"], min_n=2), "aht").pairs
    expected = stats.welch_samples([150.0, 250, 350, 450], [100.0, 200, 300, 400])
    assert pair.difference == 50 and (pair.low, pair.high, pair.p_value) == (
        expected.low,
        expected.high,
        expected.p_value,
    )


# --- the command line ---------------------------------------------------------------------------


def write(path: Path, frame: pl.DataFrame) -> Path:
    frame.drop("side").write_csv(path)
    return path


def test_cli_files_are_sides_named_after_the_file(tmp_path):
    a = write(tmp_path / "acme.csv", surveys("A", 40, 50))
    b = write(tmp_path / "beta.csv", surveys("B", 25, 50))
    result = run("compare", a, f"Beta Co={b}", "-k", "csat", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["parameters"]["sides"] == ["acme", "Beta Co"]
    (item,) = body["comparisons"]
    assert item["pairs"][0]["verdict"].startswith("acme is better")
    assert "Newcombe" in " ".join(body["methods"])


def test_cli_open_ticket_note_follows_the_order_of_the_files(tmp_path):
    a = write(tmp_path / "acme.csv", tickets("A", [1, 2, 3], 7))
    b = write(tmp_path / "contoso.csv", tickets("B", [2, 4, 6], 6, start=10))
    for first, second, listing in ((f"A={a}", f"B={b}", "A 7, B 6"), (f"B={b}", f"A={a}", "B 6, A 7")):
        for _ in range(3):
            result = run("compare", first, second, "-k", "resolution_time", "-f", "json", cwd=tmp_path)
            assert result.returncode == 0, result.stderr
            assert any(f"per side: {listing}." in n for n in json.loads(result.stdout)["notes"])


def test_cli_views_agree(tmp_path):
    a = write(tmp_path / "a.csv", surveys("A", 40, 50))
    b = write(tmp_path / "b.csv", surveys("B", 25, 50))
    as_csv = list(csv.DictReader(io.StringIO(run("compare", a, b, "-k", "csat", "-f", "csv", cwd=tmp_path).stdout)))
    assert [(r["side"], float(r["value"]), r["difference"]) for r in as_csv] == [("a", 80.0, ""), ("b", 50.0, "-30.0")]
    table = run("compare", a, b, "-k", "csat", cwd=tmp_path).stdout
    markdown = run("compare", a, b, "-k", "csat", "-f", "markdown", cwd=tmp_path).stdout
    html = run("compare", a, b, "-k", "csat", "-f", "html", cwd=tmp_path).stdout
    for view in (table, markdown, html):
        for text in ("80.00 %", "50.00 %", "-30.0 pp", "a is better"):
            assert text in view, text
    assert "http" not in html and "<script" not in html


def test_cli_one_export_by_vendor_with_only(tmp_path):
    frame = pl.concat([surveys("A", 40, 50), surveys("B", 25, 50), surveys("C", 5, 50)]).rename({"side": "vendor"})
    path = tmp_path / "all.csv"
    frame.write_csv(path)
    body = json.loads(
        run("compare", path, "--by", "vendor", "--only", "C,A", "-k", "csat", "-f", "json", cwd=tmp_path).stdout
    )
    assert body["parameters"]["sides"] == ["C", "A"]
    missing = run("compare", path, "--by", "vendor", "--only", "A,D", cwd=tmp_path)
    assert missing.returncode == 2 and "no vendor 'D'" in missing.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["one.csv"], "two or more inputs"),
        (["one.csv", "one.csv"], "two sides are named 'one'"),
        (["one.csv", "x=one.csv", "--baseline", "worst"], "--baseline"),
        (["one.csv", "x=one.csv", "--benchmark", "nowhere"], "no benchmark 'nowhere'"),
    ],
)
def test_cli_usage_errors(tmp_path, args, words):
    write(tmp_path / "one.csv", surveys("A", 1, 2))
    result = run("compare", *args, cwd=tmp_path)
    assert result.returncode == 2 and words in result.stderr, result.stderr


def test_cli_benchmark_is_shown_with_its_source(tmp_path):
    a = write(tmp_path / "a.csv", surveys("A", 40, 50).with_columns(nps=pl.lit(9)))
    b = write(tmp_path / "b.csv", surveys("B", 25, 50).with_columns(nps=pl.lit(5)))
    table = run("compare", a, b, "-k", "nps", "--benchmark", "ecommerce", cwd=tmp_path).stdout
    assert "benchmark 28 pts" in table and "Qualtrics" in table
    own = tmp_path / "mine.yaml"
    own.write_text("name: mine\ntitle: Ours\nbenchmarks:\n  - {kpi: nps, value: 40, source: Board memo, year: 2025}\n")
    table = run("compare", a, b, "-k", "nps", "--benchmark", own, cwd=tmp_path).stdout
    assert "benchmark 40 pts" in table and "Board memo, 2025" in table


def test_kaplan_meier_verdict_speaks_of_curves_not_a_winner():
    # B's slow half takes 100 h: the verdict is about the curves, the medians only described
    frame = pl.concat([tickets("A", [1] * 50 + [2] * 50, 0), tickets("B", [1] * 50 + [100] * 50, 0, start=200)])
    (pair,) = one(compare(frame, ["resolution_time"], open_tickets="censor"), "resolution_time").pairs
    # A: S = 0.5 from 1 h to 2 h -> median 1.5 h; B: 0.5 from 1 h to 100 h -> 50.5 h
    assert pair.verdict == "resolution-time curves differ (log-rank, p < 0.001); A has the lower median"


def test_censoring_cuts_everything_at_as_of():
    # as_of at 5 h: B's tickets resolved at 8 and 12 h count as still open at 5 h, and A's
    # ticket created after 5 h is left out
    late = tickets("A", [1], 0, start=50).with_columns(
        pl.lit(T0 + timedelta(hours=6)).alias("created_at"), pl.lit(T0 + timedelta(hours=7)).alias("resolved_at")
    )
    frame = pl.concat([tickets("A", [1, 2, 3], 0), late, tickets("B", [2, 4, 8, 12], 0, start=10)])
    item = one(
        compare(frame, ["resolution_time"], open_tickets="censor", as_of=T0 + timedelta(hours=5)), "resolution_time"
    )
    assert [s.n for s in item.sides] == [3, 4]
    # B: S = 3/4 after 2 h, 2/4 = 0.5 after 4 h, then only censoring at 5 h -> median 4 h
    assert item.sides[1].value == 4.0
