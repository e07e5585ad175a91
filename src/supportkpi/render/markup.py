"""HTML text that is safe by construction: :class:`Html` is :class:`~markupsafe.Markup` (what
jinja2's autoescaping leaves alone) whose :meth:`Html.format` and ``+`` escape what they are
given. The pages' templates and their SVG charts escape through it, the one way::

    >>> print(Html("<code>{}</code>").format('Acme <b> & "Co"'), Html.escape(None))
    <code>Acme &lt;b&gt; &amp; &quot;Co&quot;</code> (none)
"""

from __future__ import annotations

import html
from typing import Any

from markupsafe import Markup


class Html(Markup):
    """Markup that escapes as :func:`html.escape` does (``&quot;``, ``&#x27;``, where markupsafe
    writes ``&#34;``, ``&#39;``), so the pages read byte for byte as they did before they came
    from templates; None (a missing key from the data) reads "(none)"."""

    @classmethod
    def escape(cls, s: Any) -> Html:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(html.escape("(none)" if s is None else str(s), quote=True))


def line_breaks(text: object) -> Html:
    """Text of several lines, each escaped, joined by ``<br>``."""
    return Html("<br>").join(str(text).split("\n"))
