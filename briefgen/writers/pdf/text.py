"""Inline content to reportlab paragraph markup, and to styled runs for bidi paragraphs.

reportlab's ``Paragraph`` parses its text as markup: an unescaped ``&`` or ``<``
breaks the build or injects tags (``<img src=...>`` would even fetch a URL). So the
writer never writes markup from text: ``markup`` makes tokens (text as typed, and the
tags it chooses), which reach reportlab's parser as data through its handlers
(``reportlab_private.markup_fragments``), or, where that could differ, are written
out by ``markup_text``, every text and attribute value passing through ``escape``
there, exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import assert_never

from briefgen import tree
from briefgen.text.fonts import drawn_and_copied
from briefgen.text.typography import single_spaced
from briefgen.writers.pdf.fallback import face_runs
from briefgen.writers.pdf.glyphs import unbreakable, with_marks
from briefgen.writers.pdf.reportlab_private import MarkupEnd, MarkupStart, MarkupToken

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


def markup(
    content: tuple[tree.Inline, ...], link_colour: str, face: str, bold: bool = False
) -> list[MarkupToken]:
    """reportlab markup for inline content set in ``face``, as the parser sees it (text
    and tags; ``markup_text`` writes it out); links in ``link_colour`` (``#RRGGBB``).
    Characters ``face`` lacks are set in the fallback face that has them
    (``fallback.face_runs``), its bold face inside bold markup (``bold``): a ``<font>``
    tag takes the weight of the face it names, not the ``<b>`` around it."""
    tokens: list[MarkupToken] = []
    for inline in content:
        _markup_inline(inline, link_colour, face, bold, tokens)
    return tokens


def _markup_inline(
    inline: tree.Inline, link_colour: str, face: str, bold: bool, tokens: list[MarkupToken]
) -> None:
    match inline:
        case tree.Text(text=text):
            _markup_text(text, face, bold, tokens)
        case tree.Strong(children=children):
            _tagged("b", (), children, (link_colour, face, True), tokens)
        case tree.Emphasis(children=children):
            _tagged("i", (), children, (link_colour, face, bold), tokens)
        case tree.Link(children=children):
            href = link_href(inline)
            if href is None:
                tokens += markup(children, link_colour, face, bold)
            else:
                link = (("href", href), ("color", link_colour))
                _tagged("a", link, children, (link_colour, face, bold), tokens)
        case tree.LineBreak():
            tokens.append(MarkupStart("br"))
        case tree.Isolate(children=children) | tree.Inserted(children=children):
            tokens += markup(children, link_colour, face, bold)
        case tree.Reformatted(children=children):
            tokens += markup(children, link_colour, face, bold)
        case tree.Deleted():
            pass  # the PDF shows this edition's text
        case _:
            assert_never(inline)


def _markup_text(text: str, face: str, bold: bool, tokens: list[MarkupToken]) -> None:
    """Text in ``face``, each run the face lacks in its fallback face (bold if ``bold``);
    the marks of emoji sequences, which draw nothing, copy with a character next to them."""
    drawn, copied = drawn_and_copied(text)
    marked = copied != drawn
    for run_face, run in face_runs(copied, face, bold):
        shown = unbreakable(with_marks(run, run_face) if marked else run, run_face)
        if run_face == face:
            tokens.append(shown)
        else:
            tokens += [MarkupStart("font", (("face", run_face),)), shown, MarkupEnd("font")]


def _tagged(
    tag: str,
    attributes: tuple[tuple[str, str], ...],
    children: tuple[tree.Inline, ...],
    setting: tuple[str, str, bool],
    tokens: list[MarkupToken],
) -> None:
    """``children`` inside ``tag``, set as ``setting`` says: link colour, face, bold."""
    tokens.append(MarkupStart(tag, attributes))
    tokens += markup(children, *setting)
    tokens.append(MarkupEnd(tag))


def markup_text(tokens: list[MarkupToken]) -> str:
    """The markup ``tokens`` stand for, written out for reportlab's parser: every text
    and attribute value escaped here, once."""
    out = []
    for token in tokens:
        if isinstance(token, str):
            out.append(escape(token))
        elif isinstance(token, MarkupEnd):
            out.append(f"</{token.tag}>")
        elif token.tag == "br":
            out.append("<br/>")
        else:
            pairs = "".join(f' {name}="{escape(value)}"' for name, value in token.attributes)
            out.append(f"<{token.tag}{pairs}>")
    return "".join(out)


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
