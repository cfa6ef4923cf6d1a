"""Fonts registered with reportlab: the shipped ones once per process, a look's own
faces when a document names them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from briefgen.cachefolder import kept_parse
from briefgen.look import Fonts
from briefgen.text.fonts import (
    ARABIC,
    ARABIC_BOLD,
    SANS,
    SANS_BOLD,
    SANS_BOLD_ITALIC,
    SANS_ITALIC,
    SHAPED_FACES,
    fallback_family,
    font_path,
)
from briefgen.text.hyphenation import load_rules
from briefgen.writers.pdf.glyphs import GlyphCodes
from briefgen.writers.pdf.reportlab_private import (
    face_code_points,
    face_from_metrics,
    face_metrics,
    font_with_face,
    give_unmapped_glyphs_private_codes,
    glyph_widths,
    renamed_face,
    split_string,
    write_font_with_texts,
)

_WIDTH_CACHE_LIMIT = 400_000


class _MemoWidthTTFont(TTFont):  # type: ignore[misc]
    """A TTFont that memoises string widths per unit size, maps text to its codes
    without a Python loop per character once they are known, and encodes each glyph
    for the text it shows (``glyph_codes``, written into its ToUnicode CMaps).

    Paragraph layout measures every word, and prose repeats words a lot; without
    reportlab's optional C accelerator each measurement is a Python loop.
    """

    stroke = 0.0
    """Above 0 for a face drawn emboldened (``emboldened``): the width of the stroke
    around its glyphs, as a share of the text's size (``EmboldeningCanvas``)."""

    def __init__(self, name: str, face: TTFontFace) -> None:
        font_with_face(self, name, face)
        self._unit_widths: dict[str, float] = {}
        self.glyph_codes = GlyphCodes(self)

    def addObjects(self, doc: object) -> None:
        write_font_with_texts(self, doc, self.glyph_codes.cmap)

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        widths = self._unit_widths
        unit = widths.get(text)
        if unit is None:
            if not isinstance(text, str):
                return float(super().stringWidth(text, size, encoding))
            if len(widths) >= _WIDTH_CACHE_LIMIT:
                widths.clear()
            get, default = glyph_widths(self)
            unit = widths[text] = 0.001 * sum([get(ord(char), default) for char in text])
        return unit * size

    def splitString(
        self, text: str, doc: object, encoding: str = "utf-8"
    ) -> list[tuple[int, bytes]]:
        return split_string(self, text, doc)


def prepare_pdf(languages: tuple[str, ...]) -> None:
    """Register the faces and read the hyphenation rules of ``languages`` (``Format.prepare``):
    tens of milliseconds each, which a build overlaps with its composing."""
    register_pdf_fonts()
    for language in languages:
        load_rules(language)


@cache
def register_pdf_fonts() -> None:
    """Register the text and Arabic faces with reportlab once per process (parsing a TTF
    costs time); fallback faces are registered when a pack first needs one
    (``register_fallback_face``).

    Each face name is also mapped to its family's bold/italic faces, so ``<b>`` and
    ``<i>`` in a paragraph pick real faces. Arabic has no italic: italic maps upright.
    """
    for face in (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC, ARABIC, ARABIC_BOLD):
        _register(face)
    pdfmetrics.registerFontFamily(
        "NotoSans", normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD_ITALIC
    )
    pdfmetrics.registerFontFamily(
        "NotoSansArabic", normal=ARABIC, bold=ARABIC_BOLD, italic=ARABIC, boldItalic=ARABIC_BOLD
    )


def _register(face: str) -> None:
    font = _MemoWidthTTFont(face, parsed_face(font_path(face)))
    if face in SHAPED_FACES:
        _fix_private_glyph_codes(font)
    pdfmetrics.registerFont(font)


