"""The fonts shipped with briefgen: where they are, what they cover, how reportlab gets them.

The ``.ttf`` files in ``fonts/`` are static, subset Noto faces cut by
``tools/make_fonts.py`` (see ``fonts/README.md``). Coverage is read from their
cmaps with reportlab's own TrueType parser, so fontTools stays a dev dependency.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

FONT_DIR = Path(__file__).resolve().parent / "fonts"

SANS = "NotoSans-Regular"
SANS_BOLD = "NotoSans-Bold"
SANS_ITALIC = "NotoSans-Italic"
SANS_BOLD_ITALIC = "NotoSans-BoldItalic"
ARABIC = "NotoSansArabic-Regular"
ARABIC_BOLD = "NotoSansArabic-Bold"

FACES = (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC, ARABIC, ARABIC_BOLD)
SHAPED_FACES = (ARABIC, ARABIC_BOLD)  # the faces the PDF writer shapes with HarfBuzz


_WIDTH_CACHE_LIMIT = 400_000


class _MemoWidthTTFont(TTFont):  # type: ignore[misc]
    """A TTFont that memoises string widths per unit size.

    Paragraph layout measures every word, and prose repeats words a lot; without
    reportlab's optional C accelerator each measurement is a Python loop.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._unit_widths: dict[str, float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        widths = self._unit_widths
        unit = widths.get(text)
        if unit is None:
            if not isinstance(text, str):
                return float(super().stringWidth(text, size, encoding))
            if len(widths) >= _WIDTH_CACHE_LIMIT:
                widths.clear()
            get, default = self.face.charWidths.get, self.face.defaultWidth
            unit = widths[text] = 0.001 * sum([get(ord(char), default) for char in text])
        return unit * size


def font_path(face: str) -> Path:
    return FONT_DIR / f"{face}.ttf"


@cache
def register_pdf_fonts() -> None:
    """Register every face with reportlab once per process (parsing a TTF costs time).

    Each face name is also mapped to its family's bold/italic faces, so ``<b>`` and
    ``<i>`` in a paragraph pick real faces. Arabic has no italic: italic maps upright.
    """
    for face in FACES:
        font = _MemoWidthTTFont(face, str(font_path(face)))
        if face in SHAPED_FACES:
            _fix_private_glyph_codes(font)
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        "NotoSans", normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
    )
    pdfmetrics.registerFontFamily(
        "NotoSansArabic", normal=ARABIC, bold=ARABIC_BOLD, italic=ARABIC, boldItalic=ARABIC_BOLD
    )


def _fix_private_glyph_codes(font: TTFont) -> None:
    """Give every glyph that has no character its private-use code point now, in glyph order.

    Shaping yields glyphs no character maps to (Arabic joining forms); reportlab gives
    each a private-use code point on the font object as it first meets it, for the rest
    of the process. A pack's bytes would then depend on what the process built before.
    """
    hb_font = font.hbFont()
    for gid in range(1, font.face.numGlyphs):
        if gid not in font.face.glyphToChar:
            name = hb_font.glyph_to_string(gid)
            font.hbAddPrivate(name, gid, hb_font.get_glyph_h_advance(gid))


@cache
def cmap(face: str) -> frozenset[int]:
    """The code points that ``face`` maps to a glyph."""
    return frozenset(TTFontFile(str(font_path(face))).charToGlyph)


@cache
def covered_codepoints() -> frozenset[int]:
    """Every code point some shipped face can draw (the italics cover what the uprights do)."""
    return cmap(SANS) | cmap(ARABIC)


def _never_rendered(char: str) -> bool:
    """Whitespace, control and format characters and variation selectors: no glyph of their own."""
    return (
        char.isspace()
        or unicodedata.category(char) in ("Cc", "Cf")
        or "\ufe00" <= char <= "\ufe0f"
    )


def uncovered_characters(text: str) -> list[str]:
    """The distinct characters of ``text`` that no shipped font can draw, sorted.

    Fast on megabytes of text: it looks at each distinct character once.
    """
    covered = covered_codepoints()
    return sorted(
        char for char in set(text) if ord(char) not in covered and not _never_rendered(char)
    )
