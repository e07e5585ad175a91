"""Steps and options shared by the commands: lists, output, the progress line."""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from supportkpi.errors import DataError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def split_list(values: list[str] | None) -> list[str]:
    """``--by a,b --by c`` -> [a, b, c]."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{output}: cannot write the report ({exc.strerror or exc})") from None


def print_renderables(renderables: list, output: Path | None, no_color: bool) -> None:
    """Rich tables and text to the terminal (colour as Rich decides), or plain to a file."""
    from rich.console import Console

    if output is None:
        console = Console(no_color=use_color(no_color) is False)
        for item in renderables:
            console.print(item)
        return

    buffer = io.StringIO()
    console = Console(file=buffer, width=100, no_color=True, color_system=None)
    for item in renderables:
        console.print(item)
    write_output(buffer.getvalue(), output)


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
