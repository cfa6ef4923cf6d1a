"""The look in reportlab's terms: paragraph styles and colours made from a ``Look``, once.

Nothing here decides how the pack looks; ``briefgen.look`` does. Styles are made once
per look and shared, so that no paragraph ever creates a style of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from briefgen.look import Look, TextStyle
from briefgen.text.fonts import text_face


@dataclass(frozen=True, slots=True)
class PdfStyles:
    """Every style and colour the PDF writer draws with, for one look."""

    look: Look
    roles: dict[str, ParagraphStyle]
    headings: tuple[ParagraphStyle, ...]
    contents_levels: tuple[ParagraphStyle, ...]
    furniture_right: ParagraphStyle

    @property
    def link(self) -> str:
        """The colour of links, ``#RRGGBB``."""
        return self.look.colours.link

    def role(self, role: str) -> ParagraphStyle:
        return self.roles[role]

    def heading(self, level: int) -> ParagraphStyle:
        return self.headings[min(max(level, 1), len(self.headings)) - 1]

    def contents_level(self, level: int) -> ParagraphStyle:
        return self.contents_levels[min(max(level, 1), len(self.contents_levels)) - 1]


@cache
def pdf_styles(look: Look) -> PdfStyles:
    """Return the reportlab styles of ``look`` (made once per look)."""
    roles = {
        role.replace("_", "-"): paragraph_style(role.replace("_", "-"), style)
        for role, style in look.text
    }
    return PdfStyles(
        look=look,
        roles=roles,
        headings=tuple(
            paragraph_style(f"h{level}", style) for level, style in enumerate(look.headings, 1)
        ),
        contents_levels=tuple(
            paragraph_style(f"toc-{level}", style)
            for level, style in enumerate(look.contents.levels, 1)
        ),
        furniture_right=ParagraphStyle(
            "furniture-right", parent=roles["furniture"], alignment=TA_RIGHT
        ),
    )


def paragraph_style(name: str, style: TextStyle) -> ParagraphStyle:
    """A reportlab paragraph style for one of the look's text styles."""
    return ParagraphStyle(
        name,
        fontName=face(style),
        fontSize=style.size,
        leading=style.leading,
        textColor=colour(style.colour),
        alignment=TA_LEFT,
        spaceBefore=style.space_before,
        spaceAfter=style.space_after,
        leftIndent=style.indent,
        keepWithNext=int(style.keep_with_next),
    )


def face(style: TextStyle) -> str:
    """The registered face of a text style (the look's family, bold and italic as asked)."""
    return text_face(bold=style.bold, italic=style.italic)


@cache
def colour(hex_colour: str) -> Color:
    return HexColor(hex_colour)
