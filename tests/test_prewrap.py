"""Lines broken ahead by a helper process: the same PDF, whatever the helper does."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import pickle
import time
import types
import weakref
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from briefgen import ahead, tree
from briefgen.text.fonts import SANS
from briefgen.writers import FORMATS
from briefgen.writers.pdf import prewrap, writer
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.glyphs import private_codes_made
from briefgen.writers.pdf.paragraph import PARAGRAPH_KINDS, paragraph
from briefgen.writers.pdf.reportlab_private import glyph_id
from briefgen.writers.pdf.styles import hyphenated, pdf_styles
from briefgen.writers.pdf.writer import write_pdf
from tests.test_pdf_writer import LOREM, T, cycles_left_by, heading, para, sample_document

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

ARABIC = "تؤكد المنظمات على ضرورة حماية المحكمة من العقوبات وضمان استقلالها الكامل"


def _paragraphs(count: int) -> list[tree.Block]:
    """Paragraphs of every kind the helper breaks: plain, hyphenated long words, bold,
    italic, links, line breaks, right-to-left and mixed, with headings between."""
    shapes: list[tuple[tree.Inline, ...]] = [
        (T(LOREM * 3),),
        (
            T(
                "Intergovernmental accountability and extraordinarily comprehensive reparations. "
                * 5
            ),
        ),
        (T("See "), tree.Link((T("the annex"),), "#annex"), T(" and "), tree.Strong((T(LOREM),))),
        (tree.Emphasis((T(LOREM * 2),)), tree.LineBreak(), T("After a break. " * 8)),
        (T(ARABIC * 3),),
        (T("The coalition said: "), T(ARABIC), T(" and more. " * 10)),
        (T("https://www.example.org/a/very/long/address/that/breaks/at/slashes " * 4),),
    ]
    blocks: list[tree.Block] = []
    for number in range(count):
        if number % 40 == 0:
            blocks.append(heading(2, f"Part {number // 40}", f"part-{number}"))
        blocks.append(para(*shapes[number % len(shapes)]))
    blocks.append(heading(2, "Annex", "annex"))
    return blocks


def _document() -> tree.Document:
    sample = sample_document()
    return dataclasses.replace(sample, blocks=(*sample.blocks, *_paragraphs(320)))


@pytest.fixture(scope="module")
def document() -> tree.Document:
    return _document()


def _alone(document: tree.Document, monkeypatch: pytest.MonkeyPatch) -> bytes:
    with monkeypatch.context() as patched:
        patched.setattr(prewrap, "MIN_PARAGRAPHS", 10**9)
        return write_pdf(document).data


@pytest.fixture
def helper_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper does all its work before the layout starts. In a build the layout
    never waits, and how many paragraphs take the helper's lines depends on which
    process is faster; here it does not."""
    start = ahead._start

    def finished_first(count: int, work: Any, first: int) -> ahead.WorkedAhead[Any] | None:
        helper = start(count, work, first)
        while helper is not None and helper._connection is not None:  # until its EOF
            if not helper._receive(0):
                time.sleep(0.001)
        return helper

    monkeypatch.setattr(ahead, "_start", finished_first)


