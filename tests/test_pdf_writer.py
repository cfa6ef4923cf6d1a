"""The PDF writer, read back with pypdf: content, numbers, links, outline, fonts, bytes."""

from __future__ import annotations

import dataclasses
import gc
import io
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefgen import tree
from briefgen.look import default_look
from briefgen.text.fonts import SANS
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.styles import pdf_styles
from briefgen.writers.pdf.writer import write_pdf
from tests.trees import decided, line, row

T = tree.Text
ARABIC = "المحكمة الجنائية الدولية"
GREEK = "Ελληνικά κείμενα"
CYRILLIC = "Русский текст"
LOREM = (
    "States Parties should reaffirm their commitment to the Rome Statute system and ensure "
    "that the Court has the resources it needs to carry out its mandate independently. "
)

HEADINGS = [
    (1, "Introduction", "intro"),
    (2, "Background & context", "background"),
    (3, "Earlier sessions", "earlier"),
    (1, "Plenary statements", "plenary"),
    (2, "Cooperation", "cooperation"),
    (1, "Annex", "annex"),
]


LISTED = [(level, text, anchor) for level, text, anchor in HEADINGS if level <= 2]  # contents


def para(*content: tree.Inline, role: tree.ParagraphRole = "body") -> tree.Paragraph:
    return tree.Paragraph(tuple(content), role)


def body_text(paragraphs: int) -> list[tree.Block]:
    return [para(T(LOREM * 4)) for _ in range(paragraphs)]


def heading(level: int, text: str, anchor: str) -> tree.Heading:
    return tree.Heading(level, (T(text),), anchor)


def sample_meta(**changes: Any) -> tree.Metadata:
    meta = tree.Metadata(
        title="ASP 23 Briefing Pack",
        author="Coalition for the ICC",
        subject="Assembly of States Parties, 23rd session",
        keywords=("ICC", "ASP", "Rome Statute"),
        language="en-GB",
        created=datetime(2024, 11, 18, 9, 30, tzinfo=UTC),
        paper="A4",
        draft=False,
        running_header=line("ASP 23 · Briefing pack"),
        draft_mark=line("DRAFT"),
    )
    for name in ("running_header", "draft_mark"):
        if isinstance(changes.get(name), str):
            changes[name] = line(changes[name])
    return dataclasses.replace(meta, **changes)


def sample_document(**meta_changes: Any) -> tree.Document:
    """A representative pack: cover, contents, three heading levels, lists, table, box."""
    (h1, h2, h3, h4, h5, h6) = (heading(*h) for h in HEADINGS)
    blocks: list[tree.Block] = [
        tree.Cover(
            line("Assembly of States Parties", "cover-title"),
            line("Twenty-third session, The Hague", "cover-subtitle"),
            (para(T("16\u201321 December 2024"), role="cover-line"),),
        ),
        tree.Contents(
            line("Contents", "contents-title"),
            tuple(tree.ContentsEntry(lv, t, a) for lv, t, a in HEADINGS),
        ),
        tree.PageBreak(),
        h1,
        para(
            T("Read the "),
            tree.Strong((T("key messages"),)),
            T(" and the "),
            tree.Emphasis((T("annex"),)),
            T(". See "),
            tree.Link((T("the cooperation section"),), "#cooperation"),
            T(" and "),
            tree.Link((T("the Court's website"),), "https://www.icc-cpi.int/asp"),
            T("."),
        ),
        tree.KeyMessages(
            (
                para(tree.Strong((T("Key messages"),))),
                tree.ListBlock(False, ((para(T("Protect the Court from sanctions.")),),)),
            )
        ),
        h2,
        para(T('Literal markup: a & b <b>not bold</b> {{ x }} <img src="http://x"/>')),
        *body_text(6),
        h3,
        tree.ListBlock(
            True,
            (
                (para(T("First numbered item")),),
                (
                    para(T("Second item with a nested list")),
                    tree.ListBlock(False, ((para(T("Nested bullet")),),)),
                ),
            ),
        ),
        *body_text(6),
        tree.PageBreak(),
        h4,
        tree.Table(
            row("State", "Statement", role="table-head"),
            tuple(row(f"State {i}", LOREM) for i in range(30)),
        ),
        h5,
        para(T(f"Greek: {GREEK}. Cyrillic: {CYRILLIC}. Vietnamese: Tiếng Việt.")),
        para(T(f"Arabic: {ARABIC} (ICC 2024). Greek: {GREEK}. Cyrillic: {CYRILLIC}.")),
        tree.Paragraph((T(f"{ARABIC} في لاهاي عام 2024 مع ICC"),), lang="ar"),
        *body_text(8),
        h6,
        para(T("Prepared by the secretariat."), role="byline"),
        para(T("Figures are provisional."), role="byline"),
    ]
    return decided(sample_meta(**meta_changes), tuple(blocks))


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return write_pdf(sample_document()).data


