"""Loading an input file into a validated ``Session``, or every problem with it at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from briefgen.input.booleans import YAML_1_1_TAKEN
from briefgen.input.diagnostics import (
    Diagnostic,
    FieldPath,
    Unit,
    UserError,
    described,
    did_you_mean,
    shown_apart,
    shown_within,
)
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
    path: Path,
    display_name: str | None = None,
    folder: Path | None = None,
    *,
    earlier: bool = False,
) -> LoadedSession:
    """Return the validated session in ``path``; raise ``UserError`` listing every problem.

    ``folder`` is where relative paths in the file are read from, by default its own (an
    earlier edition, kept elsewhere, names the logo beside the input it was built from).
    An ``earlier`` edition is compared, never drawn, and cannot be changed: the logo it
    named is not checked (it may have been renamed or removed since), and a boolean
    written as YAML 1.1 writes it (``yes``) is read as the briefgen that built it read it.
    """
    source = read_source(path, display_name)
    problems = check_rules(source, folder or path.parent, logo=not earlier)
    session: Session | None = None
    if not isinstance(source.data, dict):
        kind = "a list" if isinstance(source.data, list) else "plain text"
        problems.append(source.diagnostic((), f"expected a mapping of keys at the top, got {kind}"))
    else:
        try:
            context = {YAML_1_1_TAKEN: True} if earlier else None
            session = Session.model_validate(source.data, context=context)
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
    """Return pydantic's errors in validating ``model`` as diagnostics placed in ``source``,
    in briefgen's words: what is wrong and what is allowed, never pydantic's wording.

    A list of a fixed length lacking two entries is one problem, reported once.
    """
    return list(
        dict.fromkeys(
            _diagnostic(detail, source, model)
            for detail in details
            if not _is_echo_of_item_errors(detail, source)
        )
    )


def _is_echo_of_item_errors(detail: ErrorDetails, source: SourceDocument) -> bool:
    """Pydantic adds "too short" to a list whose items failed; the items' errors say it all."""
    value = value_at(source.data, tuple(detail["loc"]))
    return detail["type"] == "too_short" and isinstance(value, list) and len(value) > 0


def _diagnostic(detail: ErrorDetails, source: SourceDocument, model: type[BaseModel]) -> Diagnostic:
    path = _as_written(tuple(detail["loc"]), source)
    kind = detail["type"]
    if kind == "extra_forbidden":
        return source.diagnostic(path, _unknown_key_message(path, model), key=True)
    if kind == "missing" and isinstance(path[-1], int):  # an entry of a list of fixed length
        return source.diagnostic(path[:-1], _entries_missing(path[:-1], source, model))
    if kind == "missing":
        return source.diagnostic(path, f"required key '{path[-1]}' is missing")
    unit = _unit(_node_at(path, model))
    return source.diagnostic(path, error_message(detail, value_at(source.data, path), unit))


def _as_written(path: FieldPath, source: SourceDocument) -> FieldPath:
    """The path as the file writes it: a field given in its short form (a key message
    written as text alone stands for ``text:``) is reported at that text."""
    if len(path) > 1 and path[-1] == "text" and isinstance(value_at(source.data, path[:-1]), str):
        return path[:-1]
    return path


def _unknown_key_message(path: FieldPath, model: type[BaseModel]) -> str:
    key = str(path[-1])
    return f"unknown key '{key}'{did_you_mean(key, _allowed_keys(path[:-1], model))}"


def _entries_missing(path: FieldPath, source: SourceDocument, model: type[BaseModel]) -> str:
    """What a list of a fixed length (a width and a height) lacks."""
    node = _node_at(path, model)
    expected = len(get_args(_without_metadata(node.annotation))) if node else 0
    given = value_at(source.data, path)
    return f"expected {expected} entries, got {len(given) if isinstance(given, list) else 0}"


def _allowed_keys(parent: FieldPath, model: type[BaseModel]) -> list[str]:
    """Return the keys ``model`` accepts at ``parent`` (a path of keys and list indices)."""
    node = _node_at(parent, model)
    inner = _model_in(node.annotation) if node else None
    if inner is None:
        return []
    return [field.alias or name for name, field in inner.model_fields.items()]


@dataclass(frozen=True)
class _Node:
    """The type of a place in a model, and the ``Annotated`` metadata it carries."""

    annotation: Any
    metadata: tuple[Any, ...] = ()


def _node_at(path: FieldPath, model: type[BaseModel]) -> _Node | None:
    """The type at ``path`` (keys and list indices) in ``model``; None where there is none."""
    node: _Node | None = _Node(model)
    for part in path:
        if node is None:
            return None
        node = _entry(node.annotation, part) if isinstance(part, int) else _key(node, part)
    return node


