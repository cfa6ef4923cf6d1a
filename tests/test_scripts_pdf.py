"""Every script of the States Parties prints in the PDF, and emoji: each character is
drawn with a face that has its glyph (the text's own face, else the first fallback
family covering it), never as an empty box.

The check reads the PDF back: for each string drawn, the font it is drawn with (pypdf's
text visitor) and that font's own character map (the shipped TrueType file, read with
fontTools), not just the text layer.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.handouts.build import build_handouts
from briefgen.look import default_look
from briefgen.text.fonts import EMOJI, FONT_DIR, SANS, SHAPED_FACES, font_path
from briefgen.writers.pdf.fallback import face_runs
from briefgen.writers.pdf.fonts import register_pdf_fonts
from tests.conftest import CASES, ROOT

MANY_SCRIPTS = CASES / "valid" / "many-scripts.yaml"


def drawn_with(pdf: Path) -> dict[str, set[str]]:
    """Each character drawn in ``pdf``, with the faces (PostScript names) it is drawn in."""
    faces: dict[str, set[str]] = defaultdict(set)
    for page in PdfReader(pdf).pages:

        def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
            if font is None:
                return
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            for char in text:
                if not char.isspace():
                    faces[char].add(name)

        page.extract_text(visitor_text=visit)
    return faces


def drawn_from(pdf: Path) -> dict[str, set[str]]:
    """Each character drawn in ``pdf``, with the fonts it is drawn from: its faces, a
    face drawn emboldened (``NotoSansCJKsc-Regular,Bold``) counted as its regular one."""
    return {
        char: {face.removesuffix(",Bold") for face in faces}
        for char, faces in drawn_with(pdf).items()
    }


@cache
def cmap_of(face: str) -> frozenset[int]:
    return frozenset(TTFont(FONT_DIR / f"{face}.ttf").getBestCmap())


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("scripts")
    result = build_pack(MANY_SCRIPTS, BuildOptions(formats=("pdf",), output_dir=output))
    return next(result.folder.glob("*.pdf"))


@pytest.mark.parametrize(
    ("sample", "family"),
    [
        ("საქართველოს", "NotoSansGeorgian"),
        ("Հելսինկյան", "NotoSansArmenian"),
        ("האגודה", "NotoSansHebrew"),
        ("वक्तव्य", "NotoSansDevanagari"),
        ("বিবৃতি", "NotoSansBengali"),
        ("แถลงการณ์", "NotoSansThai"),
        ("መግለጫ", "NotoSansEthiopic"),
        ("ᠮᠣᠩᠭᠣᠯ", "NotoSansMongolian"),
    ],
)
def test_a_script_the_text_face_lacks_prints_in_its_own_family(
    pdf: Path, sample: str, family: str
) -> None:
    faces = drawn_with(pdf)
    for char in sample:
        assert faces[char], f"{char!r} (U+{ord(char):04X}) is not in the PDF's text"
        assert all(face.startswith(family) for face in faces[char]), (char, faces[char])


def test_symbols_of_policy_text_print(pdf: Path) -> None:
    faces = drawn_from(pdf)
    for char in "≥≤≈≠∞✓✗★●■□←→":
        assert faces[char], f"{char!r} (U+{ord(char):04X}) is not in the PDF's text"
        assert all(ord(char) in cmap_of(face) for face in faces[char]), (char, faces[char])


EMOJI_SAMPLE = "🎉🌍✊👍🕊😀🤝⭐✅🚀"  # many-scripts.yaml's emoji statement


def test_emoji_print_in_symbola_in_headings_and_text(pdf: Path) -> None:
    """The statement's title (bold) and summary: every emoji in Symbola, which has no
    bold (the title's emboldened: ``Symbola-Regular,Bold``), and the words around them
    in Noto Sans."""
    faces = drawn_with(pdf)
    for char in EMOJI_SAMPLE:
        assert {face.removesuffix(",Bold") for face in faces[char]} == {EMOJI}, char
        assert ord(char) in cmap_of(EMOJI)
    for char in "🎉🌍✊👍":  # in the title too
        assert f"{EMOJI},Bold" in faces[char], (char, faces[char])
    assert faces["S"] >= {"NotoSans-Bold"}  # "Solidarity", the heading


def embedded_glyphs(pdf: Path, face: str) -> dict[str, Any]:
    """Each character drawn in ``face`` in ``pdf``, with the glyph the embedded subset
    draws it with (read back with fontTools: the subset's code from its ToUnicode CMap,
    its glyph from the subset's own character map, which has the codes drawn)."""
    from fontTools.ttLib import TTFont as Font

    glyphs: dict[str, Any] = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if not str(font["/BaseFont"]).endswith("+" + face):
                continue
            data = font["/FontDescriptor"]["/FontFile2"].get_data()
            subset = Font(io.BytesIO(data))
            codes = {
                code: name for table in subset["cmap"].tables for code, name in table.cmap.items()
            }
            cmap = font["/ToUnicode"].get_data().decode("ascii")
            for code, utf16 in re.findall(r"<([0-9A-F]{2})> <((?:[0-9A-F]{4})+)>", cmap):
                text = bytes.fromhex(utf16).decode("utf-16-be")
                if int(code, 16) in codes and not text.isspace():  # a code the subset draws
                    glyphs[text] = subset["glyf"][codes[int(code, 16)]]
    return glyphs


def test_emoji_are_embedded_as_symbola_s_own_outlines(pdf: Path) -> None:
    """Not boxes: the glyph the PDF draws each emoji with is the pictograph of the
    shipped face, outline for outline."""
    shipped = TTFont(font_path(EMOJI))
    table = shipped["glyf"]
    box = table[".notdef"].getCoordinates(table)[0]
    glyphs = embedded_glyphs(pdf, EMOJI)
    assert set(EMOJI_SAMPLE) <= set(glyphs)
    for char in EMOJI_SAMPLE:
        outline = glyphs[char].getCoordinates(None)[0]
        assert len(outline) > 8 and outline != box, char  # a pictograph, not an empty box
        assert outline == table[shipped.getBestCmap()[ord(char)]].getCoordinates(table)[0], char


def test_no_character_is_drawn_with_a_face_that_lacks_it(pdf: Path) -> None:
    missing = {
        char: sorted(faces)
        for char, faces in drawn_from(pdf).items()
        if any(ord(char) not in cmap_of(face) for face in faces)
    }
    assert missing == {}


def test_latin_text_keeps_its_face_next_to_another_script(pdf: Path) -> None:
    faces = drawn_with(pdf)
    assert faces["B"] <= {"NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic"}
    assert faces["≥"] != faces["B"]


def test_a_heading_in_another_script_is_bold_in_its_family(pdf: Path) -> None:
    faces = drawn_with(pdf)
    assert "NotoSansGeorgian-Bold" in faces["გ"]  # the heading "განცხადება ..."
    assert "NotoSansGeorgian-Regular" in faces["გ"]  # the summary under it


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_every_word_copies_as_typed(pdf: Path) -> None:
    """Shaped scripts (conjuncts, vowel signs placed before their consonant, Hebrew
    without the Yiddish ligature of yod and vav) come out of the PDF as typed."""
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    source = MANY_SCRIPTS.read_text(encoding="utf-8")
    words = {
        word.strip('.,:;!?()"\u0589\u1362\u0964')
        for line in source.splitlines()
        if not line.lstrip().startswith("#")
        for word in line.split()
        if not word.isascii()
    }
    words -= {"", "—"}
    assert len(words) > 60
    assert sorted(word for word in words if word not in text) == []


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("क्\u200dष", "NotoSansDevanagari"),  # a joiner inside a conjunct
        ("কেন্দ্র।", "NotoSansBengali"),  # the danda, which Devanagari has too
        ("नमस्ते, मित्र", "NotoSansDevanagari"),  # a comma and a space between
    ],
)
def test_a_run_in_a_fallback_face_goes_on_through_what_that_face_has(
    text: str, family: str
) -> None:
    register_pdf_fonts()
    runs = face_runs(text, SANS)
    assert len(runs) == 1, runs
    assert runs[0][0].startswith(family)


