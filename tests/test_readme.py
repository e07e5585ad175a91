"""The README is the front door: the two set-up commands as CI runs them, and a link to every
page of the guide. Its commands and links are run and checked with the guide's, in
tests/test_docs.py."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

CI_COMMAND = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
SET_UP = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install . && "
    "supportkpi compute examples/contacts.csv --by vendor",
    CI_COMMAND,
)
GUIDE = (
    "docs/tutorial.md",
    "docs/README.md#commands",
    "docs/configuration.md",
    "docs/inputs.md",
    "docs/reference/kpis.md",
    "docs/reference/cli.md",
    "docs/python-api.md",
    "docs/data-model.md",
    "docs/cli-conventions.md",
    "docs/architecture.md",
    "docs/performance.md",
)


def test_set_up_commands_are_as_ci_runs_them():
    # .ci/run installs what the machine lacks, then runs exactly the README's test command
    assert CI_COMMAND.startswith("python3 -m venv .venv") and CI_COMMAND.endswith("python -m pytest")
    for line in SET_UP:
        assert f"\n{line}\n" in README


def test_links_into_the_guide():
    assert [page for page in GUIDE if f"]({page})" not in README] == []


def test_every_command_page_is_in_the_index():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in (ROOT / "docs" / "commands").glob("*.md"))
    assert [name for name in pages if f"(commands/{name})" not in index] == []
