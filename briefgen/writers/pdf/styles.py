"""The look of the PDF: colours, the type scale and every paragraph style, made once.

Styles are module constants so that no paragraph ever creates a style of its own.
"""

from __future__ import annotations

from typing import Final

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm

from briefgen.text.fonts import SANS, SANS_BOLD, SANS_ITALIC

ACCENT: Final[Color] = HexColor("#1B3A6B")  # deep blue
ACCENT_TINT: Final[Color] = HexColor("#EEF2F8")  # key messages box
RULE: Final[Color] = HexColor("#C8CFDA")  # table row rules, header rule
INK: Final[Color] = HexColor("#1C1F24")
MUTED: Final[Color] = HexColor("#5E6673")
DRAFT_GREY: Final[Color] = HexColor("#E3E3E3")
WHITE: Final[Color] = HexColor("#FFFFFF")

MARGIN_X: Final[float] = 2.4 * cm
MARGIN_TOP: Final[float] = 2.6 * cm
MARGIN_BOTTOM: Final[float] = 2.4 * cm
HEADER_FOOTER_SIZE: Final[float] = 8
LOGO_MAX: Final[tuple[float, float]] = (5 * cm, 3 * cm)
LIST_INDENT: Final[float] = 16
TABLE_PADDING: Final[float] = 5


def _style(name: str, **kwargs: object) -> ParagraphStyle:
    defaults: dict[str, object] = {
        "fontName": SANS,
        "fontSize": 10,
        "leading": 14.5,
        "textColor": INK,
        "alignment": TA_LEFT,
        "spaceAfter": 6,
    }
    defaults.update(kwargs)
    return ParagraphStyle(name, **defaults)


BODY: Final = _style("body")
BYLINE: Final = _style(  # keeps with the statement it introduces, as headings do
    "byline", fontSize=8.5, leading=12, textColor=MUTED, spaceAfter=4, keepWithNext=1
)
NOTE: Final = _style("note", fontName=SANS_ITALIC, fontSize=8.5, leading=12, textColor=MUTED)
COVER_LINE: Final = _style("cover-line", fontSize=11, leading=16, textColor=INK, spaceAfter=2)

ROLE_STYLES: Final[dict[str, ParagraphStyle]] = {
    "body": BODY,
    "byline": BYLINE,
    "note": NOTE,
    "cover-line": COVER_LINE,
}

HEADINGS: Final[tuple[ParagraphStyle, ...]] = (
    _style(
        "h1",
        fontName=SANS_BOLD,
        fontSize=17,
        leading=22,
        textColor=ACCENT,
        spaceBefore=20,
        spaceAfter=9,
        keepWithNext=1,
    ),
    _style(
        "h2",
        fontName=SANS_BOLD,
        fontSize=13,
        leading=17,
        textColor=ACCENT,
        spaceBefore=14,
        spaceAfter=6,
        keepWithNext=1,
    ),
    _style(
        "h3",
        fontName=SANS_BOLD,
        fontSize=10.5,
        leading=14.5,
        spaceBefore=10,
        spaceAfter=4,
        keepWithNext=1,
    ),
)

COVER_TITLE: Final = _style(
    "cover-title", fontName=SANS_BOLD, fontSize=30, leading=36, textColor=ACCENT, spaceAfter=12
)
COVER_SUBTITLE: Final = _style(
    "cover-subtitle", fontSize=15, leading=21, textColor=MUTED, spaceAfter=26
)

TABLE_CELL: Final = _style("table-cell", fontSize=8.8, leading=12, spaceAfter=0)
TABLE_HEAD: Final = _style(
    "table-head", fontName=SANS_BOLD, fontSize=8.8, leading=12, textColor=WHITE, spaceAfter=0
)

CONTENTS_TITLE: Final = HEADINGS[0]
CONTENTS_ENTRIES: Final[tuple[ParagraphStyle, ...]] = (
    _style("toc-1", fontName=SANS_BOLD, fontSize=10.5, leading=14, spaceBefore=7, spaceAfter=2),
    _style("toc-2", fontSize=10, leading=13.5, leftIndent=14, spaceAfter=2),
    _style("toc-3", fontSize=9.2, leading=12.5, leftIndent=28, textColor=MUTED, spaceAfter=1),
)


def heading_style(level: int) -> ParagraphStyle:
    """Levels beyond 3 share the level-3 style: a briefing pack rarely goes deeper."""
    return HEADINGS[min(max(level, 1), len(HEADINGS)) - 1]


def contents_style(level: int) -> ParagraphStyle:
    return CONTENTS_ENTRIES[min(max(level, 1), len(CONTENTS_ENTRIES)) - 1]
