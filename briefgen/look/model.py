"""The ``Look`` model: every key of ``look.yaml``, validated, lengths held in points.

Colours may name one of the look's own colours (the palette, passed in the validation
context), and a family of one's own is read from the files the look names.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from briefgen.input.booleans import YamlBool
from briefgen.input.characters import no_control_characters, single_line
from briefgen.input.diagnostics import Unit, did_you_mean, shown_apart, shown_within
from briefgen.input.files import kind_of, open_regular
from briefgen.text.fonts import (
    ARABIC_FAMILY,
    SLOTS,
    TEXT_FAMILY,
    Face,
    FallbackFamily,
    family_faces,
    own_fallback_family,
    truetype_problem,
)

LOOK_FILE = "look.yaml"
MAX_HEADING_LEVEL = 3
"""The deepest heading level of the pack's structure (outline, contents, h1-h3)."""
SHIPPED_FAMILIES = (TEXT_FAMILY,)
SHIPPED_ARABIC_FAMILIES = (ARABIC_FAMILY,)
Bullet = Annotated[str, AfterValidator(no_control_characters), AfterValidator(single_line)]
"""A list level's mark, drawn in every format: a NUL or other control character, even
escaped in YAML ("\\x00"), is no text a DOCX can hold. It may be empty (no mark)."""
FamilyName = Annotated[
    str, Field(min_length=1), AfterValidator(no_control_characters), AfterValidator(single_line)
]
"""A font family's name, written into the DOCX and the HTML's styles as a bullet is."""

_POINTS_PER = {"pt": 1.0, "in": 72.0, "cm": 72.0 / 2.54, "mm": 72.0 / 25.4}
_LENGTH = re.compile(r"\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|in|cm|mm)?\s*")
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def _points(value: object) -> object:
    """A length: a number of points, or text such as ``2.4cm``, ``1in``, ``12pt``."""
    if isinstance(value, str):
        found = _LENGTH.fullmatch(value)
        if found is None:
            raise ValueError(f"'{value}' is not a length (a number, or with pt, cm, mm or in)")
        return float(found[1]) * _POINTS_PER[found[2] or "pt"]
    return value


# Bounds that keep a layout possible: no text without height, nothing wider than a wall.
POINTS = Unit("pt", tuple((unit, size) for unit, size in _POINTS_PER.items() if unit != "pt"))
Length = Annotated[float, BeforeValidator(_points), Field(ge=0, le=2000), POINTS]
TextLength = Annotated[float, BeforeValidator(_points), Field(gt=0, le=144), POINTS]
Spacing = Annotated[float, BeforeValidator(_points), Field(ge=0, le=72), POINTS]  # paddings, rules
LEAST_TEXT_AREA = 144.0  # points (5 cm) of width and height the margins must leave
HEADER_RULE_GAP = 14.0  # points between the header's rule and the top of the text area
HEADER_LINE_GAP = 6.0  # points between the running header's line and its rule
FOOTER_GAP = 26.0  # points between the bottom of the text area and the page label's baseline
NUMBER_GUTTER = 36.0  # points kept at the end of a contents or index line for its page number


def _hex_colour(value: object, info: ValidationInfo) -> object:
    """A colour: ``#RRGGBB``, or the name of one of the look's colours (its palette)."""
    palette: dict[str, str] = (info.context or {}).get("palette", {})
    if value is None:  # "accent: #7A1F3D": YAML reads a comment, and no value
        raise ValueError('no colour: write it in quotes, "#RRGGBB" (unquoted, # starts a comment)')
    if isinstance(value, str) and not _HEX_COLOUR.fullmatch(value):
        if not _HEX_COLOUR.fullmatch(palette.get(value, value)):
            raise ValueError(_not_a_colour(value, palette))
        value = palette[value]
    return value.upper() if isinstance(value, str) else value


def _not_a_colour(value: str, palette: dict[str, str]) -> str:
    """Why ``value`` is no colour, and what would be one."""
    named = palette.get(value)
    if named in palette:
        return f"'{value}' leads in a circle through the names under 'colours'"
    if named is not None:  # its own error is reported where it is set
        return f"'{value}' names a colour under 'colours' that is not one ('{named}')"
    hint = f" (did you mean '#{value}'?)" if _HEX_COLOUR.fullmatch(f"#{value}") else ""
    return (
        f"'{value}' is not a colour: #RRGGBB, or a name under 'colours'"
        f" ({', '.join(palette)}){hint or did_you_mean(value, palette)}"
    )


Colour = Annotated[str, BeforeValidator(_hex_colour)]
"""``#RRGGBB``, upper case. Names of the look's colours are replaced before validation."""


