"""``supportkpi check FILE... --config kpi.yaml``: the CI gate on targets and SLA policies.

Exit codes (docs/cli-conventions.md): 0 every check passed (warnings printed), 1 a check at
fail level, 2 usage or kpi.yaml error, 3 data or evaluation error (including insufficient data
under ``--insufficient error``), 4 only warnings under ``--fail-on warn``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from supportkpi.cli import app, options, scoring
from supportkpi.cli.options import write_output
from supportkpi.errors import DataError, UsageError

FORMATS = ("table", "json", "markdown", "github", "junit")


@app.command("check")
def check_command(
    files: list[str] = options.FILES,
    config: Path = options.CONFIG,
    by: list[str] = scoring.BY,
    period: str = options.PERIOD,
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, markdown, github or junit."),
    output: Path = options.OUTPUT,
    junit: Path = typer.Option(None, "--junit", help="Also write a JUnit XML report to this file."),
    fail_on: str = typer.Option("fail", "--fail-on", help="fail, or warn: exit 4 when only warnings."),
    insufficient: str = typer.Option(
        "warn", "--insufficient", help="Too little data for a target: warn, skip or error (exit 3)."
    ),
    missing: str = typer.Option(
        "error", "--missing", help="A target the exports lack the columns for: error (exit 3), warn or skip."
    ),
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
    """Judge every target of kpi.yaml; the exit code says whether any failed (for CI)."""
    from supportkpi.targets import INSUFFICIENT_MODES, exit_code

    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    if fail_on not in ("fail", "warn"):
        raise UsageError(f"--fail-on '{fail_on}': expected fail or warn")
    for flag, value in (("--insufficient", insufficient), ("--missing", missing)):
        if value not in INSUFFICIENT_MODES:
            raise UsageError(f"{flag} '{value}': expected {', '.join(INSUFFICIENT_MODES)}")
    card, settings = scoring.build_scorecard(
        files, config, by=by, period=period, hours=hours, as_of=as_of, quiet=quiet, strict=strict,
        source=source, mapping=mapping, tz=tz, datetime_format=datetime_format,
        input_format=input_format, encoding=encoding, separator=separator,
        decimal_comma=decimal_comma,
    )
    if not card.base.groups:
        raise DataError(
            "no contacts to judge in these exports (every row was empty or left out; see the "
            "data-quality messages): a check that judges nothing cannot pass"
        )
    outcomes = card.outcomes(insufficient, missing)
    code = exit_code([o for _, o in outcomes], fail_on)
    _write_report(card, settings, outcomes, code, fmt, output, fail_on, no_color)
    if junit is not None:
        from supportkpi.render import junit as junit_view

        write_output(junit_view.render(card, outcomes, fail_on=fail_on), junit)
    raise typer.Exit(code)


def _write_report(card, settings, outcomes, code, fmt, output, fail_on, no_color) -> None:
    if fmt == "github":
        from supportkpi.render import github

        write_output(
            github.annotations(
                card, outcomes, config_path=github.repository_path(settings.path or "kpi.yaml"),
                config=settings, fail_on=fail_on,
            ),
            output,
        )
        github.append_summary(github.summary(card, outcomes, fail_on=fail_on))
    elif fmt == "junit":
        from supportkpi.render import junit as junit_view

        write_output(junit_view.render(card, outcomes, fail_on=fail_on), output)
    elif fmt == "json":
        from supportkpi.render.check import render_json

        write_output(render_json(card, outcomes, code, fail_on), output)
    elif fmt == "markdown":
        from supportkpi.render.check import render_markdown

        write_output(render_markdown(card, outcomes, code), output)
    else:
        from supportkpi.render.check import summary

        options.print_renderables(summary(card, outcomes, code), output, no_color)
