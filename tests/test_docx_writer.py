"""The DOCX writer: read the bytes back with python-docx and lxml and check real content."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Length, RGBColor
from lxml import etree

from briefgen import tree
from briefgen.look import default_look
from briefgen.writers.docx.body import bookmark_name, toc_instruction
from briefgen.writers.docx.writer import write_docx
from tests.trees import decided, line, row

T = tree.Text
LITERAL = "AT&T <b>not bold</b> {{ x }} *stars* 🎉"
ARABIC = "بيان دولة فلسطين أمام الجمعية"
HEADINGS = [
    (1, "Opening plenary", "opening"),
    (2, "Statements", "opening-statements"),
    (3, "Côte d'Ivoire", "Cote-d-Ivoire"),
    (1, "Closing plenary", "closing"),
]


def meta(**changes: object) -> tree.Metadata:
    base = tree.Metadata(
        title="Assembly of States Parties, 23rd session",
        author="Coalition Secretariat",
        subject="Briefing pack",
        keywords=("ICC", "ASP23"),
        language="en",
        created=datetime(2024, 12, 2, 9, 30, tzinfo=UTC),
        paper="A4",
        draft=False,
        running_header=line("ASP23 briefing pack"),
        draft_mark=line("DRAFT"),
    )
    for name in ("running_header", "draft_mark"):
        if isinstance(changes.get(name), str):
            changes[name] = line(str(changes[name]))
    return replace(base, **changes)  # type: ignore[arg-type]


def sample(**meta_changes: object) -> tree.Document:
    """A representative pack: every block and inline type, RTL and French text."""
    headings = [tree.Heading(level, (T(text),), anchor) for level, text, anchor in HEADINGS]
    entries = tuple(tree.ContentsEntry(level, text, anchor) for level, text, anchor in HEADINGS)
    blocks: list[tree.Block] = [
        tree.Cover(
            line("ASP23 Briefing Pack", "cover-title"),
            line("The Hague, 2-7 December 2024", "cover-subtitle"),
            (tree.Paragraph((T("Prepared by the Secretariat"),), role="cover-line"),),
        ),
        tree.Contents(line("Contents", "contents-title"), entries),
        headings[0],
        tree.Paragraph((T("By the Coalition"),), role="byline"),
        tree.Paragraph(
            (
                T("Plain, "),
                tree.Strong((T("strong"),)),
                T(" and "),
                tree.Emphasis((T("emphasis"),)),
                T("; see "),
                tree.Link((T("the closing"),), "#closing"),
                T(" and "),
                tree.Link((T("the Court"),), "https://www.icc-cpi.int/asp?a=1&b=2"),
                tree.LineBreak(),
                T(LITERAL),
            )
        ),
        headings[1],
        tree.ListBlock(
            False,
            (
                (tree.Paragraph((T("First bullet"),)),),
                (
                    tree.Paragraph((T("Second bullet"),)),
                    tree.ListBlock(True, ((tree.Paragraph((T("Nested one"),)),),)),
                ),
            ),
        ),
        tree.ListBlock(True, ((tree.Paragraph((T("Step one"),)),),)),
        headings[2],
        tree.Table(
            row("State", "Speaker", role="table-head"),
            (row("France", "Ambassador"), row("Kenya", "Minister")),
        ),
        tree.PageBreak(),
        headings[3],
        tree.KeyMessages(
            (
                tree.Paragraph((T("Universality matters."),)),
                tree.ListBlock(False, ((tree.Paragraph((T("Cooperation"),)),),)),
            )
        ),
        tree.Paragraph((T(ARABIC),), lang="ar"),
        tree.Paragraph((T("Déclaration de la France"),), lang="fr"),
    ]
    return decided(meta(**meta_changes), tuple(blocks))


def build(document: tree.Document | None = None, reference: Path | None = None) -> bytes:
    return write_docx(document or sample(), reference).data


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def body_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph, in order."""
    return [(p.style.name if p.style else "", p.text) for p in open_docx(data).paragraphs]


def xpath(element: object, path: str) -> list[object]:
    return element.xpath(path)  # type: ignore[attr-defined, no-any-return]


def test_pages_are_unknown_and_bytes_are_a_zip() -> None:
    rendered = write_docx(sample())
    assert rendered.pages is None
    assert zipfile.ZipFile(io.BytesIO(rendered.data)).testzip() is None


