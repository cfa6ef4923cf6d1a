"""A key message's sources and a statement's "Cited in" line never start a page away
from what they follow (``tree.Paragraph.keep_with_previous``, a ``::: with-previous``
block of the templates): wherever the page breaks, the PDF takes the last lines of the
message or statement along, the DOCX keeps the paragraph before the line with it
(``w:keepNext``; LibreOffice lays it out so), and the printed HTML avoids a break
before it."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.html.writer import write_html
from briefgen.writers.pdf.writer import write_pdf
from tests.clients import convert_with_libreoffice, page_words
from tests.conftest import ROOT
from tests.docx_reading import every_paragraph
from tests.trees import decided, meta

T = tree.Text
MESSAGE = "States must cooperate fully with the Court and execute the arrest warrants. " * 3
# Enough lines of filler before the text that one of the page breaks falls between each
# message (or statement) and the line under it.
FILLERS = range(0, 48, 2)

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext is not installed"
)


def filler(lines: int) -> list[tree.Block]:
    return [tree.Paragraph((T(f"Filler line {n}."),)) for n in range(lines)]


def sources(number: int) -> tree.Paragraph:
    return tree.Paragraph((T(f"Sources: statement {number}"),), keep_with_previous=True)


def boxed(lines: int) -> tree.Document:
    """A box of key messages, each with its sources, after ``lines`` of filler."""
    items = tuple((tree.Paragraph((T(f"Message {n}. {MESSAGE}"),)), sources(n)) for n in range(8))
    box = tree.KeyMessages((tree.ListBlock(False, items),))
    return decided(meta("Pack"), [*filler(lines), box])


def statements(lines: int) -> tree.Document:
    """Statements, each a heading, a summary and the line saying where it is cited."""
    blocks = filler(lines)
    for n in range(8):
        blocks += [
            tree.Heading(3, (T(f"Statement {n}"),), f"statement-{n}"),
            tree.Paragraph((T(f"Summary {n}. {MESSAGE}"),)),
            # a byline, whose style keeps with next (the pack's line is a note, which does not)
            tree.Paragraph((T(f"Cited in: key message {n}"),), "byline", keep_with_previous=True),
        ]
    return decided(meta("Pack"), blocks)


def page_starts(pdf: Path) -> list[str]:
    """The first word of the text of each page, below the running header."""
    starts = []
    for page in range(1, len(PdfReader(pdf).pages) + 1):
        body = [w for w in page_words(pdf, page) if 60 < w[2] < 770]
        starts.append(min(body, key=lambda w: (round(w[2]), w[1]))[0] if body else "")
    return starts


def lone_lines(pdf: Path) -> list[str]:
    """The pages that start with a line that belongs under the block before it."""
    return [start for start in page_starts(pdf) if start in ("Sources:", "Cited")]


@needs_pdftotext
@pytest.mark.parametrize("document", [boxed, statements])
def test_the_pdf_never_starts_a_page_with_the_line(document: object, tmp_path: Path) -> None:
    assert callable(document)
    for lines in FILLERS:
        pdf = tmp_path / f"{lines}.pdf"
        pdf.write_bytes(write_pdf(document(lines)).data)
        assert lone_lines(pdf) == [], lines


def test_the_docx_keeps_the_paragraph_before_the_line_with_it() -> None:
    """Outside the box, the paragraph before a "Cited in" line keeps with it; inside the
    box (a table cell) nothing does: LibreOffice keeps no paragraphs together in a cell,
    and keeping its first paragraph with the next moves the whole box."""
    for document, expected in ((statements(0), 8), (boxed(0), 0)):
        paragraphs = every_paragraph(docx.Document(io.BytesIO(write_docx(document).data)))
        kept = [p for p in paragraphs if p._p.pPr is not None and p._p.pPr.keepNext is not None]
        before = [
            paragraphs[i - 1]
            for i, p in enumerate(paragraphs)
            if p.text.startswith(("Cited in", "Sources"))
        ]
        if expected:
            assert all(p in kept for p in before) and len(before) == expected
            assert all(p.text.startswith("Summary") for p in before)
        else:
            assert not any(p in kept for p in before)


@needs_pdftotext
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not installed")
def test_libreoffice_never_starts_a_page_with_the_cited_line(tmp_path: Path) -> None:
    sources_ = []
    for lines in FILLERS:
        path = tmp_path / f"statements-{lines}.docx"
        path.write_bytes(write_docx(statements(lines)).data)
        sources_.append(path)
    converted = convert_with_libreoffice(sources_, tmp_path, "pdf")
    for path in sources_:
        assert lone_lines(converted / f"{path.stem}.pdf") == [], path.stem


def test_the_printed_html_avoids_a_break_before_the_line() -> None:
    page = lxml.html.fromstring(write_html(statements(0)).data)
    lines = page.find_class("with-previous")
    assert [line.text_content() for line in lines] == [
        f"Cited in: key message {n}" for n in range(8)
    ]
    assert all("byline" in line.get("class").split() for line in lines)
    style = "".join(page.xpath("//style/text()"))
    assert ".with-previous{break-before:avoid}" in style


def test_compose_keeps_the_sources_and_cited_lines_with_what_they_follow() -> None:
    document = compose_pack(load_session(ROOT / "tests" / "data" / "sessions" / "cited-fr.yaml"))
    kept = [
        tree.plain_text(p.content) for p in _paragraphs(document.blocks) if p.keep_with_previous
    ]
    sources_line = "S’appuie sur\u00a0: FIDH, Séance de clôture"  # at a glance, in the plenary
    assert kept == [sources_line, "Citée dans\u00a0: message clé 1", sources_line]


def _paragraphs(blocks: tuple[tree.Block, ...]) -> list[tree.Paragraph]:
    out: list[tree.Paragraph] = []
    for block in blocks:
        match block:
            case tree.Paragraph():
                out.append(block)
            case tree.KeyMessages(blocks=children):
                out += _paragraphs(children)
            case tree.ListBlock(items=items):
                out += [p for item in items for p in _paragraphs(item)]
    return out
