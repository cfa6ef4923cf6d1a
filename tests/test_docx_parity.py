# ruff: noqa: RUF001 (Chinese is written with full-width punctuation)
"""The DOCX looks like the PDF where Word's or LibreOffice's own typography would differ:
each test reads the DOCX back and checks what its reader is told."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
from docx.oxml.ns import qn
from docx.shared import Length

from briefgen import tree
from briefgen.look import default_look
from briefgen.look.model import NUMBER_GUTTER
from briefgen.writers.docx.writer import write_docx
from tests.trees import decided, line, meta

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


def _twips(points: float) -> int:
    return round(points * 20)


def _spacing(
    document: docx.document.Document, paragraph: docx.text.paragraph.Paragraph
) -> tuple[int, int]:
    """A paragraph's space before and after in twips: its own, else its style's."""
    style = document.styles.get_by_id(paragraph.style.style_id, 1)  # type: ignore[union-attr]
    spaces = []
    for side in ("before", "after"):
        value = None
        for properties in (paragraph._p.pPr, style.element.pPr):
            spacing = None if properties is None else properties.find(qn("w:spacing"))
            if spacing is not None and spacing.get(qn(f"w:{side}")) is not None:
                value = int(spacing.get(qn(f"w:{side}")))
                break
        spaces.append(value or 0)
    return spaces[0], spaces[1]


def test_contents_and_index_lines_overlap_their_spaces_as_in_the_pdf() -> None:
    """The PDF stands a contents or index line the larger of its space before and the
    space after the line above it below that line, not both (reportlab overlaps them):
    the first entry stands the title's 9 points below it, not 16, and a first-level
    line 7 points below a second-level one, not 9. The DOCX summed them: a long
    contents ran onto a page the PDF's does not, and every page number after it moved."""
    headings = [
        (1, "Opening", "opening"),
        (2, "Statements", "statements"),
        (1, "Closing", "closing"),
    ]
    blocks: list[tree.Block] = [
        tree.Contents(
            line("Contents", "contents-title"),
            tuple(tree.ContentsEntry(level, text, anchor) for level, text, anchor in headings),
        ),
        *(tree.Heading(level, (T(text),), anchor) for level, text, anchor in headings),
        tree.Index(
            tuple(
                tree.IndexGroup(line(name), (tree.ContentsEntry(2, "Opening", "opening"),))
                for name in ("Amnesty International", "Human Rights Watch")
            )
        ),
    ]
    document = docx.Document(io.BytesIO(write_docx(decided(meta("Pack"), blocks)).data))
    lines = [
        p
        for p in document.paragraphs
        if p.style is not None and p.style.name.lower().startswith(("toc", "index"))
    ]
    assert [p.style.name.lower() for p in lines if p.style is not None] == [
        "toc heading",
        "toc 1",
        "toc 2",
        "toc 1",
        "index 1",
        "index 2",
        "index 1",
        "index 2",
    ]
    look = default_look()
    first, second = look.contents.levels[0], look.contents.levels[1]
    title = look.text.contents_title
    looks = [title, first, second, first, first, second, first, second]
    pairs = [(i, i + 1) for i in (0, 1, 2, 4, 5, 6)]  # the contents' lines, the index's
    for top, bottom in pairs:
        above, below, above_look, below_look = lines[top], lines[bottom], looks[top], looks[bottom]
        gap = _spacing(document, above)[1] + _spacing(document, below)[0]
        assert gap == _twips(max(above_look.space_after, below_look.space_before)), below.text


def test_contents_and_index_titles_wrap_short_of_the_page_numbers_gutter() -> None:
    """The PDF wraps a long contents or index title 36 points short of the line's end,
    where its page number stands alone; the DOCX wrapped it at the full width, so its
    lines broke elsewhere and its last words ran up to the number. Each such style now
    ends that much short of the margin (the end indent, mirrored where lines read right
    to left), its page number's tab stop still at the margin."""
    long_title = "General debate on cooperation, complementarity and the budget of the Court " * 3
    blocks: list[tree.Block] = [
        tree.Contents(
            line("Contents", "contents-title"),
            (tree.ContentsEntry(1, long_title, "debate"), tree.ContentsEntry(2, "Votes", "votes")),
        ),
        tree.Heading(1, (T(long_title),), "debate"),
        tree.Heading(2, (T("Votes"),), "votes"),
        tree.Index(
            (tree.IndexGroup(line("CICC"), (tree.ContentsEntry(2, long_title, "debate"),)),)
        ),
    ]
    document = docx.Document(io.BytesIO(write_docx(decided(meta("Pack"), blocks)).data))
    section = document.sections[0]
    text_width = Length(section.page_width - section.left_margin - section.right_margin).twips
    for name in ("toc 1", "toc 2", "index 1", "index 2"):
        properties = document.styles[name].element.pPr
        indent = properties.find(qn("w:ind"))
        assert indent is not None and indent.get(qn("w:right")) == str(_twips(NUMBER_GUTTER)), name
        (tab,) = properties.findall(f"{qn('w:tabs')}/{qn('w:tab')}")
        assert (tab.get(qn("w:val")), tab.get(qn("w:leader"))) == ("right", "dot")
        assert abs(int(tab.get(qn("w:pos"))) - text_width) <= 1, name
