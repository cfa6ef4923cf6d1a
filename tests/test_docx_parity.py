# ruff: noqa: RUF001 (Chinese is written with full-width punctuation)
"""The DOCX looks like the PDF where Word's or LibreOffice's own typography would differ:
each test reads the DOCX back and checks what its reader is told."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
from docx.oxml.ns import qn

from briefgen import tree
from briefgen.writers.docx.writer import write_docx
from tests.trees import decided, meta

T = tree.Text
DATE = "2024年12月2日"


def _chinese_pack() -> tree.Document:
    chinese = replace(meta("缔约国大会"), language="zh")
    blocks = (tree.Paragraph((T(f"会议于{DATE}在海牙开幕，共有123个缔约国出席。"),)),)
    return decided(chinese, blocks)


def test_no_space_is_added_between_chinese_and_latin_letters_or_digits() -> None:
    """Word's default typography adds a gap on either side of "2024", "12" and "2" in
    "2024年12月2日" (autoSpaceDE, autoSpaceDN); the PDF sets the date without one."""
    document = docx.Document(io.BytesIO(write_docx(_chinese_pack()).data))
    styles = document.styles.element
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    assert defaults is not None
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        setting = defaults.find(qn(name))
        assert setting is not None and setting.get(qn("w:val")) == "0", name
        # nothing turns it back on: no style, no paragraph
        for element in (styles, document.element.body):
            assert all(e.get(qn("w:val")) in ("0", "false") for e in element.iter(qn(name)))
    assert DATE in "".join(p.text for p in document.paragraphs)
