"""How the templates print a value: escaped so that it shows as typed, fenced as an isolate.

Also the settings of the templates' Jinja2 environment. This module needs Jinja2 and
nothing else of briefgen's dependencies: the build hook that compiles the built-in
templates when briefgen is installed (``hatch_build.py``) makes the same environment
from it, so that the compiled templates are the ones a build would compile.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

ENVIRONMENT_OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}
"""The options of the templates' environment besides its loader and undefined."""
INTERCEPTED_BINOPS = frozenset({"*", "**", "%"})
"""The operators the sandbox checks before computing them (``templating._Sandbox``): a
power, a product or a format can ask for more than Python can make in reasonable time."""
FILTER_NAMES = ("date", "raw", "md", "fill")
"""briefgen's own filters, which a template's code refers to by name."""

ISOLATE_START, ISOLATE_END = "\x02", "\x03"
"""The fences of a value the templates printed (``isolated``): control characters that
validated text can never hold, so nothing a user types can pass for one."""
PLACEHOLDER_FENCE = "\x1e"
"""Fences the ``md`` filter's placeholders, for the same reason."""
MD_ALONE = (
    "the md filter must fill a paragraph on its own: put {{ value|md }} alone on its line"
    " between blank lines (or alone after a list marker), unchanged by other filters"
)
_INLINE_SYNTAX = re.compile(r"([\\`*_\[\]()<>&!|~#{}@:])")
_LINE_START_SYNTAX = re.compile(r"^([-+=>]|\d{1,9}(?=[.)]))")


class Markdown(str):
    """Template output that is already Markdown and must not be escaped again."""


def finalize(value: Any) -> str:
    """What ``{{ value }}`` prints: Markdown as it is, anything else escaped and fenced."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    text = str(value)
    if PLACEHOLDER_FENCE in text:  # the md filter's output, changed by another filter
        raise jinja2.TemplateRuntimeError(MD_ALONE)
    return isolated(escape_markdown(text))


def isolated(text: str) -> str:
    """``text`` (Markdown that shows it literally) fenced as one value: the tree holds it
    as a ``tree.Isolate``, which keeps its own direction inside text of the other one.

    A value without a letter of either direction (", ", "—", "30") is left as it is: an
    isolate takes its direction from its first letter, and without one it would be left
    to right, turning the comma of a right-to-left sentence the wrong way round.
    """
    return f"{ISOLATE_START}{text}{ISOLATE_END}" if _has_strong_letter(text) else text


def _has_strong_letter(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _STRONG for char in text)


_STRONG = frozenset({"L", "R", "AL"})


def escape_markdown(text: str) -> str:
    """Return ``text`` escaped so that CommonMark shows it literally, wherever it stands.

    Characters that open inline syntax are escaped everywhere; those that only mean
    something at the start of a line (lists, quotes, setext underlines, ``1.``) are
    escaped when the text starts with them. Line breaks become spaces.
    """
    escaped = _INLINE_SYNTAX.sub(r"\\\1", text.replace("\n", " "))
    return _LINE_START_SYNTAX.sub(_escape_line_start, escaped, count=1)


def _escape_line_start(found: re.Match[str]) -> str:
    marker = found.group(1)
    return "\\" + marker if not marker[0].isdigit() else marker + "\\"


def compiling_environment() -> SandboxedEnvironment:
    """An environment that compiles templates to the same code as the templates' own
    (same sandbox, options, finalize, operators checked and filter names; filters are not
    called to compile)."""
    environment = SandboxedEnvironment(finalize=finalize, **ENVIRONMENT_OPTIONS)
    environment.intercepted_binops = INTERCEPTED_BINOPS
    environment.filters.update(dict.fromkeys(FILTER_NAMES, str))
    return environment
