"""Views of a :class:`~supportkpi.results.ComputeResult`. Rendering never computes: every view
reads the same result, so every view shows the same numbers.

Numbers are written by :mod:`supportkpi.render.formatting`, CSV and Markdown tables by
:mod:`supportkpi.render.tabular`; the HTML pages come from the templates in ``templates/``.

The package itself imports no view: most views load polars (through the KPI registry), which
a command that only prints text (an error message, ``supportkpi kpis``) or checks ``--format``
does not need."""

from __future__ import annotations

from supportkpi.render import json

TEXT_FORMATS = ("json", "csv", "markdown")
FORMATS = ("table", *TEXT_FORMATS)


def render_text(result, fmt: str, layout: str = "auto") -> str:
    """The result as JSON, CSV or Markdown text (with its mentions section, if any); ``layout``
    (``auto``, ``wide``, ``long``) is the Markdown tables' (:mod:`supportkpi.render.side_by_side`)."""
    from supportkpi.render import csv, markdown, sections  # deferred: they load polars

    views = {"json": json.render, "csv": csv.render, "markdown": markdown.render}
    if fmt not in views:
        raise ValueError(fmt)

    def one_section(one, fmt: str) -> str:
        return markdown.render(one, layout) if fmt == "markdown" else views[fmt](one)

    return sections.render_text(result, fmt, one_section)


def __getattr__(name: str):
    if name == "format_value":  # deferred: it loads polars (through the KPI registry)
        from supportkpi.render.text import format_value

        return format_value
    raise AttributeError(name)


__all__ = ["FORMATS", "TEXT_FORMATS", "format_value", "render_text"]
