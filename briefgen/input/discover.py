"""Which files a command works on: files as given, folders searched for YAML files.

``build``, ``validate`` and ``watch`` all find their inputs here, so that they agree.
A search never takes briefgen's own outputs for inputs: each pack's folder holds a copy
of the data it was built from (``<id>-data.yaml``), a second input with the same session
id, so that ``briefgen build .`` would fail the second time it runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from briefgen.input.files import FileTooLarge, NotRegularFile, read_regular

INPUT_SUFFIXES = (".yaml", ".yml")
PACK_MANIFEST = "manifest.json"
"""``briefgen.build.manifest.MANIFEST_NAME``, not imported: that module takes long to
import, and ``validate`` starts quickly."""
MAX_MANIFEST_BYTES = 1024 * 1024

FileId = tuple[int, int]


def find_inputs(paths: Iterable[Path], output_dir: Path | None = None) -> list[Path]:
    """Return the input files: files as given, and the YAML files inside each folder and its
    subfolders (``inputs/2024/``), sorted.

    A search skips hidden files and folders (``.git``), the folders of packs briefgen
    wrote, and ``output_dir`` (the command's own) wherever it lies in the folder. A file
    found twice, however it was named (``x.yaml`` and ``./inputs/../x.yaml``, a link to
    it, a folder and a file in it), is one input, by the name it was first found under.
    """
    output = _file_id(output_dir) if output_dir is not None else None
    files: dict[FileId | Path, Path] = {}
    for path in paths:
        for found in sorted(_yaml_files(path, output)) if path.is_dir() else [path]:
            files.setdefault(_file_id(found) or found, found)
    return list(files.values())


def is_pack_folder(folder: Path) -> bool:
    """Whether ``folder`` holds a pack briefgen wrote: a manifest with the fingerprints of
    its sources (``input_sha256`` among them) and its files, as every version wrote it."""
    try:
        manifest = json.loads(read_regular(folder / PACK_MANIFEST, MAX_MANIFEST_BYTES))
    except (OSError, NotRegularFile, FileTooLarge, ValueError, RecursionError):
        return False
    return (
        isinstance(manifest, dict)
        and isinstance(manifest.get("sources"), dict)
        and "input_sha256" in manifest["sources"]
        and isinstance(manifest.get("artifacts"), list)
    )


def _yaml_files(folder: Path, output: FileId | None) -> Iterator[Path]:
    for parent, folders, names in os.walk(folder):  # links to folders are not followed
        here = Path(parent)
        folders[:] = [name for name in folders if not _skipped(here / name, output)]
        for name in names:
            found = here / name
            if found.suffix in INPUT_SUFFIXES and not name.startswith(".") and found.is_file():
                yield found


def _skipped(folder: Path, output: FileId | None) -> bool:
    return (
        folder.name.startswith(".")
        or (output is not None and _file_id(folder) == output)
        or is_pack_folder(folder)
    )


def _file_id(path: Path) -> FileId | None:
    """The file's or folder's device and inode, the same however it is named (links
    followed); None if it is missing."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino
