"""The DOCX's key-message box looks like the PDF's: a tinted table of one cell as wide as
the text, its bar where its lines start, a nested list inside it; right-to-left list
labels where the PDF puts them; the cover's logo at the margin.

Read back with python-docx and lxml, and, where LibreOffice is installed, laid out by it
and measured in the PDF it exports.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import nsmap, qn
from docx.table import Table
from lxml import etree
from lxml.etree import _Element as Element
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.look import default_look
from briefgen.text.metrics import string_width
from briefgen.writers.docx.writer import write_docx
from tests.clients import convert_with_libreoffice, page_words
from tests.conftest import CASES
from tests.docx_reading import every_paragraph
from tests.trees import decided, meta, row

LOOK = default_look()
BOX = LOOK.key_messages
NESTED = ["its staff", "human rights defenders"]  # full-featured's list in a key message


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The DOCX of the full-featured and the Arabic pack, by case name."""
    folder = tmp_path_factory.mktemp("packs")
    options = BuildOptions(formats=("docx",), output_dir=folder)
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        for case in ("full-featured", "arabic-pack"):
            result = build_pack(CASES / "valid" / f"{case}.yaml", options)
            built[case] = next(result.folder.glob("*.docx"))
    return built


def twips(points: float) -> int:
    return round(points * 20)


def text_width(document: Document) -> int:
    section = document.sections[0]
    return int(section.page_width.twips - section.left_margin.twips - section.right_margin.twips)


def boxes(document: Document) -> list[Table]:
    return [t for t in document.tables if t.style.name.startswith("Key Message Box")]


def attribute(element: Element, path: str, name: str = "w:w") -> str:
    (found,) = etree._Element.xpath(element, f"{path}/@{name}", namespaces=nsmap)
    return str(found)


def test_each_box_is_one_cell_as_wide_as_the_text_its_padding_the_cells_margins(
    packs: dict[str, Path],
) -> None:
    document = docx.Document(str(packs["full-featured"]))
    width = text_width(document)
    found = boxes(document)
    assert len(found) == 2  # at a glance, and the closing session's
    padding = BOX.padding
    for box in found:
        table = box._tbl
        assert len(box.rows) == 1 and len(box.columns) == 1
        assert attribute(table, "./w:tblPr/w:tblW") == str(width)
        assert attribute(table, "./w:tblGrid/w:gridCol") == str(width)
        assert attribute(table, "./w:tr/w:tc/w:tcPr/w:tcW") == str(width)
        assert attribute(table, "./w:tblPr/w:tblLayout", "w:type") == "fixed"
        # Word 2010's layout (the document's mode) puts the cell's text at the margin
        assert attribute(table, "./w:tblPr/w:tblInd") == str(twips(padding.left))
        margins = {
            side: attribute(table, f"./w:tblPr/w:tblCellMar/w:{side}")
            for side in ("top", "left", "bottom", "right")
        }
        assert margins == {
            "top": str(twips(padding.top)),
            "left": str(twips(padding.left)),
            "bottom": "0",  # the cell's last line pads the bottom (see below)
            "right": str(twips(padding.right)),
        }


