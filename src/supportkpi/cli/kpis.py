"""``supportkpi kpis``: the KPIs this version knows, with unit, direction and columns."""

from __future__ import annotations

import json

import typer

from supportkpi.cli import app, options
from supportkpi.cli.usage import Command, examples

EXAMPLES = examples(
    ("The KPIs", "supportkpi kpis"),
    ("With each one's formula, as JSON", "supportkpi kpis -f json"),
)


@app.command("kpis", cls=Command, epilog=EXAMPLES)
def list_kpis(
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table or json."),
    no_color: bool = options.NO_COLOR,
) -> None:
    """List the KPIs: id, title, unit, which direction is better, columns read."""
    from supportkpi.metrics import REGISTRY

    rows = [
        {
            "id": m.INFO.id,
            "title": m.INFO.title,
            "unit": m.INFO.unit,
            "better": m.INFO.direction or "-",
            "columns": list(m.INFO.columns),
            "formula": (m.__doc__ or "").strip().splitlines()[0],
        }
        for m in REGISTRY.values()
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=2))
        return
    if fmt != "table":
        raise typer.BadParameter("expected table or json", param_hint="--format")
    from rich.table import Table

    table = Table("id", "title", "unit", "better", "columns")
    table.columns[0].no_wrap = True
    for row in rows:
        table.add_row(row["id"], row["title"], row["unit"], row["better"], ", ".join(row["columns"]))
    options.print_renderables([table], None, no_color)
