"""The decisions every writer needs, made once on the composed blocks.

The templates give blocks as Markdown says them. Here they get what writers must
agree on: each heading a unique anchor and a level the look has a style for; each
internal link a target that exists (else its text stays, unlinked); each paragraph,
heading, table, table cell, list, cover line and contents entry its base direction (a
contents or index line the pack's, the title it lists its own); each table
the title of the section it stands in, as its caption; the contents its entries.
Writers only draw what this module decided.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import assert_never

from briefgen import tree
from briefgen.compose.tables import column_shares
from briefgen.look import MAX_HEADING_LEVEL, Look
from briefgen.text.direction import base_direction, language_direction
from briefgen.text.metrics import drawn_width
from briefgen.text.typography import single_spaced, spacing

# Roles of lines that quote data in any language (titles): the direction most of their
# letters read in decides, not the pack's language.
TITLE_ROLES: frozenset[tree.ParagraphRole] = frozenset(
    {"cover-title", "cover-subtitle", "contents-title"}
)


def decide(
    blocks: tuple[tree.Block, ...], language: str, look: Look, *, french_spaces: bool = True
) -> tuple[tree.Block, ...]:
    """Return ``blocks`` with anchors, heading levels, links, directions, column widths,
    contents and no-break spaces decided.

    ``language`` is the pack's: text without a language of its own reads in its direction.
    With ``french_spaces``, French text gets its no-break spaces; Russian text gets the
    one before a dash in any case (``text.typography.spacing``).
    """
    anchored = _Anchors().blocks(blocks)
    targets = frozenset(_heading_anchors(anchored))
    decider = _Decider(language, look, targets, french_spaces)
    decided = tuple(decider.block(block) for block in anchored)
    return _with_contents(decided, look.contents.depth, language_direction(language))


def title_line(text: str, role: tree.ParagraphRole) -> tree.Paragraph:
    """A one-line paragraph of plain ``text`` (a title, a header), its direction decided."""
    return tree.Paragraph((tree.Text(text),), role, direction=base_direction(text))


def joined_line(parts: Sequence[str], separator: str, role: tree.ParagraphRole) -> tree.Paragraph:
    """A one-line paragraph of ``parts`` with the language's ``separator`` between them (a
    handout's byline: title, kind, date), each part an isolate that keeps its own
    direction, as the templates print values."""
    content: list[tree.Inline] = []
    for index, part in enumerate(parts):
        content += [tree.Text(separator)] if index else []
        content.append(tree.Isolate((tree.Text(part),)))
    return tree.Paragraph(tuple(content), role, direction=base_direction(separator.join(parts)))


def running_header(title: str, look: Look, paper: str, ellipsis: str) -> tree.Paragraph:
    """The running header: the title on one line of the page, cut with the language's
    ``ellipsis`` ("…", Chinese "……"; at a word where one is near) when it is wider, as
    measured in the furniture's face and, for characters it lacks (Chinese), in the
    fallback face that draws them."""
    style = look.text.furniture
    face = look.font.face(bold=style.bold, italic=style.italic)
    page = look.page
    room = page.size(paper)[0] - page.margins.left - page.margins.right
    text = single_spaced(title)
    if drawn_width(text, face, style.size, style.bold) > room:
        cut = len(text)
        while cut > 1 and drawn_width(text[:cut] + ellipsis, face, style.size, style.bold) > room:
            cut -= max(1, cut // 16) if cut > 64 else 1
        word_end = text.rfind(" ", 0, cut)
        cut = word_end if word_end > cut * 0.75 else cut
        text = text[:cut].rstrip() + ellipsis
    return title_line(text, "body")


class _Decider:
    def __init__(
        self, language: str, look: Look, targets: frozenset[str], french_spaces: bool
    ) -> None:
        self.language = language
        self.look = look
        self.targets = targets
        self.french_spaces = french_spaces
        self.section: tree.Caption | None = None  # the last heading's title, in reading order

    def block(self, block: tree.Block) -> tree.Block:
        match block:
            case tree.Heading():
                return self.heading(block)
            case tree.Paragraph():
                return self.paragraph(block)
            case tree.ListBlock(items=items):
                decided = tuple(tuple(self.block(b) for b in item) for item in items)
                return replace(block, items=decided, direction=_list_direction(decided))
            case tree.Table(header=header, rows=rows):
                table = replace(
                    block,
                    header=tuple(self.paragraph(cell) for cell in header),
                    rows=tuple(tuple(self.paragraph(cell) for cell in row) for row in rows),
                )
                return replace(
                    table,
                    widths=column_shares(table, self.look),
                    caption=self.section,
                    direction=_list_direction((table.header, *table.rows)),
                )
            case tree.KeyMessages(blocks=children):
                inside = tuple(self.block(b) for b in children)
                return replace(block, blocks=inside, direction=_list_direction((inside,)))
            case tree.Cover(title=title, subtitle=subtitle, lines=lines):
                return replace(
                    block,
                    title=self.paragraph(title),
                    subtitle=None if subtitle is None else self.paragraph(subtitle),
                    lines=tuple(self.paragraph(line) for line in lines),
                    direction=language_direction(self.language),
                )
            case tree.Contents(title=title):
                return replace(block, title=self.paragraph(title))
            case tree.Index(groups=groups):
                return tree.Index(tuple(self.index_group(group) for group in groups))
            case tree.PageBreak():
                return block
            case tree.QRCode(caption=caption):
                return replace(block, direction=base_direction(caption))
            case tree.Revised(blocks=blocks):
                return replace(block, blocks=tuple(self.block(b) for b in blocks))
        assert_never(block)

    def index_group(self, group: tree.IndexGroup) -> tree.IndexGroup:
        """The name and entries with their directions (the entries', the pack's: see
        ``tree.ContentsEntry``) and no-break spaces, as the headings they list have them;
        an entry whose heading is not in the pack keeps its text, without a page or a
        link (``anchor`` empty)."""
        spacer = self.spacing(self.language)
        entries = tuple(
            replace(
                entry,
                anchor=entry.anchor if entry.anchor in self.targets else "",
                direction=language_direction(self.language),
                text=entry.text if spacer is None else spacer(entry.text),
                content=_spaced(entry.content, spacer),
            )
            for entry in group.entries
        )
        return replace(group, name=self.paragraph(group.name), entries=entries)

    def heading(self, heading: tree.Heading) -> tree.Heading:
        content = _spaced(self.links(heading.content), self.spacing(self.language))
        level = min(max(heading.level, 1), MAX_HEADING_LEVEL)
        text = tree.plain_text(content)
        direction = base_direction(text)
        self.section = tree.Caption(single_spaced(text), direction)
        if (content, level, direction) == (heading.content, heading.level, heading.direction):
            return heading  # most are: making a copy of each costs time on large packs
        return replace(heading, level=level, content=content, direction=direction)

    def paragraph(self, paragraph: tree.Paragraph) -> tree.Paragraph:
        content = self.links(paragraph.content)
        lang = paragraph.lang if paragraph.role in TITLE_ROLES else paragraph.lang or self.language
        content = _spaced(content, self.spacing(paragraph.lang or self.language))
        direction = language_direction(lang) if lang else base_direction(tree.plain_text(content))
        if content is paragraph.content and direction == paragraph.direction:
            return paragraph
        return replace(paragraph, content=content, direction=direction)

    def spacing(self, language: str) -> Callable[[str], str] | None:
        """How text in ``language`` has its no-break spaces set (``typography.spacing``)."""
        return spacing(language, french=self.french_spaces)

    def links(self, content: tuple[tree.Inline, ...]) -> tuple[tree.Inline, ...]:
        """Return ``content`` with internal links to missing anchors replaced by their text
        (``content`` itself when it has no such link)."""
        if all(isinstance(inline, tree.Text) for inline in content):
            return content
        decided = tuple(item for inline in content for item in self._link(inline))
        return content if decided == content else decided

    def _link(self, inline: tree.Inline) -> tuple[tree.Inline, ...]:
        match inline:
            case tree.Link(children=children, target=target):
                children = self.links(children)
                if target.startswith("#") and target[1:] not in self.targets:
                    return children
                return (replace(inline, children=children),)
            case tree.Strong(children=children) | tree.Emphasis(children=children):
                return (replace(inline, children=self.links(children)),)
            case tree.Isolate(children=children) | tree.Inserted(children=children):
                return (replace(inline, children=self.links(children)),)
            case tree.Deleted(children=children) | tree.Reformatted(children=children):
                return (replace(inline, children=self.links(children)),)
        return (inline,)


def _spaced(
    content: tuple[tree.Inline, ...], spacer: Callable[[str], str] | None
) -> tuple[tree.Inline, ...]:
    """``spacer`` (French spacing, a dash's no-break space) applied to every text of
    ``content``; ``content`` itself when there is none or none changes."""
    if spacer is None:
        return content
    spaced = tuple(_spaced_inline(inline, spacer) for inline in content)
    return content if spaced == content else spaced


def _spaced_inline(inline: tree.Inline, spacer: Callable[[str], str]) -> tree.Inline:
    if isinstance(inline, tree.Text):
        return tree.Text(spacer(inline.text))
    if isinstance(inline, tree.LineBreak):
        return inline
    spaced: tree.Inline = replace(inline, children=_spaced(inline.children, spacer))
    return spaced


def _list_direction(items: tuple[tuple[tree.Block, ...], ...]) -> tree.Direction:
    """A list (or a box, or a table: its rows) reads as its first paragraph does, however
    deeply nested; each of a list's items has its bullet on the side its own first
    paragraph starts (``tree.ListBlock.item_direction``)."""
    first = next(tree.paragraphs(items), None)
    return "ltr" if first is None else first.direction


class _Anchors:
    """Gives every heading, however nested, a unique anchor: its own, else one from its text."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def blocks(self, blocks: tuple[tree.Block, ...]) -> tuple[tree.Block, ...]:
        return tuple(self.block(block) for block in blocks)

    def block(self, block: tree.Block) -> tree.Block:
        match block:
            case tree.Heading():
                return replace(block, anchor=self.unique(block))
            case tree.KeyMessages(blocks=children):
                return replace(block, blocks=self.blocks(children))
            case tree.ListBlock(items=items):
                return replace(block, items=tuple(self.blocks(item) for item in items))
        return block

    def unique(self, heading: tree.Heading) -> str:
        base = heading.anchor or _slugify(tree.plain_text(heading.content))
        anchor, number = base, 1
        while anchor in self.seen:
            number += 1
            anchor = f"{base}-{number}"
        self.seen.add(anchor)
        return anchor


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "section"


def _heading_anchors(blocks: tuple[tree.Block, ...]) -> Iterator[str]:
    for heading in _headings(blocks):
        yield heading.anchor


def _headings(blocks: tuple[tree.Block, ...]) -> Iterator[tree.Heading]:
    """Every heading in reading order, those inside boxes and lists included."""
    for block in blocks:
        match block:
            case tree.Heading():
                yield block
            case tree.KeyMessages(blocks=children):
                yield from _headings(children)
            case tree.ListBlock(items=items):
                for item in items:
                    yield from _headings(item)


def _with_contents(
    blocks: tuple[tree.Block, ...], depth: int, direction: tree.Direction
) -> tuple[tree.Block, ...]:
    """Fill the contents block with the top-level headings down to ``depth``, each line
    in the pack's ``direction`` and each title in its own (``tree.ContentsEntry``)."""
    entries = tuple(
        tree.ContentsEntry(
            b.level,
            tree.plain_text(b.content),
            b.anchor,
            direction,
            content=tree.entry_content(b.content),
        )
        for b in blocks
        if isinstance(b, tree.Heading) and b.level <= depth
    )
    return tuple(
        replace(b, entries=entries, depth=depth) if isinstance(b, tree.Contents) else b
        for b in blocks
    )
