"""``manifest.json`` beside each pack: what it was built from, and whether it is up to date."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.compose.templating import template_dirs

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class ArtifactRecord:
    file: str
    sha256: str
    bytes: int
    pages: int | None


@dataclass(frozen=True)
class Sources:
    """Fingerprints of everything a pack is made from; equal sources give equal packs."""

    input_sha256: str
    templates_sha256: str
    briefgen: str
    reportlab: str
    python_docx: str


@dataclass(frozen=True)
class Manifest:
    sources: Sources
    artifacts: tuple[ArtifactRecord, ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_sources(input_sha256: str, logo: Path | None, templates: Path | None) -> Sources:
    """Return the fingerprints of this input (with its logo), the templates and the tools.

    ``input_sha256`` is the input file's, taken when it was read; a logo is hashed in.
    """
    digest = input_sha256
    if logo is not None:
        digest = hashlib.sha256(f"{input_sha256}\0logo\0".encode() + logo.read_bytes()).hexdigest()
    return Sources(
        input_sha256=digest,
        templates_sha256=templates_fingerprint(templates),
        briefgen=__version__,
        reportlab=version("reportlab"),
        python_docx=version("python-docx"),
    )


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
