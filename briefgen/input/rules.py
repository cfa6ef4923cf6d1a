"""Rules that relate fields to each other, checked on the raw data so each error has a place.

They run whether or not the models validated, so that a file's problems are all
reported at once; a value of the wrong shape is skipped here (the models report it).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from briefgen.input.diagnostics import (
    BIDI_CONTROLS,
    CloseMatches,
    Diagnostic,
    FieldPath,
    did_you_mean,
)
from briefgen.input.source import SourceDocument

_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
MAX_LOGO_PIXELS = 16_000_000
MAX_LOGO_BYTES = 16 * 1024 * 1024  # the HTML edition carries the file itself
_ORIENTATION = 0x0112  # the Exif tag that says how to turn a picture to show it
"""A logo's most pixels (4000 x 4000): a cover logo is a few centimetres wide."""
_JPEG_MODES = ("L", "RGB")  # a CMYK or YCCK JPEG has no JFIF header: python-docx refuses it
MAX_INLINE_NESTING = 32
"""How deep emphasis and link brackets may nest in a Markdown field (parsers and the PDF
markup recurse once per level: a few hundred levels exhaust Python's stack)."""
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# A run of emphasis delimiters, a bracket, or an escaped character (which is none of these).
_INLINE_MARK = re.compile(r"\\.|[*_~]+|[\[\]]|\n[ \t]*\n", re.DOTALL)
LARGEST_LIST_START = 32767
"""The largest number a numbered list may start at: Word numbers lists up to 32,767."""
_LONG_NUMBER = re.compile(r"\d{5,}[.)]")  # what could start a list past the largest


def check_rules(source: SourceDocument, base_dir: Path, *, logo: bool = True) -> list[Diagnostic]:
    """Return every cross-field problem of the file: duplicates, references, dates, and
    the logo's unless not ``logo``."""
    data = source.data if isinstance(source.data, dict) else {}
    checker = _Checker(source)
    checker.unique_ids(_items(data, "organizations"), ("organizations",), "organization")
    checker.unique_ids(_items(data, "plenaries"), ("plenaries",), "plenary")
    organization_ids = _ids(_items(data, "organizations"))
    checker.reference(data.get("pack"), ("pack", "publisher"), organization_ids, "organization")
    checker.session_dates(data.get("session"))
    checker.statements(data, organization_ids)
    if logo:
        checker.logo(data.get("pack"), base_dir)
    checker.markdown_nesting(data)
    checker.list_starts(data)
    checker.bidi_controls(source.data, ())
    return checker.problems


def inline_nesting(text: str) -> int:
    """Return how deep emphasis and brackets nest in ``text``, at most (counted generously:
    an emphasis run that could open counts as open until one that could close)."""
    deepest = depth = 0
    for found in _INLINE_MARK.finditer(text):
        mark = found.group()
        if mark.startswith("\\"):
            continue
        if mark.startswith("\n"):  # a blank line ends the paragraph
            depth = 0
            continue
        if mark == "[":
            depth += 1
        elif mark == "]":
            depth = max(depth - 1, 0)
        else:
            before = text[found.start() - 1] if found.start() else " "
            after = text[found.end()] if found.end() < len(text) else " "
            opens, closes = not after.isspace(), not before.isspace()
            levels = (len(mark) + 1) // 2
            if closes:
                depth = max(depth - levels, 0)
            elif opens:
                depth += levels
        deepest = max(deepest, depth)
    return deepest


def _marks(text: str) -> int:
    return sum(text.count(mark) for mark in "[*_~")


def _largest_list_start(text: str) -> int:
    """The largest number a numbered list of the Markdown ``text`` starts at (0 if none),
    as the pack's own parser reads the field."""
    from briefgen.compose.markdown import FIELD_PARSER

    starts = [
        int(token.attrs.get("start", 1))
        for token in FIELD_PARSER.parse(text)
        if token.type == "ordered_list_open"
    ]
    return max(starts, default=0)


