"""Values the templates insert are isolates: they keep their own direction in the pack.

Compose fences every ``{{ value }}`` and turns it into a ``tree.Isolate``; the HTML
edition draws it as ``bdi``; the fences themselves never reach a file, and never break
the Markdown syntax a value is printed into (link destinations, block lines).
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.compose.templating import default_templates_dir
from briefgen.compose.values import ISOLATE_END, ISOLATE_START
from briefgen.input.load import load_session
from tests.conftest import ASP23, CASES

ARABIC = CASES / "valid" / "arabic-statement.yaml"


def first_heading(document: tree.Document, start: str) -> tree.Heading:
    return next(
        b
        for b in document.blocks
        if isinstance(b, tree.Heading) and tree.plain_text(b.content).startswith(start)
    )


def test_a_heading_holds_its_inserted_title_and_date_as_isolates() -> None:
    heading = first_heading(compose_pack(load_session(ASP23)), "Review plenary")
    assert heading.content == (
        tree.Isolate((tree.Text("Review plenary"),)),
        tree.Text(" — "),
        tree.Isolate((tree.Text("4\u00a0December 2024"),)),
    )


def test_an_arabic_name_in_an_english_byline_is_a_bdi_in_the_html(tmp_path: Path) -> None:
    result = build_pack(ARABIC, BuildOptions(formats=("html",), output_dir=tmp_path))
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert "<bdi>جمعية الحقوق (Rights Association)</bdi>" in html


def test_the_fences_never_reach_a_file(tmp_path: Path) -> None:
    result = build_pack(ARABIC, BuildOptions(output_dir=tmp_path))
    fences = (ISOLATE_START, ISOLATE_END)
    pdf = next(result.folder.glob("*.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "جمعية" in text or "Rights Association" in text
    assert not any(fence in text for fence in fences)
    with zipfile.ZipFile(io.BytesIO(next(result.folder.glob("*.docx")).read_bytes())) as docx:
        xml = docx.read("word/document.xml").decode()
    assert "Rights Association" in xml
    assert not any(fence in xml for fence in fences)
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert not any(fence in html for fence in fences)


def test_values_printed_into_markdown_syntax_still_make_that_syntax(tmp_path: Path) -> None:
    """A template may print a value as a link's address or a block's parameter, without
    ``raw``: the link and the block are made as before."""
    templates = tmp_path / "templates"
    templates.mkdir()
    statement = (default_templates_dir() / "statement.md.j2").read_text(encoding="utf-8")
    statement = statement.replace("{{ statement.language|raw }}", "{{ statement.language }}")
    (templates / "statement.md.j2").write_text(statement, encoding="utf-8")
    source = tmp_path / "case.yaml"
    text = ARABIC.read_text(encoding="utf-8")
    text = text.replace(  # the statement's language, not the key message's below it
        "        language: ar", "        language: ar\n        url: https://example.org/s", 1
    )
    source.write_text(text, encoding="utf-8")
    document = compose_pack(load_session(source), templates)
    links = [
        inline
        for block in _paragraphs(document.blocks)
        for inline in _walk(block.content)
        if isinstance(inline, tree.Link) and not inline.is_internal
    ]
    assert [link.target for link in links] == ["https://example.org/s"]
    arabic = [p for p in _paragraphs(document.blocks) if p.lang == "ar"]
    assert arabic, "the ::: lang block took its language from a printed value"


@pytest.mark.parametrize("fence", [ISOLATE_START, ISOLATE_END])
def test_a_user_cannot_type_a_fence(tmp_path: Path, fence: str) -> None:
    text = ASP23.read_text(encoding="utf-8").replace(
        "title: Review plenary", f'title: "Review{fence}plenary"', 1
    )
    source = tmp_path / "case.yaml"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match="control character"):
        load_session(source)


def _paragraphs(blocks: tuple[tree.Block, ...]) -> list[tree.Paragraph]:
    found: list[tree.Paragraph] = []
    for block in blocks:
        match block:
            case tree.Paragraph():
                found.append(block)
            case tree.ListBlock(items=items):
                for item in items:
                    found += _paragraphs(item)
            case tree.KeyMessages(blocks=inner):
                found += _paragraphs(inner)
    return found


def _walk(content: tuple[tree.Inline, ...]) -> list[tree.Inline]:
    found: list[tree.Inline] = []
    for inline in content:
        found.append(inline)
        if isinstance(inline, tree.Strong | tree.Emphasis | tree.Link | tree.Isolate):
            found += _walk(inline.children)
    return found


# --- The PDF resolves each isolate apart (UAX #9 first-strong isolates) -------------------


def test_a_value_inside_right_to_left_text_is_resolved_on_its_own() -> None:
    from briefgen.writers.pdf.pieces import isolated_levels
    from briefgen.writers.pdf.text import Run

    before, value, after = "جلسة ", "4 December 2024", " في لاهاي"
    runs = [Run(before), Run(value, isolate=0), Run(after)]
    base, levels, _ = isolated_levels(runs, None)
    assert base == 1
    # The whole date, its leading number and spaces too, is one left-to-right run,
    # at the next even level; the Arabic around it stays at the paragraph's level.
    assert levels[len(before) : len(before) + len(value)] == [2] * len(value)
    assert set(levels[: len(before) - 1]) == {1}
    assert set(levels[len(before) + len(value) + 1 :]) == {1}


def test_a_right_to_left_value_in_a_right_to_left_paragraph_goes_two_levels_up() -> None:
    from briefgen.writers.pdf.pieces import isolated_levels
    from briefgen.writers.pdf.text import Run

    runs = [Run("كلمة "), Run("مؤسسة الحق", isolate=0), Run(".")]
    base, levels, _ = isolated_levels(runs, 1)
    assert base == 1
    assert set(levels[5:15]) == {3}


def test_without_isolates_the_levels_are_the_plain_algorithms() -> None:
    from briefgen.writers.pdf.pieces import isolated_levels
    from briefgen.writers.pdf.text import Run
    from briefgen.writers.pdf.uba import embedding_levels

    text = "قال ICC Assembly (2024) في"
    assert isolated_levels([Run(text)], None)[:2] == embedding_levels(text, None)


def test_an_inserted_date_in_an_arabic_heading_reads_in_its_own_order() -> None:
    from briefgen.look import default_look
    from briefgen.writers.pdf.bidi import BidiParagraph, visual_order
    from briefgen.writers.pdf.fonts import register_pdf_fonts
    from briefgen.writers.pdf.styles import pdf_styles
    from briefgen.writers.pdf.text import Run

    register_pdf_fonts()
    body = pdf_styles(default_look()).role("body")
    flowable = BidiParagraph([Run("جلسة المراجعة — "), Run("4 December 2024", isolate=0)], body)
    flowable.wrap(400, 100)
    assert flowable.right_aligned()
    latin = [p.glyphs for p in visual_order(flowable.lines[0].pieces) if p.kind == "text"]
    # Left to right on the page: the date as written, then the Arabic title to its right.
    assert latin[:3] == ["4", "December", "2024"]


def test_an_arabic_pack_prints_a_latin_name_and_its_acronym_as_two_values(tmp_path: Path) -> None:
    result = build_pack(
        CASES / "valid" / "arabic-pack.yaml",
        BuildOptions(formats=("pdf", "html"), output_dir=tmp_path),
    )
    reader = PdfReader(next(result.folder.glob("*.pdf")))
    assert str(reader.trailer["/Root"]["/Lang"]) == "ar"
    # The index entry "{{ name }} ({{ short_name }})": two values, each whole (the
    # PDF's side of it: tests/test_pdf_copy_search.py).
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "<bdi>Human Rights Watch</bdi> (<bdi>HRW</bdi>)" in html


@pytest.mark.parametrize(
    ("runs", "left_to_right"),
    [
        # Latin values in an Arabic line: read from the right, the first value first.
        (["قال ", "Alpha one", "Beta two", " اليوم"], ["Beta", "Alpha"]),
        # Arabic values in an English line: read from the left, the first value first.
        (["Said ", "مؤسسة الحق", "جمعية الحقوق", " today"], ["مؤسسة", "جمعية"]),
    ],
)
def test_two_values_side_by_side_are_read_in_turn(
    runs: list[str], left_to_right: list[str]
) -> None:
    """ "{{ a }}{{ b }}" in a template: two values with nothing between them. Each is an
    isolate of its own, placed as Unicode places them (their FSI and PDI between them),
    not one run of the other direction with their order turned round."""
    from briefgen.look import default_look
    from briefgen.writers.pdf.bidi import BidiParagraph, visual_order
    from briefgen.writers.pdf.fonts import register_pdf_fonts
    from briefgen.writers.pdf.styles import pdf_styles
    from briefgen.writers.pdf.text import Run

    register_pdf_fonts()
    body = pdf_styles(default_look()).role("body")
    before, first, second, after = runs
    paragraph = [Run(before), Run(first, isolate=0), Run(second, isolate=1), Run(after)]
    flowable = BidiParagraph(paragraph, body)
    flowable.wrap(400, 100)
    (line,) = flowable.lines
    drawn = [piece.text for piece in visual_order(line.pieces)]

    def place(word: str) -> int:  # each value's first word, left to right on the page
        return next(index for index, text in enumerate(drawn) if word in text)

    assert sorted(left_to_right, key=place) == left_to_right


@pytest.mark.parametrize("value", [", ", "\u060c ", "—", "30", "(2024)"])
def test_a_value_without_letters_is_no_isolate(value: str) -> None:
    """It would resolve left to right (no first strong letter), turning an Arabic
    comma and its space the wrong way round; left as it is, it takes its sentence's."""
    from briefgen.compose.values import isolated

    assert isolated(value) == value
    assert isolated("HRW") == f"{ISOLATE_START}HRW{ISOLATE_END}"