def test_headings_use_builtin_styles_in_tree_order() -> None:
    headings = [(s, t) for s, t in body_paragraphs(build()) if s.startswith("Heading")]
    assert headings == [(f"Heading {level}", text) for level, text, _ in HEADINGS]


def test_cover_title_subtitle_line_then_page_break() -> None:
    paragraphs = open_docx(build()).paragraphs
    assert [(p.style.name, p.text) for p in paragraphs[:3]] == [
        ("Title", "ASP23 Briefing Pack"),
        ("Subtitle", "The Hague, 2-7 December 2024"),
        ("Cover Line", "Prepared by the Secretariat"),
    ]
    assert (paragraphs[3].style.name, paragraphs[3].text) == ("TOC Heading", "Contents")
    assert xpath(paragraphs[3]._p, "./w:pPr/w:pageBreakBefore")


def test_page_breaks_are_the_next_headings_page_break_before() -> None:
    body = open_docx(build()).element.body
    assert not xpath(body, './/w:br[@w:type="page"]')  # no empty paragraphs for breaks
    breaking = xpath(body, "./w:p[w:pPr/w:pageBreakBefore]")
    texts = ["".join(xpath(p, ".//w:t/text()")) for p in breaking]
    assert texts == ["Contents", "Closing plenary"]
    assert xpath(breaking[1], "./w:pPr/w:pStyle/@w:val") == ["Heading1"]


def test_contents_is_a_prefilled_toc_field_linking_to_heading_bookmarks() -> None:
    body = open_docx(build()).element.body
    instructions = [t.text for t in xpath(body, ".//w:instrText")]
    assert instructions == [f" {toc_instruction(2)} "]
    entries = [p for p in xpath(body, "./w:p") if xpath(p, "./w:hyperlink[@w:anchor]")]
    toc = [p for p in entries if xpath(p, './w:pPr/w:pStyle[starts-with(@w:val, "TOC")]')]
    listed = [(level, text, anchor) for level, text, anchor in HEADINGS if level <= 2]
    assert ["".join(xpath(p, ".//w:t/text()")) for p in toc] == [t for _, t, _ in listed]
    assert [xpath(p, "./w:pPr/w:pStyle/@w:val")[0] for p in toc] == ["TOC1", "TOC2", "TOC1"]
    anchors = [xpath(p, "./w:hyperlink/@w:anchor")[0] for p in toc]
    assert anchors == [bookmark_name(a) for _, _, a in listed]
    kinds = [c.get(qn("w:fldCharType")) for c in xpath(body, ".//w:fldChar")]
    assert kinds == ["begin", "separate", "end"]
    assert xpath(toc[-1], "./w:r/w:fldChar/@w:fldCharType") == ["end"]


def test_bookmarks_are_unique_valid_and_match_internal_links() -> None:
    body = open_docx(build()).element.body
    names = xpath(body, ".//w:bookmarkStart/@w:name")
    ids = xpath(body, ".//w:bookmarkStart/@w:id")
    assert names == [bookmark_name(a) for _, _, a in HEADINGS]
    assert len(set(ids)) == len(ids) == len(xpath(body, ".//w:bookmarkEnd"))
    assert all(len(n) <= 40 and n[0].isalpha() for n in names)
    assert set(xpath(body, ".//w:hyperlink/@w:anchor")) <= set(names)
    heading = xpath(body, './w:p[w:pPr/w:pStyle/@w:val="Heading1"]')[-1]
    assert xpath(heading, "./w:bookmarkStart/@w:name") == ["closing"]


def test_bookmark_names_are_deterministic_distinct_and_valid() -> None:
    anchors = ["intro", "Intro", "2024-plenary", "a" * 60, "a" * 61, "côte-d-ivoire", "x_y", "x-y"]
    names = [bookmark_name(a) for a in anchors]
    assert names[0] == "intro" and names[6] == "x_y"
    assert len({n.lower() for n in names}) == len(anchors)
    assert all(len(n) <= 40 and n[0].isascii() and n[0].isalpha() for n in names)
    assert names == [bookmark_name(a) for a in anchors]


def test_external_links_are_hyperlinks_with_relationships_and_style() -> None:
    document = open_docx(build())
    links = xpath(document.element.body, ".//w:hyperlink[@r:id]")
    assert len(links) == 1
    rel = document.part.rels[links[0].get(qn("r:id"))]
    assert rel.reltype == RT.HYPERLINK and rel.is_external
    assert rel.target_ref == "https://www.icc-cpi.int/asp?a=1&b=2"
    assert xpath(links[0], "./w:r/w:rPr/w:rStyle/@w:val") == ["Hyperlink"]
    link = default_look().colours.link
    assert str(document.styles["Hyperlink"].font.color.rgb) == link.lstrip("#")


