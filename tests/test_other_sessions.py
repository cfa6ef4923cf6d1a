# ruff: noqa: RUF001 (names in Cyrillic letters)
"""Sessions unlike ASP23 (``tests/data/sessions/``): a Human Rights Council session with
joint statements and key messages in two plenaries, an Arabic pack with a logo, a
one-day special session in Spanish; each built in every format and read back from the
PDF, the DOCX and the HTML."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from briefgen.build.pack import BuildOptions, build_pack
from tests.clients import convert_with_libreoffice, page_words
from tests.conftest import ROOT
from tests.docx_reading import every_paragraph
from tests.pdf_structure import check_structure

SESSIONS = ROOT / "tests" / "data" / "sessions"
HRC = SESSIONS / "hrc-joint.yaml"
ARABIC = SESSIONS / "asp24-ar.yaml"
SPECIAL = SESSIONS / "special-es.yaml"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing"
)


def built(source: Path, folder: Path) -> dict[str, Path]:
    """``source`` built in every format into ``folder``: each file by its extension."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(source, BuildOptions(output_dir=folder))
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


@pytest.fixture(scope="module")
def hrc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return built(HRC, tmp_path_factory.mktemp("hrc"))


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return built(ARABIC, tmp_path_factory.mktemp("arabic"))


def pdf_text(pdf: Path) -> str:
    """The PDF's text in reading order, each paragraph's lines joined by spaces."""
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", " ", text)


def pdf_lines(pdf: Path) -> list[dict[str, float]]:
    """The lines of every page of the PDF: each word on it and where it starts (the
    left edge, in points; a word found twice, its first)."""
    lines: list[dict[str, float]] = []
    for page in range(1, int(_pages(pdf)) + 1):
        middle = None  # of the line's first word: Arabic letters stand higher and lower
        for word, x_min, y_min, _, y_max in sorted(
            page_words(pdf, page), key=lambda word: word[2] + word[4]
        ):
            if middle is None or (y_min + y_max) / 2 - middle > 3:
                middle = (y_min + y_max) / 2
                lines.append({})
            lines[-1].setdefault(word, x_min)
    return lines


