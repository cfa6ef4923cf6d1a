"""Text is read in Unicode's composed form (NFC): Vietnamese or French typed with
combining accents (as some keyboards and PDF copies give it) prints, sorts and
compares as the same text typed with precomposed letters."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.input.load import load_session

DECOMPOSED = """\
pack:
  title: "Vie\\u0302\\u0323t Nam and Cafe\\u0301"
session:
  id: nfc
  name: "Ho\\u0300 Chi\\u0301 Minh"
  start: 2025-04-07
  end: 2025-04-09
organizations:
  - id: cafe
    name: "Cafe\\u0301 des droits"
plenaries:
  - id: p
    title: "Se\\u0301ance ple\\u0301nie\\u0300re"
    date: 2025-04-08
    statements:
      - id: s
        by: cafe
        title: "De\\u0301claration"
"""


def test_decomposed_text_is_read_composed(tmp_path: Path) -> None:
    source = tmp_path / "nfc.yaml"
    source.write_text(DECOMPOSED, encoding="utf-8")
    session = load_session(source).session
    assert session.pack.title == "Việt Nam and Café"
    assert session.organizations[0].name == "Café des droits"
    assert all(
        unicodedata.is_normalized("NFC", text)
        for text in (session.session.name, session.plenaries[0].title)
    )


def test_the_pdf_holds_the_composed_letters(tmp_path: Path) -> None:
    source = tmp_path / "nfc.yaml"
    source.write_text(DECOMPOSED, encoding="utf-8")
    result = build_pack(source, BuildOptions(formats=("pdf",), output_dir=tmp_path / "out"))
    text = "".join(
        page.extract_text() for page in PdfReader(next(result.folder.glob("*.pdf"))).pages
    )
    assert "Việt Nam" in text and "Déclaration" in text
    assert "\u0301" not in text and "\u0302" not in text