def test_strong_emphasis_and_literal_text() -> None:
    document = open_docx(build())
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Plain"))
    runs = {r.text: r for r in paragraph.runs}
    assert runs["strong"].bold and not runs["strong"].italic
    assert runs["emphasis"].italic and not runs["emphasis"].bold
    assert paragraph.text.endswith("\n" + LITERAL)
    assert "<b>" not in document.element.xml.replace("&lt;b&gt;", "")


def test_lists_nest_and_ordered_lists_restart() -> None:
    data = build()
    styled = [(s, t) for s, t in body_paragraphs(data) if s.startswith("List")]
    assert styled == [
        ("List Bullet", "First bullet"),
        ("List Bullet", "Second bullet"),
        ("List Number 2", "Nested one"),
        ("List Number", "Step one"),
    ]
    body = open_docx(data).element.body
    num = {
        "".join(xpath(p, ".//w:t/text()")): (
            xpath(p, ".//w:numId/@w:val")[0],
            xpath(p, ".//w:ilvl/@w:val")[0],
        )
        for p in xpath(body, "./w:p[w:pPr/w:numPr]")
    }
    assert num["First bullet"] == num["Second bullet"] != num["Step one"]
    assert num["Nested one"][1] == "1" and num["Step one"][1] == "0"
    numbering = open_docx(data).part.numbering_part.element
    for text in ("Nested one", "Step one"):
        restart = f'./w:num[@w:numId="{num[text][0]}"]/w:lvlOverride/w:startOverride/@w:val'
        assert xpath(numbering, restart) == ["1"]


