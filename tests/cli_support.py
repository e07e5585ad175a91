"""Running the command line from tests: in this process by default (the suite's time went to
starting Python and importing polars for every command), or as ``python -m supportkpi`` in a
subprocess for the end-to-end smoke tests and for bounded runs, which restart themselves."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path


@dataclass
class Ran:
    """What a run printed and its exit code, as :class:`subprocess.CompletedProcess` has them."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def run(
    *args: str, cwd: Path, stdin: str | None = None, env: dict | None = None, subprocess: bool | None = None
) -> Ran | subprocess.CompletedProcess:
    """``supportkpi ARGS`` in ``cwd`` (a temporary directory, so the repository's own kpi.yaml
    is not picked up), without colour, on a 100-column "terminal". ``subprocess``: as a real
    ``python -m supportkpi`` process; by default only for ``--memory bounded``, whose memory
    budget is set before polars loads (``False``: in this process all the same, bounded by the
    engine, without polars' budget)."""
    args = tuple(map(str, args))
    environment = dict(os.environ)
    environment.pop("FORCE_COLOR", None)
    environment.pop("GITHUB_STEP_SUMMARY", None)
    environment.update({"NO_COLOR": "1", "COLUMNS": "100", **(env or {})})
    if subprocess or (subprocess is None and _bounded(args)):
        return _subprocess(args, cwd, stdin, environment)
    return _in_process(args, cwd, stdin, environment)


def _bounded(args: tuple[str, ...]) -> bool:
    return any(pair == ("--memory", "bounded") for pair in pairwise(args)) or "--memory=bounded" in args


def _subprocess(args, cwd, stdin, environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "supportkpi", *args],
        cwd=cwd,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _in_process(args, cwd, stdin, environment) -> Ran:
    """``supportkpi.cli.main()`` with this process's argv, environment, working directory,
    standard streams and SIGTERM handler swapped for the run and restored after it."""
    import supportkpi.__main__ as entry
    from supportkpi import cli

    saved = (
        sys.argv,
        dict(os.environ),
        os.getcwd(),
        sys.stdin,
        sys.stdout,
        sys.stderr,
        sys.modules["__main__"],
        signal.getsignal(signal.SIGTERM),
        os.execve,
        dict(cli._state),
    )
    out, err = io.BytesIO(), io.BytesIO()
    sys.argv = [entry.__file__, *args]
    sys.modules["__main__"] = entry  # click names the program after it: python -m supportkpi
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(cwd)
    # kept in locals: a wrapper closes its buffer when it is dropped
    streams = (
        io.TextIOWrapper(io.BytesIO((stdin or "").encode()), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", write_through=True),
        io.TextIOWrapper(err, encoding="utf-8", write_through=True),
    )
    sys.stdin, sys.stdout, sys.stderr = streams
    os.execve = _no_restart
    try:
        cli.main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        (
            sys.argv,
            environ,
            cwd_before,
            sys.stdin,
            sys.stdout,
            sys.stderr,
            sys.modules["__main__"],
            handler,
            os.execve,
            state,
        ) = saved
        os.environ.clear()
        os.environ.update(environ)
        os.chdir(cwd_before)
        signal.signal(signal.SIGTERM, handler)
        cli._state.clear()
        cli._state.update(state)
    ran = Ran(list(args), code, _text(out), _text(err))
    del streams
    return ran


def _text(buffer: io.BytesIO) -> str:
    """As ``subprocess.run(text=True)`` decodes: universal newlines."""
    return buffer.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _no_restart(*args, **kwargs):
    raise AssertionError("an in-process run tried to restart itself; run it with subprocess=True")