def _key(node: _Node, key: str) -> _Node | None:
    inner = _model_in(node.annotation)
    fields = inner.model_fields.items() if inner else ()
    field = next((field for name, field in fields if (field.alias or name) == key), None)
    if field is None:
        return None
    return _annotated(field.annotation, tuple(field.metadata))


def _entry(annotation: Any, index: int) -> _Node | None:
    """The type of the entry ``index`` of a list, a tuple of one type or of fixed length."""
    annotation = _without_metadata(annotation)
    origin = get_origin(annotation)
    if origin not in (tuple, list):
        sequences = (_entry(argument, index) for argument in get_args(annotation))
        return next((found for found in sequences if found is not None), None)
    arguments = get_args(annotation)
    if origin is list or (len(arguments) == 2 and arguments[1] is Ellipsis):
        return _annotated(arguments[0])
    return _annotated(arguments[index]) if index < len(arguments) else None


def _annotated(annotation: Any, metadata: tuple[Any, ...] = ()) -> _Node:
    """``annotation`` without its ``Annotated`` wrapper, its metadata with ``metadata``."""
    if get_origin(annotation) is Annotated:
        base, *own = get_args(annotation)
        return _annotated(base, (*metadata, *own))
    return _Node(annotation, metadata)


def _without_metadata(annotation: Any) -> Any:
    return _annotated(annotation).annotation


def _unit(node: _Node | None) -> Unit | None:
    """The unit a number at ``node`` is in (pt, degrees), if it has one."""
    found = (item for item in (node.metadata if node else ()) if isinstance(item, Unit))
    return next(found, None)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def value_at(data: Any, path: FieldPath) -> Any:
    """The value at ``path`` (keys and list indices) in plain data, or None."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_EXPECTED = {
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "path_type": "the name of a file",
}
"""What a value was expected to be, by pydantic's type of error."""

_BOUNDS = {
    "less_than_equal": ("le", "too large", "at most"),
    "less_than": ("lt", "too large", "less than"),
    "greater_than_equal": ("ge", "too small", "at least"),
    "greater_than": ("gt", "too small", "more than"),
}
"""A number out of its bounds, by pydantic's type of error: the bound's name in the
error's context, what the number is, and what is allowed."""


def error_message(detail: ErrorDetails, value: Any, unit: Unit | None = None) -> str:
    """What is wrong with ``value`` and what is allowed, for one of pydantic's errors, in
    briefgen's words (the input's, the look's, a command-line option's)."""
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind == "value_error":
        return str(context.get("error", detail["msg"]))
    if kind == "literal_error":
        choices = [
            c.strip(" '") for c in str(context.get("expected", "")).replace(" or ", ", ").split(",")
        ]
        return f"'{value}' is not one of: {', '.join(choices)}{did_you_mean(str(value), choices)}"
    if kind in _EXPECTED:
        number = f" ({unit.name})" if unit and "float" in kind else ""
        return f"expected {_EXPECTED[kind]}{number}, got {described(value)}"
    if kind in _BOUNDS:
        name, wrong, allowed = _BOUNDS[kind]
        return f"'{value}'{_out_of_bounds(value, float(context[name]), wrong, allowed, unit)}"
    return _length_message(detail, value) or str(detail["msg"])


def _out_of_bounds(value: Any, bound: float, wrong: str, allowed: str, unit: Unit | None) -> str:
    """What follows a value out of its bounds: " is too large: at most 144 pt", and for
    a value typed in another unit, that value in the field's unit and the bound in the
    one typed: " (216 pt) is too large: at most 144 pt (2in)"."""
    name = f" {unit.name}" if unit else ""
    typed = unit.typed_in(value) if unit else None
    if typed is None:
        return f" is {wrong}: {allowed} {bound:g}{name}"
    number, typed_unit, size = typed
    within = shown_within(bound / size, upper=wrong == "too large")
    return (
        f" ({shown_apart(number * size, bound)}{name}) is {wrong}:"
        f" {allowed} {bound:g}{name} ({within}{typed_unit})"
    )


def _length_message(detail: ErrorDetails, value: Any) -> str | None:
    """What is wrong with the length of a list or of a text, if that is the error."""
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind == "too_short" and isinstance(value, list):
        least = context.get("min_length", 1)
        return "needs at least one entry" if least == 1 else f"needs at least {least} entries"
    if kind == "too_long" and isinstance(value, list):
        return f"has {len(value)} entries; at most {context.get('max_length')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        length = len(value) if isinstance(value, str) else "?"
        return f"is too long ({length} characters; at most {context.get('max_length')})"
    if kind == "string_pattern_mismatch":
        return f"'{value}' does not have the expected form"
    return None
