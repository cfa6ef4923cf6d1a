"""A look may bring its own font family as TrueType files: both formats draw with it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefgen.compose.pack import compose_pack
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from briefgen.look import load_look
from briefgen.text.fonts import SANS, SANS_BOLD, font_path
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.pdf.writer import write_pdf
from tests.conftest import CASES

FULL = CASES / "valid" / "full-featured.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def house_font(folder: Path, source: str, style: str) -> Path:
    """A copy of a shipped face renamed "House Sans": a family briefgen does not ship."""
    font = TTFont(font_path(source))
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = "House Sans"
        elif record.nameID in (4, 6):
            record.string = f"House Sans {style}" if record.nameID == 4 else f"HouseSans-{style}"
    path = folder / "fonts" / f"HouseSans-{style}.ttf"
    path.parent.mkdir(parents=True, exist_ok=True)
    font.save(path)
    return path


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "house"
    house_font(folder, SANS, "Regular")
    house_font(folder, SANS_BOLD, "Bold")
    (folder / "look.yaml").write_text(
        "font:\n"
        "  family: House Sans\n"
        "  files: {regular: fonts/HouseSans-Regular.ttf, bold: fonts/HouseSans-Bold.ttf}\n",
        encoding="utf-8",
    )
    return folder


def test_the_pdf_draws_with_the_looks_own_faces(templates: Path) -> None:
    document = compose_pack(load_session(FULL), templates)
    reader = PdfReader(io.BytesIO(write_pdf(document).data))
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"HouseSans-Regular", "HouseSans-Bold"} <= fonts  # the files' own names
    assert not {"NotoSans-Regular", "NotoSans-Bold"} & fonts
    assert "Statements" in "".join(page.extract_text() for page in reader.pages)


def test_the_docx_names_and_carries_the_looks_own_faces(templates: Path) -> None:
    data = write_docx(compose_pack(load_session(FULL), templates)).data
    word = docx.Document(io.BytesIO(data))
    fonts = word.styles["Normal"].element.rPr.find(f"{W}rFonts")
    assert fonts.get(f"{W}ascii") == "House Sans"
    package = zipfile.ZipFile(io.BytesIO(data))
    parts = sorted(n for n in package.namelist() if n.startswith("word/fonts/"))
    assert len(parts) == 2  # regular and bold: without italics, Word slants them itself
    table = package.read("word/fontTable.xml").decode()
    assert 'w:name="House Sans"' in table and "embedItalic" not in table


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            "{regular: fonts/Missing.ttf, bold: fonts/HouseSans-Bold.ttf}",
            "'fonts/Missing.ttf' not found (paths are relative to the look.yaml)",
        ),
        (
            "{regular: ../outside.ttf, bold: fonts/HouseSans-Bold.ttf}",
            "outside the templates folder",
        ),
        ("{regular: look.yaml, bold: fonts/HouseSans-Bold.ttf}", "is not a font"),
        ("{regular: fonts/Cff.otf, bold: fonts/HouseSans-Bold.ttf}", "PostScript outlines"),
    ],
)
def test_unusable_font_files_are_errors_at_their_line(
    templates: Path, files: str, message: str
) -> None:
    (templates / "fonts" / "Cff.otf").write_bytes(b"OTTO" + bytes(100))
    (templates.parent / "outside.ttf").write_bytes(
        (templates / "fonts" / "HouseSans-Regular.ttf").read_bytes()
    )
    look = templates / "look.yaml"
    look.write_text(f"font:\n  family: House Sans\n  files: {files}\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_look(templates)
    (problem,) = caught.value.diagnostics
    assert str(problem).startswith(f"{look}:3:") and message in str(problem)


def test_a_family_briefgen_does_not_ship_needs_its_files(tmp_path: Path) -> None:
    (tmp_path / "look.yaml").write_text("font:\n  family: Garamond\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"Garamond.*font\.files") as caught:
        load_look(tmp_path)
    assert str(caught.value.diagnostics[0]).startswith(f"{tmp_path / 'look.yaml'}:2:11:")
