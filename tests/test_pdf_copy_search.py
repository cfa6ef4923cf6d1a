"""Arabic in the PDF copies and searches as it was typed.

Each shaped glyph is encoded for the text it shows (its ToUnicode entry is the letter,
not a presentation form or a private-use code), right-to-left runs are written in
reading order, and a mark drawn above or below the line has an invisible copy on it
(``briefgen/writers/pdf/glyphs.py``). These tests read the PDF back as readers that place
text by position do, with pdftotext; pypdf assumes the other convention (right-to-left
text stored in visual order) and reverses it, so it is not the reader here.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.look import Pdf
from briefgen.writers.pdf.writer import write_pdf
from tests.conftest import CASES

ARABIC_PACK = CASES / "valid" / "arabic-pack.yaml"
_WORD = re.compile(r"[\u0621-\u065F\u0670-\u06D3]+")  # letters and marks, no punctuation

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdftotext(pdf: Path, *options: str) -> str:
    command = ["pdftotext", *options, str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def full_text() -> str:
    statement = next(
        statement
        for plenary in load_session(ARABIC_PACK).session.plenaries
        for statement in plenary.statements
        if statement.text
    )
    assert statement.text is not None
    return statement.text


@pytest.mark.parametrize("tagged", [True, False])
def test_every_word_of_a_long_arabic_statement_is_found(tmp_path: Path, tagged: bool) -> None:
    """Joined letters, letters drawn with their dots apart, hamza, lam-alef, shadda and
    tanween above the line, over several paragraphs and lines, tagged or not."""
    document = compose_pack(load_session(ARABIC_PACK))
    if not tagged:
        look = document.look.model_copy(update={"pdf": Pdf(standard=())})
        document = dataclasses.replace(document, look=look)
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(write_pdf(document).data)
    found = set(_WORD.findall(pdftotext(pdf)))
    words = _WORD.findall(full_text())
    assert len(words) > 60
    assert [word for word in words if word not in found] == []


def test_each_line_reads_in_order(tmp_path: Path) -> None:
    result = build_pack(ARABIC_PACK, BuildOptions(formats=("pdf",), output_dir=tmp_path))
    text = pdftotext(next(result.folder.glob("*.pdf")))
    lines = [_WORD.findall(line) for line in text.splitlines()]
    assert ["يظل", "المجتمع", "المدني", "ملتزماً", "بالعدالة", "الدولية"] in [
        line[:6] for line in lines
    ]


def test_no_glyph_copies_as_a_presentation_form_or_a_private_code(tmp_path: Path) -> None:
    result = build_pack(ARABIC_PACK, BuildOptions(formats=("pdf",), output_dir=tmp_path))
    reader = PdfReader(next(result.folder.glob("*.pdf")))
    targets = [char for cmap in to_unicode_cmaps(reader) for char in cmap.values()]
    assert any("\u0627" in text for text in targets)  # the letters themselves
    odd = [
        text
        for text in targets
        for char in text
        if "\ufb50" <= char <= "\ufeff" or "\ue000" <= char <= "\uf8ff" or ord(char) >= 0xF0000
    ]
    assert odd == []


def test_the_joining_forms_of_a_letter_copy_as_that_letter(tmp_path: Path) -> None:
    """Shaping still happens: a letter drawn in several forms has several codes, each
    mapped to the letter."""
    result = build_pack(ARABIC_PACK, BuildOptions(formats=("pdf",), output_dir=tmp_path))
    reader = PdfReader(next(result.folder.glob("*.pdf")))
    lam_codes = sum(
        1 for cmap in to_unicode_cmaps(reader) for text in cmap.values() if text == "\u0644"
    )
    assert lam_codes >= 3  # initial, medial, final at least


def test_a_latin_name_stays_whole_and_to_the_right_of_its_acronym(tmp_path: Path) -> None:
    """The index entry "{{ name }} ({{ short_name }})" in a right-to-left line: the name
    is read first, at the right, its acronym in brackets to its left (as the HTML
    edition's two bdi elements show it)."""
    result = build_pack(ARABIC_PACK, BuildOptions(formats=("pdf",), output_dir=tmp_path))
    pdf = next(result.folder.glob("*.pdf"))
    index_page = str(len(PdfReader(pdf).pages))  # the last: the organisations' table reads
    boxes = pdftotext(pdf, "-bbox", "-f", index_page)  # right to left, acronym first
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)
    lines: dict[str, dict[str, float]] = {}
    for x, y, word in words:
        lines.setdefault(y, {})[word] = float(x)
    entry = next(line for line in lines.values() if {"Human", "HRW"} <= line.keys())
    assert entry["HRW"] < entry["Human"] < entry["Rights"] < entry["Watch"]


def to_unicode_cmaps(reader: PdfReader) -> list[dict[str, str]]:
    """Each font's ToUnicode CMap (code to text) on every page."""
    cmaps = []
    seen: set[int] = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for reference in fonts.values():
            font = reference.get_object()
            if "/ToUnicode" not in font or id(font) in seen:
                continue
            seen.add(id(font))
            data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            blocks = re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL)
            entries = re.findall(r"<([0-9A-F]{2})> <([0-9A-F]*)>", "".join(blocks))
            cmaps.append({code: bytes.fromhex(text).decode("utf-16-be") for code, text in entries})
    return cmaps
