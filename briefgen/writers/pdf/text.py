"""Inline content to reportlab paragraph markup, and to styled runs for bidi paragraphs.

reportlab's ``Paragraph`` parses its text as markup: an unescaped ``&`` or ``<``
breaks the build or injects tags (``<img src=...>`` would even fetch a URL). All
text and attribute values therefore pass through ``escape`` here, exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import assert_never

from briefgen import tree
from briefgen.text.fonts import without_ignorables
from briefgen.text.typography import single_spaced
from briefgen.writers.pdf.fallback import face_runs
from briefgen.writers.pdf.glyphs import unbreakable

_EXTERNAL_SCHEMES = ("http://", "https://", "mailto:")


def escape(text: str) -> str:
    """Escape text for reportlab markup, in element content and in quoted attributes."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def link_href(link: tree.Link) -> str | None:
    """The href to emit for ``link``, or None to show it as plain text.

    The tree's internal links all reach a heading (``compose`` saw to it); of external
    links only http(s) and mailto are drawn as links, as a safeguard.
    """
    if link.is_internal:
        return link.target
    return link.target if link.target.startswith(_EXTERNAL_SCHEMES) else None


def markup(content: tuple[tree.Inline, ...], link_colour: str, face: str) -> str:
    """reportlab markup for inline content set in ``face``; links in ``link_colour``
    (``#RRGGBB``). Characters ``face`` lacks are set in the fallback face that has them
    (``fallback.face_runs``); bold and italic markup pick that family's faces."""
    return "".join(_markup_inline(inline, link_colour, face) for inline in content)


def _markup_inline(inline: tree.Inline, link_colour: str, face: str) -> str:
    match inline:
        case tree.Text(text=text):
            return "".join(
                _font_run(unbreakable(run, run_face), run_face, face)
                for run_face, run in face_runs(without_ignorables(text), face)
            )
        case tree.Strong(children=children):
            return f"<b>{markup(children, link_colour, face)}</b>"
        case tree.Emphasis(children=children):
            return f"<i>{markup(children, link_colour, face)}</i>"
        case tree.Link(children=children):
            inner = markup(children, link_colour, face)
            href = link_href(inline)
            if href is None:
                return inner
            return f'<a href="{escape(href)}" color="{escape(link_colour)}">{inner}</a>'
        case tree.LineBreak():
            return "<br/>"
        case tree.Isolate(children=children) | tree.Inserted(children=children):
            return markup(children, link_colour, face)
        case tree.Reformatted(children=children):
            return markup(children, link_colour, face)
        case tree.Deleted():
            return ""  # the PDF shows this edition's text
    assert_never(inline)


def _font_run(text: str, run_face: str, face: str) -> str:
    """Markup for ``text`` drawn in ``run_face`` inside a paragraph set in ``face``."""
    return escape(text) if run_face == face else f'<font face="{run_face}">{escape(text)}</font>'


def link_texts(content: tuple[tree.Inline, ...]) -> tuple[str, ...]:
    """The text of each link drawn as a link, in order: their alternate descriptions.

    The links counted are those ``markup`` makes ``<a>`` of (reportlab numbers them in
    that order) and those ``runs`` number.
    """
    found: list[str] = []
    for inline in content:
        match inline:
            case tree.Text() | tree.LineBreak():  # first: most inlines are text
                pass
            case tree.Strong(children=children) | tree.Emphasis(children=children):
                found += link_texts(children)
            case tree.Isolate(children=children) | tree.Inserted(children=children):
                found += link_texts(children)
            case tree.Reformatted(children=children):
                found += link_texts(children)
            case tree.Deleted():
                pass
            case tree.Link(children=children):
                if link_href(inline) is not None:
                    found.append(single_spaced(tree.plain_text(children)))
            case _:
                assert_never(inline)
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one look; ``text`` is ``"\\n"`` for a forced line break.

    ``link`` numbers the link it is part of (from 0, as ``link_texts``), if any;
    ``isolate`` the isolate (a value the templates inserted) it is part of, if any.
    """

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    link: int | None = None
    isolate: int | None = None


def runs(content: tuple[tree.Inline, ...]) -> list[Run]:
    """Flatten inline content into styled runs (for the bidi paragraph, which draws itself)."""
    return list(_runs(content, Run(""), [0, 0]))


def _runs(content: tuple[tree.Inline, ...], look: Run, counts: list[int]) -> Iterator[Run]:
    """``counts``: the links and the isolates numbered so far."""
    for inline in content:
        match inline:
            case tree.Text(text=text):
                yield replace(look, text=text)
            case tree.Strong(children=children):
                yield from _runs(children, replace(look, bold=True), counts)
            case tree.Emphasis(children=children):
                yield from _runs(children, replace(look, italic=True), counts)
            case tree.Link(children=children):
                href, link = link_href(inline), look.link
                if href is not None:
                    link, counts[0] = counts[0], counts[0] + 1
                yield from _runs(children, replace(look, href=href or look.href, link=link), counts)
            case tree.LineBreak():
                yield Run("\n")
            case tree.Isolate(children=children) if look.isolate is None:
                number, counts[1] = counts[1], counts[1] + 1
                yield from _runs(children, replace(look, isolate=number), counts)
            case tree.Isolate(children=children) | tree.Inserted(children=children):
                yield from _runs(children, look, counts)
            case tree.Reformatted(children=children):
                yield from _runs(children, look, counts)
            case tree.Deleted():
                pass
            case _:
                assert_never(inline)