@pytest.fixture(scope="module")
def reader(sample_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(sample_pdf))


@pytest.fixture(scope="module")
def pages_text(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def page_of(pages_text: list[str], needle: str, start: int = 0) -> int:
    """1-based number of the first page at or after ``start`` holding ``needle`` on a line."""
    for index in range(start, len(pages_text)):
        lines = [line.strip() for line in pages_text[index].splitlines()]
        if needle in lines:
            return index + 1
    raise AssertionError(f"{needle!r} not found as a line")


def resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


# --- content ----------------------------------------------------------------------


def test_rendered_page_count_matches_pdf(reader: PdfReader) -> None:
    rendered = write_pdf(sample_document())
    assert rendered.pages == len(reader.pages) >= 5


def test_headings_appear_in_order(pages_text: list[str]) -> None:
    body = "\n".join(pages_text[2:])  # after cover and contents
    positions = [body.find(text) for _, text, _ in HEADINGS]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_contents_numbers_are_the_heading_pages(pages_text: list[str]) -> None:
    contents = pages_text[1]
    for _, text, _ in LISTED:
        # The numbers live in form XObjects, which pypdf extracts after the titles.
        match = re.search(rf"^\s*{re.escape(text)}\s*\n\s*(\d+)\s*$", contents, re.MULTILINE)
        assert match, f"no contents line for {text!r} in {contents!r}"
        assert int(match.group(1)) == page_of(pages_text, text, start=2)


def test_footer_shows_page_and_total(pages_text: list[str]) -> None:
    total = len(pages_text)
    assert f"Page 2 of {total}" in pages_text[1]
    assert f"Page {total} of {total}" in pages_text[-1]
    assert "Page 1 of" not in pages_text[0]  # no footer on the cover
    assert "Briefing pack" not in pages_text[0]


def test_markup_in_text_comes_out_literally(pages_text: list[str]) -> None:
    text = "".join(pages_text)
    assert 'a & b <b>not bold</b> {{ x }} <img src="http://x"/>' in text


def test_greek_and_cyrillic_text_extracts(pages_text: list[str]) -> None:
    text = "".join(pages_text)
    assert f"Greek: {GREEK}. Cyrillic: {CYRILLIC}. Vietnamese: Tiếng Việt." in text
    assert f"Greek: {GREEK}. Cyrillic: {CYRILLIC}." in text.split("Arabic:")[1]


# --- draft, metadata, paper -----------------------------------------------------------


def test_draft_mark_on_every_page() -> None:
    data = write_pdf(sample_document(draft=True, draft_mark="DRAFT")).data
    pages = PdfReader(io.BytesIO(data)).pages
    assert all("DRAFT" in page.extract_text() for page in pages)


def test_no_draft_mark_when_final(pages_text: list[str]) -> None:
    assert not any("DRAFT" in text for text in pages_text)


def test_metadata(reader: PdfReader) -> None:
    info = reader.metadata
    assert info is not None
    assert info.title == "ASP 23 Briefing Pack"
    assert info.author == "Coalition for the ICC"
    assert info.subject == "Assembly of States Parties, 23rd session"
    assert info["/Keywords"] == "ICC, ASP, Rome Statute"
    assert info.creation_date == datetime(2024, 11, 18, 9, 30, tzinfo=UTC)
    assert info.modification_date == datetime(2024, 11, 18, 9, 30, tzinfo=UTC)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.28, 841.89)), ("Letter", (612, 792))])
