"""``build``: load, compose, render in memory, then write each artifact atomically."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen import tree
from briefgen.compose import compose_pack
from briefgen.coverage import coverage_warnings
from briefgen.diagnostics import Diagnostic, UserError
from briefgen.load import load_session
from briefgen.output import write_atomically
from briefgen.templating import template_dirs
from briefgen.writers import Rendered

REFERENCE_DOCX = "reference.docx"


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[str, ...] = ("pdf", "docx")
    output_dir: Path = Path("output")
    templates: Path | None = None
    strict: bool = False


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
    artifacts: tuple[Artifact, ...]
    warnings: tuple[Diagnostic, ...]


def pack_path(output_dir: Path, session_id: str, file_format: str) -> Path:
    """Return where the pack of ``session_id`` in ``file_format`` is written."""
    return output_dir / session_id / f"{session_id}-briefing-pack.{file_format}"


def build_pack(input_path: Path, options: BuildOptions) -> BuildResult:
    """Build the packs of one input file; raise ``UserError`` before writing anything if invalid."""
    loaded = load_session(input_path)
    warnings = coverage_warnings(loaded.source)
    if options.strict and warnings:
        raise UserError([_as_error(w) for w in warnings])
    document = compose_pack(loaded, options.templates)
    rendered = {
        name: _timed(_renderer(name, options.templates), document) for name in options.formats
    }
    artifacts = []
    for name, (output, seconds) in rendered.items():
        path = pack_path(options.output_dir, loaded.session.session.id, name)
        write_atomically(path, output.data)
        artifacts.append(Artifact(path, output.pages, len(output.data), seconds))
    return BuildResult(loaded.session.session.id, tuple(artifacts), tuple(warnings))


def _timed(
    render: Callable[[tree.Document], Rendered], document: tree.Document
) -> tuple[Rendered, float]:
    started = time.perf_counter()
    output = render(document)
    return output, time.perf_counter() - started


def _renderer(name: str, templates: Path | None) -> Callable[[tree.Document], Rendered]:
    if name == "pdf":
        from briefgen.writers.pdf import write_pdf

        return write_pdf
    from briefgen.writers.docx import write_docx

    reference = find_reference_docx(templates)
    return lambda document: write_docx(document, reference)


def find_reference_docx(templates: Path | None) -> Path | None:
    """Return the first ``reference.docx`` among the template folders, if any."""
    return next(
        (d / REFERENCE_DOCX for d in template_dirs(templates) if (d / REFERENCE_DOCX).is_file()),
        None,
    )


def _as_error(warning: Diagnostic) -> Diagnostic:
    return Diagnostic(warning.file, warning.line, warning.column, warning.field, warning.message)
