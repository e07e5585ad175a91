"""The HTML scorecard: self-contained, every name from the data escaped, every number of the JSON
view shown (formatted by the same functions the page uses), a trend chart per check with periods."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from supportkpi.config import parse_config
from supportkpi.render.formatting import count, level, measure, score, signed_measure
from supportkpi.render.html import render
from supportkpi.render.scorecard import WORDS as STATUS_WORDS
from supportkpi.render.scorecard import status_word
from supportkpi.results import InputInfo
from supportkpi.scorecard import scorecard

EVIL = "Acme <script>alert(1)</script>"
EVIL_PATH = 'exports/<img src=x onerror="alert(2)">.csv'
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "contacts.csv"
CONFIG = """
vendors: {"Acme <script>alert(1)</script>": {}}
sla:
  - name: first_reply
    metric: first_response_time
    clock: calendar
    targets: [{hours: 8}]
targets:
  - {kpi: csat, warn: 80, fail: 60, min_sample: 2}
  - {kpi: first_response_time, warn: 4h, fail: 8h, overrides: [{channel: chat, warn: 5 min, fail: 15 min}]}
  - {kpi: sla_compliance.first_reply, warn: 95, fail: 90, weight: 2}
  - {kpi: qa_score, warn: 80, fail: 70}
"""
UTC = UTC
# vendor, month, channel, minutes to first response, csat (1-5)
ROWS = [
    (EVIL, 1, "chat", 2, 5),
    (EVIL, 1, "chat", 4, 4),
    (EVIL, 1, "email", 180, 5),
    (EVIL, 1, "email", 600, 2),
    (EVIL, 2, "chat", 20, None),
    (EVIL, 2, "email", 200, 5),
    (EVIL, 2, "email", 300, None),
    ("Beta & Co", 1, "chat", 3, 5),
    ("Beta & Co", 1, "email", 100, 5),
    ("Beta & Co", 1, "email", 120, 4),
    ("Beta & Co", 2, "chat", 8, 3),
    ("Beta & Co", 2, "email", 250, 2),
    ("Beta & Co", 2, "email", 700, 4),
]
FORBIDDEN = ("http://", "https://", "//cdn", "<script", "<link", "@import", "url(", "<iframe", "<object", "<embed")
STRUCTURE = (
    "html",
    "head",
    "body",
    "section",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "svg",
    "g",
    "figure",
    "ul",
    "li",
    "dl",
    "header",
    "footer",
    "caption",
)


def _frame(months: tuple[int, ...] = (1, 2)) -> pl.DataFrame:
    rows = [r for r in ROWS if r[1] in months]
    created = [datetime(2025, month, 3 + i, 9, 0, tzinfo=UTC) for i, (_, month, *_) in enumerate(rows)]
    return pl.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(len(rows))],
            "created_at": created,
            "vendor": [r[0] for r in rows],
            "channel": [r[2] for r in rows],
            "csat": [r[4] for r in rows],
            "first_response_at": [c + timedelta(minutes=r[3]) for c, r in zip(created, rows)],
        },
        schema_overrides={"csat": pl.Float64},
    )


def _card(period: str | None = "month", months: tuple[int, ...] = (1, 2), by: tuple[str, ...] = ("vendor",)):
    inputs = [InputInfo(path=EVIL_PATH, format="csv", rows=len(ROWS))]
    return scorecard(_frame(months), parse_config(CONFIG), by=by, period=period, inputs=inputs)


@pytest.fixture(scope="module")
def monthly():
    return _card("month")


@pytest.fixture(scope="module")
def whole():
    return _card(None)


@pytest.fixture(scope="module")
def overall():
    return _card("month", by=())


@pytest.fixture(scope="module")
def by_channel():
    return _card("week", by=("vendor", "channel"))


@pytest.fixture(scope="module")
def example():
    from supportkpi.loading import load

    loaded = load([str(EXAMPLE)])
    return scorecard(loaded.frame, parse_config(CONFIG), by=["vendor"], period="quarter", inputs=loaded.inputs)


class Page(HTMLParser):
    """The page as a reader sees it: its text, tables (caption, header, rows of cell texts),
    figures (caption, number of SVGs), sections, and a check that structural tags are balanced."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.starttags: list[str] = []
        self.sections: dict[str, list] = {}
        self.tables: list[dict] = []
        self.figures: list[dict] = []
        self.badges: list[str] = []
        self.text_parts: list[str] = []
        self._section: str | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._badge: list[str] | None = None
        self._in_svg = 0
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")
        self.text = re.sub(r"\s+", " ", " ".join(self.text_parts))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.starttags.append(tag)
        if tag in STRUCTURE:
            self.stack.append(tag)
        if tag == "section":
            self._section = attrs.get("id")
            self.sections[self._section] = []
        elif tag == "table":
            self.tables.append({"caption": "", "header": [], "rows": [], "section": self._section})
        elif tag == "tr":
            self._row: list[str] = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "caption":
            self._caption = []
        elif tag == "figure":
            self.figures.append({"caption": "", "svgs": 0, "section": self._section})
        elif tag == "figcaption":
            self._caption = []
        elif tag == "svg":
            self._in_svg += 1
            if self.figures and self._section == "trend":
                self.figures[-1]["svgs"] += 1
        elif tag == "span" and "badge" in (attrs.get("class") or "").split():
            self._badge = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in STRUCTURE:
            if not self.stack or self.stack[-1] != tag:
                self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            else:
                self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr":
            table = self.tables[-1]
            if not table["header"]:
                table["header"] = self._row
            else:
                table["rows"].append(dict(zip(table["header"], self._row)))
        elif tag in ("caption", "figcaption") and self._caption is not None:
            text = re.sub(r"\s+", " ", "".join(self._caption)).strip()
            (self.tables if tag == "caption" else self.figures)[-1]["caption"] = text
            self._caption = None
        elif tag == "span" and self._badge is not None:
            self.badges.append("".join(self._badge))
            self._badge = None
        elif tag == "svg":
            self._in_svg -= 1
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        for part in (self._cell, self._caption, self._badge):
            if part is not None:
                part.append(data)
        if not self._in_svg:
            self.text_parts.append(data)


