"""Reading a YAML input file safely into plain data plus the position of every node.

Scalars stay strings: YAML 1.1 would read ``short_name: NO`` as ``false`` and a title
``3.10`` as ``3.1``; pydantic converts strings to dates and numbers later, where the
model asks for them. Only plain ``~``/``null``/empty scalars become ``None``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.input.diagnostics import (
    BIDI_CONTROLS,
    Diagnostic,
    FieldPath,
    UserError,
    format_field_path,
    printable,
)
from briefgen.input.files import FileTooLarge, NotRegularFile, read_regular

MAX_INPUT_BYTES = 64 * 1024 * 1024
MAX_NODES = 1_000_000  # a 2,000-statement session has about 40,000
MAX_ALIAS_EXPANSION = 10_000
MAX_DEPTH = 64

_YAML_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _YAML_TAG + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
}
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}


def _names_a_file(path: FieldPath) -> bool:
    """Whether the value at ``path`` names a file (an input's logo, a look's font files),
    read as typed rather than normalised as text is."""
    return path == ("pack", "logo") or (path[:1] == ("font",) and path[-2:-1] == ("files",))


# Characters refused anywhere in a file, raw: controls (an editor shows them as nothing
# or as a box, a terminal obeys them), the line separators libyaml breaks lines at but
# editors do not (U+0085, U+2028, U+2029: every later position would be a line off),
# bidirectional overrides, embeddings and isolates (they reorder the text around them,
# in an editor and in the pack), and the noncharacters U+FFFE and U+FFFF.
_REFUSED = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\ufffe\uffff]"
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
MAX_REFUSED_REPORTED = 20


def editor_lines(text: str) -> list[str]:
    """The lines of ``text`` as editors count them: broken at CR LF, CR or LF only."""
    return _LINE_BREAK.split(text)


# libyaml's C loader where PyYAML was built with it (it is in the wheels), else the Python one.
FAST_SAFE_LOADER: type[yaml.CSafeLoader | yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


@dataclass(frozen=True, slots=True)
class Position:
    line: int
    column: int
    width: int = 0
    """How many characters the node takes on its line; 0 where it runs past the line."""


@dataclass
class SourceDocument:
    """Plain data read from a YAML file and where each of its nodes stands in that file."""

    file: str
    data: Any
    text: str = ""
    problems: list[Diagnostic] = field(default_factory=list)
    sha256: str = ""  # of the file's bytes, for the manifest
    value_positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)

    def position_of(self, path: FieldPath, *, key: bool = False) -> Position:
        """Return the position of the node at ``path``, else of its nearest existing parent."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        for end in range(len(path), -1, -1):
            found = self.value_positions.get(path[:end])
            if found is not None:
                return found
        return Position(1, 1)

    def diagnostic(self, path: FieldPath, message: str, *, key: bool = False) -> Diagnostic:
        where = self.position_of(path, key=key)
        return Diagnostic(
            self.file, where.line, where.column, format_field_path(path), message, width=where.width
        )


def read_source(path: Path, display_name: str | None = None) -> SourceDocument:
    """Return the file's YAML as plain data with positions; raise ``UserError`` if unreadable.

    Problems that leave the rest readable (a duplicate key, a refused tag or alias) are
    kept in ``problems``, so that the file's other errors can be reported with them.
    """
    name = display_name or str(path)
    raw, text = _read_text(path, name)
    if not _has_content(text):
        raise UserError([Diagnostic(name, 0, 0, "", "file is empty")])
    _refuse_characters(text, name)
    _refuse_too_many_nodes(text, name)
    root = _compose(text, name)
    document = SourceDocument(name, None, text, sha256=hashlib.sha256(raw).hexdigest())
    builder = _Builder(document)
    document.data = builder.build(root, ())
    document.problems = builder.problems
    if document.data is None and not document.problems:  # only "---" or "~"
        raise UserError([Diagnostic(name, 0, 0, "", "file is empty")])
    return document


def _read_text(path: Path, name: str) -> tuple[bytes, str]:
    """Return the file's bytes and their text; raise ``UserError`` if it cannot be read.

    Folders, FIFOs and devices are refused before they are opened, and no more than
    ``MAX_INPUT_BYTES`` are read, whatever ``stat`` said.
    """

    def fail(message: str, line: int = 0, column: int = 0) -> UserError:
        return UserError([Diagnostic(name, line, column, "", message)])

    try:
        raw = read_regular(path, MAX_INPUT_BYTES)
    except FileTooLarge as error:
        if error.size is None:  # it grew while being read
            raise fail(f"file is too large (more than {MAX_INPUT_BYTES:,} bytes)") from None
        raise fail(
            f"file is too large ({error.size:,} bytes; the limit is {error.limit:,})"
        ) from None
    except NotRegularFile as error:
        raise fail(f"is {error.kind}, not a YAML file") from None
    except FileNotFoundError:
        raise fail("file not found") from None
    except IsADirectoryError:
        raise fail("is a folder, not a YAML file") from None
    except OSError as error:
        raise fail(f"cannot read the file: {error.strerror}") from None
    return raw, decode_utf8(raw, name)


_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Windows' "Unicode" saves


