"""The codes and ToUnicode CMaps that make shaped glyphs copy as their text."""

from __future__ import annotations

import re

from reportlab.pdfbase import pdfmetrics

from briefgen.text.fonts import ARABIC, EMOJI, SANS, SYMBOLS
from briefgen.writers.pdf.fallback import face_runs
from briefgen.writers.pdf.fonts import register_fallback_face, register_pdf_fonts
from briefgen.writers.pdf.glyphs import (
    GlyphCodes,
    reading_order,
    reversed_run,
    to_unicode_cmap,
    with_marks,
)
from briefgen.writers.pdf.reportlab_private import glyph_id, shape, shaped_glyphs


def arabic_codes() -> GlyphCodes:
    register_pdf_fonts()
    codes: GlyphCodes = pdfmetrics.getFont(ARABIC).glyph_codes
    return codes


def test_a_letter_drawn_by_its_own_glyph_is_its_own_code() -> None:
    codes = arabic_codes()
    lam = glyph_id(codes.font, "\u0644")
    assert lam is not None
    assert codes.code(lam, "\u0644") == "\u0644"


def test_a_glyph_showing_other_text_gets_one_private_code_for_it() -> None:
    codes = arabic_codes()
    medial_lam = glyph_id(codes.font, "\ufee0")  # the medial form's glyph
    assert medial_lam is not None
    code = codes.code(medial_lam, "\u0644")
    assert ord(code) >= 0xF0000
    assert codes.code(medial_lam, "\u0644") == code  # the same for the rest of the process
    assert glyph_id(codes.font, code) == medial_lam
    cmap = codes.cmap("AAAAAA+Canary", [ord("\u0644"), ord(code)])
    assert cmap is not None and "<01> <0644>" in cmap
    assert codes.cmap("AAAAAA+Canary", [ord("\u0644")]) is None  # nothing private: reportlab's


def test_a_character_beyond_u_ffff_is_mapped_to_its_surrogate_pair() -> None:
    """reportlab writes U+1F389 as ``<1F389>``, which readers take for U+1F38 (🎉 copied
    as "Ἰ"): a subset holding an emoji or another plane-1 character gets a CMap of its own."""
    register_fallback_face(EMOJI)
    codes: GlyphCodes = pdfmetrics.getFont(EMOJI).glyph_codes
    cmap = codes.cmap("AAAAAA+Canary", [ord(" "), 0x1F389, 0x270A])
    assert cmap is not None
    assert "<00> <0020>" in cmap and "<01> <D83CDF89>" in cmap and "<02> <270A>" in cmap
    assert codes.cmap("AAAAAA+Canary", [ord(" "), 0x270A]) is None  # reportlab's is right


def test_a_cmap_maps_text_of_several_characters_and_of_none_in_blocks_of_a_hundred() -> None:
    texts = ["\u0644\u0627", ""] + ["A"] * 148
    cmap = to_unicode_cmap("AAAAAA+Canary", texts)
    assert "<00> <06440627>" in cmap and "<01> <>" in cmap
    assert re.findall(r"(\d+) beginbfchar", cmap) == ["100", "50"]
    assert "<00> <95>" in cmap  # the code space: one byte, as many codes as texts


def test_glyphs_are_written_in_reading_order_at_their_places() -> None:
    """A right-to-left word: the first letter is written first, at the right, and the
    pen ends at the word's right end as reportlab expects of a shown string."""
    register_pdf_fonts()
    shaped, width = shape("ملف", ARABIC, 10)
    assert width is not None
    visual = shaped_glyphs(shaped)
    written, hidden = reading_order(visual, "ملف", ARABIC)
    placed = shaped_glyphs(written)
    assert hidden == ()
    codes = pdfmetrics.getFont(ARABIC).glyph_codes
    texts = [codes.cmap("X", [ord(g.code)]) or g.code for g in placed]
    assert "<00> <0645>" in texts[0] or texts[0] == "\u0645"  # meem, read first
    total = sum(g.advance for g in placed)
    assert abs(total - sum(g.advance for g in visual)) < 1e-6
    first_x = placed[0].dx
    assert first_x > sum(g.advance for g in visual) / 2  # drawn in the right half


