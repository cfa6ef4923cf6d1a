"""Regenerate the static, subset fonts committed in ``briefgen/fonts/``.

Usage (fontTools is a dev dependency; users and CI never run this)::

    pip download --no-deps -d /tmp/fp fontpkg-noto-sans==2.15 fontpkg-noto-sans-arabic==2.12 \\
        fontpkg-noto-sans-devanagari==2.7 fontpkg-noto-sans-thai==2.2 fontpkg-noto-sans-khmer==2.4
    apt-get install fonts-noto-core fonts-symbola fonts-noto-cjk  # Debian 12's
    uv run python tools/make_fonts.py /tmp/fp --system-fonts /usr/share/fonts/truetype/noto \\
        --symbola-fonts /usr/share/fonts/truetype/ancient-scripts \\
        --cjk-fonts /usr/share/fonts/opentype/noto

Four sources. The fontpkg wheels ship variable fonts (``wght`` and ``wdth`` axes):
reportlab only sees the default instance of a variable font, so every face taken from
them is cut here as a static instance (``wdth`` 100; ``wght`` 400 or 700). The other
fallback scripts, the symbols and the mathematical operators come from the static
faces of Debian's ``fonts-noto-core``; the emoji from Debian's ``fonts-symbola``
(Symbola, a monochrome font under its own licence, not the OFL: written to
``Symbola-LICENSE.txt``); the last resort, Chinese, Japanese and Korean, from Debian's
``fonts-noto-cjk`` (Noto Sans CJK SC, whose PostScript outlines reportlab cannot
embed: converted here to TrueType ones). Every face is subset to the characters its
script needs, keeping all OpenType layout features (shapers need GSUB and GPOS) but in
the CJK face, which is drawn unshaped, with hinting and glyph names dropped to keep
the files small. Each source is checked to be the version the committed files were cut
from, and the output is deterministic: running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.varLib import instancer

from briefgen.text.fonts import (
    COVERAGE_DIR,
    FALLBACK_FAMILIES,
    LAST_RESORT_FAMILIES,
    coverage_text,
)
from briefgen.text.metrics import WIDTHS_DIR, advance_widths

OUT_DIR = Path(__file__).resolve().parent.parent / "briefgen" / "fonts"
SYSTEM_FONTS = Path("/usr/share/fonts/truetype/noto")
DEBIAN = "Debian fonts-noto-core 20201225"
SYMBOLA_FONTS = Path("/usr/share/fonts/truetype/ancient-scripts")
SYMBOLA_PACKAGE = "fonts-symbola"
SYMBOLA_LICENCE = "Symbola-LICENSE.txt"
CJK_FONTS = Path("/usr/share/fonts/opentype/noto")
CJK_PACKAGE = "fonts-noto-cjk"

# 2024-01-01T00:00:00Z in the OpenType epoch (seconds since 1904-01-01).
PINNED_TIMESTAMP = 3786825600

Ranges = list[tuple[int, int]]

LATIN_GREEK_CYRILLIC: Ranges = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x024F),  # Latin Extended-A and -B
    (0x02B0, 0x02FF),  # Spacing modifier letters (not IPA extensions)
    (0x0300, 0x036F),  # Combining diacritical marks (decomposed input)
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x052F),  # Cyrillic and Cyrillic Supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Welsh)
    (0x2000, 0x206F),  # General punctuation
    (0x2070, 0x209F),  # Superscripts and subscripts
    (0x20A0, 0x20CF),  # Currency symbols
    (0x2100, 0x214F),  # Letterlike symbols
    (0x2190, 0x2199),  # Simple arrows
    (0x2212, 0x2212),  # Minus sign
    (0x25A0, 0x25CF),  # Squares and circles used as bullets
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFFFD, 0xFFFD),  # Replacement character
]

ARABIC: Ranges = [
    (0x0020, 0x007E),  # Basic Latin: punctuation and digits next to Arabic words
    (0x00A0, 0x00FF),  # Latin-1 Supplement (guillemets)
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0x2000, 0x206F),  # General punctuation, including ZWJ/ZWNJ and bidi marks
    (0x25CC, 0x25CC),  # Dotted circle, used by shapers for stray marks
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
]

# What every script face keeps next to its own blocks, where the source has it: so that
# a run of the script shapes in one face with its spaces, digits and punctuation.
NEXT_TO_A_SCRIPT: Ranges = [
    (0x0020, 0x0040),  # Space, ASCII punctuation and digits
    (0x005B, 0x0060),  # [ \ ] ^ _ `
    (0x007B, 0x007E),  # { | } ~
    (0x00A0, 0x00BF),  # No-break space, Latin-1 punctuation and signs (no letters)
    (0x00D7, 0x00D7),  # Multiplication sign
    (0x00F7, 0x00F7),  # Division sign
    (0x02BC, 0x02BC),  # Modifier letter apostrophe
    (0x2000, 0x206F),  # General punctuation: ZWJ/ZWNJ, dashes, quotes, bidi marks
    (0x20A0, 0x20CF),  # Currency symbols (new shekel, lari, rupee, baht)
    (0x2212, 0x2212),  # Minus sign
    (0x25CC, 0x25CC),  # Dotted circle, drawn by shapers for a mark without its base
]
COMBINING_MARKS: Ranges = [(0x0300, 0x036F)]  # where the script's font positions them

HEBREW: Ranges = [
    (0x0590, 0x05FF),  # Hebrew: letters, points (niqqud), cantillation, maqaf, geresh
    (0xFB1D, 0xFB4F),  # Hebrew presentation forms
]
ARMENIAN: Ranges = [
    *COMBINING_MARKS,
    (0x0530, 0x058F),  # Armenian, with its punctuation and the dram sign
    (0xFB13, 0xFB17),  # Armenian ligatures
]
GEORGIAN: Ranges = [
    *COMBINING_MARKS,
    (0x0589, 0x0589),  # Armenian full stop, used in Georgian too (Armenian's face wins)
    (0x10A0, 0x10FF),  # Georgian (Mkhedruli, Asomtavruli)
    (0x1C90, 0x1CBF),  # Georgian Extended (Mtavruli capitals)
    (0x2D00, 0x2D2F),  # Georgian Supplement (Nuskhuri)
]
DEVANAGARI: Ranges = [
    (0x0900, 0x097F),  # Devanagari, with the danda U+0964/U+0965 and its digits
    (0x1CD0, 0x1CFF),  # Vedic Extensions
    (0x20F0, 0x20F0),  # Combining asterisk above
    (0xA830, 0xA839),  # Common Indic number forms
    (0xA8E0, 0xA8FF),  # Devanagari Extended
    (0x11B00, 0x11B09),  # Devanagari Extended-A
]
BENGALI: Ranges = [
    (0x0951, 0x0952),  # Devanagari stress signs, used with Bengali
    (0x0964, 0x0965),  # Danda and double danda
    (0x0980, 0x09FF),  # Bengali, with its digits and currency signs
    (0x1CD0, 0x1CFF),  # Vedic Extensions (those the font has)
    (0xA8F1, 0xA8F1),  # Combining avagraha
]
THAI: Ranges = [(0x0E00, 0x0E7F)]  # Thai: consonants, vowels, tone marks, digits, baht
ETHIOPIC: Ranges = [
    *COMBINING_MARKS,
    (0x1200, 0x139F),  # Ethiopic and Ethiopic Supplement, with its punctuation and numbers
    (0x2D80, 0x2DDF),  # Ethiopic Extended
    (0xAB00, 0xAB2F),  # Ethiopic Extended-A
]
KHMER: Ranges = [
    (0x1780, 0x17FF),  # Khmer: consonants, the coeng of subscript consonants, vowels, riel
    (0x19E0, 0x19FF),  # Khmer symbols (lunar dates)
]
THAANA: Ranges = [(0x0780, 0x07BF)]  # Thaana: letters, vowel marks (fili) and sukun
MONGOLIAN: Ranges = [
    (0x1800, 0x18AF),  # Mongolian, with its free variation selectors and digits
    (0x3001, 0x3002),  # Ideographic comma and full stop, Mongolian punctuation
    (0x300A, 0x300F),  # Angle and corner brackets, used with Mongolian
    (0x11660, 0x1167F),  # Mongolian Supplement (head marks)
]

# Code points that default to an emoji presentation (Emoji_Presentation=Yes, Unicode
# 15.0 emoji-data.txt) in the blocks below: left out of the Noto symbol faces, as
# emoji are, for the emoji face (Symbola, last) to draw them all in one style.
EMOJI_PRESENTATION: Ranges = [
    (0x231A, 0x231B),
    (0x23E9, 0x23EC),
    (0x23F0, 0x23F0),
    (0x23F3, 0x23F3),
    (0x25FD, 0x25FE),
    (0x2614, 0x2615),
    (0x2648, 0x2653),
    (0x267F, 0x267F),
    (0x2693, 0x2693),
    (0x26A1, 0x26A1),
    (0x26AA, 0x26AB),
    (0x26BD, 0x26BE),
    (0x26C4, 0x26C5),
    (0x26CE, 0x26CE),
    (0x26D4, 0x26D4),
    (0x26EA, 0x26EA),
    (0x26F2, 0x26F3),
    (0x26F5, 0x26F5),
    (0x26FA, 0x26FA),
    (0x26FD, 0x26FD),
    (0x2705, 0x2705),
    (0x270A, 0x270B),
    (0x2728, 0x2728),
    (0x274C, 0x274C),
    (0x274E, 0x274E),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2795, 0x2797),
    (0x27B0, 0x27B0),
    (0x27BF, 0x27BF),
    (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50),
    (0x2B55, 0x2B55),
]

# The symbol blocks of policy text, for Symbols, Symbols2 and Math alike: each face
# keeps those it has. Not kept: the emoji and pictographs of planes 1 (U+1F000 on),
# Braille, the mathematical alphanumerics (U+1D400-1D7FF), musical and game symbols.
SYMBOLS: Ranges = [
    (0x0020, 0x0020),  # Space
    (0x00A0, 0x00A0),  # No-break space
    (0x2150, 0x218F),  # Number forms: Roman numerals
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators: ≥ ≤ ≈ ≠ ∞ ∑ ∈
    (0x2300, 0x23FF),  # Miscellaneous technical: ⌘ ⌀ ⏎ ⏱
    (0x2460, 0x24FF),  # Enclosed alphanumerics: ① ② ⓐ
    (0x25A0, 0x25FF),  # Geometric shapes: ■ □ ● ◆ ▶
    (0x2600, 0x26FF),  # Miscellaneous symbols: ★ ☎ ☑ ☒ ⚖ ⚠
    (0x2700, 0x27BF),  # Dingbats: ✓ ✗ ✔ ✘ ➔ ❶
    (0x27C0, 0x27EF),  # Miscellaneous mathematical symbols-A: ⟨ ⟩ ⟦ ⟧
    (0x27F0, 0x27FF),  # Supplemental arrows-A: ⟶ ⟹
    (0x2900, 0x297F),  # Supplemental arrows-B
    (0x2980, 0x29FF),  # Miscellaneous mathematical symbols-B: ⦿ ⧫
    (0x2A00, 0x2AFF),  # Supplemental mathematical operators: ⩽ ⩾ (Russian ≤ ≥)
    (0x2B00, 0x2BFF),  # Miscellaneous symbols and arrows: ⬅ ⬆ ⮕
    (0x1F800, 0x1F8FF),  # Supplemental arrows-C
]

# The emoji face (Symbola, monochrome: reportlab cannot draw colour glyphs) keeps, of
# these, only what the fallback families before it lack (``subset_ranges``): the emoji
# the Noto symbol faces leave out and the pictographs of plane 1. Of Symbola 9.17's
# other symbols in these blocks (★ ✓ ⬅ …), the Noto faces have every one.
EMOJI: Ranges = [
    (0x0020, 0x0020),  # Space
    (0x00A0, 0x00A0),  # No-break space
    (0x20E3, 0x20E3),  # Combining enclosing keycap: a keycap is a digit, VS16 and this
    *EMOJI_PRESENTATION,  # ⌚ ⏳ ◾ ☔ ⚽ ✅ ❌ ⭐ …
    (0x2600, 0x26FF),  # Miscellaneous symbols: ☕ ⚡ ⛔ (☀ ★ ☎ are Symbols' and Symbols2's)
    (0x2700, 0x27BF),  # Dingbats: ✊ ✋ ✨ (✓ ✗ are Symbols2's)
    (0x2B00, 0x2BFF),  # Miscellaneous symbols and arrows: ⬛ ⭐ ⭕
    (0x3297, 0x3297),  # Circled ideograph congratulation ㊗
    (0x3299, 0x3299),  # Circled ideograph secret ㊙
    (0x1F000, 0x1F02F),  # Mahjong tiles
    (0x1F030, 0x1F09F),  # Domino tiles
    (0x1F0A0, 0x1F0FF),  # Playing cards
    (0x1F100, 0x1F1FF),  # Enclosed alphanumeric supplement, regional indicators
    (0x1F200, 0x1F2FF),  # Enclosed ideographic supplement
    (0x1F300, 0x1F5FF),  # Miscellaneous symbols and pictographs: 🌍 🎉 🗳
    (0x1F600, 0x1F64F),  # Emoticons: 😀 🙏
    (0x1F650, 0x1F67F),  # Ornamental dingbats
    (0x1F680, 0x1F6FF),  # Transport and map symbols: 🚀 🛑
    (0x1F700, 0x1F77F),  # Alchemical symbols
    (0x1F780, 0x1F7FF),  # Geometric shapes extended
    (0x1F800, 0x1F8FF),  # Supplemental arrows-C (Symbols2 has those Symbola has)
    (0x1F900, 0x1F9FF),  # Supplemental symbols and pictographs: 🤝 🥇 🧭
    (0x1FA00, 0x1FAFF),  # Chess symbols, symbols and pictographs extended-A (none in 9.17)
]


def double_byte_characters(codec: str, lead: range, trail: range) -> set[int]:
    """The characters that the codes of a double-byte ``codec`` with a first byte in
    ``lead`` and a second in ``trail`` decode to."""
    characters = set()
    for first in lead:
        for second in trail:
            try:
                decoded = bytes([first, second]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(decoded) == 1:
                characters.add(ord(decoded))
    return characters


def as_ranges(points: set[int]) -> Ranges:
    ordered = sorted(points)
    ranges: Ranges = []
    for point in ordered:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return ranges


def common_han() -> set[int]:
    """The Han characters of the character sets of the mainland, Taiwan, Japan and Korea,
    as Python's codecs decode them: GB 2312 (6,763, simplified), Big5's level 1 (5,401
    frequent traditional ones), JIS X 0208 (6,356 kanji) and KS X 1001 (4,620 hanja),
    10,563 in all. Unified ideographs only: input is normalised (NFC), which turns a
    compatibility ideograph (KS X 1001 has 268 more hanja as such) into its unified one."""
    rows = range(0xA1, 0xFF)
    characters = (
        double_byte_characters("gb2312", rows, rows)
        | double_byte_characters("euc_jp", rows, rows)
        | double_byte_characters("euc_kr", rows, rows)
        | double_byte_characters("big5", range(0xA4, 0xC6), [*range(0x40, 0x7F), *rows])
        | double_byte_characters("big5", range(0xC6, 0xC7), range(0x40, 0x7F))
    )
    return {point for point in characters if 0x3400 <= point <= 0x9FFF}


# The last resort: Chinese, Japanese and Korean, drawn character by character.
CJK: Ranges = [
    (0x0020, 0x0020),  # Space and no-break space, as the emoji face keeps them: Korean
    (0x00A0, 0x00A0),  # words and the spaces between them are one run
    (0x3000, 0x303F),  # CJK symbols and punctuation: ideographic space, 、。「」《》【】〜
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana, with the middle dot and the prolonged sound mark
    (0x3130, 0x318F),  # Hangul compatibility jamo (ㄱ ㅏ)
    (0x31F0, 0x31FF),  # Katakana phonetic extensions (Ainu)
    (0xAC00, 0xD7A3),  # Hangul syllables: all 11,172
    (0xFF00, 0xFFEF),  # Halfwidth and fullwidth forms: comma, colon, brackets, digits, ｶﾅ
    *as_ranges(common_han()),
]


@dataclass(frozen=True)
class Source:
    """Where a face comes from: a variable font in a fontpkg wheel (instanced at the
    face's weight) or a static TTF of a Debian package (``fonts-noto-core``,
    ``fonts-symbola``); ``version`` is its name ID 5 up to the first ``;``, checked so
    that a rerun is cut from the same font."""

    file: str  # wheel member path, or file name in the system font folder
    version: str
    wheel_prefix: str | None = None  # wheel file name prefix; None: a system font
    origin: str = DEBIAN  # named in OFL.txt next to a Debian font's copyright notice
    package: str = "fonts-noto-core"  # the Debian package of a system font
    ofl: bool = True  # False: its licence is its own file, not a line of OFL.txt
    member: str | None = None  # the PostScript name of the face in a collection (.ttc)

    @property
    def variable(self) -> bool:
        return self.wheel_prefix is not None


@dataclass(frozen=True)
class Face:
    out_name: str  # file stem and PostScript name
    family: str
    style: str  # "Regular", "Bold", "Italic", "Bold Italic"
    source: Source
    weight: int
    ranges: Ranges
    emoji: bool = False  # keeps the emoji, and only what the families before it lack
    shaped: bool = True  # False: drawn character by character, its layout tables dropped


def wheel_source(package: str, member: str, version: str) -> Source:
    module = package.replace("-", "_")
    return Source(f"{module}/files/{member}", version, f"{module}-", f"PyPI {package}")


UPRIGHT = wheel_source("fontpkg-noto-sans", "NotoSans[wdth,wght].ttf", "Version 2.015")
ITALIC = wheel_source("fontpkg-noto-sans", "NotoSans-Italic[wdth,wght].ttf", "Version 2.015")
ARABIC_VF = wheel_source(
    "fontpkg-noto-sans-arabic", "NotoSansArabic[wdth,wght].ttf", "Version 2.012"
)
DEVANAGARI_VF = wheel_source(
    "fontpkg-noto-sans-devanagari", "NotoSansDevanagari[wdth,wght].ttf", "Version 2.007"
)
THAI_VF = wheel_source("fontpkg-noto-sans-thai", "NotoSansThai[wdth,wght].ttf", "Version 2.002")
KHMER_VF = wheel_source("fontpkg-noto-sans-khmer", "NotoSansKhmer[wdth,wght].ttf", "Version 2.004")
NOTO_CJK = Source(
    "NotoSansCJK-Regular.ttc",
    "Version 2.004",
    origin=f"Debian {CJK_PACKAGE} 20220127",
    package=CJK_PACKAGE,
    member="NotoSansCJKsc-Regular",
)
SYMBOLA = Source(
    "Symbola_hint.ttf",
    "Version 9.17",
    origin=f"Debian {SYMBOLA_PACKAGE} 2.60",
    package=SYMBOLA_PACKAGE,
    ofl=False,
)


def script_faces(
    family: str, version: str, ranges: Ranges, *, bold: bool = True, variable: Source | None = None
) -> list[Face]:
    """A fallback family's Regular face, and its Bold one where ``bold``: Debian's files
    of that ``version``, or instances of the ``variable`` font."""
    stem = family.replace(" ", "")
    faces = []
    for style, weight in [("Regular", 400), ("Bold", 700)][: 2 if bold else 1]:
        source = variable or Source(f"{stem}-{style}.ttf", version)
        faces.append(Face(f"{stem}-{style}", family, style, source, weight, ranges))
    return faces


SCRIPT = NEXT_TO_A_SCRIPT
FACES = [
    Face("NotoSans-Regular", "Noto Sans", "Regular", UPRIGHT, 400, LATIN_GREEK_CYRILLIC),
    Face("NotoSans-Bold", "Noto Sans", "Bold", UPRIGHT, 700, LATIN_GREEK_CYRILLIC),
    Face("NotoSans-Italic", "Noto Sans", "Italic", ITALIC, 400, LATIN_GREEK_CYRILLIC),
    Face("NotoSans-BoldItalic", "Noto Sans", "Bold Italic", ITALIC, 700, LATIN_GREEK_CYRILLIC),
    Face("NotoSansArabic-Regular", "Noto Sans Arabic", "Regular", ARABIC_VF, 400, ARABIC),
    Face("NotoSansArabic-Bold", "Noto Sans Arabic", "Bold", ARABIC_VF, 700, ARABIC),
    # The fallback families, in briefgen.text.fonts.FALLBACK_FAMILIES' order.
    *script_faces("Noto Sans Hebrew", "Version 3.000", HEBREW + SCRIPT),
    *script_faces("Noto Sans Armenian", "Version 2.005", ARMENIAN + SCRIPT),
    *script_faces("Noto Sans Georgian", "Version 2.001", GEORGIAN + SCRIPT),
    *script_faces("Noto Sans Devanagari", "", DEVANAGARI + SCRIPT, variable=DEVANAGARI_VF),
    *script_faces("Noto Sans Bengali", "Version 2.001", BENGALI + SCRIPT),
    *script_faces("Noto Sans Thai", "", THAI + SCRIPT, variable=THAI_VF),
    *script_faces("Noto Sans Ethiopic", "Version 2.000", ETHIOPIC + SCRIPT),
    *script_faces("Noto Sans Mongolian", "Version 2.001", MONGOLIAN + SCRIPT, bold=False),
    *script_faces("Noto Sans Khmer", "", KHMER + SCRIPT, variable=KHMER_VF),
    *script_faces("Noto Sans Thaana", "Version 2.000", THAANA + SCRIPT),
    *script_faces("Noto Sans Symbols", "Version 2.001", SYMBOLS),
    *script_faces("Noto Sans Symbols2", "Version 2.003", SYMBOLS, bold=False),
    *script_faces("Noto Sans Math", "Version 2.001", SYMBOLS, bold=False),
    # Symbola has no bold: bold text draws its emoji with the regular face.
    Face("Symbola-Regular", "Symbola", "Regular", SYMBOLA, 400, EMOJI, emoji=True),
    # The last resort (briefgen.text.fonts.LAST_RESORT_FAMILIES), after a look's own
    # fallback families. The Simplified Chinese face of the collection: Chinese is one of
    # the Assembly's languages; Japanese and Korean Han characters take its forms. No bold.
    Face("NotoSansCJKsc-Regular", "Noto Sans CJK SC", "Regular", NOTO_CJK, 400, CJK, shaped=False),
]


def find_wheel(wheel_dir: Path, prefix: str) -> Path:
    """Return the single wheel in ``wheel_dir`` whose name starts with ``prefix``."""
    matches = sorted(p for p in wheel_dir.glob(f"{prefix}*.whl"))
    if len(matches) != 1:
        sys.exit(f"expected exactly one {prefix}*.whl in {wheel_dir}, found {len(matches)}")
    return matches[0]


def read_member(wheel: Path, member: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member)


SystemDirs = Mapping[str, Path]  # a Debian package's font folder, by package name
OPTIONS = {
    "fonts-noto-core": "--system-fonts",
    SYMBOLA_PACKAGE: "--symbola-fonts",
    CJK_PACKAGE: "--cjk-fonts",
}


def system_file(source: Source, system_dirs: SystemDirs) -> Path:
    where = system_dirs[source.package] / source.file
    if not where.is_file():
        option = OPTIONS[source.package]
        sys.exit(f"{where} is missing: install {source.package}, or pass {option}")
    return where


def system_font(source: Source, system_dirs: SystemDirs) -> TTFont:
    """A Debian package's font: its file, or its face in a collection."""
    where = system_file(source, system_dirs)
    if source.member is None:
        return TTFont(where)
    names = [font["name"].getDebugName(6) for font in TTCollection(where, lazy=True)]
    if source.member not in names:
        sys.exit(f"{where} has no face {source.member}")
    return TTFont(where, fontNumber=names.index(source.member))


