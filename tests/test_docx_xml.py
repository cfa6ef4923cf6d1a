"""Unit tests for the edits of the package's XML parts (styles, numbering, defaults)."""

from __future__ import annotations

from typing import Any

import pytest
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.oxml.parser import OxmlElement, parse_xml
from lxml import etree

from briefgen.look import default_look
from briefgen.writers.docx import oxml as x


def names(element: Any) -> list[str]:
    return [child.tag.rpartition("}")[2] for child in element]


def val(element: Any, path: str, attribute: str = "w:val") -> Any:
    found = etree._Element.xpath(element, f"./{path}/@{attribute}", namespaces=nsmap)
    return found[0] if found else None


def test_lang_attribute_uses_bidi_for_rtl_languages() -> None:
    assert x.lang_attribute("ar") == ("bidi", "ar")
    assert x.lang_attribute("he-IL") == ("bidi", "he-IL")
    assert x.lang_attribute("fr") == ("val", "fr")
    assert x.lang_attribute("en-GB") == ("val", "en-GB")


@pytest.mark.parametrize(
    ("tag", "slot"),
    [
        ("zh", "eastAsia"),
        ("zh-Hant-TW", "eastAsia"),
        ("ja", "eastAsia"),
        ("ko", "eastAsia"),
        ("th", "bidi"),
        ("hi", "bidi"),
        ("bn-BD", "bidi"),
        ("fa", "bidi"),
        ("ka", "val"),
        ("hy", "val"),
        ("sr-Latn", "val"),
        ("pa-Arab", "bidi"),
    ],
)
def test_lang_attribute_puts_each_script_in_words_slot(tag: str, slot: str) -> None:
    assert x.lang_attribute(tag) == (slot, tag)
    # the same languages as the paragraph direction (Sorani Kurdish, Kurdish in Arabic script)
    assert x.lang_attribute("ckb") == ("bidi", "ckb")
    assert x.lang_attribute("ku-Arab") == ("bidi", "ku-Arab")


def test_insert_ordered_places_and_replaces_children() -> None:
    ppr = parse_xml(f'<w:pPr {nsdecls("w")}><w:pStyle w:val="A"/><w:jc w:val="left"/></w:pPr>')
    x.insert_ordered(ppr, OxmlElement("w:bidi"), x.PPR_ORDER)
    x.insert_ordered(ppr, OxmlElement("w:rPr"), x.PPR_ORDER)
    x.insert_ordered(ppr, OxmlElement("w:jc", {qn("w:val"): "right"}), x.PPR_ORDER)
    assert names(ppr) == ["pStyle", "bidi", "jc", "rPr"]
    assert val(ppr, "w:jc") == "right"


def test_abstract_numbering_goes_before_nums() -> None:
    numbering = OxmlElement("w:numbering")
    x.numbering_instance(numbering, 1, 0, None)
    lists = default_look().lists
    x.abstract_numbering(numbering, 5, lists, ordered=True)
    x.abstract_numbering(numbering, 6, lists, ordered=False)
    assert names(numbering) == ["abstractNum", "abstractNum", "num"]
    ordered, bullets = numbering[0], numbering[1]
    assert len(ordered.findall(qn("w:lvl"))) == 9
    assert val(ordered, "w:lvl/w:numFmt") == "decimal" and val(ordered, "w:lvl/w:lvlText") == "%1."
    assert val(bullets, "w:lvl/w:numFmt") == "bullet"
    texts = [lvl.find(qn("w:lvlText")).get(qn("w:val")) for lvl in bullets.findall(qn("w:lvl"))]
    assert texts[:3] == [lists.bullets[i % len(lists.bullets)] for i in range(3)]
    assert val(bullets, "w:lvl/w:rPr/w:color") == lists.colour.lstrip("#")
    assert val(bullets, "w:lvl/w:pPr/w:ind", "w:hanging") == str(round(lists.indent * 20))
    assert ordered.get(qn("w:abstractNumId")) == "5"


def test_numbering_instance_restarts_a_level() -> None:
    numbering = OxmlElement("w:numbering")
    x.numbering_instance(numbering, 4, 5, 1)
    num = numbering[0]
    assert num.get(qn("w:numId")) == "4" and val(num, "w:abstractNumId") == "5"
    assert val(num, "w:lvlOverride", "w:ilvl") == "1"
    assert val(num, "w:lvlOverride/w:startOverride") == "1"


@pytest.mark.parametrize(("bar_right", "bar_side"), [(False, "left"), (True, "right")])
def test_box_look_tints_the_cells_and_draws_the_bar_on_one_side(
    bar_right: bool, bar_side: str
) -> None:
    style = parse_xml(f'<w:style {nsdecls("w")} w:type="table"><w:name w:val="B"/></w:style>')
    box = default_look().key_messages
    x.box_look(style, box, bar_right=bar_right)
    assert names(style) == ["name", "tblPr", "tcPr"]
    assert names(style[1][0]) == ["top", "left", "bottom", "right", "insideH", "insideV"]
    drawn = {side.tag.rpartition("}")[2]: side.get(qn("w:val")) for side in style[1][0]}
    assert drawn == {side: "single" if side == bar_side else "nil" for side in drawn}
    assert val(style, f"w:tblPr/w:tblBorders/w:{bar_side}", "w:sz") == str(round(box.bar_width * 8))
    assert val(style, f"w:tblPr/w:tblBorders/w:{bar_side}", "w:color") == box.bar.lstrip("#")
    assert val(style, "w:tcPr/w:shd", "w:fill") == box.fill.lstrip("#")


def test_language_sets_attributes_in_place_or_in_order() -> None:
    rpr = parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="22"/></w:rPr>')
    x.language(rpr, [("val", "fr")])
    x.language(rpr, [("bidi", "ar")])
    assert names(rpr) == ["sz", "lang"]
    assert val(rpr, "w:lang") == "fr" and val(rpr, "w:lang", "w:bidi") == "ar"
