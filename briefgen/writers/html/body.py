"""The blocks of the tree as HTML elements, in the tree's order.

One ``match`` over the block types (ending in ``assert_never``) and one over the
inlines. Everything a reader could see differ comes decided in the tree: a heading's
anchor is its ``id`` (so ``#statement-x`` reaches the heading that the PDF's named
destination does), ``lang`` and ``dir`` are written where a block's differ from those around
it, table widths and captions are the tree's. What is HTML's own is the outline: a
heading's element is its depth among the headings above it (``tree.outline_depth``: an
``h3`` straight after an ``h1`` is an ``h2`` element, drawn in the look's third level),
so that the page's headings never skip a level, as the PDF's outline counts them. The
page's banner gives its one ``h1``, the pack's title; the tree's headings rank below it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import assert_never, get_args

from briefgen import tree
from briefgen.look import Look, TextStyle
from briefgen.writers.html.fonts import FontUsage
from briefgen.writers.html.images import logo_image
from briefgen.writers.html.markup import Attributes, element, escape, start_tag
from briefgen.writers.html.styles import WITH_PREVIOUS, number
from briefgen.writers.qr import QUIET_ZONE, qr_symbol

_WEB = ("http://", "https://")
_DEEPEST_RANK = 6  # HTML has h1 to h6


_REVISION_TAG = {"inserted": "ins", "deleted": "del"}
"""How the HTML edition marks what an edition added and removed."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What an element inherits: the language and direction in force, the face in use."""

    lang: str
    direction: tree.Direction
    bold: bool = False
    italic: bool = False

    def styled(self, style: TextStyle) -> Scope:
        if (style.bold, style.italic) == (self.bold, self.italic):
            return self
        return Scope(self.lang, self.direction, style.bold, style.italic)

    def attributes(
        self, lang: str | None, direction: tree.Direction
    ) -> tuple[dict[str, str | None], Scope]:
        """``lang`` and ``dir`` where they differ from this scope's, and the scope inside."""
        new_lang = lang if lang is not None and lang.lower() != self.lang.lower() else None
        if new_lang is None and direction == self.direction:
            return {}, self
        new_direction = direction if direction != self.direction else None
        inner = Scope(new_lang or self.lang, direction, self.bold, self.italic)
        return {"lang": new_lang, "dir": new_direction}, inner


