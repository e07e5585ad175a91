"""Source presets: one small module per helpdesk or contact-center export, mapping it onto the
canonical columns (``docs/data-model.md``). :data:`SOURCES` lists them; :func:`detect` picks
one from an export's headers or JSON keys. Packages can add presets through the entry-point
group ``supportkpi.sources`` (each entry point names a :class:`Source`).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
from functools import cache

from supportkpi.errors import DataError, UsageError
from supportkpi.schema import TABLES, column_spelling
from supportkpi.sources._base import Derived, Detection, Field, LeaveOut, Source
from supportkpi.suggest import suggest

# Detection: a preset is chosen when this share of its signature fields is present, and it must
# lead the next candidate by this margin; otherwise the export is ambiguous.
MIN_CONFIDENCE = 0.6
MARGIN = 0.15
CANONICAL = "canonical"


@cache
def sources() -> dict[str, Source]:
    """Every preset: this package's modules, then plugins' entry points."""
    found: dict[str, Source] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("_"):
            continue
        source = importlib.import_module(f"{__name__}.{module.name}").SOURCE
        found[source.name] = source

    for entry in importlib.metadata.entry_points(group="supportkpi.sources"):
        source = entry.load()
        if isinstance(source, Source):
            found.setdefault(source.name, source)
    return dict(sorted(found.items()))


def get(name: str) -> Source | None:
    """The preset named ``name``; None for "canonical" (columns already canonical)."""
    if name == CANONICAL:
        return None
    known = sources()
    if name not in known:
        raise UsageError(f"unknown source '{name}' ({suggest(name, [CANONICAL, *known])})")
    return known[name]


def detect(columns: list[str], path: str) -> Detection:
    """The preset whose signature best matches ``columns``; canonical exports need none."""
    names = set(columns)
    normalized = {column_spelling(c) for c in columns}
    scored = sorted(((s.score(names), s.name) for s in sources().values()), key=lambda t: (-t[0], t[1]))
    candidates = [(name, round(score, 2)) for score, name in scored if score > 0]
    canonical = any(all(r in normalized for r in t.required) for t in TABLES.values())
    if not scored or scored[0][0] < MIN_CONFIDENCE:
        return Detection(None, 1.0 if canonical else 0.0, candidates)
    best_score, best = scored[0]
    if len(scored) > 1 and best_score - scored[1][0] < MARGIN:
        tied = [f"{n} ({s:.0%})" for s, n in scored if best_score - s < MARGIN]
        raise DataError(
            f"{path}: the export matches several sources: {', '.join(tied)}; "
            "pass --source NAME (see `supportkpi sources`)"
        )
    return Detection(sources()[best], best_score, candidates)


def prepare_document(document, name: str | None):
    """Records of a JSON document holding several arrays (side-loaded data), via the presets'
    ``prepare`` hooks: the named one, else the first that recognises the document."""
    candidates = [get(name)] if name and name != CANONICAL else list(sources().values())
    for source in candidates:
        if source is not None and source.prepare is not None:
            records = source.prepare(document)
            if records is not None:
                return records
    return None


__all__ = ["CANONICAL", "Derived", "Detection", "Field", "LeaveOut", "Source", "detect", "get", "sources"]
