"""`clv`: customer lifetime value and repeat purchase rate by support experience. Every figure is
worked out by hand in the comments; the definitions are in ``supportkpi.clv``'s docstring."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from cli_support import run

from supportkpi import Run
from supportkpi.clv import clv
from supportkpi.errors import DataError, UsageError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
UTC = UTC

# The tiny orders table, as read from a CSV file (all text). The valid orders span
# 2024-01-01T00:00Z (A's first) to 2025-12-31T12:00Z (B's) = 730.5 days = 2 years observed, so
# each customer counts 2 customer-years.
#   A: 100 + 50 + 150 = 300 in 3 orders      B: 120 in 1 order       C: 40 + 60 = 100 in 2
#   D: 80 in 1                               E: 4 x 30 = 120 in 4    F: 90 in 1
# Six more rows are left out, one per reason (none of them moves the window):
ORDERS = [
    ("order_id", "customer_id", "ordered_at", "order_value"),
    ("O1", "A", "2024-01-01T00:00:00Z", "100"),
    ("O2", "A", "2024-06-01T00:00:00Z", "50"),
    ("O3", "A", "2025-03-01T00:00:00Z", "150"),
    ("O4", "B", "2025-12-31T12:00:00Z", "120"),
    ("O5", "C", "2024-05-01T00:00:00Z", "40"),
    ("O6", "C", "2024-09-01T00:00:00Z", "60.00"),
    ("O7", "D", "2024-02-01T00:00:00Z", "80"),
    ("O8", "E", "2024-03-01T00:00:00Z", "30"),
    ("O9", "E", "2024-04-01T00:00:00Z", "30"),
    ("O10", "E", "2024-05-01T00:00:00Z", "30"),
    ("O11", "E", "2024-06-01T00:00:00Z", "30"),
    ("O12", "F", "2025-01-01T00:00:00Z", "90"),
    ("O13", "", "2024-07-01T00:00:00Z", "55"),  # row 13: no customer_id (a guest checkout)
    ("O14", "A", "31/02/2025", "70"),  # row 14: unparseable ordered_at
    ("O15", "E", "2026-06-01T00:00:00Z", ""),  # row 15: no order_value
    ("O16", "A", "2024-08-01T00:00:00Z", "abc"),  # row 16: unparseable order_value
    ("O17", "C", "2024-10-01T00:00:00Z", "-20"),  # row 17: negative order_value (a refund)
    ("O1", "A", "2026-01-01T00:00:00Z", "100"),  # row 18: duplicate order_id
]


def t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# The tiny contacts. G contacted support but never ordered; one contact has no customer_id; T1
# appears twice (the repeat, with a later csat 1, is left out).
#   A: last answered survey 5 -> satisfied; last resolved contact 1 reply, no reopen -> FCR
#   B: surveys 2 then 4 -> last 4 -> satisfied; last resolved contact (T3) 3 replies -> not FCR
#      (its earlier T2 was one-touch: the last one counts)
#   C: survey 1 -> not satisfied; T4 resolved with 0 replies -> FCR; the later T8 has no answer
#      and is unresolved, so it changes neither
#   D: csat 9 is off the 1-5 scale (no answer) -> no survey; unresolved -> no resolved contact
#   E, F: never contacted
CONTACTS = [
    # ticket_id, customer_id, created_at, resolved_at, agent_replies, reopens, csat
    ("T1", "A", "2024-02-01T09:00:00Z", "2024-02-01T12:00:00Z", 1, 0, 5.0),
    ("T2", "B", "2024-03-01T09:00:00Z", "2024-03-01T10:00:00Z", 1, 0, 2.0),
    ("T3", "B", "2025-01-10T09:00:00Z", "2025-01-12T09:00:00Z", 3, 0, 4.0),
    ("T4", "C", "2024-04-01T09:00:00Z", "2024-04-01T09:30:00Z", 0, 0, 1.0),
    ("T5", "D", "2024-05-01T09:00:00Z", None, 1, 0, 9.0),
    ("T6", "G", "2024-06-01T09:00:00Z", "2024-06-01T10:00:00Z", 1, 0, 5.0),
    ("T7", None, "2024-07-01T09:00:00Z", "2024-07-01T10:00:00Z", 1, 0, 3.0),
    ("T8", "C", "2025-02-01T09:00:00Z", None, 2, 0, None),
    ("T1", "A", "2025-06-01T09:00:00Z", "2025-06-01T10:00:00Z", 4, 1, 1.0),
]
CONTACT_COLUMNS = ("ticket_id", "customer_id", "created_at", "resolved_at", "agent_replies", "reopens", "csat")


def orders_frame() -> pl.DataFrame:
    return pl.DataFrame(ORDERS[1:], schema=list(ORDERS[0]), orient="row")


def contacts_frame() -> pl.DataFrame:
    rows = [
        (tid, cid, t(created), t(resolved) if resolved else None, replies, reopens, score)
        for tid, cid, created, resolved, replies, reopens, score in CONTACTS
    ]
    return pl.DataFrame(
        rows,
        schema={
            "ticket_id": pl.String,
            "customer_id": pl.String,
            "created_at": pl.Datetime("us", "UTC"),
            "resolved_at": pl.Datetime("us", "UTC"),
            "agent_replies": pl.Int64,
            "reopens": pl.Int64,
            "csat": pl.Float64,
        },
        orient="row",
    )


def figures(result, family: str, segment: str) -> tuple:
    s = result.segment(family, segment)
    return (s.customers, s.orders, s.revenue, s.aov, s.frequency, s.repeat_rate, s.clv)


def test_clv_by_hand_per_segment():
    result = clv(orders_frame(), contacts_frame())  # lifespan 3 years, margin 1 (revenue CLV)
    assert result.years_observed == pytest.approx(2.0)
    assert result.window_start == t("2024-01-01T00:00:00Z")
    assert result.window_end == t("2025-12-31T12:00:00Z")
    approx = pytest.approx

    # all: 6 customers, 12 orders, 810; AOV 810 / 12 = 67.5; 12 orders / (6 x 2 years) = 1.0 a
    # year; repeaters A, C, E = 3 of 6 = 50 %; CLV 67.5 x 1.0 x 3 = 202.5
    assert figures(result, "all", "all customers") == approx((6, 12, 810.0, 67.5, 1.0, 50.0, 202.5))

    # contacted A-D: 7 orders, 600; AOV 600 / 7 = 85.714...; 7 / (4 x 2) = 0.875; repeaters A, C =
    # 50 %; CLV 85.714 x 0.875 x 3 = 75 x 3 = 225
    assert figures(result, "contact", "contacted") == approx((4, 7, 600.0, 600 / 7, 0.875, 50.0, 225.0))
    # not contacted E, F: 5 orders, 210; AOV 42; 5 / (2 x 2) = 1.25; repeaters E = 50 %;
    # CLV 42 x 1.25 x 3 = 157.5; contacted vs not: 225 / 157.5 - 1 = +42.857 %
    assert figures(result, "contact", "not contacted") == approx((2, 5, 210.0, 42.0, 1.25, 50.0, 157.5))
    assert result.segment("contact", "contacted").clv_vs_reference_pct == approx(100 * (225 / 157.5 - 1))
    assert result.segment("contact", "not contacted").reference is None

    # satisfied A, B: 4 orders, 420; AOV 105; 4 / (2 x 2) = 1.0; repeaters A = 50 %; CLV 315
    assert figures(result, "csat", "satisfied") == approx((2, 4, 420.0, 105.0, 1.0, 50.0, 315.0))
    # not satisfied C: 2 orders, 100; AOV 50; 2 / 2 = 1.0; 100 %; CLV 50 x 1 x 3 = 150
    assert figures(result, "csat", "not satisfied") == approx((1, 2, 100.0, 50.0, 1.0, 100.0, 150.0))
    # no survey D: 1 order, 80; AOV 80; 1 / 2 = 0.5; 0 %; CLV 80 x 0.5 x 3 = 120
    assert figures(result, "csat", "no survey") == approx((1, 1, 80.0, 80.0, 0.5, 0.0, 120.0))
    # satisfied vs not: 315 / 150 - 1 = +110 %; no survey vs not satisfied: 120 / 150 - 1 = -20 %
    assert result.segment("csat", "satisfied").clv_vs_reference_pct == approx(110.0)
    assert result.segment("csat", "no survey").clv_vs_reference_pct == approx(-20.0)

    # resolved first contact A, C: 5 orders, 400; AOV 80; 5 / 4 = 1.25; 100 %; CLV 80 x 1.25 x 3 = 300
    assert figures(result, "fcr", "resolved first contact") == approx((2, 5, 400.0, 80.0, 1.25, 100.0, 300.0))
    # not resolved first contact B: 1 order, 120; AOV 120; 0.5; 0 %; CLV 120 x 0.5 x 3 = 180
    assert figures(result, "fcr", "not resolved first contact") == approx((1, 1, 120.0, 120.0, 0.5, 0.0, 180.0))
    # no resolved contact D: CLV 120 as above
    assert figures(result, "fcr", "no resolved contact") == approx((1, 1, 80.0, 80.0, 0.5, 0.0, 120.0))
    # 300 / 180 - 1 = +66.7 %; 120 / 180 - 1 = -33.3 %
    assert result.segment("fcr", "resolved first contact").clv_vs_reference_pct == approx(200 / 3)
    assert result.segment("fcr", "no resolved contact").clv_vs_reference_pct == approx(-100 / 3)

    assert [(s.family, s.segment) for s in result.segments] == [
        ("all", "all customers"),
        ("contact", "contacted"),
        ("contact", "not contacted"),
        ("csat", "satisfied"),
        ("csat", "not satisfied"),
        ("csat", "no survey"),
        ("fcr", "resolved first contact"),
        ("fcr", "not resolved first contact"),
        ("fcr", "no resolved contact"),
    ]
    assert all(s.few_customers for s in result.segments)  # all below 30 customers
    assert result.notes()[0].startswith("fewer than 30 customers")


def test_lifespan_and_margin_scale_the_clv():
    # satisfied: 420 / 4 customer-years = 105 a year x 2 years x margin 0.3 = 63
    result = clv(orders_frame(), contacts_frame(), lifespan_years=2, margin=0.3)
    assert result.segment("csat", "satisfied").clv == pytest.approx(63.0)
    # AOV, frequency and the relative difference do not depend on them
    assert result.segment("csat", "satisfied").aov == pytest.approx(105.0)
    assert result.segment("csat", "satisfied").clv_vs_reference_pct == pytest.approx(110.0)


def test_exclusions_are_counted_with_their_rows():
    result = clv(orders_frame(), contacts_frame())
    assert result.orders_read == 18
    assert result.orders_used == 12
    assert result.orders_excluded == {
        "no customer_id": 1,
        "unparseable ordered_at": 1,
        "no order_value": 1,
        "unparseable order_value": 1,
        "negative order_value": 1,
        "duplicate order_id": 1,
    }
    # the data errors (--strict): unparseable date and value, negative value, repeated order_id
    assert result.data_errors == 4
    assert result.examples["unparseable order_value"] == [{"row": 16, "value": "abc"}]
    assert result.examples["negative order_value"] == [{"row": 17, "value": "-20"}]
    assert result.examples["unparseable ordered_at"] == [{"row": 14, "value": "31/02/2025"}]
    assert result.contacts_read == 9
    assert result.contacts_excluded == {
        "duplicate ticket_id": 1,
        "no customer_id": 1,
        "csat off the scale (not an answer)": 1,
    }
    assert result.contacted_without_orders == 1  # G


def test_after_contact_counts_orders_from_the_first_contact():
    # Window: Z's orders 2024-01-01T00:00Z .. 2025-12-31T12:00Z = 2 years.
    # X first contacted 2024-12-31T06:00Z: its 2024-03-01 order is left out; it is observed for
    #   365.25 days = 1 year, with 2 orders, 120: AOV 60, 2.0 a year, CLV 120 x 3 = 360.
    # Y first contacted 2026-02-01, after the last order: left out (its one order is "before").
    # Z never contacted: 2 orders, 40 over 2 years: AOV 20, 1.0 a year, CLV 20 x 3 = 60.
    # contacted vs not: 360 / 60 - 1 = +500 %; all: 4 orders, 160 over 3 customer-years: CLV 160.
    orders = pl.DataFrame(
        {
            "customer_id": ["X", "X", "X", "Y", "Z", "Z"],
            "ordered_at": [
                "2024-03-01T00:00:00Z",
                "2025-02-01T00:00:00Z",
                "2025-08-01T00:00:00Z",
                "2024-05-01T00:00:00Z",
                "2024-01-01T00:00:00Z",
                "2025-12-31T12:00:00Z",
            ],
            "order_value": ["100", "50", "70", "40", "10", "30"],
        }
    )
    contacts = pl.DataFrame(
        {
            "ticket_id": ["T1", "T2"],
            "customer_id": ["X", "Y"],
            "created_at": [t("2024-12-31T06:00:00Z"), t("2026-02-01T00:00:00Z")],
        }
    )
    result = clv(orders, contacts, after_contact=True)
    assert figures(result, "contact", "contacted") == pytest.approx((1, 2, 120.0, 60.0, 2.0, 100.0, 360.0))
    assert figures(result, "contact", "not contacted") == pytest.approx((1, 2, 40.0, 20.0, 1.0, 100.0, 60.0))
    assert result.segment("contact", "contacted").clv_vs_reference_pct == pytest.approx(500.0)
    assert result.segment("all", "all customers").clv == pytest.approx(160.0)
    assert result.orders_before_contact == 2
    assert result.customers_contact_after_orders == 1
    assert result.orders_used == 4
    # no csat, no resolution columns: those splits are not available, and say what they need
    assert result.unavailable == {"csat": ["csat"], "fcr": ["agent_replies", "reopens"]}
    assert {s.family for s in result.segments} == {"all", "contact"}


def test_typed_orders_naive_times_and_decimal_comma():
    # typed columns pass through; naive timestamps are read in the given time zone:
    # 2024-01-01 01:00 in Berlin (UTC+1) is 00:00Z, so the window is 2 years again
    typed = pl.DataFrame(
        {
            "customer_id": ["A", "A"],
            "ordered_at": [datetime(2024, 1, 1, 1, 0), datetime(2025, 12, 31, 13, 0)],
            "order_value": [10.0, 30.0],
        }
    )
    result = clv(typed, contacts_frame().head(0), timezone="Europe/Berlin")
    assert result.years_observed == pytest.approx(2.0)
    # 40 over 2 customer-years = 20 a year, x 3 = 60; nobody contacted support
    assert result.segment("contact", "not contacted").clv == pytest.approx(60.0)
    assert result.segment("contact", "contacted").customers == 0
    assert result.segment("contact", "contacted").clv is None
    text = pl.DataFrame(
        {
            "customer_id": ["A", "A"],
            "ordered_at": ["2024-01-01T00:00:00Z", "2025-12-31T12:00:00Z"],
            "order_value": ["10,50", "29,50"],
        }
    )
    assert clv(text, contacts_frame(), decimal_comma=True).segment("all", "all customers").revenue == pytest.approx(
        40.0
    )


def test_degenerate_tables():
    # no order counts: no window, nothing to compute, no crash
    empty = pl.DataFrame({"customer_id": [""], "ordered_at": ["2024-01-01"], "order_value": ["5"]})
    result = clv(empty, contacts_frame())
    assert result.years_observed is None
    assert result.segment("all", "all customers").customers == 0
    assert result.segment("all", "all customers").clv is None
    assert result.notes()[0] == "no order counts: nothing to compute"
    # every order on one instant: no span to annualise over
    instant = pl.DataFrame(
        {"customer_id": ["A", "B"], "ordered_at": ["2024-01-01T00:00:00Z"] * 2, "order_value": ["5", "7"]}
    )
    result = clv(instant, contacts_frame())
    assert result.years_observed == 0
    all_ = result.segment("all", "all customers")
    assert (all_.customers, all_.aov, all_.frequency, all_.clv) == (2, 6.0, None, None)


def test_errors():
    with pytest.raises(DataError, match="ordered_at, order_value"):
        clv(pl.DataFrame({"customer_id": ["A"]}), contacts_frame())
    with pytest.raises(DataError, match="customer_id"):
        clv(orders_frame(), contacts_frame().drop("customer_id"))
    with pytest.raises(UsageError, match="margin"):
        clv(orders_frame(), contacts_frame(), margin=1.5)
    with pytest.raises(UsageError, match="lifespan"):
        clv(orders_frame(), contacts_frame(), lifespan_years=0)


# The command line on the same tiny tables --------------------------------------------------------


def write_tiny(tmp_path: Path) -> tuple[Path, Path]:
    orders = tmp_path / "orders.csv"
    with orders.open("w", newline="") as handle:
        csv.writer(handle).writerows(ORDERS)
    contacts = tmp_path / "contacts.csv"
    with contacts.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CONTACT_COLUMNS)
        writer.writerows(["" if v is None else v for v in row] for row in CONTACTS)
    return contacts, orders


def test_cli_json_matches_the_hand_figures(tmp_path):
    contacts, orders = write_tiny(tmp_path)
    done = run("clv", contacts, "--orders", orders, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    segments = {(s["family"], s["segment"]): s for s in body["segments"]}
    assert segments[("csat", "satisfied")]["clv"] == pytest.approx(315.0)
    assert segments[("csat", "satisfied")]["clv_vs_reference_pct"] == pytest.approx(110.0)
    assert segments[("fcr", "resolved first contact")]["clv"] == pytest.approx(300.0)
    assert segments[("contact", "not contacted")]["aov"] == pytest.approx(42.0)
    assert body["window"] == {
        "start": "2024-01-01T00:00:00Z",
        "end": "2025-12-31T12:00:00Z",
        "years_observed": pytest.approx(2.0),
    }
    assert body["orders"]["excluded"]["negative order_value"] == 1
    assert body["contacts"]["excluded"]["duplicate ticket_id"] == 1
    assert body["lifespan_years"] == 3 and body["margin"] == 1
    # exclusions on stderr, with file and row
    assert "negative order_value" in done.stderr and "row 17, value '-20'" in done.stderr


def test_cli_views_show_the_same_numbers(tmp_path):
    contacts, orders = write_tiny(tmp_path)
    args = ("clv", contacts, "--orders", orders, "--lifespan-years", "2", "--margin", "0.3", "-q")
    table = run(*args, cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    assert table.stderr == ""
    # satisfied: 63.00 (see test_lifespan_and_margin_scale_the_clv), +110.0 % vs not satisfied
    line = next(line for line in table.stdout.splitlines() if line.strip().startswith("satisfied"))
    assert "63.00" in line and "105.00" in line and "+110.0 %" in line
    words = " ".join(table.stdout.split())  # footnotes wrap at the terminal's width
    assert "margin 0.3 (profit CLV)" in words and "Correlation, not causation" in words

    rows = list(csv.DictReader(io.StringIO(run(*args, "-f", "csv", cwd=tmp_path).stdout)))
    assert len(rows) == 9
    satisfied = next(r for r in rows if r["segment"] == "satisfied")
    assert float(satisfied["clv"]) == pytest.approx(63.0)
    assert satisfied["reference"] == "not satisfied"

    markdown = run(*args, "-f", "markdown", cwd=tmp_path).stdout
    assert "| satisfied * | 2 | 4 | 105.00 | 1.00 | 50.0 % | 63.00 | +110.0 % |" in markdown

    out = tmp_path / "report.json"
    assert run(*args, "-f", "json", "-o", out, cwd=tmp_path).returncode == 0
    assert json.loads(out.read_text())["margin"] == 0.3


def test_cli_after_contact_and_orders_map(tmp_path):
    contacts, _ = write_tiny(tmp_path)
    # the same orders under a shop's own headers, ;-separated with decimal commas
    orders = tmp_path / "shop.csv"
    lines = ["Kunde;Order Date;Total"] + [f"{c};{d};{v.replace('.', ',')}" for _, c, d, v in ORDERS[1:13]]
    orders.write_text("\n".join(lines) + "\n")
    done = run(
        "clv",
        contacts,
        "--orders",
        orders,
        "--orders-map",
        "customer_id=Kunde",
        "--orders-map",
        "ordered_at=Order Date",
        "--orders-map",
        "order_value=Total",
        "-f",
        "json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["segments"][0]["revenue"] == pytest.approx(810.0)
    done = run("clv", contacts, "--orders", tmp_path / "orders.csv", "--after-contact", "-f", "json", cwd=tmp_path)
    body = json.loads(done.stdout)
    # A's first contact 2024-02-01 leaves out its 2024-01-01 order; D's (2024-05-01) its
    # 2024-02-01 order; C's (2024-04-01) none; B's (2024-03-01) none
    assert body["after_contact"] is True
    assert body["orders"]["before_first_contact"] == 2


def test_cli_exit_codes(tmp_path):
    contacts, orders = write_tiny(tmp_path)
    # 2: usage errors
    missing = run("clv", contacts, cwd=tmp_path)
    assert missing.returncode == 2 and "--orders" in missing.stderr
    nofile = run("clv", contacts, "--orders", tmp_path / "nope.csv", cwd=tmp_path)
    assert nofile.returncode == 2 and "nope.csv: no such file" in nofile.stderr
    assert run("clv", tmp_path / "nope.csv", "--orders", orders, cwd=tmp_path).returncode == 2
    assert run("clv", contacts, "--orders", orders, "--margin", "1.5", cwd=tmp_path).returncode == 2
    assert run("clv", contacts, "--orders", orders, "--lifespan-years", "-1", cwd=tmp_path).returncode == 2
    assert run("clv", contacts, "--orders", orders, "-f", "html", cwd=tmp_path).returncode == 2
    assert run("clv", contacts, "--orders", orders, "--orders-map", "total", cwd=tmp_path).returncode == 2
    # 3: the orders lack required columns (named), data errors under --strict
    bad = tmp_path / "bad.csv"
    bad.write_text("customer_id,amount\nA,5\n")
    lacking = run("clv", contacts, "--orders", bad, cwd=tmp_path)
    assert lacking.returncode == 3
    assert "ordered_at, order_value" in lacking.stderr and "amount" in lacking.stderr
    assert "Traceback" not in lacking.stderr
    strict = run("clv", contacts, "--orders", orders, "--strict", cwd=tmp_path)
    assert strict.returncode == 3 and "4 data error(s)" in strict.stderr
    # 2 wins over 3
    assert run("clv", contacts, "--orders", bad, "--margin", "0", cwd=tmp_path).returncode == 2


def test_cli_json_and_parquet_orders(tmp_path):
    contacts, _ = write_tiny(tmp_path)
    frame = orders_frame().head(12)
    frame.write_json(tmp_path / "orders.json")
    frame.with_columns(pl.col("order_value").cast(pl.Float64)).write_parquet(tmp_path / "orders.parquet")
    for name in ("orders.json", "orders.parquet"):
        done = run("clv", contacts, "--orders", tmp_path / name, "-f", "json", "-q", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["segments"][0]["clv"] == pytest.approx(202.5)


def test_the_example_files_run(tmp_path):
    done = run("clv", EXAMPLES / "contacts.csv", "--orders", EXAMPLES / "orders.csv", "-f", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    segments = {(s["family"], s["segment"]): s for s in body["segments"]}
    # the generator makes satisfied customers re-order more
    assert segments[("csat", "satisfied")]["clv"] > segments[("csat", "not satisfied")]["clv"]
    assert segments[("csat", "satisfied")]["repeat_rate"] > segments[("csat", "not satisfied")]["repeat_rate"]
    assert segments[("contact", "not contacted")]["customers"] > 0
    # its three awkward rows
    assert body["orders"]["excluded"] == {"no customer_id": 1, "unparseable order_value": 1, "negative order_value": 1}
    table = run("clv", EXAMPLES / "contacts.csv", "--orders", EXAMPLES / "orders.csv", "-q", cwd=tmp_path)
    assert table.returncode == 0 and "satisfied" in table.stdout


def test_example_orders_are_generated_deterministically(tmp_path):
    import shutil
    import subprocess
    import sys

    shutil.copy(EXAMPLES / "generate_orders.py", tmp_path)
    shutil.copy(EXAMPLES / "contacts.csv", tmp_path)
    subprocess.run([sys.executable, str(tmp_path / "generate_orders.py")], check=True, timeout=60)
    assert (tmp_path / "orders.csv").read_text() == (EXAMPLES / "orders.csv").read_text()


def test_sums_do_not_depend_on_the_order_of_the_rows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no kpi.yaml here: the defaults

    def segments(orders: Path) -> list:
        return Run().add_inputs([str(EXAMPLES / "contacts.csv")]).clv(str(orders)).segments

    header, *rows = (EXAMPLES / "orders.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    expected = segments(EXAMPLES / "orders.csv")
    for seed in range(4):
        random.Random(seed).shuffle(rows)
        shuffled = tmp_path / f"orders{seed}.csv"
        shuffled.write_text(header + "".join(rows), encoding="utf-8")
        assert segments(shuffled) == expected
        assert segments(EXAMPLES / "orders.csv") == expected  # and run after run
