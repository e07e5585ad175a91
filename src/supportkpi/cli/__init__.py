"""The command line: parse, load, compute, render. Each command lives in its own module and
stays small; everything it does is available from the Python API too."""

from __future__ import annotations

import signal
import sys
import traceback

import typer

from supportkpi.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, SupportKpiError, first_line

app = typer.Typer(
    name="supportkpi",
    help="Compute customer-support KPIs from helpdesk and contact-center exports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        from supportkpi import __version__

        typer.echo(f"supportkpi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on errors."),
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
        app(args=debug_first(sys.argv[1:]))
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


def debug_first(args: list[str]) -> list[str]:
    """``--debug`` is an option of the program, accepted after the command too (where one adds
    it on seeing an error): moved before the command for the parser. Arguments after ``--``
    are left alone.

    >>> debug_first(["compute", "a.csv", "--debug"]), debug_first(["check", "--", "--debug"])
    (['--debug', 'compute', 'a.csv'], ['check', '--', '--debug'])
    """
    end = args.index("--") if "--" in args else len(args)
    if "--debug" not in args[1:end]:
        return args
    return ["--debug", *(a for i, a in enumerate(args) if i >= end or a != "--debug")]


def _fail(message: str, exc: BaseException) -> None:
    if _state["debug"]:
        traceback.print_exception(exc)
    print(f"supportkpi: error: {message}", file=sys.stderr)
