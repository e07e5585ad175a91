"""Hostile input against what the tool writes and shows (issue 17): no output may destroy a file
the run reads, every file is written all at once or not at all, and nothing from the data
reaches a terminal raw (contract: docs/cli-conventions.md, "Errors and exit codes" in the
README).

Every test checks that the inputs are byte for byte what they were before the run."""

from __future__ import annotations

import errno
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cli_support import run
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi import files
from supportkpi.errors import DataError, UsageError
from supportkpi.render.formatting import LIMIT, printable

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HEADER = "ticket_id,created_at,vendor,channel,csat\n"
ROWS = [
    "T1,2025-01-06T09:00:00Z,Acme,email,5\n",
    "T2,2025-01-06T12:00:00Z,Acme,chat,4\n",
    "T3,2025-01-20T08:00:00Z,Beta,email,1\n",
]
CONFIG = "version: 1\ntargets:\n  - kpi: csat\n    warn: 60\n    fail: 40\n"
# what a terminal would act on: C0 but the line break, DEL, C1, bidirectional overrides
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def folder(tmp_path: Path):
    """A folder with an export and a kpi.yaml, checked byte for byte after the test."""
    (tmp_path / "data.csv").write_text(HEADER + "".join(ROWS), encoding="utf-8")
    (tmp_path / "kpi.yaml").write_text(CONFIG, encoding="utf-8")
    before = _snapshot(tmp_path)
    yield tmp_path
    after = _snapshot(tmp_path)
    assert {k: after.get(k) for k in before} == before, "an input was changed"
    assert not [name for name in after if name.endswith(".tmp")], "a temporary file was left behind"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def assert_refused(proc, *names: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("supportkpi: error: "), proc.stderr
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


# -- never destroy a file the run reads -------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "markdown"])
def test_output_onto_the_input_is_refused(folder, fmt):
    line = assert_refused(run("compute", "data.csv", "-f", fmt, "-o", "data.csv", cwd=folder), "data.csv")
    assert "--output data.csv" in line and "input" in line


def test_output_onto_the_kpi_yaml_in_use_is_refused(folder):
    # named with --config, and found in the current directory without it
    assert_refused(run("compute", "data.csv", "-c", "kpi.yaml", "-o", "kpi.yaml", cwd=folder), "kpi.yaml")
    assert_refused(run("scorecard", "data.csv", "-f", "csv", "-o", "./kpi.yaml", cwd=folder), "kpi.yaml")
    env = {"SUPPORTKPI_CONFIG": str(folder / "kpi.yaml")}
    (folder / "sub").mkdir()
    assert_refused(run("check", "../data.csv", "-o", "../kpi.yaml", cwd=folder / "sub", env=env), "kpi.yaml")


def test_output_through_links_is_refused(folder):
    (folder / "link.csv").symlink_to("data.csv")
    os.link(folder / "data.csv", folder / "hard.csv")
    assert_refused(run("compute", "data.csv", "-o", "link.csv", cwd=folder), "link.csv", "data.csv")
    assert_refused(run("compute", "link.csv", "-f", "csv", "-o", "data.csv", cwd=folder), "link.csv", "data.csv")
    assert_refused(run("compute", "data.csv", "-f", "json", "-o", "hard.csv", cwd=folder), "hard.csv", "data.csv")
    (folder / "conf").mkdir()
    (folder / "conf" / "settings.yaml").symlink_to("../kpi.yaml")
    assert_refused(run("check", "data.csv", "-c", "conf/settings.yaml", "-o", "kpi.yaml", cwd=folder), "kpi.yaml")


def test_output_onto_a_globbed_input_is_refused(folder):
    shutil.copy(folder / "data.csv", folder / "more.csv")
    assert_refused(run("compute", "*.csv", "-f", "csv", "-o", "more.csv", cwd=folder), "more.csv")
    assert (folder / "more.csv").read_bytes() == (folder / "data.csv").read_bytes()


def test_junit_onto_an_input_is_refused(folder):
    assert_refused(run("check", "data.csv", "--junit", "data.csv", cwd=folder), "--junit data.csv")
    assert_refused(run("check", "data.csv", "--junit", "kpi.yaml", cwd=folder), "--junit kpi.yaml")


def test_two_outputs_onto_one_file_are_refused(folder):
    line = assert_refused(
        run("check", "data.csv", "-f", "junit", "-o", "report.xml", "--junit", "./report.xml", cwd=folder),
        "report.xml",
    )
    assert "--junit" in line and "--output" in line
    assert not (folder / "report.xml").exists()
    summary = folder / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    assert_refused(run("check", "data.csv", "-f", "github", "-o", "summary.md", cwd=folder, env=env), "summary.md")
    assert not summary.exists()


def test_compare_sides_and_benchmark_are_inputs(folder):
    shutil.copy(folder / "data.csv", folder / "b.csv")
    assert_refused(run("compare", "A=data.csv", "B=b.csv", "-o", "b.csv", cwd=folder), "b.csv")
    (folder / "bench.yaml").write_text("not: a benchmark\n", encoding="utf-8")
    assert_refused(
        run("compare", "data.csv", "--by", "vendor", "--benchmark", "bench.yaml", "-o", "bench.yaml", cwd=folder),
        "bench.yaml",
    )


def test_clv_orders_file_is_an_input(tmp_path):
    shutil.copy(EXAMPLES / "contacts.csv", tmp_path / "contacts.csv")
    shutil.copy(EXAMPLES / "orders.csv", tmp_path / "orders.csv")
    before = (tmp_path / "orders.csv").read_bytes()
    proc = run("clv", "contacts.csv", "--orders", "orders.csv", "-f", "csv", "-o", "orders.csv", cwd=tmp_path)
    assert_refused(proc, "--orders", "orders.csv")
    assert (tmp_path / "orders.csv").read_bytes() == before


def test_other_outputs_still_work(folder):
    """Refusing is for files the run reads: a new file, a link to one, /dev/null are written."""
    (folder / "report.csv").symlink_to("real.csv")
    proc = run("compute", "data.csv", "-k", "csat", "-f", "csv", "-o", "report.csv", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert (folder / "report.csv").is_symlink()  # the link stays a link; its target is written
    assert (folder / "real.csv").read_text(encoding="utf-8").startswith("kpi,value")
    proc = run("check", "data.csv", "-o", "card.txt", "--junit", "card.xml", cwd=folder)
    assert proc.returncode == 1, proc.stderr  # Beta's csat 0 % fails
    assert (folder / "card.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert run("compute", "data.csv", "-f", "json", "-o", os.devnull, cwd=folder).returncode == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # written to, not replaced by a file


# -- every file written all at once ----------------------------------------------------


def test_replacing_a_report_keeps_its_permissions(folder):
    report = folder / "report.csv"
    report.write_text("previous\n", encoding="utf-8")
    report.chmod(0o640)
    assert run("compute", "data.csv", "-f", "csv", "-o", "report.csv", cwd=folder).returncode == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert report.read_text(encoding="utf-8").startswith("kpi,value")


@pytest.mark.parametrize("where", ["fsync", "write"])
def test_a_write_failing_midway_leaves_the_previous_file(folder, monkeypatch, where):
    report = folder / "report.md"
    report.write_bytes(b"# the previous report\n")
    real_write = os.write

    def disk_full(fd, data=b""):
        if where == "write":
            real_write(fd, bytes(data)[: len(data) // 2])  # half of it lands, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    # only the temporary report fails: the test's own streams are no file descriptors here
    monkeypatch.setattr(files.os, where, disk_full)
    proc = run("compute", "data.csv", "-f", "markdown", "-o", "report.md", cwd=folder)
    monkeypatch.undo()
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert "report.md" in line and "No space left on device" in line and "previous file is unchanged" in line
    assert report.read_bytes() == b"# the previous report\n"


def test_a_file_size_limit_leaves_the_previous_file(folder):
    """A real limit (ulimit -f): the kernel stops the write midway with EFBIG (Python ignores
    SIGXFSZ), in a process of its own."""
    report = folder / "report.csv"
    report.write_bytes(b"previous\n")
    limit = 200  # bytes; the report is longer

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(
        [sys.executable, "-m", "supportkpi", "compute", "data.csv", "--by", "vendor", "-f", "csv", "-o", "report.csv"],
        cwd=folder,
        env={**os.environ, "NO_COLOR": "1"},
        preexec_fn=limited,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 3, proc.stderr
    assert "report.csv" in proc.stderr and "file-size limit" in proc.stderr and "Traceback" not in proc.stderr
    assert report.read_bytes() == b"previous\n"


def test_an_unwritable_folder_is_exit_3(folder, monkeypatch):
    """Permission denied (faked: the tests may run as root, who may write anywhere)."""
    real_open = os.open

    def denied(path, flags, mode=0o777, **kw):
        if str(path).endswith(".tmp"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(files.os, "open", denied)
    proc = run("compute", "data.csv", "-f", "json", "-o", "out/report.json", cwd=folder)
    assert proc.returncode == 3  # the folder is missing
    (folder / "out").mkdir()
    proc = run("compute", "data.csv", "-f", "json", "-o", "out/report.json", cwd=folder)
    monkeypatch.undo()
    assert proc.returncode == 3, proc.stderr
    assert "Permission denied" in proc.stderr and "Traceback" not in proc.stderr
    assert list((folder / "out").iterdir()) == []


def test_a_read_only_report_is_not_replaced(folder):
    if os.geteuid() == 0:
        pytest.skip("root may write a read-only file")
    report = folder / "report.csv"
    report.write_bytes(b"keep me\n")
    report.chmod(0o444)
    proc = run("compute", "data.csv", "-f", "csv", "-o", "report.csv", cwd=folder)
    assert proc.returncode == 3 and report.read_bytes() == b"keep me\n"


def test_write_atomically_refuses_an_existing_file_without_overwrite(tmp_path):
    target = tmp_path / "kpi.yaml"
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        files.write_atomically(target, "new\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kpi.yaml"]
    files.write_atomically(tmp_path / "new.yaml", b"new\n", overwrite=False)
    assert (tmp_path / "new.yaml").read_bytes() == b"new\n"
    with pytest.raises(UsageError, match="cannot write it"):
        files.write_atomically(tmp_path / "none" / "x", "x", failure=UsageError)
    with pytest.raises(DataError, match="a directory"):
        files.write_atomically(tmp_path, "x")


def test_init_force_replaces_atomically(tmp_path, monkeypatch):
    target = tmp_path / "kpi.yaml"
    target.write_text("version: 1\n# mine\n", encoding="utf-8")
    monkeypatch.setattr(files.os, "replace", _fail_replace)
    proc = run("init", "--force", cwd=tmp_path)
    monkeypatch.undo()
    assert proc.returncode == 2 and "Traceback" not in proc.stderr  # init: any failure is exit 2
    assert target.read_text(encoding="utf-8") == "version: 1\n# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kpi.yaml"]


def _fail_replace(source, target):
    raise OSError(errno.EIO, os.strerror(errno.EIO))


# -- nothing from the data reaches a terminal raw ---------------------------------------

EVIL = "Evil\x1b]0;owned\x07\x1b[31mCo\u202e\x9b2J"


def _evil_export(folder: Path) -> None:
    rows = [row.replace("Acme", EVIL) for row in ROWS]
    rows.append("T4,not\x1b[2Ja date,Beta,email,4\n")
    (folder / "evil.csv").write_text(HEADER + "".join(rows), encoding="utf-8")


def test_escape_sequences_in_a_vendor_name_are_shown_escaped(folder):
    _evil_export(folder)
    proc = run("compute", "evil.csv", "--by", "vendor", "-k", "csat", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert not RAW_CONTROL.search(proc.stdout), proc.stdout
    assert not RAW_CONTROL.search(proc.stderr), proc.stderr
    assert "Evil\\x1b]0;owned\\x07\\x1b[31mCo\\u202e\\x9b2J" in proc.stdout  # a column's header
    long = run("compute", "evil.csv", "--by", "vendor", "-k", "csat", "--layout", "long", cwd=folder)
    assert not RAW_CONTROL.search(long.stdout), long.stdout
    assert "vendor Evil\\x1b]0;owned\\x07\\x1b[31mCo\\u202e\\x9b2J" in long.stdout
    assert "'not\\x1b[2Ja date'" in proc.stderr  # the finding's example, on stderr
    for command in (["scorecard", "evil.csv"], ["compare", "evil.csv", "--by", "vendor", "-k", "csat"]):
        proc = run(*command, cwd=folder)
        assert proc.returncode in (0, 1), proc.stderr
        assert not RAW_CONTROL.search(proc.stdout + proc.stderr), command
        assert "Evil\\x1b" in proc.stdout


def test_escape_sequences_in_validate_findings(folder):
    """In the file name, a header and a value of the findings."""
    _evil_export(folder)
    lines = (folder / "evil.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [lines[0].replace("\n", ",note\x1b[5m\n"), *(line.replace("\n", ",x\n") for line in lines[1:])]
    (folder / "evil\x1b7.csv").write_text("".join(lines), encoding="utf-8")
    proc = run("validate", "evil\x1b7.csv", cwd=folder, env={"COLUMNS": "250"})
    assert proc.returncode == 1, proc.stderr
    assert not RAW_CONTROL.search(proc.stdout + proc.stderr), proc.stdout
    assert "not\\x1b[2Ja date" in proc.stdout and "note\\x1b[5m" in proc.stdout and "evil\\x1b7.csv" in proc.stdout


def test_escape_sequences_in_error_messages(folder):
    proc = run("compute", "no\x1b[31mpe.csv", cwd=folder)
    assert proc.returncode == 2 and not RAW_CONTROL.search(proc.stderr)
    assert "no\\x1b[31mpe.csv" in proc.stderr
    proc = run("compute", "data.csv", "--by", "ven\x1b[8mdor", cwd=folder)
    assert proc.returncode == 2 and not RAW_CONTROL.search(proc.stderr)
    assert "ven\\x1b[8mdor" in proc.stderr


def test_binary_junk_in_an_error_is_escaped_and_shortened(folder):
    junk = bytes(range(256)) * 40 + b"\x00" * 5000
    (folder / "junk.csv").write_bytes(b"\x1b[2J" + junk + b"\n" + junk + b"\n")
    proc = run("compute", "junk.csv", cwd=folder)
    assert proc.returncode in (2, 3), proc.stderr
    assert "Traceback" not in proc.stderr and not RAW_CONTROL.search(proc.stderr)
    assert all(len(line) < LIMIT + 200 for line in proc.stderr.splitlines())


def test_formula_like_column_name_is_neutralised_in_the_csv_header(folder):
    name = "=HYPERLINK(A1)"
    header = HEADER.replace("channel", name)
    (folder / "formula.csv").write_text(header + "".join(ROWS), encoding="utf-8")
    proc = run("compute", "formula.csv", "--by", name, "-k", "csat", "-f", "csv", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.startswith("'=HYPERLINK(A1),kpi,"), first
    assert json.loads(run("compute", "formula.csv", "--by", name, "-f", "json", cwd=folder).stdout)["groups"][0][
        "keys"
    ] == {name: "chat"}  # JSON keeps the data as it is


def test_markdown_cells_cannot_break_the_table(folder):
    rows = [row.replace("Acme", '"Ac|me\nBPO\x1b[1m"') for row in ROWS]
    (folder / "pipes.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    proc = run("compute", "pipes.csv", "--by", "vendor", "-k", "csat", "-f", "markdown", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    table = [line for line in proc.stdout.splitlines() if line.startswith("|")]
    columns = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
    assert len(columns) == 1, table  # every row has as many cells as the header
    assert "Ac\\|me BPO\\\\x1b[1m" in proc.stdout and not RAW_CONTROL.search(proc.stdout)


def test_html_escapes_names_from_the_data(folder):
    rows = [row.replace("Acme", "<script>alert(1)</script>") for row in ROWS]
    (folder / "html.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    proc = run("scorecard", "html.csv", "-f", "html", cwd=folder)
    assert proc.returncode == 0, proc.stderr
    assert "<script>alert" not in proc.stdout and "&lt;script&gt;alert(1)&lt;/script&gt;" in proc.stdout


@given(st.text())
def test_printable_leaves_no_control_character(text):
    shown = printable(text, one_line=True)
    assert not RAW_CONTROL.search(shown) and "\n" not in shown
    if not RAW_CONTROL.search(text) and "\n" not in text and "\r" not in text and "\u2028" not in text:
        assert shown == text or any(c in text for c in "\u061c\u200e\u200f\u2029\ufeff")


@settings(max_examples=50, deadline=None)  # each example syncs a file to disk: its time is the disk's
@given(st.binary(max_size=3000), st.binary(max_size=3000), st.integers(min_value=0, max_value=3000))
def test_a_write_failing_anywhere_keeps_the_previous_file(previous, new, fail_at):
    """Whatever the content and wherever the disk fills up, the old file stays whole and no
    temporary file is left; a write that does not fail leaves exactly the new content."""
    real_write = os.write
    written = [0]

    def filling(fd, data):
        room = fail_at - written[0]
        if room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real_write(fd, bytes(data)[:room])
        written[0] += n
        return n

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        target = Path(folder) / "report.bin"
        target.write_bytes(previous)
        patch.setattr(files.os, "write", filling)
        try:
            files.write_atomically(target, new)
            failed = False
        except DataError as error:
            failed = True
            assert "No space left on device" in str(error)
        patch.undo()
        assert target.read_bytes() == (previous if failed else new)
        assert failed == (len(new) > fail_at)
        assert [p.name for p in Path(folder).iterdir()] == ["report.bin"]


def test_no_overwrite_without_hard_links(tmp_path, monkeypatch):
    """A file system without hard links: the file is created exclusively, then filled."""

    def no_links(source, target):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(files.os, "link", no_links)
    files.write_atomically(tmp_path / "kpi.yaml", "version: 1\n", overwrite=False)
    assert (tmp_path / "kpi.yaml").read_text(encoding="utf-8") == "version: 1\n"
    with pytest.raises(FileExistsError):
        files.write_atomically(tmp_path / "kpi.yaml", "other\n", overwrite=False)
    assert (tmp_path / "kpi.yaml").read_text(encoding="utf-8") == "version: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kpi.yaml"]
