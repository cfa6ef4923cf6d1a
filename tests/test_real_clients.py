"""Real clients read what briefgen writes: qpdf checks every PDF, LibreOffice opens every DOCX.

These tests skip, saying so, only where the client is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from tests.clients import convert_with_libreoffice
from tests.conftest import ASP23, CASES

INPUTS = [ASP23, *sorted((CASES / "valid").glob("*.yaml"))]


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Build every valid input once; return input file -> its output folder."""
    output = tmp_path_factory.mktemp("packs")
    folders = {}
    for source in INPUTS:
        result = build_pack(source, BuildOptions(output_dir=output, parallel_formats=False))
        folders[source] = result.folder
    return folders


def _needs(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install {_PACKAGES[tool]})")


_PACKAGES = {"qpdf": "qpdf", "soffice": "libreoffice-writer-nogui"}


def test_qpdf_finds_every_pdf_sound(packs: dict[Path, Path]) -> None:
    _needs("qpdf")
    for folder in packs.values():
        assert_qpdf_finds_sound(next(folder.glob("*.pdf")))


def assert_qpdf_finds_sound(pdf: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, f"{pdf}: {result.stdout}{result.stderr}"
    assert "No syntax or stream encoding errors found" in result.stdout


def test_libreoffice_opens_every_docx_and_keeps_the_headings(
    packs: dict[Path, Path], tmp_path: Path
) -> None:
    """LibreOffice reads each DOCX and saves it again; the headings are still headings."""
    _needs("soffice")
    documents = [next(folder.glob("*.docx")) for folder in packs.values()]
    resaved = convert_with_libreoffice(documents, tmp_path)
    for source, docx in zip(packs, documents, strict=True):
        converted = resaved / docx.name
        assert converted.exists(), f"LibreOffice could not convert {docx.name}"
        assert _docx_headings(converted) == _headings(source), docx.name


def _headings(source: Path) -> list[str]:
    document = compose_pack(load_session(source))
    return [tree.plain_text(b.content) for b in document.blocks if isinstance(b, tree.Heading)]


def test_qpdf_and_libreoffice_accept_the_writer_test_documents(tmp_path: Path) -> None:
    """The hand-written trees of the writer tests (every block type) open in real clients."""
    _needs("qpdf")
    _needs("soffice")
    from briefgen.writers.docx.writer import write_docx
    from briefgen.writers.pdf.writer import write_pdf
    from tests.test_docx_writer import sample
    from tests.test_pdf_writer import sample_document

    pdf = tmp_path / "writer-sample.pdf"
    pdf.write_bytes(write_pdf(sample_document()).data)
    assert_qpdf_finds_sound(pdf)
    docx = tmp_path / "writer-sample.docx"
    docx.write_bytes(write_docx(sample()).data)
    resaved = convert_with_libreoffice([docx], tmp_path)
    headings = _docx_headings(resaved / docx.name)
    assert headings and headings == _docx_headings(docx)


def _docx_headings(path: Path) -> list[str]:
    """The text of every paragraph styled as a heading, in order."""
    return [
        p.text
        for p in DocxDocument(str(path)).paragraphs
        if p.style is not None and (p.style.name or "").startswith("Heading")
    ]


def test_links_bookmarks_and_outline_survive_a_round_trip_through_libreoffice(
    tmp_path: Path,
) -> None:
    """What a Word user relies on: the contents' links and the bookmarks they point at,
    web links, heading outline levels (the navigation pane) and real list numbering."""
    _needs("soffice")
    from briefgen.writers.docx.writer import write_docx

    source = tmp_path / "pack.docx"
    source.write_bytes(
        write_docx(compose_pack(load_session(CASES / "valid" / "full-featured.yaml"))).data
    )
    resaved = convert_with_libreoffice([source], tmp_path) / source.name
    for path in (source, resaved):
        document = DocxDocument(str(path))
        body = document.element.body
        bookmarks = set(body.xpath(".//w:bookmarkStart/@w:name"))
        anchors = set(body.xpath(".//w:hyperlink/@w:anchor"))
        assert anchors and anchors <= bookmarks, path.name
        assert body.xpath(".//w:hyperlink/@r:id"), path.name
        outline = {
            s.name: s.element.xpath("string(./w:pPr/w:outlineLvl/@w:val)")
            for s in document.styles
            if s.name in ("Heading 1", "Heading 2", "Heading 3")
        }
        assert outline == {"Heading 1": "0", "Heading 2": "1", "Heading 3": "2"}, path.name
        assert body.xpath(".//w:numPr/w:numId"), path.name
