"""Loading the look: the built-in ``templates/look.yaml`` with an override's keys over it.

Every problem is reported at its place in the file the user wrote.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from briefgen import bundled_folder
from briefgen.input.diagnostics import Diagnostic, FieldPath, UserError
from briefgen.input.load import validation_diagnostics, value_at
from briefgen.input.source import SourceDocument, read_source
from briefgen.look.model import LOOK_FILE, Look
from briefgen.text.fonts import read_only_embedding

if TYPE_CHECKING:
    from briefgen.input.load import LoadedSession


def builtin_look_file() -> Path:
    return bundled_folder("templates") / LOOK_FILE


@cache
def default_look() -> Look:
    """The built-in look (``templates/look.yaml``)."""
    return load_look(None)


def load_look(override: Path | None) -> Look:
    """Return the look: the built-in file with the override folder's ``look.yaml`` over it.

    Raises ``UserError`` naming the file, line and key of every problem.
    """
    builtin = read_source(builtin_look_file())
    path = override / LOOK_FILE if override is not None else None
    changes = read_source(path) if path is not None and _holds_keys(path) else None
    problems = [*builtin.problems, *(changes.problems if changes else [])]
    if problems:
        raise UserError(problems)
    data = _merged(builtin.data, changes.data if changes else {})
    if changes is not None and not isinstance(changes.data, dict):
        raise UserError([changes.diagnostic((), "expected a mapping of keys at the top")])
    folder = (
        override if changes is not None and override is not None else builtin_look_file().parent
    )
    try:
        context = {"folder": folder, "palette": _palette(data)}
        return Look.model_validate(data, context=context)
    except ValidationError as error:
        raise UserError(_positioned(error, builtin, changes)) from None


def _holds_keys(path: Path) -> bool:
    """Whether a look.yaml override is there and says anything (only comments: no)."""
    if not path.is_file():
        return False
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return any(line.strip() and not line.lstrip().startswith("#") for line in lines)


def _merged(base: Any, changes: Any) -> Any:
    """``changes`` laid over ``base``: mappings merge key by key, anything else replaces."""
    if not (isinstance(base, dict) and isinstance(changes, dict)):
        return changes
    merged = dict(base)
    for key, value in changes.items():
        merged[key] = _merged(base[key], value) if key in base else value
    return merged


def _palette(data: Any) -> dict[str, str]:
    """The look's colours by name, each followed through the names it gives
    (``link: accent``, ``accent: ink``) to a value; a name that leads in a circle is
    left as it is, for validation to refuse, as it refuses colours that are no mapping."""
    colours = data.get("colours") if isinstance(data, dict) else None
    if not isinstance(colours, dict):
        return {}
    names = {name: value for name, value in colours.items() if isinstance(value, str)}
    palette = {}
    for name, value in names.items():
        seen = {name}
        while value in names and value not in seen:
            seen.add(value)
            value = names[value]
        palette[name] = value
    return palette


def _positioned(
    error: ValidationError, builtin: SourceDocument, changes: SourceDocument | None
) -> list[Any]:
    """Each problem at its place in the override.

    The built-in look is valid on its own, so every problem comes from the override:
    where it set the key, or where the built-in file uses a colour it broke (those
    are left out, the colour itself is reported). Problems of the built-in file alone
    are reported there.
    """
    details = error.errors(include_url=False)
    if changes is not None:
        own = [d for d in details if _set_by(changes.data, d)]
        if own:
            return validation_diagnostics(own, changes, Look)
    return validation_diagnostics(details, builtin, Look)


def _set_by(data: Any, detail: ErrorDetails) -> bool:
    """Whether the override ``data`` holds the node of a problem (its parent if missing)."""
    path = tuple(detail["loc"])
    return _has(data, path[:-1] if detail["type"] == "missing" else path)


def _has(data: Any, path: FieldPath) -> bool:
    """Whether ``data`` has a node at ``path``."""
    for part in path:
        in_mapping = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            return False
        data = data[part]
    return True


def read_only_embedding_warnings(
    _loaded: LoadedSession, templates: Path | None
) -> list[Diagnostic]:
    """The DOCX's check (``briefgen.writers.FORMATS``): a face of the look's own that the
    DOCX carries (``font.embed``) whose licence allows embedding it only in a document
    opened read-only (preview and print). Word keeps that rule: the DOCX, made to be
    edited, opens read-only wherever the font is not installed. A warning at the file's
    line, as the user may mean it (a pack sent out to be read); ``--strict`` refuses it."""
    if templates is None or not _holds_keys(templates / LOOK_FILE):
        return []  # the built-in look names no file of its own
    look = load_look(templates)
    if not look.font.embed:
        return []
    found = [
        (path, fs_type)
        for path, file in _own_font_files(look)
        if (fs_type := read_only_embedding(file.read_bytes())) is not None
    ]
    if not found:
        return []
    source = read_source(templates / LOOK_FILE)
    return [
        source.diagnostic(
            path,
            f"'{value_at(source.data, path)}': its licence allows embedding it only in a"
            f" document opened read-only (fsType 0x{fs_type:04X} in its OS/2 table: preview"
            " and print), so Word opens a DOCX carrying it read-only wherever the font is not"
            " installed; font.embed: false leaves the faces out of the DOCX",
        ).as_severity("warning")
        for path, fs_type in found
    ]


def _own_font_files(look: Look) -> list[tuple[FieldPath, Path]]:
    """The font files the look names, each with the path of its key in ``look.yaml``."""
    files: list[tuple[FieldPath, Path]] = []
    if look.font.files is not None:
        for slot, file in look.font.files.model_dump(by_alias=True).items():
            if file is not None:
                files.append((("font", "files", slot), file))
    for number, fallback in enumerate(look.font.fallback):
        for slot, file in fallback.files.model_dump(by_alias=True).items():
            if file is not None:
                files.append((("font", "fallback", number, "files", slot), file))
    return files