def test_paper_size(paper: str, size: tuple[float, float]) -> None:
    document = decided(sample_meta(paper=paper), (para(T("One page.")),))
    box = PdfReader(io.BytesIO(write_pdf(document).data)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.01)


# --- outline and links ----------------------------------------------------------------


def outline_tree(items: list[Any], reader: PdfReader) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out.append(outline_tree(item, reader))
        else:
            out.append(item.title)
    return out


def test_outline_titles_and_nesting(reader: PdfReader) -> None:
    assert outline_tree(reader.outline, reader) == [
        "Introduction",
        ["Background & context", ["Earlier sessions"]],
        "Plenary statements",
        ["Cooperation"],
        "Annex",
    ]


def test_outline_entries_point_at_heading_pages(reader: PdfReader, pages_text: list[str]) -> None:
    flat = [reader.outline[0], reader.outline[2], reader.outline[4]]
    for item, title in zip(flat, ["Introduction", "Plenary statements", "Annex"], strict=True):
        assert reader.get_destination_page_number(item) + 1 == page_of(pages_text, title, 2)


def link_annotations(reader: PdfReader) -> list[tuple[int, DictionaryObject]]:
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots", ArrayObject()):
            annot = resolve(annot)
            if annot["/Subtype"] == "/Link":
                found.append((number, annot))
    return found


def test_external_link_is_a_uri_annotation(reader: PdfReader) -> None:
    uris = [resolve(a["/A"])["/URI"] for _, a in link_annotations(reader) if "/A" in a]
    assert "https://www.icc-cpi.int/asp" in uris


def destination_page(reader: PdfReader, annotation: DictionaryObject) -> int:
    destination = resolve(annotation["/Dest"])
    if not isinstance(destination, ArrayObject):
        destination = reader.named_destinations[str(destination)]
        return reader.get_destination_page_number(destination) + 1
    return reader.get_page_number(resolve(destination[0])) + 1


def test_contents_lines_link_to_their_headings(reader: PdfReader, pages_text: list[str]) -> None:
    on_contents = [a for page, a in link_annotations(reader) if page == 2 and "/Dest" in a]
    on_contents.sort(key=lambda annotation: -float(annotation["/Rect"][1]))  # top to bottom
    targets = [destination_page(reader, annotation) for annotation in on_contents]
    assert targets == [page_of(pages_text, text, 2) for _, text, _ in LISTED]


def test_internal_link_in_text_goes_to_its_heading(
    reader: PdfReader, pages_text: list[str]
) -> None:
    in_body = [a for page, a in link_annotations(reader) if page > 2 and "/Dest" in a]
    assert [destination_page(reader, a) for a in in_body] == [page_of(pages_text, "Cooperation", 2)]


# --- fonts and bytes --------------------------------------------------------------------


def font_dicts(reader: PdfReader) -> list[DictionaryObject]:
    fonts = []
    for page in reader.pages:
        resources = resolve(page["/Resources"])
        fonts += [resolve(f) for f in resolve(resources.get("/Font", DictionaryObject())).values()]
        for xobject in resolve(resources.get("/XObject", DictionaryObject())).values():
            form_fonts = resolve(resolve(xobject).get("/Resources", DictionaryObject()))
            fonts += [
                resolve(f) for f in resolve(form_fonts.get("/Font", DictionaryObject())).values()
            ]
    return fonts


def embedded_file(font: DictionaryObject) -> bool:
    if "/DescendantFonts" in font:
        font = resolve(resolve(font["/DescendantFonts"])[0])
    return "/FontFile2" in resolve(font.get("/FontDescriptor", DictionaryObject()))


def test_every_font_is_embedded_and_no_helvetica(reader: PdfReader) -> None:
    fonts = font_dicts(reader)
    assert fonts
    assert all(embedded_file(font) for font in fonts)
    names = {str(font["/BaseFont"]) for font in fonts}
    assert not any("Helvetica" in name for name in names)
    assert any("NotoSansArabic" in name for name in names)
    assert any("NotoSans-Bold" in name for name in names)


def test_same_input_gives_same_bytes(sample_pdf: bytes) -> None:
    assert write_pdf(sample_document()).data == sample_pdf


