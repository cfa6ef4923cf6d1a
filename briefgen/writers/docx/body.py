"""The body of the DOCX: walks the tree's blocks and writes them as WordprocessingML.

Styles are resolved to ids once and the body is written as XML text through
``fragment``, then parsed once; python-docx's object API is only used for set-up and
the package, because looking styles up by name and setting run text through it
dominated the profile of a naive writer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import assert_never

from docx.document import Document as DocxDocument
from docx.shared import Pt
from lxml.etree import _Element as Element

from briefgen import tree
from briefgen.look import Look
from briefgen.writers.docx import docx_private
from briefgen.writers.docx import package as docx_package
from briefgen.writers.docx.fragment import (
    PLAIN,
    Fragment,
    RevisionKind,
    RevisionMarks,
    RunProps,
    in_language,
    with_bold,
    with_italic,
)
from briefgen.writers.docx.shapes import DECORATIVE_EXTENSION, DECORATIVE_NAMESPACE
from briefgen.writers.docx.styles import (
    HYPERLINK,
    INDEX_ENTRY,
    INDEX_NAME,
    KEY_MESSAGE,
    ROLE_STYLES,
    TABLE,
    ListNumbering,
    Styles,
    box_style,
    heading_style,
)
from briefgen.writers.qr import QUIET_ZONE, qr_symbol

_PLAIN_BOOKMARK = re.compile(r"[a-z][a-z0-9_]{0,39}")

PageNumbers = Callable[[str], str | None]
"""The page number to show for a bookmark, if known."""


_RLE, _LRE, _PDF = "\u202b", "\u202a", "\u202c"  # right- and left-to-right embedding, its end
_RLM, _LRM = "\u200f", "\u200e"  # right- and left-to-right marks


def _side(rtl: bool) -> tree.Direction:
    return "rtl" if rtl else "ltr"


def bookmark_name(anchor: str) -> str:
    """Map an anchor to a Word bookmark name: starts with a letter, at most 40 characters.

    Lower-case ``[a-z0-9_]`` anchors are kept; others get a slug plus a hash of the anchor,
    so distinct anchors stay distinct even though Word compares names case-insensitively.
    """
    if _PLAIN_BOOKMARK.fullmatch(anchor):
        return anchor
    slug = re.sub(r"[^a-z0-9]+", "_", anchor.lower()).strip("_")
    if not slug[:1].isalpha():
        slug = "a_" + slug
    return f"{slug[:31]}_{hashlib.sha1(anchor.encode()).hexdigest()[:8]}"


_KINDS: dict[tree.Change, RevisionKind] = {"inserted": "ins", "deleted": "del"}


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a block sits: list nesting depth, whether inside a key-message box and how
    much narrower than the text its inside is."""

    depth: int = 0
    boxed: bool = False
    inset: int = 0  # twips: the padding of the boxes it is in
    sides: tuple[tree.Direction, ...] = ()  # each list item's it is in, outermost first


