"""A paragraph's fragments made from markup tokens by reportlab's own handlers are the
fragments reportlab's parser makes of the same markup written out."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paraparser import ParaParser

from briefgen import tree
from briefgen.text.fonts import SANS, SANS_BOLD
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.reportlab_private import (
    MarkupStart,
    MarkupToken,
    cleaned_text,
    markup_fragments,
    textTransformFrags,
)
from briefgen.writers.pdf.text import markup, markup_text

LINK_COLOUR = "#1B3A6B"
STYLES = (
    ParagraphStyle("body", fontName=SANS, fontSize=10, leading=13),
    ParagraphStyle("heading", fontName=SANS_BOLD, fontSize=14, leading=17),
    ParagraphStyle("shouted", fontName=SANS, fontSize=9, leading=11, textTransform="uppercase"),
)

# Spaces of every kind, the characters markup escapes, a NUL, letters, and characters
# the text face lacks (set in fallback faces, inside <font> tags).
SPACES_AND_ESCAPED = [" ", "\n", "\t", "\xa0", "\u2009", "\u202f", "&", "<", ">", '"', "'", "\x00"]
LETTERS_AND_FALLBACKS = [*"abcXYZ.,;:-", "\u2713", "\u2200", "\u0394", "ü"]
TEXT = st.text(
    alphabet=st.sampled_from(SPACES_AND_ESCAPED + LETTERS_AND_FALLBACKS),
    max_size=12,
)


def _inlines() -> st.SearchStrategy[tuple[tree.Inline, ...]]:
    leaf = st.one_of(
        TEXT.map(tree.Text),
        st.just(tree.LineBreak()),
        TEXT.map(lambda text: tree.Deleted((tree.Text(text),))),
    )

    def nested(children: st.SearchStrategy[tree.Inline]) -> st.SearchStrategy[tree.Inline]:
        group = st.lists(children, min_size=1, max_size=3).map(tuple)
        return st.one_of(
            group.map(tree.Strong),
            group.map(tree.Emphasis),
            group.map(lambda c: tree.Link(c, "#annex")),
            group.map(lambda c: tree.Link(c, 'https://example.org/a?b=1&c="2"')),
            group.map(lambda c: tree.Link(c, "https://example.org/with space")),
            group.map(lambda c: tree.Link(c, "javascript:alert(1)")),  # shown as text
            group.map(tree.Isolate),
        )

    return st.lists(st.recursive(leaf, nested, max_leaves=8), max_size=5).map(tuple)


def _parsed(tokens: list[MarkupToken], style: ParagraphStyle) -> list[Any]:
    """What reportlab's parser makes of the markup written out (``Paragraph._setup``)."""
    _, fragments, _ = ParaParser().parse(cleaned_text(markup_text(tokens)), style)
    assert fragments is not None
    textTransformFrags(fragments, style)
    return fragments


def _comparable(fragments: list[Any]) -> list[dict[str, Any]]:
    return [
        {name: getattr(value, "hexval", lambda v=value: v)() for name, value in vars(f).items()}
        for f in fragments
    ]


@pytest.fixture(scope="module", autouse=True)
def _fonts() -> None:
    register_pdf_fonts()


@settings(max_examples=300, deadline=None)
@given(content=_inlines(), style=st.sampled_from(STYLES))
def test_fragments_made_by_the_handlers_are_the_parsers(
    content: tuple[tree.Inline, ...], style: ParagraphStyle
) -> None:
    tokens = markup(content, LINK_COLOUR, style.fontName)
    made = markup_fragments(tokens, style)
    if made is None:  # left to the parser: a NUL in the text, a space in an address
        assert "\x00" in markup_text(tokens) or any(
            isinstance(token, MarkupStart) and " " in dict(token.attributes).get("href", "")
            for token in tokens
        )
        return
    assert _comparable(made) == _comparable(_parsed(tokens, style))


def test_every_kind_of_token_is_made_as_the_parser_makes_it() -> None:
    content = (
        tree.Text('  Lead\tspace & <tags> "quoted"  '),
        tree.Strong((tree.Text("bold "), tree.Emphasis((tree.Text("both"),)))),
        tree.LineBreak(),
        tree.Link((tree.Text("a link"),), "https://example.org/?a=1&b=2"),
        tree.Text(" \u2713 check \n end  "),
    )
    style = STYLES[0]
    tokens = markup(content, LINK_COLOUR, style.fontName)
    tags = {token.tag for token in tokens if isinstance(token, MarkupStart)}
    assert tags == {"b", "i", "br", "a", "font"}
    made = markup_fragments(tokens, style)
    assert made is not None
    assert _comparable(made) == _comparable(_parsed(tokens, style))
    assert [f.text for f in made][:4] == ["Lead space ", "&", " ", "<"]