def cycles_left_by(build: Callable[[], object]) -> int:
    """How many objects only the cyclic collector frees after ``build`` (0: refcounting
    alone frees it, as the command line, which pauses the collector, needs)."""
    gc.collect()
    gc.disable()
    try:
        build()
        return gc.collect()
    finally:
        gc.enable()


def test_a_build_leaves_no_reference_cycles() -> None:
    document = sample_document()
    assert cycles_left_by(lambda: write_pdf(document)) == 0
    assert gc.isenabled()


def test_write_pdf_leaves_the_collector_as_it_found_it() -> None:
    gc.disable()
    try:
        write_pdf(sample_document())
        assert not gc.isenabled()
    finally:
        gc.enable()
    write_pdf(sample_document())
    assert gc.isenabled()


def test_bytes_do_not_depend_on_clock_or_timezone(tmp_path: Path, sample_pdf: bytes) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        time.sleep(1.1)
        from test_pdf_writer import sample_document
        from briefgen.writers.pdf.writer import write_pdf
        sys.stdout.buffer.write(write_pdf(sample_document()).data)
        """
    )
    env = {**os.environ, "TZ": "America/Los_Angeles"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=True
    )
    assert result.stdout == sample_pdf


# --- Arabic ------------------------------------------------------------------------------


def test_arabic_paragraph_is_right_aligned_and_in_visual_order() -> None:
    from briefgen.writers.pdf.bidi import BidiParagraph, visual_order

    BODY = pdf_styles(default_look()).role("body")
    from briefgen.writers.pdf.text import Run

    flowable = BidiParagraph([Run("قال ICC Assembly في 2024")], BODY)
    flowable.wrap(400, 100)
    assert flowable.right_aligned()
    words = [p for p in visual_order(flowable.lines[0].pieces) if p.kind == "text"]
    # Left to right on the page: the number, the Arabic word before it, the Latin names
    # in their own order, then the first Arabic word at the far right.
    assert [p.glyphs for p in words if p.font.startswith("NotoSans-")] == [
        "2024",
        "ICC",
        "Assembly",
    ]
    assert words[-1].font.startswith("NotoSansArabic")
    assert words[0].glyphs == "2024"


def test_latin_paragraph_with_arabic_name_stays_left_to_right() -> None:
    from briefgen.writers.pdf.bidi import BidiParagraph, visual_order

    BODY = pdf_styles(default_look()).role("body")
    from briefgen.writers.pdf.text import Run

    flowable = BidiParagraph([Run("The delegate of "), Run("مصر", bold=True), Run(" spoke.")], BODY)
    flowable.wrap(400, 100)
    assert not flowable.right_aligned()
    texts = [p for p in visual_order(flowable.lines[0].pieces) if p.kind == "text"]
    assert [p.glyphs for p in texts][:3] == ["The", "delegate", "of"]
    assert texts[3].font == "NotoSansArabic-Bold"
    assert texts[4].glyphs == "spoke."


def test_long_arabic_paragraph_breaks_into_lines_that_fit() -> None:
    from briefgen.writers.pdf.bidi import BidiParagraph

    BODY = pdf_styles(default_look()).role("body")
    from briefgen.writers.pdf.text import Run

    flowable = BidiParagraph([Run((ARABIC + " ") * 30)], BODY)
    _, height = flowable.wrap(300, 1000)
    assert len(flowable.lines) > 3
    assert height == len(flowable.lines) * BODY.leading
    assert all(sum(p.width for p in line.pieces) <= 300 for line in flowable.lines)
    head, tail = flowable.split(300, BODY.leading * 2.5)
    head.wrap(300, 1000)
    tail.wrap(300, 1000)
    assert [line.pieces for line in head.lines] == [line.pieces for line in flowable.lines[:2]]
    assert [line.pieces for line in tail.lines] == [line.pieces for line in flowable.lines[2:]]


BIDI_SAMPLES = [
    "",
    "plain Latin text",
    ARABIC,
    "قال ICC Assembly في 2024",
    "The delegate of مصر spoke.",
    "المادة 86، الفقرة 2: 1,5 - 2.5% (ICC) [١٢٣] $40 ٪٣٠ +5 -7",
    "تُلزم الدول، مثلاً: ‏ICC‎ «نعم» ... 12:30 و 1/2",
    "ABC ١٢٣ def 45 ghi, 6.7 € - ٤,٥",  # noqa: RUF001
    "\u064b\u0651 leading marks, then بَرَكَة and 3°",
    "Hebrew שלום and Arabic سلام\tafter a tab, then \u00a0 a no-break space",
    "line one قال\nسطر 2 two",
]


# Characters of every class the shortcut in uba.py takes (no explicit controls), brackets too.
SIMPLE_BIDI = "ab 12,.+-#%()[]{}!«»\t\nابة١٢،אב\u064b\u0300\u00a0€"  # noqa: RUF001


def assert_shortcut_agrees(text: str, base: int | None) -> None:
    """Text without explicit embeddings, overrides, isolates or paragraph separators skips
    rules X1-X10 in uba.py (one isolating run sequence at the paragraph level); the full
    path must give it the same levels. (python-bidi's old algorithm, the reference here
    once, knows no bracket pairs: tests/test_bidi_conformance.py runs Unicode's tests.)"""
    from unicodedata import bidirectional

    from briefgen.writers.pdf.uba import _explicit_paragraph_levels, base_level, embedding_levels

    classes = [bidirectional(char) for char in text.replace("\n", " ")]
    resolved = base_level(classes) if base is None else base
    full = _explicit_paragraph_levels(text, classes, resolved)
    assert embedding_levels(text, base) == (resolved, full)


@pytest.mark.parametrize("text", BIDI_SAMPLES)
def test_bidi_shortcut_agrees_with_the_full_algorithm(text: str) -> None:
    assert_shortcut_agrees(text, None)


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(SIMPLE_BIDI), max_size=80), st.sampled_from([None, 0, 1]))
def test_bidi_shortcut_agrees_with_the_full_algorithm_on_any_simple_text(
    text: str, base: int | None
) -> None:
    assert_shortcut_agrees(text, base)


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا\u00adمرحبا 12",  # noqa: RUF001 (soft hyphen: removed by rule X9)
        "می\u200cخواهم ICC",  # noqa: RUF001 (zero-width non-joiner)
        "abc \u202bمرحبا 12\u202c def",  # noqa: RUF001 (explicit embedding)
        "a \u2067بـ 3\u2069 c",  # isolate
    ],
)
def test_bidi_levels_cover_every_character(text: str) -> None:
    from briefgen.writers.pdf.bidi import BidiParagraph

    BODY = pdf_styles(default_look()).role("body")
    from briefgen.writers.pdf.text import Run
    from briefgen.writers.pdf.uba import embedding_levels

    assert len(embedding_levels(text)[1]) == len(text)
    flowable = BidiParagraph([Run(text)], BODY)
    flowable.wrap(400, 100)
    assert len(flowable.lines) == 1


