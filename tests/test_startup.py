"""What starting the command loads, checked in a fresh interpreter by the modules it holds
afterwards (never by a time: speed is measured in ``benchmarks/``; docs/performance.md,
"Start-up").

``supportkpi --help`` loads none of the heavy dependencies, and a command loads the kpi.yaml
models, PyYAML and the engine only when it needs them. A command runs with the garbage
collector's start-up settings (:func:`supportkpi.cli.collecting_less`), undone afterwards."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import run

from supportkpi.cli import YOUNG_OBJECTS, collecting_less

SRC = Path(__file__).resolve().parents[1] / "src"
WATCHED = (
    "polars",
    "pydantic",
    "yaml",
    "jinja2",
    "numpy",
    "importlib.metadata",
    "supportkpi.config",
    "supportkpi.engine",
    "supportkpi.metrics",
)
PROBE = """
import sys
sys.argv = ["supportkpi", *sys.argv[1:]]
from supportkpi.cli import main
try:
    main()
except SystemExit:
    pass
print(" ".join(m for m in sys.modules if m in {watched!r} or m in ("typer", "supportkpi.cli")), file=sys.stderr)
"""


def loaded(*args: str, cwd: Path) -> set[str]:
    """The watched modules (and, as a sign the probe ran, typer and supportkpi.cli) that
    ``supportkpi ARGS`` holds when it ends."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    code = PROBE.format(watched=WATCHED)
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True)
    return set(proc.stderr.strip().splitlines()[-1].split())


@pytest.mark.parametrize("args", [("--help",), ()])
def test_help_loads_no_heavy_dependency(args, tmp_path):
    assert loaded(*args, cwd=tmp_path) == {"typer", "supportkpi.cli"}


def test_listing_the_kpis_loads_neither_the_kpi_yaml_models_nor_the_engine(tmp_path):
    # typer itself loads pydantic for any command; the KPI modules are polars expressions
    assert loaded("kpis", cwd=tmp_path) - {"pydantic", "importlib.metadata"} == {
        "typer",
        "supportkpi.cli",
        "polars",
        "supportkpi.metrics",
    }


def test_an_error_message_loads_no_view(tmp_path):
    """The one-line error escapes what came from the data without loading polars."""
    assert not {"polars", "supportkpi.engine", "yaml"} & loaded("compute", "missing.csv", "-f", "x", cwd=tmp_path)


def test_a_command_collects_garbage_less_often_and_restores_the_collector(tmp_path):
    before = gc.get_threshold(), gc.get_freeze_count()
    with collecting_less():
        assert gc.get_threshold()[0] == YOUNG_OBJECTS > before[0][0]
        assert gc.get_freeze_count() > 0  # what the imports made is not scanned again
    assert run("--version", cwd=tmp_path).returncode == 0  # main() runs under it, in-process here
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