def style_list(document: docx.document.Document, style_id: str) -> tuple[str, str]:
    """The list definition (abstractNumId) and level a paragraph style gives its paragraphs."""
    (style,) = xpath(document.styles.element, f'./w:style[@w:styleId="{style_id}"]')
    (num_id,) = xpath(style, "./w:pPr/w:numPr/w:numId/@w:val")
    (level,) = xpath(style, "./w:pPr/w:numPr/w:ilvl/@w:val")
    numbering = document.part.numbering_part.element
    (abstract,) = xpath(numbering, f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
    return abstract, level


def test_a_paragraph_put_in_a_list_style_gets_the_packs_bullets_or_numbers() -> None:
    """List Bullet and List Number (and their levels 2 and 3) number their paragraphs
    with the pack's lists, not with Word's own (a black Symbol bullet, another indent):
    what the reader applies the style to looks like the lists the pack has, also for a
    kind of list the pack has none of; no other list definition claims the styles."""
    document = open_docx(build())
    lists = {
        "".join(xpath(p, ".//w:t/text()")): xpath(p, "./w:pPr/w:numPr/w:numId/@w:val")[0]
        for p in xpath(document.element.body, "./w:p[w:pPr/w:numPr]")
    }
    numbering = document.part.numbering_part.element

    def abstract(num_id: str) -> str:
        found: str = xpath(numbering, f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
        return found

    bullets, numbers = abstract(lists["First bullet"]), abstract(lists["Step one"])
    for depth, suffix in enumerate(("", "2", "3")):
        assert style_list(document, f"ListBullet{suffix}") == (bullets, str(depth))
        assert style_list(document, f"ListNumber{suffix}") == (numbers, str(depth))
    bullet = f'./w:abstractNum[@w:abstractNumId="{bullets}"]/w:lvl[@w:ilvl="0"]'
    assert xpath(numbering, f"{bullet}/w:lvlText/@w:val") == [default_look().lists.bullets[0]]
    assert not xpath(numbering, "./w:abstractNum/w:lvl/w:pStyle")


def test_a_list_ends_with_the_lists_space_after_not_its_last_items_too() -> None:
    """As in the PDF, a list's last paragraph has no space after it; the list's own space
    after it follows (an empty line that high), so the two do not add up."""
    body = open_docx(build()).element.body
    paragraphs = xpath(body, "./w:p")
    texts = ["".join(xpath(p, ".//w:t/text()")) for p in paragraphs]
    last = paragraphs[texts.index("Step one")]
    assert xpath(last, "./w:pPr/w:spacing/@w:after") == ["0"]
    spacer = paragraphs[texts.index("Step one") + 1]
    height = round(default_look().lists.space_after * 20)
    assert (
        xpath(spacer, "./w:pPr/w:spacing/@w:line") == [str(height)]
        and not texts[texts.index("Step one") + 1]
    )
    kept = paragraphs[texts.index("First bullet")]  # the list's other items keep theirs
    assert not xpath(kept, "./w:pPr/w:spacing")


def test_the_space_above_a_table_or_a_box_overlaps_the_space_after_what_precedes_it() -> None:
    """As the PDF's spaces overlap, a table or a box stands the larger of its own space
    before and the space after the paragraph above it below that paragraph: a heading
    whose space after is the larger is followed by the table itself; under a byline, a
    spacer makes up the difference."""
    look = default_look()
    table = tree.Table(row("State", role="table-head"), (row("France"),))
    box = tree.KeyMessages((tree.Paragraph((T("Universality matters."),)),))
    byline = tree.Paragraph((T("By the Coalition"),), role="byline")
    blocks = (tree.Heading(1, (T("Programme"),), "programme"), table, byline, box)
    body = open_docx(build(decided(meta(), blocks))).element.body
    kinds = [child.tag.rpartition("}")[2] for child in body if not child.tag.endswith("sectPr")]
    heading_after, table_before = look.heading(1).space_after, look.tables.space_before
    assert heading_after >= table_before and kinds[:2] == ["p", "tbl"]
    gap = look.key_messages.space_before - look.text.byline.space_after
    assert gap > 0
    spacer = xpath(body, "./w:tbl[2]/preceding-sibling::w:p[1]")[0]
    assert xpath(spacer, "./w:pPr/w:spacing/@w:line") == [str(round(gap * 20))]


DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"


def decorative(doc_pr: object) -> bool:
    return any(
        element.tag == DECORATIVE and element.get("val") == "1"
        for element in doc_pr.iter()  # type: ignore[attr-defined]
    )


@pytest.mark.parametrize("alt", ["", "Coalition for the ICC"])
def test_a_logo_without_alternate_text_is_marked_as_decoration(alt: str, tmp_path: Path) -> None:
    """A logo that says nothing (``logo_alt`` empty) is decoration, as the tree decides
    and the PDF (an artifact) and the HTML (``alt=""``) draw it: Office's decorative
    mark, so that Word's accessibility checker asks no text of it; with a text, that."""
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(20, 20))
    cover = tree.Cover(line("ASP23", "cover-title"), None, (), logo=str(logo), logo_alt=alt)
    body = open_docx(build(decided(meta(), (cover,)))).element.body
    (doc_pr,) = xpath(body, ".//wp:inline/wp:docPr")
    assert decorative(doc_pr) == (not alt)
    assert doc_pr.get("descr", "") == alt  # type: ignore[attr-defined]


def test_the_cover_band_and_rule_are_decoration() -> None:
    document = open_docx(build())
    header = document.sections[0].first_page_header._element
    shapes = xpath(header, ".//wp:anchor/wp:docPr")
    assert len(shapes) == 2 and all(decorative(shape) for shape in shapes)


def test_an_index_has_styles_of_its_own_in_the_look_of_the_contents() -> None:
    """An index's names and entries are in Word's index styles (main entries, subentries),
    not the contents' (restyling or updating the contents leaves the index alone), and
    look as the contents' first and second levels do, as in the PDF."""
    entry = tree.ContentsEntry(2, "Opening statement", "closing")
    group = tree.IndexGroup(tree.Paragraph((T("Human Rights Watch"),)), (entry,))
    data = build(decided(meta(), (*sample().blocks, tree.Index((group,)))))
    styles = dict((text, style) for style, text in body_paragraphs(data))
    assert styles["Human Rights Watch"] == "index 1"
    assert next(s for t, s in styles.items() if t.startswith("Opening statement")) == "index 2"
    document = open_docx(data)
    for index_style, contents_style in (("index 1", "toc 1"), ("index 2", "toc 2")):
        mine, theirs = document.styles[index_style].element, document.styles[contents_style].element
        assert xpath(mine, "./w:pPr/*") and xpath(mine, "./w:rPr/*")
        assert [etree_bytes(e) for e in xpath(mine, "./w:pPr/* | ./w:rPr/*")] == [
            etree_bytes(e) for e in xpath(theirs, "./w:pPr/* | ./w:rPr/*")
        ]


def etree_bytes(element: object) -> bytes:
    return etree.tostring(element)  # type: ignore[arg-type]


def test_table_has_style_repeating_bold_header() -> None:
    table = open_docx(build()).tables[0]
    assert table.style.name == "Pack Table"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["State", "Speaker"],
        ["France", "Ambassador"],
        ["Kenya", "Minister"],
    ]
    assert xpath(table._tbl, "./w:tr[1]/w:trPr/w:tblHeader") and not xpath(
        table._tbl, "./w:tr[2]/w:trPr"
    )
    head = [c.paragraphs[0].style for c in table.rows[0].cells]
    assert {style.name for style in head} == {"Table Head"} and head[0].font.bold
    body = [c.paragraphs[0].style for c in table.rows[1].cells]
    assert {style.name for style in body} == {"Table Cell"} and not body[0].font.bold
    fills = xpath(table._tbl, "./w:tr[1]/w:tc/w:tcPr/w:shd/@w:fill")
    assert fills == [default_look().tables.header_fill.lstrip("#")] * 2
    assert not xpath(table._tbl, "./w:tr[2]/w:tc/w:tcPr/w:shd")


