"""Body content of a DOCX (paragraphs, runs, links, fields, tables) written as XML text.

A pack's body is tens of thousands of elements. Creating each through lxml took two
thirds of the DOCX writer's time, so the body is written as WordprocessingML text and
parsed once (``Fragment.elements``). Two rules keep that as safe as building elements:

- every value, text or attribute, passes through ``escape``, which also replaces the
  characters XML cannot hold; besides them only integers and elements serialized by
  lxml (a picture) are written in;
- the text is parsed before it reaches the package, so a mistake raises an error
  instead of writing a corrupt file.

Elements are written in the order the OOXML schema prescribes (``CT_PPr``,
``CT_RPr``, ...), because Word rejects out-of-order properties as corrupt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from typing import Literal

from lxml import etree
from lxml.etree import _Element as Element

from briefgen.text.direction import RTL_CHARACTERS, has_rtl
from briefgen.text.fonts import SANS, face_codepoints, fallback_family, fallback_runs, outside
from briefgen.writers.docx import docx_private
from briefgen.writers.docx.oxml import lang_attribute
from briefgen.writers.docx.shapes import (
    SHAPE_NAMESPACES,
    PageShape,
    Watermark,
    page_shape_run,
    watermark_run,
)
from briefgen.writers.docx.xmltext import escape

# Prefixes the body may use; declared once on the wrapper that ``elements`` parses.
_NAMESPACES = " ".join(
    [
        *(f'xmlns:{p}="{docx_private.namespace(p)}"' for p in ("w", "r", "wp", "a", "pic")),
        *(f'xmlns:{prefix}="{uri}"' for prefix, uri in SHAPE_NAMESPACES.items()),
    ]
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_MOVED_WHOLE = 500  # elements in a subtree moved in one piece (see _adopt)
_SPECIAL = re.compile("([\t\n])")

_LTR_LETTER = f"(?![{RTL_CHARACTERS}])[^\\W\\d_]"
_RTL_SPAN = re.compile(f"[{RTL_CHARACTERS}](?:[{RTL_CHARACTERS}\\W\\d_]*[{RTL_CHARACTERS}])?")
_LTR_SPAN = re.compile(f"{_LTR_LETTER}(?:[^{RTL_CHARACTERS}]*{_LTR_LETTER})?")


@dataclass(frozen=True, slots=True)
class RunProps:
    """Direct run formatting; ``lang`` is ``(attribute, tag)`` for ``w:lang``."""

    style_id: str | None = None
    bold: bool = False
    italic: bool = False
    rtl: bool = False
    lang: tuple[str, str] | None = None
    font: str | None = None  # a fallback family, for characters the text family lacks


PLAIN = RunProps()


# Run properties derived from others, made once each (the writer asks per run).


@cache
def with_rtl(props: RunProps) -> RunProps:
    return replace(props, rtl=True)


@cache
def with_font(props: RunProps, family: str) -> RunProps:
    return replace(props, font=family)


@cache
def with_bold(props: RunProps) -> RunProps:
    return replace(props, bold=True)


@cache
def with_italic(props: RunProps) -> RunProps:
    return replace(props, italic=True)


@cache
def in_language(tag: str) -> RunProps:
    return RunProps(lang=lang_attribute(tag))


@cache
def _run_start(props: RunProps) -> str:
    """The opening of a run with ``props``: ``w:r`` and its ``w:rPr`` in CT_RPr order."""
    if props == PLAIN:
        return "<w:r>"
    return f"<w:r><w:rPr>{_run_properties(props)}</w:rPr>"


def _with_format_change(start: str, change: str) -> str:
    """A run's opening (``_run_start``) with ``change`` last in its ``w:rPr``, as CT_RPr
    orders it."""
    if start == "<w:r>":
        return f"<w:r><w:rPr>{change}</w:rPr>"
    return start.removesuffix("</w:rPr>") + change + "</w:rPr>"


@cache
def _run_properties(props: RunProps) -> str:
    """The children of a run's ``w:rPr`` for ``props``, in CT_RPr order."""
    rpr = []
    if props.style_id is not None:
        rpr.append(f'<w:rStyle w:val="{escape(props.style_id)}"/>')
    if props.font is not None:
        family = escape(props.font)
        rpr.append(
            f'<w:rFonts w:ascii="{family}" w:hAnsi="{family}" w:eastAsia="{family}"'
            f' w:cs="{family}"/>'
        )
    if props.bold:
        rpr.append("<w:b/><w:bCs/>")
    if props.italic:
        rpr.append("<w:i/><w:iCs/>")
    if props.rtl:
        rpr.append("<w:rtl/>")
    if props.lang is not None:
        rpr.append(f'<w:lang w:{props.lang[0]}="{escape(props.lang[1])}"/>')
    return "".join(rpr)


