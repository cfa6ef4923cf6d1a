# ruff: noqa: RUF001 (Chinese is written with full-width punctuation)
"""Chinese packs (``pack.language: zh``): Simplified Chinese labels and dates in every
format, drawn in the PDF by briefgen's CJK face with the default look, or by the look's
own fallback family where it brings one (Droid Sans Fallback, as in
``test_own_fallback_fonts.py``). The DOCX names a CJK family and carries no CJK face:
readers draw it with theirs. Labels of one's own that no font has are refused."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.cli.main import cli
from briefgen.compose.templating import load_labels
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from briefgen.text.coverage import BUILT_IN_LABELS_SHIPPED_FONTS_DRAW
from briefgen.text.fonts import CJK, uncovered_characters
from tests.conftest import ROOT
from tests.test_own_fallback_fonts import DROID, LOOK
from tests.test_scripts_pdf import drawn_from, drawn_with

PACK = ROOT / "tests" / "data" / "zh" / "asp23-zh.yaml"
NO_FONT = (
    f"{PACK}:7:13: error: pack.language: 'zh': the Chinese labels print"
    " as empty boxes in the PDF: no font briefgen ships has Chinese; add one to the look"
    " (font.fallback, see docs/templates.md)"
)
RARE = "亹"  # U+4EB9: a Han character of none of the national standards the CJK face has
LABELS = (
    "目录",
    "关键信息概览",
    "会议日程",
    "一般性辩论",
    "附件A：发言全文",
    "附件B：组织及缩略语",
    "附件C：组织索引",
    "发布方：国际刑事法院联盟",
)
needs_droid = pytest.mark.skipif(
    not DROID.is_file(), reason="Debian's fonts-droid-fallback (a CJK TrueType font) is missing"
)


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zh-look")
    (folder / "fonts").mkdir()
    if DROID.is_file():
        shutil.copy(DROID, folder / "fonts")
    (folder / "look.yaml").write_text(LOOK, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def pack(templates: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack in a look that brings Droid Sans Fallback."""
    if not DROID.is_file():
        pytest.skip("Debian's fonts-droid-fallback (a CJK TrueType font) is missing")
    output = tmp_path_factory.mktemp("zh-out")
    result = build_pack(PACK, BuildOptions(output_dir=output, templates=templates))
    assert not result.warnings
    return result.folder


@pytest.fixture(scope="module")
def default_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pack in the default look: its PDF drawn with the shipped CJK face."""
    output = tmp_path_factory.mktemp("zh-default")
    result = build_pack(PACK, BuildOptions(output_dir=output))
    assert not result.warnings
    return result.folder


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
@pytest.mark.parametrize("look", ["default", pytest.param("droid", marks=needs_droid)])
def test_the_pdf_prints_the_chinese_labels_and_dates(
    look: str, request: pytest.FixtureRequest
) -> None:
    folder: Path = request.getfixturevalue("default_pack" if look == "default" else "pack")
    text = pdf_text(next(folder.glob("*.pdf")))
    for label in LABELS:
        assert label in text, label
    assert "2024年12月2日至6日" in text  # the session, on the cover
    assert "2024年12月4日版" in text  # the edition
    assert "一般性辩论——2024年12月4日" in text  # the Chinese dash, without spaces
    assert "第 2 页，共 10 页" in text
    assert "依据：HRW，一般性辩论；CICC，开幕会议" in text  # no space after the colon
    assert "引用于关键信息1" in text
    assert "人权观察，代表国际刑事法院联盟" in text
    assert "国际刑事法院联盟（CICC）" in text
    assert "人权观察的发言，一般性辩论（代其发言）" in text


@needs_droid
def test_the_pdf_draws_the_labels_with_the_looks_chinese_face(pack: Path) -> None:
    faces = drawn_from(next(pack.glob("*.pdf")))
    for char in set("".join(LABELS)) - set("A：BC"):
        assert faces[char] == {"DroidSansFallback"}, char


def test_the_default_look_draws_the_labels_with_the_shipped_cjk_face(default_pack: Path) -> None:
    """The PDF embeds the CJK face; every label copies as typed (pypdf's text layer)."""
    pdf = next(default_pack.glob("*.pdf"))
    faces = drawn_from(pdf)
    for char in set("".join(LABELS)) - set("AB C"):
        assert faces[char] == {CJK}, char
    assert faces["A"] <= {"NotoSans-Regular", "NotoSans-Bold"}  # Latin keeps the text face
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    for label in LABELS:
        assert label in text, label


def test_the_docx_names_a_cjk_family_and_carries_no_cjk_face(default_pack: Path) -> None:
    """A Chinese pack's DOCX names Noto Sans CJK SC, which readers have or replace with
    their CJK font, marks its runs Chinese, and stays small: the CJK face (megabytes)
    does not travel with it, the Noto Sans faces do."""
    docx = next(default_pack.glob("*.docx"))
    with zipfile.ZipFile(docx) as package:
        document = package.read("word/document.xml").decode()
        font_table = package.read("word/fontTable.xml").decode()
        faces = [i.file_size for i in package.infolist() if i.filename.startswith("word/fonts/")]
    run = re.search(r'<w:rFonts w:ascii="Noto Sans CJK SC"[^>]*/>(?:<[^>]*>)*?目录', document)
    assert run and 'w:eastAsia="Noto Sans CJK SC"' in run.group(0)
    assert 'w:name="Noto Sans CJK SC"' not in font_table
    assert len(faces) == 4  # Noto Sans: regular, bold, italic, bold italic
    assert docx.stat().st_size < 1_200_000


def east_asian_slots(docx: Path) -> set[str]:
    """The families the DOCX's defaults, styles and theme name for east Asian text."""
    with zipfile.ZipFile(docx) as package:
        styles = package.read("word/styles.xml").decode()
        theme = package.read("word/theme/theme1.xml").decode()
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles)
    assert defaults and "w:eastAsia=" in defaults.group(0)
    named = re.findall(r'<w:rFonts w:ascii="Noto Sans"[^>]* w:eastAsia="([^"]*)"', styles)
    assert len(named) > 10  # the defaults and every style drawn from the look
    return set(named) | set(re.findall(r'<a:ea typeface="([^"]*)"', theme))


