"""The command line: parse, load, compute, render. Each command lives in its own module and
stays small; everything it does is available from the Python API too."""

from __future__ import annotations

import signal
import sys
import traceback

import typer

from supportkpi import __version__
from supportkpi.cli.usage import Group
from supportkpi.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, SupportKpiError, first_line

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
        typer.echo(f"supportkpi {__version__}")
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
    termination signal (a CI job's timeout) ends the run like Ctrl-C, so that temporary files
    (the typed copy of a large input) are removed."""

    def terminated(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)
    try:
        app(args=program_flags_first(sys.argv[1:]))
    except SupportKpiError as exc:
        _fail(str(exc), exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug or an unexpected library error: still one clear line
        _fail(
            f"unexpected error: {type(exc).__name__}: {first_line(exc)} "
            "(run with --debug for the traceback, and please report it)",
            exc,
        )
        sys.exit(EXIT_INTERNAL)


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
    # deferred: the views load polars, which a run that fails on its options never needs
    from supportkpi.render.formatting import LIMIT, printable

    if _state["debug"]:
        traceback.print_exception(exc)
    print(f"supportkpi: error: {printable(message, one_line=True, limit=LIMIT)}", file=sys.stderr)
