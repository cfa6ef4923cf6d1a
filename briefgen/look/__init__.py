"""The house style, described once: every writer draws the pack from this ``Look``.

The values live in ``templates/look.yaml``. A ``look.yaml`` in a templates override
folder changes only the keys it holds; the rest comes from the built-in file. Colours
may name one of the look's own colours, so that changing ``accent`` changes every
heading, bullet, rule and band drawn in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefgen.look.model import (
    LOOK_FILE,
    MAX_HEADING_LEVEL,
    Colours,
    Contents,
    Cover,
    DraftMark,
    FontFiles,
    Fonts,
    KeyMessageBox,
    Lists,
    Look,
    Margins,
    Padding,
    Page,
    Pdf,
    Roles,
    Rule,
    Tables,
    TextStyle,
)

if TYPE_CHECKING:
    from briefgen.look.load import builtin_look_file, default_look, load_look

_LOADING = ("builtin_look_file", "default_look", "load_look")


def __getattr__(name: str) -> Any:
    """The functions that read look files, imported when first asked for: they bring
    the input reader (YAML, positions, the input's models), which a process that only
    draws a tree never needs (the renderer started with a build)."""
    if name in _LOADING:
        from briefgen.look import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LOOK_FILE",
    "MAX_HEADING_LEVEL",
    "Colours",
    "Contents",
    "Cover",
    "DraftMark",
    "FontFiles",
    "Fonts",
    "KeyMessageBox",
    "Lists",
    "Look",
    "Margins",
    "Padding",
    "Page",
    "Pdf",
    "Roles",
    "Rule",
    "Tables",
    "TextStyle",
    "builtin_look_file",
    "default_look",
    "load_look",
]
