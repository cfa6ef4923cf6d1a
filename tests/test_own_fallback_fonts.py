"""A look's own fallback family (``font.fallback`` in look.yaml) draws what it covers
before briefgen's last resort (its CJK face), in the PDF, the DOCX and the HTML, and
the characters that neither the shipped faces nor it has are warnings: the look's
Chinese and Japanese keep its font, rare Han characters print, and Korean, which the
look's font lacks, takes the shipped CJK face.

The font is Droid Sans Fallback, a TrueType CJK face (Apache 2.0) from Debian's
``fonts-droid-fallback``, which ``.ci/run`` installs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.cli.main import cli
from briefgen.input.diagnostics import UserError
from briefgen.look import load_look
from tests.test_scripts_pdf import drawn_from, drawn_with

DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
CHINESE = (
    "国际刑事法院是一个常设的国际司法机构\uff0c负责审判被控犯有灭绝种族罪、危害人类罪、"
    "战争罪和侵略罪的个人。「罗马规约」于二〇〇二年七月一日生效。"
)
JAPANESE = "国際刑事裁判所の締約国会議は、毎年ハーグまたはニューヨークで開かれます。"
RARE = "亹龥齾"  # Han characters of none of the four national standards: Droid has them
CLOSING = "\uff0c\u3001\u3002\u300d"  # full-width comma, ideographic comma, full stop, 」

SESSION = f"""\
pack:
  title: Fallback families
session:
  id: cjk
  name: Session
  start: 2025-04-07
  end: 2025-04-09
organizations:
  - id: c
    name: 国际刑事法院联盟
plenaries:
  - id: zh
    title: 一般性辩论
    date: 2025-04-08
    summary: "{CHINESE * 3}"
  - id: ja
    title: 日本語 {RARE}
    date: 2025-04-09
    summary: "{JAPANESE * 3}"
"""

LOOK = """\
font:
  fallback:
    - family: Droid Sans Fallback
      files:
        regular: fonts/DroidSansFallbackFull.ttf
"""

pytestmark = pytest.mark.skipif(
    not DROID.is_file(), reason="Debian's fonts-droid-fallback (a CJK TrueType font) is missing"
)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cjk")
    templates = folder / "templates"
    (templates / "fonts").mkdir(parents=True)
    shutil.copy(DROID, templates / "fonts")
    (templates / "look.yaml").write_text(LOOK, encoding="utf-8")
    source = folder / "cjk.yaml"
    source.write_text(SESSION, encoding="utf-8")
    return source, templates


@pytest.fixture(scope="module")
def pack(case: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    source, templates = case
    output = tmp_path_factory.mktemp("out")
    result = build_pack(source, BuildOptions(output_dir=output, templates=templates))
    assert not result.warnings
    return result.folder


def test_the_pdf_draws_cjk_with_the_looks_fallback_family(pack: Path) -> None:
    """The look's family comes before the shipped CJK face: it draws all it has."""
    faces = drawn_from(next(pack.glob("*.pdf")))
    for char in set(CHINESE + JAPANESE + RARE) - set(CLOSING + "\u300c"):
        assert faces[char] == {"DroidSansFallback"}, char
    assert "NotoSans-Regular" in faces["A"]  # Latin keeps the text face


def test_a_family_without_a_bold_file_is_emboldened_in_bold_text(pack: Path) -> None:
    """A plenary's title (a heading) in the look's family, which has no bold file: the
    PDF draws it emboldened, not in a "bold" face made of the regular file."""
    faces = drawn_with(next(pack.glob("*.pdf")))
    for char in "一般性辩论":
        assert "DroidSansFallback,Bold" in faces[char], (char, faces[char])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
def test_cjk_lines_break_between_characters_never_before_closing_punctuation(
    pack: Path,
) -> None:
    pdf = next(pack.glob("*.pdf"))
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line for line in text.splitlines() if re.search("[\u3040-\u9fff]", line)]
    body = [line for line in lines if len(line) > 20]
    assert len(body) >= 4
    assert CHINESE in "".join(body) and JAPANESE in "".join(body)
    assert not any(line[0] in CLOSING for line in body)
    assert not any(line.endswith("\u300c") for line in body)


