"""The format-neutral document tree that every writer walks.

A closed set of frozen block and inline types. ``compose`` builds a ``Document``
from a validated session and the templates; ``writers.pdf`` and ``writers.docx``
each turn the same tree into one file format. Nothing here knows about a format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, assert_never

# --- inline content -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; ``target`` is an absolute http(s) URL or ``#anchor`` inside the pack."""

    children: tuple[Inline, ...]
    target: str

    @property
    def is_internal(self) -> bool:
        return self.target.startswith("#")


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline = Text | Strong | Emphasis | Link | LineBreak

# --- blocks ---------------------------------------------------------------------

ParagraphRole = Literal["body", "byline", "note", "cover-line"]


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; ``anchor`` is the target of internal links and outline entries."""

    level: int
    content: tuple[Inline, ...]
    anchor: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; ``lang`` is a BCP 47 tag when its text is in another language."""

    content: tuple[Inline, ...]
    role: ParagraphRole = "body"
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet (``ordered=False``) or numbered list; each item is a run of blocks."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class KeyMessages:
    """Key messages set apart visually (a shaded box in print)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Cover:
    """The cover page: title, optional subtitle, detail lines, optional logo file."""

    title: str
    subtitle: str | None
    lines: tuple[Paragraph, ...]
    logo: str | None = None


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Contents:
    """The table of contents; its entries are the headings of the tree, known before layout."""

    title: str
    entries: tuple[ContentsEntry, ...]


Block = Heading | Paragraph | ListBlock | Table | KeyMessages | PageBreak | Cover | Contents

# --- the document ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    created: datetime
    paper: Literal["A4", "Letter"]
    draft: bool
    running_header: str
    draft_mark: str
    page_label: str = "Page {page} of {total}"


@dataclass(frozen=True, slots=True)
class Document:
    meta: Metadata
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# --- helpers shared by the writers ----------------------------------------------


def plain_text(content: tuple[Inline, ...]) -> str:
    """Return the text of inline content with all formatting dropped."""
    parts: list[str] = []
    for inline in content:
        match inline:
            case Text(text=text):
                parts.append(text)
            case Strong(children=children) | Emphasis(children=children):
                parts.append(plain_text(children))
            case Link(children=children):
                parts.append(plain_text(children))
            case LineBreak():
                parts.append("\n")
    return "".join(parts)


def dump(document: Document) -> str:
    """Return the tree as indented text: the debugging view and the golden file format."""
    lines = [
        f"meta {document.meta.title!r} lang={document.meta.language} "
        f"paper={document.meta.paper} draft={document.meta.draft}"
    ]
    for block in document.blocks:
        lines.extend(_dump_block(block, 0))
    return "\n".join(lines) + "\n"


def _dump_block(block: Block, depth: int) -> list[str]:
    pad = "  " * depth
    match block:
        case Heading(level=level, content=content, anchor=anchor):
            return [f"{pad}h{level} #{anchor} {_dump_inlines(content)}"]
        case Paragraph(content=content, role=role, lang=lang):
            tag = f"p[{role}{',' + lang if lang else ''}]"
            return [f"{pad}{tag} {_dump_inlines(content)}"]
        case ListBlock(ordered=ordered, items=items):
            out = [f"{pad}{'ol' if ordered else 'ul'}"]
            for item in items:
                out.append(f"{pad}  li")
                for child in item:
                    out.extend(_dump_block(child, depth + 2))
            return out
        case Table(header=header, rows=rows):
            out = [f"{pad}table"]
            out.append(f"{pad}  th " + " | ".join(_dump_inlines(c) for c in header))
            out.extend(f"{pad}  tr " + " | ".join(_dump_inlines(c) for c in row) for row in rows)
            return out
        case KeyMessages(blocks=blocks):
            out = [f"{pad}key-messages"]
            for child in blocks:
                out.extend(_dump_block(child, depth + 1))
            return out
        case PageBreak():
            return [f"{pad}page-break"]
        case Cover(title=title, subtitle=subtitle, lines=cover_lines, logo=logo):
            out = [f"{pad}cover {title!r} subtitle={subtitle!r} logo={logo!r}"]
            for line in cover_lines:
                out.extend(_dump_block(line, depth + 1))
            return out
        case Contents(title=title, entries=entries):
            out = [f"{pad}contents {title!r}"]
            out.extend(f"{pad}  {'  ' * (e.level - 1)}{e.text} -> #{e.anchor}" for e in entries)
            return out
    assert_never(block)


def _dump_inlines(content: tuple[Inline, ...]) -> str:
    return "".join(_dump_inline(inline) for inline in content)


def _dump_inline(inline: Inline) -> str:
    match inline:
        case Text(text=text):
            return text
        case Strong(children=children):
            return f"**{_dump_inlines(children)}**"
        case Emphasis(children=children):
            return f"_{_dump_inlines(children)}_"
        case Link(children=children, target=target):
            return f"[{_dump_inlines(children)}]({target})"
        case LineBreak():
            return "\\n"
    assert_never(inline)
