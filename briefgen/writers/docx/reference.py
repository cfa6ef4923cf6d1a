"""The DOCX writer's own option: a reference document among the template folders.

Like pandoc's ``--reference-doc``, a ``reference.docx`` placed beside the templates
gives the DOCX its styles, page set-up, headers and footers. Found before anything is
rendered (without importing python-docx), so that an unusable file is the user's error.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from briefgen.input.diagnostics import Diagnostic, UserError

REFERENCE_DOCX = "reference.docx"


def docx_options(template_folders: Sequence[Path]) -> dict[str, object]:
    """Return ``write_docx``'s options: ``reference``, the first ``reference.docx`` found.

    Raises ``UserError`` when that file is not a Word document.
    """
    return {"reference": find_reference_docx(template_folders)}


def find_reference_docx(template_folders: Sequence[Path]) -> Path | None:
    """Return the first ``reference.docx`` among ``template_folders``, if any.

    Raises ``UserError`` when that file is not a Word document.
    """
    candidates = (folder / REFERENCE_DOCX for folder in template_folders)
    reference = next((path for path in candidates if path.is_file()), None)
    if reference is not None and not _is_word_document(reference):
        message = "not a Word document (.docx); save the reference from Word or LibreOffice"
        raise UserError([Diagnostic(str(reference), 0, 0, "", message)])
    return reference


def _is_word_document(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as package:
            return "word/document.xml" in package.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
