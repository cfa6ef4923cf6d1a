"""The format-neutral document tree that every writer walks.

A closed set of frozen block and inline types. ``compose`` builds a ``Document``
from a validated session and the templates; every writer turns the same tree into
one file format. Nothing here knows about a format.

The tree carries every decision a writer needs, made once in ``compose``: the base
direction of every paragraph, heading, table cell, cover line and contents entry;
the language of text that is not in the pack's language; heading levels within the
look's range; internal links that all reach a heading; the page label as pieces.
Writers draw what the tree says and never derive these from raw text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, assert_never

from briefgen.look import Look
from briefgen.text.direction import first_strong_direction

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


@dataclass(frozen=True, slots=True)
class Isolate:
    """A value the templates inserted (a name, a title, a date, a label): it keeps its own
    direction inside text of the other direction, as Unicode's first-strong isolate or
    HTML's ``bdi`` keep it."""

    children: tuple[Inline, ...]

    @property
    def direction(self) -> Direction | None:
        """The direction the value reads in: its first letter's that has one (None
        without one), as a first-strong isolate takes it; where a format has no
        isolates (Word), the value is embedded in this direction."""
        return first_strong_direction(plain_text(self.children))


@dataclass(frozen=True, slots=True)
class Inserted:
    """Text this edition added, against the edition it is compared with (``--since``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Deleted:
    """Text this edition removed: struck through in the DOCX (a revision) and the HTML
    edition; the PDF shows the edition as it is, with a bar beside what changed."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Reformatted:
    """Text this edition kept but formatted otherwise: ``bold`` and ``italic`` say how the
    edition it is compared with had it (its formatting now is the inlines around it)."""

    children: tuple[Inline, ...]
    bold: bool
    italic: bool


Inline = Text | Strong | Emphasis | Link | LineBreak | Isolate | Inserted | Deleted | Reformatted

# --- blocks ---------------------------------------------------------------------

Direction = Literal["ltr", "rtl"]
"""The base direction of a block: the order of its lines and the side it starts on."""