def test_a_nested_list_stays_in_its_key_messages_box(packs: dict[str, Path]) -> None:
    document = docx.Document(str(packs["full-featured"]))
    for box in boxes(document):
        *paragraphs, _ = box.rows[0].cells[0].paragraphs  # its bottom padding last
        texts = [p.text for p in paragraphs]
        assert texts[0].startswith("Budget:") and texts[-1] == "See the full statement."
        assert texts[3:5] == NESTED
        levels = [p._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val") for p in paragraphs]
        assert levels == [["0"], ["0"], ["0"], ["1"], ["1"], ["0"]]
    outside = [p.text for p in document.paragraphs]  # the body's own, none in a table
    assert not set(NESTED) & set(outside)
    assert not [p for p in every_paragraph(document) if p._p.xpath("./w:pPr/w:pBdr")]


@pytest.mark.parametrize(
    ("case", "bar_side"), [("full-featured", "left"), ("arabic-pack", "right")]
)
def test_the_box_is_tinted_with_its_bar_where_its_lines_start(
    packs: dict[str, Path], case: str, bar_side: str
) -> None:
    document = docx.Document(str(packs[case]))
    (name,) = {box.style.name for box in boxes(document)}
    style = document.styles[name]
    borders = style.element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    drawn = {side.tag.rpartition("}")[2]: side for side in borders}
    assert {name for name, side in drawn.items() if side.get(qn("w:val")) != "nil"} == {bar_side}
    bar = drawn[bar_side]
    assert bar.get(qn("w:color")) == BOX.bar.lstrip("#")
    assert bar.get(qn("w:sz")) == str(round(BOX.bar_width * 8))
    assert attribute(style.element, "./w:tcPr/w:shd", "w:fill") == BOX.fill.lstrip("#")


def spacing(paragraph: Element, side: str) -> str | None:
    found = paragraph.xpath(f"./w:pPr/w:spacing/@w:{side}")
    return str(found[0]) if found else None


def test_the_box_is_padded_as_the_pdf_pads_it(packs: dict[str, Path]) -> None:
    """As the PDF's table cell drops the space before its first paragraph and after its
    last, so does the box; an empty line as tall as the bottom padding ends it, so that
    its last paragraph is never one an edition added or removed (accepting or rejecting
    that change could not take its mark out of the cell)."""
    document = docx.Document(str(packs["arabic-pack"]))
    found = boxes(document)
    assert len(found) == 2
    for box in found:
        *paragraphs, last = [p._p for p in box.rows[0].cells[0].paragraphs]
        assert spacing(paragraphs[0], "before") == "0"
        assert spacing(paragraphs[-1], "after") == "0"
        assert all(spacing(p, "after") is None for p in paragraphs[:-1])
        assert not last.xpath(".//w:t") and spacing(last, "line") == str(twips(BOX.padding.bottom))
        assert spacing(last, "lineRule") == "exact"


def test_a_sources_line_under_a_message_is_indented_with_its_message(
    packs: dict[str, Path],
) -> None:
    document = docx.Document(str(packs["arabic-pack"]))
    (box, *_) = boxes(document)
    *items, sources, _ = box.rows[0].cells[0].paragraphs
    assert all(p._p.xpath("./w:pPr/w:numPr") for p in items)
    assert sources.text.startswith("المصادر") and not sources._p.xpath("./w:pPr/w:numPr")
    assert sources.style.name == "List Continue"
    indent = sources.style.element.xpath("./w:pPr/w:ind/@w:left")
    assert indent == [str(twips(LOOK.lists.indent))]
    assert sources._p.xpath("./w:pPr/w:bidi")  # so the indent stands on the right


def test_a_table_in_a_box_fits_inside_its_padding() -> None:
    table = tree.Table(row("State", "Speaker", role="table-head"), (row("Kenya", "Minister"),))
    document = decided(meta("Pack"), [tree.KeyMessages((table,))])
    word = docx.Document(io.BytesIO(write_docx(document, paginate=False).data))
    (box,) = boxes(word)
    (inner,) = box.rows[0].cells[0].tables
    inside = text_width(word) - twips(BOX.padding.left) - twips(BOX.padding.right)
    assert attribute(inner._tbl, "./w:tblPr/w:tblW") == str(inside)
    assert box.rows[0].cells[0]._tc[-1].tag == qn("w:p")  # a cell ends with a paragraph


def levels(document: Document, num_id: str) -> dict[str, Element]:
    """The levels of the numbering ``num_id`` names, by ``ilvl``."""
    numbering = document.part.numbering_part.element
    abstract_id = attribute(numbering, f"./w:num[@w:numId='{num_id}']/w:abstractNumId", "w:val")
    (abstract,) = etree._Element.xpath(
        numbering, f"./w:abstractNum[@w:abstractNumId='{abstract_id}']", namespaces=nsmap
    )
    return {lvl.get(qn("w:ilvl")): lvl for lvl in abstract.findall(qn("w:lvl"))}


def list_paragraphs(document: Document) -> Iterator[tuple[Element, Element, str]]:
    """Each list paragraph, its numbering level, and its label as shown."""
    for paragraph in every_paragraph(document):
        number = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if number is None:
            continue
        ilvl = attribute(number, "./w:ilvl", "w:val")
        lvl = levels(document, attribute(number, "./w:numId", "w:val"))[ilvl]
        label = attribute(lvl, "./w:lvlText", "w:val")
        yield paragraph._p, lvl, re.sub(r"%\d", "1", label)


def test_right_to_left_labels_are_centred_half_their_width_in_from_where_lines_start(
    packs: dict[str, Path],
) -> None:
    """The PDF sets a right-to-left list's label against where its lines start, on the
    right. A left-justified label there is read as the line's start by the standard and
    as the page's left by LibreOffice (hanging it into the margin); centred half its
    width in, it stands in the same place for both. Left to right, a label stays
    left-justified where the line starts."""
    face, size = LOOK.font.face(bold=False, italic=False), LOOK.text.body.size
    step = twips(LOOK.lists.indent)
    arabic = list(list_paragraphs(docx.Document(str(packs["arabic-pack"]))))
    assert {label for _, _, label in arabic} >= {"•", "1."}
    for paragraph, lvl, label in arabic:
        assert paragraph.xpath("./w:pPr/w:bidi")
        assert attribute(lvl, "./w:lvlJc", "w:val") == "center"
        level = int(lvl.get(qn("w:ilvl")))
        left = int(attribute(lvl, "./w:pPr/w:ind", "w:left"))
        hanging = int(attribute(lvl, "./w:pPr/w:ind", "w:hanging"))
        assert left == step * (level + 1)  # the text one step in, as the PDF's
        centre = left - hanging - step * level  # from where the line starts
        assert centre == round(string_width(label, face, size) * 10)
    english = list(list_paragraphs(docx.Document(str(packs["full-featured"]))))
    assert english
    for paragraph, lvl, _ in english:
        assert not paragraph.xpath("./w:pPr/w:bidi")
        assert attribute(lvl, "./w:lvlJc", "w:val") == "left"
        assert attribute(lvl, "./w:pPr/w:ind", "w:hanging") == str(step)


def test_pictures_stand_at_no_distance_from_the_text(packs: dict[str, Path]) -> None:
    """Without distances LibreOffice keeps 1/8 inch on each side of an inline picture:
    the cover's logo stood that far right of the margin."""
    document = docx.Document(str(packs["full-featured"]))
    (logo,) = document.element.body.iter(qn("wp:inline"))
    assert {side: logo.get(side) for side in ("distT", "distB", "distL", "distR")} == dict.fromkeys(
        ("distT", "distB", "distL", "distR"), "0"
    )


# --- laid out by LibreOffice ---------------------------------------------------------

needs_office = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="soffice is not installed"
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext is not installed"
)


