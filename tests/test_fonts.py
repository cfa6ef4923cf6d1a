# ruff: noqa: RUF001 (Chinese is written with full-width punctuation)
"""The shipped fonts: real faces, coverage, the fast uncovered-character check."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFontFile

from briefgen.text import fonts


def test_every_face_and_the_licence_are_shipped() -> None:
    for face in fonts.FACES:
        assert fonts.font_path(face).is_file()
        assert fonts.coverage_path(face).is_file()
    shipped = {path.stem for path in fonts.FONT_DIR.glob("*.ttf")}
    assert shipped == set(fonts.FACES), "a face nobody registers, or a face not shipped"
    assert {path.stem for path in fonts.COVERAGE_DIR.glob("*.txt")} == shipped
    licence = (fonts.FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    for source in ("notofonts/arabic", "notofonts/devanagari", "notofonts/thai", "notofonts/khmer"):
        assert source in licence
    not_noto_core = ("Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans Khmer", "Symbola")
    for family in fonts.FALLBACK_FAMILIES:
        if family.family not in not_noto_core:  # wheels, and Symbola: its own licence
            assert f"({family.family}, Debian fonts-noto-core 20201225)" in licence
    assert "Adobe (http://www.adobe.com/). (Noto Sans CJK SC, Debian fonts-noto-cjk" in licence
    # Symbola is not under the OFL: its own licence, from Debian's copyright file.
    assert "Symbola" not in licence
    symbola = (fonts.FONT_DIR / "Symbola-LICENSE.txt").read_text(encoding="utf-8")
    assert "Copyright (C) 2007-2015 George Douros" in symbola
    assert "Fonts are free for any use; they may be opened, edited," in symbola
    assert "modified, regenerated, packaged and redistributed." in symbola


def test_each_face_is_a_static_font_named_after_its_file() -> None:
    """reportlab sees only the default instance of a variable font: every face is static,
    with the weight and names of its slot, and no hinting (dropped by the subsetter)."""
    from fontTools.ttLib import TTFont

    for family, slots in fonts.FAMILIES.items():
        for slot, face in slots.items():
            font = TTFont(fonts.font_path(face))
            assert "fvar" not in font and "fpgm" not in font and "DSIG" not in font
            assert font["name"].getDebugName(6) == face
            assert font["name"].getDebugName(1) == family
            assert font["OS/2"].usWeightClass == (700 if "Bold" in slot else 400)


def test_fallback_families_are_shipped_registered_and_shaped_as_declared() -> None:
    families = fonts.SHIPPED_FALLBACK_FAMILIES
    assert [f.family for f in families][-7:] == [
        "Noto Sans Khmer",
        "Noto Sans Thaana",
        "Noto Sans Symbols",
        "Noto Sans Symbols2",
        "Noto Sans Math",
        "Symbola",
        "Noto Sans CJK SC",
    ]
    assert families[-1:] == fonts.LAST_RESORT_FAMILIES
    assert [f.family for f in families if not f.carried] == ["Noto Sans CJK SC"]
    for family in families:
        assert {family.regular, family.bold} <= set(fonts.FACES)
        slots = fonts.FAMILIES[family.family]
        assert slots["Regular"] == family.regular
        assert slots.get("Bold", family.regular) == family.bold
        shaped = {family.regular, family.bold} & set(fonts.SHAPED_FACES)
        assert shaped == ({family.regular, family.bold} if family.shaped else set())
    without_bold = {f.family for f in families if f.bold == f.regular}
    assert without_bold == {
        "Noto Sans Mongolian",
        "Noto Sans Symbols2",
        "Noto Sans Math",
        "Symbola",
        "Noto Sans CJK SC",
    }
    assert {fonts.ARABIC, fonts.ARABIC_BOLD} <= set(fonts.SHAPED_FACES)
    assert fonts.EMOJI not in fonts.SHAPED_FACES and fonts.CJK not in fonts.SHAPED_FACES
    assert len(set(fonts.FACES)) == len(fonts.FACES) == 31


SAMPLES = {
    "Noto Sans Hebrew": "האגודה לזכויות האזרח שָׁלוֹם ₪",
    "Noto Sans Georgian": "საქართველოს ახალგაზრდა იურისტთა ასოციაცია ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝ",
    "Noto Sans Armenian": "Հելսինկյան քաղաքացիական ասամբլեա։ ֏",
    "Noto Sans Devanagari": "अंतर्राष्ट्रीय न्याय पर वक्तव्य। १२३ ₹",
    "Noto Sans Bengali": "আন্তর্জাতিক ন্যায়বিচার বিষয়ক বিবৃতি ১২৩ ৳",
    "Noto Sans Thai": "แถลงการณ์ว่าด้วยความร่วมมือกับศาล ๑๒๓ ฿",
    "Noto Sans Ethiopic": "የሰብአዊ መብቶች ጉባኤ። ፩፪",
    "Noto Sans Mongolian": "ᠮᠣᠩᠭᠣᠯ ᠤᠯᠤᠰ ᠤᠨ ᠬᠡᠯᠡᠯᠴᠡᠭᠡᠨ᠃ ᠑᠒",
    "Noto Sans Khmer": "សេចក្តីថ្លែងការណ៍ស្តីពីតុលាការ។ ១២៣ ៛",
    "Noto Sans Thaana": "ބައިނަލްއަޤްވާމީ ޖިނާއީ ކޯޓު",
}


def test_each_script_falls_back_to_its_own_family() -> None:
    """Every letter, mark and digit of a sample that Noto Sans lacks is drawn by its
    script's family, in regular and bold text."""
    faces = {f.family: f for f in fonts.FALLBACK_FAMILIES}
    latin = fonts.face_codepoints(fonts.SANS)
    for family, sample in SAMPLES.items():
        for char in {c for c in sample if ord(c) not in latin}:
            assert fonts.fallback_face(char, bold=False) == faces[family].regular, (family, char)
            assert fonts.fallback_face(char, bold=True) == faces[family].bold, (family, char)
        assert fonts.uncovered_characters(sample) == []


