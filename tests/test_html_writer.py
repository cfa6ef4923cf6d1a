"""The HTML writer, read back with lxml: content and order, anchors, outline, language and
direction, tables, lists, the embedded faces, self-containment and reproducible bytes."""

from __future__ import annotations

import base64
import io
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fontTools.ttLib import TTFont

from briefgen import tree
from briefgen.cachefolder import CACHE_VARIABLE, cache_folder
from briefgen.writers.html import facecache, fonts
from briefgen.writers.html.styles import css_string
from briefgen.writers.html.writer import write_html
from tests.test_pdf_writer import (
    ARABIC,
    HEADINGS,
    LISTED,
    heading,
    para,
    sample_document,
    sample_meta,
)
from tests.trees import decided, line, row

T = tree.Text
NOTO, NOTO_ARABIC = css_string("Noto Sans"), css_string("Noto Sans Arabic")
FONT_FACE = re.compile(
    r"@font-face\{font-family:(\"[^\"]*\");src:url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)"
    r' format\("woff2"\);font-weight:(\d+);font-style:(\w+)'
)


def page_of(document: tree.Document) -> Any:
    """The page of ``document`` as an lxml tree."""
    return lxml.html.document_fromstring(write_html(document).data)


@pytest.fixture(scope="module")
def sample() -> tree.Document:
    return sample_document()


@pytest.fixture(scope="module")
def page(sample: tree.Document) -> Any:
    return page_of(sample)


def headings_of(page: Any) -> list[Any]:
    return list(page.xpath("//h1|//h2|//h3|//h4|//h5|//h6"))


def text_of(element: Any) -> str:
    return " ".join(element.text_content().split())


# --- structure ------------------------------------------------------------------------


def test_the_page_is_html_in_the_packs_language(page: Any, sample: tree.Document) -> None:
    root = page.getroottree().getroot()
    assert root.get("lang") == "en-GB" and root.get("dir") == "ltr"
    assert page.findtext(".//title") == sample.meta.title
    head = {m.get("name"): m.get("content") for m in page.xpath("//meta[@name]")}
    assert head["author"] == "Coalition for the ICC"
    assert head["description"] == "Assembly of States Parties, 23rd session"
    assert head["keywords"] == "ICC, ASP, Rome Statute"


def test_landmarks_banner_navigation_main(page: Any) -> None:
    body = page.find("body")
    assert [child.tag for child in body] == ["header", "main"]
    assert body[0].get("class") == "cover" and "Assembly of States Parties" in text_of(body[0])
    (nav,) = page.xpath("//nav")
    label = page.get_element_by_id(nav.get("aria-labelledby"))
    assert text_of(label) == "Contents"


def test_headings_keep_the_trees_anchors_in_order(page: Any) -> None:
    found = [(h.get("id"), text_of(h)) for h in headings_of(page)]
    assert found[1:] == [(anchor, text) for _, text, anchor in HEADINGS]


def test_the_banners_title_is_the_pages_one_h1_and_the_headings_rank_below_it(
    page: Any,
) -> None:
    """A screen reader's "next h1" finds the pack's title, once (each plenary and annex
    was an h1, the title a paragraph); the tree's levels stay in the classes."""
    (title,) = page.xpath("//h1")
    assert title.getparent().tag == "header" and title.get("class") == "cover-title"
    assert text_of(title) == "Assembly of States Parties"
    found = [(h.tag, h.get("class")) for h in headings_of(page)[1:]]
    assert found == [(f"h{level + 1}", f"h{level}") for level, _, _ in HEADINGS]


def test_heading_elements_never_skip_a_level_and_keep_the_looks_style() -> None:
    document = decided(
        sample_meta(),
        (
            heading(1, "Plenary", "p"),
            heading(3, "Statement", "s"),  # no segment between
            heading(2, "Segment", "g"),
            heading(3, "Statement in it", "t"),
            heading(1, "Annex", "a"),
        ),
    )
    found = [(h.tag, h.get("class")) for h in headings_of(page_of(document))]
    assert found == [("h1", "h1"), ("h2", "h3"), ("h2", "h2"), ("h3", "h3"), ("h1", "h1")]