class BodyWriter:
    """Appends the blocks of the tree to the body of a python-docx document.

    The blocks are written into one ``Fragment`` (XML text), parsed once at the end.

    With ``revisions`` (a document compared with an earlier edition) what the edition
    inserted and deleted are tracked changes by their author and date; without, the
    edition as it is: inserted text plain, deleted text left out.
    """

    def __init__(
        self,
        base: DocxDocument,
        look: Look,
        *,
        restyle: bool,
        numbers: PageNumbers | None,
        revisions: tree.Revisions | None = None,
        direction: tree.Direction = "ltr",
    ) -> None:
        self._base = base
        self._numbers = numbers
        self._look = look
        self._text_width = docx_package.text_width(base)
        self._direction = direction
        self.styles = Styles(
            base, look, restyle=restyle, text_width=self._text_width, direction=direction
        )
        self._lists = ListNumbering(base, look)
        # the list styles whose numbering is set (only without a reference: its styles win)
        self._numbered_styles: set[str] = set() if restyle else {*_LIST_STYLES}
        self._lists_direction: tree.Direction | None = None  # of the first list
        self._link_ids: dict[str, str] = {}
        self._bookmarks: dict[str, int] = {}
        self._hyperlink = RunProps(style_id=self.styles.id(HYPERLINK))
        self._marks = None if revisions is None else RevisionMarks(revisions.author, revisions.date)
        self._block_change: tree.Change | None = None  # of the Revised being written

    @property
    def revision_marks(self) -> RevisionMarks | None:
        """The document's tracked changes (None without an earlier edition), for the
        header's to continue their ids."""
        return self._marks

    def blocks(self, blocks: tuple[tree.Block, ...]) -> None:
        """Append ``blocks`` to the body, keeping the final ``w:sectPr`` last."""
        # compared with an earlier edition, a page break is a style (``Styles.new_page``)
        new_page = None if self._marks is None else self.styles.new_page
        out = Fragment(opens_page=True, rtl_styles=self._direction == "rtl", new_page=new_page)
        for block in blocks:
            self._block(out, block, _Where())
        for style in [name for name in _LIST_STYLES if name not in self._numbered_styles]:
            self._number_style(style, self._lists_direction or "ltr")
        body = docx_private.body(self._base)
        section = body.sectPr
        out.append_to(body)
        if section is not None:
            body.append(section)  # moves it

    def _block(self, out: Fragment, block: tree.Block, where: _Where) -> None:
        match block:
            case tree.Heading():
                self._heading(out, block)
            case tree.Paragraph():
                self._paragraph(out, block, where)
            case tree.ListBlock():
                self._list(out, block, where)
                if not where.depth and not where.boxed:
                    out.list_end(self._look.lists.space_after)
            case tree.Table():
                out.space_above(self._look.tables.space_before)
                self._table(out, block, self._text_width - where.inset)
                out.spacer(self._look.tables.space_after)
            case tree.KeyMessages():
                self._box(out, block, where)
            case tree.PageBreak():
                out.page_break()
            case tree.Cover():
                self._cover(out, block)
            case tree.Contents():
                self._contents(out, block)
            case tree.QRCode():
                self._qr_code(out, block)
            case tree.Index():
                self._index(out, block)
            case tree.Revised(change=change, blocks=blocks):
                if self._written(change):
                    with self._changed(out, change):
                        for child in blocks:
                            self._block(out, child, where)
            case _:
                assert_never(block)

    def _box(self, out: Fragment, box: tree.KeyMessages, where: _Where) -> None:
        """The box as the PDF draws it: a tinted table as wide as the text (or the box it
        is in), its bar on the side where its lines start, its padding the cell's margins
        and, at the bottom, an empty line (``Fragment.box_end``).

        The table is moved in by its left padding: Word 2010's layout, which the
        document's compatibility mode asks for, puts a table's cell text (not its edge)
        at the margin.
        """
        look = self._look.key_messages
        padding = look.padding
        top, left, right = (
            round(points * 20) for points in (padding.top, padding.left, padding.right)
        )
        out.space_above(look.space_before)
        style_id = self.styles.id(box_style(box.direction))
        out.box_start(style_id, self._text_width - where.inset, left, (top, left, right))
        inner = replace(where, boxed=True, inset=where.inset + left + right)
        for child in box.blocks:
            self._block(out, child, inner)
        out.box_end(padding.bottom)
        out.spacer(look.space_after)

    def _written(self, change: tree.Change | None) -> bool:
        """Whether a block or an entry of ``change`` is written: without revisions, what
        this edition holds; with them, what either edition holds."""
        if change is None:
            return True
        return change == "inserted" if self._marks is None else not self._in_neither(change)

    def _changed(self, out: Fragment, change: tree.Change | None) -> AbstractContextManager[None]:
        """Write what follows as a block the edition added or removed as a whole."""
        return nullcontext() if change is None else self._whole_change(out, change)

    @contextmanager
    def _whole_change(self, out: Fragment, change: tree.Change) -> Iterator[None]:
        outer, self._block_change = self._block_change, change
        try:
            with self._revising(out, change, whole=True):
                yield
        finally:
            self._block_change = outer

    def _in_neither(self, change: tree.Change) -> bool:
        """Whether a ``change`` inside a block of the other change is in neither edition
        (text deleted from a block this edition added): it is not written."""
        return self._marks is not None and self._block_change not in (None, change)

    def _revising(
        self, out: Fragment, change: tree.Change, *, whole: bool = False
    ) -> AbstractContextManager[None]:
        """What ``out`` is given next as a tracked change (nothing without revisions)."""
        if self._marks is None:
            return nullcontext()
        return out.revising(self._marks, _KINDS[change], whole=whole)

    def _styled(
        self,
        out: Fragment,
        style: str | None,
        content: tuple[tree.Inline, ...],
        direction: tree.Direction,
        lang: str | None = None,
        numbering: tuple[int, int] | None = None,
        *,
        bookmark: str | None = None,
        space_before: float | None = None,
        centred: bool = False,
        keep_next: bool | None = None,
        indent: tuple[int, int] | None = None,
    ) -> None:
        """Write a paragraph of ``style`` (a name) in its base ``direction``.

        ``lang`` marks text that is not in the pack's language. A ``bookmark`` name spans
        the paragraph; ``space_before`` (points) replaces the style's; ``keep_next`` keeps
        it on the page of the paragraph after it (False: not, whatever its style says);
        ``indent`` (twips, where its lines start and end) replaces the style's.
        """
        rtl = direction == "rtl"
        style_id = None if style is None else self.styles.id(style)
        out.paragraph_start(
            style_id,
            numbering=numbering,
            bidi=rtl,
            space_before=space_before,
            centred=centred,
            keep_next=keep_next,
            indent=indent,
            style_after=self.styles.space_after(style),
        )
        bookmark_id = None
        if bookmark:
            bookmark_id = self._new_bookmark(bookmark)
            if bookmark_id is not None:
                out.bookmark_start(bookmark_id, bookmark)
        self._inlines(out, content, in_language(lang) if lang else PLAIN, rtl)
        if bookmark_id is not None:
            out.bookmark_end(bookmark_id)
        out.paragraph_end()

    def _new_bookmark(self, name: str) -> int | None:
        """Return a new id for bookmark ``name``, or None if the name is taken."""
        if name in self._bookmarks:
            return None
        self._bookmarks[name] = len(self._bookmarks) + 1
        return self._bookmarks[name]

    def _heading(self, out: Fragment, heading: tree.Heading) -> None:
        style = heading_style(heading.level)
        name = bookmark_name(heading.anchor) if heading.anchor else None
        self._styled(out, style, heading.content, heading.direction, bookmark=name)

    def _paragraph(
        self,
        out: Fragment,
        paragraph: tree.Paragraph,
        where: _Where,
        space_before: float | None = None,
    ) -> None:
        if where.depth:
            style: str | None = "List Continue" + (
                f" {min(where.depth, 3)}" if where.depth > 1 else ""
            )
        else:
            style = ROLE_STYLES.get(paragraph.role, KEY_MESSAGE if where.boxed else None)
        if paragraph.keep_with_previous and not where.boxed:
            # the paragraph before it stays with it; not in the box, a table: LibreOffice
            # keeps no paragraphs together in a cell, and one that keeps the cell's first
            # paragraph with the next keeps the whole table with what follows it
            out.keep_with_next()
        # a line kept with the block before it ends that block: it does not keep with
        # what follows, whatever its style says (a byline's would chain it to the next
        # heading, and so on through every block after it), as in the PDF
        self._styled(
            out,
            style,
            paragraph.content,
            paragraph.direction,
            paragraph.lang,
            space_before=space_before,
            keep_next=False if paragraph.keep_with_previous else None,
            indent=self._item_indent(paragraph.direction, where.sides),
        )

    def _item_indent(
        self, direction: tree.Direction, sides: tuple[tree.Direction, ...]
    ) -> tuple[int, int] | None:
        """A paragraph's indents (twips, where its lines start and end) inside list items
        of ``sides`` when one of them reads the other way, as the PDF indents an item from
        its bullet's side: the Latin "Sources" line under an Arabic key message is
        indented from the right. None where the style's indent is right."""
        if all(side == direction for side in sides):
            return None
        step = round(self._look.lists.indent * 20)
        start = sum(step for side in sides if side == direction)
        return start, step * len(sides) - start

    def _list(self, out: Fragment, block: tree.ListBlock, where: _Where) -> None:
        depth = where.depth + 1
        level = min(depth - 1, 8)
        numbers = self._item_numbers(block, level)
        style = KEY_MESSAGE if where.boxed else _list_style(block.ordered, depth)
        self._lists_direction = self._lists_direction or block.direction
        if style in _LIST_STYLES and style not in self._numbered_styles:
            self._number_style(style, block.direction)
        for index, item in enumerate(block.items):
            side = block.item_direction(index)
            inner = replace(where, depth=depth, sides=(*where.sides, side))
            numbering = (numbers[index], level)
            first = item[0] if item else None
            if isinstance(first, tree.Revised) and first.blocks:
                # an item an edition added or removed whole: its number goes with it
                if self._written(first.change):
                    with self._changed(out, first.change):
                        self._item(out, first.blocks, style, numbering, side, inner)
                for child in item[1:]:
                    self._block(out, child, inner)
                continue
            self._item(out, item, style, numbering, side, inner)

    def _item_numbers(self, block: tree.ListBlock, level: int) -> list[int]:
        """The numId of each item: the bullets of its side (``tree.ListBlock.item_direction``),
        or, numbered, a list of its side that goes on counting where the items before it
        left off, from each run of items of one side to the next."""
        lists = self._lists
        sides = [block.item_direction(index) for index in range(len(block.items))]
        if not block.ordered:
            return [lists.bullets(side) for side in sides]
        numbers: list[int] = []
        for index, side in enumerate(sides):
            if index and side == sides[index - 1]:
                numbers.append(numbers[-1])
            else:
                numbers.append(lists.ordered(level, block.start + index, side))
        return numbers

    def _number_style(self, style: str, direction: tree.Direction) -> None:
        """Give a list style the pack's numbering in ``direction`` (that of the first
        list in the style, else of the pack's first list): a paragraph the reader puts in
        List Bullet or List Number gets the pack's bullets or numbers, where the style
        had Word's own (black, another bullet and indent)."""
        self._numbered_styles.add(style)
        ordered = style.startswith("List Number")
        num_id = self._lists.of_style(self.styles.id(style), ordered=ordered, direction=direction)
        self.styles.number(style, num_id, _LIST_STYLES[style])

    def _item(
        self,
        out: Fragment,
        item: tuple[tree.Block, ...],
        style: str,
        numbering: tuple[int, int],
        direction: tree.Direction,
        inner: _Where,
    ) -> None:
        """A list item: its first paragraph numbered, the rest of its blocks after it."""
        first = item[0] if item else None
        lead = first if isinstance(first, tree.Paragraph) else tree.Paragraph(())
        direction = lead.direction if lead is first else direction
        self._styled(out, style, lead.content, direction, lead.lang, numbering)
        for child in item[1:] if first is lead else item:
            self._block(out, child, inner)

    def _table(self, out: Fragment, table: tree.Table, width: int) -> None:
        """A table ``width`` twips wide, its columns in its direction, its edges where
        the PDF draws them: moved in by its cells' padding, as the box is (``_box``); its
        caption is its title in Word's alternative text, which screen readers announce."""
        columns = max(len(row) for row in (table.header, *table.rows))
        if columns == 0:
            return  # a table without cells is invalid WordprocessingML
        widths = column_twips(table.widths or (1 / columns,) * columns, width)
        padding = round(self._look.tables.padding * 20)
        rtl = table.direction == "rtl"
        caption = None if table.caption is None else table.caption.text
        out.table_start(self.styles.id(TABLE), widths, indent=padding, rtl=rtl, caption=caption)
        if table.header:
            self._row(out, table.header, widths, header=True)
        for index, cells in enumerate(table.rows):
            change = table.row_change(index)
            if self._written(change):  # a row the edition added or removed: a tracked row
                with self._changed(out, change):
                    self._row(out, cells, widths)
        out.table_end()

    def _row(
        self,
        out: Fragment,
        cells: tuple[tree.Paragraph, ...],
        widths: Sequence[int],
        *,
        header: bool = False,
    ) -> None:
        """A row of ``widths`` cells, those ``cells`` lacks left empty."""
        fill = self._look.tables.header_fill if header else None
        role: tree.ParagraphRole = "table-head" if header else "table-cell"
        out.row_start(header=header)
        for column, width in enumerate(widths):
            out.cell_start(width, fill=fill)
            cell = cells[column] if column < len(cells) else tree.Paragraph((), role)
            self._paragraph(out, cell, _Where())
            out.cell_end()
        out.row_end()

    def _cover(self, out: Fragment, cover: tree.Cover) -> None:
        """The cover, spaced from the top as the look says (the PDF's spacers)."""
        spacing = self._look.cover
        title_space = spacing.space_above
        if cover.logo is not None:
            logo = self._logo(cover.logo)
            if cover.logo_alt:
                docx_private.describe_picture(logo, cover.logo_alt)
            else:  # decoration: nothing for a screen reader to read
                docx_private.decorate_picture(logo, DECORATIVE_EXTENSION, DECORATIVE_NAMESPACE)
            out.drawing(logo, space_before=spacing.space_above, bidi=cover.direction == "rtl")
            title_space = spacing.space_below_logo
        self._paragraph(out, cover.title, _Where(), space_before=title_space)
        if cover.subtitle:
            self._cover_line(out, cover.subtitle, cover.subtitle_change)
        for index, line in enumerate(cover.lines):
            self._cover_line(out, line, cover.line_change(index))
        out.page_break()

    def _cover_line(self, out: Fragment, line: tree.Paragraph, change: tree.Change | None) -> None:
        """A line of the cover, tracked whole (its paragraph mark too) when the edition
        added or removed it."""
        if self._written(change):
            with self._changed(out, change):
                self._paragraph(out, line, _Where())

    def _qr_code(self, out: Fragment, code: tree.QRCode) -> None:
        """The QR code as a PNG picture (``qr_symbol``), centred, with its alternate text,
        and the address under it, linked, as the PDF draws it."""
        import io

        png = io.BytesIO()
        qr_symbol(code.url).save(png, kind="png", scale=8, border=QUIET_ZONE)
        png.seek(0)
        inline = docx_private.new_picture(self._base, png, width=Pt(code.size))
        docx_private.describe_picture(inline, code.alt)
        out.drawing(inline, space_before=self._look.text.body.leading, centred=True)
        caption = (tree.Link((tree.Text(code.caption),), code.url),)
        self._styled(out, ROLE_STYLES["byline"], caption, code.direction, centred=True)

    def _logo(self, path: str) -> Element:
        """The logo as a picture at most the look's logo size, keeping the shape of its
        pixels, as the PDF and the HTML draw it.

        Both sides are given: python-docx would otherwise scale by the resolution the
        file records, which can be zero (a division by it) or differ across and down.
        """
        from PIL import Image

        with Image.open(path) as image:
            width, height = image.size
        largest_width, largest_height = self._look.page.logo
        scale = min(largest_width / width, largest_height / height)
        size = {"width": Pt(width * scale), "height": Pt(height * scale)}
        return docx_private.new_picture(self._base, path, **size)

    def _contents(self, out: Fragment, contents: tree.Contents) -> None:
        """A TOC field pre-filled with linked entries, so it reads right before any update.

        An entry the edition added or removed is a change; the field's own marks are not,
        nor is the mark of the paragraph that ends the field (accepting or rejecting would
        join it to the paragraph after the contents): an entry there changes its text only.
        """
        self._paragraph(out, contents.title, _Where())
        written = tuple(entry for entry in contents.entries if self._written(entry.change))
        entries = written or (None,)
        self._direct_contents(
            contents, written[0].direction if written else contents.title.direction
        )
        for index, entry in enumerate(entries):
            level = min(max(entry.level, 1), 3) if entry else 1
            rtl = entry is not None and entry.direction == "rtl"
            last = index == len(entries) - 1
            change = None if entry is None else entry.change
            with self._changed(out, None if last else change):
                self._line_start(out, f"toc {level}", rtl)
            if index == 0:
                out.field_begin(toc_instruction(contents.depth))
            if entry is not None:
                with self._changed(out, change):
                    self._page_line(out, entry, always_numbered=False)
            if last:
                out.field_end()
            out.paragraph_end()

    def _line_start(self, out: Fragment, style: str, rtl: bool) -> None:
        """Open a contents or index line of ``style``, its space before overlapping the
        space after the line above it, as in the PDF: lines of the first level stand
        their space before below the others, not that and the others' space after."""
        out.paragraph_start(
            self.styles.id(style),
            bidi=rtl,
            space_before=self._overlapped_before(out, style),
            style_after=self.styles.space_after(style),
        )

    def _overlapped_before(self, out: Fragment, style: str) -> float | None:
        """The space before a line of ``style`` where the line above overlaps the style's
        (``Fragment.overlapped``); None where it does not."""
        before = self.styles.space_before(style)
        overlapped = out.overlapped(before)
        return None if overlapped == before else overlapped

    def _direct_contents(self, contents: tree.Contents, direction: tree.Direction) -> None:
        """Give the styles of the contents' levels the direction of its lines (the
        pack's): updating the field (Word's Update Field, LibreOffice's Update Index)
        writes the lines again in these styles, without what each paragraph said."""
        if direction == "rtl":
            for level in range(1, contents.depth + 1):
                self.styles.right_to_left(f"toc {level}")

    def _page_line(self, out: Fragment, entry: tree.ContentsEntry, always_numbered: bool) -> None:
        """An entry linked to its heading's bookmark, with a ``PAGEREF`` to it showing the
        page where LibreOffice numbered the pack (``always_numbered``: the field even
        where it did not, for Word to fill); an entry without a heading is its text."""
        rtl = entry.direction == "rtl"
        if not entry.anchor:
            self._entry_text(out, entry, rtl)
            return
        bookmark = bookmark_name(entry.anchor)
        out.internal_link_start(bookmark)
        self._entry_text(out, entry, rtl)
        page = self._numbers(bookmark) if self._numbers else None
        if page is not None or always_numbered:
            out.page_reference(bookmark, page or "", self._look.contents.leader)
        out.hyperlink_end()

    def _entry_text(self, out: Fragment, entry: tree.ContentsEntry, rtl: bool) -> None:
        """An entry's text in a line of direction ``rtl``, a title that reads the other way
        between embedding marks (``_inlines``): an Arabic title holding a Latin name keeps
        its order, as in the PDF and the HTML. The page number stands after a tab, which
        ends what the marks reach."""
        self._inlines(out, entry.shown, PLAIN, rtl)

    def _index(self, out: Fragment, index: tree.Index) -> None:
        """Each name in Word's style of an index's main entries (in the look of the
        contents' first level), kept with its first entry, its entries in that of
        subentries (the second level's, a dotted leader to the page number), as in the
        PDF; the contents' own styles are the contents' alone."""
        for group in index.groups:
            if not self._written(group.change):
                continue
            with self._changed(out, group.change):
                name = group.name
                self._styled(
                    out,
                    INDEX_NAME,
                    name.content,
                    name.direction,
                    name.lang,
                    space_before=self._overlapped_before(out, INDEX_NAME),
                    keep_next=True,
                )
                for entry in group.entries:
                    if self._written(entry.change):
                        with self._changed(out, entry.change):
                            self._index_entry(out, entry)

    def _index_entry(self, out: Fragment, entry: tree.ContentsEntry) -> None:
        self._line_start(out, INDEX_ENTRY, entry.direction == "rtl")
        self._page_line(out, entry, always_numbered=True)
        out.paragraph_end()

    def _inlines(
        self, out: Fragment, content: tuple[tree.Inline, ...], props: RunProps, rtl: bool
    ) -> None:
        for inline in content:
            match inline:
                case tree.Text(text=text):
                    out.text_runs(text, props, rtl)
                case tree.Strong(children=children):
                    self._inlines(out, children, with_bold(props), rtl)
                case tree.Emphasis(children=children):
                    self._inlines(out, children, with_italic(props), rtl)
                case tree.Link(children=children):
                    self._link(out, inline, props, rtl)
                case tree.LineBreak():
                    out.line_break()
                case tree.Isolate(children=children) if inline.direction in (None, _side(rtl)):
                    self._inlines(out, children, props, rtl)
                case tree.Isolate(children=children):
                    # Word knows no isolates: a value that reads the other way (an LTR
                    # "#ASP24" in an Arabic line) between embedding marks (RLE or LRE,
                    # then PDF), which Word and LibreOffice follow, so that its neutrals
                    # ("#", brackets) stay on its side, as in the PDF and the HTML; then a
                    # mark of the line's direction, which an isolate's end is to the text
                    # after it: the comma between two Latin names of an Arabic list stays
                    # the list's, so the names read right to left
                    own = inline.direction == "rtl"
                    out.run(_RLE if own else _LRE, props)
                    self._inlines(out, children, props, own)
                    out.run(_PDF + (_RLM if rtl else _LRM), props)
                case tree.Inserted(children=children):
                    if not self._in_neither("inserted"):
                        with self._revising(out, "inserted"):
                            self._inlines(out, children, props, rtl)
                case tree.Deleted(children=children):
                    if self._marks is not None and not self._in_neither("deleted"):
                        with self._revising(out, "deleted"):
                            self._inlines(out, children, props, rtl)
                case tree.Reformatted(children=children, bold=bold, italic=italic):
                    if self._marks is None or self._block_change is not None:
                        self._inlines(out, children, props, rtl)  # no change to mark there
                    else:
                        with out.reformatting(self._marks, bold, italic):
                            self._inlines(out, children, props, rtl)
                case _:
                    assert_never(inline)

    def _link(self, out: Fragment, link: tree.Link, props: RunProps, rtl: bool) -> None:
        """A ``w:hyperlink``; a link nested in a link (Word forbids that) keeps only its text."""
        if props.style_id == self._hyperlink.style_id:
            self._inlines(out, link.children, props, rtl)
            return
        if link.is_internal:
            out.internal_link_start(bookmark_name(link.target[1:]))
        else:
            out.external_link_start(self._external(link.target))
        self._inlines(out, link.children, replace(props, style_id=self._hyperlink.style_id), rtl)
        out.hyperlink_end()

    def _external(self, url: str) -> str:
        rid = self._link_ids.get(url)
        if rid is None:  # python-docx's relate_to scans every relationship: quadratic
            rid = self._link_ids[url] = f"rIdLink{len(self._link_ids) + 1}"
            docx_private.add_hyperlink(self._base, url, rid)
        return rid


def toc_instruction(depth: int) -> str:
    """The TOC field listing heading levels 1 to ``depth``, linked, as the PDF's contents."""
    return f'TOC \\o "1-{depth}" \\h \\z \\u'


def _list_style(ordered: bool, depth: int) -> str:
    kind = "List Number" if ordered else "List Bullet"
    return kind if depth == 1 else f"{kind} {min(depth, 3)}"


# The list styles by name, with the level of the lists their paragraphs are at.
_LIST_STYLES = {
    _list_style(ordered, depth): depth - 1 for ordered in (False, True) for depth in (1, 2, 3)
}


def column_twips(shares: tuple[float, ...], text_width: int) -> list[int]:
    """Column widths in twips for the tree's shares; they sum to the text width exactly."""
    edges = [round(text_width * sum(shares[:i]) / sum(shares)) for i in range(len(shares) + 1)]
    return [right - left for left, right in pairwise(edges)]