def _pages(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return re.findall(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)[0]


def docx_paragraphs(path: Path) -> list[str]:
    return [paragraph.text for paragraph in every_paragraph(docx.Document(str(path)))]


def without_marks(text: str) -> str:
    """``text`` without the embedding and direction marks the DOCX writes around a value
    that reads the other way (Word knows no isolates)."""
    return re.sub("[\u202a-\u202e\u200e\u200f]", "", text)


def html_paragraphs(path: Path, css_class: str) -> list[str]:
    page = lxml.html.fromstring(path.read_bytes())
    return [p.text_content() for p in page.xpath(f'//p[@class="{css_class}"]')]


JOINT = (
    "International Service for Human Rights, co-signed by Мемориал, مؤسسة الحق,"
    " Cairo Institute for Human Rights Studies"
)


@needs_pdftotext
def test_a_joint_statement_names_its_co_signatories_in_every_format(
    hrc: dict[str, Path],
) -> None:
    """Under the statement's title, in its full text's annex and in the summary written
    for its plenary: the organisation that took the floor, then those that signed with it."""
    # poppler writes the Arabic name letter by letter, in bidi marks: the rest as typed
    joint_in_pdf = re.escape(JOINT).replace(re.escape("مؤسسة الحق"), ".{1,60}?")
    assert len(re.findall(joint_in_pdf, pdf_text(hrc["pdf"]))) == 2  # and in the summary
    assert JOINT in map(without_marks, docx_paragraphs(hrc["docx"]))
    assert JOINT in html_paragraphs(hrc["html"], "byline")
    items = lxml.html.fromstring(hrc["html"].read_bytes()).xpath("//li")
    assert JOINT in [item.text_content().strip() for item in items]  # the plenary's summary


def test_each_co_signatory_is_an_isolate_of_its_own(hrc: dict[str, Path]) -> None:
    """An Arabic name in the list keeps its own direction, the commas the pack's."""
    html = hrc["html"].read_text(encoding="utf-8")
    assert "co-signed by <bdi>Мемориал</bdi>, <bdi>مؤسسة الحق</bdi>, <bdi>Cairo" in html


@needs_pdftotext
def test_an_arabic_byline_reads_its_co_signatories_right_to_left(
    arabic: dict[str, Path],
) -> None:
    """After "بالاشتراك مع" (jointly with), each name, from right to left: each name on the
    left of what precedes it, whatever its own script."""
    html = arabic["html"].read_text(encoding="utf-8")
    assert "بالاشتراك مع <bdi>Human Rights Watch</bdi>\u060c <bdi>Мемориал</bdi>" in html
    paragraphs = map(without_marks, docx_paragraphs(arabic["docx"]))
    bylines = [text for text in paragraphs if "بالاشتراك" in text]
    assert bylines
    assert all("بالاشتراك مع Human Rights Watch\u060c Мемориал" in text for text in bylines)
    assert_co_signatories_read_right_to_left(arabic["pdf"])


def assert_co_signatories_read_right_to_left(pdf: Path) -> None:
    """On each line that names them, "Мемориал" stands left of "Human Rights Watch",
    left of "بالاشتراك" (found by its ش, a letter of no other word on these lines: poppler
    gives Arabic letters or pieces of words as words)."""
    lines = [line for line in pdf_lines(pdf) if "Мемориал" in line and "Human" in line]
    assert lines  # the byline, and the summary written for the plenary
    for line in lines:
        jointly = [left for word, left in line.items() if "ش" in word]
        assert len(jointly) == 1, line
        assert line["Мемориал"] < line["Human"] < jointly[0]


def test_a_statement_cited_by_two_plenaries_names_each(hrc: dict[str, Path]) -> None:
    """Each plenary numbers its own key messages: "key message 1" twice would not say
    which, so each citation names its plenary, and links to that plenary's list."""
    page = lxml.html.fromstring(hrc["html"].read_bytes())
    cited = [p for p in page.find_class("note") if "Cited in" in p.text_content()]
    assert [p.text_content() for p in cited] == [
        "Cited in: key message 1 (Voting on resolutions), key message 2 (Closing of the session)",
        "Cited in: key message 2",  # one plenary: its number is enough
    ]
    assert [a.get("href") for a in cited[0].xpath(".//a")] == [
        "#key-messages-votes",
        "#key-messages-closing",
    ]


@pytest.fixture(scope="module")
def special(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return built(SPECIAL, tmp_path_factory.mktemp("special"))


def test_a_logo_is_described_in_the_docx_as_in_the_pdf(arabic: dict[str, Path]) -> None:
    """The logo's alternate text, by default the publisher's name, is the picture's
    description in the DOCX (what Word reads out), as it is the PDF's ``Figure``."""
    publisher = "التحالف من أجل المحكمة الجنائية الدولية"
    figures = check_structure(arabic["pdf"].read_bytes()).find("Figure")
    assert [figure.alt for figure in figures] == [publisher]
    pictures = docx.Document(str(arabic["docx"])).element.body.findall(f".//{WP}docPr")
    assert [picture.get("descr") for picture in pictures] == [publisher]


def test_a_logo_nothing_describes_is_decoration(special: dict[str, Path]) -> None:
    """No publisher, no ``logo_alt``: the PDF draws the logo as an artifact, not as a
    ``Figure`` without alternate text (PDF/UA-1 refuses one), the HTML as alt=""."""
    structure = check_structure(special["pdf"].read_bytes())  # everything drawn is tagged
    assert structure.find("Figure") == []
    assert len(PdfReader(special["pdf"]).pages[0].images) == 1  # the logo is drawn
    page = lxml.html.fromstring(special["html"].read_bytes())
    assert [image.get("alt") for image in page.xpath("//img")] == [""]
    pictures = docx.Document(str(special["docx"])).element.body.findall(f".//{WP}docPr")
    assert [picture.get("descr") for picture in pictures] == [None]


def cover_drawing(pdf: Path) -> tuple[float, list[tuple[float, float]], list[float]]:
    """The cover page's width; the left edge and width of each rectangle drawn on it (the
    band, the rule) and the left edge of each image (the logo), in points from the left."""
    reader = PdfReader(pdf)
    page = reader.pages[0]
    matrix, saved = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
    rectangles, images = [], []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            saved.append(matrix)
        elif operator == b"Q":
            matrix = saved.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(value) for value in operands)
            m = matrix
            matrix = [
                a * m[0] + b * m[2],
                a * m[1] + b * m[3],
                c * m[0] + d * m[2],
                c * m[1] + d * m[3],
                e * m[0] + f * m[2] + m[4],
                e * m[1] + f * m[3] + m[5],
            ]
        elif operator == b"re":
            x, _, width, _ = (float(value) for value in operands)
            rectangles.append((matrix[0] * x + matrix[4], matrix[0] * width))
        elif operator == b"Do":
            images.append(matrix[4])
    return float(page.mediabox.width), rectangles, images


def test_an_arabic_cover_has_its_logo_and_rule_on_the_right(arabic: dict[str, Path]) -> None:
    """Where its lines start, in the PDF and the DOCX as in the HTML: the mirror image of
    an English cover."""
    width, rectangles, images = cover_drawing(arabic["pdf"])
    band, rule = rectangles
    assert band == (0.0, width)
    assert rule[0] > width / 2  # against the right margin
    assert len(images) == 1 and images[0] > width / 2
    body = docx.Document(str(arabic["docx"])).element.body
    logo = next(p for p in body.iter(f"{W}p") if p.find(f".//{WP}inline") is not None)
    assert logo.find(f"{W}pPr/{W}bidi") is not None  # a right-to-left paragraph: at its right
    section = docx.Document(str(arabic["docx"])).sections[0]
    offsets = {
        anchor.find(f"{WP}docPr").get("name"): int(anchor.find(f"{WP}positionH/{WP}posOffset").text)
        for anchor in section.first_page_header._element.iter(f"{WP}anchor")
    }
    page_width = section.page_width or 0
    assert offsets["Cover rule"] > page_width / 2
    page = lxml.html.fromstring(arabic["html"].read_bytes())
    assert page.get("dir") == "rtl"
    assert [cover.get("dir") for cover in page.xpath('//*[@class="cover"]')] == [None]


def test_an_english_cover_has_them_on_the_left(hrc: dict[str, Path]) -> None:
    width, rectangles, _ = cover_drawing(hrc["pdf"])
    assert rectangles[1][0] < width / 2


def test_the_docx_embeds_a_value_that_reads_the_other_way(arabic: dict[str, Path]) -> None:
    """Word knows no isolates: a left-to-right value in an Arabic line stands between
    embedding marks, then a right-to-left mark, so that its "#" stays at its left and
    the Arabic comma between two Latin names stays the list's."""
    paragraphs = docx_paragraphs(arabic["docx"])
    assert "\u202a#ASP24\u202c\u200f" in paragraphs
    names = "\u202aHuman Rights Watch\u202c\u200f\u060c \u202aМемориал\u202c\u200f"
    assert any(names in text for text in paragraphs)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@needs_pdftotext
def test_libreoffice_lays_the_arabic_docx_out_as_the_pdf(
    arabic: dict[str, Path], tmp_path: Path
) -> None:
    """The hashtag reads "#ASP24", the co-signatories right to left, as in the PDF."""
    converted = convert_with_libreoffice([arabic["docx"]], tmp_path, "pdf")
    pdf = next(converted.glob("*.pdf"))
    assert "#ASP24" in pdf_text(pdf) and "ASP24#" not in pdf_text(pdf)
    assert_co_signatories_read_right_to_left(pdf)
