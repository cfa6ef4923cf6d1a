"""The Markdown stage: its anchor lines, and shortcuts that give exactly what markdown-it gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from mdit_py_plugins.attrs import attrs_block_plugin

from briefgen import tree
from briefgen.compose.markdown import (
    FIELD_PARSER,
    LINK_KEPT_AS_IS,
    TEMPLATE_PARSER,
    BlockBuilder,
    field_blocks,
    normalize_link,
)


@settings(max_examples=2000)
@given(st.from_regex(LINK_KEPT_AS_IS, fullmatch=True))
def test_links_kept_as_is_are_those_markdown_it_leaves_unchanged(url: str) -> None:
    assert normalizeLink(url) == url
    assert normalize_link(url) == url


@given(st.text(alphabet=st.sampled_from("hts:/#%[]() aé界AZ.-09?&=@\\\t"), max_size=40))
def test_other_links_are_normalised_by_markdown_it(url: str) -> None:
    assert normalize_link(url) == normalizeLink(url)


def test_links_needing_encoding_are_still_encoded() -> None:
    assert normalize_link("https://example.org/a b%") == "https://example.org/a%20b%25"
    assert normalize_link("https://bücher.example/ä") == "https://xn--bcher-kva.example/%C3%A4"


def test_a_host_too_long_for_markdown_it_is_left_to_it() -> None:
    url = "https://" + ("a" * 60 + ".") * 5 + "org/x"  # a 309-character host
    assert normalize_link(url) == normalizeLink(url)


def template_blocks(source: str) -> tuple[tree.Block, ...]:
    return BlockBuilder().parse(TEMPLATE_PARSER, source)


def test_an_anchor_line_names_the_heading_after_it() -> None:
    blocks = template_blocks("{#first}\n# One\n\n# Two\n\n{#third-3}   \n\n## Three\n")
    assert [(b.level, b.anchor) for b in blocks if isinstance(b, tree.Heading)] == [
        (1, "first"),
        (1, ""),
        (2, "third-3"),
    ]


def test_an_anchor_line_before_a_paragraph_is_dropped_and_does_not_carry_over() -> None:
    blocks = template_blocks("{#lost}\n\nText.\n\n# Heading\n")
    assert blocks == (
        tree.Paragraph((tree.Text("Text."),)),
        tree.Heading(1, (tree.Text("Heading"),), ""),
    )


@pytest.mark.parametrize(
    "source", ["    {#code}", "{#two words}", "{#a} trailing", "text {#a}", "\\{#escaped\\}"]
)
def test_other_lines_with_braces_stay_text(source: str) -> None:
    blocks = template_blocks(source + "\n")
    assert [tree.plain_text(b.content) for b in blocks if isinstance(b, tree.Paragraph)] != []
    assert not any(isinstance(b, tree.Heading) for b in blocks)


def plugin_reading(line: str) -> tuple[str, int]:
    """(heading id, paragraphs before it) for ``line`` then a heading, per the attrs plugin."""
    tokens = MarkdownIt("commonmark").use(attrs_block_plugin).parse(line + "\n# H\n")
    heading = next(t for t in tokens if t.type == "heading_open")
    return str(heading.attrs.get("id", "")), sum(t.type == "paragraph_open" for t in tokens)


def our_reading(line: str) -> tuple[str, int]:
    blocks = template_blocks(line + "\n# H\n")
    heading = next(b for b in blocks if isinstance(b, tree.Heading))
    return heading.anchor, sum(isinstance(b, tree.Paragraph) for b in blocks)


ATTRIBUTE_LINES = [
    "{#a}", "{#a}  ", "   {#a}", "{#été-1_x:y}", "{#a .cls}", "{.cls}", "{}", "{#}",
    '{#a title="x y"}', "{#a key=val}", "{ #a }", "{#a}{#b}", "{#a} trailing}", "{#a}}",
    "{#a % comment %}", "{#a.b}", "{#a#b}", '{#a"b}', "{#a<b>}", "{#a&amp;b}", "{##a}",
]  # fmt: skip


@pytest.mark.parametrize("line", ATTRIBUTE_LINES)
def test_attribute_lines_read_as_the_attrs_plugin_reads_them(line: str) -> None:
    assert our_reading(line) == plugin_reading(line)


@given(st.text(st.sampled_from('{}#.= "%ab-é_:\\'), max_size=14))
@settings(max_examples=400)
def test_any_braced_line_reads_as_the_attrs_plugin_reads_it(inner: str) -> None:
    line = "{" + inner + "}"
    assert our_reading(line) == plugin_reading(line)


def test_an_anchor_inside_a_container_names_its_heading() -> None:
    blocks = template_blocks("::: key-messages\n{#inside}\n## Inside\n:::\n")
    assert [b.anchor for b in blocks if isinstance(b, tree.Heading)] == ["inside"]


BRACED = st.text(st.sampled_from('{}#.= "%ab-é_:\\'), max_size=10).map(lambda x: "{" + x + "}")


@given(st.lists(BRACED, min_size=2, max_size=3), st.sampled_from(["\n", "\n\n"]))
@settings(max_examples=300)
def test_stacked_attribute_lines_read_as_the_attrs_plugin_reads_them(
    lines: list[str], between: str
) -> None:
    """Stacked lines merge: a later id replaces an earlier one, a line without one keeps it."""
    text = between.join(lines)
    assert our_reading(text) == plugin_reading(text)


def test_an_attribute_line_without_id_keeps_the_anchor_above_it() -> None:
    assert our_reading("{#a}\n{.cls}") == ("a", 0)
    assert our_reading("{#a}\n\n{}\n{#b}") == ("b", 0)


def field_inlines(source: str) -> tuple[tree.Inline, ...]:
    (paragraph,) = BlockBuilder().parse(FIELD_PARSER, source)
    assert isinstance(paragraph, tree.Paragraph)
    return paragraph.content


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # No address: stays as typed (markdown-it makes it a link to nothing).
        ("See [the annex]() now.", (tree.Text("See [the annex]() now."),)),
        # A web address without a host is no address: as typed.
        ("[home](https://) and [x](http://)", (tree.Text("[home](https://) and [x](http://)"),)),
        # No text: the link shows its address, so that it has a name.
        (
            "[](https://example.org/report)",
            (tree.Link((tree.Text("https://example.org/report"),), "https://example.org/report"),),
        ),
    ],
)
def test_links_without_an_address_or_a_text(source: str, expected: tuple[tree.Inline, ...]) -> None:
    assert field_inlines(source) == expected


# --- emphasis beside Chinese, Japanese and Korean --------------------------------------------

COLON = "\uff1a"  # full width
BOLD_LABELS = {
    # a bold label closed after its full-width colon, no space after (as CJK is written)
    f"**预算{COLON}**核定预算不足。": (
        tree.Strong((tree.Text(f"预算{COLON}"),)),
        tree.Text("核定预算不足。"),
    ),
    f"**予算{COLON}**不足している。": (
        tree.Strong((tree.Text(f"予算{COLON}"),)),
        tree.Text("不足している。"),
    ),
    "**예산:**부족하다": (tree.Strong((tree.Text("예산:"),)), tree.Text("부족하다")),
    "「**重要**」です": (
        tree.Text("「"),
        tree.Strong((tree.Text("重要"),)),
        tree.Text("」です"),
    ),
}


@pytest.mark.parametrize("markdown", BOLD_LABELS)
def test_emphasis_closes_before_chinese_japanese_or_korean_text(markdown: str) -> None:
    """CommonMark wants a space after a closing mark that follows punctuation; these
    scripts put none: a CJK character beside the marks counts as one ("CJK-friendly")."""
    (paragraph,) = field_blocks(markdown)
    assert isinstance(paragraph, tree.Paragraph)
    assert paragraph.content == BOLD_LABELS[markdown]


@pytest.mark.parametrize(
    "markdown",
    ["**Budget:**the", "a**b**c", "2*3*4", "**Budget:** the", "😀**x:**😀", "snake_case_name"],
)
def test_emphasis_between_other_characters_is_commonmarks(markdown: str) -> None:
    """Where no CJK character stands beside the marks, CommonMark's rules decide alone."""
    plain = MarkdownIt("commonmark").disable(["heading", "lheading", "hr", "code", "fence"])
    expected = BlockBuilder().parse(plain, markdown)
    assert field_blocks(markdown) == expected
