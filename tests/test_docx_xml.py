"""Unit tests for the raw WordprocessingML builders."""

from __future__ import annotations

from typing import Any

import pytest
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.oxml.parser import OxmlElement, parse_xml
from lxml import etree

from briefgen.writers import docx_xml as x
from briefgen.writers.docx_xml import RunProps

ARABIC = "مرحبا بالعالم"


def body() -> Any:
    return OxmlElement("w:body")


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


def test_insert_ordered_places_and_replaces_children() -> None:
    ppr = parse_xml(f'<w:pPr {nsdecls("w")}><w:pStyle w:val="A"/><w:jc w:val="left"/></w:pPr>')
    x.insert_ordered(ppr, OxmlElement("w:bidi"), x.PPR_ORDER)
    x.insert_ordered(ppr, OxmlElement("w:rPr"), x.PPR_ORDER)
    x.insert_ordered(ppr, OxmlElement("w:jc", {qn("w:val"): "right"}), x.PPR_ORDER)
    assert names(ppr) == ["pStyle", "bidi", "jc", "rPr"]
    assert val(ppr, "w:jc") == "right"


def test_paragraph_properties_follow_schema_order() -> None:
    p = x.paragraph(body(), "Heading1", numbering=(7, 2), bidi=True, jc="center")
    ppr = p[0]
    assert names(ppr) == ["pStyle", "numPr", "bidi", "jc"]
    assert names(ppr) == sorted(names(ppr), key=x.PPR_ORDER.index)
    assert val(ppr, "w:numPr/w:numId") == "7" and val(ppr, "w:numPr/w:ilvl") == "2"
    assert len(x.paragraph(body())) == 0


def test_run_properties_follow_schema_order() -> None:
    props = RunProps(style_id="Hyperlink", bold=True, italic=True, rtl=True, lang=("bidi", "ar"))
    r = x.run(body(), "x", props)
    rpr = r[0]
    assert names(rpr) == ["rStyle", "b", "bCs", "i", "iCs", "rtl", "lang"]
    assert names(rpr) == sorted(names(rpr), key=x.RPR_ORDER.index)
    assert val(rpr, "w:lang", "w:bidi") == "ar"
    assert names(x.run(body(), "x", RunProps())) == ["t"]


@pytest.mark.parametrize("text", ["a & b", "<b>x</b>", "{{ x }}", "*stars*", "🎉", ARABIC])
def test_run_text_is_data(text: str) -> None:
    r = x.run(body(), text, RunProps())
    assert r[0].text == text


def test_run_keeps_edge_spaces_and_splits_tabs_and_newlines() -> None:
    r = x.run(body(), " a\tb\nc ", RunProps())
    assert names(r) == ["t", "tab", "t", "br", "t"]
    assert [t.text for t in r if t.tag == qn("w:t")] == [" a", "b", "c "]
    assert r[0].get(x.XML_SPACE) == "preserve" and r[2].get(x.XML_SPACE) is None


def test_run_replaces_characters_xml_cannot_hold() -> None:
    assert x.run(body(), "a\x00b\x0bc", RunProps())[0].text == "a\ufffdb\ufffdc"


def test_direction_runs_in_ltr_and_rtl_paragraphs() -> None:
    mixed = f"The {ARABIC} 2024 text"
    assert list(x.direction_runs(mixed, False)) == [
        ("The ", False),
        (ARABIC, True),
        (" 2024 text", False),
    ]
    assert list(x.direction_runs(f"{ARABIC} (ICC) {ARABIC}.", True)) == [
        (ARABIC + " (", True),
        ("ICC", False),
        (") " + ARABIC + ".", True),
    ]
    assert list(x.direction_runs("plain", False)) == [("plain", False)]


def test_text_runs_marks_rtl_runs_and_skips_empty_text() -> None:
    parent = body()
    x.text_runs(parent, f"a {ARABIC}", RunProps(bold=True), False)
    x.text_runs(parent, "", RunProps(), False)
    assert [(r[-1].text, r.find(qn("w:rPr")).find(qn("w:rtl")) is not None) for r in parent] == [
        ("a ", False),
        (ARABIC, True),
    ]


def test_line_and_page_breaks() -> None:
    parent = body()
    x.line_break(parent)
    x.line_break(parent, "page")
    assert [r[0].get(qn("w:type")) for r in parent] == [None, "page"]


def test_hyperlinks_external_and_internal() -> None:
    external = x.hyperlink(body(), rid="rId9")
    internal = x.hyperlink(body(), anchor="closing")
    assert external.get(qn("r:id")) == "rId9" and external.get(qn("w:anchor")) is None
    assert internal.get(qn("w:anchor")) == "closing" and internal.get(qn("r:id")) is None


