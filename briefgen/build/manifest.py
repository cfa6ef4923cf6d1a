"""``manifest.json`` beside each pack: what it was built from, and whether it is up to date.

A pack's bytes depend on the input (and its logo), the templates, the document date,
briefgen's own code and fonts, and the libraries that lay it out and write it; the
manifest's ``sources`` fingerprint each of them, so that a change to any one of them
rebuilds the pack.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.compose.templating import template_dirs
from briefgen.text.fonts import FONT_DIR
from briefgen.writers import FORMATS

MANIFEST_NAME = "manifest.json"
PACKAGE = Path(__file__).resolve().parent.parent
COMPOSE_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "babel")
"""The libraries that turn the input into the document tree, for every format."""


@dataclass(frozen=True)
class ArtifactRecord:
    file: str
    sha256: str
    bytes: int
    pages: int | None


@dataclass(frozen=True)
class Sources:
    """Fingerprints of everything a pack's bytes depend on; equal sources give equal packs."""

    input_sha256: str
    templates_sha256: str
    document_date: str
    """The date the pack carries (the edition, ``SOURCE_DATE_EPOCH`` or the session's end)."""
    briefgen: str
    briefgen_code: str
    """A hash of briefgen's Python code and shipped fonts (``code_fingerprint``)."""
    tools: dict[str, str]
    """Python's, zlib's and the libraries' versions (``tool_versions``)."""


@dataclass(frozen=True)
class Manifest:
    sources: Sources
    artifacts: tuple[ArtifactRecord, ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_sources(
    input_sha256: str, logo: Path | None, templates: Path | None, document_date: date
) -> Sources:
    """Return the fingerprints of this input (with its logo), the templates, the date and
    the code and tools that make the pack.

    ``input_sha256`` is the input file's, taken when it was read; a logo is hashed in.
    """
    digest = input_sha256
    if logo is not None:
        digest = hashlib.sha256(f"{input_sha256}\0logo\0".encode() + logo.read_bytes()).hexdigest()
    return Sources(
        input_sha256=digest,
        templates_sha256=templates_fingerprint(templates),
        document_date=document_date.isoformat(),
        briefgen=__version__,
        briefgen_code=code_fingerprint(),
        tools={**tool_versions(), "libreoffice": office_identity()},
    )


@cache
def code_fingerprint() -> str:
    """Return one hash of briefgen's ``.py`` files and of the fonts it ships.

    So that an edited briefgen (a colour in the PDF styles, a fixed writer) rebuilds
    packs although its version is the same. Hidden files (an editor's lock files) and
    files that cannot be read are left out. Kept for the process: the code it runs
    does not change under it.
    """
    digest = hashlib.sha256()
    for kind, folder, pattern in (("code", PACKAGE, "*.py"), ("fonts", FONT_DIR, "*")):
        for path in sorted(folder.rglob(pattern)):
            if path.name.startswith(".") or not path.is_file():
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            name = f"{kind}/{path.relative_to(folder).as_posix()}"
            digest.update(f"{name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


@cache
def tool_versions() -> dict[str, str]:
    """Return the versions of Python, zlib and the libraries whose output is in the packs.

    The libraries are those that compose the tree and those each format names in
    ``briefgen.writers.FORMATS``.
    """
    libraries = dict.fromkeys(
        [*COMPOSE_LIBRARIES, *(name for entry in FORMATS.values() for name in entry.libraries)]
    )
    versions = {
        "python": ".".join(map(str, sys.version_info[:3])),
        "zlib": zlib.ZLIB_RUNTIME_VERSION,
    }
    for name in libraries:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def office_identity() -> str:
    """Which LibreOffice numbers the DOCX's contents here: "off", or its program's path,
    size and time (cheap, unlike asking it its version), so a new one rebuilds packs.
    Read on every build: ``BRIEFGEN_OFFICE`` may change between builds of one process."""
    from briefgen.writers.docx.pagination import office_program

    program = office_program()
    if program is None:
        return "off"
    stat = Path(program).resolve().stat()
    return f"{Path(program).resolve()} {stat.st_size} {stat.st_mtime_ns}"


def templates_fingerprint(templates: Path | None) -> str:
    """Return one hash of the effective template set (an override wins by file name)."""
    effective: dict[str, Path] = {}
    for folder in reversed(template_dirs(templates)):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            effective[path.relative_to(folder).as_posix()] = path
    digest = hashlib.sha256()
    for name in sorted(effective):
        digest.update(name.encode() + b"\0" + sha256_bytes(effective[name].read_bytes()).encode())
    return digest.hexdigest()


def read_manifest(folder: Path) -> Manifest | None:
    """Return the manifest stored in ``folder``, or None when absent or unreadable."""
    try:
        raw: dict[str, Any] = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        return Manifest(
            Sources(**raw["sources"]),
            tuple(ArtifactRecord(**item) for item in raw["artifacts"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_up_to_date(folder: Path, sources: Sources, files: tuple[str, ...]) -> bool:
    """Return whether ``folder`` holds exactly these files, built from these sources, unchanged."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.sources != sources:
        return False
    recorded = {a.file: a for a in manifest.artifacts}
    if not set(files) <= set(recorded):
        return False
    return all(_file_matches(folder / name, recorded[name]) for name in files)


def _file_matches(path: Path, record: ArtifactRecord) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return len(data) == record.bytes and sha256_bytes(data) == record.sha256
