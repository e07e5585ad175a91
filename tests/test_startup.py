"""What starting the command loads, checked in a fresh interpreter by the modules it holds
afterwards (never by a time: speed is measured in ``benchmarks/``; docs/performance.md,
"Start-up").

``supportkpi --help`` loads none of the heavy dependencies, and a command loads the kpi.yaml
models, PyYAML and the engine only when it needs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
