"""Long tables in the PDF are handed to reportlab a window of rows at a time
(``writers/pdf/tables.py``) and come out as one table would: the same rows on the same
pages, the header on each, rows cut across pages where one table cuts them."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PageObject, PdfReader

from briefgen import tree
from briefgen.writers.pdf import tables
from briefgen.writers.pdf.writer import write_pdf
from tests.pdf_structure import check_structure
from tests.trees import decided, meta, row

SMALL_WINDOW = 16
TALL_ROWS = {40: 30, 41: 900, 150: 120}  # row number: words in its note (900: taller than a page)


def note(number: int) -> str:
    words = TALL_ROWS.get(number, 3)
    return " ".join(f"w{number}x{i}" for i in range(words))


def long_table_document(rows: int) -> tree.Document:
    table = tree.Table(
        row("State", "Position", "Note", role="table-head"),
        tuple(row(f"Row{i:04d}", "Supports the Court", note(i)) for i in range(rows)),
    )
    before = tree.Paragraph((tree.Text("Before the table."),), "body")
    after = tree.Paragraph((tree.Text("After the table."),), "body")
    return decided(meta("Long tables"), (before, table, after))


def pdf_with_window(monkeypatch: pytest.MonkeyPatch, window: int, rows: int) -> bytes:
    monkeypatch.setattr(tables, "WINDOW_ROWS", window)
    return write_pdf(long_table_document(rows)).data


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def one_table_and_windowed() -> tuple[bytes, bytes]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        one_table = pdf_with_window(monkeypatch, 10**9, 300)
        windowed = pdf_with_window(monkeypatch, SMALL_WINDOW, 300)
    return one_table, windowed


def test_a_table_longer_than_the_window_is_laid_out_through_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tables, "WINDOW_ROWS", SMALL_WINDOW)

    def make(rows: list[tables.Row], *, first: bool, heights: object = None) -> tables.Table:
        return tables.Table(rows)

    cells = [[tables.Flowable()] for _ in range(SMALL_WINDOW + 2)]
    assert isinstance(tables.long_table(cells, 1, make), tables.RowWindow)
    assert isinstance(tables.long_table(cells[:-1], 1, make), tables.Table)


def test_windows_give_the_pages_one_table_gives(
    one_table_and_windowed: tuple[bytes, bytes],
) -> None:
    one_table, windowed = one_table_and_windowed
    expected, got = pages_text(one_table), pages_text(windowed)
    assert len(got) == len(expected) > 10
    for number, (page, expected_page) in enumerate(zip(got, expected, strict=True), 1):
        assert page == expected_page, f"page {number} differs"


def test_every_row_once_in_order_with_the_header_on_each_page(
    one_table_and_windowed: tuple[bytes, bytes],
) -> None:
    _, windowed = one_table_and_windowed
    seen: list[int] = []
    for page in pages_text(windowed):
        numbers = [int(n) for n in re.findall(r"Row(\d{4})", page)]
        if numbers or re.search(r"w\d+x\d+", page):
            assert page.count("Position") == 1, "a page of the table has not one header"
            assert page.index("Note") < re.search(r"Row\d{4}|w\d+x\d+", page).start()  # type: ignore[union-attr]
        seen += numbers
    assert seen == list(range(300))


def test_a_row_taller_than_a_page_is_cut_across_pages_with_every_word_in_order(
    one_table_and_windowed: tuple[bytes, bytes],
) -> None:
    _, windowed = one_table_and_windowed
    text = "\n".join(pages_text(windowed))
    words = [int(w) for w in re.findall(r"w41x(\d+)", text)]
    assert words == list(range(TALL_ROWS[41]))
    pages_with_it = [i for i, page in enumerate(pages_text(windowed)) if "w41x" in page]
    assert len(pages_with_it) >= 2


def test_windows_put_every_line_where_one_table_puts_it(
    one_table_and_windowed: tuple[bytes, bytes],
) -> None:
    """Same heights of every line drawn, page by page: the same space before the table,
    the same rows, the same cut across pages."""
    one_table, windowed = one_table_and_windowed
    assert _line_heights(windowed) == _line_heights(one_table)


def _line_heights(data: bytes) -> list[list[float]]:
    return [_page_line_heights(page) for page in PdfReader(io.BytesIO(data)).pages]


def _page_line_heights(page: PageObject) -> list[float]:
    heights: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            heights.append(round(cm[5] + tm[5], 2))

    page.extract_text(visitor_text=visit)
    return heights


def test_the_tagged_table_has_a_row_per_row(one_table_and_windowed: tuple[bytes, bytes]) -> None:
    one_table, windowed = one_table_and_windowed
    structure = check_structure(windowed)
    (table,) = structure.find("Table")
    rows = [element for element in table.walk() if element.role == "TR"]
    assert len(rows) == 301
    assert structure.roles() == check_structure(one_table).roles()


def test_the_rest_of_a_table_cut_before_a_tall_row_starts_on_the_next_page() -> None:
    """reportlab put the rest (the header again, then the top of a row taller than the
    room left) under the first part, a header in the middle of the page."""
    pages = pages_text(write_pdf(long_table_document(60)).data)
    with_rows = [page for page in pages if re.search(r"Row\d{4}|w\d+x\d+", page)]
    assert len(with_rows) >= 3
    assert all(page.count("Position") == 1 for page in with_rows)
    (before,) = [number for number, page in enumerate(with_rows) if "Row0040" in page]
    assert "Row0041" not in with_rows[before] and "Row0041" in with_rows[before + 1]
