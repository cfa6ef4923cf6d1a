"""Compose decides once what every writer draws: directions, anchors, levels, links, contents."""

from __future__ import annotations

import pytest

from briefgen import tree
from briefgen.compose.decisions import decide
from briefgen.look import default_look
from briefgen.text.metrics import string_width

T = tree.Text
ARABIC_NAME = "منظمة العفو الدولية لحقوق الإنسان"
ARABIC = "بيان دولة فلسطين أمام الجمعية"


def decided(*blocks: tree.Block, language: str = "en") -> tuple[tree.Block, ...]:
    return decide(blocks, language, default_look())


def test_text_in_the_pack_language_is_left_to_right_whatever_its_letters() -> None:
    content = (T(f"{ARABIC_NAME}, on behalf of CICC"),)
    byline, heading = decided(tree.Paragraph(content, "byline"), tree.Heading(1, content, "h"))
    assert isinstance(byline, tree.Paragraph) and byline.direction == "ltr"
    assert isinstance(heading, tree.Heading) and heading.direction == "rtl"  # a title


def test_a_paragraph_in_a_right_to_left_language_reads_right_to_left() -> None:
    (arabic, french) = decided(
        tree.Paragraph((T(ARABIC),), lang="ar"), tree.Paragraph((T("Déclaration"),), lang="fr")
    )
    assert isinstance(arabic, tree.Paragraph) and arabic.direction == "rtl"
    assert isinstance(french, tree.Paragraph) and french.direction == "ltr"
    (in_arabic_pack,) = decided(tree.Paragraph((T(ARABIC),)), language="ar")
    assert isinstance(in_arabic_pack, tree.Paragraph) and in_arabic_pack.direction == "rtl"


def test_every_place_of_text_gets_a_direction() -> None:
    cover = tree.Cover(
        tree.Paragraph((T(ARABIC),), "cover-title"),
        tree.Paragraph((T("ASP23"),), "cover-subtitle"),
        (tree.Paragraph((T(ARABIC),), "cover-line"),),
    )
    table = tree.Table(
        (tree.Paragraph((T(ARABIC),), "table-head"),),
        ((tree.Paragraph((T("x"),), "table-cell"),),),
    )
    contents = tree.Contents(tree.Paragraph((T("Contents"),), "contents-title"), ())
    heading = tree.Heading(1, (T(ARABIC),), "")
    decided_cover, decided_contents, decided_heading, decided_table = decided(
        cover, contents, heading, table, language="ar"
    )
    assert isinstance(decided_cover, tree.Cover)
    assert decided_cover.title.direction == "rtl"
    assert decided_cover.subtitle is not None and decided_cover.subtitle.direction == "ltr"
    assert decided_cover.lines[0].direction == "rtl"
    assert isinstance(decided_table, tree.Table)
    assert (
        decided_table.header[0].direction == "rtl" and decided_table.rows[0][0].direction == "rtl"
    )
    assert isinstance(decided_contents, tree.Contents)
    assert decided_contents.title.direction == "ltr"
    assert [(e.text, e.direction) for e in decided_contents.entries] == [(ARABIC, "rtl")]
    assert isinstance(decided_heading, tree.Heading) and decided_heading.anchor


def test_a_list_reads_as_its_first_paragraph_however_nested() -> None:
    nested = tree.ListBlock(False, ((tree.Paragraph((T(ARABIC),), lang="ar"),),))
    (outer,) = decided(tree.ListBlock(True, ((nested,), (tree.Paragraph((T("x"),)),))))
    assert isinstance(outer, tree.ListBlock) and outer.direction == "rtl"


def test_heading_levels_are_clamped_to_the_looks_range() -> None:
    levels = [
        b.level for b in decided(*(tree.Heading(n, (T(f"h{n}"),), f"h{n}") for n in (0, 1, 4, 6)))
    ]  # type: ignore[union-attr]
    assert levels == [1, 1, 3, 3]


def test_links_to_missing_anchors_keep_their_text_unlinked() -> None:
    paragraph = tree.Paragraph(
        (
            tree.Link((T("there"),), "#present"),
            T(" and "),
            tree.Strong((tree.Link((T("nowhere"),), "#missing"),)),
            tree.Link((T("web"),), "https://example.org"),
        )
    )
    _, decided_paragraph = decided(tree.Heading(1, (T("Present"),), "present"), paragraph)
    assert isinstance(decided_paragraph, tree.Paragraph)
    assert decided_paragraph.content == (
        tree.Link((T("there"),), "#present"),
        T(" and "),
        tree.Strong((T("nowhere"),)),
        tree.Link((T("web"),), "https://example.org"),
    )


def test_anchors_are_unique_also_inside_boxes() -> None:
    blocks = decided(
        tree.Heading(1, (T("Key messages"),), "km"),
        tree.KeyMessages((tree.Heading(2, (T("Key messages"),), "km"),)),
        tree.Heading(1, (T("Key messages"),), ""),
    )
    first, box, last = blocks
    assert isinstance(first, tree.Heading) and isinstance(box, tree.KeyMessages)
    inner = box.blocks[0]
    assert isinstance(inner, tree.Heading) and isinstance(last, tree.Heading)
    assert [first.anchor, inner.anchor, last.anchor] == ["km", "km-2", "key-messages"]