class _Part(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", alias_generator=lambda name: name.replace("_", "-")
    )


class TextStyle(_Part):
    """How a paragraph of one role looks."""

    size: TextLength
    leading: TextLength
    colour: Colour
    bold: YamlBool = False
    italic: YamlBool = False
    space_before: Spacing = 0.0
    space_after: Spacing = 0.0
    indent: Spacing = 0.0
    keep_with_next: YamlBool = False
    hyphenate: YamlBool = False
    """Break words too long for the end of a line at a syllable, with a hyphen, by the
    hyphenation rules of the text's language (where there are some)."""


def _shipped(choices: tuple[str, ...]) -> Any:
    def check(value: object) -> object:
        if value not in choices:
            raise ValueError(f"'{value}' is not a font briefgen ships; choose {', '.join(choices)}")
        return value

    return BeforeValidator(check)


def _font_file(value: object, info: ValidationInfo) -> object:
    """A TrueType file named relative to the look.yaml that names it, inside its folder."""
    if not isinstance(value, str):
        return value
    folder: Path = (info.context or {}).get("folder", Path.cwd())
    path = (folder / value).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise ValueError(f"'{value}' is outside the templates folder")
    problem = _unreadable(path, value)
    if problem is not None:
        raise ValueError(problem)
    try:
        with open_regular(path) as file:
            head = file.read(4)
    except OSError as error:
        raise ValueError(f"'{value}' cannot be read: {error.strerror}") from None
    if head not in (b"\x00\x01\x00\x00", b"true"):
        kind = "an OpenType font with PostScript outlines" if head == b"OTTO" else "not a font"
        raise ValueError(f"'{value}' is {kind}; briefgen draws TrueType fonts (.ttf)")
    problem = truetype_problem(path)
    if problem is not None:
        raise ValueError(f"'{value}' cannot be used: {problem}")
    return path


def _unreadable(path: Path, value: str) -> str | None:
    """Why the file a look names is none to read (missing, a folder, a FIFO), or None:
    checked before it is opened, as a FIFO would block the read."""
    try:
        kind = kind_of(path.stat().st_mode)
    except FileNotFoundError:
        return f"'{value}' not found (paths are relative to the look.yaml)"
    except OSError as error:
        return f"'{value}' cannot be read: {error.strerror}"
    return None if kind is None else f"'{value}' is {kind}; name a TrueType file (.ttf)"


FontFile = Annotated[Path, BeforeValidator(_font_file)]


class FontFiles(_Part):
    """A family's TrueType files; italics are optional (upright text stands in)."""

    regular: FontFile
    bold: FontFile
    italic: FontFile | None = None
    bold_italic: FontFile | None = None

    def by_slot(self) -> dict[str, Path]:
        slots = zip(SLOTS, (self.regular, self.bold, self.italic, self.bold_italic), strict=True)
        return {slot: path for slot, path in slots if path is not None}


class FallbackFiles(_Part):
    """A fallback family's TrueType files; without a bold face, bold text is drawn upright."""

    regular: FontFile
    bold: FontFile | None = None


class FallbackFont(_Part):
    """A family of one's own that draws what no shipped family has (Chinese, Japanese,
    Korean), after the shipped fallback families."""

    family: FamilyName
    files: FallbackFiles


