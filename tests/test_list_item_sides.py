"""Each list item's bullet stands where its own first paragraph starts (compose decides it:
``tree.ListBlock.item_direction``), as Word, LibreOffice and browsers set the label of a
paragraph of either direction: an Arabic key message in a French pack has its bullet on
the right, an English one in an Arabic pack on the left, in the PDF, the DOCX (read back,
and as LibreOffice lays it out) and the HTML alike; the lines under a message (its
sources) are indented from its bullet's side."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from lxml.etree import _Element

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.look import default_look
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.pdf.writer import write_pdf
from tests.clients import Word, convert_with_libreoffice, page_words
from tests.conftest import ROOT
from tests.docx_reading import every_paragraph
from tests.trees import decided, meta

SESSIONS = ROOT / "tests" / "data" / "sessions"
# The sides of the three key messages of each fixture, in order.
SIDES: dict[str, list[tree.Direction]] = {
    "sides-fr": ["ltr", "rtl", "ltr"],
    "sides-ar": ["rtl", "ltr", "rtl"],
}
BULLET = "\u2022"


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each fixture built in the three formats: its pack folder, by name."""
    folders = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        for name in SIDES:
            options = BuildOptions(output_dir=tmp_path_factory.mktemp(name))
            folders[name] = build_pack(SESSIONS / f"{name}.yaml", options).folder
    return folders


def test_compose_gives_each_item_its_first_paragraphs_direction() -> None:
    arabic = tree.Paragraph((tree.Text("يجب على الدول أن تتعاون"),), lang="ar")
    french = tree.Paragraph((tree.Text("Les victimes"),), lang="fr")
    nested = tree.ListBlock(False, ((arabic,),))
    items = ((french,), (arabic, french), (nested,), ())
    (box,) = decided(meta("Pack"), (tree.KeyMessages((tree.ListBlock(False, items),)),)).blocks
    assert isinstance(box, tree.KeyMessages)
    (listed,) = box.blocks
    assert isinstance(listed, tree.ListBlock)
    sides = [listed.item_direction(index) for index in range(len(items))]
    assert sides == ["ltr", "rtl", "rtl", "ltr"]  # an empty item: the list's


# --- where the bullets are drawn ---------------------------------------------------


def bullet_sides(words: list[Word]) -> list[tree.Direction]:
    """For each bullet on a page, top to bottom: the side of its line's words it stands
    on ("ltr": left of them, where a left-to-right line starts)."""
    sides: list[tree.Direction] = []
    for text, x_min, y_min, _x_max, y_max in sorted(words, key=lambda word: word[2]):
        if text != BULLET:
            continue
        line = [w for w in words if w[0] != BULLET and w[2] < y_max and w[4] > y_min]
        assert line, f"a bullet without text at y={y_min}"
        if all(w[1] > x_min for w in line):
            sides.append("ltr")
        else:
            assert all(w[3] < x_min for w in line), line
            sides.append("rtl")
    return sides


def box_page(pdf: Path) -> list[Word]:
    """The words of the first page that shows the key messages (at a glance)."""
    page = 1
    while words := page_words(pdf, page):
        if any(word[0] == BULLET for word in words):
            return words
        page += 1
    raise AssertionError(f"no bullet in {pdf}")


needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext is not installed"
)


@needs_pdftotext
@pytest.mark.parametrize("name", list(SIDES))
def test_the_pdf_draws_each_bullet_where_its_message_starts(
    name: str, packs: dict[str, Path]
) -> None:
    pdf = next(packs[name].glob("*.pdf"))
    assert bullet_sides(box_page(pdf)) == SIDES[name]


@needs_pdftotext
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not installed")
@pytest.mark.parametrize("name", list(SIDES))
def test_libreoffice_lays_the_docx_bullets_out_as_the_pdf_draws_them(
    name: str, packs: dict[str, Path], tmp_path: Path
) -> None:
    source = next(packs[name].glob("*.docx"))
    laid_out = convert_with_libreoffice([source], tmp_path, "pdf") / f"{source.stem}.pdf"
    words = box_page(laid_out)
    assert bullet_sides(words) == SIDES[name]
    # the sources line starts where the PDF starts it: at the box's edge, not indented
    start = 0 if SIDES[name][1] == "rtl" else 1  # its own start: the left, or the right
    drawn = sources_edges(box_page(next(packs[name].glob("*.pdf"))))
    assert sources_edges(words)[start] == pytest.approx(drawn[start], abs=2)


def sources_edges(words: list[Word]) -> tuple[float, float]:
    """The left and right edges of the sources line, under the second message (the only
    one with sources, of the other direction) in points."""
    bullets = sorted((w for w in words if w[0] == BULLET), key=lambda word: word[2])
    below = [w for w in words if w[2] > bullets[1][4]]
    top = min(w[2] for w in below)
    line = [w for w in below if w[2] < top + 2]
    return min(w[1] for w in line), max(w[3] for w in line)


# --- what the DOCX and the HTML say -------------------------------------------------


