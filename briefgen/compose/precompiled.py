"""The built-in templates, compiled when briefgen is installed.

Compiling the templates (Jinja2's lexer, parser and code generator) is a fixed cost of
every build. The build hook (``hatch_build.py``) compiles the built-in templates to
Python source once, when briefgen is installed, into ``COMPILED_FILE``; a build then
only has Python compile that source. Each entry is used only for the very source it was
compiled from (its SHA-256), by the same Jinja2 and the same environment settings
(``values.py``, fingerprinted); anything else is compiled as before, so a stale or
missing file costs time, never correctness. Like Jinja2's own loaders, this module
needs nothing but Jinja2, for the build hook.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from briefgen.compose import values

COMPILED_FILE = Path(__file__).with_name("compiled-templates.json")
TEMPLATE_SUFFIX = ".j2"


def settings_fingerprint() -> str:
    """What compiled code depends on besides the template: Jinja2's version and the
    environment's settings, escaping and fencing (``values.py``)."""
    settings = Path(values.__file__).read_bytes()
    return hashlib.sha256(jinja2.__version__.encode() + b"\0" + settings).hexdigest()


def compile_folder(folder: Path) -> dict[str, Any]:
    """The templates of ``folder`` compiled to Python source, with what they depend on."""
    environment = values.compiling_environment()
    templates = {}
    for path in sorted(folder.glob(f"*{TEMPLATE_SUFFIX}")):
        source = path.read_text(encoding="utf-8")
        python = environment.compile(source, path.name, str(path), raw=True)
        templates[path.name] = {"sha256": _sha256(source), "python": python}
    return {"settings": settings_fingerprint(), "templates": templates}


def write_compiled(folder: Path, target: Path = COMPILED_FILE) -> Path:
    """Compile the templates of ``folder`` into ``target``; return it."""
    target.write_text(json.dumps(compile_folder(folder), indent=0) + "\n", encoding="utf-8")
    return target


def precompiled_source(name: str, source: str) -> str | None:
    """The Python source ``name`` was compiled to at install time, if it was compiled from
    this very ``source`` with today's settings; else None."""
    entry = _compiled().get(name)
    if entry is None or entry.get("sha256") != _sha256(source):
        return None
    python = entry.get("python")
    return python if isinstance(python, str) else None


@cache
def _compiled() -> dict[str, dict[str, Any]]:
    """The compiled templates of this installation that today's settings can use."""
    try:
        data = json.loads(COMPILED_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("settings") != settings_fingerprint():
        return {}
    templates = data.get("templates")
    return templates if isinstance(templates, dict) else {}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