def _markdown_fields(data: dict[str, Any]) -> Iterator[tuple[FieldPath, Any]]:
    """The Markdown fields of the file (as ``model.Markdown`` types them), with their paths."""
    for p, plenary in enumerate(_items(data, "plenaries")):
        if not isinstance(plenary, dict):
            continue
        path: FieldPath = ("plenaries", p)
        yield (*path, "summary"), plenary.get("summary")
        for m, message in enumerate(_items(plenary, "key_messages")):
            if isinstance(message, dict):
                yield (*path, "key_messages", m, "text"), message.get("text")
            else:
                yield (*path, "key_messages", m), message
        for s, statement in enumerate(_items(plenary, "statements")):
            if isinstance(statement, dict):
                for key in ("summary", "text"):
                    yield (*path, "statements", s, key), statement.get(key)


def _items(parent: Any, key: str) -> list[Any]:
    value = parent.get(key) if isinstance(parent, dict) else None
    return value if isinstance(value, list) else []


def _text(parent: Any, key: str = "id") -> str | None:
    """Return the text at ``parent[key]`` stripped as the models strip it, or None if not text."""
    value = parent.get(key) if isinstance(parent, dict) else None
    return value.strip() if isinstance(value, str) else None


def _ids(items: list[Any]) -> dict[str, None]:
    """The ids of ``items`` as an ordered set: quick to look up, the same order every run."""
    return dict.fromkeys(item_id for item_id in map(_text, items) if item_id is not None)


def _parse_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


