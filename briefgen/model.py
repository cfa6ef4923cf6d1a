"""The input format v1 as validated, immutable pydantic models.

Field-level rules live here (types, slugs, dates, URLs, text without control
characters). Rules that relate fields to each other (unique ids, references,
dates within the session) live in ``rules`` so that each error can point at the
exact value in the file.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

FORMAT_VERSION = 1
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MAX_LENGTH = 64
LANGUAGE_TAG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
_SLUG = re.compile(SLUG_PATTERN)
_LANGUAGE_TAG = re.compile(LANGUAGE_TAG_PATTERN)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_LIST_PREFIX = re.compile(r"(?:[ \t]+|[-*+][ \t]|\d{1,9}[.)][ \t])*")
MAX_MARKDOWN_INDENT = 256
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def _no_control_characters(text: str) -> str:
    found = _CONTROL.search(text)
    if found:
        raise ValueError(f"control character U+{ord(found.group()):04X} is not allowed")
    return text


def _shallow_markdown(text: str) -> str:
    """Refuse list nesting deeper than a reader could follow (and a parser would keep)."""
    for line in text.splitlines():
        if len(_LIST_PREFIX.match(line).group()) > MAX_MARKDOWN_INDENT:  # type: ignore[union-attr]
            raise ValueError(
                f"a line is indented or nested more than {MAX_MARKDOWN_INDENT} columns deep"
            )
    return text


def _single_line(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise ValueError("must be a single line")
    if "\t" in text:
        raise ValueError("tab characters are not allowed here")
    return text


def _slug(text: str) -> str:
    if not _SLUG.match(text):
        raise ValueError(
            f"'{text}' is not a valid id: use lowercase letters, digits and hyphens,"
            " starting with a letter or digit"
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
        raise ValueError(f"'{text}' is not a web address: it must start with http:// or https://")
    return text


def _language_tag(text: str) -> str:
    if not _LANGUAGE_TAG.match(text):
        raise ValueError(f"'{text}' is not a language tag such as 'en', 'ar' or 'fr-CA'")
    return text


def _format_version(value: object) -> object:
    if str(value) != str(FORMAT_VERSION):
        raise ValueError(f"unsupported format version '{value}': only {FORMAT_VERSION} exists")
    return FORMAT_VERSION


MAX_LINE_LENGTH = 500
Line = Annotated[
    str,
    Field(min_length=1, max_length=MAX_LINE_LENGTH),
    AfterValidator(_no_control_characters),
    AfterValidator(_single_line),
]
Markdown = Annotated[
    str,
    Field(min_length=1),
    AfterValidator(_no_control_characters),
    AfterValidator(_shallow_markdown),
]
Slug = Annotated[
    str,
    Field(max_length=SLUG_MAX_LENGTH, json_schema_extra={"pattern": SLUG_PATTERN}),
    AfterValidator(_slug),
]
Url = Annotated[str, Field(json_schema_extra={"pattern": "^https?://"}), AfterValidator(_web_url)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
LanguageTag = Annotated[
    str, Field(json_schema_extra={"pattern": LANGUAGE_TAG_PATTERN}), AfterValidator(_language_tag)
]
PlenaryKind = Literal["opening", "plenary", "general-debate", "closing", "other"]
PackLanguage = Literal["en", "fr", "es"]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, hide_input_in_errors=True
    )


class Pack(_Model):
    """How this edition of the pack is published."""

    title: Line | None = None
    subtitle: Line | None = None
    publisher: Slug | None = None
    edition: IsoDate | None = None
    status: Literal["final", "draft"] = "final"
    language: PackLanguage = "en"
    paper: Literal["A4", "Letter"] = "A4"
    logo: Line | None = None
    contact: Line | None = None


class SessionInfo(_Model):
    id: Slug
    name: Line
    short_name: Line | None = None
    venue: Line | None = None
    start: IsoDate
    end: IsoDate
    hashtags: tuple[Line, ...] = ()
    url: Url | None = None


class Organization(_Model):
    id: Slug
    name: Line
    short_name: Line | None = None
    url: Url | None = None


class Segment(_Model):
    id: Slug
    title: Line
    format: Line | None = None


class Statement(_Model):
    id: Slug
    by: Slug
    on_behalf_of: Slug | None = None
    speaker: Line | None = None
    segment: Slug | None = None
    title: Line
    summary: Markdown | None = None
    text: Markdown | None = None
    url: Url | None = None
    language: LanguageTag | None = None


class Plenary(_Model):
    id: Slug
    title: Line
    kind: PlenaryKind = "plenary"
    date: IsoDate
    summary: Markdown | None = None
    segments: tuple[Segment, ...] = ()
    statements: tuple[Statement, ...] = ()
    key_messages: tuple[Markdown, ...] = ()


class Session(_Model):
    """A whole input file: one diplomatic session and what NGOs said there."""

    format: Annotated[
        int, BeforeValidator(_format_version), Field(json_schema_extra={"const": 1})
    ] = FORMAT_VERSION
    pack: Pack = Pack()
    session: SessionInfo
    organizations: tuple[Organization, ...] = Field(min_length=1)
    plenaries: tuple[Plenary, ...] = Field(min_length=1)

    def organization(self, organization_id: str) -> Organization:
        """Return the organisation with this id (references are checked at load time)."""
        return next(o for o in self.organizations if o.id == organization_id)
