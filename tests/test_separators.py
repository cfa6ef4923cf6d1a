# ruff: noqa: RUF001, RUF002 (Chinese is written with full-width punctuation)
"""What briefgen puts between the parts of a line it makes is its language's: a plenary's
title and date (the ``title_date`` label: "Opening — 2 December 2024", Russian's and
French's no-break space before the dash, Chinese "开幕会议——2024年12月2日"), the parts
listed side by side (the ``separator`` label: two links under a statement, a handout's
byline; Chinese "｜", since "·" separates the parts of a foreign name there), and the
parentheses around an acronym; each part still a value that keeps its own direction,
drawn alike by the PDF, the DOCX and the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.cli.main import cli
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from tests.conftest import CASES, ROOT
from tests.docx_reading import every_paragraph

TITLE_DATE = {"en": " — ", "fr": "\u00a0— ", "es": " — ", "ru": "\u00a0— ", "ar": " — ", "zh": "——"}
CHINESE = ROOT / "tests" / "data" / "zh" / "asp23-zh.yaml"
ARABIC = CASES / "valid" / "arabic-pack.yaml"


def in_language(tmp_path: Path, language: str) -> Path:
    """The minimal session as a pack in ``language``."""
    text = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    source = tmp_path / f"minimal-{language}.yaml"
    source.write_text(f"pack:\n  language: {language}\n{text}", encoding="utf-8")
    return source


def plenary_heading(document: tree.Document) -> tree.Heading:
    return next(
        b
        for b in document.blocks
        if isinstance(b, tree.Heading) and b.anchor.startswith("plenary-")
    )


@pytest.mark.parametrize(("language", "between"), TITLE_DATE.items())
def test_a_plenary_heading_joins_its_title_and_date_as_its_language_does(
    tmp_path: Path, language: str, between: str
) -> None:
    heading = plenary_heading(compose_pack(load_session(in_language(tmp_path, language))))
    title, separator, day = heading.content
    assert title == tree.Isolate((tree.Text("Opening"),))
    assert separator == tree.Text(between)
    assert isinstance(day, tree.Isolate) and "2025" in tree.plain_text(day.children)


def chinese_case(tmp_path: Path) -> Path:
    """The Chinese pack, its statement with a full text given an address too: two links."""
    text = CHINESE.read_text(encoding="utf-8")
    text = text.replace(
        "        text: 主席先生", "        url: https://example.org/hrw\n        text: 主席先生"
    )
    source = tmp_path / "asp23-zh.yaml"
    source.write_text(text, encoding="utf-8")
    return source


HEADING = "开幕会议——2024年12月2日"
LINKS = "在线阅读发言｜全文见附件A"
BYLINE = "缔约国大会第二十三届会议｜开幕｜2024年12月2日"


def test_the_chinese_pack_draws_its_own_separators_in_every_format(tmp_path: Path) -> None:
    options = BuildOptions(formats=("pdf", "docx", "html"), output_dir=tmp_path / "out")
    folder = build_pack(chinese_case(tmp_path), options).folder
    pdf = "\n".join(page.extract_text() for page in PdfReader(next(folder.glob("*.pdf"))).pages)
    word = docx.Document(str(next(folder.glob("*.docx"))))
    paragraphs = "\n".join(p.text for p in every_paragraph(word))
    html = next(folder.glob("*.html")).read_text(encoding="utf-8")
    page = re.sub(r"<[^>]+>", "", html)  # the page's text, its elements aside
    for text in (pdf, paragraphs, page):
        assert HEADING in text
        assert LINKS in text
        assert " — " not in text and " · " not in text


def test_an_arabic_heading_keeps_a_latin_title_and_its_date_apart(tmp_path: Path) -> None:
    """Title and date stay two isolates around the separator: each reads in its own
    direction, the separator between them, in the HTML's ``bdi`` as in the tree."""
    text = ARABIC.read_text(encoding="utf-8").replace(
        "title: جلسة المراجعة", "title: Review (ASP23)"
    )
    source = tmp_path / "arabic.yaml"
    source.write_text(text, encoding="utf-8")
    options = BuildOptions(formats=("html",), output_dir=tmp_path / "out")
    html = next(build_pack(source, options).folder.glob("*.html")).read_text(encoding="utf-8")
    assert re.search(r">\s*<bdi>Review \(ASP23\)</bdi> — <bdi>[^<]*2024</bdi>", html)


def test_a_chinese_handouts_byline_uses_the_chinese_separator(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["handouts", str(chinese_case(tmp_path)), "--output-dir", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    pdf = next((tmp_path / "out").rglob("*-handout-opening.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert BYLINE in text
    word = docx.Document(str(pdf.with_suffix(".docx")))
    assert BYLINE in [p.text for p in every_paragraph(word)]


def test_a_chinese_editions_changes_give_an_acronym_the_chinese_parentheses(
    tmp_path: Path,
) -> None:
    """The changes list names an organisation with its acronym, "人权观察（HRW）", in
    the parentheses of the pack's language, as the index does."""
    old = chinese_case(tmp_path)
    new = tmp_path / "new" / "asp23-zh.yaml"
    new.parent.mkdir()
    new.write_text(
        old.read_text(encoding="utf-8").replace("    name: 人权观察\n", "    name: 人权观察组织\n"),
        encoding="utf-8",
    )
    options = BuildOptions(formats=("pdf", "html"), output_dir=tmp_path / "out", since=str(old))
    folder = build_pack(new, options).folder
    renamed = "组织更名：人权观察（HRW）改为人权观察组织（HRW）"
    pdf = "".join(page.extract_text() for page in PdfReader(next(folder.glob("*.pdf"))).pages)
    html = re.sub(r"<[^>]+>", "", next(folder.glob("*.html")).read_text(encoding="utf-8"))
    assert renamed in pdf.replace("\n", "")
    assert renamed in html
