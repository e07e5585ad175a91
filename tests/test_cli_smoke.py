"""End-to-end smoke tests of the real command (``python -m supportkpi`` in a subprocess); the
other CLI tests run it in-process (``cli_support.run``), which these also check against."""

from __future__ import annotations

import os
from pathlib import Path

from cli_support import run

EXAMPLES = Path(__file__).parents[1] / "examples"
CONTACTS = str(EXAMPLES / "contacts.csv")


def test_in_process_and_subprocess_print_the_same(tmp_path):
    args = ("compute", CONTACTS, "--by", "vendor", "-k", "csat,aht", "--config", str(EXAMPLES / "kpi.yaml"))
    inside, outside = run(*args, cwd=tmp_path), run(*args, cwd=tmp_path, subprocess=True)
    assert (inside.returncode, inside.stdout, inside.stderr) == (outside.returncode, outside.stdout, outside.stderr)
    assert inside.returncode == 0 and "Acme BPO" in inside.stdout


def test_exit_codes_and_one_line_errors_without_traceback(tmp_path):
    usage = run("compute", CONTACTS, "--period", "fortnight", cwd=tmp_path, subprocess=True)
    assert usage.returncode == 2 and usage.stdout == "" and "Traceback" not in usage.stderr
    assert usage.stderr.strip().splitlines() == [usage.stderr.strip()]
    (tmp_path / "bad.csv").write_text("ticket_id,created_at\nT1,not-a-date\n")
    data = run("compute", "bad.csv", "--strict", cwd=tmp_path, subprocess=True)
    assert data.returncode == 3 and data.stdout == "" and "Traceback" not in data.stderr
    assert data.stderr.strip().splitlines()[-1].startswith("supportkpi: error: ")
    missing = run("validate", "nope.csv", cwd=tmp_path, subprocess=True)
    assert missing.returncode == 2 and "nope.csv" in missing.stderr and "Traceback" not in missing.stderr


def test_standard_input_and_version(tmp_path):
    piped = run(
        "compute",
        "-",
        "-k",
        "ticket_volume",
        "-f",
        "csv",
        cwd=tmp_path,
        subprocess=True,
        stdin="ticket_id,created_at\nT1,2025-01-06T09:00:00Z\nT2,2025-01-06T10:00:00Z\n",
    )
    assert piped.returncode == 0 and ",2" in piped.stdout, piped.stderr
    version = run("--version", cwd=tmp_path, subprocess=True)
    assert version.returncode == 0 and version.stdout.startswith("supportkpi ")


def test_debug_after_the_command_shows_the_traceback(tmp_path):
    for args in (("--debug", "compute", "nope.csv"), ("compute", "nope.csv", "--debug")):
        proc = run(*args, cwd=tmp_path, subprocess=True)
        assert proc.returncode == 2 and "Traceback" in proc.stderr, args
        assert proc.stderr.strip().splitlines()[-1] == "supportkpi: error: nope.csv: no such file"


def test_shell_completion_is_offered(tmp_path):
    proc = run("--help", cwd=tmp_path)
    assert "--install-completion" in proc.stdout and "--show-completion" in proc.stdout


def test_in_process_runs_leave_no_state_behind(tmp_path):
    from supportkpi import cli

    before = (os.getcwd(), dict(os.environ), dict(cli._state))
    proc = run("--debug", "compute", "nope.csv", cwd=tmp_path, env={"SUPPORTKPI_TEST_ONLY": "1"})
    assert proc.returncode == 2 and "Traceback" in proc.stderr
    assert (os.getcwd(), dict(os.environ), dict(cli._state)) == before
    quiet = run("compute", "nope.csv", cwd=tmp_path)
    assert "Traceback" not in quiet.stderr  # --debug of the run before does not carry over