ParagraphRole = Literal[
    "body",
    "byline",
    "note",
    "cover-title",
    "cover-subtitle",
    "cover-line",
    "contents-title",
    "table-head",
    "table-cell",
]


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; ``anchor`` is the target of internal links and outline entries."""

    level: int
    content: tuple[Inline, ...]
    anchor: str
    direction: Direction = "ltr"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; ``lang`` is a BCP 47 tag when its text is not in the pack's language."""

    content: tuple[Inline, ...]
    role: ParagraphRole = "body"
    lang: str | None = None
    direction: Direction = "ltr"
    keep_with_previous: bool = False
    """A line that never starts a page away from the block before it (a key message's
    sources, a statement's "Cited in" line: a ``::: with-previous`` block of the
    templates): it takes at least the last lines of that block along to a new page."""


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet (``ordered=False``) or numbered list; each item is a run of blocks.

    ``direction`` is its first item's: where the list as a whole starts (a change bar
    beside it); each item's bullet or number stands on its own side
    (``item_direction``); ``start`` the number of a numbered list's first item.
    """

    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    direction: Direction = "ltr"
    start: int = 1

    def item_direction(self, index: int) -> Direction:
        """The side item ``index``'s bullet or number stands on, its text indented from
        there: where its first paragraph's lines start, however deeply nested, as Word,
        LibreOffice and browsers set the label of a paragraph of either direction (an
        Arabic key message in a French box has its bullet on the right); the list's
        direction for an item without a paragraph."""
        first = next(paragraphs((self.items[index],)), None)
        return self.direction if first is None else first.direction


Change = Literal["inserted", "deleted"]
"""How an edition changed a whole block or entry, against the one it is compared with."""


@dataclass(frozen=True, slots=True)
class Caption:
    """What a table is about, for a reader who meets it apart from its page (a screen
    reader's list of tables): the title of the section it stands in."""

    text: str
    direction: Direction = "ltr"


@dataclass(frozen=True, slots=True)
class Table:
    """A table; each cell is one paragraph (roles ``table-head`` and ``table-cell``).

    ``widths`` are the columns' shares of the text width, summing to 1; ``caption`` is
    None for a table before any heading; ``direction`` the way its columns run: a
    right-to-left table has its first column on the right.

    Compared with an earlier edition, ``rows`` hold the rows of both: ``row_changes``
    says, row by row, which the edition added or removed whole (None for a row both
    have; empty when no row was); ``row_change`` reads it.
    """

    header: tuple[Paragraph, ...]
    rows: tuple[tuple[Paragraph, ...], ...]
    widths: tuple[float, ...] = ()
    caption: Caption | None = None
    direction: Direction = "ltr"
    row_changes: tuple[Change | None, ...] = ()

    def row_change(self, index: int) -> Change | None:
        """How the edition changed row ``index`` whole: None where both editions have it."""
        return self.row_changes[index] if index < len(self.row_changes) else None


@dataclass(frozen=True, slots=True)
class KeyMessages:
    """Key messages set apart visually (a shaded box in print).

    ``direction`` is the side the box's accent bar stands on: where its lines start.
    """

    blocks: tuple[Block, ...]
    direction: Direction = "ltr"


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class Cover:
    """The cover page: title, optional subtitle, detail lines, optional logo file.

    ``logo_alt`` says what the logo shows, for those who cannot see it; empty, the logo
    is decoration (an artifact in the PDF, ``alt=""`` in HTML, no description in DOCX).
    ``direction`` is the pack's: the side the logo and the rule under the lines stand
    on, where the lines start (the lines have their own directions).
    """

    title: Paragraph
    subtitle: Paragraph | None
    lines: tuple[Paragraph, ...]
    logo: str | None = None
    logo_alt: str = ""
    direction: Direction = "ltr"
    subtitle_change: Change | None = None
    """Set in a pack compared with an earlier edition: the subtitle was added or removed."""
    line_changes: tuple[Change | None, ...] = ()
    """How the edition changed each line whole (added or removed), as ``Table.row_changes``."""

    def line_change(self, index: int) -> Change | None:
        """How the edition changed line ``index`` whole: None where both editions have it."""
        return self.line_changes[index] if index < len(self.line_changes) else None


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """A line of the contents or of an index: text linked to a heading (``anchor``; empty
    when the heading is not in the pack), with that heading's page number."""

    level: int
    text: str
    anchor: str
    direction: Direction = "ltr"
    """The line's: the pack's own, as every line of a contents or an index has it (the
    number at the end of the line), whatever the direction of the title it lists."""
    change: Change | None = None
    """Set in an index compared with an earlier edition: the entry was added or removed."""
    content: tuple[Inline, ...] = ()
    """What the line shows (``entry_content``): the values the templates printed (a
    title, a name) are isolates, each read in its own direction inside the line."""

    @property
    def shown(self) -> tuple[Inline, ...]:
        """``content``; for an entry made from ``text`` alone, the text as one isolate."""
        return self.content or entry_content((Text(self.text),))


@dataclass(frozen=True, slots=True)
class Contents:
    """The table of contents; its entries are the headings of the tree, known before layout.

    ``depth`` is the deepest heading level listed.
    """

    title: Paragraph
    entries: tuple[ContentsEntry, ...]
    depth: int = 2


QR_CODE_SIZE = 40 * 72 / 25.4
"""A handout's QR code: 40 mm wide with its quiet zone, about 30 mm for the code itself."""


@dataclass(frozen=True, slots=True)
class QRCode:
    """A QR code of the web address ``url``, with ``caption`` (the address) printed under it.

    ``alt`` is its alternate text, for those who cannot see it, in the pack's language: it
    says what the picture is (the caption under it already reads out the address, which
    the alternate text would otherwise repeat). ``size`` is its width and height in
    points, its quiet zone (four modules of white around it) included.
    """

    url: str
    caption: str
    alt: str
    direction: Direction = "ltr"
    size: float = QR_CODE_SIZE


@dataclass(frozen=True, slots=True)
class IndexGroup:
    """One name of an index and its entries, each pointing at a heading (its page)."""

    name: Paragraph
    entries: tuple[ContentsEntry, ...]
    change: Change | None = None
    """Set in an index compared with an earlier edition: the whole group was added or
    removed."""


@dataclass(frozen=True, slots=True)
class Index:
    """An index, such as the organisations and the statements they took part in; each
    entry shows the page of the heading it points at, as a contents line does."""

    groups: tuple[IndexGroup, ...]


@dataclass(frozen=True, slots=True)
class Revised:
    """Blocks this edition added (``change="inserted"``) or removed (``"deleted"``),
    against the edition it is compared with."""

    change: Change
    blocks: tuple[Block, ...]


Block = (
    Heading
    | Paragraph
    | ListBlock
    | Table
    | KeyMessages
    | PageBreak
    | Cover
    | Contents
    | QRCode
    | Index
    | Revised
)

# --- the document ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageNumber:
    """In a page label: the number of the page."""


@dataclass(frozen=True, slots=True)
class PageCount:
    """In a page label: the number of pages."""


LabelPiece = str | PageNumber | PageCount


@dataclass(frozen=True, slots=True)
class PageLabel:
    """The footer's page label ("Page {page} of {total}") as text and number pieces."""

    pieces: tuple[LabelPiece, ...]
    direction: Direction = "ltr"

    def text(self, page: int, total: int) -> str:
        """Return the label of page ``page`` of ``total``."""
        return "".join(_label_piece_text(piece, page, total) for piece in self.pieces)


def _label_piece_text(piece: LabelPiece, page: int, total: int) -> str:
    match piece:
        case str():
            return piece
        case PageNumber():
            return str(page)
        case PageCount():
            return str(total)
    assert_never(piece)


@dataclass(frozen=True, slots=True)
class RevisionWords:
    """What is said around the words an edition added or removed, for readers who do
    not see them marked (screen readers do not announce ``ins`` and ``del`` by default)."""

    inserted: str = "added"
    inserted_end: str = "end of addition"
    deleted: str = "removed"
    deleted_end: str = "end of removal"


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
    running_header: Paragraph
    draft_mark: Paragraph
    page_label: PageLabel = PageLabel(("Page ", PageNumber(), " of ", PageCount()))
    revisions: Revisions | None = None
    """Set when the document is compared with an earlier edition."""
    direction: Direction = "ltr"
    """The document's own: its language's, in which text added to it reads by default."""
    revision_words: RevisionWords = RevisionWords()


@dataclass(frozen=True, slots=True)
class Revisions:
    """Who made this edition's changes and when, as a word processor records revisions."""

    author: str
    date: datetime


def _default_look() -> Look:
    """The built-in look (read when first needed: a writer gets its tree's look)."""
    from briefgen.look import default_look

    return default_look()


@dataclass(frozen=True, slots=True)
class Document:
    """The pack: its metadata, its blocks in reading order, and the look to draw it in."""

    meta: Metadata
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    look: Look = field(default_factory=_default_look)


# --- helpers shared by the writers ----------------------------------------------


def outline_depth(open_levels: list[int], level: int) -> int:
    """The depth of a heading of ``level`` below the open headings, which it updates.

    The depth is the number of open headings above it, so that a skipped level (an h3
    straight after an h1) still gives siblings, never a chain of children: what an
    outline, a tagged PDF's or an HTML page's heading ranks need.
    """
    while open_levels and open_levels[-1] >= level:
        open_levels.pop()
    depth = len(open_levels)
    open_levels.append(level)
    return depth


def plain_text(content: tuple[Inline, ...]) -> str:
    """Return the text of inline content with all formatting dropped."""
    parts: list[str] = []
    for inline in content:
        match inline:
            case Text(text=text):
                parts.append(text)
            case Strong(children=children) | Emphasis(children=children) | Isolate(children):
                parts.append(plain_text(children))
            case Link(children=children) | Inserted(children=children):
                parts.append(plain_text(children))
            case Reformatted(children=children):
                parts.append(plain_text(children))
            case LineBreak():
                parts.append("\n")
            case Deleted():
                pass  # the text of this edition
    return "".join(parts)


def entry_content(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Inline content as a contents or index line shows it: its text and its isolates,
    as this edition reads (what an edition removed left out); emphasis, links and
    revision marks dropped, line breaks made spaces. Content the templates wrote holds
    the values they printed as isolates; content without one (a heading a user typed)
    is one value, isolated whole."""
    shown = _shown_inlines(content)
    if not any(isinstance(inline, Isolate) for inline in shown):
        return (Isolate(shown),)
    return shown


def _shown_inlines(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    shown: list[Inline] = []
    for inline in content:
        match inline:
            case Text():
                shown.append(inline)
            case Isolate(children=children):
                shown.append(Isolate(_shown_inlines(children)))
            case Strong(children=children) | Emphasis(children=children) | Link(children=children):
                shown += _shown_inlines(children)
            case Inserted(children=children) | Reformatted(children=children):
                shown += _shown_inlines(children)
            case LineBreak():
                shown.append(Text(" "))
            case Deleted():
                pass
            case _:
                assert_never(inline)
    return tuple(shown)


def direction_of(block: Block) -> Direction:
    """The direction compose gave ``block``: the side its lines start on, where a mark
    beside the whole block (a change bar) stands. A cover, contents or index has its
    title's or first name's; a page break, or blocks an edition removed, the first
    block's, or none ("ltr")."""
    match block:
        case Heading() | Paragraph() | ListBlock() | Table() | KeyMessages() | QRCode():
            return block.direction
        case Cover(title=title) | Contents(title=title):
            return title.direction
        case Index(groups=groups):
            return groups[0].name.direction if groups else "ltr"
        case Revised(blocks=blocks):
            return direction_of(blocks[0]) if blocks else "ltr"
        case PageBreak():
            return "ltr"
    assert_never(block)


def paragraphs(items: tuple[tuple[Block, ...], ...]) -> Iterator[Paragraph]:
    """The paragraphs of list items (or a box's blocks, or a table's rows) in reading
    order, those of nested lists and of revised blocks included."""
    for item in items:
        for child in item:
            match child:
                case Paragraph():
                    yield child
                case ListBlock(items=nested):
                    yield from paragraphs(nested)
                case Revised(blocks=blocks):
                    yield from paragraphs((blocks,))


def has_revisions(content: tuple[Inline, ...]) -> bool:
    """Whether inline content holds text an edition added or removed."""
    for inline in content:
        match inline:
            case Inserted() | Deleted() | Reformatted():
                return True
            case Strong(children=c) | Emphasis(children=c) | Link(children=c) | Isolate(c):
                if has_revisions(c):
                    return True
    return False


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
        case Heading(level=level, content=content, anchor=anchor, direction=direction):
            return [f"{pad}h{level}{_rtl_mark(direction)} #{anchor} {_dump_inlines(content)}"]
        case Paragraph(content=content, role=role, lang=lang, direction=direction):
            kept = " <with-previous>" if block.keep_with_previous else ""
            tag = f"p[{role}{',' + lang if lang else ''}]{_rtl_mark(direction)}{kept}"
            return [f"{pad}{tag} {_dump_inlines(content)}"]
        case ListBlock(ordered=ordered, items=items, direction=direction, start=start):
            first = f" start={start}" if ordered and start != 1 else ""
            out = [f"{pad}{'ol' if ordered else 'ul'}{first}{_rtl_mark(direction)}"]
            for item in items:
                out.append(f"{pad}  li")
                for child in item:
                    out.extend(_dump_block(child, depth + 2))
            return out
        case Table(header=header, rows=rows, caption=caption):
            title = "" if caption is None else f" {caption.text!r}{_rtl_mark(caption.direction)}"
            out = [f"{pad}table{title}"]
            out.append(f"{pad}  th " + " | ".join(_dump_cell(c) for c in header))
            for index, row in enumerate(rows):
                change = block.row_change(index)
                mark = "" if change is None else f"({change}) "
                out.append(f"{pad}  tr {mark}" + " | ".join(_dump_cell(c) for c in row))
            return out
        case KeyMessages(blocks=blocks, direction=direction):
            out = [f"{pad}key-messages{_rtl_mark(direction)}"]
            for child in blocks:
                out.extend(_dump_block(child, depth + 1))
            return out
        case PageBreak():
            return [f"{pad}page-break"]
        case Cover(title=title, subtitle=subtitle, lines=cover_lines, logo=logo):
            title_text = plain_text(title.content)
            subtitle_text = None if subtitle is None else plain_text(subtitle.content)
            alt = f" alt={block.logo_alt!r}" if logo else ""
            out = [
                f"{pad}cover{_rtl_mark(block.direction)} {title_text!r}"
                f" subtitle={subtitle_text!r} logo={logo!r}{alt}"
            ]
            for line in cover_lines:
                out.extend(_dump_block(line, depth + 1))
            return out
        case Contents(title=title, entries=entries):
            out = [f"{pad}contents {plain_text(title.content)!r}"]
            out.extend(f"{pad}  {'  ' * (e.level - 1)}{_dump_entry(e)}" for e in entries)
            return out
        case QRCode(url=url, caption=caption, alt=alt, direction=direction):
            return [f"{pad}qr-code{_rtl_mark(direction)} {url} caption={caption!r} alt={alt!r}"]
        case Index(groups=groups):
            out = [f"{pad}index"]
            for group in groups:
                if group.change is not None:
                    out.append(f"{pad}  ({group.change})")
                out.extend(_dump_block(group.name, depth + 1))
                out.extend(f"{pad}    {_dump_entry(e)}" for e in group.entries)
            return out
        case Revised(change=change, blocks=blocks):
            out = [f"{pad}{change}"]
            for child in blocks:
                out.extend(_dump_block(child, depth + 1))
            return out
    assert_never(block)


def _dump_entry(entry: ContentsEntry) -> str:
    change = "" if entry.change is None else f"({entry.change}) "
    return f"{change}{entry.text}{_rtl_mark(entry.direction)} -> #{entry.anchor}"


def _rtl_mark(direction: Direction) -> str:
    """The dump marks right-to-left blocks only, so that left-to-right packs read as before."""
    return " <rtl>" if direction == "rtl" else ""


def _dump_cell(cell: Paragraph) -> str:
    return _dump_inlines(cell.content) + _rtl_mark(cell.direction)


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
        case Isolate(children=children):  # every inserted value: the dump shows its text
            return _dump_inlines(children)
        case Inserted(children=children):
            return f"{{+{_dump_inlines(children)}+}}"
        case Deleted(children=children):
            return f"[-{_dump_inlines(children)}-]"
        case Reformatted(children=children):
            return f"{{~{_dump_inlines(children)}~}}"
    assert_never(inline)
