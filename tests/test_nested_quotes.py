# ruff: noqa: RUF001 (quotation marks of several languages)
"""A value a label puts in quotation marks (« {segment} », «{organization}») that holds
marks of the same kind has them written as the language's marks within marks: read back
from the PDF, the DOCX and the HTML of a Russian pack, and from each language's labels."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.context import _filler
from briefgen.compose.templating import default_templates_dir, load_labels
from briefgen.input.diagnostics import UserError
from briefgen.text.typography import nested_quotes, quotes_around
from tests.conftest import ROOT

SOURCE = ROOT / "tests" / "data" / "sessions" / "nested-quotes-ru.yaml"
ON_BEHALF = "от имени организации «Правозащитный центр „Мемориал“»"
IN_SEGMENT = "в ходе этапа «Обсуждение доклада „О правосудии“»"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(SOURCE, BuildOptions(output_dir=tmp_path_factory.mktemp("quotes")))
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


def test_the_pdf_nests_quotation_marks(pack: dict[str, Path]) -> None:
    text = " ".join(page.extract_text() for page in PdfReader(pack["pdf"]).pages)
    text = " ".join(text.replace("\u00ad ", "").replace("\u00ad", "").split())
    assert ON_BEHALF in text
    assert IN_SEGMENT in text
    assert "Правозащитный центр «Мемориал»" in text  # the name alone, as typed


def test_the_docx_and_the_html_nest_quotation_marks(pack: dict[str, Path]) -> None:
    paragraphs = [p.text for p in docx.Document(str(pack["docx"])).paragraphs]
    assert any(ON_BEHALF in p and IN_SEGMENT in p for p in paragraphs), paragraphs
    page = " ".join(lxml.html.parse(str(pack["html"])).getroot().text_content().split())
    assert ON_BEHALF in page and IN_SEGMENT in page


@pytest.mark.parametrize(
    ("language", "segment", "expected"),
    [
        ("fr", "Les « crimes » oubliés", "lors du segment « Les “crimes” oubliés »"),
        ("es", "Los «crímenes» olvidados", "en el segmento «Los “crímenes” olvidados»"),
        ("en", "The “core” crimes", "in the segment “The ‘core’ crimes”"),
        ("zh", "“核心”罪行", "在“‘核心’罪行”部分发言"),
        ("ru", 'Доклад "Право"', 'в ходе этапа «Доклад "Право"»'),  # other marks: as typed
    ],
)
def test_each_language_writes_its_marks_within_marks(
    language: str, segment: str, expected: str
) -> None:
    labels = load_labels(None, language)
    fill = _filler(labels["inner_quotes"])
    filled = fill(labels["summary_in_segment"], segment=segment)
    assert filled.replace("\u00a0", " ").replace("\u202f", " ") == expected.replace("\u00a0", " ")


def test_marks_around_a_value_are_found_across_spaces() -> None:
    assert quotes_around("lors du segment «\u00a0", "\u00a0»") == ("«", "»")
    assert quotes_around("au nom de ", "") is None
    assert nested_quotes("«A» et «B»", ("«", "»"), ("“", "”")) == "“A” et “B”"


def test_labels_whose_inner_quotes_are_not_a_pair_are_an_error(tmp_path: Path) -> None:
    labels = (default_templates_dir() / "labels.yaml").read_text(encoding="utf-8")
    broken = labels.replace('inner_quotes: "‘ ’"', 'inner_quotes: "‘’"', 1)
    assert broken != labels
    (tmp_path / "labels.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        load_labels(tmp_path, "en")
    [problem] = raised.value.diagnostics
    line = 1 + broken[: broken.index('inner_quotes: "‘’"')].count("\n")
    assert (problem.file, problem.line) == (str(tmp_path / "labels.yaml"), line)
    assert "inner_quotes" in problem.field and "opening and the closing mark" in problem.message
