"""The look's faces inside the page: each cut to the characters it draws, as WOFF2.

The body writer notes every run of text with the weight and slant it is drawn in
(``FontUsage``). Each face then holds only those characters: HarfBuzz cuts the subset
(in C, in a millisecond; fontTools' own subsetter takes a quarter of a second per
face, reading the kerning tables in Python) with the layout features that shape
Arabic and kern Latin, and fontTools wraps it as WOFF2 (brotli). A face no text uses
is left out, and so is the Arabic family when the text face draws every character.
Compressing is the slow part (tens of milliseconds a face), so subsets are kept
between builds (``facecache``).

The page names the look's families in ``font-family``: the text family first, then
the Arabic one, then the fallback families (Hebrew, Georgian, Devanagari, symbols
...), so that a browser takes each character from the first face that has it, as the
PDF does; a fallback face is embedded only for the characters it draws.
``font-synthesis: weight`` draws italic with the upright face where a family has no
italic, as the PDF does, and emboldens bold text in a family without a bold face
(Chinese, Japanese and Korean; Mongolian; symbols and emoji), as the PDF does.
"""

from __future__ import annotations

import base64
import io
import struct
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.look import Fonts
from briefgen.text.fonts import (
    FALLBACK_FAMILIES,
    FAMILIES,
    SLOTS,
    Face,
    FallbackFamily,
    covered_codepoints,
    fallback_families,
    fallback_runs,
    later_faces,
    shipped_face,
)
from briefgen.text.metrics import shipped_codepoints, string_width
from briefgen.writers.html.facecache import cached_subset
from briefgen.writers.html.styles import css_string

# Kept in every face: the spaces a browser may draw between words.
_ALWAYS = " \u00a0"
# What a shaper draws some characters as, each part looked up in the face on its own:
# HarfBuzz's Thai and Lao shapers draw SARA AM as NIKHAHIT and SARA AA. A subset without
# the parts has none of its glyphs, and a browser drops the syllable (จำ of จำนวน).
_SHAPED_AS = {0x0E33: (0x0E4D, 0x0E32), 0x0EB3: (0x0ECD, 0x0EB2)}
# Name records kept: the default (family, style, version) and the licence (13, 14).
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)


@dataclass
class FontUsage:
    """The text drawn in each weight and slant (bold, italic), as the writer meets it."""

    runs: defaultdict[tuple[bool, bool], list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, text: str, *, bold: bool, italic: bool) -> None:
        self.runs[bold, italic].append(text)

    def characters(self) -> dict[tuple[bool, bool], frozenset[int]]:
        return {
            style: frozenset(map(ord, set("".join(texts) + _ALWAYS)))
            for style, texts in sorted(self.runs.items())
        }


@dataclass(frozen=True, slots=True)
class _Declared:
    """One ``@font-face``: a family's face, under the weight and slant it is declared as."""

    family: str
    face: Face
    bold: bool
    italic: bool


@dataclass(frozen=True, slots=True)
class PageFaces:
    """The page's ``@font-face`` rules, and the fallback families ``font-family`` names:
    None for all of them; on a page with CJK text (a family after the shipped ones
    draws), only those the page carries, since a reader's installed font of a family
    the page names but does not carry would draw its characters first (an installed
    Noto Sans Mongolian has 、。《》「」, in its own forms)."""

    rules: str
    fallbacks: frozenset[str] | None


def font_face_rules(fonts: Fonts, usage: FontUsage) -> PageFaces:
    """The ``@font-face`` rules of the faces the page uses, each subset and embedded."""
    wanted: dict[_Declared, set[int]] = defaultdict(set)
    only_carried = False
    for (bold, italic), characters in usage.characters().items():
        text_face = _text_declared(fonts, bold, italic)
        wanted[text_face] |= characters
        rest = characters - codepoints(text_face.face)
        arabic = _arabic_declared(fonts.arabic, bold)
        if rest & codepoints(arabic.face):
            wanted[arabic] |= rest
        rest -= codepoints(arabic.face)
        later = _drawn_later(usage.runs[bold, italic], characters, rest, bold)
        only_carried = only_carried or bool(later.get(None))
        for fallback in fallback_families():  # in the order font_family lists them
            if not rest:
                break  # read no further family's table (the last resort's is large)
            declared = _fallback_declared(fallback, bold)
            drawn = rest & codepoints(declared.face)
            if fallback in FALLBACK_FAMILIES:
                drawn -= later.get(None, set()) - later.get(declared.face.name, set())
            if drawn:
                wanted[declared] |= drawn
                rest -= drawn
    rules = []
    for declared in sorted(wanted, key=_order):
        data = _embedded(declared.face.path, _with_shaped_parts(wanted[declared], declared.face))
        rules.append(
            "@font-face{"
            f"font-family:{css_string(declared.family)};"
            f"src:url(data:font/woff2;base64,{base64.b64encode(data).decode('ascii')})"
            ' format("woff2");'
            f"font-weight:{700 if declared.bold else 400};"
            f"font-style:{'italic' if declared.italic else 'normal'};"
            "font-display:block}"
        )
    carried = frozenset(declared.family for declared in wanted)
    return PageFaces("\n".join(rules), carried if only_carried else None)


