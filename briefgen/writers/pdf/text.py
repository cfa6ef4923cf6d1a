"""Inline content to reportlab paragraph markup, and to styled runs for bidi paragraphs.

reportlab's ``Paragraph`` parses its text as markup: an unescaped ``&`` or ``<``
breaks the build or injects tags (``<img src=...>`` would even fetch a URL). All
text and attribute values therefore pass through ``escape`` here, exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import assert_never

from briefgen import tree

LINK_COLOUR = "#1B3A6B"
_EXTERNAL_SCHEMES = ("http://", "https://", "mailto:")


def escape(text: str) -> str:
    """Escape text for reportlab markup, in element content and in quoted attributes."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def link_href(link: tree.Link, anchors: frozenset[str]) -> str | None:
    """The href to emit for ``link``, or None to show it as plain text.

    Internal links to anchors no heading defines, and schemes other than http(s) and
    mailto, are dropped: the first would fail the PDF, the second is not for a pack.
    """
    if link.is_internal:
        return link.target if link.target[1:] in anchors else None
    return link.target if link.target.startswith(_EXTERNAL_SCHEMES) else None


def markup(content: tuple[tree.Inline, ...], anchors: frozenset[str]) -> str:
    """reportlab markup for inline content."""
    return "".join(_markup_inline(inline, anchors) for inline in content)


def _markup_inline(inline: tree.Inline, anchors: frozenset[str]) -> str:
    match inline:
        case tree.Text(text=text):
            return escape(text)
        case tree.Strong(children=children):
            return f"<b>{markup(children, anchors)}</b>"
        case tree.Emphasis(children=children):
            return f"<i>{markup(children, anchors)}</i>"
        case tree.Link(children=children):
            inner = markup(children, anchors)
            href = link_href(inline, anchors)
            if href is None:
                return inner
            return f'<a href="{escape(href)}" color="{LINK_COLOUR}">{inner}</a>'
        case tree.LineBreak():
            return "<br/>"
    assert_never(inline)


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one look; ``text`` is ``"\\n"`` for a forced line break."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


def runs(content: tuple[tree.Inline, ...], anchors: frozenset[str]) -> list[Run]:
    """Flatten inline content into styled runs (for the bidi paragraph, which draws itself)."""
    return list(_runs(content, Run(""), anchors))


def _runs(content: tuple[tree.Inline, ...], look: Run, anchors: frozenset[str]) -> Iterator[Run]:
    for inline in content:
        match inline:
            case tree.Text(text=text):
                yield Run(text, look.bold, look.italic, look.href)
            case tree.Strong(children=children):
                yield from _runs(children, Run("", True, look.italic, look.href), anchors)
            case tree.Emphasis(children=children):
                yield from _runs(children, Run("", look.bold, True, look.href), anchors)
            case tree.Link(children=children):
                href = link_href(inline, anchors) or look.href
                yield from _runs(children, Run("", look.bold, look.italic, href), anchors)
            case tree.LineBreak():
                yield Run("\n")
            case _:
                assert_never(inline)
