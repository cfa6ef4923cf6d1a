"""The fonts shipped with briefgen: where they are, what they cover, how reportlab gets them.

The ``.ttf`` files in ``fonts/`` are static, subset Noto faces cut by
``tools/make_fonts.py`` (see ``fonts/README.md``), which also writes
``fonts/coverage.txt``: the code points they cover, as ranges. Reading that small
table keeps reportlab out of builds that write no PDF; a test checks it against
the fonts' own character maps.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from briefgen import bundled_folder

FONT_DIR = bundled_folder("fonts")

SANS = "NotoSans-Regular"
SANS_BOLD = "NotoSans-Bold"
SANS_ITALIC = "NotoSans-Italic"
SANS_BOLD_ITALIC = "NotoSans-BoldItalic"
ARABIC = "NotoSansArabic-Regular"
ARABIC_BOLD = "NotoSansArabic-Bold"

FACES = (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC, ARABIC, ARABIC_BOLD)


# The shipped families by the name documents give them, with their faces by slot.
TEXT_FAMILY = "Noto Sans"
ARABIC_FAMILY = "Noto Sans Arabic"
FAMILIES: dict[str, dict[str, str]] = {
    TEXT_FAMILY: {
        "Regular": SANS,
        "Bold": SANS_BOLD,
        "Italic": SANS_ITALIC,
        "BoldItalic": SANS_BOLD_ITALIC,
    },
    ARABIC_FAMILY: {"Regular": ARABIC, "Bold": ARABIC_BOLD},
}


SLOTS = ("Regular", "Bold", "Italic", "BoldItalic")


@dataclass(frozen=True, slots=True)
class Face:
    """A face to draw with: the name it is registered under, and its TrueType file."""

    name: str
    path: Path

    @property
    def shipped(self) -> bool:
        return self.path.parent == FONT_DIR


def shipped_face(name: str) -> Face:
    return Face(name, font_path(name))


def family_faces(family: str, files: Mapping[str, Path] | None) -> dict[str, Face]:
    """The four text faces of ``family`` by slot: shipped ones, or the given files.

    A family given by files without italics draws italic text upright. Each of its
    faces is named by the family, the slot and the file's hash, so that two files
    never share a name.
    """
    if files is None:
        return {slot: shipped_face(FAMILIES[family][slot]) for slot in SLOTS}
    stem = re.sub(r"[^A-Za-z0-9]+", "", family) or "Font"
    fallback = {"Italic": "Regular", "BoldItalic": "Bold"}
    faces = {}
    for slot in SLOTS:
        path = files.get(slot) or files[fallback[slot]]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        faces[slot] = Face(f"{stem}-{slot}-{digest}", path)
    return faces


SHAPED_FACES = (ARABIC, ARABIC_BOLD)  # the faces the PDF writer shapes with HarfBuzz


def font_path(face: str) -> Path:
    return FONT_DIR / f"{face}.ttf"


COVERAGE_FILE = FONT_DIR / "coverage.txt"


def _covered_ranges() -> list[tuple[int, int]]:
    """The ranges of ``fonts/coverage.txt``: first and last code point, both covered."""
    ranges = []
    for line in COVERAGE_FILE.read_text(encoding="ascii").split():
        first, _, last = line.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return ranges


@cache
def covered_codepoints() -> frozenset[int]:
    """Every code point some shipped face can draw, read from ``fonts/coverage.txt``."""
    return frozenset(point for first, last in _covered_ranges() for point in range(first, last + 1))


@cache
def _outside_coverage() -> re.Pattern[str]:
    """Matches a character that is neither whitespace nor in a covered range."""
    ranges = "".join(f"\\U{first:08X}-\\U{last:08X}" for first, last in _covered_ranges())
    return re.compile(f"[^\\s{ranges}]")


def coverage_text(codepoints: frozenset[int]) -> str:
    """Return ``codepoints`` as the lines of ``fonts/coverage.txt``: hex ranges, ascending."""
    lines, ordered = [], sorted(codepoints)
    start = previous = ordered[0]
    for point in [*ordered[1:], -1]:
        if point != previous + 1:
            lines.append(f"{start:04X}" if start == previous else f"{start:04X}-{previous:04X}")
            start = point
        previous = point
    return "\n".join(lines) + "\n"


def _never_rendered(char: str) -> bool:
    """Whitespace, control and format characters and variation selectors: no glyph of their own."""
    return (
        char.isspace() or unicodedata.category(char) in ("Cc", "Cf") or "\ufe00" <= char <= "\ufe0f"
    )


def uncovered_characters(text: str) -> list[str]:
    """The distinct characters of ``text`` that no shipped font can draw, sorted.

    One regular-expression search finds the candidates (every build checks every
    string of its input); control and format characters among them need no glyph.
    """
    candidates = set(_outside_coverage().findall(text))
    return sorted(char for char in candidates if not _never_rendered(char))


def truetype_problem(path: Path) -> str | None:
    """What makes a TrueType file unusable (damaged, or its licence forbids embedding),
    or None. It is read as the PDF writer reads fonts: only then is reportlab's font
    parser imported, so only a look that brings its own fonts pays for it."""
    from reportlab.pdfbase.ttfonts import TTFError

    try:
        read_truetype(path)
    except TTFError as error:
        return str(error)
    except (OSError, ValueError, IndexError, KeyError, struct.error) as error:
        return f"the file is damaged ({type(error).__name__})"
    return None


def read_truetype(path: Path) -> Any:
    """The file parsed by reportlab (``TTFontFile``), once per version of the file."""
    stat = path.stat()
    return _read_truetype(path, stat.st_size, stat.st_mtime_ns)


@cache
def _read_truetype(path: Path, _size: int, _mtime: int) -> Any:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return TTFontFile(str(path))
