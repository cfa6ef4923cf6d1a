"""The characters a text field may not hold, and the checks of them that both the input's
models and the look's use. The look is imported by every writer, so this module imports
nothing of the input reader (YAML, the input's models)."""

from __future__ import annotations

import re

CONTROL_CHARACTERS = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
"""The characters no text may hold, as the inside of a regular expression's ``[...]``."""

_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def no_control_characters(text: str) -> str:
    """Refuse the characters no text may hold (``CONTROL_CHARACTERS``), however written:
    YAML's escapes (``"\\x00"``) reach this unchanged by the check of raw bytes."""
    found = _CONTROL.search(text)
    if found:
        raise ValueError(f"control character U+{ord(found.group()):04X} is not allowed")
    return text


def single_line(text: str) -> str:
    """Refuse line breaks and tabs: text that is one line (a title, a name)."""
    if "\n" in text or "\r" in text:
        raise ValueError("must be a single line")
    if "\t" in text:
        raise ValueError("tab characters are not allowed here")
    return text
