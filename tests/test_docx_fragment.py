"""Unit tests for the DOCX body written as XML text and parsed into elements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from briefgen.writers.docx import fragment as f
from briefgen.writers.docx.fragment import Fragment, RunProps
from briefgen.writers.docx.oxml import PPR_ORDER, RPR_ORDER
from tests.test_docx_xml import names, val

ARABIC = "مرحبا بالعالم"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# XML 1.0 characters; the others are replaced (see test_text_xml_cannot_hold_is_replaced).
XML_CHARACTERS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters=[chr(c) for c in range(32) if chr(c) not in "\t\n\r"]
    + ["\ufffe", "\uffff"],
)


def written(write: Callable[[Fragment], None]) -> list[Any]:
    """The top-level elements of a fragment filled by ``write``."""
    out = Fragment()
    write(out)
    return out.elements()


def one(write: Callable[[Fragment], None]) -> Any:
    (element,) = written(write)
    return element


def paragraph(write: Callable[[Fragment], None], **properties: Any) -> Any:
    def whole(out: Fragment) -> None:
        out.paragraph_start(**properties)
        write(out)
        out.paragraph_end()

    return one(whole)


def run_of(text: str, props: RunProps = f.PLAIN) -> Any:
    return paragraph(lambda out: out.run(text, props))[0]


def text_of(run: Any) -> str:
    return "".join(t.text or "" for t in run.iter(qn("w:t")))


def test_paragraph_properties_follow_schema_order() -> None:
    p = one(lambda out: (out.paragraph_start("Heading1", numbering=(7, 2), bidi=True,
                                             space_before=12),
                         out.paragraph_end()))  # fmt: skip
    ppr = p[0]
    assert names(ppr) == ["pStyle", "numPr", "bidi", "spacing"]
    assert val(ppr, "w:spacing", "w:before") == "240"
    assert names(ppr) == sorted(names(ppr), key=PPR_ORDER.index)
    assert val(ppr, "w:numPr/w:numId") == "7" and val(ppr, "w:numPr/w:ilvl") == "2"
    assert len(paragraph(lambda out: None)) == 0


def test_run_properties_follow_schema_order() -> None:
    props = RunProps(style_id="Hyperlink", bold=True, italic=True, rtl=True, lang=("bidi", "ar"))
    rpr = run_of("x", props)[0]
    assert names(rpr) == ["rStyle", "b", "bCs", "i", "iCs", "rtl", "lang"]
    assert names(rpr) == sorted(names(rpr), key=RPR_ORDER.index)
    assert val(rpr, "w:lang", "w:bidi") == "ar"
    assert names(run_of("x")) == ["t"]


@pytest.mark.parametrize(
    "text", ["a & b", "<b>x</b>", "{{ x }}", "*stars*", "🎉", ARABIC, "\"q\" 'a'", "]]>", "&amp;"]
)
def test_run_text_is_data(text: str) -> None:
    assert text_of(run_of(text)) == text


@given(st.text(XML_CHARACTERS.filter(lambda c: c not in "\t\n"), min_size=1))
def test_any_text_comes_back_exactly(text: str) -> None:
    assert text_of(run_of(text)) == text


@given(st.text(XML_CHARACTERS, min_size=1, max_size=12))
def test_any_value_in_an_attribute_comes_back_exactly(value: str) -> None:
    """Style ids come from reference documents: any value must stay one attribute value."""
    p = one(lambda out: (out.paragraph_start(value), out.paragraph_end()))
    assert val(p[0], "w:pStyle") == value


def test_text_xml_cannot_hold_is_replaced() -> None:
    assert text_of(run_of("a\x00b\x0bc\ufffed")) == "a\ufffdb\ufffdc\ufffdd"
    assert text_of(run_of("x\ud800y")) == "x\ufffdy"  # a lone surrogate


def test_run_keeps_edge_spaces_and_splits_tabs_and_newlines() -> None:
    r = run_of(" a\tb\nc ")
    assert names(r) == ["t", "tab", "t", "br", "t"]
    assert [t.text for t in r if t.tag == qn("w:t")] == [" a", "b", "c "]
    assert r[0].get(XML_SPACE) == "preserve" and r[2].get(XML_SPACE) is None


def test_direction_runs_in_ltr_and_rtl_paragraphs() -> None:
    mixed = f"The {ARABIC} 2024 text"
    assert list(f.direction_runs(mixed, False)) == [
        ("The ", False),
        (ARABIC, True),
        (" 2024 text", False),
    ]
    assert list(f.direction_runs(f"{ARABIC} (ICC) {ARABIC}.", True)) == [
        (ARABIC + " (", True),
        ("ICC", False),
        (") " + ARABIC + ".", True),
    ]
    assert list(f.direction_runs("plain", False)) == [("plain", False)]


def test_text_runs_marks_rtl_runs_and_skips_empty_text() -> None:
    def write(out: Fragment) -> None:
        out.text_runs(f"a {ARABIC}", RunProps(bold=True), False)
        out.text_runs("", f.PLAIN, False)

    runs = paragraph(write)
    assert [(text_of(r), r.find(qn("w:rPr")).find(qn("w:rtl")) is not None) for r in runs] == [
        ("a ", False),
        (ARABIC, True),
    ]


def test_line_and_page_breaks() -> None:
    line = paragraph(lambda out: out.line_break())
    assert names(line[0]) == ["br"] and line[0][0].get(qn("w:type")) is None
    page = one(lambda out: out.page_break())
    assert page.tag == qn("w:p") and page[0][0].get(qn("w:type")) == "page"


def test_hyperlinks_external_and_internal() -> None:
    def write(out: Fragment) -> None:
        out.external_link_start("rId9")
        out.run("court", f.PLAIN)
        out.hyperlink_end()
        out.internal_link_start("closing")
        out.hyperlink_end()

    external, internal = paragraph(write)
    assert external.get(qn("r:id")) == "rId9" and external.get(qn("w:anchor")) is None
    assert text_of(external) == "court"
    assert internal.get(qn("w:anchor")) == "closing" and internal.get(qn("r:id")) is None


def test_bookmark_wraps_content_after_properties() -> None:
    def write(out: Fragment) -> None:
        out.bookmark_start(3, "intro")
        out.run("Title", f.PLAIN)
        out.bookmark_end(3)

    p = paragraph(write, style_id="Heading1")
    assert names(p) == ["pPr", "bookmarkStart", "r", "bookmarkEnd"]
    assert p[1].get(qn("w:name")) == "intro" and p[1].get(qn("w:id")) == p[3].get(qn("w:id")) == "3"


def test_simple_field_has_instruction_and_placeholder() -> None:
    field = paragraph(lambda out: out.simple_field("PAGE", "1"))[0]
    assert field.get(qn("w:instr")) == " PAGE "
    assert field.find(qn("w:r")).find(qn("w:t")).text == "1"


def test_complex_field_spans_paragraphs() -> None:
    def write(out: Fragment) -> None:
        out.paragraph_start()
        out.field_begin('TOC \\o "1-3"')
        out.paragraph_end()
        out.paragraph_start()
        out.field_end()
        out.paragraph_end()

    first, last = written(write)
    chars = [r.find(qn("w:fldChar")) for r in first if r.find(qn("w:fldChar")) is not None]
    assert [c.get(qn("w:fldCharType")) for c in chars] == ["begin", "separate"]
    assert first[1].find(qn("w:instrText")).text == ' TOC \\o "1-3" '
    assert last[0].find(qn("w:fldChar")).get(qn("w:fldCharType")) == "end"


def test_table_row_and_cell() -> None:
    def write(out: Fragment) -> None:
        out.table_start("TableGrid", [3000, 2000])
        out.row_start(header=True)
        out.cell_start(3000)
        out.paragraph_start()
        out.paragraph_end()
        out.cell_end()
        out.row_end()
        out.row_start(header=False)
        out.row_end()
        out.table_end()

    tbl = one(write)
    header, plain = tbl[2], tbl[3]
    assert names(tbl) == ["tblPr", "tblGrid", "tr", "tr"]
    assert names(tbl[0]) == ["tblStyle", "tblW", "tblLook"]
    assert val(tbl, "w:tblPr/w:tblStyle") == "TableGrid"
    assert val(tbl, "w:tblPr/w:tblW", "w:w") == "5000"
    assert val(tbl, "w:tblPr/w:tblLook", "w:firstRow") == "1"
    assert [c.get(qn("w:w")) for c in tbl[1]] == ["3000", "2000"]
    assert names(header[0]) == ["cantSplit", "tblHeader"] and len(plain) == 0
    assert names(header[1]) == ["tcPr", "p"] and val(header[1], "w:tcPr/w:tcW", "w:w") == "3000"


def test_drawing_paragraph_wraps_inline() -> None:
    inline = OxmlElement("wp:inline")
    etree.SubElement(inline, qn("wp:extent"), cx="1", cy="2")
    p = one(lambda out: out.drawing(inline))
    assert names(p) == ["pPr", "r"] and names(p[1]) == ["drawing"]
    assert names(p[1][0]) == ["inline"] and p[1][0][0][0].get("cy") == "2"
    # Its line as tall as the picture: the styles' lines are exactly their leading high.
    (spacing,) = p[0]
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("240", "auto")


def test_a_mistake_in_the_text_raises_instead_of_writing() -> None:
    out = Fragment()
    out.paragraph_start()  # never closed
    with pytest.raises(etree.XMLSyntaxError):
        out.elements()


def test_elements_carry_no_namespace_declarations_into_the_document() -> None:
    """Appended to python-docx's body, the parsed elements reuse its prefixes."""
    body = OxmlElement("w:body")
    body.extend(written(lambda out: (out.paragraph_start("A"), out.run("x", f.PLAIN),
                                     out.paragraph_end())))  # fmt: skip
    xml = etree.tostring(body, encoding="unicode")
    assert xml.count("xmlns:") == 1 and "<w:p><w:pPr><w:pStyle" in xml


