"""Edits of the package's XML parts (styles, numbering, document defaults) that python-docx lacks.

Every function takes lxml elements and never builds XML from strings, so any text
stays data. Children are inserted in the order the OOXML schema prescribes (``CT_PPr``,
``CT_RPr``, ...), because Word rejects out-of-order properties as corrupt. The body
itself is written by ``docx_fragment``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from docx.oxml.ns import qn
from lxml.etree import SubElement
from lxml.etree import _Element as Element

from briefgen.text.direction import is_rtl_language

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
    return qn(f"w:{name}")


def lang_attribute(tag: str) -> tuple[str, str]:
    """Return the ``w:lang`` attribute for a BCP 47 tag: ``bidi`` for RTL scripts, else ``val``."""
    return ("bidi" if is_rtl_language(tag) else "val", tag)


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