def test_contents_is_a_nested_list_of_links_to_the_headings(page: Any) -> None:
    (nav,) = page.xpath("//nav")
    links = nav.xpath(".//a")
    assert [(a.get("href"), text_of(a)) for a in links] == [
        (f"#{anchor}", text) for _, text, anchor in LISTED
    ]
    nested = [len(a.xpath("ancestor::ul")) for a in links]
    assert nested == [level for level, _, _ in LISTED]


def test_every_internal_link_reaches_an_element(page: Any) -> None:
    ids = set(page.xpath("//@id"))
    targets = [href[1:] for href in page.xpath("//a/@href") if href.startswith("#")]
    assert targets and set(targets) <= ids
    assert "https://www.icc-cpi.int/asp" in page.xpath("//a/@href")


def test_text_comes_in_the_trees_order(page: Any, sample: tree.Document) -> None:
    text = text_of(page.find("body"))
    expected = [tree.plain_text(b.content) for b in sample.blocks if isinstance(b, tree.Paragraph)]
    position = 0
    for paragraph in expected:
        position = text.find(" ".join(paragraph.split()), position)
        assert position >= 0, paragraph


def test_lists_tables_and_the_key_message_box(page: Any) -> None:
    assert page.xpath("//ol/li[2]/ul/li/p/text()") == ["Nested bullet"]
    (box,) = page.xpath("//div[@class='key-messages']")
    assert box.xpath("./ul/li/p/text()") == ["Protect the Court from sanctions."]
    (table,) = page.xpath("//table")
    assert table.xpath("./thead/tr/th/@scope") == ["col", "col"]
    assert text_of(table.find("caption")) == "Plenary statements"
    assert len(table.xpath("./tbody/tr")) == 30
    scroller = table.getparent()
    assert scroller.get("role") == "region" and scroller.get("tabindex") == "0"
    assert scroller.get("aria-label") == "Plenary statements"


def test_column_widths_are_the_trees(sample: tree.Document, page: Any) -> None:
    (table,) = [b for b in sample.blocks if isinstance(b, tree.Table)]
    styles = page.xpath("//table/colgroup/col/@style")
    widths = [float(re.fullmatch(r"width:([\d.]+)%", s)[1]) for s in styles]  # type: ignore[index]
    assert widths == pytest.approx([100 * w for w in table.widths], abs=1e-3)


def test_rows_shorter_than_the_table_are_filled() -> None:
    document = decided(
        sample_meta(), (tree.Table(row("A", "B", "C", role="table-head"), (row("x"),)),)
    )
    (table,) = page_of(document).xpath("//table")
    assert [len(tr) for tr in table.xpath(".//tr")] == [3, 3]


def test_an_empty_table_draws_nothing() -> None:
    document = decided(sample_meta(), (tree.Table((), ()), para(T("after"))))
    assert page_of(document).xpath("//table") == []


# --- language and direction -----------------------------------------------------------


def test_lang_and_dir_only_where_they_differ_from_the_page(page: Any) -> None:
    (arabic,) = page.xpath("//p[@lang]")
    assert arabic.get("lang") == "ar" and arabic.get("dir") == "rtl"
    assert ARABIC in text_of(arabic)
    # In the pack's language: neither attribute, whatever script a name is in.
    mixed = [p for p in page.xpath("//p") if text_of(p).startswith("Arabic:")]
    assert mixed and mixed[0].get("lang") is None and mixed[0].get("dir") is None


def test_a_right_to_left_pack_reads_right_to_left() -> None:
    document = decided(
        sample_meta(language="ar", direction="rtl"),  # as compose decides it
        (
            heading(1, ARABIC, "a"),
            para(T(ARABIC)),
            tree.Paragraph((T("English summary"),), lang="en"),
            tree.ListBlock(False, ((para(T(ARABIC)),),)),
        ),
    )
    page = page_of(document)
    root = page.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert page.xpath("//h1/@dir") == [] and page.xpath("//ul/@dir") == []
    (english,) = page.xpath("//p[@lang]")
    assert (english.get("lang"), english.get("dir")) == ("en", "ltr")


