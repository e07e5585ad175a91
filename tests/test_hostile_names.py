"""Names from the data in ``compare``, ``check``, ``compute --breaches`` and the GitHub annotations
(issue 17): an escape sequence, a bidirectional override or a line break in a vendor name is
shown as a visible escape on one line, never written raw to a terminal or a CI log, and never
ends a workflow command or starts another one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_support import run

from supportkpi.render.github import command

EVIL = "Evil\x1b]0;owned\x07\x1b[31mCo\nline2\u202e\r::error::x"
SHOWN = "Evil\\x1b]0;owned\\x07\\x1b[31mCo line2\\u202e ::error::x"
"""How the tables show it: controls escaped, the line breaks spaces."""
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONFIG = """\
version: 1
sla:
  - name: first_reply
    metric: first_response_time
    targets:
      - {hours: 1}
targets:
  - kpi: csat
    warn: 99
    fail: 98
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    quoted = '"' + EVIL + '"'
    rows = ["ticket_id,created_at,first_response_at,vendor,channel,csat\n"]
    for i in range(12):
        vendor = quoted if i % 2 else "Beta"
        # every contact answered after 2 h: a breach of the 1 h policy
        rows.append(f"T{i},2025-01-06T{8 + i:02d}:00:00Z,2025-01-06T{10 + i:02d}:00:00Z,{vendor},email,{1 + i % 5}\n")
    (tmp_path / "evil.csv").write_text("".join(rows), encoding="utf-8")
    (tmp_path / "kpi.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def _clean(ran) -> str:
    assert ran.returncode in (0, 1), ran.stderr
    assert not RAW_CONTROL.search(ran.stdout), ran.stdout
    assert not RAW_CONTROL.search(ran.stderr), ran.stderr
    return ran.stdout


def _lines_with(text: str, part: str) -> list[str]:
    return [line for line in text.splitlines() if part in line]


@pytest.mark.parametrize(
    "args",
    [
        ["check", "evil.csv", "--by", "vendor"],
        ["compute", "evil.csv", "--breaches"],
    ],
)
def test_table_views_show_the_name_escaped_on_one_line(folder, args):
    out = _clean(run(*args, cwd=folder, env={"COLUMNS": "250"}))
    lines = _lines_with(out, "Evil")
    assert lines and all(SHOWN in line for line in lines), out


def test_compare_table_shows_the_side_escaped(folder):
    out = _clean(run("compare", "evil.csv", "--by", "vendor", "-k", "csat", cwd=folder, env={"COLUMNS": "250"}))
    assert _lines_with(out, "Evil") and not _lines_with(out, "line2\\u202e is better"), out
    # the side's name and its verdict, each on one line of the table
    assert all(SHOWN in line for line in _lines_with(out, "Evil")), out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "evil.csv", "--by", "vendor", "-f", "markdown"],
        ["compare", "evil.csv", "--by", "vendor", "-k", "csat", "-f", "markdown"],
        ["compute", "evil.csv", "--breaches", "-f", "markdown"],
    ],
)
def test_markdown_views_escape_the_name(folder, args):
    out = _clean(run(*args, cwd=folder))
    assert "Evil\\\\x1b]0;owned\\\\x07\\\\x1b[31mCo" in out, out


def test_github_annotations_escape_the_name(folder):
    out = _clean(run("check", "evil.csv", "--by", "vendor", "-f", "github", cwd=folder))
    lines = out.splitlines()
    # one workflow command per failing vendor, and nothing from the name starts another one
    assert all(line.startswith("::error file=kpi.yaml,line=8,title=FAIL csat") for line in lines), out
    assert len(lines) == 2, out
    (evil,) = _lines_with(out, "Evil")
    title, message = evil.split("::")[1], evil.split("::", 2)[2]
    assert "vendor=Evil\\x1b]0%3Bowned" not in title  # ; is no property separator: kept
    # controls escaped; line breaks, ":" and "," by GitHub's rules (%0A, %0D, %3A in a property)
    assert "title=FAIL csat · vendor=Evil\\x1b]0;owned\\x07\\x1b[31mCo%0Aline2\\u202e%0D%3A%3Aerror%3A%3Ax" in title
    assert message.startswith("vendor=Evil\\x1b]0;owned\\x07\\x1b[31mCo%0Aline2\\u202e%0D::error::x: csat"), message


def test_workflow_command_escapes_by_githubs_rules():
    line = command("warning", "50%\r\nnext\x1b[2J", file="a,b:c.yaml", title="x\ny%")
    assert line == "::warning file=a%2Cb%3Ac.yaml,title=x%0Ay%25::50%25%0D%0Anext\\x1b[2J"
    assert "\n" not in line and not RAW_CONTROL.search(line)
