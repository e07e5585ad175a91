"""``supportkpi validate FILE...``: read, map and check exports without computing KPIs."""

from __future__ import annotations

import json

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import EXIT_CHECK_FAILED, UsageError
from supportkpi.render.formatting import printable

EXAMPLES = examples(
    ("Check an export (exits 1 when it finds data-quality problems)", "supportkpi validate examples/contacts.csv"),
    (
        "Every finding with up to 10 examples, as JSON (exits 1 when there are findings)",
        "supportkpi validate examples/contacts.csv --examples 10 -f json",
    ),
)


@app.command("validate", cls=Command, epilog=EXAMPLES)
@input_options("no_color")
def validate_command(
    inputs: Inputs,
    examples: int = typer.Option(5, "--examples", "-n", min=0, metavar="N", help="Examples per finding."),
    fmt: str = typer.Option("table", "--format", "-f", metavar="FORMAT", help="table or json."),
) -> None:
    """Check exports without computing: columns, KPIs available and data-quality findings.

    Shows the preset used, rows, columns found and missing, KPIs available, and every
    data-quality finding with examples. Exit 0 clean, 1 findings, 3 unreadable."""
    if fmt not in ("table", "json"):
        raise UsageError(f"--format '{fmt}': expected table or json")
    report = inputs.run().validate(examples)
    if fmt == "json":
        typer.echo(json.dumps(report, indent=2, default=str))
    else:
        _print(report, inputs.no_color)
    if any(f["kind"] != "note" for f in report["findings"]):  # notes (rows left out by a rule) pass
        raise typer.Exit(EXIT_CHECK_FAILED)


def _print(report: dict, no_color: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(
        markup=False, no_color=options.use_color(no_color) is False
    )  # names and values from the data are not Rich markup

    def show(item) -> None:  # nor control characters sent to the terminal
        console.print(options.Printable(item))

    for item in report["inputs"]:
        how = f"detected, {item['confidence']:.0%} of its fields" if item["confidence"] is not None else "given"
        show(f"{item['path']}: {item['rows']:,} rows, {item['format']}, source {item['source']} ({how})")
        for note in item.get("notes", ()):
            show(f"  {note}")
    show("Columns found: " + ", ".join(report["columns_found"]))
    show("Columns missing: " + (", ".join(report["columns_missing"]) or "none"))
    if report["extra_columns"]:
        show("Other columns (usable in --by): " + ", ".join(report["extra_columns"]))
    show("KPIs available: " + ", ".join(report["kpis_available"]))
    show("KPIs not available: " + (", ".join(report["kpis_not_available"]) or "none"))
    if not report["findings"]:
        show("No data-quality findings: CLEAN")
        return
    table = Table("finding", "column", "rows", "expected", "examples (file:row value)")
    table.columns[4].overflow = "fold"
    for f in report["findings"]:
        examples = "; ".join(
            f"{e.get('file', '')}:{e.get('row', '')} {e.get('value')!r}"
            for e in f.get("examples", [])
            if "row" in e  # a note about a whole file names no row: its effect says it
        )
        # a note has no examples: its effect (why the rows were left out) is what to show
        shown = examples or f.get("effect", "")
        cells = (f["kind"], f.get("column", ""), f"{f['count']:,}", f.get("expected", ""), shown)
        table.add_row(*(printable(cell, one_line=True) for cell in cells))  # escaped before the layout
    show(table)
    errors = [f for f in report["findings"] if f["kind"] != "note"]
    show(f"FINDINGS: {len(errors)} kind(s)" if errors else "No data-quality errors: CLEAN (notes above)")