INVISIBLES = """\
pack:
  title: Invisible characters
session:
  id: invisible
  name: Session
  start: 2025-04-07
  end: 2025-04-09
organizations:
  - id: c
    name: "Word\\u2060joiner bom\\ufeffmark lrm\\u200emark vs\\ufe0fselector rlm\\u200fmark"
  - id: a
    name: "جمعية\\u200f الحقوق\\u2060 (RA)"
  - id: e
    name: "Judge \\U0001F469\\u200d\\u2696\\ufe0f dove \\U0001F54A\\ufe0f \\U0001F44D\\U0001F3FD"
plenaries:
  - id: p
    title: Plenary
    date: 2025-04-08
"""


@pytest.mark.parametrize("organisation", [0, 1, 2])
def test_default_ignorable_characters_draw_nothing(tmp_path: Path, organisation: int) -> None:
    """Marks of direction, the word joiner, the byte order mark, a variation selector:
    no glyph at all (neither a box nor the font's visible stand-in), in Latin text as
    in right-to-left text, and in emoji: a sequence joined by ZWJ draws as its
    pictographs (👩 ⚖), an emoji with VS16 as itself, a skin tone as its swatch. The
    joiner and the selector still copy, with a character drawn next to them: the code
    that copies as both draws that character's glyph."""
    source = tmp_path / "invisible.yaml"
    source.write_text(INVISIBLES, encoding="utf-8")
    result = build_pack(source, BuildOptions(formats=("pdf",), output_dir=tmp_path / "out"))
    pdf = next(result.folder.glob("*.pdf"))
    drawn = drawn_with(pdf)
    marks = set("\ufe0f\u200d")  # of emoji sequences
    invisible = set("\u2060\ufeff\u200e\u200f") | marks
    # HarfBuzz keeps a mark of direction inside shaped text as the font's own empty glyph
    # (in the text layer, where it belongs); anything else is not drawn at all.
    kept = {char: faces for char, faces in drawn.items() if char in invisible - marks}
    assert all(
        faces <= set(SHAPED_FACES) and all(ord(char) in cmap_of(face) for face in faces)
        for char, faces in kept.items()
    ), kept
    for face in {face for char in marks for face in drawn.get(char, ())}:
        for text, glyph in embedded_glyphs(pdf, face).items():
            shown = "".join(char for char in text if char not in invisible)
            assert len(shown) == 1 or not marks & set(text), (face, text)
            if shown != text:
                assert outline(glyph) == shipped_outline(face, shown), (face, text)
    expected = [{"W", "j"}, {"ج"}, {"👩", "⚖", "🕊", "👍", "🏽"}][organisation]
    assert expected <= set(drawn)
    if organisation == 2:
        assert drawn["👩"] == drawn["🕊"] == drawn["🏽"] == {EMOJI}