class BodyWriter:
    """Writes blocks into ``out`` and notes the text each face draws in ``usage``."""

    def __init__(self, look: Look, usage: FontUsage) -> None:
        self.look = look
        self.usage = usage
        self.out: list[str] = []
        self.open_headings: list[int] = []  # the levels of the headings above
        self.titled = False  # the banner's title is the page's h1: headings rank below it
        self.ids = 0
        self.roles = {role: look.text.of(role) for role in get_args(tree.ParagraphRole)}

    def blocks(self, blocks: tuple[tree.Block, ...], scope: Scope) -> None:
        for block in blocks:
            self.block(block, scope)

    def block(self, block: tree.Block, scope: Scope) -> None:
        match block:
            case tree.Heading():
                self.heading(block, scope)
            case tree.Paragraph():
                self.paragraph(block, scope)
            case tree.ListBlock():
                self.list_block(block, scope)
            case tree.Table():
                self.table(block, scope)
            case tree.KeyMessages(blocks=children, direction=direction):
                attributes, inner = scope.attributes(None, direction)
                self.out.append(start_tag("div", {"class": "key-messages", **attributes}))
                self.blocks(children, inner)
                self.out.append("</div>\n")
            case tree.PageBreak():
                self.out.append('<hr class="page-break">\n')
            case tree.Cover():
                self.cover(block, scope)
            case tree.Contents():
                self.contents(block, scope)
            case tree.QRCode():
                self.qr_code(block, scope)
            case tree.Index():
                self.index(block, scope)
            case tree.Revised(change=change, blocks=blocks):
                tag = _REVISION_TAG[change]
                self.out.append(f'<{tag} class="block">')
                self.blocks(blocks, scope)
                self.out.append(f"</{tag}>\n")
            case _:
                assert_never(block)

    def heading(self, heading: tree.Heading, scope: Scope) -> None:
        depth = tree.outline_depth(self.open_headings, heading.level) + 1 + self.titled
        rank = min(depth, _DEEPEST_RANK)
        attributes, inner = scope.attributes(None, heading.direction)
        level = min(max(heading.level, 1), len(self.look.headings))
        tag = f"h{rank}"
        anchor = heading.anchor or None  # a heading the edition removed has none: no id=""
        opening = start_tag(tag, {"id": anchor, "class": f"h{level}", **attributes})
        self.out.append(opening)
        self.inlines(heading.content, inner.styled(self.look.heading(level)))
        self.out.append(f"</{tag}>\n")

    def paragraph(self, paragraph: tree.Paragraph, scope: Scope, tag: str = "p") -> None:
        attributes, inner = scope.attributes(paragraph.lang, paragraph.direction)
        classes: list[str] = [] if paragraph.role == "body" else [paragraph.role]
        if paragraph.keep_with_previous:  # printed, it never starts a page (styles.py)
            classes.append(WITH_PREVIOUS)
        self.out.append(start_tag(tag, {"class": " ".join(classes) or None, **attributes}))
        self.inlines(paragraph.content, inner.styled(self.roles[paragraph.role]))
        self.out.append(f"</{tag}>\n")

    def list_block(self, block: tree.ListBlock, scope: Scope) -> None:
        attributes, inner = scope.attributes(None, block.direction)
        tag = "ol" if block.ordered else "ul"
        if block.ordered and block.start != 1:
            attributes = {**attributes, "start": str(block.start)}
        self.out.append(start_tag(tag, attributes))
        for index, item in enumerate(block.items):
            # its marker on the side its own first paragraph starts (dir where it differs)
            item_attributes, item_scope = inner.attributes(None, block.item_direction(index))
            self.out.append(start_tag("li", item_attributes))
            self.blocks(item, item_scope)
            self.out.append("</li>")
        self.out.append(f"</{tag}>\n")

    def table(self, table: tree.Table, scope: Scope) -> None:
        columns = max([len(table.header), *(len(row) for row in table.rows)])
        if columns == 0:
            return  # nothing to show
        out, caption = self.out, table.caption
        # On a narrow screen a table scrolls sideways in its own box, never the page: a
        # named region that the keyboard can reach and scroll.
        scroller: dict[str, str | None] = {"class": "table-scroll"}
        if caption is not None:
            scroller |= {"role": "region", "aria-label": caption.text, "tabindex": "0"}
        table_attributes, scope = scope.attributes(None, table.direction)
        out.append(start_tag("div", scroller) + start_tag("table", table_attributes))
        if caption is not None:
            attributes, _ = scope.attributes(None, caption.direction)
            # The section's heading stands above the table: the caption is for those
            # who meet the table on its own, in a screen reader's list of tables.
            hidden = {"class": "visually-hidden", **attributes}
            out.append(element("caption", caption.text, hidden))
        if len(table.widths) == columns:
            out.append("<colgroup>")
            out.extend(f'<col style="width:{number(100 * w)}%">' for w in table.widths)
            out.append("</colgroup>")
        if table.header:
            out.append("<thead><tr>")
            for cell in table.header:
                self.cell(cell, scope, "th", {"scope": "col"})
            out.append("<td></td>" * (columns - len(table.header)) + "</tr></thead>")
        out.append("<tbody>")
        for index, row in enumerate(table.rows):
            out.append("<tr>")
            for cell in row:
                self.cell(_whole(cell, table.row_change(index)), scope, "td")
            out.append("<td></td>" * (columns - len(row)) + "</tr>\n")
        out.append("</tbody></table></div>\n")

    def cell(
        self, cell: tree.Paragraph, scope: Scope, tag: str, extra: Attributes | None = None
    ) -> None:
        attributes, inner = scope.attributes(cell.lang, cell.direction)
        self.out.append(start_tag(tag, {**(extra or {}), **attributes}))
        self.inlines(cell.content, inner.styled(self.roles[cell.role]))
        self.out.append(f"</{tag}>")

    def cover(
        self, cover: tree.Cover, scope: Scope, tag: str = "div", first: list[str] | None = None
    ) -> None:
        """The cover: a ``div``, or the page's banner (``header``) for the pack's first,
        whose title is the page's one ``h1`` (screen readers go to it for the page's
        title; the tree's headings rank below it); ``first`` is markup to put before its
        content. Its logo and rule stand where its lines start (``tree.Cover.direction``)."""
        attributes, scope = scope.attributes(None, cover.direction)
        self.out.append(start_tag(tag, {"class": "cover", **attributes}))
        self.out.extend(first or [])
        if cover.logo:
            base = self.look.text.body.size
            self.out.append(logo_image(cover.logo, cover.logo_alt, self.look.page.logo, base))
        banner = tag == "header"
        self.paragraph(cover.title, scope, "h1" if banner else "p")
        self.titled = self.titled or banner
        if cover.subtitle is not None:
            self.paragraph(cover.subtitle, scope)
        for line in cover.lines:
            self.paragraph(line, scope)
        self.out.append(f"</{tag}>\n")

    def qr_code(self, code: tree.QRCode, scope: Scope) -> None:
        """The QR code as an SVG image (``qr_symbol``: a data URI, with its alternate
        text), as wide as the PDF draws it, and the address under it, linked."""
        source = qr_symbol(code.url).svg_data_uri(border=QUIET_ZONE, omitsize=True)
        width = number(code.size / self.look.text.body.size)
        self.out.append('<figure class="qr-code">')
        self.out.append(
            start_tag("img", {"src": source, "alt": code.alt, "style": f"width:{width}rem"})
        )
        attributes, inner = scope.attributes(None, code.direction)
        self.out.append(start_tag("figcaption", attributes))
        self.inline(tree.Link((tree.Text(code.caption),), code.url), inner)
        self.out.append("</figcaption></figure>\n")

    def contents(self, contents: tree.Contents, scope: Scope) -> None:
        """The contents as a navigation landmark of nested lists of links."""
        self.ids += 1
        title_id = f"contents.{self.ids}"  # never an anchor: they hold no '.'
        self.out.append(start_tag("nav", {"class": "contents", "aria-labelledby": title_id}))
        title = contents.title
        attributes, inner = scope.attributes(title.lang, title.direction)
        self.out.append(start_tag("p", {"class": title.role, "id": title_id, **attributes}))
        self.inlines(title.content, inner.styled(self.roles[title.role]))
        self.out.append("</p>")
        self.entries(contents.entries, scope)
        self.out.append("</nav>\n")

    def entries(self, entries: tuple[tree.ContentsEntry, ...], scope: Scope) -> None:
        """Nested lists by the entries' outline depth, as the headings nest."""
        open_levels: list[int] = []
        depth, out = 0, self.out
        for entry in entries:
            if entry.change == "deleted":
                continue  # the contents lists this edition's headings, marks those it added
            new_depth = tree.outline_depth(open_levels, entry.level) + 1
            if new_depth > depth:
                out.append("<ul><li>" * (new_depth - depth))
            else:
                out.append("</li></ul>" * (depth - new_depth) + "</li><li>")
            depth = new_depth
            level = min(max(entry.level, 1), len(self.look.contents.levels))
            attributes, inner = scope.attributes(None, entry.direction)
            link = {"href": f"#{entry.anchor}", "class": f"toc-{level}", **attributes}
            out.append(start_tag("a", link) + ("<ins>" if entry.change else ""))
            self.inlines(entry.shown, inner.styled(self.look.contents_level(level)))
            out.append(("</ins>" if entry.change else "") + "</a>")
        out.append("</li></ul>" * depth)

    def index(self, index: tree.Index, scope: Scope) -> None:
        """An index as a list of names, each with the list of its entries' links: the
        names in the contents' first level's style, the entries in its second's, as the
        PDF and the DOCX draw them."""
        out = self.out
        out.append('<ul class="index">')
        for group in index.groups:
            revised = _REVISION_TAG.get(group.change or "")
            out.append(f'<li><{revised} class="block">' if revised else "<li>")
            name = group.name
            attributes, inner = scope.attributes(name.lang, name.direction)
            out.append(start_tag("p", {"class": "toc-1", **attributes}))
            self.inlines(name.content, inner.styled(self.look.contents_level(1)))
            out.append("</p><ul>")
            for entry in group.entries:
                attributes, inner = scope.attributes(None, entry.direction)
                out.append(start_tag("li", {"class": "toc-2", **attributes}))
                revision = _REVISION_TAG.get(entry.change or "")
                out.append(f"<{revision}>" if revision else "")
                if entry.anchor:
                    out.append(start_tag("a", {"href": f"#{entry.anchor}"}))
                self.inlines(entry.shown, inner.styled(self.look.contents_level(2)))
                out.append("</a>" if entry.anchor else "")
                out.append((f"</{revision}>" if revision else "") + "</li>")
            out.append("</ul>" + (f"</{revised}>" if revised else "") + "</li>")
        out.append("</ul>\n")

    def inlines(self, content: tuple[tree.Inline, ...], scope: Scope) -> None:
        for inline in content:
            self.inline(inline, scope)

    def inline(self, inline: tree.Inline, scope: Scope) -> None:
        out = self.out
        match inline:
            case tree.Text(text=text):
                out.append(escape(text))
                self.note(text, scope)
            case tree.Strong(children=children):
                out.append("<strong>")
                self.inlines(children, Scope(scope.lang, scope.direction, True, scope.italic))
                out.append("</strong>")
            case tree.Emphasis(children=children):
                out.append("<em>")
                self.inlines(children, Scope(scope.lang, scope.direction, scope.bold, True))
                out.append("</em>")
            case tree.Link(children=children, target=target):
                # Compose lets only web links and anchors through; anything else stays text.
                if not (target.startswith("#") or target.lower().startswith(_WEB)):
                    self.inlines(children, scope)
                    return
                # An address shown as itself may break anywhere on a narrow screen.
                address = "url" if tree.plain_text(children) == target else None
                out.append(start_tag("a", {"href": target, "class": address}))
                self.inlines(children, scope)
                out.append("</a>")
            case tree.LineBreak():
                out.append("<br>")
            case tree.Isolate(children=children):
                out.append("<bdi>")
                self.inlines(children, scope)
                out.append("</bdi>")
            case tree.Inserted(children=children):
                out.append("<ins>")
                self.inlines(children, scope)
                out.append("</ins>")
            case tree.Deleted(children=children):
                out.append("<del>")
                self.inlines(children, scope)
                out.append("</del>")
            case tree.Reformatted(children=children):  # HTML has no mark for formatting
                self.inlines(children, scope)
            case _:
                assert_never(inline)

    def note(self, text: str, scope: Scope) -> None:
        self.usage.add(text, bold=scope.bold, italic=scope.italic)


def _whole(cell: tree.Paragraph, change: tree.Change | None) -> tree.Paragraph:
    """A cell of a row the edition added or removed: its text all inserted or deleted (an
    ``ins`` or ``del`` cannot hold a row)."""
    if change is None or not cell.content:
        return cell
    mark = tree.Inserted if change == "inserted" else tree.Deleted
    return replace(cell, content=(mark(cell.content),))
