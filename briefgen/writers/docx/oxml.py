"""Edits of the package's XML parts (styles, numbering, document defaults) that python-docx lacks.

Every function takes lxml elements and never builds XML from strings, so any text
stays data. Children are inserted in the order the OOXML schema prescribes (``CT_PPr``,
``CT_RPr``, ...), because Word rejects out-of-order properties as corrupt. The body
itself is written by ``docx_fragment``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from lxml.etree import SubElement
from lxml.etree import _Element as Element

from briefgen.look import KeyMessageBox, Lists, Rule, Tables
from briefgen.text.direction import is_rtl_language
from briefgen.writers.docx import docx_private

# Child sequences of ECMA-376 Part 1 CT_PPr and CT_RPr, used to insert a child into an
# existing properties element (e.g. of a style) at its schema position.
_CT_PPR = """
    pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers
    pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct
    autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing
    mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl
    divId cnfStyle rPr sectPr pPrChange
"""
PPR_ORDER = tuple(_CT_PPR.split())
_CT_RPR = """
    rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint
    noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u
    effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath
"""
RPR_ORDER = tuple(_CT_RPR.split())


@cache
def w(name: str) -> str:
    """Return the Clark name of ``w:name`` (computed once per name)."""
    return docx_private.tag(f"w:{name}")


_EAST_ASIAN_LANGUAGES = frozenset({"zh", "ja", "ko", "yue", "cmn", "wuu", "hak", "nan"})
_EAST_ASIAN_SCRIPTS = frozenset({"hani", "hans", "hant", "jpan", "kore", "hira", "kana", "hang"})
# Written in complex scripts (Word's "complex script" slot): Thai, Lao, Khmer, Burmese,
# and the Indic scripts; right-to-left ones are found by their direction.
_COMPLEX_SCRIPT_LANGUAGES = frozenset(
    {"th", "lo", "km", "my", "hi", "bn", "ta", "te", "kn", "ml", "mr", "ne", "gu", "pa"}
    | {"or", "si", "as", "sa", "bo", "dz", "mai", "bho", "kok", "sd"}
)


def lang_attribute(tag: str) -> tuple[str, str]:
    """Return the ``w:lang`` attribute a BCP 47 tag goes in: ``eastAsia`` for Chinese,
    Japanese and Korean, ``bidi`` (Word's complex scripts) for right-to-left, Thai and
    Indic scripts, else ``val``; Word takes a run's language from the slot of its
    characters' script."""
    subtags = tag.lower().split("-")
    script = next((part for part in subtags[1:] if len(part) == 4 and part.isalpha()), None)
    if subtags[0] in _EAST_ASIAN_LANGUAGES or script in _EAST_ASIAN_SCRIPTS:
        return ("eastAsia", tag)
    if is_rtl_language(tag) or (subtags[0] in _COMPLEX_SCRIPT_LANGUAGES and script is None):
        return ("bidi", tag)
    return ("val", tag)


def _child(parent: Element, tag: str, **attrs: str) -> Element:
    """Append ``w:tag`` with ``w:``-qualified attributes to ``parent``."""
    return SubElement(parent, w(tag), {w(k): v for k, v in attrs.items()})


def insert_ordered(parent: Element, child: Element, order: Sequence[str]) -> Element:
    """Insert ``child`` (replacing a same-named one) at its schema position in ``parent``."""
    name = child.tag.rpartition("}")[2]
    for old in parent.findall(child.tag):
        parent.remove(old)
    later = set(order[order.index(name) + 1 :])
    for index, sibling in enumerate(parent):
        if sibling.tag.rpartition("}")[2] in later:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def abstract_numbering(
    numbering: Element,
    abstract_id: int,
    lists: Lists,
    *,
    ordered: bool,
    centred_labels: Sequence[float] | None = None,
) -> None:
    """Add a nine-level bullet or decimal ``w:abstractNum`` before the first ``w:num``.

    Bullets cycle through the look's, each level indented one step further; bullets and
    numbers take the look's list colour. A label stands where the line starts, its
    text one step in.

    With ``centred_labels`` (each level's label width in points: a right-to-left list)
    each label is centred half its width in from where the line starts, so that it ends
    there. A left-justified label would be read two ways in a right-to-left paragraph:
    as the line's start by the standard, as the page's left by LibreOffice, which hangs
    it into the right margin; a centred one stands in the same place for every reader.
    """
    abstract = numbering.makeelement(w("abstractNum"), {w("abstractNumId"): str(abstract_id)})
    _child(abstract, "nsid", val=f"{0xB1EF0000 + abstract_id:08X}")
    _child(abstract, "multiLevelType", val="hybridMultilevel")
    step = round(lists.indent * 20)
    for level in range(9):
        lvl = _child(abstract, "lvl", ilvl=str(level))
        _child(lvl, "start", val="1")
        _child(lvl, "numFmt", val="decimal" if ordered else "bullet")
        text = f"%{level + 1}." if ordered else lists.bullets[level % len(lists.bullets)]
        _child(lvl, "lvlText", val=text)
        half = 0 if centred_labels is None else round(centred_labels[level] * 10)
        _child(lvl, "lvlJc", val="left" if centred_labels is None else "center")
        indent = {"left": str(step * (level + 1)), "hanging": str(max(step - half, 0))}
        _child(_child(lvl, "pPr"), "ind", **indent)
        _child(_child(lvl, "rPr"), "color", val=lists.colour.lstrip("#"))
    first_num = numbering.find(w("num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)


def numbering_instance(
    numbering: Element, num_id: int, abstract_id: int, restart: int | None, start: int = 1
) -> None:
    """Add a ``w:num`` of ``abstract_id``; its level ``restart`` (if given) starts again at
    ``start``."""
    num = _child(numbering, "num", numId=str(num_id))
    _child(num, "abstractNumId", val=str(abstract_id))
    if restart is not None:
        override = _child(num, "lvlOverride", ilvl=str(restart))
        _child(override, "startOverride", val=str(start))


def leader_tab(ppr: Element, position: int) -> None:
    """Give paragraph properties (of a style) a right tab stop at ``position`` (twips)
    with a dotted leader, as Word's contents styles have for the page numbers."""
    tabs = ppr.makeelement(w("tabs"), {})
    _child(tabs, "tab", val="right", leader="dot", pos=str(position))
    insert_ordered(ppr, tabs, PPR_ORDER)


def rule_below(ppr: Element, rule: Rule, space: float) -> None:
    """Give paragraph properties (of a style) a rule ``space`` points under the paragraph."""
    borders = ppr.makeelement(w("pBdr"), {})
    size = str(_eighths(rule.width))
    gap = str(_border_space(space))
    _child(borders, "bottom", val="single", sz=size, space=gap, color=rule.colour[1:])
    insert_ordered(ppr, borders, PPR_ORDER)


def _eighths(points: float) -> int:
    """A border width in eighths of a point, within what Word allows (2 to 96)."""
    return min(max(round(points * 8), 2), 96)


def _border_space(points: float) -> int:
    """The space between a border and the text, in points (Word allows 0 to 31)."""
    return min(max(round(points), 0), 31)


def run_look(
    rpr: Element,
    *,
    colour: str,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    fonts: tuple[str, str, str] | None = None,
) -> None:
    """Set the look of run properties (of a style or the defaults), replacing what was there.

    ``fonts`` is the text face, the face for east Asian text (Chinese, Japanese, Korean)
    and the face for complex scripts (Arabic). Bold and italic are set both ways, so
    nothing is inherited from a style based on another.
    """
    for old in [child for child in rpr if child.tag != w("lang")]:
        rpr.remove(old)  # all a template style had: spacing, kerning, caps, ...
    if fonts is not None:
        text, east_asian, complex_script = fonts
        faces = {
            w("ascii"): text,
            w("hAnsi"): text,
            w("eastAsia"): east_asian,
            w("cs"): complex_script,
        }
        insert_ordered(rpr, rpr.makeelement(w("rFonts"), faces), RPR_ORDER)
    for name, on in (("b", bold), ("bCs", bold), ("i", italic), ("iCs", italic)):
        if on is not None:
            insert_ordered(rpr, rpr.makeelement(w(name), {w("val"): "1" if on else "0"}), RPR_ORDER)
    insert_ordered(rpr, rpr.makeelement(w("color"), {w("val"): colour.lstrip("#")}), RPR_ORDER)
    if size is not None:
        half_points = str(round(size * 2))
        for name in ("sz", "szCs"):
            insert_ordered(rpr, rpr.makeelement(w(name), {w("val"): half_points}), RPR_ORDER)


def paragraph_look(
    ppr: Element,
    *,
    space_before: float,
    space_after: float,
    leading: float,
    indent: float,
    keep_with_next: bool,
    end_indent: float = 0.0,
    alignment: str | None = None,
    outline_level: int | None = None,
    hyphenate: bool = False,
) -> None:
    """Set the spacing, indent, keeping, hyphenation and alignment of paragraph
    properties (of a style).

    Lines are exactly ``leading`` apart, as the PDF sets them, whatever the script: with
    "at least", Word and LibreOffice take the font's own line height where it is
    taller, and Noto Sans Arabic's is 2.1 em, which set Arabic lines half as far apart
    again as the PDF does (a picture's paragraph has a line height of its own:
    ``Fragment.drawing``). Borders and shading a template style had (Word 2010's Title
    has a rule) are removed. A style that does not ``hyphenate`` suppresses the
    document's automatic hyphenation. ``indent`` is on the side where lines start,
    ``end_indent`` on the other (``w:ind``'s left and right, which a right-to-left
    paragraph mirrors).
    """
    for name in (
        "keepNext",
        "suppressAutoHyphens",
        "pBdr",
        "shd",
        "spacing",
        "ind",
        "jc",
        "outlineLvl",
        "contextualSpacing",
    ):
        for old in ppr.findall(w(name)):
            ppr.remove(old)
    if keep_with_next:
        insert_ordered(ppr, ppr.makeelement(w("keepNext"), {}), PPR_ORDER)
    if not hyphenate:
        insert_ordered(ppr, ppr.makeelement(w("suppressAutoHyphens"), {}), PPR_ORDER)
    spacing = {
        w("before"): str(round(space_before * 20)),
        w("after"): str(round(space_after * 20)),
        w("line"): str(round(leading * 20)),
        w("lineRule"): "exact",
    }
    insert_ordered(ppr, ppr.makeelement(w("spacing"), spacing), PPR_ORDER)
    sides = {
        w(side): str(round(points * 20))
        for side, points in (("left", indent), ("right", end_indent))
        if points
    }
    if sides:
        insert_ordered(ppr, ppr.makeelement(w("ind"), sides), PPR_ORDER)
    if alignment is not None:
        insert_ordered(ppr, ppr.makeelement(w("jc"), {w("val"): alignment}), PPR_ORDER)
    if outline_level is not None:
        level = ppr.makeelement(w("outlineLvl"), {w("val"): str(outline_level)})
        insert_ordered(ppr, level, PPR_ORDER)


def no_east_asian_autospace(ppr: Element) -> None:
    """Turn off Word's space between east Asian text and Latin letters (``w:autoSpaceDE``)
    and digits (``w:autoSpaceDN``) in paragraph properties (the document's defaults):
    "2024年12月2日" is set as the PDF sets it, without a gap around each number.

    LibreOffice's import reads neither (its writerfilter skips both), and Writer adds
    its own space there ("Apply spacing between Asian and non-Asian text", on by
    default), except on a page with a character grid, which would set every character
    on the grid: in LibreOffice the gaps stay (docs/building.md)."""
    for name in ("autoSpaceDE", "autoSpaceDN"):
        insert_ordered(ppr, ppr.makeelement(w(name), {w("val"): "0"}), PPR_ORDER)


def numbering_reference(ppr: Element, num_id: int, level: int) -> None:
    """Give paragraph properties (of a style) the list ``num_id`` at ``level``."""
    num_pr = ppr.makeelement(w("numPr"), {})
    _child(num_pr, "ilvl", val=str(level))
    _child(num_pr, "numId", val=str(num_id))
    insert_ordered(ppr, num_pr, PPR_ORDER)


def page_break_before(ppr: Element) -> None:
    """Make paragraph properties (of a style) start a new page (``w:pageBreakBefore``)."""
    insert_ordered(ppr, ppr.makeelement(w("pageBreakBefore"), {}), PPR_ORDER)


def right_to_left(ppr: Element) -> None:
    """Make paragraph properties (of a style) read right to left (``w:bidi``)."""
    insert_ordered(ppr, ppr.makeelement(w("bidi"), {}), PPR_ORDER)


# Child sequence of ECMA-376 Part 1 CT_TblPr.
_CT_TBLPR = """
    tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc
    tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook
"""
TBLPR_ORDER = tuple(_CT_TBLPR.split())


def _properties(style: Element, name: str) -> Element:
    """The ``w:tblPr`` or ``w:tcPr`` of a table style, added if it has none."""
    properties = style.find(w(name))
    if properties is None:
        properties = SubElement(style, w(name))
    return properties


def table_look(style: Element, tables: Tables) -> None:
    """Give a table style the look's rules below every row and its cell padding."""
    tblpr = _properties(style, "tblPr")
    rule = (tables.rule_width, tables.rule)
    _table_borders(tblpr, {"bottom": rule, "insideH": rule})
    margins = tblpr.makeelement(w("tblCellMar"), {})
    padding = tables.padding
    for side, points in (
        ("top", padding - 1),
        ("left", padding),
        ("bottom", padding + 1),
        ("right", padding),
    ):
        _child(margins, side, w=str(round(max(points, 0) * 20)), type="dxa")
    insert_ordered(tblpr, margins, TBLPR_ORDER)


def box_look(style: Element, box: KeyMessageBox, *, bar_right: bool = False) -> None:
    """Give a table style the key-message box: its cells tinted, and the look's bar on
    the left of the table, or on the right (``bar_right``) for a right-to-left box.

    The padding is not the style's: it places the table (``Fragment.box_start``).
    """
    bar_side = "right" if bar_right else "left"
    _table_borders(_properties(style, "tblPr"), {bar_side: (box.bar_width, box.bar)})
    tcpr = _properties(style, "tcPr")
    for old in tcpr.findall(w("shd")):
        tcpr.remove(old)
    _child(tcpr, "shd", val="clear", color="auto", fill=box.fill.lstrip("#"))


def _table_borders(tblpr: Element, drawn: Mapping[str, tuple[float, str]]) -> None:
    """Set a table's borders: those ``drawn`` single lines (width in points, colour), the
    others none."""
    borders = tblpr.makeelement(w("tblBorders"), {})
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in drawn:
            width, colour = drawn[side]
            size = str(_eighths(width))
            _child(borders, side, val="single", sz=size, space="0", color=colour.lstrip("#"))
        else:
            _child(borders, side, val="nil")
    insert_ordered(tblpr, borders, TBLPR_ORDER)


def language(rpr: Element, attributes: Iterable[tuple[str, str]]) -> None:
    """Set ``w:lang`` attributes in run properties (e.g. the document defaults)."""
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = insert_ordered(rpr, rpr.makeelement(w("lang"), {}), RPR_ORDER)
    for name, value in attributes:
        lang.set(w(name), value)
