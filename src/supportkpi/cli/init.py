"""``supportkpi init [PATH]``: write a commented starter kpi.yaml (business hours, SLA policies,
typical targets) to edit, without overwriting an existing file unless ``--force``."""

from __future__ import annotations

import shlex
from importlib.resources import files
from pathlib import Path

import typer

from supportkpi.cli import app
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import UsageError
from supportkpi.files import write_atomically


def starter_text(timezone: str = "UTC", country: str = "US") -> str:
    """The starter kpi.yaml with its placeholders filled in (arguments already checked)."""
    text = (files("supportkpi") / "starter.yaml").read_text(encoding="utf-8")
    return text.replace("{{timezone}}", timezone).replace("{{country}}", country)


EXAMPLES = examples(
    ("A kpi.yaml here", "supportkpi init"),
    ("For a team in Berlin, with German holidays", "supportkpi init team.yaml --timezone Europe/Berlin --country DE"),
)


@app.command("init", cls=Command, epilog=EXAMPLES)
def init_command(
    path: Path = typer.Argument(Path("kpi.yaml"), metavar="PATH", help="Where to write it (default: ./kpi.yaml)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    timezone: str = typer.Option(
        "UTC",
        "--timezone",
        metavar="ZONE",
        help="IANA time zone of the data and the business hours, e.g. Europe/Berlin.",
    ),
    country: str = typer.Option(
        "US", "--country", metavar="CODE", help="Country (ISO code) whose public holidays close the calendar."
    ),
) -> None:
    """Write a commented starter kpi.yaml: business hours, SLA policies and typical targets."""
    from supportkpi.calendars import holiday_dates
    from supportkpi.config import check_timezone

    try:
        check_timezone(timezone)
    except ValueError as exc:
        raise UsageError(f"--timezone: {exc}") from None
    country = country.strip().upper()
    try:
        holiday_dates(country, None, ())
    except ValueError as exc:
        raise UsageError(f"--country: {exc}") from None

    if str(path) == "-":
        raise UsageError("init writes a file: give a path such as kpi.yaml, not -")
    if path.is_dir():
        path = path / "kpi.yaml"
    text = starter_text(timezone, country)
    try:
        # all at once: without --force only where no file is, with it in place of the old one
        write_atomically(path, text, overwrite=force, failure=UsageError)
    except FileExistsError:
        raise UsageError(f"{path} already exists; pass --force to overwrite it") from None
    typer.echo(
        f"supportkpi: wrote {path} (edit the targets, then: supportkpi check EXPORT --config {shlex.quote(str(path))})",
        err=True,
    )
