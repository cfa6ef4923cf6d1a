"""Bold text in a script whose family has no bold face (Chinese, Japanese and Korean;
Mongolian, shaped as its regular face shapes it; symbols and emoji) is drawn
emboldened in the PDF: its face's glyphs filled and stroked in the text's colour
(render mode 2), as Word, LibreOffice and browsers embolden such a font. Bold text in
a fallback family that has a bold face (Georgian) takes that face, in strong text as
in headings. The text copies as typed, and what follows is drawn filled again with the
canvas's own stroke."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfbase import pdfmetrics

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.text.fonts import EMOJI
from briefgen.text.fonts import MONGOLIAN as MONGOLIAN_FACE
from briefgen.writers.pdf.fonts import (
    EMBOLDENING_STROKE,
    emboldened,
    register_fallback_face,
    register_pdf_fonts,
)
from tests.conftest import ROOT
from tests.test_scripts_pdf import drawn_with

HEADING = "预算与合作"  # a plenary's title: a heading, bold in the default look
STRONG = "关键"  # strong text in a statement's text
PLAIN = "缔约国"  # the same face, not bold
GEORGIAN = "საქართველო"  # left to right, in a family with a bold face
MONGOLIAN = "ᠮᠣᠩᠭᠣᠯ"  # a shaped family without a bold face: its letters join
EMBOLDENED_CJK = "NotoSansCJKsc-Regular,Bold"
EMBOLDENED_MONGOLIAN = "NotoSansMongolian-Regular,Bold"

SESSION = f"""\
session:
  id: bold-scripts
  name: Bold text in every script
  start: 2025-03-10
  end: 2025-03-10
organizations:
  - id: ngo
    name: Example NGO
plenaries:
  - id: opening
    title: {HEADING}
    date: 2025-03-10
    statements:
      - id: first
        by: ngo
        title: Statement
        text: |
          The **{STRONG}** point, and {PLAIN} in plain text.

          A paragraph set as reportlab markup: **{GEORGIAN}** in strong text.

          Shaped: **{MONGOLIAN}** in strong text, {MONGOLIAN} in plain text.
