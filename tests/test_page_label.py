"""The page label: parsed when the labels load, drawn the same by every writer."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.cli.main import cli
from tests.conftest import CASES, ROOT

MINIMAL = CASES / "valid" / "minimal.yaml"
BUILTIN_LABELS = ROOT / "templates" / "labels.yaml"
BUILTIN_PAGE_LABEL = '  page_label: "Page {page} of {total}"\n'


def labels_with_page_label(folder: Path, label: str) -> Path:
    text = BUILTIN_LABELS.read_text(encoding="utf-8")
    assert BUILTIN_PAGE_LABEL in text
    folder.mkdir()
    (folder / "labels.yaml").write_text(
        text.replace(BUILTIN_PAGE_LABEL, f'  page_label: "{label}"\n', 1), encoding="utf-8"
    )
    return folder


def build(tmp_path: Path, templates: Path, formats: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli,
        [
            "build",
            str(MINIMAL),
            "--templates",
            str(templates),
            "--format",
            formats,
            "--output-dir",
            str(tmp_path / "out"),
        ],
    )
    return result.exit_code, result.output


def test_an_unknown_field_in_the_page_label_is_a_user_error_for_every_format(
    tmp_path: Path,
) -> None:
    templates = labels_with_page_label(tmp_path / "t", "Page {page} of {total} {draft}")
    line = 1 + BUILTIN_LABELS.read_text(encoding="utf-8").splitlines().index(
        BUILTIN_PAGE_LABEL.rstrip("\n")
    )
    for formats in ("pdf", "docx", "pdf,docx"):
        code, output = build(tmp_path, templates, formats)
        assert code == 1, output
        assert f"labels.yaml:{line}:15: error: en.page_label: unknown field {{draft}}" in output
        assert "{page}, {total}" in output
        assert "Traceback" not in output and "internal error" not in output.lower()
    assert not (tmp_path / "out").exists()


def test_a_custom_page_label_is_drawn_alike_in_both_formats(tmp_path: Path) -> None:
    templates = labels_with_page_label(tmp_path / "t", "Seite {page} von {total}")
    code, output = build(tmp_path, templates, "pdf,docx")
    assert code == 0, output
    (folder,) = (tmp_path / "out").iterdir()
    pdf = PdfReader(folder / "minimal-briefing-pack.pdf")
    total = len(pdf.pages)
    assert f"Seite 2 von {total}" in pdf.pages[1].extract_text()
    word = docx.Document(io.BytesIO((folder / "minimal-briefing-pack.docx").read_bytes()))
    footer = word.sections[0].footer._element
    assert "".join(footer.xpath(".//w:t/text()")) == "Seite 1 von 1"
    assert [i.strip() for i in footer.xpath(".//w:fldSimple/@w:instr")] == ["PAGE", "NUMPAGES"]
