"""A numbered list keeps the number it starts at, in every format (it restarted at 1)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.compose.pack import compose_pack
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from briefgen.input.rules import LARGEST_LIST_START
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.html.writer import write_html
from briefgen.writers.pdf.writer import write_pdf
from tests.conftest import CASES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def session_with_summary(tmp_path: Path, summary: str) -> Path:
    source = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    assert "    date: " in source
    text = source.replace("    date: ", f"    summary: |\n{summary}\n    date: ", 1)
    path = tmp_path / "session.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def numbered_lists(blocks: tuple[tree.Block, ...]) -> list[tree.ListBlock]:
    return [b for b in blocks if isinstance(b, tree.ListBlock) and b.ordered]


def test_a_list_starting_at_three_is_numbered_from_three_everywhere(tmp_path: Path) -> None:
    document = compose_pack(
        load_session(session_with_summary(tmp_path, "      3. third point\n      4. fourth point"))
    )
    (block,) = numbered_lists(document.blocks)
    assert block.start == 3
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(write_pdf(document).data)).pages
    )
    assert "3." in text and "4." in text and "1.third" not in text.replace(" ", "")
    word = docx.Document(io.BytesIO(write_docx(document).data))
    starts = word.part.numbering_part.element.xpath(".//w:num/w:lvlOverride/w:startOverride/@w:val")
    assert "3" in starts
    assert '<ol start="3"' in write_html(document).data.decode()


def test_the_largest_first_number_word_can_number_is_kept_everywhere(tmp_path: Path) -> None:
    summary = f"      {LARGEST_LIST_START}. far"
    document = compose_pack(load_session(session_with_summary(tmp_path, summary)))
    (block,) = numbered_lists(document.blocks)
    assert block.start == LARGEST_LIST_START
    assert f'<ol start="{LARGEST_LIST_START}"' in write_html(document).data.decode()


@pytest.mark.parametrize("first", ["32768", "999999999"])
def test_a_first_number_past_what_word_can_number_is_refused_at_validation(
    tmp_path: Path, first: str
) -> None:
    """It was printed as 32767 in every format: another number than the one typed."""
    path = session_with_summary(tmp_path, f"      Items:\n\n      {first}) far")
    with pytest.raises(UserError) as raised:
        load_session(path)
    (error,) = raised.value.diagnostics
    assert (error.field, error.message) == (
        "plenaries[0].summary",
        f"a numbered list starts at {int(first):,}; lists are numbered up to 32,767"
        " (Word's limit): start it lower",
    )


def test_a_long_number_that_starts_no_list_is_text(tmp_path: Path) -> None:
    path = session_with_summary(tmp_path, "      In the year\n      999999. nothing happened")
    assert numbered_lists(compose_pack(load_session(path)).blocks) == []
