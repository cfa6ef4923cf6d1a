"""The look in Word's terms: styles, list numbering and page set-up made from a ``Look``.

Nothing here decides how the pack looks; ``briefgen.look`` does. Without a reference
document every style the pack uses is (re)defined from the look, python-docx's Word
2010 defaults included, so the DOCX looks like the PDF. With a reference document its
styles win and only the styles it lacks come from the look.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Twips
from lxml.etree import _Element as Element

from briefgen.look import MAX_HEADING_LEVEL, Look, Rule, TextStyle
from briefgen.look.model import HEADER_LINE_GAP, NUMBER_GUTTER
from briefgen.text.fonts import east_asian_family
from briefgen.text.metrics import string_width
from briefgen.tree import Direction
from briefgen.writers.docx import docx_private, oxml
from briefgen.writers.docx.docx_private import tag

HYPERLINK = "Hyperlink"
TABLE = "Pack Table"
KEY_MESSAGE = "Key Message"  # the paragraphs of the key-message box
# Paragraph roles of the tree and the Word styles they take ("body" is Word's Normal).
ROLE_STYLES = {
    "byline": "Byline",
    "note": "Note",
    "cover-title": "Title",
    "cover-subtitle": "Subtitle",
    "cover-line": "Cover Line",
    "contents-title": "TOC Heading",
    "table-head": "Table Head",
    "table-cell": "Table Cell",
}
_RIGHT_TO_LEFT = " (Right to Left)"
_NEW_PAGE = " (New Page)"
# An index's names and their entries: Word's styles of an index's main entries and
# subentries, in the look of the contents' first and second levels (as in the PDF).
INDEX_NAME, INDEX_ENTRY = "index 1", "index 2"
_BUILTIN_IDS = {"toc": "TOC", "index": "Index"}  # Word's style ids of "toc N", "index N"


@dataclass(frozen=True, slots=True)
class StyleLook:
    """What a Word paragraph style takes from the look."""

    text: TextStyle
    alignment: str | None = None  # w:jc
    outline_level: int | None = None  # headings: their level in the navigation pane
    rule_below: Rule | None = None
    # contents and index lines: a dotted leader to the number at the end, past the text's
    # own end, which stops short of the number's gutter (as the PDF wraps the titles)
    page_number_tab: bool = False
    body_after: bool = False  # a new paragraph typed after one in this style is body text


def heading_style(level: int) -> str:
    """Word's name of the style of a heading level."""
    return f"heading {level}"


def box_style(direction: Direction) -> str:
    """The table style of the key-message box: its tint and its bar.

    A right-to-left box has its own style, the bar on the right where its lines start:
    the box is a table of one cell, and a table's left border is drawn on the left
    whatever the direction of the text in it.
    """
    return "Key Message Box" + (_RIGHT_TO_LEFT if direction == "rtl" else "")


def paragraph_looks(look: Look) -> dict[str, StyleLook]:
    """Return the look of every paragraph style the writer uses, by Word's style name."""
    roles = look.text
    looks = {
        "Normal": StyleLook(roles.body),
        KEY_MESSAGE: StyleLook(roles.body),
        "Header": StyleLook(roles.furniture, rule_below=look.page.header_rule),
        "Footer": StyleLook(roles.furniture, alignment="right"),
        **{
            name: StyleLook(roles.of(role), body_after=role in ("byline", "note"))
            for role, name in ROLE_STYLES.items()
        },
        # The contents' title is no heading of the outline: Word's own sets level 9.
        "TOC Heading": StyleLook(roles.contents_title, outline_level=9),
    }
    for level in range(1, MAX_HEADING_LEVEL + 1):
        style = look.heading(level)
        looks[heading_style(level)] = StyleLook(style, outline_level=level - 1)
    for depth in (1, 2, 3):
        suffix = "" if depth == 1 else f" {depth}"
        for kind in ("List Bullet", "List Number"):
            looks[kind + suffix] = StyleLook(roles.body)  # indents come with the numbering
        indented = roles.body.model_copy(update={"indent": look.lists.indent * depth})
        looks["List Continue" + suffix] = StyleLook(indented)
    for level, style in enumerate(look.contents.levels, 1):
        looks[f"toc {level}"] = StyleLook(style, page_number_tab=True)
    for name, style in zip((INDEX_NAME, INDEX_ENTRY), look.contents.levels, strict=False):
        looks[name] = StyleLook(style, page_number_tab=True)
    return looks