def test_a_large_table_arrives_whole_in_order_and_without_namespace_clutter() -> None:
    """Big subtrees are moved a piece at a time (_adopt); the result must not show it."""
    out = Fragment()
    out.table_start("Grid", [100])
    for row in range(1500):
        out.row_start(header=row == 0)
        out.cell_start(100)
        out.paragraph_start()
        out.external_link_start(f"rId{row}")
        out.run(f"row {row}", RunProps(style_id="Hyperlink"))
        out.hyperlink_end()
        out.paragraph_end()
        out.cell_end()
        out.row_end()
    out.table_end()
    document = docx.Document().element
    out.append_to(document.body)
    table = document.body[-1]
    rows = table.findall(qn("w:tr"))
    assert [text_of(row) for row in rows] == [f"row {n}" for n in range(1500)]
    assert [link.get(qn("r:id")) for link in table.iter(qn("w:hyperlink"))][-1] == "rId1499"
    assert names(rows[0]) == ["trPr", "tc"] and names(table)[:2] == ["tblPr", "tblGrid"]
    xml = etree.tostring(document, encoding="unicode")
    assert xml.count("xmlns:w=") == xml.count("xmlns:r=") == 1  # the root's, reused


def test_a_page_break_is_the_next_paragraphs_break_before_else_a_paragraph() -> None:
    out = Fragment()
    out.page_break()
    out.paragraph_start("Heading1")
    out.paragraph_end()
    out.page_break()
    out.table_start("Table", [100])
    out.table_end()
    out.page_break()
    heading, page, _table, last = out.elements()
    assert heading.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
    # No space before it at the page's top (the PDF drops it there), whatever the style's.
    assert names(heading.find(qn("w:pPr"))) == ["pStyle", "pageBreakBefore", "spacing"]
    assert heading.find(f"{qn('w:pPr')}/{qn('w:spacing')}").get(qn("w:before")) == "0"
    for paragraph in (page, last):
        assert paragraph.tag == qn("w:p") and paragraph[0][0].get(qn("w:type")) == "page"


def test_a_page_break_can_be_the_next_paragraphs_style() -> None:
    """Given the style that starts a page in a paragraph of a style, the break is that."""
    out = Fragment(new_page=lambda style: f"{style}NewPage")
    out.page_break()
    out.paragraph_start("Heading1")
    out.paragraph_end()
    (heading,) = out.elements()
    assert names(heading.find(qn("w:pPr"))) == ["pStyle", "spacing"]
    assert heading.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "Heading1NewPage"
    assert heading.find(f"{qn('w:pPr')}/{qn('w:spacing')}").get(qn("w:before")) == "0"


def test_a_page_reference_has_its_leader_in_the_looks_colour_never_bold() -> None:
    runs = paragraph(lambda out: out.page_reference("intro", "7", "#5E6673"))
    tab_run = runs[0]
    assert tab_run.find(qn("w:tab")) is not None
    assert val(tab_run, "w:rPr/w:color") == "5E6673" and val(tab_run, "w:rPr/w:b") == "0"
    instructions = "".join(t.text for r in runs for t in r.iter(qn("w:instrText")))
    assert instructions.split() == ["PAGEREF", "intro", "\\h"]
    assert "".join(t.text or "" for r in runs for t in r.iter(qn("w:t"))) == "7"
