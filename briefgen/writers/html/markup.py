"""How text becomes HTML: the one escaping function, and tags built with it.

Every piece of text and every attribute value of the page goes through ``escape``;
element and attribute names are the writer's own constants. Nothing from the input
is ever markup, so ``<script>``, ``</style>`` or ``" onmouseover=`` arrive as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Code points HTML forbids in a document (controls other than tab, line feed, form
# feed and carriage return; noncharacters; lone surrogates). The input refuses most
# of them already; here they become U+FFFD, so that no text makes the page invalid.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)

Attributes = Mapping[str, str | None]
"""An element's attributes by name; a value of None leaves the attribute out."""


def escape(text: str) -> str:
    """Return ``text`` as HTML text or a double-quoted attribute value: inert, valid.

    (Every attribute is written in double quotes, so a single quote stays as it is.)
    """
    if not text.isprintable() and _FORBIDDEN.search(text):  # most text is printable
        text = _FORBIDDEN.sub("\ufffd", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def start_tag(name: str, attributes: Attributes | None = None) -> str:
    """``<name a="v">`` with every value escaped; ``name`` and the keys are the writer's."""
    opening = f"<{name}"
    if attributes:
        for key, value in attributes.items():
            if value is not None:
                opening += f' {key}="{escape(value)}"'
    return opening + ">"


def element(name: str, text: str, attributes: Attributes | None = None) -> str:
    """An element holding plain ``text`` (escaped)."""
    return f"{start_tag(name, attributes)}{escape(text)}</{name}>"
