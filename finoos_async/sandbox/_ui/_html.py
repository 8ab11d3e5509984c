"""Escape-by-default HTML templating: every value is escaped unless it is :class:`Markup`.

A page is a :class:`string.Template` filled by :func:`render`. Echoed text (a search
query, a URL, a bank's name) cannot end up as markup by accident: only a
:class:`Markup` value, which :func:`render` itself returns, passes unescaped.
"""

from __future__ import annotations

import html
import string

__all__ = ["Markup", "join", "render"]


class Markup(str):
    """A string that is already safe HTML; :func:`render` inserts it as it is."""

    __slots__ = ()


def render(template: str, **values: object) -> Markup:
    """Fill ``template``'s ``$name`` placeholders, escaping every non-:class:`Markup` value.

    Example::

        >>> render("<p>$query</p>", query='<script>"x"</script>')
        '<p>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</p>'
    """
    escaped = {
        name: value if isinstance(value, Markup) else html.escape(str(value), quote=True)
        for name, value in values.items()
    }
    return Markup(string.Template(template).substitute(escaped))


def join(parts: list[Markup]) -> Markup:
    """Concatenate rendered fragments."""
    return Markup("".join(parts))
