"""Build hook: compile the built-in templates when briefgen is built or installed.

hatchling runs it for wheels and for editable installs (``uv sync``); it writes
``briefgen/compose/compiled-templates.json`` (see ``briefgen/compose/precompiled.py``)
and puts it in the wheel. It needs Jinja2 in the build environment (the hook's
``dependencies`` in pyproject.toml) and imports only the two modules that need nothing
else.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED = "briefgen/compose/compiled-templates.json"


class CompileTemplates(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        precompiled = _module(root, "briefgen.compose.precompiled")
        target = precompiled.write_compiled(root / "templates", root / COMPILED)
        build_data["force_include"][str(target)] = COMPILED


def _module(root: Path, name: str) -> ModuleType:
    """Import ``name`` from the source tree without importing briefgen's package
    (whose other modules need the runtime dependencies)."""
    for parent in ("briefgen", "briefgen.compose"):
        if parent not in sys.modules:
            package = ModuleType(parent)
            package.__path__ = [str(root.joinpath(*parent.split(".")))]
            sys.modules[parent] = package
    for module_name in ("briefgen.compose.values", name):
        path = root.joinpath(*module_name.split(".")).with_suffix(".py")
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