def read_source(source: Source, wheel_dir: Path, system_dirs: SystemDirs) -> TTFont:
    """The source font, checked to be the version the committed faces were cut from."""
    if source.wheel_prefix is not None:
        where = find_wheel(wheel_dir, source.wheel_prefix)
        font = TTFont(io.BytesIO(read_member(where, source.file)))
    else:
        where = system_file(source, system_dirs)
        font = system_font(source, system_dirs)
    version = font["name"].getDebugName(5).split(";")[0]
    if version != source.version:
        sys.exit(f"{where}: {source.file} is {version}, the faces were cut from {source.version}")
    return font


def static_instance(font: TTFont, weight: int) -> TTFont:
    return instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100})


def subset_ranges(face: Face, earlier: frozenset[int] = frozenset()) -> list[int]:
    """The code points to keep: the face's ranges, less the emoji; for the emoji face,
    less ``earlier``, what the fallback families before it draw (``covered_before``):
    the first family covering a character draws it, so a copy would never be used."""
    wanted = {cp for lo, hi in face.ranges for cp in range(lo, hi + 1)}
    if face.emoji:  # its spaces kept, as the symbol faces keep theirs: 🎉 🌍 is one run
        return sorted((wanted - earlier) | (wanted & {0x20, 0xA0}))
    emoji = {cp for lo, hi in EMOJI_PRESENTATION for cp in range(lo, hi + 1)}
    return sorted(wanted - emoji)


