"""YAML read as editors read it (the YAML 1.2 core schema), to check the JSON Schema.

Editors' YAML support (yaml-language-server, used by VS Code's YAML extension and by
other editors) reads an unquoted ``010`` or ``3.10`` as a number and ``true`` as a
boolean, but ``NO``, ``on`` or ``2024-12-02`` as text; briefgen keeps every scalar as
text. The schema is checked against what the editor sees.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

_CORE_SCHEMA = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN")),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (
        "tag:yaml.org,2002:int",
        r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
        list("-+0123456789"),
    ),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$",
        list("-+.0123456789"),
    ),
]


class EditorLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema's plain scalars."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}


for _tag, _pattern, _first in _CORE_SCHEMA:
    EditorLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)
EditorLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


def _construct_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    return str(loader.construct_scalar(node)).lower() == "true"


EditorLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
EditorLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
EditorLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def load_as_editors_do(text: str) -> Any:
    """Return ``text``'s YAML as JSON data, read with the YAML 1.2 core schema."""
    return yaml.load(text, Loader=EditorLoader)  # a SafeLoader