def test_cells_captions_and_contents_entries_carry_their_direction() -> None:
    document = decided(
        sample_meta(),
        (
            tree.Contents(line("Contents", "contents-title"), ()),
            heading(1, ARABIC, "arabic"),
            tree.Table(row("Name", role="table-head"), (row(ARABIC),)),
        ),
    )
    page = page_of(document)
    assert page.xpath("//h1/@dir") == ["rtl"]
    # A contents line is the pack's (left to right here); the title in it reads in its own.
    assert page.xpath("//nav//a/@dir") == []
    assert [bdi.text for bdi in page.xpath("//nav//a/bdi")] == [ARABIC]
    assert page.xpath("//caption/@dir") == ["rtl"]


# --- self-contained, fonts, bytes -------------------------------------------------------


def test_the_page_needs_nothing_beside_it(sample: tree.Document) -> None:
    html = write_html(sample).data.decode()
    page = lxml.html.document_fromstring(html)
    assert page.xpath("//script|//link|//iframe|//object|//embed") == []
    sources = page.xpath("//@src")
    assert all(source.startswith("data:") for source in sources)
    hrefs = page.xpath("//@href")
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    (style,) = page.xpath("//style")
    css = style.text
    assert "@import" not in css
    assert re.findall(r"url\((?!data:)", css) == []


def faces_of(document: tree.Document) -> dict[tuple[str, int, str], set[int]]:
    """The embedded faces by family, weight and style, each as the code points it maps."""
    css = write_html(document).data.decode()
    faces = {}
    for family, data, weight, style in FONT_FACE.findall(css):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff2"
        faces[family, int(weight), style] = set(font.getBestCmap())
    return faces


def test_each_face_holds_the_characters_it_draws() -> None:
    document = decided(
        sample_meta(),
        (
            heading(1, "Heading", "h"),
            para(T("plain "), tree.Emphasis((T("slanted"),)), T(f" {ARABIC}")),
        ),
    )
    faces = faces_of(document)
    regular = faces[NOTO, 400, "normal"]
    assert set(map(ord, "plain ")) <= regular and ord("H") not in regular
    assert set(map(ord, "Heading")) <= faces[NOTO, 700, "normal"]
    assert set(map(ord, "slanted")) <= faces[NOTO, 400, "italic"]
    arabic = faces[NOTO_ARABIC, 400, "normal"]
    assert {ord(c) for c in ARABIC if not c.isspace()} <= arabic
    assert (NOTO, 700, "italic") not in faces  # no bold italic text


def shaped_glyphs(document: tree.Document, family: str, text: str) -> list[int]:
    """The glyphs HarfBuzz, as a browser does, shapes ``text`` into with the regular face
    of ``family`` embedded in the page of ``document``."""
    import uharfbuzz

    css = write_html(document).data.decode()
    (data,) = [
        data
        for name, data, weight, style in FONT_FACE.findall(css)
        if (name, weight, style) == (css_string(family), "400", "normal")
    ]
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    font.flavor = None
    unpacked = io.BytesIO()
    font.save(unpacked)
    face = uharfbuzz.Face(uharfbuzz.Blob(unpacked.getvalue()))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(uharfbuzz.Font(face), buffer)
    return [info.codepoint for info in buffer.glyph_infos]


def test_thai_sara_am_is_drawn_from_the_pages_subset() -> None:
    # HarfBuzz draws SARA AM (U+0E33) as NIKHAHIT and SARA AA: a subset that held only
    # the characters typed had neither, and browsers left a gap for จำ in จำนวน.
    document = decided(sample_meta(), (para(T("งบประมาณจำนวน 187.5 ล้านยูโร")),))
    glyphs = shaped_glyphs(document, "Noto Sans Thai", "จำนวน")
    assert len(glyphs) >= 5 and 0 not in glyphs  # no .notdef


def test_no_arabic_face_without_arabic_text() -> None:
    document = decided(sample_meta(), (para(T("Only Latin.")),))
    assert {family for family, _, _ in faces_of(document)} == {NOTO}