_SIDES: tuple[Direction, ...] = ("ltr", "rtl")
_BOXES = {box_style(side): side for side in _SIDES}
_TABLE_STYLES = frozenset({TABLE, *_BOXES})


class Styles:
    """Resolves style names to style ids once, adding or restyling styles on first use.

    Names are Word's internal ones (``heading 1``, ``toc 1``), matched case-insensitively.
    A style the look describes is defined from it (and, without a reference document,
    an existing one is restyled); any other missing built-in style is copied from
    python-docx's default template, without its numbering. Without a reference, Normal
    (and so every style based on it) reads in the document's ``direction``.
    """

    def __init__(
        self,
        document: DocxDocument,
        look: Look,
        *,
        restyle: bool,
        text_width: int,
        direction: Direction = "ltr",
    ) -> None:
        self._document = document
        self._look = look
        self._text_width = text_width
        self._looks = paragraph_looks(look)
        self._element = document.styles.element
        self._by_name = {
            docx_private.style_name(s).lower(): s for s in self._element.findall(tag("w:style"))
        }
        self._ids: dict[str, str] = {}
        self._restyle = restyle
        if restyle:
            _set_defaults(document, look)
            self.id("Normal")
            if direction == "rtl":  # and every style based on it: what the reader types too
                self.right_to_left("Normal")

    def id(self, name: str) -> str:
        """Return the style id of ``name``, adding or restyling it on first use."""
        style_id = self._ids.get(name)
        if style_id is None:
            style = self._by_name.get(name.lower())
            if style is None:
                style = self._add(name)
            elif self._restyle:
                self._apply(name, style)
            style_id = self._ids[name] = docx_private.style_id(style)
        return style_id

    def space_after(self, name: str | None) -> float:
        """The space after a paragraph of style ``name`` (None: Normal), as the look says."""
        spec = self._looks.get(name or "Normal")
        return 0.0 if spec is None else spec.text.space_after

    def space_before(self, name: str) -> float:
        """The space before a paragraph of style ``name``, as the look says."""
        spec = self._looks.get(name)
        return 0.0 if spec is None else spec.text.space_before

    def number(self, name: str, num_id: int, level: int) -> str:
        """Return the style id of ``name``, its paragraphs made items of the list
        ``num_id`` at ``level``."""
        style_id = self.id(name)
        properties = docx_private.paragraph_properties(self._by_name[name.lower()])
        oxml.numbering_reference(properties, num_id, level)
        return style_id

    def new_page(self, style_id: str | None) -> str:
        """The id of a style based on ``style_id`` (None: Normal) whose paragraphs start a
        new page, added on first use.

        In a document with tracked changes a page break is a paragraph's style, never its
        own property: LibreOffice, removing whole paragraphs (accepting a tracked
        deletion, rejecting an insertion), gives the paragraph after them the page break
        the first of them has, or none, in place of its own; its style stays. (Elsewhere
        a page-opening heading keeps Word's own heading style, which tools that read a
        DOCX by its style names expect.)
        """
        base_id = style_id or self.id("Normal")
        paged = self._ids.get(_NEW_PAGE + base_id)
        if paged is not None:
            return paged
        base = docx_private.style_with_id(self._element, base_id)
        name = (docx_private.style_name(base) if base is not None else base_id) + _NEW_PAGE
        added = self._document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        paged = self._ids[_NEW_PAGE + base_id] = base_id + "NewPage"
        docx_private.set_style_id(added.element, paged)
        docx_private.set_based_on(added.element, base_id)
        oxml.page_break_before(docx_private.paragraph_properties(added.element))
        return paged

    def right_to_left(self, name: str) -> str:
        """Return the style id of ``name``, its paragraphs made to read right to left."""
        style_id = self.id(name)
        oxml.right_to_left(docx_private.paragraph_properties(self._by_name[name.lower()]))
        return style_id

    def _add(self, name: str) -> Element:
        if name in self._looks or name == HYPERLINK or name in _TABLE_STYLES:
            style = self._define(name)
        else:
            style = self._copy_default(name)
        self._by_name[name.lower()] = style
        return style

    def _define(self, name: str) -> Element:
        kind = _style_type(name)
        builtin = name == HYPERLINK or name.startswith(("toc ", "heading ", "index "))
        added = self._document.styles.add_style(name, kind, builtin=builtin)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            body = self._document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
            added.base_style = body
            if name in self._looks and self._looks[name].body_after:
                added.next_paragraph_style = body
        prefix, _, level = name.partition(" ")
        if prefix in _BUILTIN_IDS and level.isdigit():
            # Word's own ids for its built-in "toc N" and "index N"
            docx_private.set_style_id(added.element, f"{_BUILTIN_IDS[prefix]}{level}")
        style: Element = added.element
        self._apply(name, style)
        return style

    def _apply(self, name: str, style: Element) -> None:
        """Give ``style`` the look's formatting for ``name`` (replacing what it had)."""
        fonts = self._look.font
        if name == HYPERLINK:
            oxml.run_look(docx_private.run_properties(style), colour=self._look.colours.link)
        elif name == TABLE:
            oxml.table_look(style, self._look.tables)
        elif name in _BOXES:
            oxml.box_look(style, self._look.key_messages, bar_right=_BOXES[name] == "rtl")
        elif name in self._looks:
            spec = self._looks[name]
            text = spec.text
            oxml.run_look(
                docx_private.run_properties(style),
                colour=text.colour,
                size=text.size,
                bold=text.bold,
                italic=text.italic,
                fonts=(fonts.family, east_asian_family(), fonts.arabic),
            )
            oxml.paragraph_look(
                docx_private.paragraph_properties(style),
                space_before=text.space_before,
                space_after=text.space_after,
                leading=text.leading,
                indent=text.indent,
                end_indent=NUMBER_GUTTER if spec.page_number_tab else 0.0,
                keep_with_next=text.keep_with_next,
                alignment=spec.alignment,
                outline_level=spec.outline_level,
                hyphenate=text.hyphenate,
            )
            if spec.page_number_tab:
                oxml.leader_tab(docx_private.paragraph_properties(style), self._text_width)
            if spec.rule_below is not None:
                properties = docx_private.paragraph_properties(style)
                oxml.rule_below(properties, spec.rule_below, HEADER_LINE_GAP)

    def _copy_default(self, name: str) -> Element:
        template = _default_styles().get(name.lower())
        if template is None:
            added = self._document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            added.base_style = self._document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
            element: Element = added.element
            return element
        style = copy.deepcopy(template)
        for num_pr in style.findall(f"{tag('w:pPr')}/{tag('w:numPr')}"):
            num_pr.getparent().remove(num_pr)
        self._element.append(style)
        for ref in ("basedOn", "link", "next"):
            self._ensure_ref(style, ref)
        return style

    def _ensure_ref(self, style: Element, ref: str) -> None:
        """Add the style that ``style`` refers to by ``w:ref``, or drop a dangling link."""
        target_id = style.find(tag(f"w:{ref}"))
        if target_id is None:
            return
        wanted = target_id.get(tag("w:val"))
        if docx_private.style_with_id(self._element, wanted) is not None:
            return
        defaults = _default_styles().values()
        target = next((s for s in defaults if docx_private.style_id(s) == wanted), None)
        if target is None:
            style.remove(target_id)
        else:
            self.id(docx_private.style_name(target))


