"""Running the real command line from tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, cwd: Path, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m supportkpi ARGS`` in ``cwd`` (a temporary directory, so the repository's own
    kpi.yaml is not picked up), without colour, on a 100-column "terminal"."""
    extra = env or {}
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env.pop("GITHUB_STEP_SUMMARY", None)
    env.update({"NO_COLOR": "1", "COLUMNS": "100", **extra})
    return subprocess.run(
        [sys.executable, "-m", "supportkpi", *map(str, args)],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
