"""The user guide (README.md and docs/) is checked as code:

- the generated references (docs/reference/) are what ``python -m supportkpi.docgen`` writes;
- every ``$ supportkpi ...`` line of a ```console block runs, page by page in order, in a fresh
  directory holding a copy of examples/, and exits 0, or the code its line ends with
  (``# exit 1``);
- every ```pycon block (and ```python block) runs, as a doctest (as a script), in such a
  directory;
- every ```yaml block is a valid kpi.yaml (its targets included);
- every relative link points at a file of the repository, and at a heading of it when it names
  one; no link points outside the repository.

docs/reference/ is left out of the runs: its examples are the metric modules' doctests, run
where they are defined.
"""

from __future__ import annotations

import doctest
import re
import shlex
import shutil
from pathlib import Path

import pytest
from cli_support import run

from supportkpi import docgen
from supportkpi.config import parse_config
from supportkpi.targets import build_checks

ROOT = Path(__file__).parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
GUIDE = [page for page in PAGES if "reference" not in page.relative_to(ROOT).parts]

_CONSOLE = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
_PYTHON = re.compile(r"^```(pycon|python)\n(.*?)^```", re.S | re.M)
_YAML = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)
_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_EXIT = re.compile(r"\s#\s*exit\s+(\d+)\s*$")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("name", sorted(docgen.PAGES))
def test_generated_reference_is_current(name):
    page = docgen.REFERENCE / name
    written = page.read_text(encoding="utf-8") if page.exists() else ""
    assert written == docgen.PAGES[name](), f"docs/reference/{name} is stale: run `{docgen.COMMAND}`"


def commands(text: str) -> list[tuple[list[str], int, str]]:
    """The ``$ supportkpi ...`` lines of the console blocks: (arguments, expected exit code,
    the line as written).

    >>> commands("```console\\n$ supportkpi check a.csv   # exit 1\\nok\\n```\\n")
    [(['check', 'a.csv'], 1, '$ supportkpi check a.csv   # exit 1')]
    """
    found = []
    for block in _CONSOLE.findall(text):
        for line in block.splitlines():
            if not line.startswith("$ supportkpi"):
                continue
            code = _EXIT.search(line)
            words = shlex.split(line[2:], comments=True)
            found.append((words[1:], int(code.group(1)) if code else 0, line))
    return found


def _workdir(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


@pytest.mark.parametrize("page", [p for p in GUIDE if commands(p.read_text(encoding="utf-8"))], ids=_name)
def test_commands_run(page, tmp_path):
    cwd = _workdir(tmp_path)
    failures = []
    for args, expected, line in commands(page.read_text(encoding="utf-8")):
        ran = run(*args, cwd=cwd)
        if ran.returncode != expected:
            failures.append(
                f"{line}\n  exit {ran.returncode}, expected {expected}\n{ran.stdout[-400:]}{ran.stderr[-600:]}"
            )
    assert not failures, f"{_name(page)}:\n" + "\n".join(failures)


@pytest.mark.parametrize("page", [p for p in GUIDE if _PYTHON.search(p.read_text(encoding="utf-8"))], ids=_name)
def test_python_examples_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(_workdir(tmp_path))
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs: dict = {}  # one namespace per page: a later block may use what an earlier one made
    for n, (kind, block) in enumerate(_PYTHON.findall(page.read_text(encoding="utf-8"))):
        if kind == "pycon":
            runner.run(parser.get_doctest(block, globs, f"{_name(page)} [{n}]", _name(page), 0))
        else:
            exec(compile(block, f"{_name(page)} [{n}]", "exec"), globs)
    assert runner.summarize(verbose=False).failed == 0


@pytest.mark.parametrize("page", [p for p in GUIDE if _YAML.search(p.read_text(encoding="utf-8"))], ids=_name)
def test_yaml_examples_are_valid_kpi_yaml(page):
    for block in _YAML.findall(page.read_text(encoding="utf-8")):
        build_checks(parse_config(block))


def anchors(text: str) -> set[str]:
    """The anchors of a Markdown page as GitHub makes them from its headings, and its explicit
    ``<a id>`` ones.

    >>> sorted(anchors("# `supportkpi check`\\n## Vendors' prices: cost\\n<a id=\\"csat\\"></a>\\n"))
    ['csat', 'supportkpi-check', 'vendors-prices-cost']
    """
    found = set(re.findall(r'<a id="([^"]+)"', text))
    for heading in re.findall(r"^#+ (.+)$", _FENCE.sub("", text), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(
            slug if slug not in found else next(f"{slug}-{n}" for n in range(1, 99) if f"{slug}-{n}" not in found)
        )
    return found


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_links_stay_in_the_repository(page):
    broken = []
    for target in _LINK.findall(page.read_text(encoding="utf-8")):
        path, _, anchor = target.partition("#")
        linked = page.parent / path if path else page
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            broken.append(f"{target} points outside the repository")
        elif not linked.exists():
            broken.append(f"{target} does not exist")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
            broken.append(f"{target}: no such heading")
    assert not broken, f"{_name(page)}: " + "; ".join(broken)
