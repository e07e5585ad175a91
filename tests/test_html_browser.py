"""The HTML reports as a browser lays them out: headless Chromium (Debian's ``chromium``
package) opens each page at 1280 and 800 pixels wide, and at the width of an A4 sheet with the
print rules, and reports what it measured.

The pages have no script, so the test writes a copy of each page with a small measuring script
at the end of its body; Chromium runs it and prints the DOM (``--dump-dom``), with the
measurements as JSON in a ``<pre id="measured">``. Checked: the page renders (its title, its
tables, charts of a size); no element reaches past the viewport, except inside a box that
scrolls sideways on its own (the page itself never does); every chart names, with
``aria-describedby``, a table of its numbers; no two x-axis labels of a chart overlap.

Skipped where Chromium is not installed (``apt-get install chromium``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from supportkpi.cli import app
from supportkpi.config import parse_config
from supportkpi.render.html import render
from supportkpi.scorecard import scorecard

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed: apt-get install chromium")

ROOT = Path(__file__).resolve().parents[1]
A4_WIDTH = 688
"""The width of an A4 sheet inside the page's 14 mm margins, in CSS pixels (182 mm at 96 dpi)."""
MEASURE = """<script>
(() => {
  const view = document.documentElement.clientWidth;
  for (const el of document.body.querySelectorAll("*")) {
    if (["auto", "scroll"].includes(getComputedStyle(el).overflowX)) el.setAttribute("data-scrolls", "");
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.getAttribute("class") ? "." + el.getAttribute("class").trim().split(/\\s+/).join(".") : "");
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    const scrolled = el.parentElement && el.parentElement.closest("[data-scrolls]");
    if (!scrolled && box.width > 0 && (box.right > view + 0.5 || box.left < -0.5)) {
      wide.push(`${name(el)} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  const charts = [...document.querySelectorAll("svg")].map((svg) => {
    const id = svg.getAttribute("aria-describedby");
    const table = id ? document.getElementById(id) : null;
    const box = svg.getBoundingClientRect();
    return {
      kind: svg.getAttribute("class"), width: box.width, height: box.height,
      table: table ? table.tagName.toLowerCase() : null,
      rows: table && table.tBodies.length ? table.tBodies[0].rows.length : 0,
      labels: [...svg.querySelectorAll("text.x-label")].map((t) => {
        const b = t.getBoundingClientRect();
        return [t.textContent, b.left, b.right];
      }),
    };
  });
  const measured = document.createElement("pre");
  measured.id = "measured";
  measured.textContent = JSON.stringify({
    view, page: document.documentElement.scrollWidth, title: document.title, wide, charts,
    tables: document.querySelectorAll("table").length,
    summary: document.querySelectorAll("table.summary tbody tr").length,
  });
  document.body.append(measured);
})();
</script>
"""


def measure(page: str, width: int, tmp_path: Path, *, print_rules: bool = False) -> dict:
    """What Chromium measures of ``page`` in a window ``width`` pixels wide (with the page's
    print rules applied as well, for ``print_rules``)."""
    if print_rules:
        page = page.replace("@media print {", "@media all {")
    copy = tmp_path / f"measured-{width}.html"
    copy.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",  # as root in a container
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={width},2000",
        "--virtual-time-budget=10000",
        "--dump-dom",
        copy.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found, f"no measurements from chromium (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def check_layout(measured: dict, width: int, title: str) -> None:
    assert measured["view"] == width
    assert measured["title"].startswith(title) and measured["tables"] > 0
    assert measured["wide"] == [], f"wider than the {width} px viewport: {measured['wide'][:10]}"
    assert measured["page"] <= width, "the page scrolls sideways"
    for chart in measured["charts"]:
        assert chart["width"] > 0 and chart["height"] > 0, chart
        assert chart["table"] == "table" and chart["rows"] > 0, f"a {chart['kind']} chart without its table"
        labels = sorted(chart["labels"], key=lambda label: label[1])
        for (left_text, _, right_end), (text, start, _) in zip(labels, labels[1:]):
            assert right_end <= start, f"x-axis labels {left_text} and {text} overlap at {width} px"


# -- the pages ------------------------------------------------------------------------------


def _run(args: list[str], tmp_path: Path) -> str:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, [*args, "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def example_page(tmp_path_factory) -> str:
    examples = ROOT / "examples"
    args = ["scorecard", str(examples / "contacts.csv"), "--config", str(examples / "kpi.yaml"), "--period", "month"]
    return _run(args, tmp_path_factory.mktemp("example"))


# Five vendors, one with a name that no line break fits
VENDORS = ("Acme BPO", "Contoso Care", "Fabrikam", "Northwind", "Outsourcing-International-GmbH-Division-East-Region")
CONFIG = """
targets:
  - {kpi: csat, warn: 80, fail: 60, min_sample: 2}
  - {kpi: first_response_time, warn: 4h, fail: 8h, min_sample: 2}
"""


def long_page(period: str) -> str:
    """A scorecard of five vendors over 36 periods, Contoso slipping in the last third."""
    start = datetime(2023, 1, 2, 9, tzinfo=UTC)  # a Monday
    rows = []
    for v, vendor in enumerate(VENDORS):
        for index in range(36):
            for contact in range(3):
                if period == "month":
                    created = datetime(2023 + index // 12, index % 12 + 1, 2 + contact, 9, tzinfo=UTC)
                else:
                    created = start + timedelta(days=index * (7 if period == "week" else 1), hours=contact)
                slipping = v == 1 and index > 24
                rows.append(
                    {
                        "ticket_id": f"T{v}-{index}-{contact}",
                        "created_at": created,
                        "vendor": vendor,
                        "csat": float(2 if slipping else 3 + (v + index + contact) % 3),
                        "first_response_at": created + timedelta(minutes=60 + 97 * ((v * 7 + index + contact) % 7)),
                    }
                )
    card = scorecard(pl.DataFrame(rows), parse_config(CONFIG), by=["vendor"], period=period)
    return render(card)


@pytest.mark.parametrize("width", [1280, 800])
def test_the_example_scorecard_fits(example_page, width, tmp_path):
    measured = measure(example_page, width, tmp_path)
    check_layout(measured, width, "Support scorecard")
    assert measured["summary"] >= 2  # a row per vendor


@pytest.mark.parametrize(("period", "width"), [("month", 1280), ("month", 800), ("week", 800), ("day", 800)])
def test_a_scorecard_of_36_periods_fits(period, width, tmp_path):
    measured = measure(long_page(period), width, tmp_path)
    check_layout(measured, width, "Support scorecard")
    assert measured["summary"] == len(VENDORS)
    kinds = [chart["kind"] for chart in measured["charts"]]
    assert kinds.count("spark") == len(VENDORS) and kinds.count("chart") == 2
    assert all(len(chart["labels"]) >= 4 for chart in measured["charts"] if chart["kind"] == "chart")


def test_the_example_scorecard_fits_an_a4_sheet(example_page, tmp_path):
    check_layout(measure(example_page, A4_WIDTH, tmp_path, print_rules=True), A4_WIDTH, "Support scorecard")


def test_the_comparison_fits(tmp_path):
    page = _run(["compare", str(ROOT / "examples" / "contacts.csv"), "--by", "vendor"], tmp_path)
    check_layout(measure(page, 800, tmp_path), 800, "Vendor comparison")