def test_plain_paragraph_gets_the_fragments_the_parser_makes() -> None:
    from reportlab.platypus import Paragraph

    from briefgen.writers.pdf.paragraph import line as plain_line

    style = pdf_styles(default_look()).heading(2)
    text = "  Plain text\n  over   two lines \u00a0 with a no-break space "
    fast = plain_line(text, style, "ltr")
    parsed = Paragraph(text, style)
    assert fast.text == parsed.text
    assert [vars(f) for f in fast.frags] == [vars(f) for f in parsed.frags]
    assert fast.wrap(200, 500) == parsed.wrap(200, 500)


def test_escaping_in_headings_tables_and_cover() -> None:
    nasty = 'R&D <i>x</i> "q" <img src="http://example.invalid/x.png"/>'
    document = decided(
        sample_meta(),
        (
            tree.Cover(line(nasty, "cover-title"), line(nasty, "cover-subtitle"), ()),
            heading(1, nasty, "h"),
            tree.Table(row(nasty, role="table-head"), (row(nasty),)),
            tree.Contents(line(nasty, "contents-title"), (tree.ContentsEntry(1, nasty, "h"),)),
        ),
    )
    pages = PdfReader(io.BytesIO(write_pdf(document).data)).pages
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))
    assert text.count(re.sub(r"\s+", "", nasty)) == 7  # cover 2, heading, cells 2, contents 2


