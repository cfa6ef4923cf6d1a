"""A session file nobody had tried (``tests/data/unseen/asp22-es.yaml``): a Spanish pack
of the 22nd session with every kind of plenary, a statement eighteen organisations
co-signed, statements in nine scripts mixed with Latin names, numbers and addresses,
nested Markdown lists, and an organisation whose name holds markup, a template and
emoji; built in every format and read back."""

from __future__ import annotations

import docx
import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, BuildResult, build_pack
from tests.conftest import ROOT
from tests.docx_reading import every_paragraph

SESSION = ROOT / "tests" / "data" / "unseen" / "asp22-es.yaml"
CITED_IN = "Citada en:"
HEADER = "Paquete informativo de la AEP22"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    output = tmp_path_factory.mktemp("unseen")
    return build_pack(SESSION, BuildOptions(output_dir=output, formats=("pdf", "docx")))


def test_it_builds_without_a_warning(built: BuildResult) -> None:
    assert built.warnings == ()
    assert {artifact.path.suffix for artifact in built.artifacts} == {".pdf", ".docx"}


def test_a_cited_in_line_stays_on_the_page_of_its_statement(built: BuildResult) -> None:
    """The line naming the key messages that cite a statement closes the statement: it
    was a byline, kept with what follows, and went with the next statement's heading
    to the top of the next page, away from its own."""
    reader = PdfReader(next(built.folder.glob("*.pdf")))
    pages = [page.extract_text() for page in reader.pages]
    for number, text in enumerate(pages, 1):
        lines = [line for line in text.splitlines() if line.strip() and line != HEADER]
        assert not lines[0].startswith(CITED_IN), f"page {number} opens with {lines[0]!r}"
    (memorial,) = [text for text in pages if "в Украине." in text]
    assert f"{CITED_IN} mensaje clave 4" in memorial


def test_a_cited_in_line_is_not_kept_with_the_next_statement_in_the_docx(
    built: BuildResult,
) -> None:
    document = docx.Document(str(next(built.folder.glob("*.docx"))))
    paragraphs = every_paragraph(document)
    cited = [p for p in paragraphs if p.text.startswith(CITED_IN)]
    assert len(cited) == 7
    assert not any(p.style is not None and p.style.paragraph_format.keep_with_next for p in cited)
    # while a statement's byline still keeps with the summary under it
    bylines = [p.style for p in paragraphs if p.style is not None and p.style.name == "Byline"]
    assert bylines and all(style.paragraph_format.keep_with_next for style in bylines)


def test_every_script_of_the_file_reaches_the_pdf(built: BuildResult) -> None:
    text = "".join(
        page.extract_text() for page in PdfReader(next(built.folder.glob("*.pdf"))).pages
    )
    for typed in (
        "Derechos & <b>Justicia</b> {{ x }} 🌍⚖️ Red",
        "中国人权律师团",
        "मानवाधिकार कानून नेटवर्क",
        "มูลนิธิผสานวัฒนธรรม",
        "საქართველოს ახალგაზრდა იურისტთა ასოციაცია",
        "Հելսինկյան Քաղաքացիական Ասամբլեա",
        "የኢትዮጵያ ሰብአዊ መብቶች ምክር ቤት",
        "Мемориал",
    ):
        assert typed in text, typed
