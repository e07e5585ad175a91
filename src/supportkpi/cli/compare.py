"""``supportkpi compare A B [more...]``: vendors side by side, with tests of the differences.

Sides are the inputs (a file, a glob, or ``name=path``; each read with its own source preset),
or with a single input, the values of the first ``--by`` column (``--by vendor``); further
``--by`` columns are strata (``--by vendor,channel``: vendors compared within each channel).
"""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options, scoring
from supportkpi.cli.options import split_list, write_output
from supportkpi.errors import DataError, UsageError

FORMATS = ("table", "json", "csv", "markdown", "html")
SIDE_COLUMN = "side"


@app.command("compare")
def compare_command(
    files: list[str] = typer.Argument(..., help="Sides: files, globs or name=path (one file: with --by vendor)."),
    by: list[str] = typer.Option(
        None, "--by", "-b", help="With one input: the side column first (vendor), then strata; else strata."
    ),
    only: list[str] = typer.Option(None, "--only", help="Only these sides, in this order (the first is the baseline)."),
    period: str = options.PERIOD,
    kpi: list[str] = typer.Option(None, "--kpi", "-k", help="Only these KPI ids (comma-separated)."),
    baseline: str = typer.Option("first", "--baseline", help="first or best: what each side is compared with."),
    open_tickets: str = typer.Option(
        "exclude", "--open", help="Open tickets in resolution time: exclude (the catalog's formula) or censor (Kaplan-Meier)."
    ),
    confidence: float = typer.Option(0.95, "--confidence", help="Confidence of the intervals; alpha = 1 - confidence."),
    min_n: int = typer.Option(30, "--min-n", help="Fewer contacts (surveys, calls) on a side: too few to tell."),
    adjust: str = typer.Option(
        "kpi", "--adjust", help="Holm correction per kpi (default), over the whole run, or none."
    ),
    resamples: int = typer.Option(2000, "--resamples", help="Bootstrap resamples for medians."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap (results are reproducible)."),
    benchmark: str = typer.Option(None, "--benchmark", help="Industry figures beside the sides: ecommerce, or a YAML file."),
    config: Path = options.CONFIG,
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv, markdown or html."),
    output: Path = options.OUTPUT,
    source: str = options.SOURCE,
    mapping: list[str] = options.MAP,
    tz: str = options.TZ,
    datetime_format: str = options.DATETIME_FORMAT,
    input_format: str = options.INPUT_FORMAT,
    encoding: str = options.ENCODING,
    separator: str = options.SEPARATOR,
    decimal_comma: bool = options.DECIMAL_COMMA,
    hours: str = options.HOURS,
    as_of: str = options.AS_OF,
    strict: bool = scoring.STRICT,
    quiet: bool = options.QUIET,
    no_color: bool = options.NO_COLOR,
) -> None:
    """Compare vendors KPI by KPI: values, differences, intervals, p-values and a verdict."""
    import polars as pl

    from supportkpi.config import kpi_params
    from supportkpi.cli.compute import read_failure, report_findings, report_sources
    from supportkpi.comparison import compare
    from supportkpi.engine import check_kpis, check_period
    from supportkpi.schedules import Calendars
    from supportkpi.targets import build_checks

    _check_choices(fmt, baseline, open_tickets, confidence, min_n, resamples, adjust)
    kpi_ids = check_kpis(split_list(kpi))
    check_period(period)
    grouping = split_list(by)
    read = dict(
        source=source, mapping=mapping, tz=tz, datetime_format=datetime_format,
        input_format=input_format, encoding=encoding, separator=separator, decimal_comma=decimal_comma,
    )
    if len(files) == 1:
        if not grouping or "=" in files[0]:
            raise UsageError(
                "compare needs two or more inputs (A.csv B.csv), or one input with --by vendor"
            )
        side, strata = grouping[0], grouping[1:]
        settings, timezone, loaded = options.load_inputs(files, config, group_by=grouping, **read)
        frame, inputs = loaded.frame, loaded.inputs
        sides = split_list(only) or None
        if sides:
            if len(set(sides)) != len(sides) or len(sides) < 2:
                raise UsageError(f"--only: name two or more different {side} values")
            _check_sides(frame, side, sides)
    else:
        if only:
            raise UsageError("--only picks groups of one input (with --by vendor); here every input is a side")
        side, strata = SIDE_COLUMN, grouping
        settings, timezone, frame, inputs, sides = _load_sides(files, config, strata, read)
    benchmark_table = load_benchmark_option(benchmark)
    try:
        with options.working("Reading and comparing", quiet, [i.path for i in inputs]):
            result = compare(
                frame, kpi_ids, side=side, sides=sides, by=strata, period=period, baseline=baseline,
                timezone=timezone, params=kpi_params(settings, hours),
                calendars=Calendars.from_config(settings, timezone), sla=settings.sla,
                as_of=options.parse_as_of(as_of, timezone), inputs=inputs, open_tickets=open_tickets,
                confidence=confidence, min_n=min_n, resamples=resamples, seed=seed,
                checks=build_checks(settings), adjust=adjust,
            )
    except pl.exceptions.PolarsError as exc:
        raise DataError(read_failure(inputs, exc)) from None
    if not quiet:
        report_sources(inputs)
    if not quiet or strict:
        report_findings(result.base.findings)
    if strict and result.base.data_errors:
        raise DataError(f"{result.base.data_errors} data error(s) and --strict is set; no report written")
    if benchmark_table is not None:
        result.benchmark = benchmark_table
    from supportkpi.render import compare as view

    if fmt == "table":
        options.print_renderables(view.tables(result), output, no_color)
    else:
        write_output(view.render_text(result, fmt), output)


def _check_choices(fmt, baseline, open_tickets, confidence, min_n, resamples, adjust) -> None:
    from supportkpi.comparison import ADJUSTMENTS

    if adjust not in ADJUSTMENTS:
        raise UsageError(f"--adjust '{adjust}': expected one of {', '.join(ADJUSTMENTS)}")
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    if baseline not in ("first", "best"):
        raise UsageError(f"--baseline '{baseline}': expected first or best")
    if open_tickets not in ("exclude", "censor"):
        raise UsageError(f"--open '{open_tickets}': expected exclude or censor")
    if not 0.5 <= confidence < 1:
        raise UsageError(f"--confidence {confidence}: expected a level such as 0.95 (0.5 to below 1)")
    if min_n < 1:
        raise UsageError(f"--min-n {min_n}: expected 1 or more")
    if not 100 <= resamples <= 1_000_000:
        raise UsageError(f"--resamples {resamples}: expected 100 to 1000000")
    if 1 / resamples >= round(1 - confidence, 10):
        # a bootstrap p-value cannot go below 1/resamples: it could never be significant
        raise UsageError(
            f"--resamples {resamples} cannot show significance at --confidence {confidence}: "
            f"use more than {round(1 / (1 - confidence)):,} resamples"
        )


def side_name(argument: str) -> tuple[str, str]:
    """``name=path`` -> (name, path); a path or glob is named after its file:
    ``exports/acme.csv.gz`` -> ``acme``, ``exports/acme-*.csv`` -> ``acme-*``.

    >>> side_name("Acme=exports/a.csv"), side_name("exports/acme.csv.gz"), side_name("x/acme-*.json")
    (('Acme', 'exports/a.csv'), ('acme', 'exports/acme.csv.gz'), ('acme-*', 'x/acme-*.json'))
    """
    name, sep, path = argument.partition("=")
    if sep and name and path and not Path(argument).exists():
        return name.strip(), path.strip()
    stem = Path(argument).name
    for suffix in (".gz", ".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".txt"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem or argument, argument


def _load_sides(files, config, strata, read):
    """Each side loaded on its own (its preset detected per file), then stacked with a `side`
    column; row sources are renumbered so every file keeps its own number."""
    import polars as pl

    from supportkpi.schema import SOURCE

    named = [side_name(f) for f in files]
    names = [n for n, _ in named]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UsageError(f"two sides are named {repeated[0]!r}; name them: A={files[0]} B=...")
    frames, inputs = [], []
    settings = timezone = None
    for name, path in named:
        settings, timezone, loaded = options.load_inputs([path], config, group_by=strata, **read)
        if SIDE_COLUMN in loaded.frame.collect_schema().names():
            raise UsageError(f"{path}: has a column named '{SIDE_COLUMN}'; rename it with --map or drop it")
        frames.append(loaded.frame.with_columns(
            pl.lit(name, pl.String).alias(SIDE_COLUMN),
            (pl.col(SOURCE) + len(inputs)).cast(pl.Int32).alias(SOURCE),
        ))
        inputs += loaded.inputs
    frame = pl.concat(frames, how="diagonal_relaxed")
    return settings, timezone, frame, inputs, names


def _check_sides(frame, side: str, sides: list[str]) -> None:
    import polars as pl

    from supportkpi.config import suggest

    present = frame.select(pl.col(side).unique().drop_nulls()).collect()[side].to_list()
    for name in sides:
        if name not in present:
            raise UsageError(f"--only: no {side} '{name}' in the data ({suggest(name, sorted(map(str, present)))})")


def load_benchmark_option(name: str | None):
    """--benchmark: a built-in table or a YAML file; a usage error when neither."""
    if name is None:
        return None
    from supportkpi.benchmark import load_benchmark

    try:
        return load_benchmark(name)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(f"--benchmark: {exc}") from None