def test_link_to_unknown_anchor_is_plain_text() -> None:
    document = decided(
        sample_meta(), (para(tree.Link((T("nowhere"),), "#missing"), T(" then more")),)
    )
    reader = PdfReader(io.BytesIO(write_pdf(document).data))
    assert "nowhere then more" in reader.pages[0].extract_text()
    assert link_annotations(reader) == []


def test_cover_logo_is_scaled_into_its_box(tmp_path: Path) -> None:
    from PIL import Image as PILImage

    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (800, 200), (27, 58, 107)).save(logo)
    document = decided(
        sample_meta(),
        (tree.Cover(line("Title", "cover-title"), None, (), logo=str(logo)), para(T("Body"))),
    )
    reader = PdfReader(io.BytesIO(write_pdf(document).data))
    page = reader.pages[0]
    images = list(page.images)
    assert len(images) == 1
    assert "Title" in page.extract_text()
    assert "Body" in reader.pages[1].extract_text()


def test_bytes_do_not_depend_on_what_the_process_rendered_before() -> None:
    """Shaped Arabic glyphs get private-use codes; their order must not leak between packs."""
    other = decided(
        sample_document().meta,
        (tree.Paragraph((tree.Text("شكراً جزيلاً للمحكمة والدول الأطراف، وحماية الضحايا أولاً"),)),),
    )
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_pdf_writer import sample_document
        from briefgen.writers.pdf.writer import write_pdf
        sys.stdout.buffer.write(write_pdf(sample_document()).data)
        """
    )
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True).stdout
    write_pdf(other)
    assert write_pdf(sample_document()).data == fresh


# --- keep with next, outline depth, environment -------------------------------------------


def page_containing(pages_text: list[str], needle: str) -> int:
    """1-based number of the first page whose text holds ``needle``."""
    for index, text in enumerate(pages_text):
        if needle in text.replace("\n", " "):
            return index + 1
    raise AssertionError(f"{needle!r} not found")


def stranding_document() -> tree.Document:
    """Sections at many heights down the page: a heading (one or two lines), perhaps a
    byline, then a paragraph or a list, after 1 to 11 lines of filler.

    The filler mixes body lines (20.5 pt with their space) and notes (18 pt), so the
    headings land at scattered heights, some in the last two lines of a page.
    """
    blocks: list[tree.Block] = []
    for i in range(72):
        blocks += [para(T(f"Filler {i}.{k}.")) for k in range(1 + i % 11)]
        blocks += [para(T(f"Note {i}."), role="byline")] * (i % 3)
        title = f"Heading {i}" + (" with a title long enough to need a second line" * 2) * (i % 2)
        blocks.append(heading(1 + i % 3, title, f"h{i}"))
        if i % 4 != 3:
            blocks.append(para(T(f"Byline {i}"), role="byline"))
            blocks.append(para(T(f"Body {i} starts here. " + LOREM * 2)))
        else:
            blocks.append(tree.ListBlock(False, ((para(T(f"Body {i} starts here.")),),)))
    return decided(sample_meta(), tuple(blocks))


def test_heading_is_on_the_page_of_what_follows_it() -> None:
    """No heading (nor byline) is the last thing on a page: the first lines after it share
    its page, whatever its level and whether a paragraph or a list follows."""
    reader = PdfReader(io.BytesIO(write_pdf(stranding_document()).data))
    pages_text = [page.extract_text() for page in reader.pages]
    assert len(pages_text) >= 8
    for i in range(72):
        page = page_containing(pages_text, f"Heading {i}")
        assert page_containing(pages_text, f"Body {i} starts here.") == page, f"Heading {i}"
        if i % 4 != 3:
            assert page_containing(pages_text, f"Byline {i}") == page, f"Heading {i}"


def test_long_paragraph_after_heading_starts_on_the_headings_page() -> None:
    """Only the first lines need to fit: a heading before a paragraph taller than the room
    left is not pushed to the next page."""
    blocks: list[tree.Block] = [para(T(LOREM * 4)) for _ in range(3)]
    blocks += [heading(2, "Late heading", "late"), para(T("Long body starts. " + LOREM * 12))]
    reader = PdfReader(io.BytesIO(write_pdf(decided(sample_meta(), tuple(blocks))).data))
    pages_text = [page.extract_text() for page in reader.pages]
    assert page_containing(pages_text, "Late heading") == 1
    assert page_containing(pages_text, "Long body starts.") == 1
    assert len(pages_text) == 2


def test_outline_depth_counts_open_headings_when_a_level_is_skipped() -> None:
    levels = [(1, "A"), (3, "B"), (3, "C"), (1, "D"), (2, "E"), (3, "F"), (3, "G"), (2, "H")]
    blocks = [heading(level, title, title.lower()) for level, title in levels]
    document = decided(sample_meta(), tuple(blocks))
    reader = PdfReader(io.BytesIO(write_pdf(document).data))
    assert outline_tree(reader.outline, reader) == ["A", ["B", "C"], "D", ["E", ["F", "G"], "H"]]


def test_outline_of_a_document_starting_below_level_one() -> None:
    blocks = [heading(level, title, title.lower()) for level, title in [(3, "A"), (2, "B")]]
    reader = PdfReader(io.BytesIO(write_pdf(decided(sample_meta(), tuple(blocks))).data))
    assert outline_tree(reader.outline, reader) == ["A", "B"]


def test_bytes_do_not_depend_on_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dates come from the tree; reportlab's reading of SOURCE_DATE_EPOCH must not
    reach the file (it seeded the trailer's /ID)."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    without = write_pdf(sample_document()).data
    for value in ("1", "1700000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        assert write_pdf(sample_document()).data == without
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"  # left as it was set


def test_a_paragraph_takes_the_direction_the_tree_gives_whatever_its_letters() -> None:
    from briefgen.writers.pdf.paragraph import paragraph

    byline = pdf_styles(default_look()).role("byline")
    arabic_name = "منظمة العفو الدولية لحقوق الإنسان"
    content = (tree.Text(f"{arabic_name}, on behalf of CICC"),)
    left_to_right = paragraph(content, byline, "ltr", "#000000")
    right_to_left = paragraph(content, byline, "rtl", "#000000")
    left_to_right.wrap(400, 100)
    right_to_left.wrap(400, 100)
    assert not left_to_right.right_aligned()
    assert right_to_left.right_aligned()


def test_a_paragraph_running_over_pages_is_laid_out_as_reportlab_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parts of a split paragraph keep the lines already broken; reportlab breaks
    them again on every page. Both must give the same lines on the same pages, for plain
    and mixed text, in the body and inside a key-message box (split within its row). One
    difference is wanted: reportlab ends a first part hyphenated at its last line with a
    typed "-" where every other line end has the soft hyphen that copies as typed."""
    from reportlab.platypus import Paragraph

    from briefgen.writers.pdf.paragraph import _Paragraph

    mixed = (T(LOREM * 3), tree.Strong((T("bold words "),)), tree.Link((T("a link"),), "#a"))
    long_message = (para(T(LOREM * 40), tree.Strong((T("bold"),)), T(LOREM * 30)),)
    blocks = (
        heading(1, "A", "a"),
        para(T(LOREM * 60)),
        para(*(mixed * 25)),
        tree.KeyMessages((tree.ListBlock(False, (long_message, (para(T("short")),))),)),
    )
    document = decided(sample_meta(), blocks)
    reused = write_pdf(document)
    monkeypatch.setattr(_Paragraph, "_split", Paragraph.split)
    broken_again = write_pdf(document)
    assert reused.pages == broken_again.pages >= 8
    kept, again = _page_lines(reused.data), _page_lines(broken_again.data)
    hyphen_as_soft = [[re.sub("-$", "\u00ad", line) for line in page] for page in again]
    assert kept == hyphen_as_soft and kept != again
    ends = [line[-1] for page in kept for line in page if line]
    assert ends.count("\u00ad") > 10 and "-" not in ends


