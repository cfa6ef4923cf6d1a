"""Warnings for characters that no shipped font can draw, with where they were typed, and
an error for a pack language whose labels none can draw."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.input.diagnostics import Diagnostic, FieldPath, format_field_path
from briefgen.input.source import Position, SourceDocument
from briefgen.text.fonts import face_codepoints, uncovered_characters

if TYPE_CHECKING:
    from briefgen.input.load import LoadedSession

MAX_SCAN_LINES = 500
MAX_NAMED = 5
"""The distinct characters a warning names; it counts the others."""


def font_coverage_warnings(loaded: LoadedSession, templates: Path | None) -> list[Diagnostic]:
    """The check of the formats that embed the fonts (``briefgen.writers.FORMATS``): the
    shipped ones, and the fallback families the look in ``templates`` brings. Labels of
    the pack's language that no font draws are an error (a Chinese pack without a
    font for them: labels of its own in a script none has); characters of the input,
    warnings."""
    own: frozenset[int] = frozenset()
    if templates is not None:
        from briefgen.look import load_look

        families = load_look(templates).font.fallback_families()
        own = frozenset().union(*(face_codepoints(family.regular) for family in families))
    label_errors = labels_coverage_errors(loaded, templates, own)
    return [*label_errors, *coverage_warnings(loaded.source, own)]


BUILT_IN_LABELS_SHIPPED_FONTS_DRAW = frozenset({"en", "fr", "es", "ru", "ar", "zh"})
"""The pack languages whose built-in labels the shipped fonts draw (a test checks it)."""


def own_labels(templates: Path | None) -> bool:
    """Whether ``templates`` brings labels of its own (a ``labels.yaml``)."""
    return templates is not None and (templates / "labels.yaml").is_file()


def labels_coverage_errors(
    loaded: LoadedSession, templates: Path | None, own: frozenset[int]
) -> list[Diagnostic]:
    """An error at ``pack.language`` when the labels of the pack's language (those of
    ``templates``, else the built-in ones) hold characters that neither a shipped font
    nor one of ``own`` covers: every heading of the pack would print as empty boxes."""
    language = loaded.session.pack.language
    if language in BUILT_IN_LABELS_SHIPPED_FONTS_DRAW and not own_labels(templates):
        return []  # spares validate the templates' machinery (Jinja2, the labels' YAML)
    from babel import Locale

    from briefgen.compose.templating import load_labels

    text = "".join(load_labels(templates, language).values())
    if not any(ord(char) not in own for char in uncovered_characters(text)):
        return []
    name = Locale.parse(language.replace("-", "_")).get_display_name("en")
    fonts = "no font briefgen ships or the look brings" if own else "no font briefgen ships"
    message = (
        f"'{language}': the {name} labels print as empty boxes in the PDF: {fonts} has"
        f" {name}; add one to the look (font.fallback, see docs/templates.md)"
    )
    path = ("pack", "language")
    where = loaded.source.position_of(path)
    field = format_field_path(path)
    return [Diagnostic(loaded.source.file, where.line, where.column, field, message)]


def coverage_warnings(
    source: SourceDocument, own: frozenset[int] = frozenset()
) -> list[Diagnostic]:
    """Return one warning per field and script whose characters no font covers (neither
    a shipped one nor one of ``own``, the code points the look's own fallback families
    cover), at the first of them, naming a few (a pack in an unprinted script is a
    warning per field, not one per character)."""
    warnings = []
    lines = source.text.splitlines()
    for path, text in _strings(source.data, ()):
        missing = [char for char in uncovered_characters(text) if ord(char) not in own]
        if not missing:
            continue
        ordered = sorted(missing, key=text.index)
        for script, chars in groupby(sorted(ordered, key=_script_order(ordered)), _script):
            group = list(chars)
            where = _char_position(lines, source.position_of(path), group[0])
            warnings.append(
                Diagnostic(
                    source.file,
                    where.line,
                    where.column,
                    format_field_path(path),
                    _message(script, group, text, bool(own)),
                    severity="warning",
                )
            )
    return warnings


_EAST_ASIAN = frozenset({"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"})
_NO_SCRIPT = frozenset({"Common", "Inherited", "Unknown"})


def _script(char: str) -> str:
    """The script of ``char`` by Unicode's name ("Han", "Tibetan"), or "" for symbols,
    emoji and punctuation, which belong to none."""
    from fontTools import unicodedata as ucd  # only when some character lacks a font

    name: str = ucd.script_name(ucd.script(char))
    return "" if name in _NO_SCRIPT else name


def _script_order(ordered: list[str]) -> Callable[[str], tuple[int, int]]:
    """Sorts characters by where their script first occurs, then by where they do."""
    first: dict[str, int] = {}
    position: dict[str, int] = {}
    for index, char in enumerate(ordered):
        first.setdefault(_script(char), index)
        position.setdefault(char, index)
    return lambda char: (first[_script(char)], position[char])


def _message(script: str, chars: list[str], text: str, own_fonts: bool) -> str:
    """ "3 Han characters ('国' U+56FD, …) print as empty boxes in the PDF: …"."""
    count = sum(text.count(char) for char in chars)
    named = ", ".join(f"'{char}' U+{ord(char):04X}" for char in chars[:MAX_NAMED])
    if len(chars) > MAX_NAMED:
        named += f" and {len(chars) - MAX_NAMED} more"
    kind = f"{script} character" if script else "symbol"
    one = count == 1
    subject = f"{count} {kind}{'' if one else 's'} ({named})"
    verb = "prints as an empty box" if one else "print as empty boxes"
    fonts = "no font briefgen ships or the look brings" if own_fonts else "no font briefgen ships"
    why = f"{fonts} has {'it' if one else 'them'}"
    if script in _EAST_ASIAN:
        why += (
            " (briefgen's CJK face has the common characters of Chinese, Japanese and"
            " Korean, not the rarer ones: a look can bring a font that has them,"
            " see docs/templates.md)"
        )
    return f"{subject} {verb} in the PDF: {why}"


def _strings(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _char_position(lines: list[str], start: Position, char: str) -> Position:
    """Return where ``char`` is first typed at or after ``start``, else ``start`` itself."""
    for number in range(start.line, min(len(lines), start.line + MAX_SCAN_LINES) + 1):
        offset = start.column - 1 if number == start.line else 0
        found = lines[number - 1].find(char, offset)
        if found >= 0:
            return Position(number, found + 1)
    return start
