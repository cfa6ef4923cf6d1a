"""How wide text is in the shipped faces, without loading a font library.

``fonts/widths/<face>.json`` holds a face's advance widths in thousandths of the font
size, in runs of consecutive code points; ``tools/make_fonts.py`` writes them from
the fonts, and a test checks them against them. Widths are summed as reportlab's PDF
writer sums them, so a width decided in ``compose`` is the one the PDF measures.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

from briefgen.text.fonts import FONT_DIR, Face, fallback_runs, font_path, read_truetype

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

WIDTHS_DIR = FONT_DIR / "widths"


def string_width(text: str, face: Face, size: float) -> float:
    """Return the width of ``text`` set in ``face`` at ``size`` points, in points."""
    widths, default = _face_widths(face)
    return 0.001 * sum([widths.get(ord(char), default) for char in text]) * size


def drawn_width(text: str, face: Face, size: float, bold: bool = False) -> float:
    """Return the width of ``text`` as the PDF draws it in ``face`` at ``size`` points:
    each character ``face`` lacks in the fallback face that draws it (Chinese in the CJK
    face, a full em each), not at the width of ``face``'s empty box."""
    widths = _face_widths(face)[0]
    if all(ord(char) in widths for char in text):
        return string_width(text, face, size)
    runs = fallback_runs(text, frozenset(widths), bold)
    return sum(
        string_width(run, face if drawn is None else Face(drawn, font_path(drawn)), size)
        for drawn, run in runs
    )


def is_wide(char: str) -> bool:
    """Whether ``char`` is wide (Chinese, Japanese, Korean; full-width forms): as wide
    as two Latin letters in a fixed-width setting."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _face_widths(face: Face) -> tuple[dict[int, float], float]:
    return _widths(face.name) if face.shipped else _file_widths(face)


@cache
def shipped_codepoints(face: str) -> frozenset[int]:
    """The code points a shipped face draws: those ``fonts/widths/<face>.json`` has widths for."""
    return frozenset(_widths(face)[0])


@cache
def _file_widths(face: Face) -> tuple[dict[int, float], float]:
    """The widths of a face a look brings, read as its PDF writer reads them."""
    font = read_truetype(face.path)
    return dict(font.charWidths), float(font.defaultWidth)


@cache
def _widths(face: str) -> tuple[dict[int, float], float]:
    table = json.loads((WIDTHS_DIR / f"{face}.json").read_text(encoding="ascii"))
    widths = {
        first + offset: width for first, run in table["runs"] for offset, width in enumerate(run)
    }
    return widths, table["default"]


def advance_widths(font: TTFont) -> dict[str, Any]:
    """Return a font's ``widths/<face>.json``: its advance widths per 1,000 units, in runs."""
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {point: metrics[glyph][0] * scale for point, glyph in font.getBestCmap().items()}
    if 0x20 in widths:  # reportlab draws a no-break space as the space (TTFontFile)
        widths[0xA0] = widths[0x20]
    runs: list[list[Any]] = []
    for point in sorted(widths):
        if runs and runs[-1][0] + len(runs[-1][1]) == point:
            runs[-1][1].append(_number(widths[point]))
        else:
            runs.append([point, [_number(widths[point])]])
    return {"default": _number(metrics[".notdef"][0] * scale), "runs": runs}


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else value