def test_a_table_is_titled_by_its_caption_for_screen_readers() -> None:
    """A table's caption (the title of its section) is its title in Word's alternative
    text (``w:tblCaption``), as the HTML names its table; the key-message box, a table
    only to draw a box, has none."""
    document = sample()
    (table,) = [block for block in document.blocks if isinstance(block, tree.Table)]
    assert table.caption is not None
    body = open_docx(build(document)).element.body
    assert xpath(body, "./w:tbl/w:tblPr/w:tblCaption/@w:val") == [table.caption.text]
    boxes = xpath(body, './w:tbl[w:tblPr/w:tblStyle[@w:val="KeyMessageBox"]]')
    assert boxes and not xpath(boxes[0], "./w:tblPr/w:tblCaption")


def test_key_messages_are_in_the_key_message_style_in_the_tinted_box() -> None:
    document = open_docx(build())
    (box,) = [t for t in document.tables if t.style.name == "Key Message Box"]
    (cell,) = box._cells
    *paragraphs, _ = cell.paragraphs  # the box's bottom padding last
    assert [(p.style.name, p.text) for p in paragraphs] == [
        ("Key Message", "Universality matters."),
        ("Key Message", "Cooperation"),
    ]
    assert not xpath(document.styles["Key Message"].element, "./w:pPr/w:pBdr | ./w:pPr/w:shd")
    style = document.styles["Key Message Box"].element
    assert xpath(style, "./w:tblPr/w:tblBorders/w:left[@w:val='single']")
    assert xpath(style, "./w:tcPr/w:shd/@w:fill")


def test_roles_have_named_styles() -> None:
    styles = dict((t, s) for s, t in body_paragraphs(build()))
    assert styles["By the Coalition"] == "Byline"
    assert styles["ASP23 Briefing Pack"] == "Title"
    assert styles["The Hague, 2-7 December 2024"] == "Subtitle"
    assert styles["Prepared by the Secretariat"] == "Cover Line"
    assert styles["Contents"] == "TOC Heading"


def test_a_paragraph_typed_after_a_byline_or_a_heading_is_body_text() -> None:
    """Pressing Enter at the end of a byline (a statement's credit, a plenary's kind),
    as after a heading, starts a paragraph in the body style, not another small grey
    line; a cover line is followed by another."""
    styles = open_docx(build()).styles
    for name in ("Byline", "Heading 1", "Heading 3"):
        assert styles[name].next_paragraph_style.name == "Normal", name
    assert styles["Cover Line"].next_paragraph_style.name == "Cover Line"


def test_arabic_paragraph_is_rtl_with_bidi_language() -> None:
    body = open_docx(build()).element.body
    (p,) = [p for p in xpath(body, "./w:p") if "".join(xpath(p, ".//w:t/text()")) == ARABIC]
    assert xpath(p, "./w:pPr/w:bidi")
    runs = xpath(p, "./w:r")
    assert runs and all(xpath(r, "./w:rPr/w:rtl") for r in runs)
    assert all(xpath(r, "./w:rPr/w:lang/@w:bidi") == ["ar"] for r in runs)
    (french,) = [
        p for p in xpath(body, "./w:p") if "Déclaration" in "".join(xpath(p, ".//w:t/text()"))
    ]
    assert not xpath(french, "./w:pPr/w:bidi") and not xpath(french, ".//w:rtl")
    assert xpath(french, "./w:r/w:rPr/w:lang/@w:val") == ["fr"]