def test_bookmark_wraps_content_after_properties() -> None:
    p = x.paragraph(body(), "Heading1")
    x.run(p, "Title", RunProps())
    x.bookmark(p, 3, "intro")
    assert names(p) == ["pPr", "bookmarkStart", "r", "bookmarkEnd"]
    assert p[1].get(qn("w:name")) == "intro" and p[1].get(qn("w:id")) == p[3].get(qn("w:id")) == "3"
    bare = x.paragraph(body())
    x.bookmark(bare, 1, "b")
    assert names(bare) == ["bookmarkStart", "bookmarkEnd"]


def test_simple_field_has_instruction_and_placeholder() -> None:
    field = x.simple_field(body(), "PAGE", "1")
    assert field.get(qn("w:instr")) == " PAGE "
    assert field.find(qn("w:r")).find(qn("w:t")).text == "1"


def test_complex_field_spans_paragraphs() -> None:
    first, last = x.paragraph(body()), x.paragraph(body())
    x.field_begin(first, 'TOC \\o "1-3"')
    x.field_end(last)
    chars = [r.find(qn("w:fldChar")) for r in first if r.find(qn("w:fldChar")) is not None]
    assert [c.get(qn("w:fldCharType")) for c in chars] == ["begin", "separate"]
    assert first[1].find(qn("w:instrText")).text == ' TOC \\o "1-3" '
    assert last[0].find(qn("w:fldChar")).get(qn("w:fldCharType")) == "end"


def test_table_row_and_cell() -> None:
    tbl = x.table(body(), "TableGrid", [3000, 2000])
    header = x.table_row(tbl, header=True)
    plain = x.table_row(tbl, header=False)
    cell = x.table_cell(header, 3000)
    assert names(tbl) == ["tblPr", "tblGrid", "tr", "tr"]
    assert names(tbl[0]) == ["tblStyle", "tblW", "tblLook"]
    assert val(tbl, "w:tblPr/w:tblStyle") == "TableGrid"
    assert val(tbl, "w:tblPr/w:tblLook", "w:firstRow") == "1"
    assert [c.get(qn("w:w")) for c in tbl[1]] == ["3000", "2000"]
    assert names(header[0]) == ["cantSplit", "tblHeader"] and len(plain) == 0
    assert val(cell, "w:tcPr/w:tcW", "w:w") == "3000"


def test_drawing_run_wraps_inline() -> None:
    parent = body()
    x.drawing_run(parent, OxmlElement("wp:inline"))
    assert names(parent[0]) == ["drawing"] and names(parent[0][0]) == ["inline"]


def test_abstract_numbering_goes_before_nums() -> None:
    numbering = OxmlElement("w:numbering")
    x.numbering_instance(numbering, 1, 0, None)
    x.abstract_numbering(numbering, 5, ordered=True)
    x.abstract_numbering(numbering, 6, ordered=False)
    assert names(numbering) == ["abstractNum", "abstractNum", "num"]
    ordered, bullets = numbering[0], numbering[1]
    assert len(ordered.findall(qn("w:lvl"))) == 9
    assert val(ordered, "w:lvl/w:numFmt") == "decimal" and val(ordered, "w:lvl/w:lvlText") == "%1."
    assert val(bullets, "w:lvl/w:numFmt") == "bullet"
    assert ordered.get(qn("w:abstractNumId")) == "5"


def test_numbering_instance_restarts_a_level() -> None:
    numbering = OxmlElement("w:numbering")
    x.numbering_instance(numbering, 4, 5, 1)
    num = numbering[0]
    assert num.get(qn("w:numId")) == "4" and val(num, "w:abstractNumId") == "5"
    assert val(num, "w:lvlOverride", "w:ilvl") == "1"
    assert val(num, "w:lvlOverride/w:startOverride") == "1"


def test_paragraph_box_adds_borders_and_shading_in_order() -> None:
    ppr = parse_xml(f'<w:pPr {nsdecls("w")}><w:spacing w:after="0"/></w:pPr>')
    x.paragraph_box(ppr, fill="EAF1FB", color="4F81BD", left_size=24)
    assert names(ppr) == ["pBdr", "shd", "spacing"]
    assert names(ppr[0]) == ["top", "left", "bottom", "right"]
    assert val(ppr, "w:pBdr/w:left", "w:sz") == "24" and val(ppr, "w:shd", "w:fill") == "EAF1FB"


def test_language_sets_attributes_in_place_or_in_order() -> None:
    rpr = parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="22"/></w:rPr>')
    x.language(rpr, [("val", "fr")])
    x.language(rpr, [("bidi", "ar")])
    assert names(rpr) == ["sz", "lang"]
    assert val(rpr, "w:lang") == "fr" and val(rpr, "w:lang", "w:bidi") == "ar"