RevisionKind = Literal["ins", "del"]
"""A tracked change: text inserted (``w:ins``) or deleted (``w:del``)."""


class RevisionMarks:
    """The tracked changes of one document: their author and date, and ids unique in it."""

    __slots__ = ("_attributes", "_last_id")

    def __init__(self, author: str, date: datetime) -> None:
        self._attributes = f'w:author="{escape(author)}" w:date="{revision_date(date)}"'
        self._last_id = 0

    def _next(self, kind: RevisionKind) -> str:
        self._last_id += 1
        return f'<w:{kind} w:id="{self._last_id}" {self._attributes}'

    def open(self, kind: RevisionKind) -> str:
        """Open a ``w:ins`` or ``w:del`` around runs (closed with ``</w:ins>``, ``</w:del>``)."""
        return self._next(kind) + ">"

    def mark(self, kind: RevisionKind) -> str:
        """An empty ``w:ins`` or ``w:del``: a paragraph mark or a table row changed."""
        return self._next(kind) + "/>"

    def format_change(self, old: RunProps) -> str:
        """A ``w:rPrChange``: the run's formatting was ``old`` in the earlier edition."""
        self._last_id += 1
        return (
            f'<w:rPrChange w:id="{self._last_id}" {self._attributes}>'
            f"<w:rPr>{_run_properties(old)}</w:rPr></w:rPrChange>"
        )


def revision_date(date: datetime) -> str:
    """``date`` in UTC as a revision's ``w:date`` says it: ``YYYY-MM-DDTHH:MM:SSZ``
    (a date without a time zone is taken as UTC)."""
    utc = date.replace(tzinfo=UTC) if date.tzinfo is None else date.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def direction_runs(text: str, rtl_base: bool) -> Iterator[tuple[str, bool]]:
    """Split ``text`` into ``(segment, is_rtl)``: spans of the other direction, the rest base.

    An RTL span runs from an RTL letter to the last RTL letter before an LTR one, so the
    spaces and digits between Arabic words stay in it (and vice versa in RTL paragraphs).
    """
    if not rtl_base and not has_rtl(text):
        yield text, False
        return
    position = 0
    for match in (_LTR_SPAN if rtl_base else _RTL_SPAN).finditer(text):
        if match.start() > position:
            yield text[position : match.start()], rtl_base
        yield match.group(), not rtl_base
        position = match.end()
    if position < len(text):
        yield text[position:], rtl_base


def _adopt(parent: Element, elements: list[Element]) -> None:
    """Move ``elements`` from their document to ``parent``'s, a small subtree at a time.

    lxml fixes the namespaces of a subtree moved to another document in time that
    grows with the square of its size: a table of 4,000 rows took 1.5 s to move
    whole. Large elements are recreated in ``parent``'s document and their children
    moved one by one (WordprocessingML has no text between elements).
    """
    for element in elements:
        if sum(1 for _ in element.iter()) <= _MOVED_WHOLE:
            parent.append(element)
        else:
            shell = etree.SubElement(parent, element.tag, dict(element.attrib))
            _adopt(shell, list(element))


def _text(text: str, tag: str = "w:t") -> str:
    """A ``w:t`` (or a deleted run's ``w:delText``), keeping spaces at its edges."""
    if text[:1].isspace() or text[-1:].isspace():
        return f'<{tag} xml:space="preserve">{escape(text)}</{tag}>'
    return f"<{tag}>{escape(text)}</{tag}>"


