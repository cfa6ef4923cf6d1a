"""The DOCX carries the look's fonts: embedded faces, the theme, and LibreOffice using them."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.look import default_look
from briefgen.text.fonts import FAMILIES, font_path
from briefgen.writers.docx.embedded import obfuscate
from briefgen.writers.docx.writer import write_docx
from tests.clients import convert_with_libreoffice, fonts_without
from tests.conftest import CASES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
FULL = CASES / "valid" / "full-featured.yaml"
ARABIC = CASES / "valid" / "arabic-statement.yaml"


def package(source: Path, templates: Path | None = None) -> zipfile.ZipFile:
    data = write_docx(compose_pack(load_session(source), templates)).data
    return zipfile.ZipFile(io.BytesIO(data))


def embedded_faces(docx: zipfile.ZipFile) -> dict[tuple[str, str], bytes]:
    """(family, slot) -> the embedded font's bytes, de-obfuscated with its key."""
    fonts = etree.fromstring(docx.read("word/fontTable.xml"))
    rels = etree.fromstring(docx.read("word/_rels/fontTable.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    faces = {}
    for font in fonts.iter(f"{W}font"):
        for embed in font:
            if embed.tag.startswith(f"{W}embed"):
                data = docx.read("word/" + targets[embed.get(f"{R}id")])
                slot = embed.tag.removeprefix(f"{W}embed")
                faces[font.get(f"{W}name"), slot] = obfuscate(data, embed.get(f"{W}fontKey"))
    return faces


def test_the_looks_faces_are_embedded_and_read_back_as_the_shipped_fonts() -> None:
    docx = package(FULL)
    faces = embedded_faces(docx)
    family = default_look().font.family
    assert set(faces) == {(family, slot) for slot in FAMILIES[family]}  # no Arabic text here
    for (name, slot), data in faces.items():
        assert data == font_path(FAMILIES[name][slot]).read_bytes()
    settings = etree.fromstring(docx.read("word/settings.xml"))
    assert settings.find(f"{W}embedTrueTypeFonts") is not None
    assert b'Extension="odttf"' in docx.read("[Content_Types].xml")
    assert all(docx.read(n)[:4] != b"\x00\x01\x00\x00" for n in docx.namelist() if "odttf" in n)


def test_arabic_faces_travel_with_arabic_text() -> None:
    faces = embedded_faces(package(ARABIC))
    arabic = default_look().font.arabic
    assert {(arabic, "Regular"), (arabic, "Bold")} <= set(faces)


def test_embedding_can_be_turned_off_in_the_look(tmp_path: Path) -> None:
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "look.yaml").write_text("font:\n  embed: false\n", encoding="utf-8")
    docx = package(FULL, templates)
    assert not [name for name in docx.namelist() if name.startswith("word/fonts/")]
    settings = etree.fromstring(docx.read("word/settings.xml"))
    assert settings.find(f"{W}embedTrueTypeFonts") is None


def test_the_theme_names_the_looks_fonts() -> None:
    theme = etree.fromstring(package(FULL).read("word/theme/theme1.xml"))
    look = default_look().font
    for scheme in ("majorFont", "minorFont"):
        fonts = next(theme.iter(f"{A}{scheme}"))
        assert fonts.find(f"{A}latin").get("typeface") == look.family
        assert fonts.find(f"{A}cs").get("typeface") == look.arabic
        arab = [f for f in fonts.iter(f"{A}font") if f.get("script") == "Arab"]
        assert [f.get("typeface") for f in arab] == [look.arabic]


def libreoffice_fonts(source: Path, work: Path, env: dict[str, str]) -> set[str]:
    """The fonts of LibreOffice's PDF of ``source``, without their subset tags."""
    converted = convert_with_libreoffice([source], work, "pdf", env=env)
    reader = PdfReader(converted / source.with_suffix(".pdf").name)
    return {
        str(font["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_libreoffice_draws_the_docx_with_the_embedded_faces(tmp_path: Path) -> None:
    """On a machine without the look's fonts, LibreOffice uses those in the file."""
    if shutil.which("soffice") is None:
        pytest.skip("soffice is not installed (apt-get install libreoffice-writer-nogui)")
    hidden = fonts_without(default_look().font.family, tmp_path)  # as if not installed
    with_fonts = tmp_path / "embedded.docx"
    with_fonts.write_bytes(write_docx(compose_pack(load_session(FULL))).data)
    expected = {"NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic"}
    assert libreoffice_fonts(with_fonts, tmp_path, hidden) == expected  # no fallback
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "look.yaml").write_text("font:\n  embed: false\n", encoding="utf-8")
    without = tmp_path / "bare.docx"
    without.write_bytes(write_docx(compose_pack(load_session(FULL), templates)).data)
    assert not expected & libreoffice_fonts(without, tmp_path, hidden)  # the fonts are hidden
