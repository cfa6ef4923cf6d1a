"""The DOCX's pages as the PDF's: the running header and the page label where the PDF
draws them, and no space before what starts a page after a page break or the document
(the PDF drops the space at a page's top; Word and LibreOffice keep it there)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.cli.main import cli
from briefgen.look import default_look
from tests.clients import convert_with_libreoffice, page_words
from tests.conftest import CASES
from tests.docx_reading import every_paragraph


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("furniture")
    options = BuildOptions(formats=("pdf", "docx"), output_dir=out)
    return build_pack(CASES / "valid" / "full-featured.yaml", options).folder


def test_header_and_footer_distances_follow_the_look(pack: Path) -> None:
    look = default_look()
    section = docx.Document(str(next(pack.glob("*.docx")))).sections[0]
    furniture = look.text.furniture
    assert section.header_distance.pt == pytest.approx(look.header_top(), abs=0.05)
    footer = look.footer_baseline() - (furniture.leading - furniture.size)
    assert section.footer_distance.pt == pytest.approx(footer, abs=0.05)


def test_a_paragraph_starting_a_page_has_no_space_before(pack: Path) -> None:
    document = docx.Document(str(next(pack.glob("*.docx"))))
    starting = [
        paragraph
        for paragraph in every_paragraph(document)
        if paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
    ]
    assert len(starting) >= 4  # contents, key messages, programme, each plenary
    for paragraph in starting:
        assert paragraph.paragraph_format.space_before == 0, paragraph.text
    inside = [p for p in every_paragraph(document) if p.style.name == "Heading 2"]
    assert inside and all(p.paragraph_format.space_before is None for p in inside)


def first_and_last_words(pdf: Path, page: int) -> tuple[float, float, float]:
    """The top of page ``page``'s first word (the running header), of its fourth (the
    page's first heading), and the bottom of its last (the page label), in points."""
    words = page_words(pdf, page)
    return words[0][2], words[3][2], words[-1][4]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_libreoffice_lays_the_furniture_and_a_page_top_out_as_the_pdf(
    pack: Path, tmp_path: Path
) -> None:
    converted = convert_with_libreoffice([next(pack.glob("*.docx"))], tmp_path, "pdf")
    by_office = next(converted.glob("*.pdf"))
    by_briefgen = next(pack.glob("*-briefing-pack.pdf"))
    for page in (3, 5, 6):  # key messages, two plenaries: each starts with a heading
        office = first_and_last_words(by_office, page)
        ours = first_and_last_words(by_briefgen, page)
        for theirs, mine in zip(office, ours, strict=True):
            assert theirs == pytest.approx(mine, abs=3.5), (page, office, ours)


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handouts")
    source = CASES / "valid" / "full-featured.yaml"
    result = CliRunner().invoke(cli, ["handouts", str(source), "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out / "full-2025"


def test_the_heading_a_handout_starts_with_has_no_space_before(handouts: Path) -> None:
    """A handout starts with its title at the top of its page, where the PDF drops the
    heading's space before it; Word and LibreOffice keep it at the top of a document."""
    documents = sorted(handouts.glob("*.docx"))
    assert len(documents) >= 2
    for path in documents:
        first = every_paragraph(docx.Document(str(path)))[0]
        assert first.style.name == "Heading 1", path.name
        assert first.paragraph_format.space_before == 0, path.name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_libreoffice_sets_a_handouts_title_where_the_pdf_does(
    handouts: Path, tmp_path: Path
) -> None:
    handout = handouts / "full-2025-handout-key-messages.docx"
    converted = convert_with_libreoffice([handout], tmp_path, "pdf")
    title = docx.Document(str(handout)).paragraphs[0].text.split()[0]

    def title_top(pdf: Path) -> float:
        """The top of the title's first word (the running header repeats it, smaller)."""
        words = [word for word in page_words(pdf, 1) if word[0] == title]
        return max(words, key=lambda word: word[4] - word[2])[2]

    by_office = title_top(next(converted.glob("*.pdf")))
    assert by_office == pytest.approx(title_top(handout.with_suffix(".pdf")), abs=3.5)


def line_tops(pdf: Path, page: int, words: tuple[str, ...]) -> list[float]:
    """The top of the first of each of ``words`` on ``page``, in points."""
    found = page_words(pdf, page)
    return [next(word[2] for word in found if word[0] == wanted) for wanted in words]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_libreoffice_adds_a_paragraphs_space_after_to_the_next_ones_space_before(
    pack: Path, tmp_path: Path
) -> None:
    """The space between two paragraphs is the first's space after and the second's
    space before, in the PDF as in Word; LibreOffice took the larger of the two, so a
    heading after a paragraph (the closing's key messages) or after another heading (an
    annex's first statement) stood higher than in the PDF, and the lines after it. A
    list ends as in the PDF: the list's space after it, not its last item's too; a table
    or a box (the key messages at a glance, an annex's table) stands the larger of its
    space before and the space after what precedes it below that, not both."""
    settings = docx.Document(str(next(pack.glob("*.docx")))).settings.element
    assert settings.xpath("./w:compat/w:doNotUseHTMLParagraphAutoSpacing")
    converted = convert_with_libreoffice([next(pack.glob("*.docx"))], tmp_path, "pdf")
    by_office = next(converted.glob("*.pdf"))
    by_briefgen = next(pack.glob("*-briefing-pack.pdf"))
    lines = (
        (3, ("Key", "•")),
        (9, ("Looking", "Key")),
        (10, ("Annex", "Welcome", "Madam", "protect", "Thank")),
        (11, ("Annex", "Acronym")),
    )
    for page, words in lines:
        office, ours = line_tops(by_office, page, words), line_tops(by_briefgen, page, words)
        gaps = [below - above for above, below in itertools.pairwise(office)]
        expected = [below - above for above, below in itertools.pairwise(ours)]
        assert gaps == pytest.approx(expected, abs=1.5), (page, words)
