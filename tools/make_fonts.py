"""Regenerate the static, subset Noto fonts committed in ``briefgen/fonts/``.

Usage (fontTools is a dev dependency; users and CI never run this)::

    pip download --no-deps -d /tmp/fp fontpkg-noto-sans fontpkg-noto-sans-arabic
    uv run python tools/make_fonts.py /tmp/fp

The wheels ship variable fonts (``wght`` and ``wdth`` axes). reportlab only sees
the default instance of a variable font, so every face we need is cut here as a
static instance (``wdth`` 100; ``wght`` 400 or 700), subset to the scripts a
briefing pack uses, with hinting and glyph names dropped to keep the files small.
The output is deterministic: running it twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

from briefgen.text.fonts import coverage_text
from briefgen.text.metrics import advance_widths

OUT_DIR = Path(__file__).resolve().parent.parent / "briefgen" / "fonts"

# 2024-01-01T00:00:00Z in the OpenType epoch (seconds since 1904-01-01).
PINNED_TIMESTAMP = 3786825600

LATIN_GREEK_CYRILLIC = [
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

ARABIC = [
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


@dataclass(frozen=True)
class Face:
    out_name: str  # file stem and PostScript name
    family: str
    style: str  # "Regular", "Bold", "Italic", "Bold Italic"
    wheel_prefix: str  # wheel file name prefix
    member: str  # path of the variable font inside the wheel
    weight: int
    ranges: list[tuple[int, int]]


NOTO = "fontpkg_noto_sans-"
ARAB = "fontpkg_noto_sans_arabic-"
UPRIGHT = "fontpkg_noto_sans/files/NotoSans[wdth,wght].ttf"
ITALIC = "fontpkg_noto_sans/files/NotoSans-Italic[wdth,wght].ttf"
ARABIC_VF = "fontpkg_noto_sans_arabic/files/NotoSansArabic[wdth,wght].ttf"

FACES = [
    Face("NotoSans-Regular", "Noto Sans", "Regular", NOTO, UPRIGHT, 400, LATIN_GREEK_CYRILLIC),
    Face("NotoSans-Bold", "Noto Sans", "Bold", NOTO, UPRIGHT, 700, LATIN_GREEK_CYRILLIC),
    Face("NotoSans-Italic", "Noto Sans", "Italic", NOTO, ITALIC, 400, LATIN_GREEK_CYRILLIC),
    Face(
        "NotoSans-BoldItalic", "Noto Sans", "Bold Italic", NOTO, ITALIC, 700, LATIN_GREEK_CYRILLIC
    ),
    Face("NotoSansArabic-Regular", "Noto Sans Arabic", "Regular", ARAB, ARABIC_VF, 400, ARABIC),
    Face("NotoSansArabic-Bold", "Noto Sans Arabic", "Bold", ARAB, ARABIC_VF, 700, ARABIC),
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


def static_instance(data: bytes, weight: int) -> TTFont:
    font = TTFont(io.BytesIO(data))
    return instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100})


def subset_font(font: TTFont, ranges: list[tuple[int, int]]) -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep everything a shaper may need (init/medi/fina, mark…)
    options.hinting = False
    options.glyph_names = False
    options.notdef_outline = True  # a visible box for anything we cannot show
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.drop_tables += ["DSIG", "STAT"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for lo, hi in ranges for cp in range(lo, hi + 1)])
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


def build_face(face: Face, wheel_dir: Path) -> bytes:
    data = read_member(find_wheel(wheel_dir, face.wheel_prefix), face.member)
    font = static_instance(data, face.weight)
    subset_font(font, face.ranges)
    set_names(font, face)
    font.recalcTimestamp = False
    font["head"].created = PINNED_TIMESTAMP
    font["head"].modified = PINNED_TIMESTAMP
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def licence_text(wheel_dir: Path) -> str:
    """The OFL from the Noto Sans wheel, with the Arabic font's copyright line added."""
    latin = read_member(find_wheel(wheel_dir, NOTO), "fontpkg_noto_sans/LICENSE").decode()
    arabic = read_member(find_wheel(wheel_dir, ARAB), "fontpkg_noto_sans_arabic/LICENSE").decode()
    arabic_copyright = arabic.splitlines()[0]
    first, rest = latin.split("\n", 1)
    return f"{first}\n{arabic_copyright}\n{rest}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel_dir", type=Path, help="folder holding the two fontpkg wheels")
    parser.add_argument(
        "--tables-only",
        action="store_true",
        help="only rewrite coverage.txt and widths.json from the fonts already in place",
    )
    args = parser.parse_args()
    if args.tables_only:
        write_coverage()
        write_widths()
        return
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        data = build_face(face, args.wheel_dir)
        (OUT_DIR / f"{face.out_name}.ttf").write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()[:16]
        print(f"{face.out_name}.ttf  {len(data):>8} bytes  sha256 {digest}")
    (OUT_DIR / "OFL.txt").write_text(licence_text(args.wheel_dir), encoding="utf-8")
    write_coverage()
    write_widths()


def write_coverage() -> None:
    """Write ``coverage.txt``: what the faces cover, read by briefgen without reportlab."""
    covered: set[int] = set()
    for face in FACES:
        covered.update(TTFont(OUT_DIR / f"{face.out_name}.ttf").getBestCmap())
    text = coverage_text(frozenset(covered))
    (OUT_DIR / "coverage.txt").write_text(text, encoding="ascii")


def write_widths() -> None:
    """Write ``widths.json``: each face's advance widths, read by compose without reportlab."""
    tables = {
        face.out_name: advance_widths(TTFont(OUT_DIR / f"{face.out_name}.ttf")) for face in FACES
    }
    text = json.dumps(tables, separators=(",", ":"), sort_keys=True)
    (OUT_DIR / "widths.json").write_text(text + "\n", encoding="ascii")


if __name__ == "__main__":
    main()