def test_an_arabic_pack_joins_its_lists_with_arabic_commas(tmp_path: Path) -> None:
    result = build_pack(
        CASES / "valid" / "arabic-pack.yaml", BuildOptions(formats=("html",), output_dir=tmp_path)
    )
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    # credit: "<organisation>، باسم <organisation>، ألقاه <speaker>"
    assert "<bdi>مؤسسة الحق</bdi>\u060c <bdi>باسم" in html
    assert ", <bdi>" not in html


_LEFT_TO_RIGHT_CHARACTERS = [
    chr(point)
    for point in range(0x20, 0x3000)
    if unicodedata.bidirectional(chr(point))
    in {"L", "EN", "ES", "ET", "CS", "NSM", "BN", "S", "WS", "ON"}
]


@given(st.text(st.sampled_from(_LEFT_TO_RIGHT_CHARACTERS), max_size=60))
def test_text_without_anything_right_to_left_is_all_at_level_zero(text: str) -> None:
    """The shortcut that skips the bidi algorithm (``uba.left_to_right_only``) gives
    what the whole algorithm gives: every character at level 0."""
    from briefgen.writers.pdf.uba import embedding_levels, left_to_right_only

    assert left_to_right_only(text)
    for base in (None, 0):
        level, levels = embedding_levels(text, base)
        assert level == 0 and set(levels) <= {0}