def test_the_pdf_is_the_same_with_the_lines_broken_ahead(
    document: tree.Document,
    helpers: list[int],
    helper_first: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alone = _alone(document, monkeypatch)
    assert not helpers
    with_helper = write_pdf(document).data
    (installed,) = helpers
    assert installed > 250  # nearly every top-level paragraph took the helper's lines
    assert with_helper == alone


def test_a_helper_that_fails_or_sends_nonsense_changes_nothing(
    document: tree.Document, helpers: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = _alone(document, monkeypatch)

    def nonsense(count: int, work: object, first: int, sender: Connection) -> None:
        sender.send_bytes(b"not a pickle")

    def failing(count: int, work: object, first: int, sender: Connection) -> None:
        raise RuntimeError("the helper broke")

    for helper in (nonsense, failing):
        monkeypatch.setattr(ahead, "_work", helper)
        assert write_pdf(document).data == alone
    assert helpers == [0, 0]


def test_the_helper_is_reaped(document: tree.Document, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    start = ahead._start

    def recording(count: int, work: Any, first: int) -> ahead.WorkedAhead[Any] | None:
        helper = start(count, work, first)
        assert helper is not None
        started.append(helper._pid)
        return helper

    monkeypatch.setattr(ahead, "_start", recording)
    write_pdf(document)
    (pid,) = started
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # not a child any more: ended and reaped


def _drawn(flowable: Flowable) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    flowable.drawOn(canvas, 72, 72)
    canvas.bookmarkPage("annex")  # where the internal link leads
    canvas.save()
    return out.getvalue()


def test_a_paragraph_given_the_helpers_lines_is_drawn_as_one_broken_here() -> None:
    register_pdf_fonts()
    style = hyphenated(pdf_styles(sample_document().look).role("body"), "en")
    blocks = [block for block in _paragraphs(14) if isinstance(block, tree.Paragraph)]
    kinds = set()
    for block in blocks:
        here, early, fresh = (paragraph(block.content, style, "ltr", "#1B3A6B") for _ in range(3))
        assert isinstance(here, PARAGRAPH_KINDS)
        kinds.add(type(here))
        size = here.wrap(400.0, 10_000)
        state = prewrap._wrapped_state([early], 400.0, private_codes_made(), 0)
        assert state is not None
        fresh.__dict__.update(pickle.loads(pickle.dumps(state)))  # as the helper sends it
        assert fresh.wrap(400.0, 10_000) == size
        assert _drawn(fresh) == _drawn(here)
    assert kinds == set(PARAGRAPH_KINDS)


def test_a_build_with_a_helper_leaves_no_reference_cycles(
    document: tree.Document, helpers: list[int], helper_first: None
) -> None:
    assert cycles_left_by(lambda: write_pdf(document)) == 0
    assert helpers and helpers[0] > 0


def test_no_helper_where_every_core_builds_a_pack(
    document: tree.Document, helpers: list[int]
) -> None:
    """A folder of inputs builds a pack per core: the PDF writer is told not to fork."""
    assert FORMATS["pdf"].find_options([], second_core=False) == {"helpers": False}
    assert "helpers" not in FORMATS["docx"].find_options([], second_core=False)
    assert FORMATS["pdf"].find_options([]) == {}
    write_pdf(document, helpers=False)
    assert not helpers


def test_a_drawn_paragraph_is_freed_before_the_layout_ends(
    document: tree.Document,
    helpers: list[int],
    helper_first: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Breaking lines ahead keeps no paragraph alive: a long pack's drawn pages free
    their paragraphs as the layout goes (memory, and each collection's work)."""
    alive: list[int] = []
    breaking_ahead = prewrap.breaking_ahead

    @contextlib.contextmanager
    def watching(
        flowables: list[Flowable], width: float, kinds: tuple[type, ...]
    ) -> Iterator[prewrap.BrokenAhead | None]:
        paragraphs = [weakref.ref(f) for f in flowables if isinstance(f, kinds)]
        with breaking_ahead(flowables, width, kinds) as helper:
            yield helper
            alive.append(sum(paragraph() is not None for paragraph in paragraphs))
        alive.append(len(paragraphs))

    monkeypatch.setattr(writer, "breaking_ahead", watching)
    write_pdf(document)
    left, count = alive
    assert helpers[0] > 0 and count > 300
    assert left < count // 10


def test_lines_that_needed_a_glyph_code_of_the_helpers_own_are_left_to_the_layout() -> None:
    """A glyph code made in the helper (reshaping a word cut by hyphenation can make
    one) has a number the layout does not know: that paragraph's lines, and every later
    one's, are broken by the layout."""
    register_pdf_fonts()
    style = hyphenated(pdf_styles(sample_document().look).role("body"), "en")
    blocks = [block for block in _paragraphs(6) if isinstance(block, tree.Paragraph)][:3]
    paragraphs = [paragraph(block.content, style, "ltr", "#1B3A6B") for block in blocks]
    codes = private_codes_made()
    assert prewrap._wrapped_state(paragraphs, 400.0, codes, 0) is not None
    font = pdfmetrics.getFont(SANS)
    wrap = type(paragraphs[1]).wrap

    def making_a_code(self: Flowable, width: float, height: float) -> tuple[float, float]:
        font.glyph_codes.code(glyph_id(font, "A"), "a text no glyph showed before", None)
        return wrap(self, width, height)

    paragraphs[1].wrap = types.MethodType(making_a_code, paragraphs[1])
    assert prewrap._wrapped_state(paragraphs, 400.0, codes, 1) is None
    assert prewrap._wrapped_state(paragraphs, 400.0, codes, 2) is None
