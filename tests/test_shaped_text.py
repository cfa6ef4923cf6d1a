"""Shaped glyphs written by ``show_shaped`` are the operators reportlab's ``textOut``
writes for them, first time and every time after (when what was written is reused)."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from briefgen.text.fonts import ARABIC, SANS
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.reportlab_private import (
    Glyph,
    font_code_points,
    shape,
    shaped_glyphs,
    shaped_string,
    show_shaped,
)

register_pdf_fonts()
# Enough characters of the text face for its codes to fill more than one subset of 256.
CHARACTERS = [chr(code) for code in sorted(font_code_points(pdfmetrics.getFont(SANS)))][:700]
# Offsets and advances that are zero, that round to zero, and that are not.
AMOUNTS = st.sampled_from([0, 0.0, -0.0, 1e-7, -1e-7, 0.5, -12.25, 250, 333.333, -600])


@st.composite
def glyph(draw: st.DrawFn) -> Glyph:
    return Glyph(
        code=draw(st.sampled_from(CHARACTERS)),
        advance=draw(AMOUNTS),
        dx=draw(AMOUNTS),
        dy=draw(st.sampled_from([0, 0, 0, 120, -80.5])),  # raised and lowered marks
        width=draw(AMOUNTS),
        cluster=draw(st.integers(0, 20)),
    )


WORDS = st.lists(st.lists(glyph(), min_size=1, max_size=8), min_size=1, max_size=6)
# Each string is written at a rise, some of them again later (reused).
WRITES = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from([0, 0, 3.5])), min_size=1, max_size=30
)


def _text_object(canvas: Canvas, font: str) -> PDFTextObject:
    text = canvas.beginText(10, 700)
    text.setFont(font, 11, leading=13.5)
    return text


def _state(text: PDFTextObject) -> tuple[object, ...]:
    return (list(text._code), text._x, text._y, text._rise, text._curSubset)


@settings(max_examples=150, deadline=None)
@given(words=WORDS, writes=WRITES)
def test_shaped_glyphs_are_written_as_reportlab_writes_them(
    words: list[list[Glyph]], writes: list[tuple[int, float]]
) -> None:
    strings = [shaped_string(word) for word in words]
    by_reportlab = _text_object(Canvas(io.BytesIO(), invariant=1), SANS)
    by_briefgen = _text_object(Canvas(io.BytesIO(), invariant=1), SANS)
    for index, rise in writes:
        shaped = strings[index % len(strings)]
        for text in (by_reportlab, by_briefgen):
            text.setFont(SANS, 11, leading=13.5)
            if rise:
                text.setRise(rise)
        by_reportlab.textOut(shaped)
        show_shaped(by_briefgen, shaped)
        assert _state(by_briefgen) == _state(by_reportlab)


def test_arabic_words_shaped_by_harfbuzz_are_written_as_reportlab_writes_them() -> None:
    """Real shaping: joined letters, a ligature, marks above and below, repeated words."""
    words = ["مَرْحَبًا", "بِالعالَم", "لا", "الْمَحْكَمَة", "مَرْحَبًا", "الجنائيّة"]
    by_reportlab = _text_object(Canvas(io.BytesIO(), invariant=1), ARABIC)
    by_briefgen = _text_object(Canvas(io.BytesIO(), invariant=1), ARABIC)
    for word in words * 2:
        shaped, width = shape(word, ARABIC, 11)
        assert width is not None
        glyphs = shaped_glyphs(shaped)
        for text in (by_reportlab, by_briefgen):
            text.setFont(ARABIC, 11, leading=13.5)  # as the writer does before each word
        by_reportlab.textOut(shaped_string(glyphs))
        show_shaped(by_briefgen, shaped_string(glyphs))
        assert _state(by_briefgen) == _state(by_reportlab)
    assert any(" Ts" in code for code in by_briefgen._code), "no mark was raised or lowered"


def test_plain_strings_are_left_to_reportlab() -> None:
    """A string without shaping data is written as reportlab writes plain text."""
    by_reportlab = _text_object(Canvas(io.BytesIO(), invariant=1), SANS)
    by_briefgen = _text_object(Canvas(io.BytesIO(), invariant=1), SANS)
    by_reportlab.textOut("plain (text) \\ here")
    show_shaped(by_briefgen, "plain (text) \\ here")
    assert _state(by_briefgen) == _state(by_reportlab)
