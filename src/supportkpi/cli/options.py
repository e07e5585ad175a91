"""Steps and options shared by the commands: lists, output, the progress line."""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from supportkpi.errors import SupportKpiError
from supportkpi.files import existing_files, refuse_clobbering, write_atomically
from supportkpi.render.formatting import printable

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def split_list(values: list[str] | None) -> list[str]:
    """``--by a,b --by c`` -> [a, b, c]."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def write_output(text: str, output: Path | None) -> None:
    """A report to stdout, or to the file ``output`` all at once (:mod:`supportkpi.files`)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomically(output, text)


def refuse_overwriting(
    files: Sequence[str] | None,
    config: Path | str | None,
    outputs: Mapping[str, Path | str | None],
    reads: Mapping[str, str | None] | None = None,
) -> None:
    """Before a run reads anything: a usage error (exit 2) when a file it would write, given as
    ``{"--output": path, "--junit": path}``, is one of its exports (globs expanded, compare's
    ``name=path`` sides), the kpi.yaml it uses (``config``, else the one it would find), a file
    in ``reads`` (``{"--orders": path}``) or another of its outputs. Through symbolic and hard
    links too: the check compares files, not spellings."""
    written = [(what, str(path)) for what, path in outputs.items() if path is not None and str(path) != "-"]
    if not written:
        return
    # deferred: configuration and loading bring pydantic and polars, which the check above spares
    from supportkpi.config import find_config
    from supportkpi.loading import expand

    read: list[tuple[str, str]] = []
    for argument in files or []:
        spellings = {argument, argument.partition("=")[2] or argument}
        for spelling in spellings - {"-"}:
            try:
                expanded = expand([spelling])
            except (SupportKpiError, OSError):  # not there: the run reports it; nothing to overwrite
                expanded = []
            read += [("the input", p) for p in existing_files({spelling, *expanded})]
    kpi_yaml = config if config is not None else find_config()
    if kpi_yaml is not None:
        read += [("the configuration", p) for p in existing_files([str(kpi_yaml)])]
    for what, path in (reads or {}).items():
        if path is not None:
            read += [(f"the {what} file", p) for p in existing_files([path])]
    refuse_clobbering(written, read)


FILE_WIDTH = 100
"""The width of Rich tables written to a file (``--output``): the same wherever they are written."""


def print_renderables(renderables: list, output: Path | None, no_color: bool) -> None:
    """Rich tables and text to the terminal (colour as Rich decides), or plain to a file.
    Control characters that reached them from the data are shown escaped, never sent raw."""
    from rich.console import Console

    if output is None:
        console = Console(no_color=use_color(no_color) is False)
        for item in renderables:
            console.print(Printable(item))
        return

    buffer = io.StringIO()
    console = Console(file=buffer, width=FILE_WIDTH, no_color=True, color_system=None)
    for item in renderables:
        console.print(Printable(item))
    write_output(buffer.getvalue(), output)


class Printable:
    """A Rich renderable whose text is shown with control characters escaped: the views
    escape the names they know are data, this catches what they miss (a terminal would act on
    an escape sequence in a vendor name). Rich's own styling is no text and stays as it is."""

    def __init__(self, renderable: object):
        self.renderable = renderable

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        for segment in console.render(self.renderable, options):
            if segment.control or segment.text == "\n":
                yield segment
            else:
                yield Segment(printable(segment.text), segment.style)


class working:  # noqa: N801 (used as a context manager: `with working(...)`)
    """A progress line on stderr while exports are read and computed: spinner, what is being
    done (``step``, told by the engine), the size of the input in rows and MiB, and the elapsed
    time. Shown only on a terminal, only after half a second (quick runs stay quiet), and never
    with ``--quiet`` or when stderr is piped (CI logs get no control characters).

    polars does not report rows as it reads them, so the rows shown are the loader's estimate
    of the input (exact for Parquet)."""

    DELAY = 0.5

    def __init__(self, what: str, quiet: bool = False, inputs: list[str] | None = None, rows: int | None = None):
        self.what, self.quiet = what, quiet
        self.size = sum(_size(p) for p in inputs or [])
        self.rows = rows
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._timer: threading.Timer | None = None

    def __enter__(self) -> working:
        if self.quiet or not sys.stderr.isatty() or os.environ.get("CI"):
            return self

        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        size = [f"{self.rows:,} rows" if self.rows else "", f"{self.size / 2**20:,.0f} MiB" if self.size else ""]
        size_text = ", ".join(s for s in size if s)
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = progress.add_task(f"{self.what}{f' ({size_text})' if size_text else ''}…")
        self._timer = threading.Timer(self.DELAY, progress.start)
        self._timer.daemon = True
        self._timer.start()
        self._progress = progress
        return self

    def step(self, doing: str) -> None:
        """What the run is doing now (the engine's ``on_step``)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, description=f"{self.what}: {doing}…")

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._progress is not None:
            self._progress.stop()


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def use_color(no_color: bool) -> bool | None:
    """False when colour is switched off; None lets Rich decide (terminal, NO_COLOR)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return None


# Options of several commands that are not about reading
PERIOD = typer.Option(None, "--period", "-p", metavar="PERIOD", help="day, week, month or quarter (by created_at).")
NO_COLOR = typer.Option(False, "--no-color", help="No colour in the table.")
OUTPUT = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to this file instead of stdout.")
BY = typer.Option(
    None,
    "--by",
    "-b",
    metavar="COLUMNS",
    help="Group by columns (default: vendor, when the exports have one; `none`: all together).",
)
