"""Golden files for the views of ``clv``, ``forecast`` and ``compute --breaches``, byte for byte,
as the command line writes them (see tests/test_golden.py for how to regenerate them).

The inputs are the small data sets of tests/test_clv.py, tests/test_forecast.py and
tests/test_sla.py, not the bundled example, so that the files change only when a view does; a
vendor and a ticket named with a formula start, a pipe and markup check that every CSV and
Markdown view is written safely.
"""

from __future__ import annotations

import csv

import pytest
from test_clv import write_tiny
from test_forecast import calls, write_calls
from test_golden import _compare_with_golden
from test_sla import SLA_YAML
from typer.testing import CliRunner

from supportkpi import __version__
from supportkpi.cli import app

NAMED = "=Evil|Co <b>"
"""A vendor (and a ticket) whose name a spreadsheet would run and Markdown would render."""

CLV = ["clv", "contacts.csv", "--orders", "orders.csv"]
FORECAST = ["forecast", "calls.csv", "--by", "vendor"]
BREACHES = ["compute", "tickets.csv", "--config", "kpi.yaml", "--breaches", "--as-of", "2025-01-14T12:30:00Z"]
# case: the command's arguments (the report is written with --output)
COMMANDS = {
    "clv.table.txt": CLV,
    "clv.json": [*CLV, "-f", "json"],
    "clv.csv": [*CLV, "-f", "csv"],
    "clv.md": [*CLV, "-f", "markdown"],
    "clv_profit.md": [*CLV, "--lifespan-years", "2", "--margin", "0.3", "--after-contact", "-f", "markdown"],
    "forecast.table.txt": FORECAST,
    "forecast.json": [*FORECAST, "-f", "json"],
    "forecast.csv": [*FORECAST, "-f", "csv"],
    "forecast.md": [*FORECAST, "-f", "markdown"],
    "forecast_partial.table.txt": ["forecast", "partial.csv", "--kpi", "talk_time"],
    "forecast_partial.md": ["forecast", "partial.csv", "--kpi", "talk_time", "--horizon", "2", "-f", "markdown"],
    "breaches.table.txt": BREACHES,
    "breaches.json": [*BREACHES, "-f", "json"],
    "breaches.csv": [*BREACHES, "-f", "csv"],
    "breaches.md": [*BREACHES, "-f", "markdown"],
}

TICKETS = [
    ("ticket_id", "created_at", "priority", "channel", "first_response_at"),
    ("T1", "2025-01-13T08:00:00Z", "high", "chat", "2025-01-13T08:30:00Z"),
    ("T2", "2025-01-13T14:00:00Z", "high", "email", "2025-01-14T08:00:00Z"),
    (NAMED, "2025-01-13T09:00:00Z", "high", "email", "2025-01-13T13:30:00Z"),
    ("T4", "2025-01-10T16:00:00Z", "normal", "email", "2025-01-13T14:00:00Z"),
    ("T5", "2025-01-14T07:00:00Z", "high", "chat", ""),
]


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    write_tiny(tmp_path)
    rows = calls({1: 300, 2: 310, 3: 320, 4: 330, 5: 340}, "Acme")
    rows += calls({1: 200, 2: 200, 3: 200, 4: 200, 5: 200}, NAMED)
    rows += calls({3: 250, 4: 260, 5: 270}, "Gamma")
    rows += calls({1: 400, 2: 390, 4: 370, 5: 360}, "Delta")
    write_calls(tmp_path / "calls.csv", rows)
    write_calls(tmp_path / "partial.csv", calls({1: 300, 2: 310, 3: 320, 4: 330, 5: 340}, last_day_of_last_month=False))
    with (tmp_path / "tickets.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(TICKETS)
    (tmp_path / "kpi.yaml").write_text(SLA_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", sorted(COMMANDS))
def test_view_output(case, inputs):
    output = inputs / "report.out"
    result = CliRunner().invoke(app, [*COMMANDS[case], "--quiet", "--output", str(output)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    # the version in the forecast's JSON, pinned as in tests/test_golden.py
    text = text.replace(f'"supportkpi_version": "{__version__}"', '"supportkpi_version": "VERSION"')
    _compare_with_golden(case, text)
