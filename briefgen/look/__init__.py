"""The house style, described once: every writer draws the pack from this ``Look``.

The values live in ``templates/look.yaml``. A ``look.yaml`` in a templates override
folder changes only the keys it holds; the rest comes from the built-in file. Colours
may name one of the look's own colours, so that changing ``accent`` changes every
heading, bullet, rule and band drawn in it.
"""

from briefgen.look.load import builtin_look_file, default_look, load_look
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
