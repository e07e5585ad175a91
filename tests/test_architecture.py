"""The shape of the code base, checked: what ``docs/architecture.md`` promises a maintainer.

- no module over 500 lines;
- no module names a KPI id except the KPI's own module and the registry;
- no import cycle between the package's modules (imports inside functions included);
- no import inside a function, except of a heavy dependency deferred for start-up time;
- every CLI command's body under 40 lines;
- no private name imported from another module.
"""

from __future__ import annotations

import ast
from pathlib import Path

from supportkpi.metrics import REGISTRY, sla_compliance
from supportkpi.schema import COLUMNS

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "supportkpi"
MODULES = sorted(PACKAGE.rglob("*.py"))
# deferred for start-up time: `supportkpi --help` must not pay for them
# (importlib.metadata, for the installed version only, takes longer to import than --help's own modules)
HEAVY = (
    "polars",
    "numpy",
    "scipy",
    "rich",
    "pydantic",
    "jinja2",
    "yaml",
    "holidays",
    "fastexcel",
    "importlib.metadata",
)


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {_name(p) for p in MODULES}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_modules_are_small() -> None:
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {name: n for name, n in sizes.items() if n > 500} == {}


def _string_constants(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


# Erlang C's result has a field `service_level` (the predicted share answered within T): a field
# of the staffing plan that shares the KPI's name, not a use of the measured KPI
SAME_NAME_NOT_THE_KPI = {("demand.py", "service_level"), ("render/staffing.py", "service_level")}


def test_only_its_module_names_a_kpi() -> None:
    # a survey's column shares its KPI's name (`csat`): naming the column is not naming the KPI
    kpi_ids = (set(REGISTRY) | {sla_compliance.INFO.id}) - set(COLUMNS)
    modules = [*REGISTRY.values(), sla_compliance]
    own = {Path(m.__file__).resolve() for m in modules} | {(PACKAGE / "metrics" / "__init__.py").resolve()}
    offenders = []
    for path in MODULES:
        if path.resolve() in own:
            continue
        tree = _tree(path)
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                if node.value in kpi_ids and (str(path.relative_to(PACKAGE)), node.value) not in SAME_NAME_NOT_THE_KPI:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert offenders == []


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function?, line) for the package's own imports."""
    out = []
    tree = _tree(path)
    here = _name(path)

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
                continue  # imports for annotations only: they run never
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                out.extend((a.name, in_function, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = here.split(".")
                    base = base[: len(base) - child.level + (1 if path.name == "__init__.py" else 0)]
                    module = ".".join(base + ([child.module] if child.module else []))
                else:
                    module = child.module or ""
                for alias in child.names:
                    # `from package import submodule` imports the submodule, else the module
                    submodule = f"{module}.{alias.name}"
                    out.append((submodule if submodule in NAMES else module, in_function, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return out


ROOT = "supportkpi"


def _runs(module: str, importer: str) -> set[str]:
    """The package's modules that importing ``module`` from ``importer`` executes: the module and
    the packages above it, except the root (every module has it) and the importer's own packages
    (already running when it imports)."""
    parts = module.split(".")
    chain = {".".join(parts[:i]) for i in range(2, len(parts) + 1)}
    return {m for m in chain if m in NAMES and not (importer == m or importer.startswith(m + "."))}


def _graph(*, in_functions: bool = True) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        here = _name(path)
        graph[here] = set()
        for module, in_function, _ in _imports(path):
            if in_functions or not in_function:
                graph[here] |= _runs(module, here)
    return graph


def test_no_import_cycle() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def strongconnect(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            strongconnect(v)
    assert cycles == []


def _heavy(module: str) -> str | None:
    """The heavy dependency an import names (its top package), if it names one."""
    return next((h for h in HEAVY if module == h or module.startswith(h + ".")), None)


def _loads() -> dict[str, set[str]]:
    """Per module of the package, the heavy dependencies that importing it loads: at module level,
    directly or through other modules of the package (the root package keeps itself light)."""
    graph = _graph(in_functions=False)
    loads = {
        _name(path): {h for module, in_function, _ in _imports(path) if not in_function and (h := _heavy(module))}
        for path in MODULES
    }
    changed = True
    while changed:
        changed = False
        for name, edges in graph.items():
            more = set().union(*(loads[e] for e in edges)) - loads[name] if edges else set()
            if more:
                loads[name] |= more
                changed = True
    return loads


def test_imports_inside_functions_only_defer_heavy_dependencies() -> None:
    """An import inside a function must defer a heavy dependency that its module does not load
    anyway; any other import belongs at the top of the module."""
    loads = _loads()
    offenders = []
    for path in MODULES:
        here = _name(path)
        for module, in_function, line in _imports(path):
            if not in_function:
                continue
            brings = {h} if (h := _heavy(module)) else set().union(*(loads[m] for m in _runs(module, here)))
            if not brings - loads[here]:
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} {module}")
    assert offenders == []


def test_cli_commands_are_short() -> None:
    long = []
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command" for d in node.decorator_list
            ):
                body = node.body[1:] if ast.get_docstring(node) else node.body
                lines = body[-1].end_lineno - body[0].lineno + 1
                if lines >= 40:
                    long.append(f"{path.name}:{node.name} {lines} lines")
    assert long == []


def test_no_private_name_is_imported_from_another_module() -> None:
    """What another module needs is public; a package's ``__init__`` may re-export its
    submodules' internals (``stats`` does, for its tests)."""
    offenders = []
    for path in MODULES:
        if path.name == "__init__.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith(ROOT):
                offenders += [
                    f"{path.relative_to(PACKAGE)}:{node.lineno} {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert offenders == []