def test_mixed_direction_text_marks_only_rtl_runs() -> None:
    sentence = f"The phrase {ARABIC} means it, in the words of the delegation."
    document = decided(meta(), (tree.Paragraph((T(sentence),)),))
    (p,) = xpath(open_docx(build(document)).element.body, "./w:p")
    runs = [
        ("".join(xpath(r, "./w:t/text()")), bool(xpath(r, "./w:rPr/w:rtl")))
        for r in xpath(p, "./w:r")
    ]
    assert runs == [
        ("The phrase ", False),
        (ARABIC, True),
        (" means it, in the words of the delegation.", False),
    ]
    assert not xpath(p, "./w:pPr/w:bidi")


def test_a_title_mostly_in_arabic_reads_right_to_left() -> None:
    heading = tree.Heading(2, (T(f"{ARABIC} (ICC) {ARABIC}"),), "arabic-title")
    (p,) = xpath(open_docx(build(decided(meta(), (heading,)))).element.body, "./w:p")
    assert xpath(p, "./w:pPr/w:bidi")
    assert ("".join(xpath(p, "./w:r[not(w:rPr/w:rtl)]/w:t/text()"))) == "ICC"


def test_text_without_a_language_follows_the_pack_language() -> None:
    byline = tree.Paragraph((T(f"{ARABIC} {ARABIC}, on behalf of CICC"),), role="byline")
    (p,) = xpath(open_docx(build(decided(meta(), (byline,)))).element.body, "./w:p")
    assert not xpath(p, "./w:pPr/w:bidi")


def test_properties_are_schema_ordered() -> None:
    body = open_docx(build()).element.body
    from briefgen.writers.docx.oxml import PPR_ORDER, RPR_ORDER

    for container, order in ((".//w:pPr", PPR_ORDER), (".//w:rPr", RPR_ORDER)):
        for props in xpath(body, container):
            names = [c.tag.rpartition("}")[2] for c in props]
            assert names == sorted(names, key=order.index)


def test_header_footer_fields_and_blank_cover() -> None:
    section = open_docx(build()).sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "ASP23 briefing pack"
    footer = section.footer._element
    assert [f.get(qn("w:instr")) for f in xpath(footer, ".//w:fldSimple")] == [
        " PAGE ",
        " NUMPAGES ",
    ]
    assert "".join(xpath(footer, "./w:p/w:r/w:t/text()")) == "Page  of "
    cover = section.first_page_header._element
    assert not xpath(cover, ".//w:t")  # the cover has no running header


def shapes_on_the_page(story: object) -> list[tuple[str, float, float, float, float, str]]:
    """(name, x, y, width, height in points, fill) of the shapes placed on the page."""
    found = []
    for anchor in xpath(story, ".//wp:anchor"):
        (doc,) = xpath(anchor, "./wp:docPr")
        x, y = (
            int(v) / 12700
            for v in xpath(
                anchor, "./wp:positionH/wp:posOffset/text() | ./wp:positionV/wp:posOffset/text()"
            )
        )
        (extent,) = xpath(anchor, "./wp:extent")
        fill = xpath(anchor, ".//a:srgbClr/@val")[0]
        found.append(
            (
                doc.get("name"),
                x,
                y,
                int(extent.get("cx")) / 12700,
                int(extent.get("cy")) / 12700,
                fill,
            )
        )
    return found


def test_the_cover_page_has_the_looks_band_and_rule_behind_its_text() -> None:
    section = open_docx(build()).sections[0]
    look = default_look()
    (band, rule) = shapes_on_the_page(section.first_page_header._element)
    page_width = section.page_width.pt
    assert band == pytest.approx(
        ("Cover band", 0, 0, page_width, look.cover.band_height, look.cover.band[1:]), abs=0.01
    )
    assert rule[0] == "Cover rule" and rule[3:] == pytest.approx(
        (look.cover.rule_width, look.cover.rule_height, look.cover.band[1:]), abs=0.01
    )
    bottom = section.page_height.pt - section.bottom_margin.pt
    assert rule[1] == pytest.approx(section.left_margin.pt, abs=0.01)
    assert rule[2] + rule[4] == pytest.approx(bottom, abs=0.01)
    assert all(
        a.get("behindDoc") == "1" for a in xpath(section.first_page_header._element, ".//wp:anchor")
    )
    assert not shapes_on_the_page(section.header._element)


V = "{urn:schemas-microsoft-com:vml}"


