"""Right to left, the page is the mirror image: the key-message box has its accent bar
on the right (PDF, DOCX and HTML alike), a contents or index line its page number at
the left margin, with the dotted leader between.

Compose decides each direction (``tree.KeyMessages.direction`` as the box's first
paragraph reads, ``tree.ContentsEntry.direction``); the writers only draw them.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.look import default_look
from briefgen.text.direction import has_rtl
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.html.writer import write_html
from briefgen.writers.pdf.writer import write_pdf
from tests.clients import page_words
from tests.conftest import CASES, ROOT
from tests.test_pdf_writer import sample_meta
from tests.trees import decided

ARABIC = "يظل المجتمع المدني ملتزماً بالعدالة الدولية."
ENGLISH = "Civil society stays committed to international justice."


def box_of(text: str, lang: str | None) -> tree.Document:
    message = tree.Paragraph((tree.Text(text),), lang=lang)
    return decided(sample_meta(), (tree.KeyMessages((tree.ListBlock(False, ((message,),)),)),))


def test_compose_gives_the_box_the_direction_of_its_first_paragraph() -> None:
    directions = []
    for text, lang in ((ARABIC, "ar"), (ENGLISH, None)):
        (box,) = box_of(text, lang).blocks
        assert isinstance(box, tree.KeyMessages)
        directions.append(box.direction)
    assert directions == ["rtl", "ltr"]


def bar_positions(data: bytes) -> list[float]:
    """The x of every line stroked in the box's bar colour on the first page."""
    bar = default_look().key_messages.bar.lstrip("#")
    wanted = [int(bar[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    page = PdfReader(io.BytesIO(data)).pages[0]
    stroke: list[float] = []
    found = []
    in_bar_colour = False
    for operands, operator in page.get_contents().operations:  # type: ignore[union-attr]
        if operator == b"RG":
            stroke = [float(value) for value in operands]
            in_bar_colour = all(abs(a - b) < 0.01 for a, b in zip(stroke, wanted, strict=True))
        elif operator == b"m" and in_bar_colour:
            found.append(float(operands[0]))
    return found


@pytest.mark.parametrize(("text", "lang", "right"), [(ENGLISH, None, False), (ARABIC, "ar", True)])
def test_the_pdf_draws_the_bar_where_the_boxs_lines_start(
    text: str, lang: str | None, right: bool
) -> None:
    positions = bar_positions(write_pdf(box_of(text, lang)).data)
    assert positions
    assert all((x > A4[0] / 2) == right for x in positions)


def box_styles(document: docx.document.Document) -> set[str]:
    """The table styles of the document's key-message boxes."""
    return {t.style.name for t in document.tables if t.style.name.startswith("Key Message")}


def test_the_docx_gives_a_right_to_left_box_its_own_style_with_the_bar_on_the_right() -> None:
    data = write_docx(box_of(ARABIC, "ar"), paginate=False).data
    document = docx.Document(io.BytesIO(data))
    assert box_styles(document) == {"Key Message Box (Right to Left)"}
    style = document.styles["Key Message Box (Right to Left)"].element
    borders = style.find(".//{*}tblPr/{*}tblBorders")
    drawn = {side.tag.split("}")[1]: side.get(qn("w:color")) for side in borders}
    bar = default_look().key_messages.bar.lstrip("#").upper()
    assert drawn["right"].upper() == bar
    assert drawn["left"] is None


def test_the_docx_keeps_the_left_bar_for_a_left_to_right_box() -> None:
    document = docx.Document(io.BytesIO(write_docx(box_of(ENGLISH, None), paginate=False).data))
    assert box_styles(document) == {"Key Message Box"}
    assert "Key Message Box (Right to Left)" not in [style.name for style in document.styles]


def test_the_html_marks_a_box_of_the_other_direction() -> None:
    page = lxml.html.document_fromstring(write_html(box_of(ARABIC, "ar")).data)
    (box,) = page.find_class("key-messages")
    assert box.get("dir") == "rtl"


def test_an_arabic_pack_draws_its_box_bar_on_the_right_in_every_format(tmp_path: Path) -> None:
    result = build_pack(CASES / "valid" / "arabic-pack.yaml", BuildOptions(output_dir=tmp_path))
    document = docx.Document(next(result.folder.glob("*.docx")))
    assert box_styles(document) == {"Key Message Box (Right to Left)"}
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert '<div class="key-messages">' in html  # the page is right to left already


def contents_number_offsets(pdf: Path, page: int) -> list[float]:
    """How far right of its line each contents page number is drawn (its form's origin),
    and, checked on the way, that each line has its dotted leader."""
    operations = PdfReader(pdf).pages[page].get_contents().operations  # type: ignore[union-attr]
    offsets, leaders, last_move = [], 0, 0.0
    for operands, operator in operations:
        if operator == b"cm":
            last_move = float(operands[4])
        elif operator == b"d" and [float(x) for x in operands[0]] == [0, 3.2]:
            leaders += 1
        elif operator == b"Do" and str(operands[0]).startswith("/FormXob.contents"):
            offsets.append(last_move)
    assert leaders == len(offsets)
    return offsets


@pytest.mark.parametrize(("case", "at_left"), [("arabic-pack.yaml", True), ("minimal.yaml", False)])
def test_contents_page_numbers_stand_at_the_margin_where_lines_end(
    tmp_path: Path, case: str, at_left: bool
) -> None:
    result = build_pack(CASES / "valid" / case, BuildOptions(formats=("pdf",), output_dir=tmp_path))
    offsets = contents_number_offsets(next(result.folder.glob("*.pdf")), 1)
    assert len(offsets) >= 3
    assert all((offset == 0) == at_left for offset in offsets)


@pytest.mark.parametrize(("case", "at_left"), [("arabic-pack.yaml", True), ("minimal.yaml", False)])
def test_the_page_label_stands_where_lines_end(tmp_path: Path, case: str, at_left: bool) -> None:
    result = build_pack(CASES / "valid" / case, BuildOptions(formats=("pdf",), output_dir=tmp_path))
    reader = PdfReader(next(result.folder.glob("*.pdf")))
    page = reader.pages[1]
    last_move = 0.0
    footer_at = None
    for operands, operator in page.get_contents().operations:  # type: ignore[union-attr]
        if operator == b"cm":
            last_move = float(operands[4])
        elif operator == b"Do" and str(operands[0]).startswith("/FormXob.footer"):
            footer_at = last_move
    width = float(page.mediabox.width)
    assert footer_at is not None
    assert (footer_at < width / 2) == at_left
    words = [word for word in page.extract_text().split() if word.isdigit()]
    assert "2" in words  # the page number is drawn


def test_a_right_to_left_title_in_a_left_to_right_pack_keeps_its_line_left_to_right(
    tmp_path: Path,
) -> None:
    """An English pack listing an Arabic statement (contents, index): the line is the
    pack's, its number at the right margin, and the title reads right to left inside."""
    formats = ("pdf", "docx", "html")
    result = build_pack(
        CASES / "valid" / "arabic-statement.yaml",
        BuildOptions(formats=formats, output_dir=tmp_path),
    )
    title = "كلمة التحالف من أجل المحكمة الجنائية الدولية"
    pdf = next(result.folder.glob("*.pdf"))
    reader = PdfReader(pdf)
    offsets = [o for page in range(len(reader.pages)) for o in contents_number_offsets(pdf, page)]
    assert len(offsets) >= 6 and all(offset > 0 for offset in offsets)
    document = docx.Document(next(result.folder.glob("*.docx")))
    lines = [p for p in document.paragraphs if p.style.name.lower().startswith(("toc", "index"))]
    assert sum(title in p.text for p in lines) >= 2  # the contents and the index
    assert all(p._p.pPr.find(qn("w:bidi")) is None for p in lines)
    # The title (which holds "ASP23") between right-to-left embedding marks, as Word and
    # LibreOffice read them: its words keep their order; so does an organisation's name
    # in Arabic letters (the index's); a line of left-to-right values has none.
    for line in lines:
        embedded = "\u202b" in line.text
        assert embedded == has_rtl(line.text), line.text
        if title in line.text:
            start, end = line.text.index("\u202b"), line.text.index("\u202c")
            assert title in line.text[start:end] and "ASP23" in line.text[start:end]
    page = lxml.html.document_fromstring(
        next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    )
    listed = [
        a for a in page.xpath("//nav//a | //ul[@class='index']//a") if title in a.text_content()
    ]
    assert len(listed) >= 2
    assert all(a.get("dir") is None and title in a.xpath("string(bdi)") for a in listed)


def line_ends(pdf: Path, page: int) -> dict[str, float]:
    """Each line of page ``page`` (from 1), as its letters read right to left without
    spaces, and where it ends at the right: the largest right edge of its words, as
    poppler measures them (it takes each glyph of shaped Arabic for a word)."""
    lines: dict[float, list[tuple[float, str]]] = {}
    for word, _, _, right, bottom in page_words(pdf, page):
        lines.setdefault(round(bottom), []).append((right, word))
    return {
        "".join(word for _, word in words)[::-1]: max(x for x, _ in words)
        for words in lines.values()
    }


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_a_right_to_left_contents_entry_is_indented_from_the_right(tmp_path: Path) -> None:
    """A nested entry of an Arabic pack's contents steps in from the right margin, where
    its lines start, by its level's indent, as in the DOCX (start indent) and the HTML."""
    result = build_pack(
        CASES / "valid" / "arabic-pack.yaml", BuildOptions(formats=("pdf",), output_dir=tmp_path)
    )
    pdf = next(result.folder.glob("*.pdf"))
    look = default_look()
    right_margin = float(PdfReader(pdf).pages[1].mediabox.width) - look.page.margins.right
    ends = line_ends(pdf, 2)
    annex = next(end for line, end in ends.items() if "المرفقألف" in line)
    statement = next(end for line, end in ends.items() if "بشأنالتعاون" in line)
    levels = look.contents.levels
    assert annex == pytest.approx(right_margin - levels[0].indent, abs=1.0)
    assert levels[1].indent > levels[0].indent
    assert statement == pytest.approx(right_margin - levels[1].indent, abs=1.0)


def contents_style_directions(docx_path: Path) -> dict[str, bool]:
    """Each contents level's style (``toc N``) and whether it reads right to left."""
    document = docx.Document(docx_path)
    return {
        style.name.lower(): style.element.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None
        for style in document.styles
        if style.name.lower().startswith("toc ") and style.name[4:].isdigit()
    }


@pytest.mark.parametrize(("case", "rtl"), [("arabic-pack.yaml", True), ("minimal.yaml", False)])
def test_the_contents_styles_read_where_its_lines_do(tmp_path: Path, case: str, rtl: bool) -> None:
    """Updating the DOCX's contents (Word's Update Field, LibreOffice's Update Index)
    writes its lines again in the styles of their levels, without the paragraphs' own
    direction: an Arabic pack's contents stays right to left only if its styles are."""
    result = build_pack(
        CASES / "valid" / case, BuildOptions(formats=("docx",), output_dir=tmp_path)
    )
    directions = contents_style_directions(next(result.folder.glob("*.docx")))
    assert set(directions.values()) == {rtl}
    if rtl:  # every level the field lists, whether the pack has a line of it or not
        depth = default_look().contents.depth
        assert {f"toc {level}" for level in range(1, depth + 1)} <= set(directions)


def mirrored_table(direction_lang: str | None) -> tree.Document:
    """A pack holding one table of two columns, "First" and "Second", whose cells are in
    ``direction_lang`` (Arabic: the table reads right to left)."""

    def cells(*texts: str, role: tree.ParagraphRole) -> tuple[tree.Paragraph, ...]:
        return tuple(tree.Paragraph((tree.Text(t),), role, lang=direction_lang) for t in texts)

    table = tree.Table(
        cells("First", "Second", role="table-head"), (cells("one", "two", role="table-cell"),)
    )
    return decided(sample_meta(), [table])


def shown_at(pdf: bytes) -> dict[str, float]:
    """Where on the first page each text the PDF shows starts, from the left, in points."""
    positions: dict[str, float] = {}

    def seen(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            positions.setdefault(text.strip(), cm[0] * tm[4] + cm[4])

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=seen)
    return positions


@pytest.mark.parametrize(("lang", "rtl"), [("ar", True), (None, False)])
def test_a_table_runs_its_columns_in_its_direction_in_every_format(
    lang: str | None, rtl: bool
) -> None:
    """A table reads as its first cell: a right-to-left one has its first column on the
    right in the PDF, in the DOCX (``bidiVisual``) and in the HTML (``dir``)."""
    document = mirrored_table(lang)
    (table,) = [block for block in document.blocks if isinstance(block, tree.Table)]
    assert table.direction == ("rtl" if rtl else "ltr")
    at = shown_at(write_pdf(document).data)
    assert (at["First"] > at["Second"]) == rtl and (at["one"] > at["two"]) == rtl, at
    word = docx.Document(io.BytesIO(write_docx(document, paginate=False).data))
    properties = word.tables[0]._tbl.tblPr
    assert (properties.find(qn("w:bidiVisual")) is not None) == rtl
    padding = round(default_look().tables.padding * 20)  # its edges at the margins
    assert properties.find(qn("w:tblInd")).get(qn("w:w")) == str(padding)
    page = lxml.html.document_fromstring(write_html(document).data)
    (html_table,) = page.xpath("//table")
    assert html_table.get("dir") == ("rtl" if rtl else None)


def change_bar_positions(pdf: Path | bytes) -> list[float]:
    """The x on the page of every line stroked in the accent colour (the change bars),
    through the moves (``cm``) of the flowables they are drawn in."""
    accent = default_look().colours.accent.lstrip("#")
    wanted = [int(accent[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    found = []
    for page in reader.pages:
        in_accent, scale, shift, saved = False, 1.0, 0.0, []
        for operands, operator in page.get_contents().operations:  # type: ignore[union-attr]
            if operator == b"q":
                saved.append((scale, shift, in_accent))
            elif operator == b"Q":
                scale, shift, in_accent = saved.pop()
            elif operator == b"cm":
                scale, shift = scale * float(operands[0]), shift + scale * float(operands[4])
            elif operator == b"RG":
                stroke = [float(value) for value in operands]
                in_accent = all(abs(a - b) < 0.01 for a, b in zip(stroke, wanted, strict=True))
            elif operator == b"m" and in_accent:
                found.append(shift + scale * float(operands[0]))
    return found


def text_edges() -> tuple[float, float]:
    margins = default_look().page.margins
    return margins.left, A4[0] - margins.right


@pytest.mark.parametrize(("text", "lang", "right"), [(ENGLISH, None, False), (ARABIC, "ar", True)])
@pytest.mark.parametrize("whole", [True, False], ids=["block added", "words added"])
def test_the_pdf_draws_a_change_bar_where_the_blocks_lines_start(
    text: str, lang: str | None, right: bool, whole: bool
) -> None:
    """A paragraph added whole (``tree.Revised``) or with words added (``tree.Inserted``)
    has its bar in the margin on the side its lines start, as compose decided it."""
    content: tuple[tree.Inline, ...] = (tree.Text(text),)
    if not whole:
        content = (tree.Text(text), tree.Text(" "), tree.Inserted((tree.Text(text),)))
    block: tree.Block = tree.Paragraph(content, lang=lang)
    if whole:
        block = tree.Revised("inserted", (block,))
    positions = change_bar_positions(write_pdf(decided(sample_meta(), (block,))).data)
    left, right_edge = text_edges()
    assert positions
    assert all((x > right_edge) if right else (x < left) for x in positions), positions


def test_an_arabic_pack_built_against_an_earlier_edition_has_its_change_bars_on_the_right(
    tmp_path: Path,
) -> None:
    """Every block an edition of an Arabic pack changed or added (a summary reworded, a
    key message added, the changes section) reads right to left: its bar stands right
    of the text area, where its lines start."""
    current = CASES / "valid" / "arabic-pack.yaml"
    earlier = tmp_path / "earlier.yaml"
    text = current.read_text(encoding="utf-8")
    added = (
        "      - text: على الدول الأطراف حماية المحكمة وموظفيها.\n        sources: [murajaa-hrw]\n"
    )
    assert "**تعزيز** " in text and added in text
    earlier.write_text(text.replace("**تعزيز** ", "").replace(added, ""), encoding="utf-8")
    options = BuildOptions(formats=("pdf",), output_dir=tmp_path / "out", since=str(earlier))
    result = build_pack(current, options)
    left, right = text_edges()
    positions = change_bar_positions(next(result.folder.glob("*.pdf")))
    in_margins = [x for x in positions if not left <= x <= right]  # not the box's own bar
    assert len(in_margins) >= 3
    assert all(x > right for x in in_margins), in_margins


HASHTAGS = ROOT / "tests" / "data" / "sessions" / "hashtags-ar.yaml"


@pytest.fixture(scope="module")
def hashtags(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(HASHTAGS, BuildOptions(output_dir=tmp_path_factory.mktemp("tags")))
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
def test_each_hashtag_of_an_arabic_cover_reads_in_its_own_direction(
    hashtags: dict[str, Path],
) -> None:
    """ "#ASP23" rightmost (the first, in a right-to-left line) with its # on the left; the
    Arabic hashtag left of it, its # on its right, where an Arabic word starts."""
    words = page_words(hashtags["pdf"], 1)
    latin = next(word for word in words if word[0] == "#ASP23")
    middle = (latin[2] + latin[4]) / 2
    line = [word for word in words if word[2] < middle < word[4]]  # Arabic boxes are taller
    mark = next(word for word in line if word[0] == "#")
    arabic = [word for word in line if has_rtl(word[0])]
    assert arabic and all(word[3] <= latin[1] for word in (mark, *arabic)), line
    assert all(word[3] <= mark[1] + 0.5 for word in arabic), line


def test_each_hashtag_of_an_arabic_cover_is_isolated_in_the_html_and_docx(
    hashtags: dict[str, Path],
) -> None:
    page = lxml.html.parse(str(hashtags["html"])).getroot()
    (line,) = [p for p in page.xpath("//p") if "#ASP23" in p.text_content()]
    assert [bdi.text_content() for bdi in line.xpath("bdi")] == ["#ASP23", "#العدالة_الدولية"]
    paragraphs = docx.Document(str(hashtags["docx"])).paragraphs
    (tags,) = [p.text for p in paragraphs if "#ASP23" in p.text]
    assert tags == "\u202a#ASP23\u202c\u200f #العدالة_الدولية"  # only the Latin one embedded LTR


def paragraph_style_reads_rtl(document: docx.document.Document, style_id: str) -> bool:
    (style,) = document.styles.element.xpath(f'./w:style[@w:styleId="{style_id}"]')
    return bool(style.xpath("./w:pPr/w:bidi"))


@pytest.mark.parametrize(("case", "rtl"), [("arabic-pack.yaml", True), ("minimal.yaml", False)])
def test_the_styles_of_a_right_to_left_pack_read_right_to_left(
    tmp_path: Path, case: str, rtl: bool
) -> None:
    """An Arabic pack's Normal style, on which the others are based, reads right to left:
    a paragraph the reader types after a heading (in Normal, the heading's next style) or
    whose direct formatting is cleared stays right to left, as the pack is."""
    result = build_pack(
        CASES / "valid" / case, BuildOptions(formats=("docx",), output_dir=tmp_path)
    )
    document = docx.Document(next(result.folder.glob("*.docx")))
    assert paragraph_style_reads_rtl(document, "Normal") == rtl
    assert not document.styles.element.xpath('./w:style[@w:styleId="Heading1"]/w:pPr/w:bidi')


def said_direction(paragraph: docx.text.paragraph.Paragraph) -> str:
    """What a paragraph says of its direction: ``rtl``, ``ltr``, or nothing (its style's)."""
    marks = paragraph._p.xpath("./w:pPr/w:bidi")
    if not marks:
        return "its style's"
    return "ltr" if marks[0].get(qn("w:val")) in ("0", "false") else "rtl"


def test_in_a_right_to_left_pack_a_left_to_right_paragraph_says_so() -> None:
    """With the styles right to left, every paragraph that reads left to right (an English
    statement in an Arabic pack, its list, the running header of a Latin title, the
    paragraph anchoring the cover's band) says so; right-to-left ones as before."""
    english = tree.Paragraph((tree.Text(ENGLISH),), lang="en")
    blocks = (
        tree.Cover(tree.Paragraph((tree.Text("ملف إحاطة"),), "cover-title"), None, ()),
        tree.Paragraph((tree.Text(ARABIC),)),
        english,
        tree.ListBlock(False, ((english,),)),
    )
    meta = sample_meta(language="ar", direction="rtl", running_header="ASP24 briefing pack")
    document = docx.Document(io.BytesIO(write_docx(decided(meta, blocks), paginate=False).data))
    said = [(p.text, said_direction(p)) for p in document.paragraphs if p.text]
    assert said == [("ملف إحاطة", "rtl"), (ARABIC, "rtl"), (ENGLISH, "ltr"), (ENGLISH, "ltr")]
    section = document.sections[0]
    header = section.header.paragraphs[0]
    assert (header.text, said_direction(header)) == ("ASP24 briefing pack", "ltr")
    band = section.first_page_header.paragraphs[0]  # LibreOffice mirrors the shapes of
    assert said_direction(band) == "ltr"  # a right-to-left paragraph
    assert paragraph_style_reads_rtl(document, "Normal")
