"""The fonts shipped with briefgen: where they are, what they cover, how reportlab gets them.

The ``.ttf`` files in ``fonts/`` are static, subset Noto faces cut by
``tools/make_fonts.py`` (see ``fonts/README.md``), which also writes
``fonts/coverage.txt``: the code points they cover, as ranges. Reading that small
table keeps reportlab out of builds that write no PDF; a test checks it against
the fonts' own character maps.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"

SANS = "NotoSans-Regular"
SANS_BOLD = "NotoSans-Bold"
SANS_ITALIC = "NotoSans-Italic"
SANS_BOLD_ITALIC = "NotoSans-BoldItalic"
ARABIC = "NotoSansArabic-Regular"
ARABIC_BOLD = "NotoSansArabic-Bold"

FACES = (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC, ARABIC, ARABIC_BOLD)
SHAPED_FACES = (ARABIC, ARABIC_BOLD)  # the faces the PDF writer shapes with HarfBuzz


def font_path(face: str) -> Path:
    return FONT_DIR / f"{face}.ttf"


COVERAGE_FILE = FONT_DIR / "coverage.txt"


@cache
def covered_codepoints() -> frozenset[int]:
    """Every code point some shipped face can draw, read from ``fonts/coverage.txt``."""
    covered: set[int] = set()
    for line in COVERAGE_FILE.read_text(encoding="ascii").split():
        first, _, last = line.partition("-")
        covered.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(covered)


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

    Fast on megabytes of text: it looks at each distinct character once.
    """
    covered = covered_codepoints()
    return sorted(
        char for char in set(text) if ord(char) not in covered and not _never_rendered(char)
    )