def _run(parts: list[str], text: str, props: RunProps, text_tag: str = "w:t") -> None:
    """Append a ``w:r`` holding ``text``; tabs and newlines become ``w:tab`` and ``w:br``."""
    parts.append(_run_start(props))
    if "\t" in text or "\n" in text:
        for piece in _SPECIAL.split(text):
            if piece == "\t":
                parts.append("<w:tab/>")
            elif piece == "\n":
                parts.append("<w:br/>")
            elif piece:
                parts.append(_text(piece, text_tag))
    else:
        parts.append(_text(text, text_tag))
    parts.append("</w:r>")


def _fallback_runs(text: str) -> list[tuple[str | None, str]]:
    """``text`` cut by fallback face, against what the shipped text family covers."""
    covered = face_codepoints(SANS)
    if not outside(covered).search(text):
        return [(None, text)]
    return fallback_runs(text, covered)


def _spacing(before: float | None, after: float | None, *, single: bool = False) -> str:
    """A ``w:spacing`` with the given spaces in points ("" when none is given); ``single``:
    lines as tall as what they hold (a picture), not the style's leading."""
    values = [
        f'w:{side}="{round(points * 20)}"'
        for side, points in (("before", before), ("after", after))
        if points is not None
    ]
    if single:
        values += ['w:line="240"', 'w:lineRule="auto"']
    return f"<w:spacing {' '.join(values)}/>" if values else ""


_EMPTY_LINE = '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="'  # see ``_line``
_PAGE_BREAK = '<w:br w:type="page"/>'
_KEEP_NEXT = "<w:keepNext/>"
_STYLE = re.compile(r"^<w:p><w:pPr>(<w:pStyle [^>]*/>)?")


def _inserted_mark(marks: str) -> bool:
    """Whether a paragraph mark's changes (``Fragment._change_marks``) are an insertion."""
    return "<w:ins " in marks and "<w:del " not in marks


def _kept_with_next(start: str) -> str:
    """The opening of a paragraph (``<w:p>`` and what follows it in its part) with
    ``w:keepNext`` in its properties, after its style as CT_PPr orders them."""
    if _KEEP_NEXT in start:
        return start
    found = _STYLE.match(start)
    if found is None:
        return "<w:p><w:pPr>" + _KEEP_NEXT + "</w:pPr>" + start.removeprefix("<w:p>")
    return start[: found.end()] + _KEEP_NEXT + start[found.end() :]


_HEADER_ROW_LOOK = (
    '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0"'
    ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
)
_PLAIN_LOOK = (
    '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0"'
    ' w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
)


def _opened_table(
    style_id: str, widths: Sequence[int], indent: int, rest: str, *, rtl: bool = False
) -> str:
    """A ``w:tbl`` opened: its properties in CT_TblPr order (``rest``: those after its
    indent) and its grid of column ``widths`` in twips."""
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    mirrored = "<w:bidiVisual/>" if rtl else ""
    moved_in = f'<w:tblInd w:w="{indent}" w:type="dxa"/>' if indent else ""
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape(style_id)}"/>{mirrored}'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{moved_in}{rest}'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    )


