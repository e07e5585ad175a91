"""``supportkpi validate FILE...``: read, map and check exports without computing KPIs."""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.errors import EXIT_CHECK_FAILED


@app.command("validate")
def validate_command(
    files: list[str] = options.FILES,
    config: Path = options.CONFIG,
    source: str = options.SOURCE,
    mapping: list[str] = options.MAP,
    tz: str = options.TZ,
    datetime_format: str = options.DATETIME_FORMAT,
    input_format: str = options.INPUT_FORMAT,
    encoding: str = options.ENCODING,
    separator: str = options.SEPARATOR,
    decimal_comma: bool = options.DECIMAL_COMMA,
    examples: int = typer.Option(5, "--examples", "-n", min=0, help="Examples per finding."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Check exports: preset used, rows, columns found and missing, KPIs available, and every
    data-quality finding with examples. Exit 0 clean, 1 findings, 3 unreadable."""
    import json

    import polars as pl

    from supportkpi import quality, validation
    from supportkpi.engine import with_duplicate_flag
    from supportkpi.errors import DataError, UsageError, first_line
    from supportkpi.metrics import REGISTRY, Context, NotAvailable
    from supportkpi.schema import COLUMNS

    if fmt not in ("table", "json"):
        raise UsageError(f"--format '{fmt}': expected table or json")
    settings, _, loaded = options.load_inputs(
        files, config, source=source, mapping=mapping, tz=tz, datetime_format=datetime_format,
        input_format=input_format, encoding=encoding, separator=separator,
        decimal_comma=decimal_comma,
    )
    frame = with_duplicate_flag(loaded.frame)
    columns = frozenset(frame.collect_schema().names())
    active, counts, sample = validation.plan(
        frame, columns, validation.rules(settings.kpis.model_dump()), examples
    )
    try:
        collected = pl.collect_all([*quality.plan(frame, columns), counts, sample])
    except pl.exceptions.PolarsError as exc:
        raise DataError(f"cannot read the input: {first_line(exc)}") from None
    paths = [i.path for i in loaded.inputs]
    found, _, rows = quality.report(collected[:3], columns, paths)
    found += validation.findings(active, collected[3], collected[4], paths)
    for finding in found:
        finding.examples = finding.examples[:examples]
    ctx = Context(columns=columns)
    available = []
    for kpi_id, module in REGISTRY.items():
        try:
            module.measure(ctx)
            available.append(kpi_id)
        except NotAvailable:
            pass
    report = {
        "inputs": [
            {"path": i.path, "format": i.format, "source": i.source, "confidence": i.confidence,
             "rows": rows.get(n, 0)}
            for n, i in enumerate(loaded.inputs)
        ],
        "columns_found": [c for c in COLUMNS if c in columns],
        "columns_missing": [c for c in COLUMNS if c not in columns],
        "extra_columns": sorted(c for c in columns if c not in COLUMNS and not c.startswith("_")),
        "kpis_available": available,
        "kpis_not_available": [k for k in REGISTRY if k not in available],
        "findings": [f.to_dict() for f in found],
    }
    if fmt == "json":
        typer.echo(json.dumps(report, indent=2, default=str))
    else:
        _print(report)
    if found:
        raise typer.Exit(EXIT_CHECK_FAILED)


def _print(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(markup=False)  # names and values from the data are not Rich markup
    for item in report["inputs"]:
        how = f"detected, {item['confidence']:.0%} of its fields" if item["confidence"] is not None else "given"
        console.print(f"{item['path']}: {item['rows']:,} rows, {item['format']}, source {item['source']} ({how})")
    console.print("Columns found: " + ", ".join(report["columns_found"]))
    console.print("Columns missing: " + (", ".join(report["columns_missing"]) or "none"))
    if report["extra_columns"]:
        console.print("Other columns (usable in --by): " + ", ".join(report["extra_columns"]))
    console.print("KPIs available: " + ", ".join(report["kpis_available"]))
    console.print("KPIs not available: " + (", ".join(report["kpis_not_available"]) or "none"))
    if not report["findings"]:
        console.print("No data-quality findings: CLEAN")
        return
    table = Table("finding", "column", "rows", "expected", "examples (file:row value)")
    table.columns[4].overflow = "fold"
    for f in report["findings"]:
        examples = "; ".join(
            f"{e.get('file', '')}:{e.get('row', '')} {e.get('value')!r}" for e in f.get("examples", [])
        )
        table.add_row(f["kind"], f.get("column", ""), f"{f['count']:,}", f.get("expected", ""), examples)
    console.print(table)
    console.print(f"FINDINGS: {len(report['findings'])} kind(s)")