def outline(glyph: Any) -> Any:
    return glyph.getCoordinates(None)[0]


def shipped_outline(face: str, char: str) -> Any:
    """The outline of ``char``'s glyph in the shipped ``face``."""
    shipped = TTFont(font_path(face))
    table = shipped["glyf"]
    return table[shipped.getBestCmap()[ord(char)]].getCoordinates(table)[0]


LONG_THAI = "แนวร่วมเรียกร้องให้รัฐภาคีให้ความร่วมมือกับศาลอย่างเต็มที่" * 4
LONG_HINDI = "अंतर्राष्ट्रीयन्यायालयकेसाथसहयोग" * 5


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
@pytest.mark.parametrize("text", [LONG_THAI, LONG_HINDI])
def test_a_shaped_word_wider_than_the_line_is_cut_to_fit(tmp_path: Path, text: str) -> None:
    """Thai writes no spaces between words: a sentence is one word to the line breaker.
    Wider than the text area, it is cut between letters (never inside a conjunct) rather
    than running off the page."""
    source = tmp_path / "long.yaml"
    source.write_text(
        INVISIBLES.replace("title: Plenary", f"title: Plenary\n    summary: {text}"),
        encoding="utf-8",
    )
    result = build_pack(source, BuildOptions(formats=("pdf",), output_dir=tmp_path / "out"))
    pdf = next(result.folder.glob("*.pdf"))
    look = default_look()
    right_edge = float(PdfReader(pdf).pages[0].mediabox.width) - look.page.margins.right
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    script_words = [
        (float(x_max), word)
        for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]+)</word>', boxes)
        if not word.isascii()
    ]
    assert len(script_words) >= 2  # over several lines
    assert all(x_max <= right_edge + 0.5 for x_max, _ in script_words), script_words
    joined = "".join(word for _, word in script_words)
    assert text in joined  # cut where it may be, every letter kept, in order