def test_the_same_tree_gives_the_same_bytes(
    sample: tree.Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write_html(sample).data
    assert write_html(sample).data == first
    # and with its faces made afresh, not taken from a cache
    monkeypatch.setattr(facecache, "_memory", OrderedDict())
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    assert write_html(sample).data == first
    assert list((tmp_path / facecache.FOLDER).glob("*.woff2"))


def test_faces_are_made_once_and_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = decided(sample_meta(), (para(T("Cached text.")),))
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    monkeypatch.setattr(facecache, "_memory", OrderedDict())
    made: list[int] = []
    make = fonts._woff2

    def counting(font: bytes, characters: frozenset[int]) -> bytes:
        made.append(len(characters))
        return make(font, characters)

    monkeypatch.setattr(fonts, "_woff2", counting)
    first = write_html(document).data
    assert len(made) == 1
    monkeypatch.setattr(facecache, "_memory", OrderedDict())  # a new process
    assert write_html(document).data == first and len(made) == 1
    # A damaged entry is made again; a cache that cannot be written is passed by.
    (entry,) = (tmp_path / facecache.FOLDER).glob("*.woff2")
    entry.write_bytes(entry.read_bytes()[:-10])
    monkeypatch.setattr(facecache, "_memory", OrderedDict())
    assert write_html(document).data == first and len(made) == 2
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked))
    monkeypatch.setattr(facecache, "_memory", OrderedDict())
    assert write_html(document).data == first and len(made) == 3
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    assert cache_folder(facecache.FOLDER) is None


def test_a_draft_is_marked_for_eyes_and_for_screen_readers() -> None:
    page = page_of(sample_document(draft=True, draft_mark="DRAFT"))
    assert page.xpath("//header/p[@class='visually-hidden']/text()") == ["DRAFT"]
    assert f"body::before{{content:{css_string('DRAFT')}" in page.findtext(".//style")
    assert "body::before" not in page_of(sample_document()).findtext(".//style")


def test_print_has_the_running_header_and_page_label(page: Any) -> None:
    css = page.findtext(".//style")
    assert f"@top-left{{content:{css_string('ASP 23 · Briefing pack')}" in css
    label = f"{css_string('Page ')} counter(page) {css_string(' of ')} counter(pages)"
    assert f"@bottom-right{{content:{label}" in css


def test_the_logo_is_embedded_at_the_size_the_pdf_draws_it(tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (800, 200), (27, 58, 107)).save(logo)
    cover = tree.Cover(line("Title", "cover-title"), None, (), str(logo), "Coalition for the ICC")
    document = decided(sample_meta(), (cover,))
    (image,) = page_of(document).xpath("//img")
    assert image.get("src") == "data:image/png;base64," + base64.b64encode(
        logo.read_bytes()
    ).decode("ascii")
    assert image.get("alt") == "Coalition for the ICC"
    assert (image.get("width"), image.get("height")) == ("800", "200")
    # 5 cm wide (the look's logo box), in rem of the 10 pt body text
    assert image.get("style") == "width:14.1732rem"


def test_one_change_of_the_look_reaches_the_page(tmp_path: Path) -> None:
    """The accent colour named once, and the body size all lengths are counted in."""
    import dataclasses

    from briefgen.look import load_look

    (tmp_path / "look.yaml").write_text(
        'colours:\n  accent: "#7A1F3D"\ntext:\n  body: {size: 12, leading: 18, colour: ink}\n',
        encoding="utf-8",
    )
    document = dataclasses.replace(sample_document(), look=load_look(tmp_path))
    css = page_of(document).findtext(".//style")
    assert ".h1{font-size:1.4167rem;line-height:1.2941;color:#7A1F3D;" in css  # 17 pt of 12
    assert "th{font-size:0.7333rem;" in css and "background:#7A1F3D" in css
    assert "p{font-size:1rem;line-height:1.5;" in css
    assert "html{font-size:12pt}" in css  # in print, 1 rem is the body's size
    assert "#1B3A6B" not in css