def test_contents_lists_headings_down_to_its_depth() -> None:
    contents = tree.Contents(tree.Paragraph((T("Contents"),), "contents-title"), ())
    blocks = decided(
        contents,
        tree.Heading(1, (T("One"),), "one"),
        tree.Heading(2, (T("Two"),), "two"),
        tree.Heading(3, (T("Three"),), "three"),
    )
    filled = blocks[0]
    assert isinstance(filled, tree.Contents) and filled.depth == 2
    assert [(e.level, e.text, e.anchor) for e in filled.entries] == [
        (1, "One", "one"),
        (2, "Two", "two"),
    ]


def test_columns_are_shared_by_their_text_and_never_break_short_texts() -> None:
    header = (
        tree.Paragraph((T("Date"),), "table-head"),
        tree.Paragraph((T("Plenary"),), "table-head"),
    )
    rows = tuple(
        (
            tree.Paragraph((T("4 December 2024"),), "table-cell"),
            tree.Paragraph(
                (T("A much longer plenary title that takes the room " * 2),), "table-cell"
            ),
        )
        for _ in range(3)
    )
    (table,) = decided(tree.Table(header, rows))
    assert isinstance(table, tree.Table)
    date, title = table.widths
    assert date + title == pytest.approx(1)
    assert title > 2 * date
    assert date > 0.15  # "4 December 2024" fits unbroken in bold 8.8 pt


def test_a_table_is_captioned_by_the_title_of_the_section_it_stands_in() -> None:
    table = tree.Table((tree.Paragraph((T("Date"),), "table-head"),), ())
    before, _, first, _, in_box = decided(
        table,
        tree.Heading(1, (T("Programme "), tree.Strong((T("of\nwork"),))), "programme"),
        table,
        tree.Heading(2, (T(ARABIC),), "arabic"),
        tree.KeyMessages((table,)),
    )
    assert isinstance(before, tree.Table) and before.caption is None
    assert isinstance(first, tree.Table)
    assert first.caption == tree.Caption("Programme of work", "ltr")
    assert isinstance(in_box, tree.KeyMessages) and isinstance(in_box.blocks[0], tree.Table)
    assert in_box.blocks[0].caption == tree.Caption(ARABIC, "rtl")


def test_a_running_header_too_wide_for_the_page_is_cut_with_an_ellipsis() -> None:
    from briefgen.compose.decisions import running_header
    from briefgen.text.metrics import string_width

    look = default_look()
    style = look.text.furniture
    face = look.font.face(bold=style.bold, italic=style.italic)
    room = look.page.size("A4")[0] - look.page.margins.left - look.page.margins.right
    short = running_header("ASP23 briefing pack", look, "A4", "\u2026")
    assert tree.plain_text(short.content) == "ASP23 briefing pack"
    for title in ("W" * 500, "Assembly of States Parties " * 20):
        text = tree.plain_text(running_header(title, look, "A4", "\u2026").content)
        assert text.endswith("\u2026") and string_width(text, face, style.size) <= room
        assert title.startswith(text[:-1].rstrip())


def test_a_column_of_web_addresses_is_wide_enough_for_them_up_to_a_limit() -> None:
    """An organisations' table: short acronyms, long names, addresses of 30 characters
    that used to break after "https://" in a column shared by length alone."""
    header = tuple(tree.Paragraph((T(t),), "table-head") for t in ("Acronym", "Name", "Website"))
    rows = tuple(
        tuple(
            tree.Paragraph((T(t),), "table-cell")
            for t in (
                f"NGO{n}",
                "Network of Non-Governmental Organisations for the Rights of Victims",
                f"https://ngo-{n:03d}.example.net/",
            )
        )
        for n in range(5)
    )
    (table,) = decided(tree.Table(header, rows))
    assert isinstance(table, tree.Table)
    room = _room_in_column("https://ngo-000.example.net/")
    assert table.widths[2] * _narrowest_text_width() > room
    assert table.widths[0] > 0.1  # "Acronym" still fits


def test_a_column_of_names_is_not_crushed_by_two_columns_of_words_that_break() -> None:
    """An acronym of 30 letters and long web addresses each asked for most of the width:
    the names between them had a tenth of it, "Organización" and "Démocratie" broken
    inside. Words that break anyway give way first."""
    header = tuple(
        tree.Paragraph((T(t),), "table-head") for t in ("Sigla", "Organización", "Sitio web")
    )
    rows = (
        ("HRW" * 10, "Human Rights Watch", "https://www.hrw.org/" + "a" * 80),
        ("—", "Centre pour la Démocratie et les Droits de l'Homme", "—"),
    )
    cells = tuple(tuple(tree.Paragraph((T(t),), "table-cell") for t in row) for row in rows)
    (table,) = decided(tree.Table(header, cells))
    assert isinstance(table, tree.Table)
    assert table.widths[1] * _narrowest_text_width() > _room_in_column("Organización")
    assert sum(table.widths) == pytest.approx(1)
    assert table.widths[2] > table.widths[0] > 0.1  # the address still the widest


def _narrowest_text_width() -> float:
    """The text area's width on the narrower of the look's papers, in points."""
    look = default_look()
    width = min(look.page.sizes.A4[0], look.page.sizes.Letter[0])
    return width - look.page.margins.left - look.page.margins.right


def _room_in_column(word: str) -> float:
    """The width a column needs to hold ``word`` in its header unbroken, padding included."""
    look = default_look()
    face = look.font.face(bold=True, italic=False)
    return string_width(word, face, look.text.table_head.size) + 2 * look.tables.padding
