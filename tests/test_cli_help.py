"""``--help`` as a person reads it: values named by their metavars (no Typer type placeholders
such as ``<bool>``, ``<list[str]>`` or ``{files}...``), and examples that run.

Every example command shown in a command's help is run here, in a directory holding copies of
the bundled example files, and must exit 0 or a code its description names ("exits 1 when a
target fails"). The figures of the example data are not checked: only that a report is made.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer.main
from cli_support import run

from supportkpi import __version__
from supportkpi.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_FILES = ("contacts.csv", "kpi.yaml", "orders.csv")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
WIDEST_EXAMPLE = 94
"""Longest example command line: in a 100-column terminal the help has a column of padding on
each side and indents the command by two, so a longer one would wrap."""


def examples_of(name: str) -> list[tuple[str, str]]:
    """(description, command line) pairs of a command's "Examples:" block."""
    lines = (COMMANDS[name].epilog or "").splitlines()
    return [
        (what.rstrip(":"), command.strip())
        for what, command in zip(lines, lines[1:])
        if command.startswith("  supportkpi ")
    ]


EXAMPLES = [example for name in sorted(COMMANDS) for example in examples_of(name)]


def allowed_exit_codes(what: str) -> set[int]:
    """0, and the codes a description names in its parenthesis "(exits 1 ..., 4 ...)".

    >>> sorted(allowed_exit_codes("Judge (exits 1 on a failure, 4 on warnings only)"))
    [0, 1, 4]
    """
    named = re.search(r"\((exits? [^)]*)\)", what)
    return {0} | ({int(d) for d in re.findall(r"\b\d\b", named.group(1))} if named else set())


@pytest.mark.parametrize("name", ["", *sorted(COMMANDS)])
def test_help_names_values_by_their_metavars(name, tmp_path):
    proc = run(*([name] if name else []), "--help", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "Usage:" in text
    for odd in ("<bool>", "<list", "{"):
        assert odd not in text, f"{name or 'supportkpi'} --help shows {odd}"
    # no other Typer type placeholder either (<str>, <path>, <int>, <float>, <int range>)
    assert re.findall(r"<[a-z][a-z\[\], ]*>", text) == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_shows_examples(name):
    assert (COMMANDS[name].epilog or "").startswith("Examples:")
    assert examples_of(name), f"{name}: no example command in its help"
    for _, command in examples_of(name):
        assert len(command) <= WIDEST_EXAMPLE, command


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"init"}))
def test_every_command_that_prints_takes_no_color(name, tmp_path):
    assert "--no-color" in run(name, "--help", cwd=tmp_path).stdout


@pytest.mark.parametrize(("what", "command"), EXAMPLES, ids=[command for _, command in EXAMPLES])
def test_example_runs(what, command, tmp_path):
    (tmp_path / "examples").mkdir()
    for file in EXAMPLE_FILES:
        shutil.copy(ROOT / "examples" / file, tmp_path / "examples" / file)
    before = set(tmp_path.rglob("*"))
    program, *args = shlex.split(command)
    assert program == "supportkpi"
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode in allowed_exit_codes(what), f"{command}: exit {proc.returncode}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    written = set(tmp_path.rglob("*")) - before
    assert proc.stdout.strip() or written, f"{command}: no output"


@pytest.mark.parametrize("flag", ["--version", "--debug"])
def test_program_flags_after_the_command(flag, tmp_path):
    if flag == "--version":
        proc = run("kpis", "--version", cwd=tmp_path)
        assert (proc.returncode, proc.stdout) == (0, f"supportkpi {__version__}\n")
    else:
        proc = run("compute", tmp_path / "missing.csv", "--debug", cwd=tmp_path)
        assert proc.returncode == 2 and "Traceback" in proc.stderr
