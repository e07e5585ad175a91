"""The command line: parse, load, compute, render. Each command lives in its own module and
stays small; everything it does is available from the Python API too."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

import supportkpi
from supportkpi.cli import budget
from supportkpi.cli.usage import Group
from supportkpi.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, SupportKpiError, first_line
from supportkpi.render.formatting import LIMIT, printable

app = typer.Typer(
    name="supportkpi",
    cls=Group,
    help="Compute customer-support KPIs from helpdesk and contact-center exports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"supportkpi {supportkpi.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Print the version and exit (also after the command).",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on errors (also after the command)."),
) -> None:
    _state["debug"] = debug


from supportkpi.cli import check as _check  # noqa: E402,F401  (registers the command)
from supportkpi.cli import clv as _clv  # noqa: E402,F401
from supportkpi.cli import compare as _compare  # noqa: E402,F401
from supportkpi.cli import compute as _compute  # noqa: E402,F401
from supportkpi.cli import forecast as _forecast  # noqa: E402,F401
from supportkpi.cli import init as _init  # noqa: E402,F401
from supportkpi.cli import kpis as _kpis  # noqa: E402,F401
from supportkpi.cli import scorecard as _scorecard  # noqa: E402,F401
from supportkpi.cli import sources as _sources  # noqa: E402,F401
from supportkpi.cli import staffing as _staffing  # noqa: E402,F401
from supportkpi.cli import validate as _validate  # noqa: E402,F401


def main() -> None:
    """Console entry point: runs the app and turns errors into one line and an exit code.

    Typer (click) handles usage errors itself (exit 2); our errors carry their exit code. A
    termination signal (a CI job's timeout) ends the run like Ctrl-C, as promptly, so that
    temporary files (the typed copy of a large input) are removed; both exit 130. A bounded run
    gets polars' memory budget before polars loads (:mod:`supportkpi.cli.budget`)."""
    with collecting_less():
        _terminate_like_interrupt()
        try:  # from here on, SIGTERM is a KeyboardInterrupt: everything after it is inside the try
            budget.prepare(sys.argv[1:])  # before anything loads polars, which reads it once
            app(args=program_flags_first(sys.argv[1:]))
        except SupportKpiError as exc:
            _fail(str(exc), exc)
            sys.exit(exc.exit_code)
        except SystemExit as exit_:
            # typer ends a command that a KeyboardInterrupt stopped with exit 130 and no word
            if exit_.code == EXIT_INTERRUPTED:
                _interrupted()
            raise
        except KeyboardInterrupt:
            _interrupted()
        except Exception as exc:  # a bug or an unexpected library error: still one clear line
            _fail(
                f"unexpected error: {type(exc).__name__}: {first_line(exc)} "
                "(run with --debug for the traceback, and please report it)",
                exc,
            )
            sys.exit(EXIT_INTERNAL)
        except BaseException as exc:
            if not _interrupted_in_callback(exc):
                raise
            _interrupted()
        finally:
            _ending.set()  # the watcher stops sending SIGINT: the run is over


YOUNG_OBJECTS = 10_000
"""New objects (less those freed) after which Python's garbage collector looks for cycles
among them while a command runs (Python's default: 700)."""


@contextmanager
def collecting_less() -> Iterator[None]:
    """Starting a command creates hundreds of thousands of objects that live as long as the
    process (modules, classes, typer's and pydantic's schemas, polars' API), and Python's cycle
    collector, at its default thresholds, scans them again and again. So the objects made so
    far are frozen (never scanned again) and collections come after :data:`YOUNG_OBJECTS`.
    ``compute`` on the bundled example: 150 collections and 60-90 ms of CPU time before, 45
    and 25-30 ms after (most of those while the package is imported, before this runs). Both
    settings are undone on the way out (the tests run commands in-process)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _interrupted_in_callback(exc: BaseException) -> bool:
    """Whether ``exc`` is polars' panic at a KeyboardInterrupt (Ctrl-C, or SIGTERM made one)
    raised in Python code that polars was running for the query (a batch function of the
    typing, :mod:`supportkpi.batches`): polars turns it into a ``PanicException``, which is no
    ``Exception``, and the run must end as interrupted all the same (exit 130, no traceback).

    >>> class PanicException(BaseException): ...
    >>> _interrupted_in_callback(PanicException("PyErr { type: <class 'KeyboardInterrupt'> }"))
    True
    >>> _interrupted_in_callback(PanicException("index out of bounds")), _interrupted_in_callback(KeyboardInterrupt())
    (False, False)
    """
    return type(exc).__name__ == "PanicException" and "KeyboardInterrupt" in str(exc)


def _interrupted() -> NoReturn:
    _ending.set()
    if _terminated.is_set():
        print("supportkpi: terminated (SIGTERM)", file=sys.stderr)
    else:
        print("supportkpi: interrupted", file=sys.stderr)
    sys.exit(EXIT_INTERRUPTED)  # 130 for both, as documented: the run was stopped from outside


_terminated = threading.Event()
"""Set when SIGTERM arrived (the message says so)."""
_raised = threading.Event()
"""Set once a KeyboardInterrupt is on its way for it: exactly one is raised, never a second one
while the first unwinds (and removes temporary files)."""
_ending = threading.Event()
"""Set once the run handles its interruption, or is over: the watcher stops."""


def _terminate_like_interrupt() -> None:
    """SIGTERM ends the run as SIGINT does, as promptly. Its Python handler runs only when
    Python has control, not during a polars query (seconds, even minutes), while polars stops a
    query at SIGINT: so the signal's arrival is also written to a pipe at once
    (``signal.set_wakeup_fd``, from C), and a thread reading it sends this process a SIGINT
    when the Python handler has not acted within a moment."""
    for event in (_terminated, _raised, _ending):
        event.clear()
    if threading.current_thread() is not threading.main_thread():
        return  # signals belong to the main thread: a caller's thread leaves them alone
    if not _watcher:
        previous = signal.set_wakeup_fd(-1)
        if previous != -1:  # an event loop's pipe: keep it, and end at the next Python step
            signal.set_wakeup_fd(previous)
            signal.signal(signal.SIGTERM, _raise_interrupt)
            return
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        _watcher.append(write_end)
        threading.Thread(target=_forward_terminations, args=(read_end,), name="sigterm", daemon=True).start()
    signal.set_wakeup_fd(_watcher[0], warn_on_full_buffer=False)
    signal.signal(signal.SIGTERM, _raise_interrupt)


_watcher: list[int] = []
"""The write end of the pipe that SIGTERM's arrival is written to (once per process)."""
_GRACE = 0.2
"""Seconds the Python handler has to act before the watcher sends SIGINT."""
_RETRY = 2.0
"""Seconds after which a SIGINT is sent again, when the first was lost (a background job
ignores SIGINT until polars listens for it)."""


def _forward_terminations(read_end: int) -> None:
    while True:
        if signal.SIGTERM not in os.read(read_end, 64):
            continue
        _terminated.set()
        if _raised.wait(_GRACE):
            continue
        _raised.set()
        os.kill(os.getpid(), signal.SIGINT)
        while not _ending.wait(_RETRY):
            os.kill(os.getpid(), signal.SIGINT)


def _raise_interrupt(signum, frame):
    """SIGTERM's Python handler: a KeyboardInterrupt, unless one is on its way already."""
    _terminated.set()
    if not _raised.is_set():
        _raised.set()
        raise KeyboardInterrupt


PROGRAM_FLAGS = ("--debug", "--version")
"""Options of the program, accepted after the command too."""


def program_flags_first(args: list[str]) -> list[str]:
    """``--debug`` and ``--version`` are options of the program, accepted after the command too
    (where one adds ``--debug`` on seeing an error): moved before the command for the parser.
    Arguments after ``--`` are left alone.

    >>> program_flags_first(["compute", "a.csv", "--debug"]), program_flags_first(["check", "--", "--debug"])
    (['--debug', 'compute', 'a.csv'], ['check', '--', '--debug'])
    >>> program_flags_first(["kpis", "--version"])
    ['--version', 'kpis']
    """
    end = args.index("--") if "--" in args else len(args)
    flags = [flag for flag in PROGRAM_FLAGS if flag in args[1:end]]
    if not flags:
        return args
    return [*flags, *(a for i, a in enumerate(args) if i >= end or a not in flags)]


def _fail(message: str, exc: BaseException) -> None:
    """One line on stderr; what came from the data (a value, a header, a file name, binary
    junk) with its control characters escaped and, when very long, cut."""
    if _state["debug"]:
        traceback.print_exception(exc)
    print(f"supportkpi: error: {printable(message, one_line=True, limit=LIMIT)}", file=sys.stderr)