def test_symbols_and_operators_fall_back_to_the_symbol_fonts() -> None:
    expected = {
        "→": fonts.SYMBOLS,
        "←": fonts.SYMBOLS,
        "①": fonts.SYMBOLS,
        "✓": fonts.SYMBOLS2,
        "✗": fonts.SYMBOLS2,
        "★": fonts.SYMBOLS2,
        "●": fonts.SYMBOLS2,
        "■": fonts.SYMBOLS2,
        "□": fonts.SYMBOLS2,
        "⬅": fonts.SYMBOLS2,
        "≥": fonts.MATH,
        "≤": fonts.MATH,
        "∞": fonts.MATH,
        "≈": fonts.MATH,
        "≠": fonts.MATH,
        "⩽": fonts.MATH,
        "⟨": fonts.MATH,
    }
    for char, face in expected.items():
        assert fonts.fallback_face(char, bold=False) == face, char
    assert fonts.fallback_face("→", bold=True) == fonts.SYMBOLS_BOLD
    assert fonts.fallback_face("≥", bold=True) == fonts.MATH  # Math has no bold
    assert fonts.uncovered_characters("Budget ≥ workload, ≠ cuts → cooperation ✓ ★ □") == []


EMOJI = "😀🗳🎉🌍👍🙏🤝🚀⭐✅❌⚽⌚✊✋✨☕⚡🕊🀄🂡🇫🏽"


def test_emoji_fall_back_to_symbola_in_regular_and_bold_text() -> None:
    """Emoji, those of the symbol blocks too (⭐ ✅ ⚽, which the Noto faces leave out),
    print in black and white with Symbola, the last family, which has no bold."""
    for char in EMOJI:
        assert fonts.fallback_face(char, bold=False) == fonts.EMOJI, char
        assert fonts.fallback_face(char, bold=True) == fonts.EMOJI, char
    assert fonts.uncovered_characters(f"⭐ ✅ ★ ✓ {EMOJI} 👩\u200d⚖\ufe0f") == []