def _label(keys: dict) -> str:
    return " · ".join("(none)" if v is None else str(v) for v in keys.values()) or "All contacts"


def _check_label(check: dict) -> str:
    return check["name"] + (f" [{check['slice']}]" if check["slice"] else "")


def _one(items: list, what: str):
    assert len(items) == 1, f"{len(items)} matches for {what}"
    return items[0]


def test_the_fixture_has_every_status(monthly):
    assert set(monthly.counts()) == set(STATUS_WORDS)


@pytest.mark.parametrize("card", ["monthly", "whole", "overall", "by_channel", "example"])
def test_is_self_contained(card, request):
    page = render(request.getfixturevalue(card))
    lowered = page.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, needle
    assert "script" not in Page(page).starttags
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page


@pytest.mark.parametrize("card", ["monthly", "whole", "overall", "by_channel", "example"])
def test_structural_tags_are_balanced(card, request):
    page = Page(render(request.getfixturevalue(card)))
    assert page.errors == []
    assert page.tables and {"scorecard", "data-quality"} <= set(page.sections)


def test_names_from_the_data_are_escaped(monthly):
    text = render(monthly)
    assert EVIL not in text
    assert "Acme &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img" not in text and "exports/&lt;img src=x onerror=&quot;alert(2)&quot;&gt;.csv" in text
    assert "Beta &amp; Co" in text and "Beta & Co" not in text
    page = Page(text)
    # read back as a person sees it: the names are text, not markup
    assert EVIL in page.text and EVIL_PATH in page.text and "Beta & Co" in page.text
    assert not {"script", "img"} & set(page.starttags)


def test_finding_examples_from_a_file_are_escaped(tmp_path):
    from supportkpi.loading import load

    path = tmp_path / "contacts.csv"
    path.write_text(
        "ticket_id,created_at,vendor,csat\n"
        "1,2025-01-02T10:00:00Z,<b>Bold</b> BPO,5\n"
        "2,<i>yesterday</i>,<b>Bold</b> BPO,4\n"
    )
    loaded = load([str(path)])
    card = scorecard(loaded.frame, parse_config(CONFIG), by=["vendor"], inputs=loaded.inputs)
    text = render(card)
    assert "<b>" not in text and "<i>" not in text
    page = Page(text)
    assert "<b>Bold</b> BPO" in page.text and "<i>yesterday</i>" in page.text
    for finding in card.base.findings:
        assert finding.message() in page.text