@pytest.fixture(scope="module")
def laid_out(packs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The packs as LibreOffice lays them out: the PDFs it exports, by case name."""
    work = tmp_path_factory.mktemp("office")
    folder = convert_with_libreoffice(list(packs.values()), work, target="pdf")
    return {case: folder / f"{path.stem}.pdf" for case, path in packs.items()}


def margins() -> tuple[float, float]:
    """The text area's left and right edges on an A4 page, in points."""
    width, _ = LOOK.page.size("A4")
    return LOOK.page.margins.left, width - LOOK.page.margins.right


def tint_rectangles(page: object) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of each rectangle filled in the box's tint."""
    fill = [int(BOX.fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    current: list[float] = []
    found = []
    for operands, operator in page.get_contents().operations:  # type: ignore[attr-defined]
        if operator == b"rg":
            current = [float(value) for value in operands]
        elif (
            operator == b"re"
            and current
            and all(abs(a - b) < 0.01 for a, b in zip(current, fill, strict=True))
        ):
            x, y, w, h = (float(value) for value in operands)
            found.append((x, y, x + w, y + h))
    return found


@pytest.mark.slow
@needs_office
@needs_pdftotext
def test_libreoffice_draws_each_box_across_the_text_area_in_one_piece(
    laid_out: dict[str, Path],
) -> None:
    pdf = laid_out["full-featured"]
    reader = PdfReader(pdf)
    left, right = margins()
    boxed_pages = 0
    for number, page in enumerate(reader.pages, start=1):
        rectangles = tint_rectangles(page)
        if not rectangles:
            continue
        boxed_pages += 1
        assert min(r[0] for r in rectangles) == pytest.approx(left, abs=0.5)
        assert max(r[2] for r in rectangles) == pytest.approx(right, abs=0.5)
        bottom, top = min(r[1] for r in rectangles), max(r[3] for r in rectangles)
        covered = sorted((r[1], r[3]) for r in rectangles)
        reach = covered[0][1]
        for low, high in covered[1:]:
            assert low <= reach + 0.5, f"page {number}: the box is interrupted"
            reach = max(reach, high)
        height = float(page.mediabox.height)
        nested = [w for w in page_words(pdf, number) if w[0] in ("staff", "defenders")]
        assert len(nested) == 2
        for _, _, word_top, _, word_bottom in nested:
            assert bottom < height - word_bottom and height - word_top < top
    assert boxed_pages == 2


@pytest.mark.slow
@needs_office
@needs_pdftotext
def test_libreoffice_sets_right_to_left_labels_against_where_lines_start(
    laid_out: dict[str, Path],
) -> None:
    """Bullets and numbers end where their lines start: at the right margin, or in the
    box at its padding, as in the PDF; none stands in the margin."""
    pdf = laid_out["arabic-pack"]
    _, right = margins()
    starts = (right, right - BOX.padding.right)
    found = [w for page in range(1, len(PdfReader(pdf).pages) + 1) for w in page_words(pdf, page)]
    bullets = [w for w in found if w[0] == "•"]
    # a number that begins at most 8 points before the margin: a list's (in its margin,
    # before); the text's numbers stand further in
    numbers = [w for w in found if re.fullmatch(r"\.?\d\.?", w[0]) and w[1] > right - 8]
    assert len(bullets) >= 4 and len(numbers) >= 2
    labels = bullets + numbers
    for text, _, _, label_right, _ in labels:
        assert min(abs(label_right - start) for start in starts) < 0.5, (text, label_right)


@pytest.mark.slow
@needs_office
def test_libreoffice_puts_the_cover_logo_at_the_margin(laid_out: dict[str, Path]) -> None:
    page = PdfReader(laid_out["full-featured"]).pages[0]
    placed = [
        float(operands[4])
        for operands, operator in page.get_contents().operations  # type: ignore[union-attr]
        if operator == b"cm" and float(operands[0]) > 50  # the logo's scale, 85 points wide
    ]
    assert placed and all(x == pytest.approx(margins()[0], abs=0.5) for x in placed)