def test_symbola_keeps_only_what_the_families_before_it_lack() -> None:
    """The first family covering a character draws it: Symbola keeps no copy of the
    symbols the Noto faces have (★ ✓ ☎ ➔ ⬅), only emoji and pictographs, and spaces."""
    emoji = fonts.face_codepoints(fonts.EMOJI)
    earlier = frozenset[int]().union(
        *(fonts.face_codepoints(f.regular) for f in fonts.FALLBACK_FAMILIES[:-1])
    )
    assert emoji & earlier == {0x20, 0xA0}
    for char in "★✓☎➔⬅→≥":
        assert fonts.fallback_face(char, bold=False) != fonts.EMOJI, char
    assert {0x1F389, 0x1F600, 0x1F30D, 0x1F44D, 0x270A, 0x1F54A, 0x2B50} <= emoji
    assert max(emoji) < 0x1FB00


CJK = "国际刑事法院國際刑事法院の締約国会議국제형사재판소，、。《》（）：ｶﾅ"


def test_chinese_japanese_and_korean_fall_back_to_the_last_resort() -> None:
    """Han characters simplified and traditional, kana, Hangul, CJK and full-width
    punctuation: the CJK face, which has no bold, and nothing is uncovered."""
    mongolian = "、。《》"  # Mongolian, before it, has them: a CJK run goes on through them
    for char in set(CJK) - set(mongolian):
        assert fonts.fallback_face(char, bold=False) == fonts.CJK, char
        assert fonts.fallback_face(char, bold=True) == fonts.CJK, char
    assert fonts.fallback_runs(CJK, fonts.face_codepoints(fonts.SANS)) == [(fonts.CJK, CJK)]
    assert fonts.uncovered_characters(CJK) == []
    assert {0xAC00, 0xD7A3, 0x3041, 0x30FC, 0x9F99, 0x9F8D} <= fonts.face_codepoints(fonts.CJK)


def test_a_run_opened_by_punctuation_several_faces_have_takes_its_texts_face() -> None:
    """《 and 「 are in Mongolian's face too, which comes before the CJK face: a Chinese
    title they open is drawn in one face, its brackets matching its characters (in the
    PDF and the DOCX alike); Mongolian text keeps them in its own."""
    sans = fonts.face_codepoints(fonts.SANS)
    for title in ("《罗马规约》", "「国际刑事法院」", "「《罗马规约》」"):
        assert fonts.fallback_runs(title, sans) == [(fonts.CJK, title)]
    for mongolian in ("ᠮᠣᠩᠭᠣᠯ《ᠮᠣᠩᠭᠣᠯ》", "《ᠮᠣᠩᠭᠣᠯ》"):
        assert fonts.fallback_runs(mongolian, sans) == [(fonts.MONGOLIAN, mongolian)]


def test_rare_han_other_scripts_and_newer_emoji_have_no_fallback() -> None:
    """Han characters outside the four national standards (U+4EB9, Extension A's U+3400
    and B's U+2000B), Tibetan, and emoji of Unicode 11 and later, which Symbola 9.17
    (Unicode 10) lacks (🫠 U+1FAE0, 🥰 U+1F970, 🧿 U+1F9FF), stay uncovered."""
    for char in "亹㐀𠀋བ🫠🥰🧿":
        assert fonts.fallback_face(char, bold=False) is None, char
        assert fonts.fallback_face(char, bold=True) is None, char
    assert fonts.uncovered_characters("🫠 🎉 法 亹") == ["亹", "🫠"]


