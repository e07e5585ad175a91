"""``supportkpi sources``: the source presets, the columns each provides and the KPIs those
make available."""

from __future__ import annotations

import json

import typer

from supportkpi.api.planning import available_kpis, table_kpis
from supportkpi.cli import app, options
from supportkpi.cli.usage import Command, examples


def describe() -> list[dict]:
    from supportkpi.sources import sources

    rows = []
    for source in sources().values():
        available = available_kpis(frozenset(source.provides))
        rows.append(
            {
                "name": source.name,
                "title": source.title,
                "columns": list(source.provides),
                "kpis": available,
                "not_available": [k for k in table_kpis(frozenset(source.provides)) if k not in available],
                "docs": source.docs,
            }
        )
    return rows


EXAMPLES = examples(
    ("The presets", "supportkpi sources"),
    ("Then read an export with one", "supportkpi compute examples/contacts.csv --source canonical"),
)


@app.command("sources", cls=Command, epilog=EXAMPLES)
def list_sources(
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table or json."),
    no_color: bool = options.NO_COLOR,
) -> None:
    """List the source presets (--source PRESET): columns provided and KPIs available."""
    rows = describe()
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    if fmt != "table":
        raise typer.BadParameter("expected table or json", param_hint="--format")
    from rich.console import Console
    from rich.table import Table

    table = Table("source", "reads", "KPIs available", "not available")
    table.columns[0].no_wrap = True
    for row in rows:
        table.add_row(row["name"], row["title"], ", ".join(row["kpis"]), ", ".join(row["not_available"]))
    options.print_renderables([table], None, no_color)
    Console(stderr=True, no_color=options.use_color(no_color) is False).print(
        "Exports in canonical columns need no preset (--source canonical)."
    )
