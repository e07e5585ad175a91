"""``supportkpi init``: the starter kpi.yaml is written, valid, complete, and never overwrites a file
without ``--force`` (exit codes: docs/cli-conventions.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import run

from supportkpi.config import parse_config
from supportkpi.targets import build_checks

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "contacts.csv"

REQUIRED_TARGETS = {
    "csat",
    "first_response_time",
    "resolution_time",
    "aht",
    "asa",
    "service_level",
    "abandonment_rate",
    "fcr_rate",
    "reopen_rate",
    "nps",
    "sla_compliance.first_reply",
    "sla_compliance.resolution",
}


def test_init_writes_a_valid_starter(tmp_path: Path) -> None:
    result = run("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "supportkpi: wrote kpi.yaml (edit the targets, then: supportkpi check EXPORT --config kpi.yaml)"
    )
    text = (tmp_path / "kpi.yaml").read_text(encoding="utf-8")
    assert "{{" not in text and "}}" not in text

    config = parse_config(text, "kpi.yaml")
    assert config.version == 1
    assert config.timezone == "UTC"
    calendar = config.calendars["default"]
    assert calendar.timezone == "UTC"
    assert calendar.hours == {"weekdays": ["09:00-18:00"]}
    assert calendar.holidays is not None and calendar.holidays.country == "US"

    policies = {p.name: p for p in config.sla}
    assert set(policies) == {"first_reply", "resolution"}
    first = policies["first_reply"]
    assert (first.metric, first.clock) == ("first_response_time", "business")
    assert [(t.priority, t.seconds) for t in first.targets] == [("urgent", 3600), ("high", 4 * 3600), (None, 8 * 3600)]
    resolution = policies["resolution"]
    assert (resolution.metric, resolution.clock) == ("resolution_time", "business")
    assert [(t.priority, t.seconds) for t in resolution.targets] == [("urgent", 8 * 3600), (None, 48 * 3600)]

    checks = build_checks(config)
    assert len(checks) == len(config.targets)
    by_kpi = {c.kpi: c for c in checks}
    assert REQUIRED_TARGETS <= set(by_kpi)
    # a few levels, in the KPI's unit
    assert (by_kpi["csat"].levels.warn, by_kpi["csat"].levels.fail, by_kpi["csat"].levels.min_sample) == (85, 80, 30)
    assert (by_kpi["first_response_time"].levels.warn, by_kpi["first_response_time"].levels.fail) == (4, 8)
    chat = by_kpi["first_response_time"].levels_for({"channel": "chat"})[0]
    assert (chat.warn * 60, chat.fail * 60) == pytest.approx((2, 5))  # minutes
    assert (by_kpi["service_level"].levels.warn, by_kpi["service_level"].levels.fail) == (80, 70)
    assert (by_kpi["abandonment_rate"].levels.warn, by_kpi["abandonment_rate"].levels.fail) == (5, 8)
    assert by_kpi["aht"].unit == "seconds"
    for name in ("sla_compliance.first_reply", "sla_compliance.resolution"):
        assert (by_kpi[name].levels.warn, by_kpi[name].levels.fail, by_kpi[name].weight) == (95, 90, 2)


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "kpi.yaml"
    target.write_text("version: 1\n# mine\n", encoding="utf-8")
    result = run("init", cwd=tmp_path)
    assert result.returncode == 2
    assert target.read_text(encoding="utf-8") == "version: 1\n# mine\n"
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "kpi.yaml" in message and "--force" in message
    assert "Traceback" not in result.stderr


def test_init_force_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "kpi.yaml"
    target.write_text("version: 1\n# mine\n", encoding="utf-8")
    result = run("init", "--force", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "# mine" not in text
    assert parse_config(text).targets


def test_init_path_argument(tmp_path: Path) -> None:
    result = run("init", "conf/support.yaml", cwd=tmp_path)
    assert result.returncode == 2  # the directory does not exist: the OS reason, one line
    assert "conf/support.yaml" in result.stderr and "No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr

    (tmp_path / "conf").mkdir()
    result = run("init", "conf/support.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "--config conf/support.yaml" in result.stderr
    assert parse_config((tmp_path / "conf" / "support.yaml").read_text(encoding="utf-8")).targets
    assert not (tmp_path / "kpi.yaml").exists()


def test_init_timezone_and_country(tmp_path: Path) -> None:
    result = run("init", "--timezone", "Europe/Berlin", "--country", "de", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "kpi.yaml").read_text(encoding="utf-8")
    assert "Europe/Berlin" in text
    config = parse_config(text)
    assert config.timezone == "Europe/Berlin"
    assert config.calendars["default"].timezone == "Europe/Berlin"
    assert config.calendars["default"].holidays.country == "DE"


def test_init_country_no_stays_a_string(tmp_path: Path) -> None:
    # Norway's code is a YAML 1.1 boolean when unquoted
    result = run("init", "--country", "NO", "--timezone", "Europe/Oslo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config = parse_config((tmp_path / "kpi.yaml").read_text(encoding="utf-8"))
    assert config.calendars["default"].holidays.country == "NO"


@pytest.mark.parametrize(
    ("args", "word"),
    [(["--timezone", "Mars/Olympus"], "--timezone"), (["--country", "XX"], "--country")],
)
def test_init_bad_zone_or_country(tmp_path: Path, args: list[str], word: str) -> None:
    result = run("init", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert word in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "kpi.yaml").exists()


def test_check_runs_on_the_starter(tmp_path: Path) -> None:
    assert run("init", cwd=tmp_path).returncode == 0
    result = run("check", EXAMPLE, "--config", "kpi.yaml", cwd=tmp_path)
    # 0 pass, 1 a fail, 4 only warnings: a verdict on the data, never a config or data error
    assert result.returncode in (0, 1, 4), result.stderr
