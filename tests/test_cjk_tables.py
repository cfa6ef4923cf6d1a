"""Chinese, Japanese and Korean text measured as wide as its characters are drawn (a
full em each, in the CJK face), read back from the PDF and the DOCX: a short table cell
such as "一般性辩论" is never broken while another column has room to spare, a long
title is cut to one line of the running header, and the DOCX's 草稿 mark is not squeezed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.tables import column_shares
from briefgen.look.load import default_look
from briefgen.writers.html.styles import css_string
from tests.conftest import ROOT

SOURCE = ROOT / "tests" / "data" / "zh" / "programme-zh.yaml"
DEBATE = "一般性辩论"  # the plenary's title, and its type


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(SOURCE, BuildOptions(output_dir=tmp_path_factory.mktemp("zh")))
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


def test_the_pdf_programme_keeps_a_short_chinese_cell_on_one_line(
    pack: dict[str, Path],
) -> None:
    reader = PdfReader(pack["pdf"])
    page = next(page.extract_text() for page in reader.pages if "日期" in page.extract_text())
    row = next(line for line in page.splitlines() if line.startswith("2024年12月2日"))
    assert row.count(DEBATE) == 2, page  # the title's column and the type's, each whole


def test_the_docx_programme_columns_fit_their_chinese_cells(pack: dict[str, Path]) -> None:
    (table,) = docx.Document(str(pack["docx"])).tables[:1]
    widths = [column.width for column in table.columns]
    look = default_look()
    cell = look.text.table_cell
    whole = Pt(len(DEBATE) * cell.size + 2 * look.tables.padding)  # a full em each, unbroken
    assert widths[1] >= whole and widths[2] >= whole, widths


def test_a_chinese_column_shares_the_width_by_how_wide_its_text_is() -> None:
    """Twice the characters of Latin text hold as much as Chinese ones: the two columns
    share the width equally."""
    cells = tuple(
        tree.Paragraph((tree.Text(text),), "table-head") for text in ("会议会议", "Meetings")
    )
    table = tree.Table(header=cells, rows=())
    first, second = column_shares(table, default_look())
    assert first == pytest.approx(second)


LONG_TITLE = ROOT / "tests" / "data" / "zh" / "long-title-zh.yaml"


@pytest.fixture(scope="module")
def long_title(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(LONG_TITLE, BuildOptions(output_dir=tmp_path_factory.mktemp("t")))
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


def test_the_pdf_running_header_cuts_a_long_chinese_title_to_one_line(
    long_title: dict[str, Path],
) -> None:
    for page in PdfReader(long_title["pdf"]).pages[1:]:
        header = page.extract_text().splitlines()[0]
        assert header.endswith("……"), page.extract_text()  # the Chinese ellipsis
        assert header.startswith("第二十三届缔约国大会简报材料")


def test_the_docx_running_header_cuts_a_long_chinese_title(long_title: dict[str, Path]) -> None:
    document = docx.Document(str(long_title["docx"]))
    headers = [p.text for section in document.sections for p in section.header.paragraphs]
    header = next(text for text in headers if "第二十三届" in text)
    assert header.endswith("……") and len(header) < 60, header


DRAFT = ROOT / "tests" / "data" / "zh" / "draft-zh.yaml"


def test_the_docx_draft_mark_box_is_as_wide_as_its_chinese_characters(tmp_path: Path) -> None:
    """WordArt stretches its letters to fill the box: a box measured at the Latin face's
    empty-box width would squeeze 草稿 to three fifths of its width."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        options = BuildOptions(formats=("docx",), output_dir=tmp_path)
        folder = build_pack(DRAFT, options).folder
    with zipfile.ZipFile(next(folder.glob("*.docx"))) as package:
        headers = [package.read(n).decode() for n in package.namelist() if "header" in n]
    marks = [re.search(r"width:([\d.]+)pt;height:([\d.]+)pt", h) for h in headers]
    (width, height), *_ = [(float(m[1]), float(m[2])) for m in marks if m]
    size = height / 0.72  # the box is as high as the capitals of the mark's size
    assert width == pytest.approx(2 * size, rel=0.02)  # two characters, a full em each


def test_the_html_print_header_cuts_a_long_chinese_title_alike(long_title: dict[str, Path]) -> None:
    html = long_title["html"].read_text(encoding="utf-8")
    header = re.search(r"@top-left\{content:\"([^\"]*)\"", html)
    assert header is not None
    assert header[1].endswith(css_string("……")[1:-1])  # the Chinese ellipsis, escaped