def watermarks(story: object) -> list[tuple[str, str, str]]:
    """(text, fill colour, style) of each watermark shape in a header."""
    return [
        (shape.find(f"{V}textpath").get("string"), shape.get("fillcolor"), shape.get("style"))
        for shape in story.iter(f"{V}shape")  # type: ignore[attr-defined]
    ]


def test_draft_mark_on_every_page_only_when_draft() -> None:
    draft = open_docx(build(sample(draft=True, draft_mark="ÉBAUCHE"))).sections[0]
    colour = default_look().text.draft_mark.colour
    for header in (draft.header, draft.first_page_header):
        ((text, fill, style),) = watermarks(header._element)
        assert (text, fill) == ("ÉBAUCHE", colour)
        assert "rotation:312" in style and "mso-position-horizontal:center" in style
    assert draft.header.paragraphs[0].text == "ASP23 briefing pack"
    final = open_docx(build(sample(draft_mark="ÉBAUCHE"))).sections[0]
    assert not watermarks(final.header._element)
    assert not watermarks(final.first_page_header._element)


def test_core_properties() -> None:
    props = open_docx(build()).core_properties
    assert props.title == "Assembly of States Parties, 23rd session"
    assert props.author == "Coalition Secretariat"
    assert props.subject == "Briefing pack"
    assert props.keywords == "ICC, ASP23"
    assert props.language == "en"
    assert props.created == props.modified == datetime(2024, 12, 2, 9, 30, tzinfo=UTC)
    assert props.last_modified_by == "briefgen" and props.revision == 1


