"""The index of organisations lists them by the name each entry starts with, read back
from the PDF, the DOCX and the HTML: an acronym printed after the name does not decide
where the name stands."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from tests.conftest import ROOT

SOURCE = ROOT / "tests" / "data" / "sessions" / "index-order-es.yaml"
NAMES = [
    "Abuelas de Plaza de Mayo",
    "Asociación Zona Libre (ZL)",
    "Centro de Estudios Legales y Sociales (CELS)",
    "Centro por la Justicia y el Derecho Internacional (CEJIL)",
]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(SOURCE, BuildOptions(output_dir=tmp_path_factory.mktemp("index")))
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


def in_order_of_appearance(text: str) -> list[str]:
    """The index's names as they appear in ``text``, which holds each exactly once."""
    assert all(text.count(name) == 1 for name in NAMES), text
    return sorted(NAMES, key=text.index)


def test_the_pdf_index_lists_organisations_by_name(pack: dict[str, Path]) -> None:
    last = PdfReader(pack["pdf"]).pages[-1].extract_text()
    assert in_order_of_appearance(" ".join(last.split())) == NAMES


def test_the_docx_index_lists_organisations_by_name(pack: dict[str, Path]) -> None:
    paragraphs = [p.text for p in docx.Document(str(pack["docx"])).paragraphs]
    start = paragraphs.index("Anexo B: Índice de organizaciones")
    assert [p for p in paragraphs[start:] if p in NAMES] == NAMES


def test_the_html_index_lists_organisations_by_name(pack: dict[str, Path]) -> None:
    page = lxml.html.parse(str(pack["html"])).getroot()
    (index,) = page.xpath("//ul[@class='index']")
    assert in_order_of_appearance(" ".join(index.text_content().split())) == NAMES
