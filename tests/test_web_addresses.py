"""Web addresses with parentheses and brackets, as validation accepts them, are links to
exactly those addresses in every format, and show as typed: the templates print them
into Markdown link syntax, where an unbalanced parenthesis once ended the link early."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack

ORGANIZATION_URL = "https://example.org/a)b"
STATEMENT_URLS = (
    "https://example.org/report)[click](https://evil.example/",
    "https://example.org/draft(v2",
    "https://example.org/(balanced)/page",
)
CASE = f"""\
session:
  id: addresses
  name: Addresses with parentheses
  start: 2025-01-01
  end: 2025-01-01
organizations:
  - id: ngo
    name: Example NGO
    url: {ORGANIZATION_URL}
plenaries:
  - id: debate
    title: Debate
    date: 2025-01-01
    statements:
""" + "".join(
    f"      - {{id: s{n}, by: ngo, title: Statement {n}, url: '{url}'}}\n"
    for n, url in enumerate(STATEMENT_URLS)
)
# How a link's address is written: brackets are not allowed unescaped in a URL's path.
EXPECTED = {
    url.replace("[", "%5B").replace("]", "%5D") for url in (ORGANIZATION_URL, *STATEMENT_URLS)
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("addresses")
    source = root / "addresses.yaml"
    source.write_text(CASE, encoding="utf-8")
    options = BuildOptions(formats=("pdf", "docx", "html"), output_dir=root / "out")
    return build_pack(source, options).folder


def test_pdf_links_go_to_the_addresses_as_typed(folder: Path) -> None:
    reader = PdfReader(next(folder.glob("*.pdf")))
    targets = {
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    }
    assert targets == EXPECTED
    text = "".join(page.extract_text() for page in reader.pages)
    assert ORGANIZATION_URL in text  # the website column shows it as typed
    assert "[click]" not in text and "\ufffd" not in text


def test_docx_links_go_to_the_addresses_as_typed(folder: Path) -> None:
    with zipfile.ZipFile(next(folder.glob("*.docx"))) as package:
        relations = package.read("word/_rels/document.xml.rels").decode()
        body = package.read("word/document.xml").decode()
    assert set(re.findall(r'Target="(https?://[^"]+)"', relations)) == EXPECTED
    assert "[click]" not in body and "\ufffd" not in body


def test_html_links_go_to_the_addresses_as_typed(folder: Path) -> None:
    page = lxml.html.document_fromstring(next(folder.glob("*.html")).read_text("utf-8"))
    assert set(page.xpath("//a[starts-with(@href, 'http')]/@href")) == EXPECTED
    text = page.text_content()
    assert ORGANIZATION_URL in text
    assert "[click]" not in text and "\ufffd" not in text
