"""``supportkpi check FILE... --config kpi.yaml``: the CI gate on targets and SLA policies.

Exit codes (docs/cli-conventions.md): 0 every check passed (warnings printed), 1 a check at
fail level, 2 usage or kpi.yaml error, 3 data or evaluation error (including insufficient data
under ``--insufficient error``), 4 only warnings under ``--fail-on warn``.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from supportkpi.cli import app, options
from supportkpi.cli.inputs import Inputs, input_options
from supportkpi.cli.options import BY, split_list, write_output
from supportkpi.cli.usage import Command, examples
from supportkpi.errors import UsageError

FORMATS = ("table", "json", "markdown", "github", "junit")


EXAMPLES = examples(
    (
        "Judge every target of kpi.yaml (exits 1 when a target fails)",
        "supportkpi check examples/contacts.csv --config examples/kpi.yaml",
    ),
    (
        "In CI: a JUnit report too, and warnings fail the job (exits 1 on a failure, 4 on warnings only)",
        "supportkpi check examples/contacts.csv -c examples/kpi.yaml --junit check.xml --fail-on warn",
    ),
    (
        "GitHub annotations, skipping targets with too little data (exits 1 when a target fails)",
        "supportkpi check examples/contacts.csv -c examples/kpi.yaml -f github --insufficient skip",
    ),
)


@app.command("check", cls=Command, epilog=EXAMPLES)
@input_options("hours", "as_of", "strict", "memory", "quiet", "no_color")
def check_command(
    inputs: Inputs,
    by: list[str] = BY,
    period: str = options.PERIOD,
    fmt: str = typer.Option(
        "table", "--format", "-f", metavar="FORMAT", help="table, json, markdown, github or junit."
    ),
    output: Path = options.OUTPUT,
    junit: Path = typer.Option(None, "--junit", metavar="FILE", help="Also write a JUnit XML report to this file."),
    fail_on: str = typer.Option("fail", "--fail-on", metavar="LEVEL", help="fail, or warn: exit 4 when only warnings."),
    insufficient: str = typer.Option(
        "warn", "--insufficient", metavar="ACTION", help="Too little data for a target: warn, skip or error (exit 3)."
    ),
    missing: str = typer.Option(
        "error",
        "--missing",
        metavar="ACTION",
        help="A target the exports lack the columns for: error (exit 3), warn or skip.",
    ),
) -> None:
    """Judge every target of kpi.yaml; the exit code says whether any failed (for CI)."""
    if fmt not in FORMATS:
        raise UsageError(f"--format '{fmt}': expected one of {', '.join(FORMATS)}")
    summary = os.environ.get("GITHUB_STEP_SUMMARY") if fmt == "github" else None
    written = {"--output": output, "--junit": junit, "$GITHUB_STEP_SUMMARY": summary or None}
    options.refuse_overwriting(inputs.files, inputs.config, written)
    run = inputs.run()
    checked = run.check(
        by=split_list(by),
        period=period,
        as_of=inputs.as_of,
        fail_on=fail_on,
        insufficient=insufficient,
        missing=missing,
        memory=inputs.memory,
    )
    card, outcomes, code = checked.scorecard, checked.outcomes, checked.exit_code
    _write_report(card, run.settings, outcomes, code, fmt, output, fail_on, inputs.no_color)
    if junit is not None:
        from supportkpi.render import junit as junit_view

        write_output(junit_view.render(card, outcomes, fail_on=fail_on), junit)
    raise typer.Exit(code)


def _write_report(card, settings, outcomes, code, fmt, output, fail_on, no_color) -> None:
    if fmt == "github":
        from supportkpi.render import github

        write_output(
            github.annotations(
                card,
                outcomes,
                config_path=github.repository_path(settings.path or "kpi.yaml"),
                config=settings,
                fail_on=fail_on,
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
