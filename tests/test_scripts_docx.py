"""The DOCX names, for each character its text family lacks, the fallback family the PDF
draws it with, and carries that family's faces, so that Word and LibreOffice draw the
same letters (and emoji) as the PDF even where no Noto font or Symbola is installed."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.text.fonts import EMOJI, font_path
from briefgen.writers.docx.embedded import obfuscate
from tests.conftest import CASES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    output = tmp_path_factory.mktemp("scripts-docx")
    options = BuildOptions(formats=("docx",), output_dir=output)
    result = build_pack(CASES / "valid" / "many-scripts.yaml", options)
    return next(result.folder.glob("*.docx")).read_bytes()


def run_families(data: bytes) -> dict[str, set[str]]:
    """Each run's text, with the family its w:rFonts names (or "" for the style's)."""
    document = docx.Document(io.BytesIO(data))
    found: dict[str, set[str]] = {}
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            fonts = run._element.find(f"{W}rPr/{W}rFonts")
            family = "" if fonts is None else fonts.get(f"{W}ascii")
            found.setdefault(run.text, set()).add(family)
    return found


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("საქართველოს ახალგაზრდა იურისტთა ასოციაცია", "Noto Sans Georgian"),
        ("Հայտարարություն համագործակցության մասին", "Noto Sans Armenian"),
        ("अंतर्राष्ट्रीय न्याय पर वक्तव्य", "Noto Sans Devanagari"),
        ("แถลงการณ์ว่าด้วยความร่วมมือกับศาล", "Noto Sans Thai"),
        ("🎉 🌍 ✊ 👍", "Symbola"),  # a heading's emoji, spaces between them
        ("😀 🤝 ⭐ ✅ ", "Symbola"),
    ],
)
def test_a_run_in_another_script_names_its_fallback_family(
    packed: bytes, text: str, family: str
) -> None:
    assert run_families(packed).get(text) == {family}


def test_latin_runs_keep_the_style_font(packed: bytes) -> None:
    families = run_families(packed)
    assert families["Statements were delivered by:"] == {""}


def test_the_fallback_families_used_travel_with_the_document(packed: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(packed)) as package:
        table = package.read("word/fontTable.xml").decode()
        fonts = [name for name in package.namelist() if name.startswith("word/fonts/")]
    for family in ("Noto Sans Georgian", "Noto Sans Devanagari", "Noto Sans Thai"):
        assert f'w:name="{family}"' in table
    assert "Noto Sans Mongolian" in table
    assert 'w:name="Symbola"' in table
    assert len(fonts) >= 10


def test_the_emoji_face_travels_with_the_document(packed: bytes) -> None:
    """Symbola's one face, embedded (obfuscated) as its regular face: the shipped file,
    with the emoji of the pack."""
    with zipfile.ZipFile(io.BytesIO(packed)) as package:
        table = etree.fromstring(package.read("word/fontTable.xml"))
        rels = etree.fromstring(package.read("word/_rels/fontTable.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels}
        (symbola,) = [font for font in table if font.get(f"{W}name") == "Symbola"]
        embeds = [child for child in symbola if child.tag.startswith(f"{W}embed")]
        assert [embed.tag.removeprefix(W) for embed in embeds] == ["embedRegular"]
        (embed,) = embeds
        data = obfuscate(
            package.read("word/" + targets[embed.get(f"{R}id")]), embed.get(f"{W}fontKey")
        )
    assert data == font_path(EMOJI).read_bytes()
    assert set(map(ord, "🎉🌍✊👍🕊😀🤝⭐✅🚀")) <= set(TTFont(io.BytesIO(data)).getBestCmap())


def test_a_pack_without_other_scripts_carries_no_fallback_face(tmp_path: Path) -> None:
    options = BuildOptions(formats=("docx",), output_dir=tmp_path)
    result = build_pack(CASES / "valid" / "minimal.yaml", options)
    data = next(result.folder.glob("*.docx")).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        table = package.read("word/fontTable.xml").decode()
    assert "Noto Sans Georgian" not in table and "Noto Sans Symbols" not in table
    assert "Symbola" not in table


@pytest.mark.parametrize(
    ("case", "attributes"),
    [("minimal.yaml", {"val": "en"}), ("arabic-pack.yaml", {"val": "en-US", "bidi": "ar"})],
)
def test_the_theme_fonts_language_is_the_packs(
    tmp_path: Path, case: str, attributes: dict[str, str]
) -> None:
    result = build_pack(
        CASES / "valid" / case, BuildOptions(formats=("docx",), output_dir=tmp_path)
    )
    with zipfile.ZipFile(next(result.folder.glob("*.docx"))) as package:
        settings = package.read("word/settings.xml").decode()
    (theme,) = re.findall(r"<w:themeFontLang ([^>]*)/>", settings)
    assert dict(re.findall(r'w:(\w+)="([^"]*)"', theme)) == attributes