def test_the_docx_names_and_carries_the_family(pack: Path) -> None:
    with zipfile.ZipFile(next(pack.glob("*.docx"))) as package:
        document = package.read("word/document.xml").decode()
        font_table = package.read("word/fontTable.xml").decode()
        sizes = [i.file_size for i in package.infolist() if i.filename.startswith("word/fonts/")]
    run = re.search(r'<w:rFonts w:ascii="Droid Sans Fallback"[^>]*/>', document)
    assert run and 'w:eastAsia="Droid Sans Fallback"' in run.group(0)
    assert re.search(r'<w:font w:name="Droid Sans Fallback">.*?<w:embedRegular ', font_table)
    assert DROID.stat().st_size in sizes  # the face itself, obfuscated


def test_the_html_lists_and_embeds_the_family(pack: Path) -> None:
    page = next(pack.glob("*.html")).read_text(encoding="utf-8")
    family = r'"Droid\\000020Sans\\000020Fallback"'
    assert re.search(rf"font-family:[^;}}]*{family}[^;}}]*sans-serif", page)
    assert re.search(rf"@font-face\{{font-family:{family};src:url\(data:font/woff2", page)
    # One face, regular: the family has no bold file, and a browser emboldens its
    # regular face for bold text where no face is declared bold.
    weights = re.findall(rf"@font-face\{{font-family:{family};[^}}]*font-weight:(\d+)", page)
    assert weights == ["400"]


def test_validate_and_build_know_the_looks_fonts(case: tuple[Path, Path]) -> None:
    source, templates = case
    runner = CliRunner()
    plain = runner.invoke(cli, ["validate", "--strict", str(source)])
    assert plain.exit_code == 1
    assert "3 Han characters ('亹' U+4EB9, '龥' U+9FA5, '齾' U+9F7E)" in plain.output
    assert "a look can bring a font that has them" in plain.output
    with_look = runner.invoke(
        cli, ["validate", "--strict", "--templates", str(templates), str(source)]
    )
    assert with_look.exit_code == 0, with_look.output
    assert "warning" not in with_look.output


@pytest.fixture(scope="module")
def korean(case: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session with a Korean title, which Droid Sans Fallback lacks, and a Han
    character of Extension B, which neither it nor the shipped CJK face has."""
    source, _ = case
    korean = tmp_path_factory.mktemp("korean") / "korean.yaml"
    korean.write_text(
        source.read_text(encoding="utf-8").replace("title: 日本語", "title: 한국어 회의 𠀋"),
        encoding="utf-8",
    )
    return korean


def test_what_the_looks_font_lacks_takes_the_shipped_cjk_face(
    case: tuple[Path, Path], korean: Path, tmp_path: Path
) -> None:
    _, templates = case
    result = build_pack(
        korean, BuildOptions(output_dir=tmp_path, formats=("pdf",), templates=templates)
    )
    faces = drawn_from(next(result.folder.glob("*.pdf")))
    for char in "한국어회의":
        assert faces[char] == {"NotoSansCJKsc-Regular"}, char
    assert faces["法"] == {"DroidSansFallback"}
    assert [warning.message.split(" (")[0] for warning in result.warnings] == ["1 Han character"]


def test_a_character_neither_has_is_still_a_warning(case: tuple[Path, Path], korean: Path) -> None:
    _, templates = case
    result = CliRunner().invoke(cli, ["validate", "--templates", str(templates), str(korean)])
    assert result.exit_code == 0
    assert "Hangul" not in result.output
    assert "1 Han character ('𠀋' U+2000B) prints as an empty box" in result.output
    assert "no font briefgen ships or the look brings has it" in result.output


def test_a_fallback_font_must_be_truetype_inside_the_templates_folder(tmp_path: Path) -> None:
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "cff.otf").write_bytes(b"OTTO" + b"\0" * 64)
    (tmp_path / "look.yaml").write_text(
        "font:\n  fallback:\n    - family: CFF\n      files:\n        regular: fonts/cff.otf\n"
        "    - family: Far\n      files:\n        regular: ../elsewhere.ttf\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as raised:
        load_look(tmp_path)
    messages = [str(diagnostic) for diagnostic in raised.value.diagnostics]
    assert any(
        ":5:" in m and "PostScript outlines" in m and "fallback[0].files.regular" in m
        for m in messages
    ), messages
    assert any(":8:" in m and "outside the templates folder" in m for m in messages), messages
