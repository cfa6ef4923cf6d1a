"""``manifest.json`` beside each pack: what it was built from, and whether it is up to date.

A pack's bytes depend on the input (and its logo), the templates, the document date,
briefgen's own code and fonts, and the libraries that lay it out and write it; the
manifest's ``sources`` fingerprint each of them, so that a change to any one of them
rebuilds the pack.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from dataclasses import asdict, dataclass, fields
from datetime import date
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.compose.templating import template_dirs
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.files import FileTooLarge, NotRegularFile, read_regular, sha256_regular
from briefgen.text.fonts import FONT_DIR
from briefgen.writers import FORMATS

MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 1024 * 1024
"""A manifest is a few kilobytes; a larger one is not briefgen's, and means "rebuild"."""
MAX_TEMPLATE_FILE_BYTES = 64 * 1024 * 1024
"""The largest file a templates folder may hold (documented in docs/building.md)."""
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
    compared_with: str = ""
    """The fingerprint of the earlier edition the pack is compared with (``--since``) and
    of the revisions' author, or "" for a pack compared with none."""


@dataclass(frozen=True)
class EditionRecord:
    """The earlier edition a pack is compared with, and how many changes of each kind."""

    compared_with: str
    """As ``--since`` named it: a file, a pack folder or a git revision."""
    date: str
    """The earlier edition's date."""
    changes: dict[str, int]


@dataclass(frozen=True)
class Manifest:
    sources: Sources
    artifacts: tuple[ArtifactRecord, ...]
    edition: EditionRecord | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_sources(
    input_sha256: str,
    logo: Path | None,
    templates: Path | None,
    document_date: date,
    compared_with: str = "",
) -> Sources:
    """Return the fingerprints of this input (with its logo), the templates, the date and
    the code and tools that make the pack.

    ``input_sha256`` is the input file's, taken when it was read; a logo is hashed in.
    ``compared_with`` fingerprints the earlier edition a pack is compared with.
    """
    digest = input_sha256
    if logo is not None:
        prefix = f"{input_sha256}\0logo\0".encode()
        digest = _sha256_of(logo, sys.maxsize, "logo", prefix)  # read in chunks, never whole
    return Sources(
        input_sha256=digest,
        templates_sha256=templates_fingerprint(templates),
        document_date=document_date.isoformat(),
        briefgen=__version__,
        briefgen_code=code_fingerprint(),
        tools={**tool_versions(), "libreoffice": office_identity()},
        compared_with=compared_with,
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
    """Return one hash of the effective template set (an override wins by file name).

    Hidden files and folders (an editor's swap files, ``.git``) are left out, as ``watch``
    leaves them out. A FIFO, socket or device in a templates folder is refused before
    it is opened (a template read from it would hang the build), and so is a file larger
    than ``MAX_TEMPLATE_FILE_BYTES``; files are hashed in chunks. Raises ``UserError``.
    """
    effective: dict[str, Path] = {}
    for folder in reversed(template_dirs(templates)):
        for path in _visible_files(folder):
            effective[path.relative_to(folder).as_posix()] = path
    digest = hashlib.sha256()
    for name in sorted(effective):
        file_digest = _sha256_of(
            effective[name], MAX_TEMPLATE_FILE_BYTES, "file in a templates folder"
        )
        digest.update(name.encode() + b"\0" + file_digest.encode())
    return digest.hexdigest()


def _visible_files(folder: Path) -> list[Path]:
    """The files under ``folder`` (links followed, but not into folders), hidden ones left out."""
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            path = Path(root, name)
            if name.startswith(".") or (path.is_dir() and path.is_symlink()):
                continue
            if os.path.lexists(path) and not path.exists():
                continue  # a link to nothing: no template can be read from it either
            found.append(path)
    return sorted(found)


def _sha256_of(path: Path, limit: int, what: str, prefix: bytes = b"") -> str:
    """Return the sha256 of ``prefix`` and the file's bytes, or raise a ``UserError``."""
    try:
        file_digest, _size = sha256_regular(path, limit, prefix)
    except NotRegularFile as error:
        raise _file_error(path, f"is {error.kind}, not a regular file") from None
    except FileTooLarge as error:
        size = f"{error.size:,} bytes" if error.size is not None else "it grows"
        message = f"too large for a {what} ({size}; the limit is {limit:,} bytes)"
        raise _file_error(path, message) from None
    except OSError as error:
        raise _file_error(path, f"cannot read the {what}: {error.strerror}") from None
    return file_digest


def _file_error(path: Path, message: str) -> UserError:
    return UserError([Diagnostic(str(path), 0, 0, "", message)])


def read_manifest(folder: Path) -> Manifest | None:
    """Return the manifest stored in ``folder``, or None when absent or not a manifest.

    Whatever the file holds (any JSON, deeply nested arrays, wrong types, bytes that
    are not UTF-8, a folder or FIFO by that name), the answer is None: "rebuild".
    """
    try:
        raw = json.loads(read_regular(folder / MANIFEST_NAME, MAX_MANIFEST_BYTES).decode("utf-8"))
    except (OSError, NotRegularFile, FileTooLarge, ValueError, RecursionError):
        return None
    return _manifest_from(raw)


def _manifest_from(raw: Any) -> Manifest | None:
    """The manifest in parsed JSON, if it has exactly the expected shape and types."""
    if not isinstance(raw, dict) or set(raw) != {"sources", "artifacts", "edition"}:
        return None
    sources, artifacts = raw["sources"], raw["artifacts"]
    edition = _edition_from(raw["edition"])
    if raw["edition"] is not None and edition is None:
        return None
    if not isinstance(sources, dict) or not isinstance(artifacts, list):
        return None
    if set(sources) != {field.name for field in fields(Sources)}:
        return None
    tools = sources["tools"]
    texts = [value for name, value in sources.items() if name != "tools"]
    if not all(isinstance(value, str) for value in texts) or not isinstance(tools, dict):
        return None
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in tools.items()):
        return None
    records = [_record_from(item) for item in artifacts]
    if any(record is None for record in records):
        return None
    return Manifest(Sources(**sources), tuple(r for r in records if r is not None), edition)


def _edition_from(item: Any) -> EditionRecord | None:
    if not isinstance(item, dict) or set(item) != {"compared_with", "date", "changes"}:
        return None
    name, day, changes = item["compared_with"], item["date"], item["changes"]
    if not isinstance(name, str) or not isinstance(day, str) or not isinstance(changes, dict):
        return None
    if not all(isinstance(k, str) and _is_count(v) for k, v in changes.items()):
        return None
    return EditionRecord(name, day, changes)


def _record_from(item: Any) -> ArtifactRecord | None:
    if not isinstance(item, dict) or set(item) != {"file", "sha256", "bytes", "pages"}:
        return None
    name, digest, size, pages = item["file"], item["sha256"], item["bytes"], item["pages"]
    if not isinstance(name, str) or name in {"", ".", ".."} or Path(name).name != name:
        return None
    if "\\" in name or not isinstance(digest, str) or not _is_count(size):
        return None
    if pages is not None and not _is_count(pages):
        return None
    return ArtifactRecord(name, digest, size, pages)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


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
    """Whether the file is a regular file with the recorded size and hash (read in chunks)."""
    try:
        if os.stat(path).st_size != record.bytes:
            return False
        digest, size = sha256_regular(path, record.bytes)
    except (OSError, NotRegularFile, FileTooLarge):
        return False
    return size == record.bytes and digest == record.sha256
