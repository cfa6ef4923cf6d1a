"""The Markdown stage's shortcuts give exactly what markdown-it alone gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink

from briefgen.markdown import LINK_KEPT_AS_IS, normalize_link


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
