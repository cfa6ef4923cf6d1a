"""Raw WordprocessingML builders that python-docx lacks: the only module that touches XML.

Every function takes or returns lxml elements and never builds XML from strings, so any
text stays data. Child elements are created in the order the OOXML schema prescribes
(``CT_PPr``, ``CT_RPr``, ...), because Word rejects out-of-order properties as corrupt.
The body writer calls these in its hot path, so they use ``SubElement`` directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from docx.oxml.ns import qn
from lxml.etree import SubElement
from lxml.etree import _Element as Element

from briefgen.direction import RTL_CHARACTERS, has_rtl

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "syr"})

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


_LTR_LETTER = f"(?![{RTL_CHARACTERS}])[^\\W\\d_]"
_RTL_SPAN = re.compile(f"[{RTL_CHARACTERS}](?:[{RTL_CHARACTERS}\\W\\d_]*[{RTL_CHARACTERS}])?")
_LTR_SPAN = re.compile(f"{_LTR_LETTER}(?:[^{RTL_CHARACTERS}]*{_LTR_LETTER})?")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("([\t\n])")


@cache
def w(name: str) -> str:
    """Return the Clark name of ``w:name`` (computed once per name)."""
    return qn(f"w:{name}")


_P, _PPR, _R, _RPR, _T, _VAL = (w(name) for name in ("p", "pPr", "r", "rPr", "t", "val"))


@dataclass(frozen=True, slots=True)
class RunProps:
    """Direct run formatting; ``lang`` is ``(attribute, tag)`` for ``w:lang``."""

    style_id: str | None = None
    bold: bool = False
    italic: bool = False
    rtl: bool = False
    lang: tuple[str, str] | None = None


PLAIN = RunProps()


# Run properties derived from others, made once each (the writer asks per run).


@cache
def with_rtl(props: RunProps) -> RunProps:
    return replace(props, rtl=True)


@cache
def with_bold(props: RunProps) -> RunProps:
    return replace(props, bold=True)


@cache
def with_italic(props: RunProps) -> RunProps:
    return replace(props, italic=True)


@cache
def in_language(tag: str) -> RunProps:
    return RunProps(lang=lang_attribute(tag))


def lang_attribute(tag: str) -> tuple[str, str]:
    """Return the ``w:lang`` attribute for a BCP 47 tag: ``bidi`` for RTL scripts, else ``val``."""
    primary = tag.split("-", 1)[0].lower()
    return ("bidi" if primary in RTL_LANGUAGES else "val", tag)


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


def paragraph(
    parent: Element,
    style_id: str | None = None,
    *,
    numbering: tuple[int, int] | None = None,
    bidi: bool = False,
    jc: str | None = None,
) -> Element:
    """Append a ``w:p``; ``numbering`` is ``(numId, ilvl)``; properties in CT_PPr order."""
    p = SubElement(parent, _P)
    if style_id is None and numbering is None and not bidi and jc is None:
        return p
    ppr = SubElement(p, _PPR)
    if style_id is not None:
        SubElement(ppr, w("pStyle"), {_VAL: style_id})
    if numbering is not None:
        num_pr = _child(ppr, "numPr")
        _child(num_pr, "ilvl", val=str(numbering[1]))
        _child(num_pr, "numId", val=str(numbering[0]))
    if bidi:
        _child(ppr, "bidi")
    if jc is not None:
        _child(ppr, "jc", val=jc)
    return p


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


def text_runs(parent: Element, text: str, props: RunProps, rtl_base: bool) -> None:
    """Append runs for ``text``, marking those of right-to-left script with ``w:rtl``."""
    for segment, rtl in direction_runs(text, rtl_base) if text else ():
        run(parent, segment, with_rtl(props) if rtl else props)


def run(parent: Element, text: str, props: RunProps) -> Element:
    """Append a ``w:r`` holding ``text``; tabs and newlines become ``w:tab`` and ``w:br``."""
    r = SubElement(parent, _R)
    if props != PLAIN:
        _run_properties(r, props)
    if "\t" in text or "\n" in text:
        for piece in _SPECIAL.split(text):
            if piece == "\t":
                _child(r, "tab")
            elif piece == "\n":
                _child(r, "br")
            elif piece:
                _text(r, piece)
    else:
        _text(r, text)
    return r


def _run_properties(r: Element, props: RunProps) -> None:
    rpr = SubElement(r, _RPR)
    if props.style_id is not None:
        SubElement(rpr, w("rStyle"), {_VAL: props.style_id})
    if props.bold:
        _child(rpr, "b")
        _child(rpr, "bCs")
    if props.italic:
        _child(rpr, "i")
        _child(rpr, "iCs")
    if props.rtl:
        _child(rpr, "rtl")
    if props.lang is not None:
        _child(rpr, "lang", **{props.lang[0]: props.lang[1]})


def _text(r: Element, text: str) -> None:
    t = SubElement(r, _T)
    t.text = _INVALID_XML.sub("\ufffd", text)
    if text[:1].isspace() or text[-1:].isspace():
        t.set(XML_SPACE, "preserve")


def line_break(parent: Element, kind: Literal["textWrapping", "page"] = "textWrapping") -> None:
    """Append a run holding a line break (or a page break with ``kind="page"``)."""
    _child(SubElement(parent, _R), "br", **({"type": "page"} if kind == "page" else {}))


def hyperlink(parent: Element, *, rid: str | None = None, anchor: str | None = None) -> Element:
    """Append a ``w:hyperlink`` to an external relationship ``rid`` or a bookmark ``anchor``."""
    link = SubElement(parent, w("hyperlink"))
    if rid is not None:
        link.set(qn("r:id"), rid)
    if anchor is not None:
        link.set(w("anchor"), anchor)
    link.set(w("history"), "1")
    return link


def bookmark(p: Element, bookmark_id: int, name: str) -> None:
    """Wrap the content of paragraph ``p`` in a bookmark (start after ``w:pPr``, end last)."""
    start = p.makeelement(w("bookmarkStart"), {w("id"): str(bookmark_id), w("name"): name})
    p.insert(1 if len(p) and p[0].tag == _PPR else 0, start)
    _child(p, "bookmarkEnd", id=str(bookmark_id))


def simple_field(parent: Element, instruction: str, placeholder: str) -> Element:
    """Append a ``w:fldSimple`` (e.g. ``PAGE``) showing ``placeholder`` until Word updates it."""
    field = _child(parent, "fldSimple", instr=f" {instruction} ")
    run(field, placeholder, PLAIN)
    return field


def field_begin(parent: Element, instruction: str) -> None:
    """Open a complex field: ``begin``, the instruction, ``separate``; the result follows."""
    _child(SubElement(parent, _R), "fldChar", fldCharType="begin")
    instr = _child(SubElement(parent, _R), "instrText")
    instr.set(XML_SPACE, "preserve")
    instr.text = f" {instruction} "
    _child(SubElement(parent, _R), "fldChar", fldCharType="separate")


def field_end(parent: Element) -> None:
    """Close the complex field opened by ``field_begin`` (possibly in an earlier paragraph)."""
    _child(SubElement(parent, _R), "fldChar", fldCharType="end")


def table(parent: Element, style_id: str, widths: Sequence[int]) -> Element:
    """Append a full-width ``w:tbl`` with column ``widths`` in twips, header-row look on."""
    tbl = _child(parent, "tbl")
    tbl_pr = _child(tbl, "tblPr")
    _child(tbl_pr, "tblStyle", val=style_id)
    _child(tbl_pr, "tblW", w=str(sum(widths)), type="dxa")
    look = {"firstRow": "1", "lastRow": "0", "firstColumn": "0", "lastColumn": "0"}
    _child(tbl_pr, "tblLook", val="0420", **look, noHBand="0", noVBand="1")
    grid = _child(tbl, "tblGrid")
    for width in widths:
        _child(grid, "gridCol", w=str(width))
    return tbl


def table_row(tbl: Element, *, header: bool) -> Element:
    """Append a ``w:tr``; a header row repeats on each page and never splits."""
    tr = _child(tbl, "tr")
    if header:
        tr_pr = _child(tr, "trPr")
        _child(tr_pr, "cantSplit")
        _child(tr_pr, "tblHeader")
    return tr


def table_cell(tr: Element, width: int) -> Element:
    """Append a ``w:tc``; the caller must add at least one paragraph to it."""
    tc = _child(tr, "tc")
    _child(_child(tc, "tcPr"), "tcW", w=str(width), type="dxa")
    return tc


def drawing_run(parent: Element, inline: Element) -> None:
    """Append a run holding a ``wp:inline`` picture made by python-docx."""
    _child(SubElement(parent, _R), "drawing").append(inline)


def abstract_numbering(numbering: Element, abstract_id: int, *, ordered: bool) -> None:
    """Add a nine-level bullet or decimal ``w:abstractNum`` before the first ``w:num``."""
    abstract = numbering.makeelement(w("abstractNum"), {w("abstractNumId"): str(abstract_id)})
    _child(abstract, "nsid", val=f"{0xB1EF0000 + abstract_id:08X}")
    _child(abstract, "multiLevelType", val="hybridMultilevel")
    for level in range(9):
        lvl = _child(abstract, "lvl", ilvl=str(level))
        _child(lvl, "start", val="1")
        _child(lvl, "numFmt", val="decimal" if ordered else "bullet")
        text = f"%{level + 1}." if ordered else "•◦▪"[level % 3]
        _child(lvl, "lvlText", val=text)
        _child(lvl, "lvlJc", val="left")
        indent = 360 * (level + 1)
        _child(_child(lvl, "pPr"), "ind", left=str(indent), hanging="360")
    first_num = numbering.find(w("num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)


def numbering_instance(
    numbering: Element, num_id: int, abstract_id: int, restart: int | None
) -> None:
    """Add a ``w:num`` of ``abstract_id``; its level ``restart`` (if given) starts again at 1."""
    num = _child(numbering, "num", numId=str(num_id))
    _child(num, "abstractNumId", val=str(abstract_id))
    if restart is not None:
        override = _child(num, "lvlOverride", ilvl=str(restart))
        _child(override, "startOverride", val="1")


def paragraph_box(ppr: Element, *, fill: str, color: str, left_size: int) -> None:
    """Give paragraph properties (of a style) a shaded box with a thicker left rule."""
    borders = ppr.makeelement(w("pBdr"), {})
    for side in ("top", "left", "bottom", "right"):
        size = left_size if side == "left" else 4
        _child(borders, side, val="single", sz=str(size), space="6", color=color)
    insert_ordered(ppr, borders, PPR_ORDER)
    shading = {w("val"): "clear", w("color"): "auto", w("fill"): fill}
    insert_ordered(ppr, ppr.makeelement(w("shd"), shading), PPR_ORDER)


def language(rpr: Element, attributes: Iterable[tuple[str, str]]) -> None:
    """Set ``w:lang`` attributes in run properties (e.g. the document defaults)."""
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = insert_ordered(rpr, rpr.makeelement(w("lang"), {}), RPR_ORDER)
    for name, value in attributes:
        lang.set(w(name), value)