@pytest.mark.parametrize(
    ("look", "family"),
    [
        ("default", "Noto Sans CJK SC"),
        pytest.param("droid", "Droid Sans Fallback", marks=needs_droid),
    ],
)
def test_text_naming_no_font_is_drawn_in_the_cjk_family(
    look: str, family: str, request: pytest.FixtureRequest
) -> None:
    """Word's east Asian slot of the DOCX's defaults, styles and theme names the family
    the runs of Chinese name, not Noto Sans (which has no Han characters): text that
    names no font is drawn in it too, such as the contents Word or LibreOffice writes
    again when the reader updates it, or a paragraph the reader types."""
    folder: Path = request.getfixturevalue("default_pack" if look == "default" else "pack")
    assert east_asian_slots(next(folder.glob("*.docx"))) == {family}


@needs_droid
def test_the_docx_has_the_labels_in_chinese_in_words_east_asian_slot(pack: Path) -> None:
    with zipfile.ZipFile(next(pack.glob("*.docx"))) as package:
        document = package.read("word/document.xml").decode()
        styles = package.read("word/styles.xml").decode()
        settings = package.read("word/settings.xml").decode()
        footer = "".join(
            package.read(name).decode()
            for name in package.namelist()
            if name.startswith("word/footer")
        )
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", document))
    for label in LABELS[1:]:
        assert label in text, label
    assert re.search(r'<w:lang w:val="zh" w:eastAsia="zh"', styles)
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh"', settings)
    assert re.search("第 .* 页，共 .* 页", "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)<", footer)))


@needs_droid
def test_the_html_says_it_is_chinese(pack: Path) -> None:
    html = next(pack.glob("*.html")).read_text(encoding="utf-8")
    assert re.search(r'<html[^>]* lang="zh"', html)
    for label in LABELS:
        assert label in html, label


