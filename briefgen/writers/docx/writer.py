"""The DOCX writer: a ``tree.Document`` to the bytes of a Word file.

``body`` writes the blocks, ``furniture`` the header and footer, ``styles`` the look in
Word's terms, ``embedded`` the fonts and theme, ``package`` the deterministic zip, and
``pagination`` has LibreOffice number the contents where it is installed.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from briefgen import tree
from briefgen.writers import Rendered
from briefgen.writers.docx import embedded, pagination
from briefgen.writers.docx import package as docx_package
from briefgen.writers.docx.body import BodyWriter, PageNumbers
from briefgen.writers.docx.furniture import furnish_pages
from briefgen.writers.docx.styles import set_page

# Shown as the contents' page numbers while LibreOffice lays the pack out: as wide as
# any number of a pack below a thousand pages, so the real ones never wrap a line.
_PLACEHOLDER_PAGE = "000"


def write_docx(
    document: tree.Document, reference: Path | None = None, *, paginate: bool = True
) -> Rendered:
    """Render ``document`` as DOCX bytes, its contents numbered as LibreOffice paginates it.

    With a ``reference`` .docx (like pandoc's ``--reference-doc``) its styles, page
    set-up and headers/footers win; ``meta.paper`` only applies without one. Headers and
    footers the reference does not define get briefgen's running header and page label.
    Without LibreOffice (see ``pagination``), or with ``paginate`` False (a document
    without contents, such as a handout), the page numbers are left to Word, and
    ``pages`` is None.
    """
    program = pagination.office_program() if paginate else None
    if program is None:
        return Rendered(_render(document, reference, None), pages=None)
    draft = _render(document, reference, lambda _bookmark: _PLACEHOLDER_PAGE)
    laid_out = pagination.paginate(draft, program)
    if laid_out is None:
        return Rendered(_render(document, reference, None), pages=None)
    numbers = {name: str(page) for name, page in laid_out.pages.items()}
    return Rendered(_render(document, reference, numbers.get), pages=laid_out.total)


def _render(document: tree.Document, reference: Path | None, numbers: PageNumbers | None) -> bytes:
    base = docx_package.open_base(reference)
    if reference is None:
        set_page(base, document.look, document.meta.paper)
        docx_package.set_paragraph_spacing(base)
    docx_package.set_core_properties(base, document.meta)
    docx_package.set_default_language(base, document.meta.language)
    docx_package.set_hyphenation(base, document.look)
    writer = BodyWriter(
        base,
        document.look,
        restyle=reference is None,
        numbers=numbers,
        revisions=document.meta.revisions,
        direction=document.meta.direction,
    )
    cover = document.blocks[0] if document.blocks else None
    furnish_pages(
        base,
        writer.styles,
        document.look,
        document.meta,
        cover if isinstance(cover, tree.Cover) else None,
        writer.revision_marks,
    )
    writer.blocks(document.blocks)
    finish = partial(embedded.finish_fonts, document.look, themed=reference is None)
    return docx_package.to_bytes(base, finish)
