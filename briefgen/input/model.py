"""The input format v1 as validated, immutable pydantic models.

Field-level rules live here (types, slugs, dates, URLs, text without control
characters). Rules that relate fields to each other (unique ids, references,
dates within the session) live in ``rules`` so that each error can point at the
exact value in the file.

The JSON Schema that editors use (``briefgen.input.schema``) is generated from these
models: each rule that a schema can state is stated once here, as a pattern that both
the validator and the schema use, and ``YamlScalar`` says how a field's text looks to
an editor's YAML 1.2 parser (which reads ``3.10`` as a number where briefgen keeps text).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from typing_extensions import TypeAliasType

from briefgen.input.booleans import YamlBool
from briefgen.input.characters import CONTROL_CHARACTERS, no_control_characters, single_line

if TYPE_CHECKING:
    from pydantic import GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

FORMAT_VERSION = 1
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MAX_LENGTH = 64
DEVICE_NAME_PATTERN = r"^(?!(con|prn|aux|nul|com[1-9]|lpt[1-9])$)"
"""Not a name Windows keeps for a device: no folder there can bear it (a session's id
names its pack's folder)."""
LANGUAGE_TAG_PATTERN = (
    r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*"
    r"(-[A-WYZa-wyz0-9](-[A-Za-z0-9]{2,8})+)*(-[Xx](-[A-Za-z0-9]{1,8})+)?$"
)
"""A BCP 47 tag: a language, subtags of two to eight letters or digits (script, region,
variant), then extensions and private use, each a singleton and its subtags ("th-TH-x",
a singleton alone, is no tag). Each part of a tag is told apart by its length, so
matching never backtracks further than a subtag."""
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$"
"""http:// or https:// (in any case) and a host; spelled without flags, as JSON Schema needs."""
NO_CONTROL_PATTERN = rf"^[^{CONTROL_CHARACTERS}]*$"
SINGLE_LINE_PATTERN = rf"^[^\t\n{CONTROL_CHARACTERS}]*$"
"""No control character, line break or tab (a control character is reported first)."""
_SLUG = re.compile(SLUG_PATTERN)
_LANGUAGE_TAG = re.compile(LANGUAGE_TAG_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_LIST_PREFIX = re.compile(r"(?:[ \t]+|[-*+][ \t]|\d{1,9}[.)][ \t])*")
MAX_MARKDOWN_INDENT = 256
_URL = re.compile(URL_PATTERN)


def _shallow_markdown(text: str) -> str:
    """Refuse list nesting deeper than a reader could follow (and a parser would keep)."""
    for line in text.splitlines():
        if len(_LIST_PREFIX.match(line).group()) > MAX_MARKDOWN_INDENT:  # type: ignore[union-attr]
            raise ValueError(
                f"a line is indented or nested more than {MAX_MARKDOWN_INDENT} columns deep"
            )
    return text


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def _visible(text: str) -> str:
    """Refuse text made only of invisible characters (soft hyphens, zero-width spaces)."""
    if all(_invisible(char) for char in text):
        raise ValueError("must contain visible text")
    return text


def visible_pattern() -> str:
    """The schema's form of ``_visible``: some character that is neither a space nor a
    format character (the Basic Multilingual Plane's; editors' patterns see the others
    as two halves). Built when the schema is written, not at import."""
    ranges: list[tuple[int, int]] = []
    for code in range(0xFFFF + 1):
        if 0xD800 <= code <= 0xDFFF or not _invisible(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    spans = "".join(
        rf"\u{first:04x}" + (rf"-\u{last:04x}" if last > first else "") for first, last in ranges
    )
    return f"[^{spans}]"


@dataclass(frozen=True)
class YamlScalar:
    """A text field as an editor's YAML 1.2 parser sees it, for the JSON Schema.

    briefgen reads every scalar as text, but editors read ``010``, ``1e3`` or ``3.10`` as
    numbers and ``true`` as a boolean: ``also`` lists the JSON types such a field may then
    show (the text rules apply only to strings). ``patterns`` are further rules on the text.
    """

    also: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    visible: bool = False
    minimum: int | None = None

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema: dict[str, Any] = handler(core_schema)
        if self.also:
            schema["type"] = [schema.get("type", "string"), *self.also]
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        patterns = [*self.patterns, *([visible_pattern()] if self.visible else [])]
        if "pattern" in schema:
            patterns.insert(0, schema.pop("pattern"))
        if len(patterns) == 1:
            schema["pattern"] = patterns[0]
        elif patterns:
            schema["allOf"] = [{"pattern": pattern} for pattern in patterns]
        return schema


def _slug(text: str) -> str:
    if not _SLUG.match(text):
        raise ValueError(
            f"'{text}' is not a valid id: use lowercase letters, digits and hyphens,"
            " starting with a letter or digit"
        )
    return text


def _not_a_device(text: str) -> str:
    if not re.match(DEVICE_NAME_PATTERN, text):
        raise ValueError(
            f"'{text}' names a device on Windows, where no folder can bear it (the pack's"
            " folder is named by this id): choose another id"
        )
    return text


def _iso_date(value: object) -> object:
    if isinstance(value, str) and not _DATE.match(value):
        raise ValueError(f"'{value}' is not a date: write it as YYYY-MM-DD")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a valid date") from None
    return value


def _web_url(text: str) -> str:
    if not _URL.match(text):
        raise ValueError(f"'{text}' is not a web address: {_url_problem(text)}")
    return text


_SCHEME = re.compile(r"^[Hh][Tt][Tt][Pp][Ss]?://")


def _url_problem(text: str) -> str:
    """What keeps ``text`` from being a web address (``URL_PATTERN``), in a reader's words."""
    scheme = _SCHEME.match(text)
    if scheme is None:
        return "it must start with http:// or https://"
    if re.match(r"[^\s/?#]", text[scheme.end() :]) is None:
        return f"it needs a host name after {scheme.group()}"
    return "it cannot hold spaces: write each space as %20"


def _language_tag(text: str) -> str:
    """``text`` checked, and written in the case BCP 47 recommends ("EN" is "en", "fr-ca"
    "fr-CA", "sr-latn" "sr-Latn"): tags differ in case only, never in meaning, and every
    format compares and writes them as given."""
    if not _LANGUAGE_TAG.match(text):
        raise ValueError(f"'{text}' is not a language tag such as 'en', 'ar' or 'fr-CA'")
    subtags = text.split("-")
    canonical = [subtags[0].lower()]
    for subtag in subtags[1:]:
        if len(canonical[-1]) == 1:  # after a singleton (an extension, "x-"): as typed, lower
            canonical += [part.lower() for part in subtags[len(canonical) :]]
            break
        canonical.append(_subtag_case(subtag))
    return "-".join(canonical)


def _subtag_case(subtag: str) -> str:
    if len(subtag) == 4 and subtag.isalpha():
        return subtag.title()  # a script
    if len(subtag) == 2 and subtag.isalpha():
        return subtag.upper()  # a region
    return subtag.lower()


def _format_version(value: object) -> object:
    if str(value) != str(FORMAT_VERSION):
        raise ValueError(f"unsupported format version '{value}': only {FORMAT_VERSION} exists")
    return FORMAT_VERSION


MAX_LINE_LENGTH = 500
Line = TypeAliasType(
    "Line",
    Annotated[
        str,
        Field(min_length=1, max_length=MAX_LINE_LENGTH),
        AfterValidator(no_control_characters),
        AfterValidator(single_line),
        AfterValidator(_visible),
        YamlScalar(also=("number", "boolean"), patterns=(SINGLE_LINE_PATTERN,), visible=True),
    ],
)
Markdown = TypeAliasType(
    "Markdown",
    Annotated[
        str,
        Field(min_length=1),
        AfterValidator(no_control_characters),
        AfterValidator(_shallow_markdown),
        YamlScalar(also=("number", "boolean"), patterns=(NO_CONTROL_PATTERN, r"\S")),
    ],
)
Slug = TypeAliasType(
    "Slug",
    Annotated[
        str,
        Field(max_length=SLUG_MAX_LENGTH),
        AfterValidator(_slug),
        # 010 and 1e3 are ids to briefgen and whole numbers to an editor; true a boolean.
        YamlScalar(also=("integer", "boolean"), patterns=(SLUG_PATTERN,), minimum=0),
    ],
)
SessionId = TypeAliasType(
    "SessionId",
    Annotated[
        str,
        Field(max_length=SLUG_MAX_LENGTH),
        AfterValidator(_slug),
        AfterValidator(_not_a_device),
        YamlScalar(
            also=("integer", "boolean"), patterns=(SLUG_PATTERN, DEVICE_NAME_PATTERN), minimum=0
        ),
    ],
)
Url = TypeAliasType(
    "Url", Annotated[str, AfterValidator(_web_url), YamlScalar(patterns=(URL_PATTERN,))]
)
IsoDate = TypeAliasType(
    "IsoDate",
    Annotated[
        date,
        BeforeValidator(_iso_date),
        YamlScalar(patterns=(DATE_PATTERN,)),
    ],
)
LanguageTag = TypeAliasType(
    "LanguageTag",
    Annotated[str, AfterValidator(_language_tag), YamlScalar(patterns=(LANGUAGE_TAG_PATTERN,))],
)
PlenaryKind = Literal["opening", "plenary", "general-debate", "closing", "other"]
Article = Literal["the", "la", "le", "l'", "l’", "les", "el", "los", "las"]


SIMPLIFIED_CHINESE = ("zh", "zh-Hans", "zh-CN")
"""The tags a Chinese pack may be written with; each is read as ``zh`` (Simplified)."""
_TRADITIONAL_CHINESE = frozenset({"hant", "tw", "hk", "mo"})


def _pack_language(value: object) -> object:
    """A Chinese pack is in Simplified Chinese, as the Assembly's Chinese documents are:
    ``zh-Hans`` and ``zh-CN`` are read as ``zh``; Traditional script is refused."""
    if not isinstance(value, str) or value.split("-")[0].lower() != "zh":
        return value
    if value.lower() in {tag.lower() for tag in SIMPLIFIED_CHINESE}:
        return "zh"
    if _TRADITIONAL_CHINESE & set(value.lower().split("-")[1:]):
        raise ValueError(
            f"'{value}' packs are not available: briefgen's Chinese labels are in"
            " Simplified characters (language: zh); Traditional ones would be a"
            " different text (each statement can still say it is in Traditional"
            " Chinese, language: zh-Hant)"
        )
    return value


PackLanguage = Annotated[
    Literal["en", "fr", "es", "ru", "ar", "zh", "zh-Hans", "zh-CN"],
    BeforeValidator(_pack_language),
]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        hide_input_in_errors=True,
        use_attribute_docstrings=True,
    )


class Pack(_Model):
    """How this edition of the pack is published."""

    title: Line | None = None
    """Title of the pack; by default "<short name> briefing pack"."""
    subtitle: Line | None = None
    """Printed under the title on the cover."""
    publisher: Slug | None = None
    """Id of the organisation publishing the pack (its author)."""
    edition: IsoDate | None = None
    """Date of this edition (YYYY-MM-DD), printed on the cover and used as document date."""
    status: Literal["final", "draft"] = "final"
    """draft prints a DRAFT mark on every page."""
    language: PackLanguage = "en"
    """Language of the pack's labels and dates; zh-Hans and zh-CN are read as zh
    (Simplified Chinese)."""
    paper: Literal["A4", "Letter"] = "A4"
    """Paper size."""
    logo: Line | None = None
    """PNG or JPEG file, relative to this YAML file, shown on the cover."""
    logo_alt: Line | None = None
    """What the logo shows, read out in its place; by default the publisher's name."""
    contact: Line | None = None
    """Contact line printed on the cover."""
    url: Url | None = None
    """Where the pack is published (http or https); handouts carry it as a QR code."""
    french_spaces: YamlBool = True
    """In French text, make the spaces typed before ; : ! ? and inside « » no-break (so
    that they never start a line); false keeps them as typed."""


class SessionInfo(_Model):
    """The diplomatic session."""

    id: SessionId
    """Lowercase letters, digits and hyphens; names the output folder and files (not con,
    prn, aux, nul, com1 to com9 or lpt1 to lpt9, which Windows keeps for devices)."""
    name: Line
    """Full name of the session."""
    short_name: Line | None = None
    """Short name, such as ASP23."""
    venue: Line | None = None
    """Where the session took place."""
    start: IsoDate
    """First day (YYYY-MM-DD)."""
    end: IsoDate
    """Last day (YYYY-MM-DD), not before start."""
    hashtags: tuple[Line, ...] = ()
    """Hashtags of the session, such as "#NGOVoices"."""
    url: Url | None = None
    """Web page of the session (http or https)."""


class Organization(_Model):
    """An organisation that took the floor or on whose behalf a statement was delivered."""

    id: Slug
    """Id used by statements (by, on_behalf_of) and pack.publisher."""
    name: Line
    """Full name."""
    short_name: Line | None = None
    """Acronym, listed in the annex of organisations and acronyms."""
    url: Url | None = None
    """Website (http or https)."""
    article: Article | None = None
    """The article the name takes in a sentence of the pack's language ("on behalf of the
    Coalition", "au nom du Réseau"): the, la, le, l', les, el, los or las."""


class Segment(_Model):
    """A part of a plenary, such as a panel."""

    id: Slug
    """Id used by the statements of this plenary (segment)."""
    title: Line
    """Title of the segment."""
    format: Line | None = None
    """Free text: panel, discussion, ..."""


class Statement(_Model):
    """A statement delivered by an organisation."""

    id: Slug
    """Unique in the whole file."""
    by: Slug
    """Id of the organisation that took the floor."""
    on_behalf_of: Slug | None = None
    """Id of the organisation on whose behalf it spoke."""
    speaker: Line | None = None
    """The person or team who delivered it."""
    segment: Slug | None = None
    """Id of a segment of this plenary."""
    title: Line
    """Title of the statement."""
    summary: Markdown | None = None
    """Summary (Markdown: **bold**, *italic*, [links](https://...), lists)."""
    text: Markdown | None = None
    """Full text (Markdown), printed in the annex of full texts."""
    url: Url | None = None
    """Where the statement is published (http or https)."""
    language: LanguageTag | None = None
    """Language of the statement's text, such as en, fr or ar."""
    co_signatories: tuple[Slug, ...] = Field((), json_schema_extra={"uniqueItems": True})
    """Ids of the other organisations that signed a joint statement."""


class KeyMessage(_Model):
    """A key message, with the statements it draws on."""

    text: Markdown
    """The message (Markdown)."""
    language: LanguageTag | None = None
    """Language of the message, if not the pack's, such as fr or ar."""
    sources: tuple[Slug, ...] = Field((), json_schema_extra={"uniqueItems": True})
    """Ids of the statements it draws on; the pack links each under the message."""


def _key_message(value: object) -> object:
    """A key message written as text alone is a message without sources."""
    return {"text": value} if isinstance(value, str | int | float | bool) else value


KeyMessageItem = Annotated[
    KeyMessage, BeforeValidator(_key_message, json_schema_input_type=Markdown | KeyMessage)
]


CLOSING_NEEDS_KEY_MESSAGES: dict[str, Any] = {
    "if": {"properties": {"kind": {"const": "closing"}}, "required": ["kind"]},
    "then": {"required": ["key_messages"], "properties": {"key_messages": {"minItems": 1}}},
}
"""The schema's form of the rule (in ``rules``) that a closing plenary has key messages."""


class Plenary(_Model):
    """A plenary meeting, in programme order."""

    model_config = ConfigDict(json_schema_extra=CLOSING_NEEDS_KEY_MESSAGES)

    id: Slug
    """Unique among plenaries."""
    title: Line
    """Title of the plenary."""
    kind: PlenaryKind = "plenary"
    """opening, plenary, general-debate, closing or other."""
    date: IsoDate
    """Date (YYYY-MM-DD), within the session."""
    summary: Markdown | None = None
    """Summary (Markdown); written from the statements when absent."""
    language: LanguageTag | None = None
    """Language of the summary, if not the pack's, such as fr or ar."""
    segments: tuple[Segment, ...] = ()
    """Parts of the plenary; statements refer to them by id."""
    statements: tuple[Statement, ...] = ()
    """Statements delivered in this plenary."""
    key_messages: tuple[KeyMessageItem, ...] = ()
    """Key messages: each Markdown text, or text with the statements it draws on
    (sources); required for a closing plenary."""


class Session(_Model):
    """A whole input file: one diplomatic session and what NGOs said there."""

    format: Annotated[
        int,
        BeforeValidator(_format_version),
        # briefgen reads the scalar as text: 1 and "1" are the same version.
        Field(json_schema_extra={"enum": [FORMAT_VERSION, str(FORMAT_VERSION)]}),
    ] = FORMAT_VERSION
    """Version of the input format; only 1 exists."""
    pack: Pack = Pack()
    """How this edition of the pack is published."""
    session: SessionInfo
    """The diplomatic session."""
    organizations: tuple[Organization, ...] = Field(min_length=1)
    """Every organisation referred to in the file."""
    plenaries: tuple[Plenary, ...] = Field(min_length=1)
    """The plenaries, in programme order."""

    @cached_property
    def organizations_by_id(self) -> dict[str, Organization]:
        """The organisations by id (ids are checked unique at load time).

        Computed once and kept on the instance, which is frozen; a copy made with
        ``model_copy(update=...)`` would keep the original's index, so make a new
        session with ``model_validate`` instead.
        """
        return {organization.id: organization for organization in self.organizations}

    def organization(self, organization_id: str) -> Organization:
        """Return the organisation with this id (references are checked at load time)."""
        return self.organizations_by_id[organization_id]