def test_a_paragraph_of_lines_ended_by_line_breaks_goes_on_without_a_blank_line() -> None:
    """reportlab starts the rest of a paragraph cut after a line break with an empty
    line, at the top of the next page; the rest keeps the lines of the whole instead."""
    poem = [inline for i in range(150) for inline in (T(f"Line {i} of a poem."), tree.LineBreak())]
    pages = _page_lines(write_pdf(decided(sample_meta(), (para(*poem),))).data)
    assert len(pages) >= 3
    for page in pages:
        body = page[2:]  # after the running header and the page label
        assert body and body[0].startswith("Line "), page[:4]
    shown = [line for page in pages for line in page if line.startswith("Line ")]
    assert shown == [f"Line {i} of a poem." for i in range(150)]


def _page_lines(data: bytes) -> list[list[str]]:
    pages = PdfReader(io.BytesIO(data)).pages
    return [[line.rstrip() for line in page.extract_text().splitlines()] for page in pages]


@pytest.mark.parametrize("ordered", [False, True])
def test_a_key_message_box_over_several_pages_keeps_every_message_in_order(ordered: bool) -> None:
    """Each message is a row of the box, so the box breaks between messages; a numbered
    list keeps counting across rows and pages."""
    count = 150
    items = tuple((para(T(f"Key message {i} about cooperation.")),) for i in range(1, count + 1))
    box = tree.KeyMessages((para(tree.Strong((T("At a glance"),))), tree.ListBlock(ordered, items)))
    rendered = write_pdf(decided(sample_meta(), (heading(1, "Key messages", "km"), box)))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages)
    positions = [text.index(f"Key message {i} about") for i in range(1, count + 1)]
    assert rendered.pages >= 4
    assert positions == sorted(positions)
    if ordered:
        assert all(f"{i}." in text for i in (1, 75, count))


