"""Khmer (Cambodia), Thaana (Maldives), Japanese, Korean and Chinese print in the default
look: Khmer and Thaana in their Noto families, shaped, Thaana right to left; Chinese,
Japanese and Korean in the last-resort CJK face. One pack of each format is built once
(``tests/cases/valid/states-scripts.yaml``) and read back: the fonts the PDF draws each
character with and embeds, its text as readers copy it, the DOCX's runs and fonts, the
HTML's faces."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, BuildResult, build_pack
from briefgen.input.load import load_session
from briefgen.text.fonts import CJK, KHMER, KHMER_BOLD, THAANA, THAANA_BOLD
from briefgen.text.linebreak import break_points
from tests.clients import page_words
from tests.conftest import CASES
from tests.test_scripts_pdf import drawn_from, drawn_with

STATES = CASES / "valid" / "states-scripts.yaml"
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing"
)


def statement(statement_id: str) -> tuple[str, str]:
    """The title and summary of a statement of the pack, as typed."""
    for plenary in load_session(STATES).session.plenaries:
        for found in plenary.statements:
            if found.id == statement_id:
                assert found.summary is not None
                return found.title, found.summary
    raise KeyError(statement_id)


KHMER_TITLE, KHMER_SUMMARY = statement("cambodia-statement")
THAANA_TITLE, THAANA_SUMMARY = statement("maldives-statement")
THAANA_NAME = "ދިވެހި ޤާނޫނީ ޖަމްޢިއްޔާ"
CJK_TEXTS = [
    text for name in ("japan", "korea", "china") for text in statement(f"{name}-statement")
]
CJK_TITLES = "".join(CJK_TEXTS[::2])  # each statement's title, then its summary


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_pack(STATES, BuildOptions(output_dir=tmp_path_factory.mktemp("states")))


@pytest.fixture(scope="module")
def pdf(built: BuildResult) -> Path:
    return next(built.folder.glob("*.pdf"))


def pdftotext(pdf: Path, *options: str) -> str:
    command = ["pdftotext", *options, str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_every_character_is_covered_no_warning(built: BuildResult) -> None:
    assert not built.warnings


@pytest.mark.parametrize(
    ("text", "regular", "bold"),
    [
        (KHMER_SUMMARY, KHMER, KHMER_BOLD),
        (THAANA_SUMMARY, THAANA, THAANA_BOLD),
        ("".join(CJK_TEXTS), CJK, f"{CJK},Bold"),  # no bold: headings emboldened
    ],
)
def test_each_script_is_drawn_in_its_face_bold_where_it_has_one(
    pdf: Path, text: str, regular: str, bold: str
) -> None:
    faces = drawn_with(pdf)
    letters = {char for char in text if char.isalpha()}
    for char in letters:
        assert regular in faces[char], (char, faces[char])
    titles = KHMER_TITLE + THAANA_TITLE + CJK_TITLES
    title_letters = {char for char in titles if char.isalpha()}
    assert any(bold in faces[char] for char in letters & title_letters)
    assert all(face in (regular, bold) for char in letters for face in faces[char])


def test_the_pdf_embeds_the_new_faces(pdf: Path) -> None:
    """The font resources of the pages: subsets of the shipped faces, named after them."""
    embedded = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in PdfReader(pdf).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {KHMER, KHMER_BOLD, THAANA, THAANA_BOLD, CJK} <= embedded


def test_chinese_japanese_and_korean_copy_as_typed(pdf: Path) -> None:
    """pypdf's text layer holds every CJK title and summary as typed (lines joined)."""
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", "")
    for typed in CJK_TEXTS:
        assert typed in text, typed


def test_khmer_copies_as_typed(pdf: Path) -> None:
    """Subscript consonants and vowels drawn before their consonant copy in the order
    typed. pypdf takes some moves of a shaped word for spaces; poppler places text as
    readers do, and finds each word."""
    loose = re.sub(r"\s", "", "".join(page.extract_text() for page in PdfReader(pdf).pages))
    for typed in (KHMER_TITLE, "សម្ព័ន្ធខ្មែរដើម្បីការពារសិទ្ធិមនុស្ស"):
        assert re.sub(r"\s", "", typed) in loose
    if shutil.which("pdftotext"):
        text = pdftotext(pdf).replace("\n", "")
        assert KHMER_TITLE in text
        assert KHMER_SUMMARY.replace(" ", "") in text.replace(" ", "")


@needs_pdftotext
def test_khmer_lines_break_between_words(pdf: Path) -> None:
    """The long Khmer summary, which has no spaces inside its sentences, is cut into
    lines where Unicode line breaking (ICU's Khmer dictionary) finds a word's end."""
    lines = [
        line
        for line in pdftotext(pdf, "-raw").splitlines()
        if line and line.replace(" ", "") in KHMER_SUMMARY.replace(" ", "")
    ]
    assert len(lines) >= 3
    assert "".join(lines).replace(" ", "") == KHMER_SUMMARY.replace(" ", "")
    places = set(break_points(KHMER_SUMMARY)) | {
        index + 1 for index, char in enumerate(KHMER_SUMMARY) if char == " "
    }
    end = 0
    for line in lines[:-1]:
        end = KHMER_SUMMARY.index(line.strip(), end) + len(line.strip())
        assert end in places or KHMER_SUMMARY[end] == " ", line


@needs_pdftotext
def test_thaana_copies_as_typed_with_its_marks(pdf: Path) -> None:
    """Every letter carries its vowel mark (fili); poppler reads the words in typed order.
    The mark that ends a right-to-left run is the leftmost glyph of it, which poppler
    sets apart at the run's start (Arabic harakat fare the same): the last word is
    checked without it."""
    text = pdftotext(pdf)
    for typed in (THAANA_TITLE, THAANA_SUMMARY, THAANA_NAME):
        *words, last = typed.rstrip(".").split()
        for word in words:
            assert word in text, word
        assert without_final_mark(last) in text, last


