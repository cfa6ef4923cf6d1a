"""Reading a DOCX back as its reader sees it, inside tables too."""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def every_paragraph(document: Document) -> list[Paragraph]:
    """Every paragraph of the body in order, those in table cells (a key-message box)
    included: python-docx's ``Document.paragraphs`` has only the body's own."""
    return [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]
