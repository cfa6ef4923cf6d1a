"""Loading an input file into a validated ``Session``, or every problem with it at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from briefgen.input.diagnostics import Diagnostic, FieldPath, UserError, did_you_mean
from briefgen.input.languages import language_warnings
from briefgen.input.model import Session
from briefgen.input.modeline import modeline_warnings
from briefgen.input.rules import check_rules
from briefgen.input.source import SourceDocument, read_source


@dataclass(frozen=True)
class LoadedSession:
    """A validated session with the source it came from (for positions in later warnings)."""

    session: Session
    source: SourceDocument
    path: Path
    warnings: tuple[Diagnostic, ...] = ()
    """What is wrong but does not stop a build (an editor comment pointing nowhere)."""
    folder: Path | None = None
    """Where the file's relative paths (the logo) are read from, if not its own folder."""

    @property
    def logo_path(self) -> Path | None:
        """Return the logo file, resolved against the input file's folder, if one is set."""
        logo = self.session.pack.logo
        return ((self.folder or self.path.parent) / logo).resolve() if logo else None


def load_session(
    path: Path, display_name: str | None = None, folder: Path | None = None, *, logo: bool = True
) -> LoadedSession:
    """Return the validated session in ``path``; raise ``UserError`` listing every problem.

    ``folder`` is where relative paths in the file are read from, by default its own (an
    earlier edition, kept elsewhere, names the logo beside the input it was built from).
    Without ``logo`` the logo is not checked: an earlier edition is compared, never
    drawn, and the logo it named may have been renamed or removed since.
    """
    source = read_source(path, display_name)
    problems = check_rules(source, folder or path.parent, logo=logo)
    session: Session | None = None
    if not isinstance(source.data, dict):
        kind = "a list" if isinstance(source.data, list) else "plain text"
        problems.append(source.diagnostic((), f"expected a mapping of keys at the top, got {kind}"))
    else:
        try:
            session = Session.model_validate(source.data)
        except ValidationError as error:
            problems.extend(_diagnostics(error, source))
    if source.problems or problems or session is None:
        raise UserError([*source.problems, *_elsewhere(problems, source.problems)])
    warnings = [
        *modeline_warnings(source.text, path, source.file),
        *language_warnings(source, session),
    ]
    return LoadedSession(session, source, path, tuple(warnings), folder)


def _elsewhere(problems: list[Diagnostic], reported: list[Diagnostic]) -> list[Diagnostic]:
    """Return ``problems`` without duplicates and without those at an already reported place.

    A value dropped for a YAML problem (a refused tag) would otherwise be reported
    again as missing.
    """
    places = {(d.line, d.column) for d in reported}
    return [d for d in dict.fromkeys(problems) if (d.line, d.column) not in places]


def _diagnostics(error: ValidationError, source: SourceDocument) -> list[Diagnostic]:
    return validation_diagnostics(error.errors(include_url=False), source, Session)


def validation_diagnostics(
    details: Iterable[ErrorDetails], source: SourceDocument, model: type[BaseModel]
) -> list[Diagnostic]:
    """Return pydantic's errors in validating ``model`` as diagnostics placed in ``source``."""
    return [
        _diagnostic(detail, source, model)
        for detail in details
        if not _is_echo_of_item_errors(detail, source)
    ]


def _is_echo_of_item_errors(detail: ErrorDetails, source: SourceDocument) -> bool:
    """Pydantic adds "too short" to a list whose items failed; the items' errors say it all."""
    value = _value_at(source.data, tuple(detail["loc"]))
    return detail["type"] == "too_short" and isinstance(value, list) and len(value) > 0


def _diagnostic(detail: ErrorDetails, source: SourceDocument, model: type[BaseModel]) -> Diagnostic:
    path = _as_written(tuple(detail["loc"]), source)
    kind = detail["type"]
    if kind == "extra_forbidden":
        return source.diagnostic(path, _unknown_key_message(path, model), key=True)
    if kind == "missing":
        return source.diagnostic(path, f"required key '{path[-1]}' is missing")
    return source.diagnostic(path, _message(detail, _value_at(source.data, path)))


def _as_written(path: FieldPath, source: SourceDocument) -> FieldPath:
    """The path as the file writes it: a field given in its short form (a key message
    written as text alone stands for ``text:``) is reported at that text."""
    if len(path) > 1 and path[-1] == "text" and isinstance(_value_at(source.data, path[:-1]), str):
        return path[:-1]
    return path


def _unknown_key_message(path: FieldPath, model: type[BaseModel]) -> str:
    key = str(path[-1])
    return f"unknown key '{key}'{did_you_mean(key, _allowed_keys(path[:-1], model))}"


def _allowed_keys(parent: FieldPath, model: type[BaseModel]) -> list[str]:
    """Return the keys ``model`` accepts at ``parent`` (a path of keys and list indices)."""
    for part in parent:
        if isinstance(part, int):
            continue
        fields = {field.alias or name: field for name, field in model.model_fields.items()}
        inner = _model_in(fields[str(part)].annotation) if str(part) in fields else None
        if inner is None:
            return []
        model = inner
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _value_at(data: Any, path: FieldPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _message(detail: ErrorDetails, value: Any) -> str:
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    if kind == "literal_error":
        choices = [
            c.strip(" '") for c in str(context.get("expected", "")).replace(" or ", ", ").split(",")
        ]
        return f"'{value}' is not one of: {', '.join(choices)}{did_you_mean(str(value), choices)}"
    if kind in {
        "string_type",
        "dict_type",
        "model_type",
        "tuple_type",
        "list_type",
        "model_attributes_type",
    }:
        return f"expected {_expected(kind)}, got {_describe(value)}"
    if kind == "too_short" and isinstance(value, list):
        return "needs at least one entry"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "?"
        return f"is too long ({length} characters; at most {context.get('max_length')})"
    if kind == "string_pattern_mismatch":
        return f"'{value}' does not have the expected form"
    return str(detail["msg"])


def _expected(kind: str) -> str:
    return {"string_type": "text", "tuple_type": "a list", "list_type": "a list"}.get(
        kind, "a mapping of keys"
    )


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"