def _drawn_later(
    texts: list[str], characters: frozenset[int], rest: frozenset[int], bold: bool
) -> dict[str | None, set[int]]:
    """Where the page has text only a later family draws (a look's own, the CJK face),
    the characters of ``rest`` (those the text faces lack) each face draws in the PDF's
    runs (``fallback_runs``), and under None those the later families' runs draw.
    Punctuation a shipped family also has (Mongolian's 、。《》「」) is then left out of
    that family's subset unless its own runs draw it, so that the browser takes it, as
    the PDF does, from the face of the text it is in: a full stop after Chinese from the
    CJK face. Empty for a page the shipped families draw, which is cut as before."""
    if rest <= covered_codepoints():
        return {}
    later = later_faces()
    drawn: dict[str | None, set[int]] = defaultdict(set)
    text_faces_cover = characters - rest
    for text in texts:
        for face, piece in fallback_runs(text, text_faces_cover, bold):
            if face is not None:
                points = set(map(ord, piece)) & rest
                drawn[face] |= points
                if face in later:
                    drawn[None] |= points
    return drawn


def _with_shaped_parts(characters: set[int], face: Face) -> frozenset[int]:
    """``characters`` and the parts (``_SHAPED_AS``) of those the face shapes as others."""
    parts = {part for point in characters for part in _SHAPED_AS.get(point, ())}
    return frozenset(characters | (parts & codepoints(face)))


def text_width(face: Face, text: str) -> float:
    """The advance width of ``text`` set in ``face`` at a size of 1."""
    if face.shipped:
        return string_width(text, face, 1.0)
    import uharfbuzz

    font_face = uharfbuzz.Face(uharfbuzz.Blob(face.path.read_bytes()))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(uharfbuzz.Font(font_face), buffer)
    advance: int = sum(position.x_advance for position in buffer.glyph_positions)
    upem: int = font_face.upem
    return advance / upem


def codepoints(face: Face) -> frozenset[int]:
    """The code points a face has glyphs for."""
    if face.shipped:
        return shipped_codepoints(face.name)
    return _file_codepoints(face)


@cache
def _file_codepoints(face: Face) -> frozenset[int]:
    import uharfbuzz

    return frozenset(uharfbuzz.Face(uharfbuzz.Blob(face.path.read_bytes())).unicodes)


def _text_declared(fonts: Fonts, bold: bool, italic: bool) -> _Declared:
    """The text face of that weight and slant, declared as the first slot with its file
    (a family without italics has its upright files stand in)."""
    faces = fonts.faces()
    face = fonts.face(bold=bold, italic=italic)
    slot = next(slot for slot in SLOTS if faces[slot].path == face.path)
    return _Declared(fonts.family, faces[slot], "Bold" in slot, "Italic" in slot)


def _arabic_declared(family: str, bold: bool) -> _Declared:
    return _Declared(family, _arabic_face(family, "Bold" if bold else "Regular"), bold, False)


def _fallback_declared(fallback: FallbackFamily, bold: bool) -> _Declared:
    """A fallback family's face; bold text in a family without a bold face is declared
    as its regular one, which the browser emboldens for bold text."""
    has_bold = fallback.bold != fallback.regular
    face = shipped_face(fallback.bold if bold and has_bold else fallback.regular)
    return _Declared(fallback.family, face, bold and has_bold, False)


@cache
def _arabic_face(family: str, slot: str) -> Face:
    return shipped_face(FAMILIES[family][slot])


def _order(declared: _Declared) -> tuple[str, bool, bool]:
    return declared.family, declared.bold, declared.italic


def _embedded(path: Path, characters: frozenset[int]) -> bytes:
    """The subset of the face at ``path`` as WOFF2. The look's check has HarfBuzz cut
    all of a face of the user's; fontTools may still find glyphs it cannot pack (damaged
    outlines of characters the check cannot afford to pack): an error naming the file,
    not a crash."""
    from fontTools.ttLib import TTLibError

    try:
        return cached_subset(path, characters, _woff2)
    except (RuntimeError, TTLibError, struct.error, IndexError, KeyError, ValueError) as error:
        message = f"the web edition cannot embed this font: the file is damaged ({error!r:.80})"
        raise UserError([Diagnostic(str(path), 0, 0, "", message)]) from None


def _woff2(font: bytes, characters: frozenset[int]) -> bytes:
    """The face ``font`` cut to ``characters`` (and what shaping them needs), as WOFF2."""
    import uharfbuzz
    from fontTools.ttLib import woff2

    subset_input = uharfbuzz.SubsetInput()
    subset_input.flags = uharfbuzz.SubsetFlags.NO_HINTING
    for point in sorted(characters):
        subset_input.unicode_set.add(point)
    for name_id in _NAME_IDS:
        subset_input.sets(uharfbuzz.SubsetInputSets.NAME_ID).add(name_id)
    subset = uharfbuzz.subset(uharfbuzz.Face(uharfbuzz.Blob(font)), subset_input)
    if subset is None:
        raise RuntimeError("HarfBuzz could not subset a font")
    out = io.BytesIO()
    woff2.compress(io.BytesIO(bytes(subset.blob.data)), out)
    return out.getvalue()