def covered_before(face: Face, built: Mapping[str, frozenset[int]]) -> frozenset[int]:
    """What the fallback families before ``face``'s (``FALLBACK_FAMILIES``) draw, in
    regular and bold text alike, from the character maps of the faces ``built``."""
    names = [family.family for family in FALLBACK_FAMILIES]
    earlier = FALLBACK_FAMILIES[: names.index(face.family)]
    regular = frozenset[int]().union(*(built[family.regular] for family in earlier))
    bold = frozenset[int]().union(*(built[family.bold] for family in earlier))
    return regular & bold


def subset_font(font: TTFont, unicodes: list[int], shaped: bool = True) -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep everything a shaper may need (init/medi/fina, mark…)
    options.hinting = False
    options.glyph_names = False
    options.notdef_outline = True  # a visible box for anything we cannot show
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    # MATH serves math typesetting engines (stretchy glyphs, script sizes), which
    # neither reportlab nor Word's text runs use.
    options.drop_tables += ["DSIG", "STAT", "MATH"]
    if not shaped:
        # Drawn glyph by glyph from its character map, in horizontal lines: no shaper
        # reads its layout (whose regional forms, locl, would double the CJK face), nor
        # its baselines and vertical metrics.
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def set_names(font: TTFont, face: Face) -> None:
    """Give the static instance the names, weight class and style bits of its face."""
    bold = "Bold" in face.style
    italic = "Italic" in face.style
    name = font["name"]
    ribbi_style = face.style
    name.removeNames(nameID=16)
    name.removeNames(nameID=17)
    name.setName(face.family, 1, 3, 1, 0x409)
    name.setName(ribbi_style, 2, 3, 1, 0x409)
    name.setName(f"{face.family} {ribbi_style}", 4, 3, 1, 0x409)
    name.setName(face.out_name, 6, 3, 1, 0x409)
    name.setName(f"{face.out_name};briefgen-subset", 3, 3, 1, 0x409)
    os2 = font["OS/2"]
    os2.usWeightClass = face.weight
    os2.fsSelection = (os2.fsSelection & ~0b1100001) | (0b1 if italic else 0)
    os2.fsSelection |= 0b100000 if bold else 0
    if not (bold or italic):
        os2.fsSelection |= 0b1000000  # REGULAR
    font["head"].macStyle = (1 if bold else 0) | (2 if italic else 0)


