# ruff: noqa: RUF001 (Chinese is written with full-width punctuation)
"""A session file nobody had tried (``tests/data/unseen/asp24-zh.yaml``): a Chinese pack
of the 24th session with Latin names, digits and addresses, full-width punctuation,
Japanese and Korean statements, long lines without spaces and emoji; and an edited copy
(``asp24-zh-edited.yaml``: a statement added, one removed, words changed, a key message
reworded) built against it. Each built and read back."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, BuildResult, build_pack
from briefgen.cli.main import cli
from tests.conftest import ROOT

FOLDER = ROOT / "tests" / "data" / "unseen"
SESSION = FOLDER / "asp24-zh.yaml"
EDITED = FOLDER / "asp24-zh-edited.yaml"


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    output = tmp_path_factory.mktemp("unseen-zh")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        options = BuildOptions(output_dir=output, since=str(SESSION))
        return build_pack(EDITED, options)


def test_every_script_of_the_file_reaches_the_pdf_as_typed(edition: BuildResult) -> None:
    assert edition.warnings == ()
    text = pdf_text(next(edition.folder.glob("*.pdf")))
    for typed in (
        "日本弁護士連合会は、締約国に対し",  # Japanese, kana and kanji
        "민주사회를 위한 변호사모임",  # Korean, its spaces kept
        "第ICC-ASP/23/Res.1号决议",  # Latin and digits inside Chinese
        "国际特赦组织关于“受害者权利”的发言🙏",  # full-width text, quotes, emoji
        "advocacy@example.org",
    ):
        assert typed in re.sub(r"\s*\n\s*", "", text) or typed in text, typed


def test_the_changes_list_names_what_was_added_and_removed_in_chinese(
    edition: BuildResult,
) -> None:
    text = pdf_text(next(edition.folder.glob("*.pdf")))
    assert "“闭幕式”新增发言：人权观察（HRW）的闭幕发言" in text
    assert "“一般性辩论”删除发言：피해자를 위한 정의" in text
    assert "关键信息1措辞已修改" in text


def test_the_docx_tracks_the_changes_word_by_word(edition: BuildResult) -> None:
    """The reworded key message's number, and the removed Korean statement whole."""
    with zipfile.ZipFile(next(edition.folder.glob("*.docx"))) as package:
        body = package.read("word/document.xml").decode()
    deleted = "|".join(re.findall(r"<w:delText[^>]*>([^<]*)<", body))
    inserted = [
        "".join(re.findall(r"<w:t[^>]*>([^<]*)<", revision))
        for revision in re.findall(r"<w:ins [^>]*>(.*?)</w:ins>", body)
    ]
    assert "|12|" in f"|{deleted}|" and "13" in inserted
    assert "피해자를 위한 정의" in deleted.replace("|", "")


def test_the_handouts_name_each_statement_with_its_organisation(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = CliRunner().invoke(cli, ["handouts", str(SESSION), "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "asp24-zh-unseen" / "asp24-zh-unseen-handout-general.pdf")
    assert "민주사회를 위한 변호사모임：피해자를 위한 정의" in text
