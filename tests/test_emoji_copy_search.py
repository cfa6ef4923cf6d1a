"""Emoji sequences in the PDF copy and search as they were typed.

The PDF draws an emoji sequence as its pictographs side by side, in black and white; the
joiners, variation selectors and tag characters between them draw nothing, but copy
with the pictograph drawn next to them (``briefgen/writers/pdf/glyphs.py``,
``with_marks``), in headings, contents lines, body text, lists, tables and links,
left to right and right to left.

The English pack is read back as readers that place text by position do (pypdf,
pdftotext). Those readers guess the order of a right-to-left line with rules of their
own, which take emoji for right-to-left characters (and reverse them), so the Arabic
pack is read as assistive technology reads a tagged PDF: its text in the order the
page shows it, through the fonts' ToUnicode maps (ISO 32000-1, 14.8.2.3), and through
its structure tree with poppler.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, TextStringObject

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.look import Pdf
from briefgen.writers.pdf.writer import write_pdf
from tests.conftest import CASES

ENGLISH = CASES / "valid" / "emoji-sequences.yaml"
ARABIC = CASES / "valid" / "emoji-sequences-arabic.yaml"

SEQUENCES = {
    "woman judge (joiner, selector)": "\U0001f469\u200d\u2696\ufe0f",
    "rainbow flag (selector, joiner)": "\U0001f3f3\ufe0f\u200d\U0001f308",
    "red heart (selector)": "\u2764\ufe0f",
    "thumbs up, medium skin tone": "\U0001f44d\U0001f3fd",
    "flag of France (regional indicators)": "\U0001f1eb\U0001f1f7",
    "keycap 1": "1\ufe0f\u20e3",
    "family (two joiners)": "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "pirate flag": "\U0001f3f4\u200d\u2620\ufe0f",
    "telephone as text (text selector)": "\u260e\ufe0e",
    "flag of Scotland (tags)": "\U0001f3f4" + "".join(chr(0xE0000 + ord(c)) for c in "gbsct\x7f"),
}

_SPACES = re.compile(r"\s+")
_HYPHENATED = re.compile(r"\u00ad\s*")


def typed(path: Path) -> list[str]:
    """What the pack's plain fields hold as typed: the plenaries' titles (headings,
    contents lines), the statements' titles (headings) and summaries (body text), and
    the organisations' names (table cells)."""
    session = load_session(path).session
    statements = [s for plenary in session.plenaries for s in plenary.statements]
    return [
        *(plenary.title for plenary in session.plenaries),
        *(statement.title for statement in statements),
        *(statement.summary for statement in statements if statement.summary),
        *(organization.name for organization in session.organizations),
    ]


def one_line(text: str) -> str:
    """``text`` with its line breaks and runs of spaces as one space, and its words
    hyphenated at a line's end (with a soft hyphen) whole again."""
    return _SPACES.sub(" ", _HYPHENATED.sub("", text))


@pytest.fixture(scope="module", params=["tagged", "untagged"])
def english_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English pack's PDF, tagged (the default look's) or not."""
    document = compose_pack(load_session(ENGLISH))
    if request.param == "untagged":
        look = document.look.model_copy(update={"pdf": Pdf(standard=())})
        document = dataclasses.replace(document, look=look)
    pdf = tmp_path_factory.mktemp("emoji") / "pack.pdf"
    pdf.write_bytes(write_pdf(document).data)
    return pdf


@pytest.fixture(scope="module")
def arabic_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("emoji-ar")
    result = build_pack(ARABIC, BuildOptions(formats=("pdf",), output_dir=output))
    return next(result.folder.glob("*.pdf"))


def missing(text: str, fields: list[str]) -> list[str]:
    """The sequences (by name) and the fields not in ``text`` as typed."""
    names = [name for name, sequence in SEQUENCES.items() if sequence not in text]
    return names + [field for field in fields if field not in text]


ENGLISH_MARKDOWN = [
    "Shared by judges \U0001f469\u200d\u2696\ufe0f and families "
    "\U0001f468\u200d\U0001f469\u200d\U0001f467, see the flag \U0001f3f3\ufe0f\u200d\U0001f308.",
    "judges/\U0001f469\u200d\u2696\ufe0f keys 1\ufe0f\u20e3/#\ufe0f\u20e3 hearts "
    "\u2764\ufe0f/\u2764\ufe0f and a Scottish "
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f/\U0001f1eb\U0001f1f7",
    "Keep \U0001f44d\U0001f3fd and \u2764\ufe0f as typed",
]
"""Bold, italic and a link (reportlab's paragraph), a paragraph with slashes (the
writer's own paragraph) and a key message (a list item), as they read."""


def test_pypdf_reads_every_sequence_as_typed(english_pdf: Path) -> None:
    reader = PdfReader(english_pdf)
    text = one_line(" ".join(page.extract_text() for page in reader.pages))
    assert missing(text, [*typed(ENGLISH), *ENGLISH_MARKDOWN]) == []
    assert typed(ENGLISH)[0] in one_line(reader.pages[1].extract_text())  # a contents line


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
def test_pdftotext_reads_every_sequence_as_typed(english_pdf: Path) -> None:
    done = subprocess.run(
        ["pdftotext", str(english_pdf), "-"], capture_output=True, text=True, check=True
    )
    assert missing(one_line(done.stdout), [*typed(ENGLISH), *ENGLISH_MARKDOWN]) == []


def test_a_right_to_left_pack_holds_every_sequence_as_typed(arabic_pdf: Path) -> None:
    pages = shown_pages(arabic_pdf)
    assert missing(one_line(" ".join(pages)), typed(ARABIC)) == []
    assert typed(ARABIC)[0] in one_line(pages[1])  # a contents line


@pytest.mark.skipif(
    shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed"
)
def test_poppler_reads_every_sequence_of_a_right_to_left_pack_through_its_tags(
    arabic_pdf: Path,
) -> None:
    done = subprocess.run(
        ["pdfinfo", "-struct-text", str(arabic_pdf)], capture_output=True, text=True, check=True
    )
    assert missing(one_line(done.stdout), typed(ARABIC)) == []


def shown_pages(pdf: Path) -> list[str]:
    """The text each page shows, in the order its content stream shows it, each code
    read through its font's ToUnicode map: what a tagged PDF holds, with no reader's
    guess at the order of a line."""
    reader = PdfReader(pdf)
    pages = []
    for page in reader.pages:
        fonts = {name: to_unicode(font.get_object()) for name, font in _fonts(page).items()}
        cmap: dict[int, str] = {}
        shown: list[str] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                cmap = fonts[operands[0]]
            elif operator in (b"Tj", b"TJ"):
                strings = operands[:1] if operator == b"Tj" else operands[0]
                shown += [cmap[code] for item in strings for code in _codes(item)]
        pages.append("".join(shown))
    return pages


def _fonts(page: object) -> dict[str, object]:
    fonts: dict[str, object] = page["/Resources"]["/Font"]  # type: ignore[index]
    return fonts


def _codes(item: object) -> bytes:
    """The codes of a string shown (nothing for a number, the space between glyphs)."""
    if isinstance(item, TextStringObject):
        return item.get_original_bytes()
    return item if isinstance(item, bytes) else b""


def to_unicode(font: object) -> dict[int, str]:
    """A simple font's ToUnicode CMap: one-byte code to text."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")  # type: ignore[index]
    blocks = "".join(re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL))
    entries = re.findall(r"<([0-9A-F]{2})> <([0-9A-F]*)>", blocks)
    return {int(code, 16): bytes.fromhex(text).decode("utf-16-be") for code, text in entries}
