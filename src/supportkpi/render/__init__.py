"""Views of a :class:`~supportkpi.results.ComputeResult`. Rendering never computes: every view
reads the same result, so every view shows the same numbers.

Numbers are written by :mod:`supportkpi.render.formatting`, CSV and Markdown tables by
:mod:`supportkpi.render.tabular`; the HTML pages come from the templates in ``templates/``."""

from __future__ import annotations

from supportkpi.render import csv, json, markdown, sections
from supportkpi.render.text import format_value

TEXT_FORMATS = ("json", "csv", "markdown")
FORMATS = ("table", *TEXT_FORMATS)


def render_text(result, fmt: str, layout: str = "auto") -> str:
    """The result as JSON, CSV or Markdown text (with its mentions section, if any); ``layout``
    (``auto``, ``wide``, ``long``) is the Markdown tables' (:mod:`supportkpi.render.side_by_side`)."""
    if fmt not in VIEWS:
        raise ValueError(fmt)
    return sections.render_text(result, fmt, lambda one, f: _one_section(one, f, layout))


def _one_section(result, fmt: str, layout: str) -> str:
    return markdown.render(result, layout) if fmt == "markdown" else VIEWS[fmt](result)


VIEWS = {"json": json.render, "csv": csv.render, "markdown": markdown.render}


__all__ = ["FORMATS", "TEXT_FORMATS", "format_value", "render_text"]
