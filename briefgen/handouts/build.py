"""``handouts``: one-page handouts beside the pack, written as a whole or not at all.

The handouts of a session go to ``OUTPUT_DIR/<session id>/``, next to its pack:
``<id>-handout-key-messages.pdf`` and ``<id>-handout-<plenary id>.pdf`` (and ``.docx``).
Every file is rendered in memory first, then all are replaced together
(``build.output.replace_files``), so a failure leaves the previous handouts as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen import tree
from briefgen.build.output import pack_folder, replace_files
from briefgen.build.pack import owned_files
from briefgen.handouts.compose import compose_handouts
from briefgen.input.diagnostics import Diagnostic
from briefgen.input.load import load_session
from briefgen.writers import FORMATS, HANDOUT_FORMATS, Rendered, input_warnings


@dataclass(frozen=True)
class HandoutFile:
    path: Path
    pages: int | None
    size: int


@dataclass(frozen=True)
class HandoutsResult:
    folder: Path
    files: tuple[HandoutFile, ...]
    warnings: tuple[Diagnostic, ...]


def handout_file_name(session_id: str, name: str, file_format: str) -> str:
    return f"{session_id}-handout-{name}.{FORMATS[file_format].extension}"


def build_handouts(
    input_path: Path,
    output_dir: Path,
    formats: tuple[str, ...] = HANDOUT_FORMATS,
    templates: Path | None = None,
) -> HandoutsResult:
    """Write the handouts of one input, in the look and labels of ``templates`` (else the
    built-in ones); raise ``UserError`` before writing anything if the input is invalid."""
    loaded = load_session(input_path)
    checks = input_warnings(formats, loaded, templates)  # as build's: fonts, labels
    write_pdf = FORMATS["pdf"].write_function()
    handouts, warnings = compose_handouts(loaded, write_pdf, templates)
    session_id = loaded.session.session.id
    folder = output_dir / session_id
    files: dict[str, bytes] = {}
    written = []
    for handout in handouts:
        for name in formats:
            rendered = _render(name, handout.document)
            file_name = handout_file_name(session_id, handout.name, name)
            files[file_name] = rendered.data
            written.append(HandoutFile(folder / file_name, rendered.pages, len(rendered.data)))
    owned = (*owned_files(session_id), *files)
    with pack_folder(folder, owned):
        replace_files(folder, files)
    return HandoutsResult(folder, tuple(written), (*loaded.warnings, *checks, *warnings))


def _render(name: str, document: tree.Document) -> Rendered:
    """A handout in one format. The DOCX is not laid out by LibreOffice: it has no
    contents to number, and its one page is the PDF's."""
    write = FORMATS[name].write_function()
    if name == "docx":
        return write(document, paginate=False)
    return write(document)
