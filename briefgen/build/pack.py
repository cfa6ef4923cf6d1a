"""``build``: load, compose, render in memory, then replace the pack's files as a whole.

A pack whose manifest shows it was built from the same sources (input, templates,
document date, briefgen's code, tool versions: ``manifest.Sources``), and whose files
are unchanged on disk, is left alone ("up to date").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.build.manifest import (
    MANIFEST_NAME,
    ArtifactRecord,
    EditionRecord,
    Manifest,
    Sources,
    current_sources,
    is_up_to_date,
    read_manifest,
    sha256_bytes,
)
from briefgen.build.output import pack_folder, replace_files
from briefgen.build.render import Renderers, rendering
from briefgen.compose.pack import compose_pack, document_date
from briefgen.compose.templating import template_dirs
from briefgen.editions.edition import Comparison, compose_compared
from briefgen.editions.previous import (
    earlier_name,
    language_warning,
    load_previous,
    snapshot_name,
)
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.languages import languages_used
from briefgen.input.load import LoadedSession, load_session
from briefgen.writers import DEFAULT_FORMATS, FORMATS, input_warnings

StageCallback = Callable[[str, float], None]
"""``on_stage(name, done)``: a stage starts, with ``done`` (0 to 1) of the work behind it."""


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    output_dir: Path = Path("output")
    templates: Path | None = None
    strict: bool = False
    force: bool = False
    since: str | None = None
    """An earlier edition to compare with: an input file, a pack folder or a git revision."""
    revision_author: str | None = None
    """Who the changes since that edition are by; by default the publisher."""
    parallel_formats: bool = True
    """Render the formats side by side (the first in a child process) and let a writer put
    a second core to work; False where every core already builds a pack of its own."""
    on_stage: StageCallback | None = field(default=None, compare=False)
    """Told each stage of the build as it starts (its name and the share of the work done
    before it), for a progress display; only for a build in this process (not picklable)."""


@dataclass(frozen=True)
class Artifact:
    path: Path
    pages: int | None
    size: int
    seconds: float

    def summary(self) -> str:
        pages = f"{self.pages} pages" if self.pages is not None else "pages set by the reader"
        return f"{self.path}  {pages}  {self.size / 1024:,.0f} KiB  {self.seconds:.2f} s"


@dataclass(frozen=True)
class BuildResult:
    session_id: str
    folder: Path
    artifacts: tuple[Artifact, ...]
    warnings: tuple[Diagnostic, ...]
    up_to_date: bool = False


def pack_file_name(session_id: str, file_format: str) -> str:
    return f"{session_id}-briefing-pack.{FORMATS[file_format].extension}"


def owned_files(session_id: str) -> tuple[str, ...]:
    """The files a pack's folder can hold: one per format, the data it was built from
    (the earlier edition of the next build) and that of the edition it was compared
    with, and the manifest."""
    packs = (pack_file_name(session_id, name) for name in FORMATS)
    return (*packs, snapshot_name(session_id), earlier_name(session_id), MANIFEST_NAME)


def build_pack(input_path: Path, options: BuildOptions) -> BuildResult:
    """Build the packs of one input file; raise ``UserError`` before writing anything if invalid.

    Only the asked formats' checks run: under ``--strict`` a character the PDF's fonts
    cannot draw fails a PDF build, not a DOCX-only one.
    """
    with rendering(options.formats, parallel=options.parallel_formats) as renderers:
        _stage(options, "reading", 0.0)
        loaded = load_session(input_path)
        renderers.prepare(languages_used(loaded.session))
        comparison, not_compared = _comparison(loaded, options)
        warnings = (
            *loaded.warnings,
            *input_warnings(options.formats, loaded, options.templates),
            *not_compared,
        )
        if options.strict and warnings:
            raise UserError([w.as_severity("error") for w in warnings])
        session_id = loaded.session.session.id
        folder = options.output_dir / session_id
        files = tuple(pack_file_name(session_id, name) for name in options.formats)
        sources = current_sources(
            loaded.source.sha256,
            loaded.logo_path,
            options.templates,
            document_date(loaded.session),
            comparison.fingerprint() if comparison else "",
        )
        with pack_folder(folder, owned_files(session_id), create=False):  # tidied after a crash
            if not options.force and is_up_to_date(folder, sources, files):
                recorded = _recorded(folder, files)
                return BuildResult(session_id, folder, recorded, warnings, up_to_date=True)
        artifacts = _render_and_write(loaded, options, renderers, folder, sources, comparison)
    return BuildResult(session_id, folder, artifacts, warnings)


def _comparison(
    loaded: LoadedSession, options: BuildOptions
) -> tuple[Comparison | None, tuple[Diagnostic, ...]]:
    """The earlier edition to compare with, if any; or a warning saying why there is none."""
    if options.since is None:
        return None, ()
    previous = load_previous(options.since, loaded)
    if previous is None:
        return None, ()
    warning = language_warning(previous, loaded)
    if warning is not None:
        return None, (warning,)
    return Comparison(previous, options.since, options.revision_author), ()


def _render_and_write(
    loaded: LoadedSession,
    options: BuildOptions,
    renderers: Renderers,
    folder: Path,
    sources: Sources,
    comparison: Comparison | None,
) -> tuple[Artifact, ...]:
    folders = template_dirs(options.templates)
    writer_options = {
        name: FORMATS[name].find_options(folders, second_core=options.parallel_formats)
        for name in options.formats
    }
    _stage(options, "composing", 0.05)
    edition = None
    if comparison is None:
        document = compose_pack(loaded, options.templates)
    else:
        document, changes = compose_compared(loaded, comparison, options.templates)
        old_date = document_date(comparison.previous.session).isoformat()
        edition = EditionRecord(comparison.named, old_date, changes.summary())
    _stage(options, f"rendering {' and '.join(options.formats)}", 0.1)
    rendered = renderers.render(document, writer_options, len(loaded.source.text))
    session_id = loaded.session.session.id
    artifacts, records, files = [], [], {}
    for name, (output, seconds) in rendered.items():
        path = folder / pack_file_name(session_id, name)
        files[path.name] = output.data
        artifacts.append(Artifact(path, output.pages, len(output.data), seconds))
        records.append(
            ArtifactRecord(path.name, sha256_bytes(output.data), len(output.data), output.pages)
        )
    _stage(options, "writing", 0.95)
    files[snapshot_name(session_id)] = loaded.source.text.encode("utf-8")
    if comparison is not None:
        files[earlier_name(session_id)] = comparison.previous.source.text.encode("utf-8")
    with pack_folder(folder, owned_files(session_id)):
        kept = _still_valid_records(folder, sources, {r.file for r in records})
        records_kept = tuple(sorted((*kept, *records), key=lambda r: r.file))
        manifest = Manifest(sources, records_kept, edition)
        files[MANIFEST_NAME] = manifest.to_json().encode()
        replace_files(folder, files)
    return tuple(artifacts)


def _still_valid_records(folder: Path, sources: Sources, rebuilt: set[str]) -> list[ArtifactRecord]:
    """Records of formats not rebuilt now that came from the same sources (kept in the manifest)."""
    previous = read_manifest(folder)
    if previous is None or previous.sources != sources:
        return []
    return [r for r in previous.artifacts if r.file not in rebuilt]


def _recorded(folder: Path, files: tuple[str, ...]) -> tuple[Artifact, ...]:
    manifest = read_manifest(folder)
    records = {r.file: r for r in manifest.artifacts} if manifest else {}
    return tuple(
        Artifact(folder / name, records[name].pages, records[name].bytes, 0.0) for name in files
    )


def _stage(options: BuildOptions, name: str, done: float) -> None:
    if options.on_stage is not None:
        options.on_stage(name, done)