@cache
def register_fallback_face(face: str) -> None:
    """Register the fallback family of ``face`` (its regular and bold faces), once per
    process; italic text in it is drawn upright, and bold text in a family without a
    bold face emboldened (``emboldened``)."""
    family = fallback_family(face)
    for member in dict.fromkeys((family.regular, family.bold)):
        _register(member)
    bold = emboldened(family.regular) if lacks_bold(family.regular) else family.bold
    pdfmetrics.registerFontFamily(
        family.regular, normal=family.regular, bold=bold, italic=family.regular, boldItalic=bold
    )


@cache
def lacks_bold(face: str) -> bool:
    """Whether the fallback family of ``face`` has no bold face of its own to draw bold
    text with (Mongolian's, CJK's, the symbols')."""
    family = fallback_family(face)
    return family.bold == family.regular


@cache
def is_shaped(font: str) -> bool:
    """Whether text in the registered ``font`` is shaped with HarfBuzz: a face of
    ``SHAPED_FACES``, or one drawn emboldened (which shapes as its regular face: it
    shares its file and its glyphs' codes)."""
    return font.removesuffix(EMBOLDENED) in SHAPED_FACES


EMBOLDENED = "-Emboldened"
"""The end of the name a face is registered under again to be drawn emboldened."""
EMBOLDENING_STROKE = 0.04
"""The stroke that emboldens a face, as a share of the size: its stems grow by that
much, about what FreeType's emboldening adds (1/24 of the em)."""


@cache
def emboldened(face: str) -> str:
    """The name of ``face`` registered again, to draw bold text in a family that has no
    bold face (Chinese, Japanese and Korean; symbols): the PDF strokes its glyphs in the
    text's colour as well as filling them (``reportlab_private.EmboldeningCanvas``), as Word and
    LibreOffice embolden such a font and as browsers do for the HTML edition. A face of
    its own, so that its runs are told apart where they are drawn; it shares the parsed
    font, and the file embeds the glyphs bold text uses as a subset of their own, named
    as PDF names a font drawn bold from its regular face (``NotoSansCJKsc-Regular,Bold``)."""
    name = face + EMBOLDENED
    regular = pdfmetrics.getFont(face)
    font = _MemoWidthTTFont(name, renamed_face(regular.face, b",Bold"))
    font.stroke = EMBOLDENING_STROKE
    pdfmetrics.registerFont(font)
    return name


@cache
def register_look_faces(fonts: Fonts) -> str:
    """Register the look's text faces (a family it brings as files) and return the name
    of its regular face; bold and italic markup in a paragraph pick the family's faces."""
    faces = fonts.faces()
    for face in faces.values():
        if not face.shipped:
            pdfmetrics.registerFont(_MemoWidthTTFont(face.name, parsed_face(face.path)))
    regular = faces["Regular"].name
    if not faces["Regular"].shipped:
        pdfmetrics.registerFontFamily(
            regular,
            normal=regular,
            bold=faces["Bold"].name,
            italic=faces["Italic"].name,
            boldItalic=faces["BoldItalic"].name,
        )
    return regular


def _fix_private_glyph_codes(font: TTFont) -> None:
    """Give every glyph that has no character its private-use code point now, in glyph order.

    Shaping yields glyphs no character maps to (Arabic joining forms); reportlab gives
    each a private-use code point on the font object as it first meets it, for the rest
    of the process. A pack's bytes would then depend on what the process built before.
    """
    give_unmapped_glyphs_private_codes(font)


@cache
def cmap(face: str) -> frozenset[int]:
    """The code points that ``face`` maps to a glyph."""
    return frozenset(face_code_points(parsed_face(font_path(face))))


_FACE_FORM = b"briefgen-pdf-face-1"  # changes when what ``face_metrics`` keeps changes


def parsed_face(path: Path) -> TTFontFace:
    """The font file at ``path`` parsed by reportlab, or made from what an earlier build
    found parsing the same file (``briefgen.cachefolder``): reading a face's tables takes
    milliseconds, tens of them for a large face, which every build would pay again."""
    data = path.read_bytes()
    metrics = kept_parse(
        "pdf-faces",
        _FACE_FORM,
        data,
        ("reportlab",),
        lambda: face_metrics(TTFontFace(str(path))),
        dict,
    )
    return face_from_metrics(metrics, data, str(path))
