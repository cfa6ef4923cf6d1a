"""Rules that relate fields to each other, checked on the raw data so each error has a place.

They run whether or not the models validated, so that a file's problems are all
reported at once; a value of the wrong shape is skipped here (the models report it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from briefgen.input.diagnostics import Diagnostic, FieldPath, did_you_mean
from briefgen.input.source import SourceDocument

_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def check_rules(source: SourceDocument, base_dir: Path) -> list[Diagnostic]:
    """Return every cross-field problem of the file: duplicates, references, dates, logo."""
    data = source.data if isinstance(source.data, dict) else {}
    checker = _Checker(source)
    checker.unique_ids(_items(data, "organizations"), ("organizations",), "organization")
    checker.unique_ids(_items(data, "plenaries"), ("plenaries",), "plenary")
    organization_ids = _ids(_items(data, "organizations"))
    checker.reference(data.get("pack"), ("pack", "publisher"), organization_ids, "organization")
    checker.session_dates(data.get("session"))
    checker.statements(data, organization_ids)
    checker.logo(data.get("pack"), base_dir)
    return checker.problems


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
        value = _text(parent, str(path[-1]))
        if value is not None and value not in known:
            self.report(path, f"unknown {noun} '{value}'{where}{did_you_mean(value, known)}")

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
    if not target.is_file():
        return f"'{logo}' not found (paths are relative to the input file)"
    try:
        with target.open("rb") as image:
            head = image.read(8)
    except OSError as error:
        return f"'{logo}' cannot be read: {error.strerror}"
    if not head.startswith(_IMAGE_SIGNATURES):
        return f"'{logo}' is not a PNG or JPEG image"
    return _image_problem(target, logo)


def _image_problem(path: Path, logo: str) -> str | None:
    """Return why the image cannot be decoded (truncated, corrupt, absurdly large), if so."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except Image.DecompressionBombError:
        return f"'{logo}' has too many pixels to be a logo"
    except (OSError, SyntaxError, UnidentifiedImageError, ValueError) as error:
        return f"'{logo}' is a damaged image: {error}"
    return None