class Fragment:
    """A run of body-level WordprocessingML, written in document order.

    Methods named ``*_start`` and ``*_end`` open and close an element; the caller
    pairs them. ``elements`` parses what was written.

    A page break becomes the "page break before" of the paragraph that follows it, as
    Word's own headings do; before a table, or at the end, it is a paragraph of its own.

    Inside ``revising`` what is written is a tracked change: runs in ``w:ins`` or
    ``w:del`` (their text in ``w:delText``), and for a whole block its paragraph marks
    and table rows too.
    """

    __slots__ = (
        "_box_paragraphs",
        "_boxes",
        "_break_pending",
        "_kinds",
        "_last_spacing",
        "_marks",
        "_new_page",
        "_opens_page",
        "_parts",
        "_rtl_styles",
        "_top_of_box",
        "_was",
        "_whole",
    )

    def __init__(
        self,
        *,
        opens_page: bool = False,
        rtl_styles: bool = False,
        new_page: Callable[[str | None], str] | None = None,
    ) -> None:
        self._parts: list[str] = []
        # the style that starts a page in a paragraph of a style (else pageBreakBefore)
        self._new_page = new_page
        self._opens_page = opens_page  # what it holds starts a page (a document's body)
        # the styles read right to left (a right-to-left document's): a paragraph that
        # reads left to right says so
        self._rtl_styles = rtl_styles
        self._break_pending = False
        self._boxes = 0  # key-message boxes open
        # for each box open, its cell's paragraphs: the index in _parts of the end of
        # their properties (None: not a paragraph of the writer's), their marks' changes
        self._box_paragraphs: list[list[tuple[int | None, str]]] = []
        self._top_of_box = False  # nothing written in the box just opened yet
        # the last paragraph's w:spacing (its index in _parts, its space before)
        # and the space after it (its own, else its style's)
        self._last_spacing: tuple[int, float | None, float] | None = None
        self._marks: RevisionMarks | None = None
        self._kinds: tuple[RevisionKind, ...] = ()  # the runs' changes, "ins" first
        self._whole: tuple[RevisionKind, ...] = ()  # the paragraph marks' and rows'
        self._was: tuple[bool, bool] | None = None  # bold, italic before a format change

    @contextmanager
    def reformatting(self, marks: RevisionMarks, bold: bool, italic: bool) -> Iterator[None]:
        """Write what follows as text formatted otherwise than in the earlier edition,
        which had it ``bold`` and ``italic`` or not: each run's ``w:rPrChange``."""
        saved = self._marks, self._was
        self._marks, self._was = marks, (bold, italic)
        try:
            yield
        finally:
            self._marks, self._was = saved

    @contextmanager
    def revising(
        self, marks: RevisionMarks, kind: RevisionKind, *, whole: bool = False
    ) -> Iterator[None]:
        """Write what follows as a change of ``kind``: its runs, and with ``whole`` (a block
        inserted or deleted as a whole) its paragraph marks and table rows, so that
        accepting or rejecting the change removes the paragraphs entirely.

        Nested changes of both kinds (text deleted in an inserted block) are text inserted
        and then deleted: gone whether the changes are accepted or rejected.
        """
        saved = (self._marks, self._kinds, self._whole)
        self._marks = marks
        self._kinds = _with_kind(self._kinds, kind)
        if whole:
            self._whole = _with_kind(self._whole, kind)
        try:
            yield
        finally:
            self._marks, self._kinds, self._whole = saved

    def _changed(self, runs: str) -> str:
        """``runs`` inside the open changes' ``w:ins``/``w:del`` (as they are if none)."""
        if self._marks is None or not self._kinds:
            return runs
        opening = "".join(self._marks.open(kind) for kind in self._kinds)
        closing = "".join(f"</w:{kind}>" for kind in reversed(self._kinds))
        return f"{opening}{runs}{closing}"

    def _change_marks(self) -> str:
        """The ``w:ins``/``w:del`` marks of a paragraph mark or a row in a changed block."""
        if self._marks is None:
            return ""
        return "".join(self._marks.mark(kind) for kind in self._whole)

    def elements(self) -> list[Element]:
        """Parse the fragment; its top-level elements, in a document of their own."""
        self._flush_break()
        xml = f"<w:body {_NAMESPACES}>{''.join(self._parts)}</w:body>"
        return list(etree.fromstring(xml.encode(), _PARSER))

    def append_to(self, parent: Element) -> None:
        """Parse the fragment and append its elements to ``parent`` (a body or a story)."""
        _adopt(parent, self.elements())

    def paragraph_start(
        self,
        style_id: str | None = None,
        *,
        numbering: tuple[int, int] | None = None,
        bidi: bool = False,
        space_before: float | None = None,
        space_after: float | None = None,
        centred: bool = False,
        keep_next: bool | None = None,
        indent: tuple[int, int] | None = None,
        style_after: float = 0.0,
    ) -> None:
        """Open a ``w:p``; ``numbering`` is ``(numId, ilvl)``; spaces in points override the
        style's; ``keep_next`` keeps it on the page of the next (False: not, whatever its
        style says; None: as its style says); ``indent`` (twips) replaces
        the style's where the lines start and end (``w:left`` and ``w:right``, which a
        right-to-left paragraph reads from the right); properties in CT_PPr order.
        ``style_after`` is the space after that the style gives it (see ``space_above``).

        The first paragraph of a key-message box has no space before it (see ``box_end``),
        nor one that starts a page: the PDF drops the space at the top of a page, which
        Word and LibreOffice keep after a page break and at the top of the first page
        (the heading a handout starts with; a space given here is kept: the cover's).
        """
        break_before, self._break_pending = self._break_pending, False
        if break_before and self._new_page is not None:
            style_id = self._new_page(style_id)
        if self._top_of_box or break_before:
            self._top_of_box, space_before = False, 0.0
        elif space_before is None and self._opens_page and not self._parts:
            space_before = 0.0
        spacing = _spacing(space_before, space_after)
        after = "" if indent is None else f'<w:ind w:left="{indent[0]}" w:right="{indent[1]}"/>'
        after += '<w:jc w:val="center"/>' if centred else ""  # after w:spacing and w:ind
        marks = self._change_marks() if self._whole else ""
        if marks:  # the paragraph mark's properties come after w:jc
            after += f"<w:rPr>{marks}</w:rPr>"
        direction = self._direction(bidi)
        kept = "" if keep_next is None else _KEEP_NEXT if keep_next else '<w:keepNext w:val="0"/>'
        plain = not (spacing or after or direction or break_before or kept)
        if plain and style_id is None and numbering is None and not self._boxes:
            self._parts.append("<w:p>")
            self._last_spacing = None
            return
        ppr = ["<w:p><w:pPr>"]
        if style_id is not None:
            ppr.append(f'<w:pStyle w:val="{escape(style_id)}"/>')
        ppr.append(kept)
        if break_before and self._new_page is None:
            ppr.append("<w:pageBreakBefore/>")
        if numbering is not None:
            ppr.append(
                f'<w:numPr><w:ilvl w:val="{numbering[1]}"/><w:numId w:val="{numbering[0]}"/>'
                "</w:numPr>"
            )
        ppr.append(direction)
        self._parts += ["".join(ppr), spacing, f"{after}</w:pPr>"]
        self._in_box(len(self._parts) - 1, marks)
        own_after = style_after if space_after is None else space_after
        self._last_spacing = (len(self._parts) - 2, space_before, own_after)

    def overlapped(self, before: float) -> float:
        """A space ``before`` a paragraph overlapping the space after the paragraph written
        last, as the PDF overlaps those of its contents and index lines (the larger of the
        two, not both): ``before`` less that space, at least 0."""
        if self._last_spacing is None:
            return before
        return max(before - self._last_spacing[2], 0.0)

    def _direction(self, bidi: bool) -> str:
        """The ``w:bidi`` of a paragraph that reads right to left (``bidi``) or, in a
        document whose styles do, left to right ("" where the styles say it)."""
        if bidi:
            return "<w:bidi/>"
        return '<w:bidi w:val="0"/>' if self._rtl_styles else ""

    def paragraph_end(self) -> None:
        self._parts.append("</w:p>")

    def text_runs(self, text: str, props: RunProps, rtl_base: bool) -> None:
        """Write runs for ``text``, marking those of right-to-left script with ``w:rtl``,
        and naming the fallback family of characters the text family lacks (the family
        the PDF draws them with: ``fonts.fallback_runs``)."""
        for segment, rtl in direction_runs(text, rtl_base) if text else ():
            segment_props = with_rtl(props) if rtl else props
            for face, piece in _fallback_runs(segment):
                family = None if face is None else fallback_family(face).family
                self.run(
                    piece, segment_props if family is None else with_font(segment_props, family)
                )

    def run(self, text: str, props: RunProps) -> None:
        """Write a ``w:r`` holding ``text``; tabs and newlines become ``w:tab`` and ``w:br``."""
        if not self._kinds and self._was is None:
            _run(self._parts, text, props)
            return
        parts: list[str] = []
        _run(parts, text, props, "w:delText" if "del" in self._kinds else "w:t")
        if self._was is not None and self._marks is not None:
            old = replace(props, bold=self._was[0], italic=self._was[1])
            parts[0] = _with_format_change(parts[0], self._marks.format_change(old))
        self._parts.append(self._changed("".join(parts)))

    def line_break(self) -> None:
        """Write a run holding a line break."""
        self._parts.append(self._changed("<w:r><w:br/></w:r>"))

    def page_break(self) -> None:
        """Start a new page before what comes next."""
        self._break_pending = True

    def _flush_break(self) -> None:
        """Write a pending page break as a paragraph of its own (before a table, at the end)."""
        if self._break_pending:
            self._break_pending = False
            self._parts.append(f"<w:p><w:r>{_PAGE_BREAK}</w:r></w:p>")

    def external_link_start(self, rid: str) -> None:
        """Open a ``w:hyperlink`` to the external relationship ``rid``."""
        self._parts.append(f'<w:hyperlink r:id="{escape(rid)}" w:history="1">')

    def internal_link_start(self, bookmark: str) -> None:
        """Open a ``w:hyperlink`` to the bookmark named ``bookmark``."""
        self._parts.append(f'<w:hyperlink w:anchor="{escape(bookmark)}" w:history="1">')

    def hyperlink_end(self) -> None:
        self._parts.append("</w:hyperlink>")

    def bookmark_start(self, bookmark_id: int, name: str) -> None:
        """Open a bookmark; written right after ``paragraph_start``, it spans the paragraph."""
        self._parts.append(f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{escape(name)}"/>')

    def bookmark_end(self, bookmark_id: int) -> None:
        self._parts.append(f'<w:bookmarkEnd w:id="{bookmark_id}"/>')

    def simple_field(self, instruction: str, placeholder: str) -> None:
        """Write a ``w:fldSimple`` (e.g. ``PAGE``) showing ``placeholder`` until Word updates it."""
        self._parts.append(f'<w:fldSimple w:instr=" {escape(instruction)} ">')
        self.run(placeholder, PLAIN)
        self._parts.append("</w:fldSimple>")

    def field_begin(self, instruction: str) -> None:
        """Open a complex field: ``begin``, the instruction, ``separate``; the result follows."""
        tag = "w:delInstrText" if "del" in self._kinds else "w:instrText"
        self._parts.append(
            self._changed(
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f'<w:r><{tag} xml:space="preserve"> {escape(instruction)} </{tag}></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            )
        )

    def page_reference(self, bookmark: str, page: str, leader: str) -> None:
        """A tab (its dotted leader in ``leader``, ``#RRGGBB``, never bold), then a
        ``PAGEREF`` field to ``bookmark`` showing ``page``: the end of a contents line."""
        colour = escape(leader.lstrip("#"))
        self._parts.append(
            self._changed(
                f'<w:r><w:rPr><w:b w:val="0"/><w:bCs w:val="0"/><w:color w:val="{colour}"/>'
                "</w:rPr><w:tab/></w:r>"
            )
        )
        self.field_begin(f"PAGEREF {bookmark} \\h")
        self.run(page, PLAIN)
        self.field_end()

    def field_end(self) -> None:
        """Close the complex field opened by ``field_begin`` (possibly in an earlier paragraph)."""
        self._parts.append(self._changed('<w:r><w:fldChar w:fldCharType="end"/></w:r>'))

    def table_start(
        self,
        style_id: str,
        widths: Sequence[int],
        *,
        indent: int = 0,
        rtl: bool = False,
        caption: str | None = None,
    ) -> None:
        """Open a ``w:tbl`` with column ``widths`` in twips, header-row look on, ``indent``
        twips in from where its lines start; ``rtl``: its first column on the right;
        ``caption``: its title for screen readers (Word's alternative text)."""
        self._flush_break()
        self._not_a_paragraph()
        rest = _HEADER_ROW_LOOK
        if caption:
            rest += f'<w:tblCaption w:val="{escape(caption)}"/>'
        self._parts.append(_opened_table(style_id, widths, indent, rest, rtl=rtl))

    def table_end(self) -> None:
        self._parts.append("</w:tbl>")
        self._not_a_paragraph()

    def box_start(self, style_id: str, width: int, indent: int, padding: Sequence[int]) -> None:
        """Open the key-message box: a table of one cell ``width`` twips wide, ``indent``
        twips in, its cell margins the ``padding`` (top, left, right, in twips) but at
        the bottom (see ``box_end``).

        A box is a table because a paragraph border joins paragraphs into one box only
        where their indents are the same, and a list nested in a message is indented.
        """
        self._flush_break()
        top, left, right = padding
        margins = "".join(
            f'<w:{side} w:w="{twips}" w:type="dxa"/>'
            for side, twips in (("top", top), ("left", left), ("bottom", 0), ("right", right))
        )
        cells = f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar>'
        self._parts.append(_opened_table(style_id, [width], indent, cells + _PLAIN_LOOK))
        self.row_start(header=False)
        self.cell_start(width)
        self._in_box(None, "")  # in the box around it, a table
        self._box_paragraphs.append([])
        self._boxes += 1
        self._not_a_paragraph()
        self._top_of_box = True

    def box_end(self, bottom: float) -> None:
        """Close the key-message box with an empty line ``bottom`` points high, its
        padding at the bottom: the cell's last paragraph is then never one an edition
        added or removed, whose mark Word and LibreOffice could not take out of the cell
        on accepting or rejecting the change.

        The box's last paragraph before that line has no space after it, nor its first
        one space before: the box is padded as the PDF pads it (a table cell there
        drops the first paragraph's space before and the last one's after).
        """
        self._no_space_after()
        self._insertion_marked_before(self._box_paragraphs.pop())
        self._line(bottom)
        self._parts.append("</w:tc>")
        self.row_end()
        self._parts.append("</w:tbl>")
        self._boxes -= 1
        self._not_a_paragraph()

    def _in_box(self, end: int | None, marks: str) -> None:
        """Note a paragraph written in the box open (see ``_box_paragraphs``)."""
        if self._box_paragraphs:
            self._box_paragraphs[-1].append((end, marks))

    def _insertion_marked_before(self, paragraphs: list[tuple[int | None, str]]) -> None:
        """Paragraphs an edition added at the end of a box's cell have the paragraph mark
        before them marked inserted in place of their last one's: the break that starts
        them is what the edition added. Rejecting the changes then joins what stays, the
        paragraph before them, to their last, emptied one, whose mark stays: LibreOffice
        keeps the first paragraph's properties as it joins two, and left a bullet of its
        own, empty, where the last one's mark was the inserted one (a key message added
        last to the box)."""
        index = len(paragraphs) - 1
        while index >= 0 and _inserted_mark(paragraphs[index][1]):
            index -= 1
        if index == len(paragraphs) - 1 or index < 0:
            return
        before, unchanged = paragraphs[index]
        last, marks = paragraphs[-1]
        if before is None or unchanged or last is None:
            return
        properties = f"<w:rPr>{marks}</w:rPr>"
        self._parts[last] = self._parts[last].replace(properties, "", 1)
        end = self._parts[before].removesuffix("</w:pPr>")
        self._parts[before] = f"{end}{properties}</w:pPr>"

    def keep_with_next(self) -> None:
        """Keep the paragraph written last on the page of the next one (``w:keepNext``),
        and the empty lines after it (a list's space after it) too: what follows never
        starts a page away from it. Nothing is kept past a table or a page break."""
        for index in range(len(self._parts) - 1, -1, -1):
            part = self._parts[index]
            if part.startswith("</w:tbl>") or _PAGE_BREAK in part:
                return
            if part.startswith("<w:p>"):
                self._parts[index] = _kept_with_next(part)
                if not part.startswith(_EMPTY_LINE):
                    return

    def list_end(self, space_after: float) -> None:
        """End a list as the PDF does: its last paragraph has no space after it, the list
        ``space_after`` points (an empty line)."""
        self._no_space_after()
        self.spacer(space_after)

    def space_above(self, height: float) -> None:
        """Leave ``height`` points above a table or a box, overlapping the space after the
        paragraph before it, as the PDF overlaps them: the larger of the two, not both."""
        if self._last_spacing is not None:
            height -= self._last_spacing[2]
        self.spacer(height)

    def _no_space_after(self) -> None:
        """Drop the space after the paragraph written last, if a paragraph was."""
        if self._last_spacing is not None:
            index, before, _ = self._last_spacing
            self._parts[index] = _spacing(before, 0)
            self._last_spacing = (index, before, 0.0)

    def _not_a_paragraph(self) -> None:
        """What was written last is no paragraph: no space of one is dropped."""
        self._last_spacing = None
        self._top_of_box = False

    def row_start(self, *, header: bool) -> None:
        """Open a ``w:tr``; a header row repeats on each page and never splits."""
        look = "<w:cantSplit/><w:tblHeader/>" if header else ""
        if self._whole:  # CT_TrPr wants a property before its w:ins and w:del: the default
            look = (look or '<w:cantSplit w:val="off"/>') + self._change_marks()
        self._parts.append(f"<w:tr><w:trPr>{look}</w:trPr>" if look else "<w:tr>")

    def row_end(self) -> None:
        self._parts.append("</w:tr>")

    def cell_start(self, width: int, fill: str | None = None) -> None:
        """Open a ``w:tc``, shaded in ``fill`` (``#RRGGBB``) if given.

        The caller must write at least one paragraph into it.
        """
        shading = (
            ""
            if fill is None
            else f'<w:shd w:val="clear" w:color="auto" w:fill="{escape(fill.lstrip("#"))}"/>'
        )
        self._parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>')

    def cell_end(self) -> None:
        self._parts.append("</w:tc>")

    def drawing(
        self,
        inline: Element,
        space_before: float | None = None,
        *,
        centred: bool = False,
        bidi: bool = False,
    ) -> None:
        """Write a paragraph holding a ``wp:inline`` picture made by python-docx, its line
        as tall as the picture (the styles' lines are exactly their leading high); ``bidi``:
        a right-to-left paragraph, the picture at its right."""
        self._flush_break()
        picture = etree.tostring(inline, encoding="unicode")
        spacing = self._direction(bidi) + _spacing(space_before, None, single=True)
        if centred:
            spacing += '<w:jc w:val="center"/>'
        if self._whole:
            spacing += f"<w:rPr>{self._change_marks()}</w:rPr>"
        properties = f"<w:pPr>{spacing}</w:pPr>" if spacing else ""
        drawing = self._changed(f"<w:r><w:drawing>{picture}</w:drawing></w:r>")
        self._parts.append(f"<w:p>{properties}{drawing}</w:p>")
        self._not_a_paragraph()

    def spacer(self, height: float) -> None:
        """Write an empty paragraph exactly ``height`` points high (space around a table,
        which Word cannot give a table itself)."""
        if height > 0:
            self._line(height)

    def _line(self, height: float) -> None:
        """Write an empty paragraph exactly ``height`` points high (at least a twip)."""
        self._not_a_paragraph()
        line = max(round(height * 20), 1)
        changed = self._change_marks() if self._whole else ""  # first in CT_ParaRPr
        self._parts.append(
            f'{_EMPTY_LINE}{line}" w:lineRule="exact"/>'
            f'<w:rPr>{changed}<w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
        )

    def watermark(self, mark: Watermark) -> None:
        """Write a run holding ``mark`` (see ``shapes``)."""
        self._parts.append(watermark_run(mark))

    def page_shape(self, shape: PageShape) -> None:
        """Write a run holding a rectangle placed on the page (see ``shapes``)."""
        self._parts.append(page_shape_run(shape))


def _with_kind(kinds: tuple[RevisionKind, ...], kind: RevisionKind) -> tuple[RevisionKind, ...]:
    """``kinds`` and ``kind``, an insertion outside a deletion (text inserted, then deleted)."""
    if kind in kinds:
        return kinds
    return ("ins", "del") if kinds else (kind,)
