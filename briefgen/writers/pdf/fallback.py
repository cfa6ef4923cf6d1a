"""Which face draws each character: the text's own face, else the first fallback family
that covers it (``briefgen.text.fonts.FALLBACK_FAMILIES``: Hebrew, Georgian, Indic,
Thai, symbols ...), so that a Georgian name in an English sentence prints in Noto Sans
Georgian while the sentence keeps its look.

A fallback family is registered with reportlab the first time a pack needs it: parsing
a font costs time, and most packs need none.
"""

from __future__ import annotations

import re
from functools import cache

from reportlab.lib.fonts import ps2tt
from reportlab.pdfbase import pdfmetrics

from briefgen.text.fonts import fallback_runs, outside
from briefgen.writers.pdf.fonts import emboldened, is_shaped, lacks_bold, register_fallback_face
from briefgen.writers.pdf.glyphs import marks_ahead
from briefgen.writers.pdf.reportlab_private import font_code_points


def face_runs(text: str, face: str, bold: bool = False) -> list[tuple[str, str]]:
    """``text`` cut into runs, each with the face that draws it (``fonts.fallback_runs``):
    ``face`` where it covers the characters, else a fallback face (its bold one when
    ``bold``, or when ``face`` is bold: a heading's). The marks of an emoji sequence
    go with the character they copy with (``glyphs.marks_ahead``)."""
    if not _lacks(face).search(text):
        return [(face, text)]
    bold = bold or _is_bold(face)
    runs = fallback_runs(text, _code_points(face), bold)
    for run_face, _ in runs:
        if run_face is not None:
            register_fallback_face(run_face)
    faced = [(face if run_face is None else _drawn(run_face, bold), run) for run_face, run in runs]
    return marks_ahead(faced)


def _drawn(face: str, bold: bool) -> str:
    """The face a run of fallback ``face`` is drawn in: ``face`` emboldened where the
    text is bold and the family has no bold face (``fonts.lacks_bold``)."""
    return emboldened(face) if bold and lacks_bold(face) else face


def needs_shaping(text: str, face: str) -> bool:
    """Whether some character of ``text`` set in ``face`` is drawn with a fallback face
    that HarfBuzz must shape (Indic conjuncts and vowel signs, Thai marks, Hebrew points)."""
    return any(is_shaped(run_face) for run_face, _ in face_runs(text, face))


@cache
def _is_bold(face: str) -> bool:
    try:
        return bool(ps2tt(face)[1])
    except ValueError:  # a face reportlab knows no family of
        return False


@cache
def _lacks(face: str) -> re.Pattern[str]:
    """Matches a character ``face`` has no glyph for (one pattern per face: the faces of
    a family cover the same characters, and comparing their sets costs more than this)."""
    return outside(_code_points(face))


@cache
def _code_points(face: str) -> frozenset[int]:
    return frozenset(font_code_points(pdfmetrics.getFont(face)))