class _Checker:
    def __init__(self, source: SourceDocument) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []
        self.matches: dict[int, tuple[Collection[str], CloseMatches]] = {}

    def report(self, path: FieldPath, message: str) -> None:
        self.problems.append(self.source.diagnostic(path, message))

    def unique_ids(self, items: list[Any], path: FieldPath, noun: str) -> None:
        first_index: dict[str, int] = {}
        for index, item in enumerate(items):
            item_id = _text(item)
            if item_id is None:
                continue
            if item_id in first_index:
                first = self.source.position_of((*path, first_index[item_id], "id"))
                self.report(
                    (*path, index, "id"),
                    f"duplicate {noun} id '{item_id}' (first used at line {first.line})",
                )
            else:
                first_index[item_id] = index

    def reference(
        self, parent: Any, path: FieldPath, known: Collection[str], noun: str, where: str = ""
    ) -> None:
        self.known(_text(parent, str(path[-1])), path, known, noun, where)

    def known(
        self, value: str | None, path: FieldPath, known: Collection[str], noun: str, where: str = ""
    ) -> None:
        """Report ``value`` at ``path`` unless it is one of ``known`` (or not text)."""
        if value is not None and value not in known:
            # One index per set of ids, however many references miss it (the set is kept
            # with it, so that its id cannot be another set's).
            kept = self.matches.get(id(known))
            if kept is None:
                kept = self.matches[id(known)] = (known, CloseMatches(known))
            matches = kept[1]
            self.report(path, f"unknown {noun} '{value}'{where}{did_you_mean(value, matches)}")

    def session_dates(self, session: Any) -> None:
        if not isinstance(session, dict):
            return
        start, end = _parse_date(session.get("start")), _parse_date(session.get("end"))
        if start and end and end < start:
            self.report(("session", "end"), f"end {end} is before start {start}")

    def statements(self, data: dict[str, Any], organization_ids: Collection[str]) -> None:
        session = data.get("session")
        if not isinstance(session, dict):
            session = {}
        start, end = _parse_date(session.get("start")), _parse_date(session.get("end"))
        statement_paths = list(self._statement_paths(data))
        self.unique_across(statement_paths)
        for index, plenary in enumerate(_items(data, "plenaries")):
            if isinstance(plenary, dict):
                self.plenary(plenary, ("plenaries", index), start, end)
        for path, statement in statement_paths:
            for key in ("by", "on_behalf_of"):
                self.reference(statement, (*path, key), organization_ids, "organization")
            self.others_than_the_speaker(statement, path, organization_ids)
        statement_ids = _ids([statement for _, statement in statement_paths])
        for p, plenary in enumerate(_items(data, "plenaries")):
            for m, message in enumerate(_items(plenary, "key_messages")):
                if isinstance(message, dict):
                    path = ("plenaries", p, "key_messages", m, "sources")
                    self.references(message, path, statement_ids, "statement")

    def references(self, parent: Any, path: FieldPath, known: Collection[str], noun: str) -> None:
        """Check a list of ids at ``path``: each known, none twice."""
        items = _items(parent, str(path[-1]))
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = item.strip() if isinstance(item, str) else None
            self.known(value, (*path, index), known, noun)
            if value is not None and value in seen:
                self.report((*path, index), f"{noun} '{value}' is listed twice")
            if value is not None:
                seen.add(value)

    def others_than_the_speaker(
        self, statement: dict[str, Any], path: FieldPath, organization_ids: Collection[str]
    ) -> None:
        """Co-signatories are known organisations, other than the one that took the floor
        and the one it was delivered on behalf of ("X, on behalf of Y, co-signed by Y"
        names Y twice, and the index lists the statement twice under it); the one it
        spoke on behalf of is not the one that took the floor ("X, on behalf of X" says
        nothing)."""
        self.references(statement, (*path, "co_signatories"), organization_ids, "organization")
        speaker = _text(statement, "by")
        represented = _text(statement, "on_behalf_of")
        if speaker is not None and represented == speaker:
            self.report(
                (*path, "on_behalf_of"),
                f"'{speaker}' took the floor (by): it does not speak on its own behalf;"
                " leave on_behalf_of out",
            )
        for index, item in enumerate(_items(statement, "co_signatories")):
            signatory = item.strip() if isinstance(item, str) else None
            if signatory is not None and signatory == speaker:
                self.report(
                    (*path, "co_signatories", index),
                    f"'{speaker}' took the floor (by): it is not also a co-signatory",
                )
            elif signatory is not None and signatory == represented:
                self.report(
                    (*path, "co_signatories", index),
                    f"'{represented}' is the one it was delivered on behalf of (on_behalf_of):"
                    " it is not also a co-signatory",
                )

    def _statement_paths(self, data: dict[str, Any]) -> Iterator[tuple[FieldPath, dict[str, Any]]]:
        for p, plenary in enumerate(_items(data, "plenaries")):
            for s, statement in enumerate(_items(plenary, "statements")):
                if isinstance(statement, dict):
                    yield ("plenaries", p, "statements", s), statement

    def unique_across(self, statements: list[tuple[FieldPath, dict[str, Any]]]) -> None:
        first_path: dict[str, FieldPath] = {}
        for path, statement in statements:
            statement_id = _text(statement)
            if statement_id is None:
                continue
            if statement_id in first_path:
                first = self.source.position_of((*first_path[statement_id], "id"))
                self.report(
                    (*path, "id"),
                    f"duplicate statement id '{statement_id}' (first used at line {first.line})",
                )
            else:
                first_path[statement_id] = path

    def plenary(
        self, plenary: dict[str, Any], path: FieldPath, start: date | None, end: date | None
    ) -> None:
        self.unique_ids(_items(plenary, "segments"), (*path, "segments"), "segment")
        segment_ids = _ids(_items(plenary, "segments"))
        for index, statement in enumerate(_items(plenary, "statements")):
            self.reference(
                statement,
                (*path, "statements", index, "segment"),
                segment_ids,
                "segment",
                f" in plenary '{plenary.get('id')}'",
            )
        day = _parse_date(plenary.get("date"))
        if day and start and end and start <= end and not start <= day <= end:
            self.report((*path, "date"), f"{day} is outside the session ({start} to {end})")
        if plenary.get("kind") == "closing" and not _items(plenary, "key_messages"):
            self.report((*path, "key_messages"), "a closing plenary needs at least one key message")

    def markdown_nesting(self, data: dict[str, Any]) -> None:
        for path, text in _markdown_fields(data):
            if not isinstance(text, str) or _marks(text) <= MAX_INLINE_NESTING:
                continue  # each mark opens one level at most: too few to nest too deep
            if inline_nesting(text) > MAX_INLINE_NESTING:
                self.report(
                    path,
                    f"emphasis and link brackets nest more than {MAX_INLINE_NESTING} deep",
                )

    def list_starts(self, data: dict[str, Any]) -> None:
        """Refuse a numbered list starting past what Word can number (it would print
        another number than the one typed)."""
        for path, text in _markdown_fields(data):
            if isinstance(text, str) and _LONG_NUMBER.search(text):
                start = _largest_list_start(text)
                if start > LARGEST_LIST_START:
                    self.report(
                        path,
                        f"a numbered list starts at {start:,}; lists are numbered up to"
                        f" {LARGEST_LIST_START:,} (Word's limit): start it lower",
                    )

    def bidi_controls(self, value: Any, path: FieldPath) -> None:
        """Refuse bidirectional controls written as escapes (raw ones are refused on reading)."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.bidi_controls(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.bidi_controls(item, (*path, index))
        elif isinstance(value, str):
            found = _BIDI.search(value)
            if found:
                self.report(
                    path,
                    f"bidirectional control U+{ord(found.group()):04X} is not allowed: it"
                    " reorders the text around it; write the text in its reading order",
                )

    def logo(self, pack: Any, base_dir: Path) -> None:
        logo = _text(pack, "logo")
        if not logo:
            return
        problem = logo_problem(logo, base_dir)
        if problem:
            self.report(("pack", "logo"), problem)


def logo_problem(logo: str, base_dir: Path) -> str | None:
    """Return why ``logo`` is not a usable PNG/JPEG inside ``base_dir``, or None if it is."""
    folder = base_dir.resolve()
    target = (folder / logo).resolve()
    if not target.is_relative_to(folder):
        return f"'{logo}' is outside the input file's folder"
    if target.is_dir():
        return f"'{logo}' is a folder; name a PNG or JPEG file in it"
    if target.exists() and not target.is_file():
        return f"'{logo}' is not a file (a device or pipe); name a PNG or JPEG file"
    if not target.is_file():
        return f"'{logo}' not found (paths are relative to the input file)"
    try:
        size = target.stat().st_size
        with target.open("rb") as image:
            head = image.read(8)
    except OSError as error:
        return f"'{logo}' cannot be read: {error.strerror}"
    if size > MAX_LOGO_BYTES:
        return (
            f"'{logo}' is a file of {size:,} bytes; a logo may have at most"
            f" {MAX_LOGO_BYTES:,}: save it smaller (without metadata, or as a PNG of the size"
            " it is printed at)"
        )
    if not head.startswith(_IMAGE_SIGNATURES):
        return f"'{logo}' is not a PNG or JPEG image"
    return _image_problem(target, logo)


def _image_problem(path: Path, logo: str) -> str | None:
    """Return why the image cannot be drawn by every writer (truncated, corrupt, too large,
    a colour mode or JPEG flavour the DOCX writer cannot read), if so. Its pixels are
    decoded, as the PDF writer decodes a PNG's, so that what validates builds."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    return (
                        f"'{logo}' has {width} x {height} pixels; a logo may have at most"
                        f" {MAX_LOGO_PIXELS:,} (4000 x 4000): scale it down"
                    )
                mode, kind = image.mode, image.format
                image.verify()  # the chunks and their checksums
            with Image.open(path) as image:
                image.load()  # the pixels: compressed data cut short or damaged
                turned = image.getexif().get(_ORIENTATION, 1) not in (0, 1)
    except Image.DecompressionBombError:
        return f"'{logo}' has too many pixels to be a logo"
    except (OSError, SyntaxError, UnidentifiedImageError, ValueError) as error:
        return f"'{logo}' is a damaged image: {error}"
    if turned:
        return (
            f"'{logo}' is stored turned, with an Exif orientation that says how to show it"
            " (a browser turns it, the PDF would not): save it upright"
        )
    if kind == "JPEG":
        if mode not in _JPEG_MODES:
            return f"'{logo}' is a {mode} JPEG; save it as RGB (or greyscale) for the screen"
        with path.open("rb") as image_file:
            head = image_file.read(12)
        if head[6:10] not in (b"JFIF", b"Exif"):
            return f"'{logo}' is a JPEG without a JFIF or Exif header; save it again as JPEG"
    return None
