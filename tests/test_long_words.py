"""A word wider than a line (a long address) is cut to fit in a right-to-left paragraph
too, where it ran off the page's edge: nothing is drawn outside the text area."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.look import default_look
from tests.conftest import CASES

URL = (
    "https://www.icc-cpi.int/sites/default/files/2024-12/"
    "ASP23-report-on-the-review-of-the-court-and-its-many-annexes-final-version.pdf"
)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
@pytest.mark.parametrize("as_link", [False, True])
def test_an_address_in_an_arabic_paragraph_stays_in_the_text_area(
    tmp_path: Path, as_link: bool
) -> None:
    address = f"[{URL}]({URL})" if as_link else URL
    summary = f"انظر التقرير الكامل في {address} للمزيد من التفاصيل."
    text = (CASES / "valid" / "who-said-what.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        summary: The review must stay independent.\n",
        f"        summary: '{summary}'\n        language: ar\n",
    )
    source = tmp_path / "case.yaml"
    source.write_text(text, encoding="utf-8")
    result = build_pack(source, BuildOptions(formats=("pdf",), output_dir=tmp_path / "out"))
    pdf = next(result.folder.glob("*.pdf"))
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    number = next(n for n, page in enumerate(pages, 1) if "icc-cpi" in page)
    words = pages[number - 1].split()  # the address, cut where it had to be: every part
    first = next(word for word in words if word.startswith("https://"))
    rest = URL.removeprefix(first)
    assert URL.startswith(first) and len(first) < len(URL) and rest in words
    assert ink_outside_the_text_area(pdf, number, tmp_path) == []


def ink_outside_the_text_area(pdf: Path, number: int, folder: Path) -> list[tuple[int, int]]:
    """The dark pixels of page ``number`` left or right of the text area, between the
    top and bottom margins (rendered at 72 dpi: a pixel is a point)."""
    pages = ["-f", str(number), "-l", str(number)]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", *pages, str(pdf), str(folder / f"page{number}")],
        check=True,
    )
    (png,) = folder.glob(f"page{number}*.png")
    image = Image.open(png).convert("L")
    page = default_look().page
    left, right = page.margins.left - 3, image.width - page.margins.right + 3
    top, bottom = int(page.margins.top), int(image.height - page.margins.bottom)
    return [
        (x, y)
        for y in range(top, bottom)
        for x in (*range(0, int(left)), *range(int(right), image.width))
        if image.getpixel((x, y)) < 200
    ]


CONJUNCTS = "\u0915\u094d" * 100  # क्क्क्...: no place to break after a virama
JOINED = "\u0645\u200c" * 150  # م‌م‌م‌...: none next to a zero-width non-joiner either


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_a_word_with_no_place_to_break_is_cut_between_letters(tmp_path: Path) -> None:
    source = tmp_path / "case.yaml"
    source.write_text(
        f"""\
session: {{id: unbreakable, name: Unbreakable words, start: 2025-01-01, end: 2025-01-01}}
organizations: [{{id: ngo, name: Example NGO}}]
plenaries:
  - id: hindi
    title: "{CONJUNCTS}"
    date: 2025-01-01
    statements:
      - {{id: s, by: ngo, title: Statement, language: hi, summary: "{CONJUNCTS}"}}
  - {{id: arabic, title: "{JOINED}", date: 2025-01-01}}
""",
        encoding="utf-8",
    )
    result = build_pack(source, BuildOptions(formats=("pdf",), output_dir=tmp_path / "out"))
    pdf = next(result.folder.glob("*.pdf"))
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 4
    for number in range(2, len(reader.pages) + 1):  # every page after the cover
        assert ink_outside_the_text_area(pdf, number, tmp_path) == [], f"page {number}"


def test_a_right_to_left_numbered_list_puts_the_full_stop_before_the_text(
    tmp_path: Path,
) -> None:
    """In a right-to-left list the number stands in the right margin and its full stop,
    which follows it in reading order, stands to its left, next to the text: ".1"."""
    source = CASES / "valid" / "arabic-statement.yaml"
    result = build_pack(source, BuildOptions(formats=("pdf",), output_dir=tmp_path))
    pages = [page.extract_text() for page in PdfReader(next(result.folder.glob("*.pdf"))).pages]
    lines = [line.strip() for page in pages for line in page.splitlines()]
    assert [line for line in lines if line in (".1", ".2", "1.", "2.")] == [".1", ".2"]


@pytest.mark.parametrize("joined_by", ["", "-", "\u00ad"], ids=["letters", "hyphens", "soft"])
def test_a_word_longer_than_any_language_has_is_broken_going_forward(joined_by: str) -> None:
    """reportlab's paragraph measures a long word from its end at every line it fills, in
    time and memory growing with the square of its length; the bidi paragraph, which
    goes forward, lays such a paragraph out, and only such a paragraph."""
    from briefgen import tree
    from briefgen.writers.pdf.bidi import BidiParagraph
    from briefgen.writers.pdf.fonts import register_pdf_fonts
    from briefgen.writers.pdf.paragraph import LONG_WORD, paragraph
    from briefgen.writers.pdf.styles import hyphenated, pdf_styles

    register_pdf_fonts()
    body = hyphenated(pdf_styles(default_look()).role("body"), "en")

    def laid_out_by(word: str) -> type:
        content = (tree.Text(f"A word: {word} here."),)
        return type(paragraph(content, body, "ltr", "#000000"))

    syllables = joined_by.join(["ab"] * LONG_WORD)
    assert laid_out_by(syllables[: LONG_WORD + 1]) is BidiParagraph
    assert laid_out_by(syllables[:LONG_WORD]) is not BidiParagraph


def test_a_word_of_thousands_of_syllables_prints_whole(tmp_path: Path) -> None:
    word = "-".join(["inter", "national", "ization"] * 150)  # a page of it
    source = tmp_path / "case.yaml"
    source.write_text(
        (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8") + f"    summary: {word}\n",
        encoding="utf-8",
    )
    result = build_pack(source, BuildOptions(formats=("pdf",), output_dir=tmp_path / "out"))
    pages = [page.extract_text() for page in PdfReader(next(result.folder.glob("*.pdf"))).pages]
    lines = "\n".join(pages).splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("inter-"))
    printed = "".join(lines[start:]).replace("\u00ad", "")
    assert printed.startswith(word)