@pytest.fixture(scope="module")
def rare_labels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A templates folder whose Chinese labels hold a character no shipped font has."""
    folder = tmp_path_factory.mktemp("zh-labels")
    labels = (ROOT / "templates" / "labels.yaml").read_text(encoding="utf-8")
    (folder / "labels.yaml").write_text(
        labels.replace('contents: "目录"', f'contents: "目录{RARE}"'), encoding="utf-8"
    )
    return folder


def test_labels_no_font_draws_are_refused_at_the_pack_language(
    rare_labels: Path, tmp_path: Path
) -> None:
    with pytest.raises(UserError) as raised:
        build_pack(PACK, BuildOptions(output_dir=tmp_path, formats=("pdf",), templates=rare_labels))
    assert [str(d) for d in raised.value.diagnostics] == [NO_FONT]
    assert not (tmp_path / "asp23").exists()


def test_validate_agrees_with_build_on_the_labels(rare_labels: Path, templates: Path) -> None:
    runner = CliRunner()
    args = ["validate", "--format", "pdf", str(PACK)]
    shipped = runner.invoke(cli, args)
    assert shipped.exit_code == 0, shipped.output  # the built-in labels: the CJK face
    own = [*args[:3], "--templates", str(rare_labels), str(PACK)]
    refused = runner.invoke(cli, own, env={"GITHUB_ACTIONS": None, "NO_COLOR": "1"})
    assert refused.exit_code != 0
    assert NO_FONT in refused.output
    docx = runner.invoke(cli, ["validate", "--format", "docx", *own[3:]])
    assert docx.exit_code == 0, docx.output
    if DROID.is_file():  # the look's font has the character
        shutil.copy(templates / "look.yaml", rare_labels)
        shutil.copytree(templates / "fonts", rare_labels / "fonts", dirs_exist_ok=True)
        drawn = runner.invoke(cli, own)
        assert drawn.exit_code == 0, drawn.output


@pytest.mark.parametrize("formats", [("docx",), ("html",)])
def test_docx_and_html_of_a_chinese_pack_need_no_font(
    tmp_path: Path, formats: tuple[str, ...]
) -> None:
    result = build_pack(PACK, BuildOptions(output_dir=tmp_path, formats=formats))
    assert [path.suffix for path in result.folder.glob("*-briefing-pack.*")] == [f".{formats[0]}"]


@pytest.mark.parametrize(
    ("start", "end", "printed"),
    [
        ("2024-12-04", "2024-12-04", "2024年12月4日"),
        ("2024-12-01", "2024-12-06", "2024年12月1日至6日"),
        ("2024-11-30", "2024-12-06", "2024年11月30日至12月6日"),
        ("2024-12-30", "2025-01-02", "2024年12月30日至2025年1月2日"),
    ],
)
def test_a_date_range_writes_the_shared_year_and_month_once_at_its_start(
    tmp_path: Path, start: str, end: str, printed: str
) -> None:
    text = PACK.read_text(encoding="utf-8")
    text = text.replace("start: 2024-12-02", f"start: {start}")
    text = text.replace("end: 2024-12-06", f"end: {end}")
    text = re.sub(r"date: 2024-12-0\d", f"date: {start}", text)
    source = tmp_path / "range.yaml"
    source.write_text(text, encoding="utf-8")
    result = build_pack(source, BuildOptions(output_dir=tmp_path, formats=("html",)))
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    cover = re.sub(r"<[^>]+>", "", html[html.index("海牙世界论坛") :])
    assert printed in cover


@pytest.mark.parametrize("tag", ["zh", "zh-Hans", "zh-CN", "ZH-cn"])
def test_simplified_chinese_tags_are_read_as_zh(tmp_path: Path, tag: str) -> None:
    source = tmp_path / "tag.yaml"
    source.write_text(
        PACK.read_text(encoding="utf-8").replace("language: zh", f"language: {tag}"), "utf-8"
    )
    assert load_session(source).session.pack.language == "zh"


@pytest.mark.parametrize("tag", ["zh-Hant", "zh-TW", "zh-Hant-HK"])
def test_traditional_chinese_packs_are_refused_with_a_reason(tmp_path: Path, tag: str) -> None:
    source = tmp_path / "tag.yaml"
    source.write_text(
        PACK.read_text(encoding="utf-8").replace("language: zh", f"language: {tag}"), "utf-8"
    )
    with pytest.raises(UserError) as raised:
        load_session(source)
    assert "Simplified characters (language: zh)" in str(raised.value)


@pytest.mark.parametrize("language", sorted(BUILT_IN_LABELS_SHIPPED_FONTS_DRAW))
def test_the_shipped_fonts_draw_the_built_in_labels_the_check_skips(language: str) -> None:
    """The languages whose labels the check of the PDF's fonts does not read (to keep
    ``validate`` light) are those whose built-in labels the shipped fonts draw."""
    text = "".join(load_labels(None, language).values())
    assert uncovered_characters(text) == []


@needs_droid
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
def test_handouts_take_the_templates_look_and_labels(templates: Path, tmp_path: Path) -> None:
    """``briefgen handouts --templates`` draws the handouts in the templates' look: a
    Chinese pack's PDF handouts print with its font, and without it with the shipped
    CJK face; the DOCX handouts are written either way."""
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["handouts", str(PACK), "--output-dir", str(out)]
    shipped = runner.invoke(cli, args)
    assert shipped.exit_code == 0, shipped.output
    key_messages = next(out.glob("*/*-handout-key-messages.pdf"))
    assert drawn_from(key_messages)["关"] == {CJK}
    done = runner.invoke(cli, [*args, "--templates", str(templates)])
    assert done.exit_code == 0, done.output
    assert "DroidSansFallback" in drawn_with(key_messages)["关"]
    assert "关键信息" in pdf_text(key_messages)
    docx_only = runner.invoke(cli, [*args, "--format", "docx"])
    assert docx_only.exit_code == 0, docx_only.output