def truetype_outlines(font: TTFont) -> None:
    """Replace a font's PostScript outlines (``CFF``) by TrueType ones (``glyf``), which
    reportlab can embed: each cubic curve approximated by quadratic ones within 1 unit
    of the em (cu2qu, as fontTools' otf2ttf does), contours turned to TrueType's
    direction. Only the outlines change; advance widths and the character map stay."""
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = {}
    for name in glyf.glyphOrder:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    font["head"].glyphDataFormat = 0
    font["maxp"].tableVersion = 0x00010000  # TrueType's, with the counts glyf recomputes
    for field in [
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ]:
        setattr(font["maxp"], field, 1 if field == "maxZones" else 0)
    font["post"].formatType = 3.0  # no glyph names
    font.sfntVersion = "\x00\x01\x00\x00"


def build_face(
    face: Face, wheel_dir: Path, system_dirs: SystemDirs, earlier: frozenset[int] = frozenset()
) -> bytes:
    font = read_source(face.source, wheel_dir, system_dirs)
    if face.source.variable:
        font = static_instance(font, face.weight)
    subset_font(font, subset_ranges(face, earlier), face.shaped)
    if "CFF " in font:
        truetype_outlines(font)
    set_names(font, face)
    font.recalcTimestamp = False
    font["head"].created = PINNED_TIMESTAMP
    font["head"].modified = PINNED_TIMESTAMP
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def licence_text(wheel_dir: Path, system_dirs: SystemDirs) -> str:
    """The OFL from the Noto Sans wheel, with every other OFL source's copyright line
    added: the first line of each other wheel's licence, and the copyright notice (name
    ID 0) of each Debian family."""
    latin = read_member(find_wheel(wheel_dir, UPRIGHT.wheel_prefix or ""), _licence(UPRIGHT))
    first, rest = latin.decode().split("\n", 1)
    lines = [first]
    for face in FACES:
        source = face.source
        if not source.ofl:
            continue
        if source.variable:
            wheel = find_wheel(wheel_dir, source.wheel_prefix or "")
            line = read_member(wheel, _licence(source)).decode().splitlines()[0]
        else:
            notice = system_font(source, system_dirs)["name"].getDebugName(0)
            line = f"{notice} ({face.family}, {source.origin})"
        if line not in lines:
            lines.append(line)
    return "\n".join(lines) + "\n" + rest


