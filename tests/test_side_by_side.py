"""The groups side by side (render/side_by_side.py): KPIs down, groups across, the value and its n
in each cell, the left-out rows per column in a block under the table; chosen when the tables fit
the width, the long layout otherwise and on request. Every number is checked against the JSON
view of the same run."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from cli_support import run
from rich.console import Console

from supportkpi import Run
from supportkpi.render import side_by_side
from supportkpi.render.formatting import count, format_measure
from supportkpi.render.markdown import render as markdown
from supportkpi.render.table import tables, view

ROOT = Path(__file__).resolve().parents[1]
KPIS = ["ticket_volume", "csat", "aht", "first_response_time", "backlog"]


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("messy")
    for name in ("contacts.csv", "kpi.yaml"):
        shutil.copy(ROOT / "examples" / "messy" / name, folder / name)
    return folder


def compute(folder: Path, by: list[str], period: str | None = None, kpis: list[str] = KPIS):
    runner = Run.from_config(str(folder / "kpi.yaml")).add_inputs([str(folder / "contacts.csv")])
    return runner.compute(kpis, by=by, period=period)


def pipe_table(lines: list[str], start: int) -> list[list[str]]:
    """The rows of the pipe table that starts at ``lines[start]`` (its header first)."""
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split(" | ")])
    return [rows[0], *rows[2:]]


def printed(renderables: list, width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), no_color=True)
    for item in renderables:
        console.print(item)
    return console.export_text()


def test_markdown_cells_are_the_json_values_and_ns(messy):
    result = compute(messy, ["vendor"])
    doc = result.to_dict()
    lines = markdown(result).splitlines()
    table = pipe_table(lines, lines.index("### KPIs by vendor") + 2)
    header, rows = table[0], {row[0]: row[1:] for row in table[1:]}
    vendors = [g["keys"]["vendor"] for g in doc["groups"]]
    assert header == ["KPI", *("(none)" if v is None else v for v in vendors)]
    for column, group in enumerate(doc["groups"]):
        for kpi_id, kpi in group["kpis"].items():
            value = format_measure(kpi["value"], kpi["unit"])
            expected = value if kpi_id in ("ticket_volume", "backlog") else f"{value} (n {count(kpi['n'])})"
            assert rows[kpi["title"]][column] == expected, (kpi_id, column)
    # read by hand from examples/messy: Acme BPO's calls average 511.3 s of handling
    assert rows["Average handle time"][0] == "8:31 (n 64)"
    assert rows["Ticket volume"][0] == "139"


def test_left_out_block_counts_are_the_json_exclusions_per_column(messy):
    result = compute(messy, ["vendor"])
    groups = result.to_dict()["groups"]
    text = markdown(result)
    block = text.split("**Left out**", 1)[1].split("**Measured as:**")[0]
    entries = [line[2:] for line in block.splitlines() if line.startswith("- ")]
    seen = {}
    for entry in entries:  # "<reason> a / b / c: <KPI titles>"
        reason, numbers, titles = re.fullmatch(r"(.*?) ([\d,]+(?: / [\d,]+)*): (.*)", entry).groups()
        every = [result.groups[0].kpis[k].title for k in side_by_side.shown_kpis(result)]
        for title in every if titles == "every KPI" else titles.split(", "):
            seen[(title, reason)] = [int(n.replace(",", "")) for n in numbers.split(" / ")]
    expected = {}
    for kpi_id in KPIS:
        title = groups[0]["kpis"][kpi_id]["title"]
        reasons = {r for g in groups for r, n in g["kpis"][kpi_id]["excluded"].items() if n}
        for reason in reasons:
            expected[(title, reason)] = [g["kpis"][kpi_id]["excluded"].get(reason, 0) for g in groups]
    assert seen == expected
    assert seen[("Customer satisfaction", "off-scale value")] == [1, 0, 0, 0, 0]  # the one "9" of examples/messy


def test_wide_when_the_groups_fit_long_when_not(messy):
    result = compute(messy, ["vendor"])
    smallest = next(w for w in range(40, 200) if side_by_side.fits(result, w))
    wide = printed(view(result, "auto", smallest), smallest)
    assert "KPIs by vendor" in wide and "vendor Acme BPO" not in wide
    assert max(len(line.rstrip()) for line in wide.splitlines()) <= smallest
    assert "…" not in wide  # no value cut
    for group in result.groups:
        assert format_measure(group.kpis["aht"].value, "seconds") in wide
    narrow = printed(view(result, "auto", smallest - 1), smallest - 1)
    assert "KPIs by vendor" not in narrow and "vendor Acme BPO" in narrow
    # asked for: either layout at any width
    assert "KPIs by vendor" in printed(view(result, "wide", 40), 40)
    assert "vendor Acme BPO" in printed(view(result, "long", 200), 200)


def test_one_group_is_shown_long(messy):
    result = compute(messy, [])
    assert printed(view(result, "auto", 200), 200).startswith("All contacts")
    assert markdown(result).startswith("| kpi | value |")


def test_several_dimensions_are_the_column_headers(messy):
    result = compute(messy, ["vendor", "channel"], kpis=["csat"])
    lines = markdown(result, "wide").splitlines()
    header = pipe_table(lines, lines.index("### KPIs by vendor · channel") + 2)[0]
    assert header[1:] == [f"{g.keys['vendor'] or '(none)'} · {g.keys['channel'] or '(none)'}" for g in result.groups]
    # more groups than a page holds: Markdown falls back to the long layout
    assert len(result.groups) > side_by_side.MARKDOWN_COLUMNS
    assert markdown(result).startswith("| vendor | channel | kpi |")
    table = printed(tables(result, wide_width=1000), 1000)
    header_lines = table.splitlines()[2:4]  # a header of two lines: the vendor, then the channel
    assert [line.split("┃")[2].strip() for line in header_lines] == ["Acme BPO", "chat"]
    # where the width is short, a name is wrapped at its spaces to the width of its cells
    result = compute(messy, ["vendor"], kpis=["csat"])
    smallest = next(w for w in range(20, 200) if side_by_side.fits(result, w))
    header_lines = printed(view(result, "auto", smallest), smallest).splitlines()[2:4]
    assert [line.split("┃")[2].strip() for line in header_lines] == ["Acme", "BPO"]


def test_periods_with_groups_give_one_table_per_period(messy):
    result = compute(messy, ["vendor"], period="quarter", kpis=["csat"])
    # undated rows (no period) come last, in a table of their own
    periods = sorted({g.keys["period"] for g in result.groups}, key=lambda p: (p is None, p or ""))
    text = markdown(result, "wide")
    shown = [f"period {p or '(none)'}" for p in periods]
    assert [line[4:] for line in text.splitlines() if line.startswith("### ")] == shown
    # each period's table has that period's vendors, with their values
    lines = text.splitlines()
    for period, heading in zip(periods, shown, strict=True):
        table = pipe_table(lines, lines.index(f"### {heading}") + 2)
        groups = [g for g in result.groups if g.keys["period"] == period]
        assert table[0][1:] == [g.keys["vendor"] or "(none)" for g in groups]
        assert [c.split(" (")[0] for c in table[1][1:]] == [format_measure(g.kpis["csat"].value, "%") for g in groups]


def test_periods_alone_are_the_columns(messy):
    result = compute(messy, [], period="quarter", kpis=["csat"])
    lines = markdown(result).splitlines()
    header = pipe_table(lines, lines.index("### KPIs by period") + 2)[0]
    assert header[1:] == [g.keys["period"] or "(none)" for g in result.groups]


def test_one_series_over_periods_has_the_periods_across(tmp_path):
    rows = ["ticket_id,created_at,vendor,csat", "1,2025-01-01T00:00:00Z,A,5", "2,2025-02-01T00:00:00Z,A,3"]
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = run("compute", "c.csv", "--by", "vendor", "--period", "month", "-k", "csat", "-f", "markdown", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "### vendor A"
    # one answer a month: 5 is satisfied (100 %), 3 is not (0 %)
    assert pipe_table(lines, 2) == [
        ["KPI", "2025-01", "2025-02"],
        ["Customer satisfaction", "100.0 % (n 1)", "0.00 % (n 1)"],
    ]


def test_names_from_the_data_cannot_break_the_views(tmp_path):
    rows = ["ticket_id,created_at,vendor,csat", "1,2025-01-01T00:00:00Z,A|B <b>,5", "2,2025-01-01T00:00:00Z,\x1b[2Jx,4"]
    (tmp_path / "c.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = run("compute", "c.csv", "--by", "vendor", "-f", "markdown", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "| KPI | \\\\x1b[2Jx | A\\|B &lt;b&gt; |" in proc.stdout  # sorted: ESC before "A"
    proc = run("compute", "c.csv", "--by", "vendor", cwd=tmp_path)
    assert "\x1b" not in proc.stdout and "\\x1b[2Jx" in proc.stdout and "KPIs by vendor" in proc.stdout


def test_layout_option(messy):
    wide = run("compute", "contacts.csv", "--by", "vendor", "-k", "csat", "--layout", "wide", cwd=messy)
    long = run("compute", "contacts.csv", "--by", "vendor", "-k", "csat", "--layout", "long", cwd=messy)
    assert wide.returncode == long.returncode == 0
    assert "KPIs by vendor" in wide.stdout and "vendor Acme BPO" in long.stdout
    bad = run("compute", "contacts.csv", "--layout", "tall", cwd=messy)
    assert bad.returncode == 2 and "--layout 'tall': expected one of auto, wide, long" in bad.stderr
    # JSON and CSV have no layout: the same numbers either way
    docs = [
        run("compute", "contacts.csv", "--by", "vendor", "-f", "json", "--layout", x, cwd=messy)
        for x in ("wide", "long")
    ]
    assert json.loads(docs[0].stdout)["groups"] == json.loads(docs[1].stdout)["groups"]
