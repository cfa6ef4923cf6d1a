"""The shipped fonts: real faces, coverage, the fast uncovered-character check."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFontFile

from briefgen.text import fonts


def test_every_face_and_the_licence_are_shipped() -> None:
    for face in fonts.FACES:
        assert fonts.font_path(face).is_file()
    licence = (fonts.FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "notofonts/arabic" in licence


def test_bold_and_italic_are_real_faces_not_copies() -> None:
    regular, bold, italic = (
        TTFontFile(str(fonts.font_path(face)))
        for face in (fonts.SANS, fonts.SANS_BOLD, fonts.SANS_ITALIC)
    )
    width = ord("m")
    assert bold.charWidths[width] > regular.charWidths[width]  # heavier stems, wider glyph
    assert italic.italicAngle < 0
    assert regular.italicAngle == 0


def test_scripts_are_covered() -> None:
    text = "Ça, ñ, ő, ș, ł — «€» Ελληνικά Русский Tiếng Việt المحكمة ﻻ"
    assert fonts.uncovered_characters(text) == []


def test_whitespace_and_controls_count_as_covered() -> None:
    assert fonts.uncovered_characters("a\nb\tc\r\u00a0d\u2003e\x0b") == []


def test_emoji_and_cjk_are_reported_once_each_sorted() -> None:
    assert fonts.uncovered_characters("vote 🗳️ 🗳 法 法") == sorted({"🗳", "法"})


def test_uncovered_characters_in_megabytes_of_text() -> None:
    text = ("The Assembly of States Parties adopted the budget. Ελληνικά Русский. " * 80_000)[
        :5_000_000
    ]
    assert fonts.uncovered_characters(text + "😀") == ["😀"]


@given(st.text(max_size=200))
def test_uncovered_characters_are_those_outside_the_coverage_table(text: str) -> None:
    """The regular expression agrees with the table, character by character."""
    covered = fonts.covered_codepoints()
    expected = {c for c in text if ord(c) not in covered and not fonts._never_rendered(c)}
    assert fonts.uncovered_characters(text) == sorted(expected)


def test_the_coverage_table_matches_the_fonts_character_maps() -> None:
    from briefgen.writers.pdf.fonts import cmap

    # reportlab's parser also lists U+FFFF, the end marker of a format 4 cmap: no character.
    mapped = frozenset().union(*(cmap(face) for face in fonts.FACES)) - {0xFFFF}
    assert fonts.covered_codepoints() == mapped, "rerun tools/make_fonts.py"
    assert fonts.COVERAGE_FILE.read_text(encoding="ascii") == fonts.coverage_text(mapped)


def test_the_widths_table_matches_the_fonts() -> None:
    """compose measures with ``widths.json``; it must agree with the fonts themselves."""
    from fontTools.ttLib import TTFont

    from briefgen.text.metrics import WIDTHS_FILE, advance_widths

    tables = json.loads(WIDTHS_FILE.read_text(encoding="ascii"))
    for face in fonts.FACES:
        assert tables[face] == advance_widths(TTFont(fonts.font_path(face))), "rerun make_fonts"


@given(st.text(max_size=40), st.sampled_from(fonts.FACES), st.sampled_from([8.8, 10, 17.0]))
def test_measured_widths_are_those_the_pdf_writer_measures(
    text: str, face: str, size: float
) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from briefgen.text.fonts import shipped_face
    from briefgen.text.metrics import string_width
    from briefgen.writers.pdf.fonts import register_pdf_fonts

    register_pdf_fonts()
    assert string_width(text, shipped_face(face), size) == stringWidth(text, face, size)


def test_a_field_in_an_unprinted_script_is_one_warning_naming_a_few_characters() -> None:
    """Georgian, not yet in the shipped fonts: one warning for the field, at its first
    character, not one per character."""
    from briefgen.input.source import SourceDocument
    from briefgen.text.coverage import coverage_warnings

    text = "title: 'Speech ქართული ენა 🎉'\n"
    source = SourceDocument("case.yaml", {"title": "Speech ქართული ენა 🎉"}, text)
    (warning,) = coverage_warnings(source)
    assert (warning.line, warning.column, warning.field) == (1, 16, "title")
    assert warning.message.startswith("no font covers the characters 'ქ' (U+10E5), 'ა' (U+10D0)")
    assert "more: they print as empty boxes" in warning.message
    assert warning.severity == "warning"