def test_an_empty_item_in_a_key_message_list_is_laid_out() -> None:
    items = ((para(T("First message.")),), (), (para(T("Third message.")),))
    box = tree.KeyMessages((tree.ListBlock(False, items),))
    rendered = write_pdf(decided(sample_meta(), (box,)))
    text = PdfReader(io.BytesIO(rendered.data)).pages[0].extract_text()
    assert text.index("First message.") < text.index("Third message.")


def bullet_positions(data: bytes, mark: str = "\u2022") -> list[float]:
    """The x positions where ``mark`` is drawn on the first page, top to bottom."""
    found: list[tuple[float, float]] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if text.strip() == mark:  # page coordinates: text matrix moved by the canvas's
            found.append((-(cm[5] + tm[5]), cm[4] + tm[4]))

    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return [x for _, x in sorted(found)]


@pytest.mark.parametrize("boxed", [False, True])
def test_a_right_to_left_list_has_its_bullets_in_the_right_margin(boxed: bool) -> None:
    arabic = "بيان دولة فلسطين أمام الجمعية"
    english = tree.ListBlock(False, ((para(T("One")),), (para(T("Two")),)))
    rtl = tree.ListBlock(False, tuple((tree.Paragraph((T(arabic),), lang="ar"),) for _ in range(2)))
    blocks: tuple[tree.Block, ...] = (english, rtl)
    if boxed:
        blocks = (tree.KeyMessages(blocks),)
    width = A4[0]
    left, left2, right, right2 = bullet_positions(write_pdf(decided(sample_meta(), blocks)).data)
    assert left == left2 < width / 4
    assert right == right2 > width * 3 / 4


def test_a_list_of_nested_right_to_left_lists_reads_right_to_left() -> None:
    arabic = tree.Paragraph((T("بيان دولة فلسطين"),), lang="ar")
    inner = tree.ListBlock(False, ((arabic,), (arabic,)))
    outer = tree.ListBlock(False, ((inner,),))
    data = write_pdf(decided(sample_meta(), (outer,))).data
    assert all(x > A4[0] * 3 / 4 for x in bullet_positions(data))
    assert all(x > A4[0] * 3 / 4 for x in bullet_positions(data, "\u2013"))


def test_list_text_starts_after_the_widest_number() -> None:
    items = tuple((para(T(f"Item {n}")),) for n in range(1, 121))
    data = write_pdf(decided(sample_meta(), (tree.ListBlock(True, items),))).data
    starts: dict[str, float] = {}

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        starts.setdefault(text.strip(), cm[4] + tm[4])

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    register_pdf_fonts()
    number_end = starts["100."] + stringWidth("100.", SANS, 10)
    assert starts["Item 100"] > number_end
    assert starts["Item 1"] == starts["Item 100"]  # one indent for the whole list