def decode_utf8(raw: bytes, name: str) -> str:
    """Return ``raw`` decoded (a byte order mark dropped); raise ``UserError`` at the first
    byte that is not UTF-8, as an editor places it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if raw.startswith(_UTF16_MARKS):
            message = "the file is UTF-16 text; save it as UTF-8 (an editor's encoding menu)"
            raise UserError([Diagnostic(name, 1, 1, "", message)]) from None
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8-sig")) + 1  # in characters
        message = f"not UTF-8 text: byte 0x{raw[error.start]:02x} cannot be decoded"
        raise UserError([Diagnostic(name, line, column, "", message)]) from None


def _refuse_characters(text: str, name: str) -> None:
    """Raise ``UserError`` at each refused character, placed as an editor places it."""
    problems: list[Diagnostic] = []
    line_start, line = 0, 1
    breaks = _LINE_BREAK.finditer(text)
    next_break = next(breaks, None)
    for found in _REFUSED.finditer(text):
        while next_break is not None and next_break.end() <= found.start():
            line, line_start = line + 1, next_break.end()
            next_break = next(breaks, None)
        column = found.start() - line_start + 1
        problems.append(Diagnostic(name, line, column, "", _refused(found.group())))
        if len(problems) == MAX_REFUSED_REPORTED:
            break
    if problems:
        raise UserError(problems)


def _refused(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in "\x85\u2028\u2029":
        return f"line separator {code} is not allowed: editors do not break lines there"
    if re.fullmatch(f"[{BIDI_CONTROLS}]", char):
        return (
            f"bidirectional control {code} is not allowed: it reorders the text around it;"
            " write the text in its reading order"
        )
    return f"control character {code} is not allowed ({printable(char)})"


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


_NODE_INDICATORS = (":", "-", ",", "[", "{", "?")


def _refuse_too_many_nodes(text: str, name: str) -> None:
    """Count the nodes as a stream first: a file within the size limit can still hold
    millions of tiny nodes, and composing them all would take gigabytes.

    Every node but the document's own comes with one of the indicators ``: - , [ { ?``,
    which brings at most two (a key and its value): a file with few enough of them
    cannot hold too many nodes, and is not parsed twice (a session's prose has far
    fewer commas and hyphens than that).
    """
    if 2 * sum(map(text.count, _NODE_INDICATORS)) + 2 <= MAX_NODES:
        return
    node_events = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
    count = 0
    try:
        for event in yaml.parse(text, Loader=FAST_SAFE_LOADER):
            count += isinstance(event, node_events)
            if count > MAX_NODES:
                mark = event.start_mark
                line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
                message = f"too many values (more than {MAX_NODES:,}) for a session file"
                raise UserError([Diagnostic(name, line, column, "", message)])
    except yaml.YAMLError:
        return  # composing reports it, with its position


def _compose(text: str, name: str) -> yaml.Node:
    loader = FAST_SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "malformed YAML"
        if mark is not None and _is_tab_at(text, mark.line, mark.column):
            message = "a tab cannot indent YAML; use spaces"
        if message == "but found another document":
            message = "only one YAML document is allowed per file; another one starts here"
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise UserError(
            [Diagnostic(name, line, column, "", f"malformed YAML: {message}")]
        ) from None
    except yaml.YAMLError as error:
        raise UserError([Diagnostic(name, 0, 0, "", f"malformed YAML: {error}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise UserError([Diagnostic(name, 0, 0, "", "file is empty")])
    return node


class _Builder:
    """Turns composed YAML nodes into plain data, recording positions and problems."""

    def __init__(self, document: SourceDocument) -> None:
        self.document = document
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.expanded = 0
        self.ancestors: set[int] = set()

    def fail(self, node: yaml.Node, path: FieldPath, message: str) -> None:
        where = _position(node)
        self.problems.append(
            Diagnostic(
                self.document.file,
                where.line,
                where.column,
                format_field_path(path),
                message,
                width=where.width,
            )
        )

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        self.document.value_positions[path] = _position(node)
        if not self._admit(node, path):
            return None
        self.ancestors.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.ScalarNode)
            return self._scalar(node, path)
        finally:
            self.ancestors.discard(id(node))

    def _admit(self, node: yaml.Node, path: FieldPath) -> bool:
        """Refuse unknown tags, recursive or exploding aliases, and absurd nesting."""
        if node.tag not in _ALLOWED_TAGS:
            self.fail(node, path, f"YAML tag '{_short_tag(node.tag)}' is not allowed")
            return False
        if id(node) in self.ancestors:
            self.fail(node, path, "recursive alias is not allowed")
            return False
        if id(node) in self.seen:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                if self.expanded == MAX_ALIAS_EXPANSION + 1:
                    self.fail(node, path, "aliases expand to too many nodes")
                return False
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH:
            self.fail(node, path, f"nesting deeper than {MAX_DEPTH} levels")
            return False
        return True

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, path, "a key must be plain text")
                continue
            key = key_node.value
            if key_node.tag == _YAML_TAG + "merge":
                self.fail(key_node, path, "merge keys ('<<') are not supported: write the keys out")
                continue
            if key in result:
                first = self.document.key_positions[(*path, key)]
                self.fail(
                    key_node, (*path, key), f"duplicate key '{key}' (first at line {first.line})"
                )
                continue
            self.document.key_positions[(*path, key)] = _position(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    @staticmethod
    def _scalar(node: yaml.ScalarNode, path: FieldPath) -> str | None:
        """A scalar's text, in Unicode's composed form (NFC): "é" typed as e and a
        combining accent prints, sorts and compares as the "é" typed at once. A file's
        name stays as typed: a file system that keeps names as given (Linux's) holds
        "café.png" typed decomposed under that name only."""
        if not node.style and node.tag == _YAML_TAG + "null" and node.value in _NULL_WORDS:
            return None
        if _names_a_file(path):
            return str(node.value)
        return unicodedata.normalize("NFC", str(node.value))


def _position(node: yaml.Node) -> Position:
    start, end = node.start_mark, node.end_mark
    width = end.column - start.column if end.line == start.line else 0
    return Position(start.line + 1, start.column + 1, width)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _is_tab_at(text: str, line: int, column: int) -> bool:
    lines = editor_lines(text)
    return line < len(lines) and lines[line][column : column + 1] == "\t"
