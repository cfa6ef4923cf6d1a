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

from briefgen.look import Fonts, Look, TextStyle
from briefgen.text.hyphenation import hyphenation_dictionary
from briefgen.writers.pdf.fonts import register_look_faces


@dataclass(frozen=True, slots=True)
class PdfStyles:
    """Every style and colour the PDF writer draws with, for one look."""

    look: Look
    regular_face: str
    """The registered name of the look's regular text face (bullets, table defaults)."""
    roles: dict[str, ParagraphStyle]
    headings: tuple[ParagraphStyle, ...]
    contents_levels: tuple[ParagraphStyle, ...]
    furniture_right: ParagraphStyle
    hyphenated_roles: frozenset[str]
    """The roles whose words are broken at syllables at a line's end (``hyphenate``)."""

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
    fonts = look.font
    roles = {
        role.replace("_", "-"): paragraph_style(role.replace("_", "-"), style, fonts)
        for role, style in look.text
    }
    return PdfStyles(
        look=look,
        regular_face=register_look_faces(fonts),
        roles=roles,
        headings=tuple(
            paragraph_style(f"h{level}", style, fonts)
            for level, style in enumerate(look.headings, 1)
        ),
        contents_levels=tuple(
            paragraph_style(f"toc-{level}", style, fonts)
            for level, style in enumerate(look.contents.levels, 1)
        ),
        furniture_right=ParagraphStyle(
            "furniture-right", parent=roles["furniture"], alignment=TA_RIGHT
        ),
        hyphenated_roles=frozenset(
            role.replace("_", "-") for role, style in look.text if style.hyphenate
        ),
    )


@cache
def hyphenated(style: ParagraphStyle, language: str) -> ParagraphStyle:
    """``style`` breaking long words at syllables by the rules of ``language``, or
    ``style`` itself for a language without hyphenation rules."""
    dictionary = hyphenation_dictionary(language)
    if dictionary is None:
        return style
    return ParagraphStyle(
        f"{style.name}-{dictionary}",
        parent=style,
        hyphenationLang=dictionary,
        embeddedHyphenation=1,
    )


@cache
def mirrored(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` for a paragraph that reads right to left: a look's indent is on the side
    where lines start, its right (a nested contents entry steps in from the right)."""
    if not (style.leftIndent or style.rightIndent):
        return style
    return ParagraphStyle(
        f"{style.name}-rtl",
        parent=style,
        leftIndent=style.rightIndent,
        rightIndent=style.leftIndent,
    )


def paragraph_style(name: str, style: TextStyle, fonts: Fonts) -> ParagraphStyle:
    """A reportlab paragraph style for one of the look's text styles."""
    return ParagraphStyle(
        name,
        fontName=fonts.face(bold=style.bold, italic=style.italic).name,
        fontSize=style.size,
        leading=style.leading,
        textColor=colour(style.colour),
        alignment=TA_LEFT,
        spaceBefore=style.space_before,
        spaceAfter=style.space_after,
        leftIndent=style.indent,
        keepWithNext=int(style.keep_with_next),
    )


def first_baseline(style: ParagraphStyle) -> float:
    """How far below a paragraph's top its first baseline lies: the font size, where
    reportlab's paragraph sets it (``rl_config.paraFontSizeHeightOffset``); the bidi
    paragraph and the contents' page numbers follow it, so that lines side by side in
    a table row or a contents line share their baseline."""
    return float(style.fontSize)


@cache
def colour(hex_colour: str) -> Color:
    return HexColor(hex_colour)