def test_a_vowel_sign_written_before_its_consonant_is_drawn_before_it() -> None:
    """किया: the vowel sign ि (U+093F) follows क in the text but stands to its left; the
    glyphs the PDF writes for the word are HarfBuzz's, in that visual order (reportlab's
    own paragraph would write them as typed, the sign after its consonant)."""
    from reportlab.pdfbase import pdfmetrics

    from briefgen.writers.pdf.bidi import BidiParagraph
    from briefgen.writers.pdf.reportlab_private import glyph_id
    from briefgen.writers.pdf.styles import pdf_styles
    from briefgen.writers.pdf.text import Run

    register_pdf_fonts()
    flowable = BidiParagraph([Run("किया")], pdf_styles(default_look()).role("body"))
    (piece,) = [piece for piece in flowable.pieces if piece.kind == "text"]
    font = pdfmetrics.getFont(piece.font)
    assert piece.font.startswith("NotoSansDevanagari")
    drawn = [glyph_id(font, code) for code in piece.glyphs]
    assert drawn[1] == glyph_id(font, "\u0915")
    assert drawn[0] in _forms_of("NotoSansDevanagari-Regular", "uni093F")  # sized to क


def _forms_of(face: str, glyph: str) -> set[int]:
    """The glyph ``glyph`` of ``face`` and the ids of the forms its single
    substitutions (GSUB) may put in its place."""
    font = TTFont(FONT_DIR / f"{face}.ttf")
    order = font.getGlyphOrder()
    names = {glyph}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            mapping = getattr(getattr(table, "ExtSubTable", table), "mapping", None) or {}
            names |= {mapping[glyph]} if glyph in mapping else set()
    return {order.index(name) for name in names}


BOLD_SCRIPTS = ROOT / "tests" / "data" / "sessions" / "bold-scripts-ru.yaml"


def faces_of_words(pdf: Path) -> dict[str, set[str]]:
    """Each word drawn in ``pdf``, with the faces (PostScript names) it is drawn in."""
    faces: dict[str, set[str]] = defaultdict(set)
    for page in PdfReader(pdf).pages:

        def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
            if font is not None:
                name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
                for word in re.findall(r"\w+", text):
                    faces[word].add(name)

        page.extract_text(visitor_text=visit)
    return faces


@pytest.mark.parametrize("kind", ["pack", "handout"])
def test_bold_text_in_another_script_is_bold_in_its_family(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``**საქართველოს**`` in a summary, as ``**Жирный**``: the fallback face's bold."""
    monkeypatch.setenv("BRIEFGEN_OFFICE", "off")
    if kind == "pack":
        options = BuildOptions(formats=("pdf",), output_dir=tmp_path)
        built = next(build_pack(BOLD_SCRIPTS, options).folder.glob("*-briefing-pack.pdf"))
    else:
        folder = build_handouts(BOLD_SCRIPTS, tmp_path, formats=("pdf",)).folder
        built = next(folder.glob("*-handout-cah.pdf"))
    faces = faces_of_words(built)
    assert faces["Жирный"] == {"NotoSans-Bold"}
    assert faces["საქართველოს"] == {"NotoSansGeorgian-Bold"}
    assert faces["Հելսինկյան"] == {"NotoSansArmenian-Bold"}
    assert faces["ასოციაცია"] == {"NotoSansGeorgian-Regular"}  # italic: drawn upright