def _licence(source: Source) -> str:
    return source.file.split("/", 1)[0] + "/LICENSE"


def symbola_licence(system_dirs: SystemDirs) -> str:
    """``Symbola-LICENSE.txt``: the upstream part of Debian's copyright file for
    ``fonts-symbola`` (author, copyright, licence; not the packaging's, which is not
    shipped), found as ``share/doc/fonts-symbola/copyright`` next to ``share/fonts``."""
    fonts = system_file(SYMBOLA, system_dirs)
    copyright_file = fonts.parents[3] / "doc" / SYMBOLA_PACKAGE / "copyright"
    if not copyright_file.is_file():
        sys.exit(f"{copyright_file} is missing: install {SYMBOLA_PACKAGE}")
    text = copyright_file.read_text(encoding="utf-8")
    start, end = text.index("Upstream Author:"), text.index("The Debian packaging is:")
    upstream = text[start:end].strip()
    if "free for any use" not in upstream:
        sys.exit(f"{copyright_file}: not the licence the committed face was cut under")
    return (
        "Symbola-Regular.ttf is a subset of Symbola (Version 9.17, by George Douros),\n"
        f"cut by tools/make_fonts.py from {SYMBOLA.file} of {SYMBOLA.origin}.\n"
        "Symbola is not under the SIL Open Font License: its licence, as Debian's\n"
        f"/usr/share/doc/{SYMBOLA_PACKAGE}/copyright gives it, follows.\n\n{upstream}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel_dir", type=Path, help="folder holding the five fontpkg wheels")
    parser.add_argument(
        "--system-fonts",
        type=Path,
        default=SYSTEM_FONTS,
        help=f"folder of fonts-noto-core's TTFs (default: {SYSTEM_FONTS})",
    )
    parser.add_argument(
        "--symbola-fonts",
        type=Path,
        default=SYMBOLA_FONTS,
        help=f"folder of fonts-symbola's Symbola_hint.ttf (default: {SYMBOLA_FONTS})",
    )
    parser.add_argument(
        "--cjk-fonts",
        type=Path,
        default=CJK_FONTS,
        help=f"folder of fonts-noto-cjk's NotoSansCJK-Regular.ttc (default: {CJK_FONTS})",
    )
    parser.add_argument(
        "--tables-only",
        action="store_true",
        help="only rewrite coverage.txt, coverage/ and widths/ from the fonts in place",
    )
    args = parser.parse_args()
    system_dirs = {
        "fonts-noto-core": args.system_fonts,
        SYMBOLA_PACKAGE: args.symbola_fonts,
        CJK_PACKAGE: args.cjk_fonts,
    }
    if not args.tables_only:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        built: dict[str, frozenset[int]] = {}  # each face's character map, as cut
        for face in FACES:
            earlier = covered_before(face, built) if face.emoji else frozenset[int]()
            data = build_face(face, args.wheel_dir, system_dirs, earlier)
            built[face.out_name] = frozenset(TTFont(io.BytesIO(data)).getBestCmap())
            (OUT_DIR / f"{face.out_name}.ttf").write_bytes(data)
            digest = hashlib.sha256(data).hexdigest()[:16]
            print(f"{face.out_name + '.ttf':<32} {len(data):>8} bytes  sha256 {digest}")
        licence = licence_text(args.wheel_dir, system_dirs)
        (OUT_DIR / "OFL.txt").write_text(licence, encoding="utf-8")
        (OUT_DIR / SYMBOLA_LICENCE).write_text(symbola_licence(system_dirs), encoding="utf-8")
    write_coverage()
    write_widths()