def without_final_mark(word: str) -> str:
    return re.sub("[\u07a6-\u07b0]+$", "", word)


@needs_pdftotext
def test_thaana_reads_right_to_left(pdf: Path) -> None:
    """Wherever Thaana is printed (a heading, a summary, a name in a list, the contents,
    the index), its letters read from right to left: taken from the right, each line's
    letters are those of a text as typed."""
    typed = [letters(text) for text in (THAANA_TITLE, THAANA_SUMMARY, THAANA_NAME)]
    lines = 0
    for page in range(1, len(PdfReader(pdf).pages) + 1):
        by_line: dict[int, list[tuple[float, str]]] = {}
        for text, x_min, y_min, _, _ in page_words(pdf, page):
            if letters(text):
                by_line.setdefault(round(y_min), []).append((x_min, letters(text)))
        for boxes in by_line.values():
            leftwards = "".join(text for _, text in sorted(boxes, reverse=True))
            assert any(leftwards in text for text in typed), (page, leftwards)
            lines += 1
    assert lines >= 6


def letters(text: str) -> str:
    """The Thaana letters of ``text``, without its vowel marks."""
    return re.sub("[^\u0780-\u07a5\u07b1]", "", text)


def test_the_docx_names_the_families_and_carries_only_the_small_ones(built: BuildResult) -> None:
    """Khmer and Thaana runs name their families, which travel with the file; Thaana
    runs read right to left; CJK runs name Noto Sans CJK SC with their east Asian
    language, and its face stays out: the file is as small as a pack without CJK."""
    docx = next(built.folder.glob("*.docx"))
    with zipfile.ZipFile(docx) as package:
        document = package.read("word/document.xml").decode()
        font_table = package.read("word/fontTable.xml").decode()
        faces = [i.file_size for i in package.infolist() if i.filename.startswith("word/fonts/")]
    runs = re.findall(r"<w:r>(<w:rPr>.*?</w:rPr>)<w:t[^>]*>([^<]*)</w:t>", document)
    families = {
        text: re.search(r'w:ascii="([^"]*)"', props)[1]  # type: ignore[index]
        for props, text in runs
        if 'w:ascii="' in props
    }
    assert families["សម្ព័ន្ធខ្មែរដើម្បីការពារសិទ្ធិមនុស្ស"] == "Noto Sans Khmer"
    assert families[THAANA_NAME] == "Noto Sans Thaana"
    assert families["日本弁護士連合会"] == "Noto Sans CJK SC"
    thaana = next(props for props, text in runs if text == THAANA_NAME)
    assert "<w:rtl/>" in thaana
    chinese = next(props for props, text in runs if text.startswith("国际刑事法院是"))
    assert '<w:lang w:eastAsia="zh"/>' in chinese
    for family in ("Noto Sans Khmer", "Noto Sans Thaana"):
        assert re.search(rf'<w:font w:name="{family}">.*?<w:embedRegular ', font_table)
    assert "Noto Sans CJK SC" not in font_table
    assert max(faces) < 300_000 and docx.stat().st_size < 1_000_000


def test_the_html_embeds_each_face_cut_to_its_characters(built: BuildResult) -> None:
    """The page carries a WOFF2 subset of each face it draws with, the CJK one cut to
    the characters of the page (kilobytes, not megabytes), and names the families in
    the PDF's order, the last resort last: on a page with CJK text, only those it
    carries (a reader's installed font of another would draw first)."""
    page = next(built.folder.glob("*.html")).read_text(encoding="utf-8")
    faces = dict(
        re.findall(
            r'@font-face\{font-family:"([^"]*)";src:url\(data:font/woff2;base64,([^)]*)\)', page
        )
    )
    names = {name.replace("\\000020", " "): data for name, data in faces.items()}
    assert {"Noto Sans Khmer", "Noto Sans Thaana", "Noto Sans CJK SC"} <= set(names)
    assert len(names["Noto Sans CJK SC"]) < 150_000
    family = re.search(r"font-family:([^;}]*Arabic[^;}]*)", page)
    assert family is not None
    order = [name.strip('"').replace("\\000020", " ") for name in family[1].split(",")]
    assert order[-2:] == ["Noto Sans CJK SC", "sans-serif"]
    assert order.index("Noto Sans Khmer") < order.index("Noto Sans Thaana")
    assert set(order[2:-1]) == set(names) - {"Noto Sans", "Noto Sans Arabic"}


def test_a_character_the_cjk_face_lacks_is_still_a_warning(tmp_path: Path) -> None:
    """A Han character of none of the national standards the face keeps (U+4EB9) prints
    as an empty box, with a warning naming it; the rest of the text prints."""
    source = tmp_path / "rare.yaml"
    source.write_text(
        STATES.read_text(encoding="utf-8").replace("title: 关于合作的发言", "title: 关于亹的发言"),
        encoding="utf-8",
    )
    result = build_pack(source, BuildOptions(output_dir=tmp_path, formats=("pdf",)))
    assert [warning.message for warning in result.warnings] == [
        "1 Han character ('亹' U+4EB9) prints as an empty box in the PDF: no font briefgen"
        " ships has it (briefgen's CJK face has the common characters of Chinese, Japanese"
        " and Korean, not the rarer ones: a look can bring a font that has them,"
        " see docs/templates.md)"
    ]
    assert drawn_from(next(result.folder.glob("*.pdf")))["关"] == {CJK}
