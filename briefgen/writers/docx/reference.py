"""The DOCX writer's own option: a reference document among the template folders.

Like pandoc's ``--reference-doc``, a ``reference.docx`` placed beside the templates
gives the DOCX its styles, page set-up, headers and footers. Found and checked before
anything is rendered, so that an unusable file is the user's error, naming it: a zip
that is not a Word package, a part that is not XML, styles or a document of the wrong
shape. python-docx is imported only when there is a reference to check.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.input.diagnostics import Diagnostic, UserError

if TYPE_CHECKING:
    from docx.section import Section, _Footer, _Header

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
    if reference is None:
        return None
    if not _is_word_document(reference):
        message = "not a Word document (.docx); save the reference from Word or LibreOffice"
        raise UserError([Diagnostic(str(reference), 0, 0, "", message)])
    problem = _unusable(reference)
    if problem is not None:
        message = f"not a usable Word document: {problem}; save it again from Word or LibreOffice"
        raise UserError([Diagnostic(str(reference), 0, 0, "", message)])
    return reference


def _unusable(path: Path) -> str | None:
    """Return why python-docx cannot take ``path`` as the base of a pack, or None.

    It opens the package as the writer does and reads what the writer reads from it:
    the body, the styles, the sections with their headers and footers, the settings.
    """
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(path))
        if document.element.tag != qn("w:document") or document.element.body is None:
            return "its main part is not a document"
        styles = document.styles.element
        if styles.tag != qn("w:styles"):
            return "its styles part does not hold styles"
        for style in document.styles:
            style.name, style.type  # noqa: B018 - reading them is the check
        if not document.sections:
            return "its body has no section properties (the page set-up)"
        for section in document.sections:
            for story in _headers_and_footers(section):
                if not story.is_linked_to_previous:  # it names a part: that part exists
                    story.part  # noqa: B018
        document.settings.element  # noqa: B018
    except KeyError as error:
        return f"a part is missing ({error.args[0] if error.args else error})"
    except Exception as error:  # whatever python-docx and lxml raise on a broken package
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    return None


def _headers_and_footers(section: Section) -> tuple[_Header | _Footer, ...]:
    """Every header and footer a section may name: the writer fills the first page's."""
    return (
        section.header,
        section.footer,
        section.first_page_header,
        section.first_page_footer,
        section.even_page_header,
        section.even_page_footer,
    )


def _is_word_document(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as package:
            return "word/document.xml" in package.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
