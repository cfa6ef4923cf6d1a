"""Shaped glyphs written by ``show_shaped`` are the operators reportlab's ``textOut``
writes for them, first time and every time after (when what was written is reused),
and each glyph is drawn at its own rise (reportlab's ``setRise`` corrected: ``set_rise``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest import MonkeyPatch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from briefgen.text.fonts import ARABIC, SANS
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.reportlab_private import (
    Glyph,
    font_code_points,
    set_rise,
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


_SHOWN = rb"\((?:[^)\\]|\\.)*\)"  # a string: its ")" and "\\" escaped, any "]" not
_OPERATION = re.compile(rb"\[(?:" + _SHOWN + rb"|[^\]()])*\] TJ|" + _SHOWN + rb" Tj|-?[\d.]+ Ts")
_STRING = re.compile(rb"\(((?:[^)\\]|\\.)*)\)")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)")


def _rises_shown(code: list[str]) -> Iterator[float]:
    """The rise each glyph code in the operators ``code`` is drawn at, in order."""
    rise = 0.0
    for operation in _OPERATION.findall(" ".join(code).encode("latin-1")):
        if operation.endswith(b" Ts"):
            rise = float(operation[:-3])
            continue
        for string in _STRING.findall(operation):
            for _ in _ESCAPE.sub(b"x", string):
                yield rise


@settings(max_examples=150, deadline=None)
@given(words=WORDS, writes=WRITES)
def test_shaped_glyphs_are_written_as_reportlab_writes_them(
    words: list[list[Glyph]], writes: list[tuple[int, float]]
) -> None:
    strings = [shaped_string(word) for word in words]
    by_reportlab = _text_object(Canvas(io.BytesIO(), invariant=1), SANS)
    by_briefgen = _text_object(Canvas(io.BytesIO(), invariant=1), SANS)
    with MonkeyPatch.context() as patch:
        patch.setattr(PDFTextObject, "setRise", set_rise)
        for index, rise in writes:
            shaped = strings[index % len(strings)]
            for text in (by_reportlab, by_briefgen):
                text.setFont(SANS, 11, leading=13.5)
                if rise:
                    text.setRise(rise)
            by_reportlab.textOut(shaped)
            show_shaped(by_briefgen, shaped)
            assert _state(by_briefgen) == _state(by_reportlab)


@settings(max_examples=150, deadline=None)
@given(words=WORDS, writes=WRITES)
def test_every_glyph_is_drawn_at_its_own_rise(
    words: list[list[Glyph]], writes: list[tuple[int, float]]
) -> None:
    """Raised and lowered glyphs one after another (a kasra, then a shadda) leave the
    glyphs after them on the line: each is drawn at the rise its ``dy`` asks."""
    text = _text_object(Canvas(io.BytesIO(), invariant=1), SANS)
    expected: list[float] = []
    for index, rise in writes:
        word = words[index % len(words)]
        text.setFont(SANS, 11, leading=13.5)
        set_rise(text, rise)
        show_shaped(text, shaped_string(word))
        expected += [rise + 11 * glyph.dy / 1000 for glyph in word]
        assert text._rise == rise, "the rise is given back once the string is drawn"
    shown = list(_rises_shown(text._code))
    assert shown == pytest.approx(expected, abs=1e-4)


def test_arabic_words_shaped_by_harfbuzz_are_written_as_reportlab_writes_them(
    monkeypatch: MonkeyPatch,
) -> None:
    """Real shaping: joined letters, a ligature, marks above and below, repeated words."""
    words = ["مَرْحَبًا", "بِالعالَم", "لا", "الْمَحْكَمَة", "مَرْحَبًا", "الجنائيّة"]
    by_reportlab = _text_object(Canvas(io.BytesIO(), invariant=1), ARABIC)
    by_briefgen = _text_object(Canvas(io.BytesIO(), invariant=1), ARABIC)
    monkeypatch.setattr(PDFTextObject, "setRise", set_rise)
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