def test_a_raised_mark_shows_nothing_and_has_an_invisible_copy_on_the_line() -> None:
    register_pdf_fonts()
    shaped, _ = shape("أمراً", ARABIC, 10)
    written, hidden = reading_order(shaped_glyphs(shaped), "أمراً", ARABIC)
    codes = pdfmetrics.getFont(ARABIC).glyph_codes
    ((after, copy),) = hidden
    mark = shaped_glyphs(written)[after]
    assert mark.dy != 0  # drawn above the line
    assert "<00> <>" in (codes.cmap("X", [ord(mark.code)]) or "")
    (line_copy,) = shaped_glyphs(copy)
    assert line_copy.dy == 0 and line_copy.advance == 0
    assert "<00> <064B>" in (codes.cmap("X", [ord(line_copy.code)]) or "")


def copied(font: str, drawn: str) -> list[str]:
    """The text each code of ``drawn`` copies as, by ``font``'s ToUnicode CMap."""
    codes: GlyphCodes = pdfmetrics.getFont(font).glyph_codes
    texts = []
    for code in drawn:
        entry = re.search(r"beginbfchar\n<00> <([0-9A-F]*)>", codes.cmap("X", [ord(code)]) or "")
        texts.append(bytes.fromhex(entry[1]).decode("utf-16-be") if entry else code)
    return texts


def test_a_selector_copies_with_the_emoji_drawn_before_it() -> None:
    """🎉️ draws 🎉's glyph, as wide, with a code that copies as 🎉 and U+FE0F."""
    register_fallback_face(EMOJI)
    drawn = with_marks("\U0001f389\ufe0f", EMOJI)
    font = pdfmetrics.getFont(EMOJI)
    party = glyph_id(font, "\U0001f389")
    assert len(drawn) == 1 and party is not None and glyph_id(font, drawn) == party
    width = pdfmetrics.stringWidth("\U0001f389", EMOJI, 10)
    assert pdfmetrics.stringWidth(drawn, EMOJI, 10) == width
    assert copied(EMOJI, drawn) == ["\U0001f389\ufe0f"]


def test_the_marks_between_two_pictographs_copy_with_the_second() -> None:
    """🏳️‍🌈 copies as 🏳 and ️‍🌈: old pdf.js drops a glyph whose text ends with a joiner,
    and parts a glyph whose text holds a selector from the next one by a space."""
    register_fallback_face(EMOJI)
    drawn = with_marks("\U0001f3f3\ufe0f\u200d\U0001f308 \U0001f3f4\u200d", EMOJI)
    assert copied(EMOJI, drawn) == ["\U0001f3f3", "\ufe0f\u200d\U0001f308", " ", "\U0001f3f4\u200d"]


def test_marks_with_no_character_to_copy_with_are_dropped() -> None:
    register_fallback_face(EMOJI)
    assert with_marks("\ufe0f\U0001f389 \ufe0f", EMOJI) == "\U0001f389 "


def test_a_joiner_that_ends_a_face_s_run_goes_to_the_next_face() -> None:
    """👩‍⚖️: the woman in Symbola, the scales in Noto Sans Symbols with the joiner that
    joins them to her, so that the joiner copies with the scales."""
    register_pdf_fonts()
    runs = face_runs("Judge \U0001f469\u200d\u2696\ufe0f", SANS)
    assert runs == [(SANS, "Judge "), (EMOJI, "\U0001f469"), (SYMBOLS, "\u200d\u2696\ufe0f")]


def test_a_sequence_turned_right_to_left_copies_in_reading_order() -> None:
    """👨‍👩‍👧 at a right-to-left level is drawn 👧👩👨 and written first to last, each
    pictograph with the joiner before it."""
    register_fallback_face(EMOJI)
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    shown = "\U0001f467\U0001f469\U0001f468"
    placed = shaped_glyphs(reversed_run(family, shown, [2, 1, 0], EMOJI, 10))
    assert copied(EMOJI, "".join(g.code for g in placed)) == [
        "\U0001f468",
        "\u200d\U0001f469",
        "\u200d\U0001f467",
    ]
    assert placed[0].dx > placed[1].advance  # the man, read first, at the right
