"""The line under a statement that key messages cite agrees with the statement, read
back from the PDF, the DOCX and the HTML: French "Citée dans" and Spanish "Citada en"
(la déclaration, la declaración), as "prononcée par" and "cofirmada por" do."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from tests.conftest import ROOT

SESSIONS = ROOT / "tests" / "data" / "sessions"
CITED = {"fr": "Citée dans : message clé 1", "es": "Citada en: mensaje clave 1"}


@pytest.mark.parametrize("language", list(CITED))
def test_the_cited_line_agrees_with_the_statement(
    language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_OFFICE", "off")
    folder = build_pack(
        SESSIONS / f"cited-{language}.yaml", BuildOptions(output_dir=tmp_path)
    ).folder
    spaced = str.maketrans({"\u00a0": " ", "\u202f": " "})
    expected = CITED[language]
    pdf = " ".join(page.extract_text() for page in PdfReader(next(folder.glob("*.pdf"))).pages)
    assert expected in " ".join(pdf.translate(spaced).split())
    document = docx.Document(str(next(folder.glob("*.docx"))))
    assert expected in [p.text.translate(spaced) for p in document.paragraphs]
    html = lxml.html.parse(str(next(folder.glob("*.html")))).getroot()
    assert expected in " ".join(html.text_content().translate(spaced).split())