def test_only_a_character_no_other_face_has_reads_the_last_resort(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the CJK face covers (megabytes of glyphs, 22,000 characters) is read only for
    a character that no other shipped face has: text in Arabic, Thai or Greek never
    reads it, in the PDF's and the DOCX's fallback runs or the check of characters."""
    asked: list[str] = []
    read = fonts.face_codepoints
    monkeypatch.setattr(fonts, "face_codepoints", lambda face: asked.append(face) or read(face))
    fonts.last_resort_codepoints.cache_clear()
    fonts._fallback_faces.cache_clear()
    for text in ("Ελληνικά المحكمة ≥ 🎉", "แถลงการณ์ ₹"):
        for bold in (False, True):
            fonts.fallback_runs(text, read(fonts.SANS), bold)
        assert fonts.uncovered_characters(text) == []
    assert fonts.CJK not in asked
    assert fonts.fallback_runs("A 法", read(fonts.SANS)) == [(None, "A "), (fonts.CJK, "法")]
    assert fonts.CJK in asked


def test_the_shaped_fallback_faces_kept_their_layout_features() -> None:
    """Subsetting kept GSUB and GPOS: HarfBuzz forms conjuncts, reorders the i-matra,
    joins Mongolian letters and moves marks, and draws no .notdef box."""
    import uharfbuzz

    def shape(face: str, text: str) -> tuple[list[int], list[int]]:
        blob = uharfbuzz.Blob(fonts.font_path(face).read_bytes())
        buffer = uharfbuzz.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        uharfbuzz.shape(uharfbuzz.Font(uharfbuzz.Face(blob)), buffer)
        glyphs = [info.codepoint for info in buffer.glyph_infos]
        assert 0 not in glyphs, (face, text)
        return glyphs, [position.x_offset for position in buffer.glyph_positions]

    for face in (fonts.DEVANAGARI, fonts.DEVANAGARI_BOLD):
        assert len(shape(face, "\u0915\u094d\u0937")[0]) == 1  # क्ष: one conjunct
        ka = shape(face, "\u0915")[0]
        assert shape(face, "\u0915\u093f")[0][1:] == ka  # कि: the i-matra drawn first
    for face in (fonts.BENGALI, fonts.BENGALI_BOLD):
        assert len(shape(face, "\u0995\u09cd\u09b7")[0]) == 1  # ক্ষ
    alone = shape(fonts.MONGOLIAN, "\u182e")[0][0]
    assert shape(fonts.MONGOLIAN, "\u182e\u1823")[0][0] != alone  # initial form of ᠮ
    for face in (fonts.THAI, fonts.THAI_BOLD):
        assert any(shape(face, "\u0e17\u0e35\u0e48")[1])  # ที่: the tone mark moved
    for face in (fonts.HEBREW, fonts.HEBREW_BOLD):
        assert any(shape(face, "\u05e9\u05b8\u05c1")[1])  # שָׁ: points placed
    for face in (fonts.KHMER, fonts.KHMER_BOLD):
        ka, ta = shape(face, "\u1780")[0][0], shape(face, "\u178f")[0][0]
        subscript = shape(face, "\u1780\u17d2\u178f")[0]  # ក្ត: ta below ka
        assert subscript[0] == ka and ta not in subscript and len(subscript) == 2
        assert shape(face, "\u1780\u17c1")[0][1] == ka  # កេ: the e-vowel drawn first
    for face in (fonts.THAANA, fonts.THAANA_BOLD):
        assert any(shape(face, "\u0788\u07ac")[1])  # ވެ: the fili placed on its letter


def test_the_danda_of_a_bengali_sentence_is_the_first_family_s() -> None:
    """Where two families have a character the first wins: the danda is Devanagari's."""
    assert fonts.fallback_face("\u0964", bold=False) == fonts.DEVANAGARI
    assert ord("\u0964") in fonts.face_codepoints(fonts.BENGALI)


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
    text = "Ça, ñ, ő, ș, ł — «€» Ελληνικά Русский Tiếng Việt المحكمة ﻻ " + " ".join(
        SAMPLES.values()
    )
    assert fonts.uncovered_characters(text) == []


def test_whitespace_and_controls_count_as_covered() -> None:
    assert fonts.uncovered_characters("a\nb\tc\r\u00a0d\u2003e\x0b") == []


def test_emoji_and_rare_han_are_reported_once_each_sorted() -> None:
    assert fonts.uncovered_characters("vote 🫠️ 🫠 亹 亹 法 🗳️") == sorted({"🫠", "亹"})


def test_uncovered_characters_in_megabytes_of_text() -> None:
    text = ("The Assembly of States Parties adopted the budget. Ελληνικά Русский. " * 80_000)[
        :5_000_000
    ]
    assert fonts.uncovered_characters(text + "🫠😀") == ["🫠"]


@given(st.text(max_size=200))
def test_uncovered_characters_are_those_outside_the_coverage_table(text: str) -> None:
    """The regular expression agrees with the tables, character by character."""
    covered = fonts.covered_codepoints() | fonts.last_resort_codepoints()
    expected = {c for c in text if ord(c) not in covered and not fonts.never_rendered(c)}
    assert fonts.uncovered_characters(text) == sorted(expected)


def test_the_coverage_tables_match_the_fonts_character_maps() -> None:
    """``coverage/<face>.txt`` is each face's own character map; ``coverage.txt`` the union
    of those before the last resort."""
    from briefgen.writers.pdf.fonts import cmap

    # reportlab's parser also lists U+FFFF, the end marker of a format 4 cmap: no character.
    maps = {face: cmap(face) - {0xFFFF} for face in fonts.FACES}
    for face, mapped in maps.items():
        assert fonts.face_codepoints(face) == mapped, f"{face}: rerun tools/make_fonts.py"
        assert fonts.coverage_path(face).read_text(encoding="ascii") == fonts.coverage_text(mapped)
    last = {family.regular for family in fonts.LAST_RESORT_FAMILIES}
    union = frozenset().union(*(mapped for face, mapped in maps.items() if face not in last))
    assert fonts.covered_codepoints() == union, "rerun tools/make_fonts.py"
    assert fonts.COVERAGE_FILE.read_text(encoding="ascii") == fonts.coverage_text(union)


def test_the_widths_tables_match_the_fonts() -> None:
    """compose measures with ``widths/<face>.json``; it must agree with the fonts themselves."""
    from fontTools.ttLib import TTFont

    from briefgen.text.metrics import WIDTHS_DIR, advance_widths

    assert {path.stem for path in WIDTHS_DIR.glob("*.json")} == set(fonts.FACES)
    for face in fonts.FACES:
        table = json.loads((WIDTHS_DIR / f"{face}.json").read_text(encoding="ascii"))
        assert table == advance_widths(TTFont(fonts.font_path(face))), "rerun make_fonts"


# Private-use code points are left out: the PDF writer gives them to glyphs that no
# character maps to (Arabic joining forms), in the faces it shapes; a user's own prints
# as an empty box, with a warning (see the test on unprinted scripts below).
TEXTS = st.text(st.characters(exclude_categories=("Cs", "Co")), max_size=40)


@given(TEXTS, st.sampled_from(fonts.FACES), st.sampled_from([8.8, 10, 17.0]))
def test_measured_widths_are_those_the_pdf_writer_measures(
    text: str, face: str, size: float
) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from briefgen.text.fonts import shipped_face
    from briefgen.text.metrics import string_width
    from briefgen.writers.pdf.fonts import register_fallback_face, register_pdf_fonts

    register_pdf_fonts()
    if face not in pdfmetrics.getRegisteredFontNames():  # a fallback face, registered on need
        register_fallback_face(face)
    assert string_width(text, shipped_face(face), size) == stringWidth(text, face, size)


def test_a_field_in_an_unprinted_script_is_one_warning_per_script_naming_a_few() -> None:
    """Rare Han characters (the CJK face has those of the national standards) and an
    emoji, not in the shipped fonts: one warning for each script of the field, at its
    first character, counting them, not one per character. The characters the shipped
    faces draw (国 🎉) are not named."""
    from briefgen.input.source import SourceDocument
    from briefgen.text.coverage import coverage_warnings

    title = "Speech 国亹㐀𠀋鿊龥齾亹 🎉 🫠 ཀཁ"
    text = f"title: '{title}'\n"
    source = SourceDocument("case.yaml", {"title": title}, text)
    han, symbol, tibetan = coverage_warnings(source)
    assert (han.line, han.column, han.field) == (1, 17, "title")
    assert han.message == (
        "7 Han characters ('亹' U+4EB9, '㐀' U+3400, '𠀋' U+2000B, '鿊' U+9FCA, '龥' U+9FA5"
        " and 1 more) print as empty boxes in the PDF: no font briefgen ships has them"
        " (briefgen's CJK face has the common characters of Chinese, Japanese and Korean,"
        " not the rarer ones: a look can bring a font that has them, see docs/templates.md)"
    )
    assert symbol.column == text.index("🫠") + 1
    assert symbol.message == (
        "1 symbol ('🫠' U+1FAE0) prints as an empty box in the PDF: no font briefgen ships has it"
    )
    assert tibetan.message.startswith("2 Tibetan characters ('ཀ' U+0F40, 'ཁ' U+0F41)")
    assert "Chinese" not in tibetan.message
    assert {han.severity, symbol.severity, tibetan.severity} == {"warning"}


def test_the_sequence_marks_and_the_ignorables_dropped_are_the_default_ignorables() -> None:
    """Every default-ignorable code point is either a mark the PDF copies with an emoji
    (a joiner, a variation selector, a tag) or dropped, never both."""
    every = "".join(chr(point) for point in range(0x110000) if not 0xD800 <= point < 0xE000)
    ignorable = set(fonts._DEFAULT_IGNORABLE.findall(every))
    marks = set(re.findall(f"[{fonts.SEQUENCE_MARKS}]", every))
    dropped = ignorable - set(fonts.drawn_and_copied("".join(ignorable))[1])
    assert marks <= ignorable and {"\u200d", "\ufe0f", "\U000e007f"} <= marks
    assert dropped == ignorable - marks


def runs_char_by_char(
    text: str, covered: frozenset[int], bold: bool
) -> list[tuple[str | None, str]]:
    """``fallback_runs`` decided character by character, as its rules read (the
    function itself passes over the characters that keep the face before them)."""
    chosen: list[str | None] = []
    previous: str | None = None
    previous_points: frozenset[int] = frozenset()
    last: str | None = None
    fallbacks = fonts._fallback_faces(bold, fonts._before_last_resort())
    for index, char in enumerate(text):
        point = ord(char)
        if previous is not None and (point in previous_points or fonts.never_rendered(char)):
            face = previous
        elif point in covered or fonts.never_rendered(char):
            face = None
        else:
            first = fonts._first_covering(point, bold, fallbacks)
            face = fonts._opened(text, index, covered, bold, fallbacks)
            if face is None:
                face = first if last == first else fonts._closing(point, last, first, bold)
        if face != previous and face is not None:
            previous_points, last = fonts.face_codepoints(face), face
        chosen.append(face)
        previous = face
    runs: list[tuple[str | None, str]] = []
    for index, face in enumerate(chosen):
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + text[index])
        else:
            runs.append((face, text[index]))
    return runs


# Latin and its spaces, CJK text and punctuation (which Mongolian's face has too),
# Mongolian, Georgian, Devanagari and its marks, Arabic and Hebrew (text faces of
# their own, in no fallback family), emoji sequences, controls, a character no face has.
MIXED_SCRIPTS = st.text(
    st.sampled_from(
        list("Ab, .\u00a0\t\n\u3001\u3002\u300a\u300b\u300c\u300d法律\u1820\u1821")
        + list("\u10d0\u10d1\u0915\u094d\u0937\u0628\u0645\u05d0\u2192\u2260\U0001f600")
        + ["\ufe0f", "\u200d", "\u200b", "\u0001", "\U000e0001", "\u4dff", "\U0002a6d6"]
    ),
    max_size=40,
)


@given(MIXED_SCRIPTS, st.booleans(), st.sampled_from([fonts.SANS, fonts.ARABIC]))
def test_fallback_runs_are_those_decided_character_by_character(
    text: str, bold: bool, text_face: str
) -> None:
    covered = fonts.face_codepoints(text_face)
    assert fonts.fallback_runs(text, covered, bold) == runs_char_by_char(text, covered, bold)