class Fonts(_Part):
    files: FontFiles | None = None  # validated first: the family's check reads it
    family: FamilyName
    arabic: Annotated[str, _shipped(SHIPPED_ARABIC_FAMILIES)]
    embed: YamlBool
    fallback: tuple[FallbackFont, ...] = Field(default=(), max_length=8)

    @field_validator("family")
    @classmethod
    def _family_is_drawable(cls, family: str, info: ValidationInfo) -> str:
        files_given = "files" not in info.data or info.data["files"] is not None
        if not files_given and family not in SHIPPED_FAMILIES:
            shipped = ", ".join(SHIPPED_FAMILIES)
            raise ValueError(
                f"'{family}' is not a font briefgen ships ({shipped}); name its TrueType"
                " files under font.files"
            )
        return family

    _faces: dict[str, Face] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        # Named by the files' contents as they are now: a font replaced between two
        # builds of one process (watch) is read again.
        self._faces.update(
            family_faces(self.family, None if self.files is None else self.files.by_slot())
        )

    def faces(self) -> dict[str, Face]:
        """The text faces by slot (``Regular``, ``Bold``, ``Italic``, ``BoldItalic``)."""
        return self._faces

    def fallback_families(self) -> tuple[FallbackFamily, ...]:
        """The look's own fallback families, in order (after the shipped ones)."""
        return tuple(
            own_fallback_family(
                font.family,
                {"Regular": font.files.regular}
                | ({"Bold": font.files.bold} if font.files.bold else {}),
            )
            for font in self.fallback
        )

    def face(self, *, bold: bool, italic: bool) -> Face:
        return self._faces[("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"]


class Colours(_Part):
    accent: Colour
    accent_tint: Colour
    rule: Colour
    ink: Colour
    muted: Colour
    on_accent: Colour
    link: Colour
    draft: Colour


class Margins(_Part):
    top: Length
    bottom: Length
    left: Length
    right: Length


class PaperSizes(_Part):
    model_config = ConfigDict(frozen=True, extra="forbid")

    A4: tuple[Length, Length]
    Letter: tuple[Length, Length]


class Rule(_Part):
    colour: Colour
    width: Spacing


def _typed_unit(values: list[Any]) -> tuple[str, float] | None:
    """The unit other than points all ``values`` were typed in, and its size in points."""
    units = {typed[1:] if (typed := POINTS.typed_in(value)) else None for value in values}
    return units.pop() if len(units) == 1 else None


def _as_typed(value: Any) -> str:
    return value.strip() if isinstance(value, str) else f"{value:g}"


def _box_within(width: float, height: float, unit: tuple[str, float] | None) -> str:
    """A box's sides as bounds ("459.21 x 650.26 pt"), in ``unit`` if one is given."""
    if unit is None:
        return f"{shown_within(width, upper=True)} x {shown_within(height, upper=True)} pt"
    name, size = unit
    return " x ".join(f"{shown_within(side / size, upper=True)}{name}" for side in (width, height))


def _too_little_room(room: float, sides: tuple[str, str], given: list[Any], where: str) -> str:
    """What margins leave too little room for text say, in the unit they were typed in."""
    margins = f"the {sides[0]} and {sides[1]} margins ({' and '.join(map(_as_typed, given))})"
    least = f"{LEAST_TEXT_AREA:g} pt"
    left = f"{shown_apart(room, LEAST_TEXT_AREA)} pt"
    unit = _typed_unit(given)
    if unit is not None:
        name, size = unit
        least += f" ({shown_within(LEAST_TEXT_AREA / size, upper=False)}{name})"
        left += f" ({shown_apart(room / size, LEAST_TEXT_AREA / size)}{name})"
    if room <= 0:
        return f"{margins} leave no {where}: at least {least}"
    return f"{margins} leave {left} of {where}: at least {least}"


class Page(_Part):
    sizes: PaperSizes
    margins: Margins
    logo: tuple[Length, Length]
    header_rule: Rule

    def size(self, paper: str) -> tuple[float, float]:
        """Return the width and height of ``paper`` (``A4`` or ``Letter``), in points."""
        return self.sizes.A4 if paper == "A4" else self.sizes.Letter

    @model_validator(mode="wrap")
    @classmethod
    def _room_for_text(cls, data: Any, handler: ModelWrapValidatorHandler[Page]) -> Page:
        """The margins leave room for text, and the logo box fits in it: checked with the
        values as typed at hand, so that a message quotes them in the unit typed."""
        page = handler(data)
        typed = data if isinstance(data, dict) else {}
        margins = typed.get("margins")
        page._margins_leave_room(margins if isinstance(margins, dict) else {})
        page._logo_fits(typed.get("logo"))
        return page

    def _margins_leave_room(self, typed: dict[str, Any]) -> None:
        """The margins leave ``LEAST_TEXT_AREA`` of text width and height on both papers."""
        papers = zip(("A4", "Letter"), self._text_areas(), strict=True)
        for paper, (width, height) in papers:
            for room, sides, what in (
                (width, ("left", "right"), "width"),
                (height, ("top", "bottom"), "height"),
            ):
                if room < LEAST_TEXT_AREA:
                    given = [typed.get(side, getattr(self.margins, side)) for side in sides]
                    raise ValueError(
                        _too_little_room(room, sides, given, f"text {what} on {paper} paper")
                    )

    def _logo_fits(self, typed: Any) -> None:
        """A logo box larger than a page's text area would stop the PDF's layout."""
        width, height = (min(sides) for sides in zip(*self._text_areas(), strict=True))
        if self.logo[0] <= width and self.logo[1] <= height:
            return
        given = typed if isinstance(typed, list) and len(typed) == 2 else list(self.logo)
        box = f"{shown_apart(self.logo[0], width)} x {shown_apart(self.logo[1], height)} pt"
        area = _box_within(width, height, None)
        if any(POINTS.typed_in(value) for value in given):
            box = f"{_as_typed(given[0])} x {_as_typed(given[1])}: {box}"
        unit = _typed_unit(given)
        if unit is not None:
            area += f" ({_box_within(width, height, unit)})"
        raise ValueError(
            f"the logo box ({box}) is larger than the text area of a page: at most {area}"
        )

    def _text_areas(self) -> list[tuple[float, float]]:
        """The width and height inside the margins of each paper, in points."""
        margins = self.margins
        return [
            (width - margins.left - margins.right, height - margins.top - margins.bottom)
            for width, height in (self.sizes.A4, self.sizes.Letter)
        ]


class Roles(_Part):
    body: TextStyle
    byline: TextStyle
    note: TextStyle
    cover_title: TextStyle
    cover_subtitle: TextStyle
    cover_line: TextStyle
    contents_title: TextStyle
    table_head: TextStyle
    table_cell: TextStyle
    furniture: TextStyle
    draft_mark: TextStyle

    def of(self, role: str) -> TextStyle:
        """Return the style of a paragraph role (``cover-line``, ``table-head``, ...)."""
        style: TextStyle = getattr(self, role.replace("-", "_"))
        return style


class Contents(_Part):
    depth: int = Field(ge=1, le=3)
    leader: Colour
    levels: tuple[TextStyle, ...] = Field(min_length=1, max_length=3)
    """The style of the entries of each level, from level 1; as for the headings, the
    levels after the last one given take its style."""

    @field_validator("levels")
    @classmethod
    def _every_level(cls, levels: tuple[TextStyle, ...]) -> tuple[TextStyle, ...]:
        """Three styles, the last repeated: each format makes a style per level."""
        return levels + (levels[-1],) * (3 - len(levels))


class Lists(_Part):
    bullets: tuple[Bullet, ...] = Field(min_length=1)
    colour: Colour
    indent: Spacing
    space_after: Spacing


class Padding(_Part):
    top: Spacing
    bottom: Spacing
    left: Spacing
    right: Spacing


class KeyMessageBox(_Part):
    fill: Colour
    bar: Colour
    bar_width: Spacing
    padding: Padding
    space_before: Spacing
    space_after: Spacing


class Tables(_Part):
    header_fill: Colour
    rule: Colour
    rule_width: Spacing
    padding: Spacing
    space_before: Spacing
    space_after: Spacing


class DraftMark(_Part):
    """The DRAFT mark across a draft's pages (its type is ``text.draft-mark``)."""

    angle: Annotated[float, Field(ge=-90, le=90), Unit("degrees")]
    """Degrees it rises to the right, counter-clockwise."""
    span: float = Field(gt=0, le=1)
    """The share of the page's diagonal it may span, at most its type's size."""


class Cover(_Part):
    band: Colour
    band_height: Length
    rule_width: Length
    rule_height: Spacing
    space_above: Length
    space_below_logo: Length


PdfStandard = Literal["ua-1", "a-2u"]


class Pdf(_Part):
    """What the PDF claims to meet: ``ua-1`` (PDF/UA-1: tagged, for screen readers and
    reflow) and ``a-2u`` (PDF/A-2u: archival); none gives an untagged PDF."""

    standard: tuple[PdfStandard, ...] = ("ua-1", "a-2u")


class Look(_Part):
    """The whole house style."""

    font: Fonts
    colours: Colours
    page: Page
    text: Roles
    headings: tuple[TextStyle, ...] = Field(min_length=1)
    contents: Contents
    lists: Lists
    key_messages: KeyMessageBox
    tables: Tables
    cover: Cover
    draft_mark: DraftMark
    pdf: Pdf = Pdf()

    def heading(self, level: int) -> TextStyle:
        """Return the style of a heading level; deeper levels take the last style."""
        return self.headings[min(max(level, 1), len(self.headings)) - 1]

    def contents_level(self, level: int) -> TextStyle:
        return self.contents.levels[min(max(level, 1), len(self.contents.levels)) - 1]

    def header_top(self) -> float:
        """How far below the page's top edge the running header's line starts: its rule
        ``HEADER_RULE_GAP`` above the text area, the line ``HEADER_LINE_GAP`` above that."""
        furniture = self.text.furniture.leading
        return self.page.margins.top - HEADER_RULE_GAP - HEADER_LINE_GAP - furniture

    def footer_baseline(self) -> float:
        """How far above the page's bottom edge the page label's baseline stands."""
        return self.page.margins.bottom - FOOTER_GAP
