"""A true-or-false field as YAML 1.2 writes it: ``true`` or ``false``.

briefgen reads every scalar as text, as YAML 1.2's core schema reads ``no``, ``on`` or
``y``: the acronym ``NO`` stays "NO". A field that is true or false takes the core
schema's words (``true``, ``True``, ``TRUE`` and the same of ``false``), and nothing
else: pydantic would also take ``yes``, ``off``, ``1`` or ``f``, and a word that is text
in one field would then be a boolean in the next, where the editor's schema says it is
wrong. YAML 1.1's words are refused with the word briefgen reads in their place. The
look is imported by every writer, so this module imports nothing of the input reader.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ValidationInfo

_WORDS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_YAML_1_1 = {"yes": "true", "y": "true", "on": "true", "no": "false", "n": "false", "off": "false"}
"""YAML 1.1's other words for true and false (in any case), and the word meant."""


YAML_1_1_TAKEN = "yaml_1_1_booleans"
"""The validation context's key that makes YAML 1.1's words booleans again: for an
earlier edition, read as the briefgen that built it read them, never drawn."""


def _boolean(value: object, info: ValidationInfo) -> object:
    """``true`` or ``false`` as a bool; any other text refused, a YAML 1.1 word with the
    word meant. Values that are not text (a bool from Python) are left to pydantic."""
    if not isinstance(value, str):
        return value
    if value in _WORDS:
        return _WORDS[value]
    meant = _YAML_1_1.get(value.casefold())
    if meant is not None and (info.context or {}).get(YAML_1_1_TAKEN):
        return _WORDS[meant]
    hint = f" (did you mean {meant}?)" if meant else ""
    raise ValueError(f"expected true or false, got '{value}'{hint}")


YamlBool = Annotated[bool, BeforeValidator(_boolean)]
"""A field that is true or false, written ``true`` or ``false``."""