def numbering_sides(document: docx.document.Document) -> dict[str, tree.Direction]:
    """The side each numId's labels are laid out for: briefgen's right-to-left lists centre
    their labels (``oxml.abstract_numbering``), its left-to-right ones justify them left."""
    numbering = document.part.numbering_part.element
    justified = f"{qn('w:lvl')}/{qn('w:lvlJc')}"
    abstract_sides: dict[str, tree.Direction] = {
        a.get(qn("w:abstractNumId")): "rtl"
        if a.find(justified).get(qn("w:val")) == "center"
        else "ltr"
        for a in numbering.iterfind(qn("w:abstractNum"))
    }
    return {
        num.get(qn("w:numId")): abstract_sides[num.find(qn("w:abstractNumId")).get(qn("w:val"))]
        for num in numbering.iterfind(qn("w:num"))
    }


def said_side(ppr: _Element) -> tree.Direction:
    bidi = ppr.find(qn("w:bidi"))
    return "rtl" if bidi is not None and bidi.get(qn("w:val"), "1") not in ("0", "false") else "ltr"


@pytest.mark.parametrize("name", list(SIDES))
def test_the_docx_numbers_each_message_in_its_own_direction(
    name: str, packs: dict[str, Path]
) -> None:
    """Each message's paragraph reads in its direction and takes the bullets of that
    direction; the sources line under the message of the other direction is indented
    from the message's side (its end: ``w:right``, read from the left in a right-to-left
    paragraph), where the PDF indents it."""
    document = docx.Document(str(next(packs[name].glob("*.docx"))))
    sides = numbering_sides(document)
    paragraphs = [p._p for p in every_paragraph(document)]
    messages = [p for p in paragraphs if p.pPr is not None and p.pPr.numPr is not None]
    first_box = messages[: len(SIDES[name])]
    said = [said_side(p.pPr) for p in first_box]
    drawn = [sides[str(p.pPr.numPr.numId.val)] for p in first_box]
    assert said == drawn == SIDES[name]
    sources = paragraphs[paragraphs.index(first_box[1]) + 1]  # under the other message
    indent = sources.pPr.find(qn("w:ind"))
    assert indent is not None
    step = str(round(default_look().lists.indent * 20))
    assert (indent.get(qn("w:left")), indent.get(qn("w:right"))) == ("0", step)


@pytest.mark.parametrize("name", list(SIDES))
def test_the_html_sets_each_item_in_its_own_direction(name: str, packs: dict[str, Path]) -> None:
    page = lxml.html.parse(str(next(packs[name].glob("*.html")))).getroot()
    box = page.find_class("key-messages")[0]
    items = box.findall("./ul/li")
    pack_side = SIDES[name][0]
    directions = [item.get("dir") or pack_side for item in items]
    assert directions == SIDES[name]
    style = "".join(page.xpath("//style/text()"))
    assert "li[dir]{margin-inline:" in style  # the list's indent moved to the item's side


# --- a numbered list of both directions ----------------------------------------------


def mixed_numbered_list() -> tree.Document:
    arabic = "يجب على الدول أن تتعاون مع المحكمة"
    items = (
        (tree.Paragraph((tree.Text("First message"),)),),
        (tree.Paragraph((tree.Text(arabic),), lang="ar"),),
        (tree.Paragraph((tree.Text("Third message"),)),),
    )
    return decided(meta("Pack"), (tree.ListBlock(True, items),))


def numbered_lines(words: list[Word]) -> list[tuple[str, tree.Direction]]:
    """The list's numbers as laid out, top to bottom, each with the side of its line it
    stands on (a right-to-left item's ".2", which LibreOffice's words split in two)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w[2]):
        if lines and (word[2] + word[4]) / 2 < lines[-1][0][4]:  # its middle on the line
            lines[-1].append(word)
        else:
            lines.append([word])
    numbered = []
    for line in lines:
        label = [w for w in sorted(line, key=lambda w: w[1]) if set(w[0]) <= set("0123456789.")]
        text = [w for w in line if w not in label]
        if label and "." in "".join(w[0] for w in label) and text:
            left = all(w[1] < t[1] for w in label for t in text)
            numbered.append(("".join(w[0] for w in label), "ltr" if left else "rtl"))
    return numbered


@needs_pdftotext
def test_a_numbered_list_of_both_directions_counts_on_with_each_number_on_its_side(
    tmp_path: Path,
) -> None:
    """The Arabic item's number stands on the right, its full stop to its left (".2"),
    and the next item goes on with 3, in the PDF and in the DOCX as LibreOffice lays it
    out (a list of each direction, each starting where the one before left off)."""
    document = mixed_numbered_list()
    expected = [("1.", "ltr"), (".2", "rtl"), ("3.", "ltr")]
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(write_pdf(document).data)
    assert numbered_lines(page_words(pdf, 1)) == expected
    if shutil.which("soffice") is None:
        pytest.skip("soffice is not installed: the DOCX's numbers are not laid out")
    source = tmp_path / "list.docx"
    source.write_bytes(write_docx(document).data)
    laid_out = convert_with_libreoffice([source], tmp_path, "pdf") / "list.pdf"
    assert numbered_lines(page_words(laid_out, 1)) == expected
