"""Canaries for the libraries' private internals that briefgen relies on.

Every private hook of reportlab lives in ``briefgen/writers/pdf/reportlab_private.py``
and every one of python-docx in ``briefgen/writers/docx/docx_private.py``. Each test
here exercises one hook directly; when a library release changes what a hook relies
on, the test fails with a message naming the hook, before any pack comes out wrong.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Frame,
    FrameBreak,
    Indenter,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
)

from briefgen.text.fonts import ARABIC, EMOJI, SANS, font_path
from briefgen.writers.docx import docx_private as dx
from briefgen.writers.pdf import reportlab_private as rl
from briefgen.writers.pdf.fonts import register_pdf_fonts


@contextmanager
def hook(library: str, name: str, module: str) -> Iterator[None]:
    """Turn any failure inside the block into one naming the library's hook."""
    try:
        yield
    except Exception as error:
        pytest.fail(
            f"{library} changed under briefgen: the private hook {name} "
            f"({module}) no longer works: {type(error).__name__}: {error}",
            pytrace=False,
        )


def reportlab_hook(name: str) -> AbstractContextManager[None]:
    return hook("reportlab", name, "briefgen/writers/pdf/reportlab_private.py")


STYLE = ParagraphStyle("canary", fontName=SANS, fontSize=10, leading=12, spaceAfter=7)
LONG_TEXT = " ".join(f"word{i}" for i in range(400))


def canvas() -> Canvas:
    register_pdf_fonts()
    return Canvas(io.BytesIO(), invariant=1)