def test_aware_created_time_is_stored_in_utc() -> None:
    created = datetime(2024, 12, 2, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    props = open_docx(build(sample(created=created))).core_properties
    assert props.created == datetime(2024, 12, 2, 9, 30, tzinfo=UTC)


def test_default_language_comes_from_meta() -> None:
    styles = open_docx(build(sample(language="fr-FR"))).styles.element
    assert xpath(styles, "./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["fr-FR"]


@pytest.mark.parametrize(("paper", "size"), [("A4", (11906, 16838)), ("Letter", (12240, 15840))])
def test_page_size_follows_paper(paper: str, size: tuple[int, int]) -> None:
    section = open_docx(build(sample(paper=paper))).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == size
    assert section.left_margin.pt == pytest.approx(default_look().page.margins.left, abs=0.05)


def test_logo_fills_the_looks_logo_box(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(200, 100))
    cover = tree.Cover(line("Title", "cover-title"), None, (), logo=str(logo))
    document = open_docx(build(decided(meta(), (cover,))))
    (shape,) = document.inline_shapes
    largest_width, _ = default_look().page.logo
    assert shape.width.pt == pytest.approx(largest_width, abs=0.05)  # 2:1 fits by its width
    assert [p.style.name for p in document.paragraphs][:2] == ["Normal", "Title"]


def test_same_tree_gives_identical_bytes() -> None:
    assert build() == build()


def test_bytes_do_not_depend_on_timezone(tmp_path: Path) -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_docx_writer as t; "
        "sys.stdout.buffer.write(t.build())"
    )
    env = {**os.environ, "TZ": "Pacific/Kiritimati"}
    here = str(Path(__file__).parent)
    result = subprocess.run(
        [sys.executable, "-c", script, here], env=env, capture_output=True, check=True
    )
    assert result.stdout == build()
    entries = zipfile.ZipFile(io.BytesIO(result.stdout)).infolist()
    assert {e.date_time for e in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert entries[0].filename == "[Content_Types].xml"


def test_reference_styles_survive_and_missing_styles_are_added(tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Heading 1"].font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    reference.add_paragraph("Template body text that must go")
    reference.sections[0].page_width = reference.sections[0].page_width  # Letter in template
    path = tmp_path / "reference.docx"
    reference.save(str(path))
    document = open_docx(build(sample(paper="A4"), reference=path))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert "Template body text that must go" not in [p.text for p in document.paragraphs]
    assert document.sections[0].page_width.twips == 12240  # the reference's page set-up wins
    boxed = [p for t in document.tables for c in t._cells for p in c.paragraphs]
    assert [p.text for p in boxed if p.style.name == "Key Message"]


def test_reference_headers_are_kept(tmp_path: Path) -> None:
    reference = docx.Document()
    reference.sections[0].header.paragraphs[0].text = "Ministry letterhead"
    path = tmp_path / "reference.docx"
    reference.save(str(path))
    section = open_docx(build(sample(draft=True), reference=path)).sections[0]
    assert section.header.paragraphs[0].text == "Ministry letterhead"
    assert [text for text, _, _ in watermarks(section.header._element)] == ["DRAFT"]
    assert xpath(section.footer._element, ".//w:fldSimple")


def test_reference_without_builtin_styles_gets_them(tmp_path: Path) -> None:
    reference = docx.Document()
    styles = reference.styles.element
    for name in ("heading 1", "List Bullet", "Title", "Light Grid Accent 1"):
        styles.remove(styles.get_by_name(name))
    path = tmp_path / "reference.docx"
    reference.save(str(path))
    document = open_docx(build(reference=path))
    assert [t for s, t in body_paragraphs(build(reference=path)) if s == "Heading 1"] == [
        "Opening plenary",
        "Closing plenary",
    ]
    assert document.tables[0].style.name == "Pack Table"
    assert not xpath(document.styles["List Bullet"].element, ".//w:numPr")


def png(width: int, height: int) -> bytes:
    """A minimal valid grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_degenerate_blocks_still_give_a_valid_document() -> None:
    blocks: tuple[tree.Block, ...] = (
        tree.Table((), ()),
        tree.ListBlock(False, ((), (tree.Table(row("x", role="table-head"), ()),))),
        tree.Contents(line("Contents", "contents-title"), ()),
        tree.Paragraph(()),
    )
    document = open_docx(build(decided(meta(), blocks)))
    assert len(document.tables) == 1
    kinds = [c.get(qn("w:fldCharType")) for c in xpath(document.element.body, ".//w:fldChar")]
    assert kinds == ["begin", "separate", "end"]
    assert [p.style.name for p in document.paragraphs].count("List Bullet") == 2


def test_extended_properties_name_briefgen_and_claim_no_page_count() -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(build())) as package:
        app = package.read("docProps/app.xml").decode()
    assert "<Application>briefgen</Application>" in app
    assert "Pages" not in app and "Microsoft" not in app


def test_a_reference_with_an_emptied_header_gets_the_running_header(tmp_path: Path) -> None:
    from docx import Document as new_document

    reference = new_document()
    section = reference.sections[0]
    section.header.is_linked_to_previous = False  # defined, but left empty
    section.footer.is_linked_to_previous = False
    section.footer.paragraphs[0].text = "Our own footer"
    path = tmp_path / "reference.docx"
    reference.save(str(path))
    result = open_docx(build(reference=path)).sections[0]
    assert "ASP23 briefing pack" in result.header._element.xml
    assert "Our own footer" in result.footer._element.xml
    assert "NUMPAGES" not in result.footer._element.xml


@pytest.mark.parametrize("with_reference", [False, True])
def test_no_stale_copies_of_template_parts(tmp_path: Path, with_reference: bool) -> None:
    """No Word 2010 styles copy lacking our styles, no preview image of the template."""
    reference = None
    if with_reference:
        reference = tmp_path / "reference.docx"
        docx.Document().save(str(reference))  # python-docx's template has both parts
        with zipfile.ZipFile(reference) as package:
            assert "word/stylesWithEffects.xml" in package.namelist()
    with zipfile.ZipFile(io.BytesIO(build(reference=reference))) as package:
        names = package.namelist()
        listed = package.read("[Content_Types].xml").decode()
        relationships = package.read("word/_rels/document.xml.rels").decode()
    assert "word/styles.xml" in names
    assert not [name for name in names if "stylesWithEffects" in name or "thumbnail" in name]
    assert "stylesWithEffects" not in listed + relationships
    assert "Key Message" in open_docx(build(reference=reference)).styles


def test_table_columns_take_the_trees_shares_of_the_text_width() -> None:
    document = sample()
    table = next(b for b in document.blocks if isinstance(b, tree.Table))
    assert table.widths and sum(table.widths) == pytest.approx(1)
    word = open_docx(build(document))
    section = word.sections[0]
    text_width = Length(section.page_width - section.left_margin - section.right_margin).twips
    grid = [int(w) for w in xpath(word.tables[0]._tbl, "./w:tblGrid/w:gridCol/@w:w")]
    assert sum(grid) == text_width
    assert [w / text_width for w in grid] == pytest.approx(table.widths, abs=0.001)
    cells = [c.width.twips for c in word.tables[0].rows[0].cells]
    assert cells == grid
    assert xpath(word.tables[0]._tbl, "./w:tblPr/w:tblW/@w:w") == [str(text_width)]
