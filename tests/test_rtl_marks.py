"""A mark in right-to-left text stays on the character it goes with in the PDF.

The PDF draws a right-to-left run that no shaper lays out (brackets, symbols, a letter
of an unshaped face) as its characters in reverse. A non-spacing or enclosing mark
(the keycap of #️⃣, a stroke through a multiplication sign, an accent) draws over the glyph drawn just
before it, so it is drawn right after its base, whether the two are in one face or
in two (``pieces._right_to_left``, ``bidi.visual_indices``), as browsers place it.
The pictographs of an emoji sequence are characters drawn, read right to left there.

Read back with poppler, which places each character where it is drawn: a mark of no
width drawn at the end of its base is part of its base's word; drawn before it, it
stood apart at the base's other edge.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen import tree
from briefgen.writers.pdf.writer import write_pdf
from tests.clients import page_words
from tests.test_emoji_copy_search import shown_pages
from tests.test_pdf_writer import sample_meta
from tests.trees import decided

KEYCAP = "#\ufe0f\u20e3"
STROKED = "\u00d7\u0338"  # stroked multiplication sign; in Arabic text, two faces
ACCENTED = "\u2194\u0301"  # ↔́
ARABIC = f"مفتاح {KEYCAP} نجمة {STROKED} علامة {ACCENTED} رمز"
HEBREW = f"שלום {STROKED} עולם"  # the sign and its stroke in one face: one run

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def pdf_of(tmp_path: Path, *texts: tuple[str, str]) -> Path:
    paragraphs = [tree.Paragraph((tree.Text(text),), lang=lang) for text, lang in texts]
    document = decided(sample_meta(), paragraphs)
    assert all(block.direction == "rtl" for block in document.blocks)
    pdf = tmp_path / "marks.pdf"
    pdf.write_bytes(write_pdf(document).data)
    return pdf


@needs_poppler
@pytest.mark.parametrize(
    ("text", "lang", "marked"),
    [(ARABIC, "ar", [KEYCAP, STROKED, ACCENTED]), (HEBREW, "he", [STROKED])],
)
def test_a_mark_is_drawn_on_its_base_in_a_right_to_left_line(
    tmp_path: Path, text: str, lang: str, marked: list[str]
) -> None:
    words = page_words(pdf_of(tmp_path, (text, lang)), 1)
    found = [word for word, *_ in words]
    for cluster in marked:
        assert cluster in found, (cluster, found)
    marks = [box for box in words if box[0][0] in "\ufe0f\u20e3\u0338\u0301"]
    assert marks == []  # no mark drawn apart from its base


LONG_WORD = "\u200e" + "abcdefghij" * 8 + "\u200e" + "abcdefghij" * 4 + "\u200e"


def test_a_word_wider_than_a_line_draws_no_mark_of_direction(tmp_path: Path) -> None:
    """A left-to-right word cut to fit the line (``pieces.fitted``) draws what any word
    draws: not its marks of direction, which a font draws as a glyph or a box."""
    shown = "".join(shown_pages(pdf_of(tmp_path, (f"انظر {LONG_WORD} هنا", "ar"))))
    assert "abcdefghij" * 4 in shown
    assert "\u200e" not in shown
