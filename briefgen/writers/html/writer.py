"""The HTML writer: a ``tree.Document`` to one self-contained web page.

The page needs nothing beside it: the style is inline (``styles``, from the look), the
faces are subset and embedded (``fonts``), the logo is a data URI (``images``); it
runs no script and loads nothing. ``body`` writes the blocks in the tree's order, the
first cover as the page's banner, the rest in ``main``, the contents as a navigation
landmark. The same tree gives the same bytes.
"""

from __future__ import annotations

from typing import assert_never

from briefgen import tree
from briefgen.text.typography import single_spaced
from briefgen.writers import Rendered
from briefgen.writers.html.body import BodyWriter, Scope
from briefgen.writers.html.fonts import FontUsage, font_face_rules, text_width
from briefgen.writers.html.markup import element, start_tag
from briefgen.writers.html.styles import (
    DraftMark,
    css_string,
    print_css,
    revision_css,
    screen_css,
)

_DIGITS = "0123456789."  # list numbers and page numbers, drawn by the browser


def write_html(document: tree.Document) -> Rendered:
    """Render ``document`` as the bytes of an HTML page; a page has no page count."""
    look, meta = document.look, document.meta
    scope = Scope(meta.language, meta.direction)
    usage = FontUsage()
    body = BodyWriter(look, usage)
    blocks = document.blocks
    banner = blocks[0] if blocks and isinstance(blocks[0], tree.Cover) else None
    draft = _draft_text(meta)
    note = _draft_note(draft, scope, meta.draft_mark.direction)
    if banner is not None:
        body.cover(banner, scope, tag="header", first=note)
        blocks = blocks[1:]
    body.out.append("<main>\n")
    if banner is None:
        body.out.extend(note)
    body.blocks(blocks, scope)
    body.out.append("</main>\n")

    # What the browser draws beside the tree's text: list markers, the page furniture.
    usage.add(" ".join(look.lists.bullets) + _DIGITS, bold=False, italic=False)
    header = single_spaced(tree.plain_text(meta.running_header.content))
    furniture = look.text.furniture
    furniture_text = header + _label_text(meta.page_label) + _DIGITS
    usage.add(furniture_text, bold=furniture.bold, italic=furniture.italic)
    mark = None
    if draft is not None:
        style = look.text.draft_mark
        usage.add(draft, bold=style.bold, italic=style.italic)
        width = text_width(look.font.face(bold=style.bold, italic=style.italic), draft)
        mark = DraftMark(draft, meta.draft_mark.direction, width)
    faces = font_face_rules(look.font, usage)
    stylesheet = "\n".join(
        [
            faces.rules,
            screen_css(look, meta.paper, mark, faces.fallbacks),
            *([revision_css(meta.revision_words)] if meta.revisions is not None else []),
            print_css(
                look,
                meta.paper,
                (header, meta.running_header.direction) if header else None,
                _label(meta.page_label),
                meta.page_label.direction,
                faces.fallbacks,
            ),
        ]
    )
    page = [
        "<!DOCTYPE html>",
        start_tag("html", {"lang": meta.language, "dir": scope.direction}),
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        element("title", meta.title),
        *_meta("author", meta.author),
        *_meta("description", meta.subject),
        *_meta("keywords", ", ".join(meta.keywords)),
        '<meta name="generator" content="briefgen">',
        f"<style>\n{stylesheet}\n</style>",
        "</head>",
        "<body>",
        "".join(body.out) + "</body>",
        "</html>",
        "",
    ]
    return Rendered("\n".join(page).encode("utf-8"), pages=None)


def _meta(name: str, content: str) -> list[str]:
    return [start_tag("meta", {"name": name, "content": content})] if content.strip() else []


def _draft_text(meta: tree.Metadata) -> str | None:
    if not meta.draft:
        return None
    text = tree.plain_text(meta.draft_mark.content).strip()
    return text or None


def _draft_note(draft: str | None, scope: Scope, direction: tree.Direction) -> list[str]:
    """The draft mark for screen readers: the one across the page is drawn by the style."""
    if draft is None:
        return []
    attributes, _ = scope.attributes(None, direction)
    return [element("p", draft, {"class": "visually-hidden", **attributes})]


def _label(label: tree.PageLabel) -> str:
    """The page label as CSS content: its text, and counters for its numbers."""
    parts = []
    for piece in label.pieces:
        match piece:
            case str():
                parts.append(css_string(piece))
            case tree.PageNumber():
                parts.append("counter(page)")
            case tree.PageCount():
                parts.append("counter(pages)")
            case _:
                assert_never(piece)
    return " ".join(parts) or '""'


def _label_text(label: tree.PageLabel) -> str:
    return "".join(piece for piece in label.pieces if isinstance(piece, str))
