"""The built-in templates, compiled when briefgen is installed.

Compiling the templates (Jinja2's lexer, parser and code generator) is a fixed cost of
every build. The build hook (``hatch_build.py``) compiles the built-in templates to
Python source once, when briefgen is installed, into ``COMPILED_FILE``, with that
source's bytecode (as a ``.pyc`` file holds it: ``marshal``) for the Python that
installed it; a build then only loads the bytecode (a fifth of a millisecond, where
compiling the source took ten), or compiles the source under another Python. Each entry
is used only for the very source it was compiled from (its SHA-256), by the same Jinja2
and the same environment settings (``values.py``, fingerprinted); anything else is
compiled as before, so a stale or missing file costs time, never correctness. Like
Jinja2's own loaders, this module needs nothing but Jinja2, for the build hook.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import marshal
from functools import cache
from pathlib import Path
from types import CodeType
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
        bytecode = marshal.dumps(compile(python, str(path), "exec"))
        templates[path.name] = {
            "sha256": _sha256(source),
            "python": python,
            "bytecode": base64.b64encode(bytecode).decode("ascii"),
        }
    return {"settings": settings_fingerprint(), "python": _PYTHON, "templates": templates}


def write_compiled(folder: Path, target: Path = COMPILED_FILE) -> Path:
    """Compile the templates of ``folder`` into ``target``; return it."""
    target.write_text(json.dumps(compile_folder(folder), indent=0) + "\n", encoding="utf-8")
    return target


def precompiled_code(name: str, source: str, filename: str) -> CodeType | None:
    """The code of template ``name`` compiled at install time, as from ``filename``, if it
    was compiled from this very ``source`` with today's settings; else None.

    Its bytecode is loaded where this Python installed it; otherwise its Python source
    is compiled."""
    entry = _entry(name, source)
    if entry is None:
        return None
    bytecode = entry.get("bytecode")
    if _compiled_by_this_python() and isinstance(bytecode, str):
        code = marshal.loads(base64.b64decode(bytecode))
        if isinstance(code, CodeType):
            return _from_file(code, filename)
    python = entry.get("python")
    return compile(python, filename, "exec") if isinstance(python, str) else None


def _entry(name: str, source: str) -> dict[str, Any] | None:
    entry = _compiled().get(name)
    if not isinstance(entry, dict) or entry.get("sha256") != _sha256(source):
        return None
    return entry


def _from_file(code: CodeType, filename: str) -> CodeType:
    """``code`` and the code objects it holds (macros, blocks) as compiled from
    ``filename``: where the templates are installed, not where they were compiled."""
    if code.co_filename == filename:
        return code
    constants = tuple(
        _from_file(constant, filename) if isinstance(constant, CodeType) else constant
        for constant in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=constants)


_PYTHON = importlib.util.MAGIC_NUMBER.hex()
"""The bytecode format of this Python (as ``.pyc`` files name it)."""


def _compiled_by_this_python() -> bool:
    return _installed().get("python") == _PYTHON


@cache
def _compiled() -> dict[str, dict[str, Any]]:
    """The compiled templates of this installation that today's settings can use."""
    data = _installed()
    if data.get("settings") != settings_fingerprint():
        return {}
    templates = data.get("templates")
    return templates if isinstance(templates, dict) else {}


@cache
def _installed() -> dict[str, Any]:
    """What the installation compiled (``COMPILED_FILE``); empty if it cannot be read."""
    try:
        data = json.loads(COMPILED_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