@pytest.mark.parametrize("card", ["monthly", "whole", "overall", "by_channel", "example"])
def test_shows_every_number_the_json_has(card, request):
    card = request.getfixturevalue(card)
    data = card.to_dict()
    page = Page(render(card))
    headline = [t for t in page.tables if t["section"] == "scorecard"]
    shown = 0
    for group in data["groups"]:
        caption = f"{_label(group['keys'])} — Score {score(group['score'])} / 100"
        table = _one([t for t in headline if t["caption"].startswith(caption)], caption)
        if group["score_change"] is not None:
            assert score(group["score_change"], signed=True) in table["caption"]
        for check in group["checks"]:
            start = f"{_check_label(check)} {check['title']}"
            row = _one([r for r in table["rows"] if r["Check"].startswith(start)], f"{start} in {caption}")
            unit = check["unit"]
            assert row["Value"] == (measure(check["value"], unit) if check["available"] else "n/a")
            assert row["Warn"] == level(check["warn"], unit)
            assert row["Fail"] == level(check["fail"], unit)
            assert row["n"] == count(check["n"])
            assert row["Status"].startswith(status_word(check["status"]))
            assert row["To target"].startswith(signed_measure(check["gap"], unit))
            assert row["Change"].startswith(signed_measure(check["change"], unit))
        shown += len(table["rows"])
    assert shown == sum(len(g["checks"]) for g in data["groups"])  # no row twice, none made up

    sla = [t for t in page.tables if t["section"] == "sla"]
    assert data["sla_compliance"]
    for entry in data["sla_compliance"]:
        caption = f"Policy {entry['policy']}"
        table = _one([t for t in sla if t["caption"].startswith(caption)], caption)
        keys = {k: "(none)" if v is None else str(v) for k, v in entry["keys"].items()}
        row = _one([r for r in table["rows"] if all(r[k] == v for k, v in keys.items())], f"{keys} in {caption}")
        assert row["Compliance"] == (measure(entry["value"], "%") if entry["available"] else "n/a")
        assert row["n"] == count(entry["n"])


def test_statuses_are_words(monthly):
    page = Page(render(monthly))
    assert set(page.badges) == {status_word(s) for s in monthly.counts()}
    assert {"PASS", "WARN", "FAIL", "INSUFFICIENT DATA", "N/A"} <= set(page.badges)


def test_a_trend_chart_and_table_per_check_with_periods(monthly):
    page = Page(render(monthly))
    assert "trend" in page.sections
    figures = [f for f in page.figures if f["section"] == "trend"]
    assert all(f["svgs"] == 1 for f in figures)
    for check in monthly.checks:
        assert [f for f in figures if f["caption"].startswith(check.name + " ")], check.name
    # every charted value is in a table too: rows are groups, columns periods
    trend_tables = [t for t in page.tables if t["section"] == "trend"]
    assert len(trend_tables) == len(figures)
    for result in monthly.results:
        label = result.check.name + (f" [{result.slice_text}]" if result.slice_text else "")
        index = _one([i for i, f in enumerate(figures) if f["caption"].startswith(label + " ")], label)
        vendor = result.keys["vendor"]
        row = _one([r for r in trend_tables[index]["rows"] if r["Group"] == vendor], vendor)
        assert row["Warn"] == level(result.levels.warn, result.check.unit)
        assert row["Fail"] == level(result.levels.fail, result.check.unit)
        cell = row[result.keys["period"]]
        assert cell == f"{measure(result.value, result.check.unit)} {status_word(result.status)}"


def test_no_trend_without_periods_or_with_one(whole):
    for card in (whole, _card("month", months=(1,))):
        text = render(card)
        assert "<svg" not in text
        assert "trend" not in Page(text).sections


def test_the_example_has_a_trend_per_check(example):
    page = Page(render(example))
    figures = [f for f in page.figures if f["section"] == "trend"]
    for check in example.checks:
        assert any(f["caption"].startswith(check.name + " ") and f["svgs"] == 1 for f in figures)


def test_header_and_scoring(monthly):
    from supportkpi import __version__

    page = Page(render(monthly))
    assert f"supportkpi {__version__}" in page.text
    for fact in ("Grouping vendor", "Period month", "Time zone UTC", "As of 2025-"):
        assert fact in page.text
    assert monthly.to_dict()["scoring"]["formula"] in page.text
    assert "No findings" in page.text