def empty_frame() -> Frame:
    return Frame(0, 0, 200, 300, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


# --- reportlab ------------------------------------------------------------------------


def test_reportlab_frame_space_and_frame_at_top() -> None:
    with reportlab_hook("frame_space / frame_at_top (Frame._y, _y1p, _oASpace, ...)"):
        frame, canv = empty_frame(), canvas()
        assert rl.frame_at_top(frame)
        start = rl.frame_space(frame)
        assert (start.room, start.previous, start.width) == (300, 0, 200)
        paragraph = Paragraph("Hello", STYLE)
        assert frame.add(paragraph, canv)
        after = rl.frame_space(frame)
        assert not rl.frame_at_top(frame)
        assert after.room == 300 - paragraph.height - STYLE.spaceAfter
        assert after.previous == (STYLE.spaceAfter if after.overlap else 0)


def test_reportlab_stack_wraps_and_draws_its_flowables_as_a_frame_does() -> None:
    with reportlab_hook("Stack (flowables._Container.drawOn, flowables._listWrapOn)"):
        first, second = Paragraph("First", STYLE), Paragraph("Second", STYLE)
        stack = rl.Stack([first, second])
        canv = canvas()
        _, height = stack.wrapOn(canv, 200, 1000)
        assert height == first.height + STYLE.spaceAfter + second.height
        assert stack.content == [first, second]
        frame = empty_frame()
        assert frame.add(stack, canv)
        assert rl.frame_space(frame).room == 300 - height - STYLE.spaceAfter


def test_reportlab_fits_in_is_what_a_frame_places() -> None:
    with reportlab_hook("fits_in (rl_config._FUZZ, as Frame._add compares heights)"):
        for height, fits in ((300, True), (300 + 1e-12, True), (300.01, False)):
            frame = empty_frame()
            assert rl.fits_in(height, 300) is fits
            assert bool(frame.add(Spacer(10, height), canvas())) is fits


def test_reportlab_table_rows_and_heights_after_a_split() -> None:
    with reportlab_hook("table_rows / table_row_heights (Table._cellvalues, _argH)"):
        data = [[Paragraph(f"row {i}", STYLE)] for i in range(40)]
        table = Table(data, repeatRows=1)
        assert rl.table_rows(table) == data
        assert rl.table_row_heights(table) == [None] * 40
        first, rest = table.splitOn(canvas(), 200, 100)
        rows = rl.table_rows(rest)
        split_at = len(rl.table_rows(first))
        assert rows[0] is rl.table_rows(table)[0]  # the header, repeated
        assert rows[1] is rl.table_rows(table)[split_at]  # split between rows: the same rows
        heights = rl.table_row_heights(rest)
        assert len(heights) == len(rows)
        assert all(h is not None and h > STYLE.leading for h in heights)  # measured, kept


def test_reportlab_table_splits_a_row_at_the_width_it_lays_it_out_at() -> None:
    """A list in a padded cell, split across pages: reportlab's ``Table`` breaks its
    lines at the column's width less the list's indent, and again where it is drawn,
    the padding off too, at every page; ``InsetSplitTable`` only where it is drawn."""
    widths: list[float] = []

    class Counted(Paragraph):  # type: ignore[misc]
        def breakLines(self, width: Any) -> Any:
            widths.append(width[0] if isinstance(width, list) else width)
            return super().breakLines(width)

    register_pdf_fonts()
    with reportlab_hook("InsetSplitTable (Table._splitCell, _listCellGeom)"):
        items = ListFlowable([ListItem([Counted(LONG_TEXT, STYLE)])], leftIndent=20)
        table = rl.InsetSplitTable([[[items]]], colWidths=[300], splitInRow=1)
        table.setStyle([("LEFTPADDING", (0, 0), (0, 0), 30), ("RIGHTPADDING", (0, 0), (0, 0), 30)])
        table.wrapOn(canvas(), 300, 10_000)
        parts = table.splitOn(canvas(), 300, 100)
        assert len(parts) == 2
        for part in parts:
            part.wrapOn(canvas(), 300, 10_000)
        assert set(widths) == {300 - 30 - 30 - 20}


def test_reportlab_splitting_frame() -> None:
    seen: list[Frame | None] = []

    class Recording(KeepTogether):  # type: ignore[misc]
        def split(self, aW: float, aH: float) -> list[Flowable]:
            seen.append(rl.splitting_frame(self))
            return []

    with reportlab_hook("splitting_frame (Frame.split sets flowable._frame)"):
        frame = empty_frame()
        frame.split(Recording([Paragraph("a", STYLE)]), canvas())
        assert seen == [frame]


def test_reportlab_group_content_and_may_keep_together() -> None:
    with reportlab_hook("group_content (KeepTogether._content)"):
        parts = [Paragraph("a", STYLE), Paragraph("b", STYLE)]
        assert rl.group_content(KeepTogether(parts)) == parts
    with reportlab_hook("may_keep_together (doctemplate._ktAllow)"):
        assert rl.may_keep_together(Paragraph("a", STYLE))
        moving = Paragraph("a", STYLE)
        moving.locChanger = 1
        assert not rl.may_keep_together(moving)


def test_reportlab_zero_size_space_transfer_and_frame_actions() -> None:
    import inspect

    with reportlab_hook("ZeroSizeFlowable / is_zero_size / transfers_space (Frame._add)"):
        source = inspect.getsource(Frame)
        assert "_ZEROSIZE" in source and "_SPACETRANSFER" in source
        assert rl.is_zero_size(rl.ZeroSizeFlowable())
        assert not rl.is_zero_size(Paragraph("a", STYLE))
        assert not rl.transfers_space(Paragraph("a", STYLE))
    with reportlab_hook("is_frame_action (frameAction)"):
        assert rl.is_frame_action(Indenter(left=10))
        assert not rl.is_frame_action(FrameBreak())
        assert not rl.is_frame_action(Paragraph("a", STYLE))


def test_reportlab_doc_template_hooks() -> None:
    from reportlab.platypus import PageTemplate

    grouped: list[int] = []

    class Template(rl.DocTemplate):
        def keep_with_next(self, flowables: list[Flowable]) -> None:
            grouped.append(len(flowables))
            super().keep_with_next(flowables)

    with reportlab_hook("DocTemplate (_doSave, handle_keepWithNext, _nameSpace)"):
        out = io.BytesIO()
        register_pdf_fonts()
        template = Template(out, pageTemplates=[PageTemplate("p", [empty_frame()])])
        heading = Paragraph("Heading", ParagraphStyle("h", parent=STYLE, keepWithNext=1))
        template.build([heading, Paragraph("Text", STYLE)])
        assert grouped, "keep-with-next runs no longer reach handle_keepWithNext"
        assert out.getvalue() == b"", "build saved the file although _doSave is 0"
        assert vars(template).get("_nameSpace")
        template.release()
        assert not vars(template)["_nameSpace"]
        template.canv.save()
        assert out.getvalue().startswith(b"%PDF")


def test_reportlab_pin_file_id(monkeypatch: pytest.MonkeyPatch) -> None:
    def one_page() -> bytes:
        out = io.BytesIO()
        canv = Canvas(out, invariant=1)
        canv.setDateFormatter(lambda *_: "D:20000101000000+00'00'")
        canv.drawString(10, 10, "x")
        canv.showPage()
        rl.pin_file_id(canv)
        canv.save()
        return out.getvalue()

    with reportlab_hook("pin_file_id (canvas._doc.signature)"):
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        plain = one_page()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
        assert one_page() == plain


def test_reportlab_releasing_paragraph() -> None:
    with reportlab_hook("ReleasingParagraph (Paragraph.beginText, text object _do_line)"):
        canv = canvas()
        paragraph = rl.ReleasingParagraph('A <a href="https://example.org">link</a>.', STYLE)
        paragraph.wrap(200, 100)
        paragraph.drawOn(canv, 0, 0)
        assert paragraph._texts, "Paragraph no longer makes its text objects in beginText"
        assert all("_do_line" not in vars(text) for text in paragraph._texts)


def test_reportlab_broken_lines() -> None:
    register_pdf_fonts()  # the markup parser maps the style's face to its family
    with reportlab_hook("has_broken_lines / keep_first_lines / keep_rest_lines (blPara)"):
        whole = Paragraph(LONG_TEXT, STYLE)
        assert not rl.has_broken_lines(whole)
        _, height = whole.wrap(150, 10_000)
        assert rl.has_broken_lines(whole)
        first, rest = whole.split(150, height / 2)
        first_count = rl.keep_first_lines(whole, first)
        count = rl.keep_rest_lines(whole, first, rest)
        lines = round(height / STYLE.leading)
        assert 0 < count < lines and first_count + count == lines
        assert first.blPara.lines == whole.blPara.lines[:first_count]
        assert first.blPara.kind == rest.blPara.kind == whole.blPara.kind
        assert rest.wrap(150, 10_000)[1] == count * STYLE.leading
        poem = Paragraph("<br/>".join(f"line {i}" for i in range(20)), STYLE)
        _, height = poem.wrap(150, 10_000)
        first, rest = poem.split(150, height / 2)
        kept = rl.keep_first_lines(poem, first), rl.keep_rest_lines(poem, first, rest)
        assert sum(kept) == 20
        words = [line.words for line in poem.blPara.lines[kept[0] :]]
        assert [line.words for line in rest.blPara.lines] == words


def test_reportlab_plain_fragment() -> None:
    with reportlab_hook("cleaned_text / plain_fragment (cleanBlockQuotedText, ParaParser)"):
        text = "  Plain   text,\n over two lines "
        cleaned = rl.cleaned_text(text)
        assert cleaned == "Plain text, over two lines"
        parsed = Paragraph(text, STYLE).frags
        assert len(parsed) == 1
        assert vars(rl.plain_fragment(cleaned, STYLE)) == vars(parsed[0])


def test_reportlab_same_fragment_answers_as_the_accelerator() -> None:
    """``same_fragment`` stands in for ``rl_accel.sameFrag`` in ``breakLines``: the same
    answer for fragments alike, unlike in each name, a name one lacks, values equal but
    not the same object, and fragments that hold an image or a line break."""
    from reportlab.lib.colors import Color
    from reportlab.lib.rl_accel import sameFrag
    from reportlab.platypus import paragraph as reportlab_paragraph

    def fragment(**values: object) -> Any:
        made = rl.plain_fragment("text", STYLE)
        for name, value in values.items():
            setattr(made, name, value)
        return made

    grey, grey_again = Color(0.5, 0.5, 0.5), Color(0.5, 0.5, 0.5)
    variants: list[dict[str, object]] = [
        {},
        {"textColor": grey},
        {"textColor": grey_again},
        {"fontSize": 12},
        {"fontName": "Other"},
        {"rise": 2},
        {"link": ["https://example.org"]},
        {"link": ["https://example.org"], "backColor": grey},
        {"backColor": None},  # present, None: not the same as absent
        {"nobr": True},
        {"us_lines": [("underline", grey)]},
        {"cbDefn": object()},
        {"lineBreak": True},
    ]
    register_pdf_fonts()
    with reportlab_hook("same_fragment (rl_accel.sameFrag, paragraph.sameFrag)"):
        fragments = [fragment(**values) for values in variants]
        for first in fragments:
            for second in fragments:
                assert rl.same_fragment(first, second) == bool(sameFrag(first, second))
        before = reportlab_paragraph.sameFrag
        with rl.fragments_compared_in_python():
            assert reportlab_paragraph.sameFrag is rl.same_fragment
        assert reportlab_paragraph.sameFrag is before


def test_reportlab_font_hooks() -> None:
    register_pdf_fonts()
    with reportlab_hook("glyph_widths (TTFont.face.charWidths, defaultWidth)"):
        font = pdfmetrics.getFont(SANS)
        get, default = rl.glyph_widths(font)
        assert get(ord("A"), default) == TTFont.stringWidth(font, "A", 1000) > 0
    with reportlab_hook("face_code_points (TTFontFile.charToGlyph)"):
        assert ord("A") in set(rl.face_code_points(TTFontFace(str(font_path(SANS)))))
    with reportlab_hook("give_unmapped_glyphs_private_codes (hbFont, hbAddPrivate)"):
        arabic = TTFont("CanaryArabic", str(font_path(ARABIC)))
        rl.give_unmapped_glyphs_private_codes(arabic)
        assert set(range(1, arabic.face.numGlyphs)) <= set(arabic.face.glyphToChar)
    with reportlab_hook("shape (ttfonts.shapeFragWord, ABag, __shapeData__)"):
        shaped, width = rl.shape("مرحبا", ARABIC, 10)
        assert shaped and shaped != "مرحبا"
        assert width is not None and width > 0


def test_reportlab_emboldening_hooks() -> None:
    """A second font of one file under a face of its own name, and a text object that
    strokes it and puts the canvas's stroke back."""
    with reportlab_hook("renamed_face (registerFont's _dynFaceNames, subsets named by face)"):
        face = TTFontFace(str(font_path(EMOJI)))
        renamed = rl.renamed_face(face, b",Canary")
        assert renamed.name == face.name + b",Canary" and renamed.glyphPos is face.glyphPos
        assert (
            renamed.charToGlyph == face.charToGlyph and renamed.charToGlyph is not face.charToGlyph
        )
        assert renamed.charWidths is not face.charWidths
        font = TTFont("CanaryEmboldened", str(font_path(EMOJI)))
        font.face = renamed
        font.stroke = 0.05
        pdfmetrics.registerFont(font)
        assert pdfmetrics.getFont("CanaryEmboldened") is font
    with reportlab_hook("EmboldeningText (setFont, _setFont, setFillColor, getCode)"):
        canvas = rl.EmboldeningCanvas(io.BytesIO())
        canvas.setStrokeColorRGB(0.5, 0.5, 0.5)
        canvas.setLineWidth(0.7)
        text = canvas.beginText(0, 0)
        text.setFillColorRGB(1, 0, 0)
        text._setFont("CanaryEmboldened", 10)
        text.textOut("\u2713")
        code = text.getCode()
        assert "2 Tr 1 0 0 RG .5 w" in code
        assert code.endswith("0 Tr .5 .5 .5 RG .7 w ET")


def test_reportlab_glyph_hooks() -> None:
    register_pdf_fonts()
    shaped, _ = rl.shape("مرحبا", ARABIC, 10)
    with reportlab_hook("shaped_glyphs, shaped_string (ShapedStr, ShapeData)"):
        glyphs = rl.shaped_glyphs(shaped)
        assert len(glyphs) == len(shaped) and {g.cluster for g in glyphs} <= set(range(5))
        again = rl.shaped_string(glyphs)
        assert again == shaped and rl.shaped_glyphs(again) == glyphs
    with reportlab_hook("glyph_id, add_glyph_code (face.charToGlyph, charWidths, glyphToChar)"):
        font = TTFont("CanaryCodes", str(font_path(ARABIC)))
        gid = rl.glyph_id(font, "\u0644")
        assert gid is not None and rl.glyph_id(font, "\U000f0000") is None
        rl.add_glyph_code(font, 0xF0000, gid)
        assert rl.glyph_id(font, "\U000f0000") == gid
        assert font.face.charWidths[0xF0000] == font.face.charWidths[0x0644]
    with reportlab_hook("write_font_with_texts (addObjects, idToObject, SUBSETN)"):
        pdf = io.BytesIO()
        page = Canvas(pdf, invariant=1)
        page.setFont(SANS, 10)
        page.drawString(10, 10, "A")
        font = pdfmetrics.getFont(SANS)
        written: list[tuple[str, list[int]]] = []

        def cmap(name: str, codes: list[int]) -> str:
            written.append((name, codes))
            return "canary cmap"

        doc = page._doc  # the canvas's PDFDocument, as reportlab hands it to addObjects
        rl.write_font_with_texts(font, doc, cmap)
        assert written and ord("A") in written[0][1]
        assert doc.idToObject["toUnicodeCMap:" + written[0][0]].content == "canary cmap"
    with reportlab_hook("show_shaped (PDFTextObject._formatText, setRise, TTFont.state)"):
        shown = []
        for write in (lambda text, s: text.textOut(s), rl.show_shaped):
            text = Canvas(io.BytesIO(), invariant=1).beginText(0, 0)
            for _ in range(2):  # written, then written again from what was kept
                text.setFont(ARABIC, 10)
                write(text, rl.shaped_string(rl.shaped_glyphs(shaped)))
            shown.append((text._code, text._x, text._rise, text._curSubset))
        assert shown[0] == shown[1]


class _Document:
    """Stands for a PDF document: reportlab's font state is weakly keyed by one."""


def test_reportlab_split_string_matches_reportlab() -> None:
    """The fast path gives reportlab's own result, whether the codes are known or not."""
    texts = [
        "Hello, world",
        "Hello\u00a0world",  # reportlab draws a no-break space as the space
        "Ωμέγα and Ярослав",
        "é" * 3 + "".join(map(chr, range(0x100, 0x220))),  # more than one subset
        "Hello, world",
        "Ωμέγα and Ярослав",
        "\u0378 unmapped",  # no glyph: reportlab's notdef code
        "",
    ]
    with reportlab_hook("split_string (TTFont.state, State.assignments)"):
        ours, theirs = (
            TTFont("CanaryFast", str(font_path(SANS))),
            TTFont("CanaryReportlab", str(font_path(SANS))),
        )
        doc_ours, doc_theirs = _Document(), _Document()  # reportlab keeps state per document
        for text in texts:
            expected = theirs.splitString(text, doc_theirs)
            assert rl.split_string(ours, text, doc_ours) == expected, text
        assert ours.state[doc_ours].assignments == theirs.state[doc_theirs].assignments


def test_reportlab_tagging_hooks_in_a_paragraph() -> None:
    edges: list[tuple[int, str, str]] = []

    class Watched(rl.ReleasingParagraph):
        def beginText(self, x: float, y: float) -> Any:
            text = super().beginText(x, y)

            def edge(link: tuple[int, str], kind: str) -> None:
                edges.append((link[0], kind, rl.text_code(text)[-1]))

            rl.watch_link_edges(text, edge)
            rl.mark_line_ends(text, ["space"], lambda font: "-", spaces=True)
            return text

    with reportlab_hook(
        "watch_link_edges / text_code / mark_line_ends (_linkRecord, _code, _textOut)"
    ):
        canv = canvas()
        code = rl.page_code(canv)
        before = len(code)
        words = " ".join(["word"] * 30)
        paragraph = Watched(f'{words} <a href="https://example.org">the link</a> after', STYLE)
        paragraph.wrap(200, 1000)
        paragraph.drawOn(canv, 0, 0)
        assert [(n, kind) for n, kind, _ in edges][:2] == [(0, "start"), (0, "end")]
        assert "Tj" in edges[0][2], "the start of a link no longer follows its first text"
        drawn = "\n".join(code[before:])
        assert drawn.count("BT") == 1 and drawn.count(" ) Tj T*") == 1, drawn
        assert all(not {"_linkRecord", "_textOut"} & set(vars(t)) for t in paragraph._texts)


def test_reportlab_tagging_hooks_in_the_document(tmp_path: Path) -> None:
    from pypdf import PdfReader

    with reportlab_hook(
        "add_annotation / destination / register / page_reference / pages / catalog / "
        "set_entries / producer / raise_pdf_version / PlainStream / RawObject / object_number / "
        "pdf_string "
        "(Canvas._addAnnotation, _bookmarkReference, PDFDocument.Reference, Pages.pages, "
        "Catalog, __NoDefault__, PDFObject.format)"
    ):
        out = io.BytesIO()
        canv = Canvas(out, invariant=1)
        annotation = PDFDictionary(
            {"Type": PDFName("Annot"), "Subtype": PDFName("Link"), "Rect": "[0 0 10 10]"}
        )
        annotation["Dest"] = rl.destination(canv, "there")
        reference = rl.add_annotation(canv, annotation, "Canary")
        canv.bookmarkHorizontal("there", 0, 100)
        canv.showPage()
        (page,) = rl.pages(canv)
        rl.set_entries(page, Tabs=PDFName("S"), StructParents=0)
        plain = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")})
        rl.set_entries(rl.catalog(canv), Metadata=rl.PlainStream(plain, b"<x/>"))
        raw = rl.RawObject()
        rl.register(canv, raw, "Canary")
        page_number = rl.object_number(canv, rl.page_reference(1).name)
        raw.data = b"<< /Canary %d 0 R /Text " % page_number + rl.pdf_string(canv, "é€") + b" >>"
        rl.raise_pdf_version(canv, (1, 7))
        assert rl.producer(canv)
        canv.save()
        data = out.getvalue()
        assert data.startswith(b"%PDF-1.7")
        reader = PdfReader(io.BytesIO(data))
        page = reader.pages[0]
        assert page["/Tabs"] == "/S" and page["/StructParents"] == 0
        assert (
            page["/Annots"][0].idnum
            == reader.get_object(page["/Annots"][0]).indirect_reference.idnum
        )
        assert "/Dest" in page["/Annots"][0].get_object()
        metadata = reader.trailer["/Root"]["/Metadata"].get_object()
        assert "/Filter" not in metadata and metadata.get_data() == b"<x/>"
        assert reference.name.endswith("Canary")
        found = re.search(rb"<< /Canary (\d+) 0 R /Text (<[0-9A-Fa-f]+>|\([^)]*\)) >>", data)
        assert found and int(found[1]) == page.indirect_reference.idnum, "RawObject or numbers"


@pytest.mark.parametrize(
    ("href", "contents", "rect"),
    [
        ("#there", "Key messages", [68.0315, 723.189, 527.2441, 737.189]),
        ("https://example.org/a?b=(c)&d", "مرحبا (\\) é", [0, 0.5, 1e-05, 12345.678901]),
    ],
)
def test_reportlab_link_annotation_is_written_as_its_dictionary(
    href: str, contents: str, rect: list[float]
) -> None:
    """``LinkAnnotation`` writes the bytes reportlab writes for the same dictionary."""
    with reportlab_hook("LinkAnnotation (PDFDictionary.format, PDFArray.format)"):
        canv = Canvas(io.BytesIO(), invariant=1)
        if href.startswith("#"):
            target: Any = rl.destination(canv, href[1:])
            canv.bookmarkHorizontal(href[1:], 0, 100)
            last: dict[str, Any] = {"Dest": target}
        else:
            target = href
            last = {"A": PDFDictionary({"S": PDFName("URI"), "URI": PDFString(href)})}
        dictionary = PDFDictionary(
            {
                "Type": PDFName("Annot"),
                "Subtype": PDFName("Link"),
                "Rect": PDFArray(rect),
                "Border": PDFArray([0, 0, 0]),
                "F": 4,
                "Contents": PDFString(contents),
                "StructParent": 7,
                **last,
            }
        )
        canv.showPage()
        written = rl.LinkAnnotation(rect, contents, target, 7).format(canv._doc)
        assert written == dictionary.format(canv._doc)


def test_reportlab_labelled_list_flowable() -> None:
    labels: list[tuple[int, str]] = []

    def label(canv: Canvas, index: int, text: str, draw: Any) -> None:
        labels.append((index, text))
        draw()

    with reportlab_hook("LabelledListFlowable (ListFlowable._getContent, LIIndenter._bullet)"):
        from reportlab.platypus import ListItem

        items = [ListItem([Paragraph(f"Item {i}", STYLE)]) for i in range(3)]
        listed = rl.LabelledListFlowable(items, label, bulletType="1", bulletFormat=".%s")
        frame, canv = empty_frame(), canvas()
        assert frame.add(listed, canv)
        assert labels == [(0, ".1"), (1, ".2"), (2, ".3")]


# --- python-docx ----------------------------------------------------------------------


def docx_hook(name: str) -> AbstractContextManager[None]:
    return hook("python-docx", name, "briefgen/writers/docx/docx_private.py")


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_docx_names_and_xpath() -> None:
    with docx_hook("tag / namespace (docx.oxml.ns.qn, nsmap)"):
        assert dx.tag("w:p") == f"{{{W}}}p"
        assert dx.namespace("w") == W
        assert dx.namespace("pic") == "http://schemas.openxmlformats.org/drawingml/2006/picture"
    with docx_hook("body / xpath (CT_Document.body, BaseOxmlElement.xpath)"):
        body = dx.body(docx.Document())
        assert body.tag == dx.tag("w:body")
        assert len(dx.xpath(body, "./w:sectPr")) == 1


def test_docx_numbering() -> None:
    with docx_hook("numbering (DocumentPart.numbering_part)"):
        numbering = dx.numbering(docx.Document())
        assert numbering.tag == dx.tag("w:numbering")
        assert isinstance(dx.xpath(numbering, "./w:num/@w:numId"), list)


def test_docx_styles() -> None:
    with docx_hook(
        "style_name / style_id / set_style_id / set_based_on / style_with_id (CT_Style)"
    ):
        styles = docx.Document().styles.element
        normal = dx.style_with_id(styles, "Normal")
        assert normal is not None and dx.style_name(normal) == "Normal"
        assert dx.style_id(normal) == "Normal"
        assert dx.style_with_id(styles, "NoSuchStyle") is None
        added = docx.Document().styles.add_style("Canary", WD_STYLE_TYPE.PARAGRAPH).element
        dx.set_style_id(added, "CanaryId")
        assert added.get(dx.tag("w:styleId")) == "CanaryId"
        dx.set_based_on(added, "Normal")
        assert dx.xpath(added, "./w:basedOn/@w:val") == ["Normal"]
    with docx_hook("run_properties / paragraph_properties (get_or_add_rPr, get_or_add_pPr)"):
        assert dx.run_properties(normal).tag == dx.tag("w:rPr")
        assert dx.paragraph_properties(normal).tag == dx.tag("w:pPr")
        assert dx.run_properties(normal) is dx.run_properties(normal)


def test_docx_relationships_and_package() -> None:
    with docx_hook("drop_*_relationships / package_entries (rels, PackageWriter._write_*)"):
        document = docx.Document()
        before = dx.package_entries(document)
        assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(before)
        assert "docProps/thumbnail.jpeg" in before and "word/stylesWithEffects.xml" in before
        dx.drop_package_relationships(document, dx.THUMBNAIL)
        dx.drop_document_relationships(
            document, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
        )
        after = dx.package_entries(document)
        assert "docProps/thumbnail.jpeg" not in after
        assert "word/stylesWithEffects.xml" not in after
        assert all(isinstance(data, bytes) for data in after.values())
    with docx_hook("add_hyperlink (Relationships.add_relationship)"):
        dx.add_hyperlink(document, "https://example.org/canary", "rIdCanary")
        rels = dx.package_entries(document)["word/_rels/document.xml.rels"].decode()
        assert 'Id="rIdCanary"' in rels and 'Target="https://example.org/canary"' in rels
        assert 'TargetMode="External"' in rels


def test_docx_pictures(tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "square.png"
    Image.new("RGB", (20, 20), "white").save(image)
    with docx_hook("new_picture (new_pic_inline)"):
        document = docx.Document()
        inline = dx.new_picture(document, image, width=Pt(72))
        assert inline.tag == dx.tag("wp:inline")
        assert inline.extent.cy == Pt(72)
        inline = dx.new_picture(document, image, width=Pt(72), height=Pt(36))
        assert (inline.extent.cx, inline.extent.cy) == (Pt(72), Pt(36))
    with docx_hook("describe_picture / decorate_picture (CT_Inline.docPr)"):
        dx.describe_picture(inline, "A square")
        assert inline.docPr.get("descr") == "A square"
        dx.decorate_picture(inline, "{EXT}", "urn:example:decorative")
        assert inline.docPr.xpath("./a:extLst/a:ext/@uri") == ["{EXT}"]


def test_docx_headers_and_footers() -> None:
    with docx_hook("Story / story_root (docx.section._Header, _Footer, story.part)"):
        section = docx.Document().sections[0]
        assert isinstance(section.header, dx.Story) and isinstance(section.footer, dx.Story)
        root = dx.story_root(section.header)
        assert root.tag == dx.tag("w:hdr")
        assert dx.story_root(section.header) is root
        assert dx.story_root(section.footer).tag == dx.tag("w:ftr")


def test_reportlab_line_ends_of_a_hyphenated_paragraph_of_fragments() -> None:
    """Lines of several fragments (bold, links) end where reportlab hyphenated them: the
    word before the next line's first (``FragLine.sFW`` into the broken ``frags``) is a
    ``_SplitFragHY``; a part split off keeps its lines' ``sFW`` and its last word."""
    register_pdf_fonts()
    style = ParagraphStyle("body", fontName=SANS, fontSize=10, leading=12, hyphenationLang="en_GB")
    words = "intergovernmental accountability extraordinarily institutional " * 8
    text = f"<b>Emphasis</b> {words}"
    with reportlab_hook(
        "line_ends / mark_fragment_hyphens (blPara.kind 1, FragLine, _SplitFragHY, _SplitFragLL)"
    ):
        paragraph = Paragraph(text, style)
        paragraph.wrap(110, 10_000)
        ends = rl.line_ends(paragraph)
        shown = [
            "".join(fragment.text for fragment in line.words).rstrip()
            for line in paragraph.blPara.lines
        ]
        assert len(ends) == len(shown) and "soft-hyphen" in ends
        for end, line in zip(ends[:-1], shown[:-1], strict=True):
            assert (end == "soft-hyphen") == line.endswith("-"), (end, line)
        rl.mark_fragment_hyphens(paragraph, ends, lambda font: "~")
        marked = [
            "".join(fragment.text for fragment in line.words).rstrip()
            for line in paragraph.blPara.lines
        ]
        assert [line.endswith("~") for line in marked] == [end == "soft-hyphen" for end in ends]
        hyphenated = next(i for i, end in enumerate(ends) if end == "soft-hyphen" and i)
        first, rest = paragraph.split(110, (hyphenated + 1) * style.leading)
        first.wrap(110, 10_000)
        assert rl.line_ends(first)[-1] == "soft-hyphen"  # a _SplitFragLL now
        rest.wrap(110, 10_000)
        assert rl.line_ends(rest)[: len(ends) - hyphenated - 2] == ends[hyphenated + 1 : -1]


def test_reportlab_line_ends_at_soft_hyphens_typed() -> None:
    """A word split at a soft hyphen typed in it ends its line with a ``_SHYStr`` to
    which reportlab added a hyphen."""
    register_pdf_fonts()
    word = "\u00ad".join(["extra", "ordi", "narily", "long", "com", "pound", "word"])
    with reportlab_hook("line_ends (_SHYStr, __shysplit__)"):
        paragraph = rl.ReleasingParagraph(f"{word} {word} {word}", STYLE)
        paragraph.wrap(90, 10_000)
        ends = rl.line_ends(paragraph)
        assert "soft-hyphen" in ends[:-1]
        for end, (_, words) in zip(ends, paragraph.blPara.lines, strict=True):
            assert (end == "soft-hyphen") == str(words[-1]).endswith("-")


@pytest.mark.parametrize("face", [SANS, EMOJI])  # 1,000 and 2,048 units per em
def test_reportlab_face_made_again_from_its_metrics(face: str) -> None:
    path = str(font_path(face))
    parsed = TTFontFace(path)
    with reportlab_hook("face_metrics, face_from_metrics (TTFontFace's attributes)"):
        metrics = rl.face_metrics(parsed)
        assert "_ttf_data" not in metrics and "charToGlyph" in metrics
        made = rl.face_from_metrics(metrics, Path(path).read_bytes(), path)
        scale_made, scale_parsed = made.__dict__.pop("_pdfScale"), vars(parsed).pop("_pdfScale")
        assert vars(made) == vars(parsed)
        assert [scale_made(v) for v in (0, 1, 333, 2048, -7.5)] == [
            scale_parsed(v) for v in (0, 1, 333, 2048, -7.5)
        ]
        subset = list(range(32, 127))
        assert made.makeSubset(subset) == parsed.makeSubset(subset)
    with reportlab_hook("font_with_face (TTFont.__init__)"):
        font = TTFont.__new__(TTFont)
        rl.font_with_face(font, "Canary", made)
        reference = TTFont("Canary", path)
        assert set(vars(font)) == set(vars(reference))
        for name in ("fontName", "_asciiReadable", "shapable"):
            assert getattr(font, name) == getattr(reference, name)
        assert font.face is made and not font.state


def test_reportlab_markup_handlers() -> None:
    register_pdf_fonts()
    tokens: list[rl.MarkupToken] = [
        "A & ",
        rl.MarkupStart("b"),
        "bold",
        rl.MarkupEnd("b"),
        rl.MarkupStart("br"),
        rl.MarkupStart("a", (("href", "#x"), ("color", "#1B3A6B"))),
        "link",
        rl.MarkupEnd("a"),
    ]
    with reportlab_hook("markup_fragments (ParaParser's start_/end_ handlers, handle_data)"):
        made = rl.markup_fragments(tokens, STYLE)
        assert made is not None
        parsed = Paragraph('A &amp; <b>bold</b><br/><a href="#x" color="#1B3A6B">link</a>', STYLE)
        assert [(f.text, f.fontName, f.link) for f in made] == [
            (f.text, f.fontName, f.link) for f in parsed.frags
        ]