"""


@dataclass(frozen=True)
class Shown:
    """A text-showing operator, with the state it draws in."""

    face: str  # the BaseFont without its subset tag
    mode: int  # text render mode
    fill: tuple[float, ...]
    stroke: tuple[float, ...]
    line_width: float
    size: float


def shown(pdf: Path) -> list[Shown]:
    """Every text-showing operator of the PDF's pages, with its face, render mode,
    colours, line width and size; the graphics state is followed through ``q``/``Q``."""
    reader = PdfReader(pdf)
    found: list[Shown] = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        stack: list[tuple[int, tuple[float, ...], tuple[float, ...], float]] = []
        mode, fill, stroke, width = 0, (0.0,), (0.0,), 1.0
        face, size = "", 0.0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            values = tuple(float(o) for o in operands if isinstance(o, (int, float)))
            match operator:
                case b"q":
                    stack.append((mode, fill, stroke, width))
                case b"Q":
                    mode, fill, stroke, width = stack.pop()
                case b"Tr":
                    mode = int(values[0])
                case b"w":
                    width = values[0]
                case b"rg" | b"g":
                    fill = values
                case b"RG" | b"G":
                    stroke = values
                case b"Tf":
                    font = fonts[operands[0]].get_object()
                    face = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
                    size = values[0]
                case b"Tj" | b"TJ" | b"'" | b'"':
                    found.append(Shown(face, mode, fill, stroke, width, size))
    return found


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bold")
    source = folder / "bold-scripts.yaml"
    source.write_text(SESSION, encoding="utf-8")
    result = build_pack(source, BuildOptions(("pdf",), folder / "out", force=True))
    return result.artifacts[0].path


def test_bold_cjk_text_is_drawn_in_the_emboldened_face(pack: Path) -> None:
    faces = drawn_with(pack)
    for char in HEADING:  # the heading; its contents line is regular
        assert EMBOLDENED_CJK in faces[char], char
    for char in STRONG:
        assert faces[char] == {EMBOLDENED_CJK}, char
    for char in PLAIN:
        assert faces[char] == {"NotoSansCJKsc-Regular"}, char


def test_the_emboldened_face_is_filled_and_stroked_in_the_texts_colour(pack: Path) -> None:
    drawn = shown(pack)
    emboldened = [s for s in drawn if s.face == EMBOLDENED_CJK]
    assert {s.size for s in emboldened} >= {10.5}  # the strong text, the heading larger
    assert max(s.size for s in emboldened) > 15
    for text in emboldened:
        assert text.mode == 2
        assert text.stroke == text.fill  # no outline of another colour
        assert text.line_width == pytest.approx(EMBOLDENING_STROKE * text.size)


def test_text_in_other_faces_is_filled_only(pack: Path) -> None:
    """What follows emboldened text, in the same text object or the next, is drawn as
    before: the render mode is put back (it outlives the text object)."""
    others = [s for s in shown(pack) if s.face not in (EMBOLDENED_CJK, EMBOLDENED_MONGOLIAN)]
    assert len(others) > 20
    assert all(s.mode == 0 for s in others)


def test_strong_text_in_a_family_with_a_bold_face_takes_that_face(pack: Path) -> None:
    """reportlab's parser takes a ``<font face>``'s weight from its name, not from the
    ``<b>`` around it: the markup names the bold face. (A paragraph with CJK text is
    laid out by briefgen's own line breaking, which chose the bold face already.)"""
    faces = drawn_with(pack)
    for char in GEORGIAN:
        assert faces[char] == {"NotoSansGeorgian-Bold"}, char


def test_bold_text_in_a_shaped_family_without_bold_is_emboldened(pack: Path) -> None:
    faces = drawn_with(pack)
    for char in MONGOLIAN:
        assert faces[char] == {EMBOLDENED_MONGOLIAN, "NotoSansMongolian-Regular"}, char
    emboldened_runs = [s for s in shown(pack) if s.face == EMBOLDENED_MONGOLIAN]
    assert emboldened_runs and all(s.mode == 2 for s in emboldened_runs)


def test_the_emboldened_face_shapes_as_its_regular_face() -> None:
    """Mongolian letters join (their joined forms are narrower than the letters drawn
    apart): the emboldened face is shaped with HarfBuzz, as the regular one is."""
    from briefgen.writers.pdf.pieces import _visual

    register_pdf_fonts()
    register_fallback_face(MONGOLIAN_FACE)
    bold = emboldened(MONGOLIAN_FACE)
    _, regular_width, _ = _visual(MONGOLIAN, False, MONGOLIAN_FACE, 10.0)
    _, bold_width, _ = _visual(MONGOLIAN, False, bold, 10.0)
    apart = pdfmetrics.stringWidth(MONGOLIAN, MONGOLIAN_FACE, 10.0)
    assert bold_width == pytest.approx(regular_width)
    assert abs(regular_width - apart) > 0.5


def test_emboldened_text_copies_as_typed(pack: Path) -> None:
    text = "".join(page.extract_text() for page in PdfReader(pack).pages)
    assert HEADING in text
    assert f"The {STRONG} point, and {PLAIN} in plain text." in text
    assert f"{GEORGIAN} in strong text." in text
    assert f"Shaped: {MONGOLIAN} in strong text, {MONGOLIAN} in plain text." in text


def test_the_chinese_packs_headings_are_emboldened(tmp_path: Path) -> None:
    source = ROOT / "tests" / "data" / "zh" / "asp23-zh.yaml"
    result = build_pack(source, BuildOptions(("pdf",), tmp_path, force=True))
    faces = drawn_with(result.artifacts[0].path)
    for char in "开幕会议":  # the first plenary's title
        assert EMBOLDENED_CJK in faces[char], char


def test_a_face_and_its_emboldened_face_number_their_glyphs_apart() -> None:
    """Each font gives the glyphs it draws for other text (an emoji sequence's marks)
    private codes of its own numbering: two fonts of one file must not write them into
    one table, where the second's code for a smile would make the first's party popper one."""
    register_pdf_fonts()
    register_fallback_face(EMOJI)
    regular = pdfmetrics.getFont(EMOJI)
    bold = pdfmetrics.getFont(emboldened(EMOJI))
    party, smile = regular.face.charToGlyph[0x1F389], regular.face.charToGlyph[0x1F600]
    party_code = regular.glyph_codes.code(party, "\U0001f389\ufe0f canary")
    smile_code = bold.glyph_codes.code(smile, "\U0001f600\ufe0f canary")
    assert regular.face.charToGlyph[ord(party_code)] == party
    assert bold.face.charToGlyph[ord(smile_code)] == smile