def _style_type(name: str) -> WD_STYLE_TYPE:
    if name == HYPERLINK:
        return WD_STYLE_TYPE.CHARACTER
    return WD_STYLE_TYPE.TABLE if name in _TABLE_STYLES else WD_STYLE_TYPE.PARAGRAPH


def _set_defaults(document: DocxDocument, look: Look) -> None:
    """The document defaults: the look's fonts, size and colour instead of the theme's.

    Chinese, Japanese and Korean take the family that draws them (the text family has
    no Han characters), also in text that names no font of its own: a contents that
    Word or LibreOffice writes again, a paragraph the reader types. No space is added
    between Chinese and Latin letters or digits, as in the PDF (``oxml``)."""
    defaults = document.styles.element.find(tag("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{tag('w:rPrDefault')}/{tag('w:rPr')}")
    if rpr is not None:
        body = look.text.body
        fonts = (look.font.family, east_asian_family(), look.font.arabic)
        oxml.run_look(rpr, colour=body.colour, size=body.size, fonts=fonts)
    ppr = defaults.find(f"{tag('w:pPrDefault')}/{tag('w:pPr')}")
    if ppr is not None:
        oxml.no_east_asian_autospace(ppr)


@cache
def _default_styles() -> dict[str, Element]:
    """Style elements of python-docx's default template, by internal name (read once)."""
    styles = docx.Document().styles.element
    names = {s: docx_private.style_name(s) for s in styles.findall(tag("w:style"))}
    return {name.lower(): s for s, name in names.items() if name}


def set_page(document: DocxDocument, look: Look, paper: str) -> None:
    """Set the page size and margins of every section to the look's for ``paper``, and
    the running header and the page label where the PDF draws them."""
    width, height = look.page.size(paper)
    margins = look.page.margins
    furniture = look.text.furniture
    # An exact line's text stands on the line's bottom, less what the leading adds to
    # the size: the label's baseline is the PDF's.
    footer = look.footer_baseline() - (furniture.leading - furniture.size)
    for section in document.sections:
        section.page_width, section.page_height = _twips(width), _twips(height)
        section.top_margin, section.bottom_margin = _twips(margins.top), _twips(margins.bottom)
        section.left_margin, section.right_margin = _twips(margins.left), _twips(margins.right)
        section.header_distance = _twips(max(look.header_top(), 0.0))
        section.footer_distance = _twips(max(footer, 0.0))


def _twips(points: float) -> Twips:
    return Twips(round(points * 20))


class ListNumbering:
    """briefgen's own bullet and decimal list definitions in the numbering part, one of
    each for either direction.

    Every list paragraph names its numbering directly, so lists look the same with any
    reference document; each ordered list gets its own ``w:num`` that restarts at 1.
    """

    def __init__(self, document: DocxDocument, look: Look) -> None:
        self._numbering = docx_private.numbering(document)
        abstract = docx_private.xpath(self._numbering, "./w:abstractNum/@w:abstractNumId")
        first = max((int(a) for a in abstract), default=0) + 1
        kinds = [(ordered, side) for side in _SIDES for ordered in (False, True)]
        self._abstracts = {kind: first + index for index, kind in enumerate(kinds)}
        for (ordered, side), abstract_id in self._abstracts.items():
            widths = _label_widths(look, ordered=ordered) if side == "rtl" else None
            oxml.abstract_numbering(
                self._numbering, abstract_id, look.lists, ordered=ordered, centred_labels=widths
            )
        nums = [int(n) for n in docx_private.xpath(self._numbering, "./w:num/@w:numId")]
        self._next_num = max(nums, default=0) + 1
        self._bullets = {side: self._add(self._abstracts[False, side], None) for side in _SIDES}
        self._styles_lists: dict[tuple[bool, Direction], int] = {}

    def bullets(self, direction: Direction) -> int:
        """Return the numId of the bullet lists of ``direction``."""
        return self._bullets[direction]

    def ordered(self, level: int, start: int = 1, direction: Direction = "ltr") -> int:
        """Return a new numId for an ordered list of ``direction`` at ``level`` that
        starts at ``start``."""
        return self._add(self._abstracts[True, direction], level, start)

    def of_style(self, style_id: str, *, ordered: bool, direction: Direction) -> int:
        """Return the numId of the list a style gives its paragraphs: the bullets of
        ``direction``, or numbers of their own (one list for every numbered style).

        The lists of the template that named ``style_id`` let it go, so that only the
        style says which list its paragraphs are in."""
        for link in docx_private.xpath(self._numbering, "./w:abstractNum/w:lvl/w:pStyle"):
            if link.get(tag("w:val")) == style_id:
                link.getparent().remove(link)
        if not ordered:
            return self._bullets[direction]
        kind = (ordered, direction)
        if kind not in self._styles_lists:
            self._styles_lists[kind] = self._add(self._abstracts[kind], None)
        return self._styles_lists[kind]

    def _add(self, abstract_id: int, restart: int | None, start: int = 1) -> int:
        num_id, self._next_num = self._next_num, self._next_num + 1
        oxml.numbering_instance(self._numbering, num_id, abstract_id, restart, start)
        return num_id


def _label_widths(look: Look, *, ordered: bool) -> list[float]:
    """How wide each level's bullet, or a one-digit number, is in body text (points)."""
    face = look.font.face(bold=False, italic=False)
    bullets = look.lists.bullets
    labels = ["1." if ordered else bullets[level % len(bullets)] for level in range(9)]
    return [string_width(label, face, look.text.body.size) for label in labels]