def test_pages_come_from_autoescaping_templates():
    from supportkpi.render.html import render_page
    from supportkpi.render.markup import Html

    page = render_page(
        "compare.html.j2",
        "<b>title</b>",
        sides="Acme <i>",
        header=["<th>"],
        numeric=set(),
        strata=[{"title": "x", "rows": [["<script>", Html("<code>{}</code>").format("<em>")]]}],
        notes=["two\n<lines>"],
    )
    assert "<title>&lt;b&gt;title&lt;/b&gt;</title>" in page
    assert "<td>&lt;script&gt;</td><td><code>&lt;em&gt;</code></td>" in page
    assert "<li>two<br>&lt;lines&gt;</li>" in page
    assert "<i>" not in page and "<th>" not in page.replace('<th scope="col">', "")


# -- the summary, the charts' tables, the labels, the page width ------------------------------


def test_a_summary_row_per_vendor_with_its_worst_checks(monthly):
    from supportkpi.render.summary import summarise

    page = Page(render(monthly))
    summary = _one([t for t in page.tables if t["section"] == "summary" and "Worst checks" in t["header"]], "summary")
    assert summary["header"] == ["vendor", "Score", "Trend", "Checks", "Worst checks"]
    assert [r["vendor"] for r in summary["rows"]] == [EVIL, "Beta & Co"]
    for row, series in zip(summary["rows"], summarise(monthly)):
        assert series.period == "2025-02" and row["Score"] == f"{score(series.latest.score)} / 100 2025-02"
        ranks = [{"fail": 0, "warn": 1}[slip.result.status] for slip in series.slips]
        assert ranks == sorted(ranks)  # fails first
        for slip in series.slips[:3]:
            words = f"{status_word(slip.result.status)} {_check_label(slip.result.to_dict())}"
            assert words in row["Worst checks"] and f"since {slip.since}" in row["Worst checks"]
    beta = summarise(monthly)[1]
    # Beta & Co met the 8 h first reply in January, not in February (700 min)
    assert ("sla_compliance.first_reply", "fail", "2025-02") in [
        (s.result.check.name, s.result.status, s.since) for s in beta.slips
    ]


def test_the_summary_without_periods_has_no_trend(whole):
    page = Page(render(whole))
    summary = _one([t for t in page.tables if t["section"] == "summary"], "summary")
    assert summary["header"] == ["vendor", "Score", "Checks", "Worst checks"]
    assert "<svg" not in render(whole)


def test_every_chart_names_the_table_of_its_numbers(monthly):
    text = render(monthly)
    charts = re.findall(r"<svg [^>]*>", text)
    assert len(charts) == len(Page(text).figures) + 2  # a sparkline per vendor
    for tag in charts:
        table_id = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
        assert re.search(rf'<table id="{table_id}"', text), table_id
    scores = _one([t for t in Page(text).tables if t["caption"].startswith("Score by period")], "scores")
    for group in monthly.scores:
        assert _one([r for r in scores["rows"] if r["vendor"] == group.keys["vendor"]], "row")[
            group.keys["period"]
        ] == score(group.score)


def test_every_table_scrolls_in_a_box_of_its_own(monthly):
    text = render(monthly)
    assert text.count("<table") == text.count('<div class="table-wrap"><table')
    assert ".table-wrap { overflow-x: auto;" in text and "@page { size: A4;" in text


@pytest.mark.parametrize("count", [6, 12, 24, 36])
@pytest.mark.parametrize("period", ["month", "week", "day"])
def test_x_axis_labels_never_collide(count, period):
    from supportkpi.render.svg import CHAR_WIDTH, chart

    start = datetime(2024, 1, 1)
    labels = {
        "month": lambda i: f"{2024 + i // 12}-{i % 12 + 1:02d}",
        "week": lambda i: f"{2024 + i // 52}-W{i % 52 + 1:02d}",
        "day": lambda i: (start + timedelta(days=i)).strftime("%Y-%m-%d"),
    }
    periods = [labels[period](i) for i in range(count)]
    card = _card("month")
    check = card.checks[0]
    lines = {(("vendor", "A"),): {p: card.results[0] for p in periods}}
    svg = str(chart(check, "csat", lines, periods, "t"))
    drawn = [(float(x), text) for x, text in re.findall(r'<text class="x-label" x="([\d.]+)"[^>]*>([^<]*)</text>', svg)]
    assert drawn[-1][1] == periods[-1]  # the latest period always has its label
    assert len(drawn) >= min(count, 4)
    for (x1, a), (x2, b) in zip(drawn, drawn[1:]):
        assert x2 - x1 >= (len(a) + len(b)) / 2 * CHAR_WIDTH, (a, b)
