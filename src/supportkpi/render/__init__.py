"""Views of a :class:`~supportkpi.results.ComputeResult`. Rendering never computes: every view
reads the same result, so every view shows the same numbers."""

from __future__ import annotations

from supportkpi.render.text import format_value

TEXT_FORMATS = ("json", "csv", "markdown")
FORMATS = ("table", *TEXT_FORMATS)


def render_text(result, fmt: str) -> str:
    """The result as JSON, CSV or Markdown text."""
    if fmt == "json":
        from supportkpi.render.json import render
    elif fmt == "csv":
        from supportkpi.render.csv import render
    elif fmt == "markdown":
        from supportkpi.render.markdown import render
    else:
        raise ValueError(fmt)
    return render(result)


__all__ = ["FORMATS", "TEXT_FORMATS", "format_value", "render_text"]
