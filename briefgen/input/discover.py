"""Which files a command works on: files as given, folders searched for YAML files.

``build``, ``validate`` and ``watch`` all find their inputs here, so that they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

INPUT_SUFFIXES = (".yaml", ".yml")


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Return the input files: files as given, and the YAML files inside each folder and its
    subfolders (``inputs/2024/``), sorted; hidden files and folders (``.git``) are skipped."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
                    if found.suffix in INPUT_SUFFIXES
                    and not any(part.startswith(".") for part in found.relative_to(path).parts)
                    and found.is_file()
                )
            )
        else:
            files.append(path)
    return list(dict.fromkeys(files))