def write_coverage() -> None:
    """Write ``coverage/<face>.txt`` (what each face covers) and ``coverage.txt`` (what all
    but the last resort's cover: its thousands of scattered Han characters would make
    the check of every build's text slow), read by briefgen without reportlab."""
    covered: set[int] = set()
    last_resort = {family.regular for family in LAST_RESORT_FAMILIES}
    COVERAGE_DIR.mkdir(exist_ok=True)
    for old in COVERAGE_DIR.glob("*.txt"):
        old.unlink()
    for face in FACES:
        points = frozenset(TTFont(OUT_DIR / f"{face.out_name}.ttf").getBestCmap())
        (COVERAGE_DIR / f"{face.out_name}.txt").write_text(coverage_text(points), "ascii")
        if face.out_name not in last_resort:
            covered.update(points)
    text = coverage_text(frozenset(covered))
    (OUT_DIR / "coverage.txt").write_text(text, encoding="ascii")


def write_widths() -> None:
    """Write ``widths/<face>.json``: each face's advance widths, read by compose without
    reportlab (a file per face: a build reads only those of the faces it measures)."""
    WIDTHS_DIR.mkdir(exist_ok=True)
    for old in WIDTHS_DIR.glob("*.json"):
        old.unlink()
    for face in FACES:
        table = advance_widths(TTFont(OUT_DIR / f"{face.out_name}.ttf"))
        text = json.dumps(table, separators=(",", ":"), sort_keys=True)
        (WIDTHS_DIR / f"{face.out_name}.json").write_text(text + "\n", encoding="ascii")


if __name__ == "__main__":
    main()
