"""Composing the document tree: order of sections, wording, literal data, templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import tree
from briefgen.compose.pack import compose_pack
from briefgen.compose.values import escape_markdown
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from tests.conftest import ASP23, CASES


def compose(path: Path, templates: Path | None = None) -> tree.Document:
    return compose_pack(load_session(path), templates)


def headings(document: tree.Document, level: int | None = None) -> list[str]:
    return [
        tree.plain_text(b.content)
        for b in document.blocks
        if isinstance(b, tree.Heading) and (level is None or b.level == level)
    ]


def write_case(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_asp23_tree_matches_golden(golden) -> None:  # type: ignore[no-untyped-def]
    golden("asp23.tree.txt", tree.dump(compose(ASP23)))


def test_sections_come_in_the_pack_order() -> None:
    document = compose(ASP23)
    kinds = [type(b).__name__ for b in document.blocks[:3]]
    assert kinds == ["Cover", "Contents", "PageBreak"]
    assert headings(document, 1) == [
        "Key messages at a glance",
        "Programme",
        "Review plenary — 4\u00a0December 2024",  # a day and its month never parted
        "Cooperation plenary — 5\u00a0December 2024",
        "Closing session — 6\u00a0December 2024",
        "Annex A: Organisations and acronyms",  # no full texts: the other annexes move up
        "Annex B: Index of organisations",
    ]


def test_contents_lists_the_headings_with_their_anchors() -> None:
    document = compose(ASP23)
    contents = next(b for b in document.blocks if isinstance(b, tree.Contents))
    expected = [
        (b.level, tree.plain_text(b.content), b.anchor)
        for b in document.blocks
        if isinstance(b, tree.Heading) and b.level <= 2
    ]
    assert [(e.level, e.text, e.anchor) for e in contents.entries] == expected
    anchors = [b.anchor for b in document.blocks if isinstance(b, tree.Heading)]
    assert len(anchors) == len(set(anchors))


def test_internal_links_point_at_existing_anchors() -> None:
    document = compose(CASES / "valid" / "full-featured.yaml")
    anchors = {b.anchor for b in document.blocks if isinstance(b, tree.Heading)}
    targets = set(_link_targets(document.blocks))
    internal = {t[1:] for t in targets if t.startswith("#")}
    assert internal, "the pack should link the programme to the plenaries"
    assert internal <= anchors


def _link_targets(blocks: tuple[tree.Block, ...]) -> list[str]:
    found: list[str] = []

    def inline(items: tuple[tree.Inline, ...]) -> None:
        for item in items:
            if isinstance(item, tree.Link):
                found.append(item.target)
            if isinstance(item, tree.Strong | tree.Emphasis | tree.Link):
                inline(item.children)

    for block in blocks:
        match block:
            case tree.Paragraph(content=content) | tree.Heading(content=content):
                inline(content)
            case tree.Table(header=header, rows=rows):
                for cell in (*header, *(c for row in rows for c in row)):
                    inline(cell.content)
            case tree.ListBlock(items=items):
                for item in items:
                    found.extend(_link_targets(item))
            case tree.KeyMessages(blocks=inner):
                found.extend(_link_targets(inner))
    return found


def test_closing_key_messages_are_at_a_glance_and_in_the_closing_section() -> None:
    document = compose(ASP23)
    boxes = [b for b in document.blocks if isinstance(b, tree.KeyMessages)]
    assert len(boxes) == 2
    assert boxes[0] == boxes[1]
    first_item = boxes[0].blocks[0]
    assert isinstance(first_item, tree.ListBlock)
    assert len(first_item.items) == 6


def test_statement_credit_names_organisation_behalf_and_speaker() -> None:
    text = tree.dump(compose(ASP23))
    assert (
        "p[byline] Ukrainian Legal Advisory Group, on behalf of"
        " the Coalition for the International Criminal Court\n" in text
    )
    assert "Coalition for the International Criminal Court, delivered by CICC Review Team" in text


@pytest.mark.parametrize(
    "literal",
    [
        "& <b>bold</b> {{ x }} *stars*",
        "#hashtag [not a link] <script>alert(1)</script> {% if x %}",
        "{{ x }}",
        "*stars*",
        "[not a link]",
        "1. not a list",
        "<b>bold</b>",
        "3.10",
    ],
)
def test_plain_fields_appear_exactly_as_typed(literal: str) -> None:
    text = tree.dump(compose(CASES / "valid" / "literal-traps.yaml"))
    assert literal in text


def test_markdown_fields_allow_the_subset_and_nothing_more(tmp_path: Path) -> None:
    source = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    summary = (
        "    summary: |\n"
        "      **Strong** and *emphasis* and [a link](https://example.org).\n\n"
        "      # Not a heading\n\n"
        "      ---\n\n"
        "      ::: cover\n\n"
        "      <b>html</b> &amp; `code` [js](javascript:alert(1))\n"
    )
    text = source.replace("    date: ", summary + "    date: ", 1)
    document = compose(write_case(tmp_path, text))
    dumped = tree.dump(document)
    assert "**Strong** and _emphasis_ and [a link](https://example.org)." in dumped
    assert "p[body] # Not a heading" in dumped
    assert "p[body] ---" in dumped
    assert "p[body] ::: cover" in dumped
    assert "<b>html</b> &amp; `code` [js](javascript:alert(1))" in dumped
    assert sum(isinstance(b, tree.Cover) for b in document.blocks) == 1


def test_auto_summary_names_who_spoke_for_whom_and_in_which_segment(tmp_path: Path) -> None:
    text = ASP23.read_text(encoding="utf-8")
    start = text.index("    summary: >-\n      A two-part")
    text = text[:start] + text[text.index("    segments:", start) :]
    dumped = tree.dump(compose(write_case(tmp_path, text)))
    assert "Statements were delivered by:" in dumped
    assert (
        "Ukrainian Legal Advisory Group, on behalf of the Coalition for the International"
        " Criminal Court, in the segment “Cooperation is vital for the court”" in dumped
    )


@pytest.mark.parametrize(
    ("case", "date", "label"),
    [
        ("french.yaml", "24\u00a0novembre 2025", "Sommaire"),
        ("spanish.yaml", "8\u00a0de\u00a0septiembre de 2025", "Índice"),
    ],
)
def test_labels_and_dates_follow_the_pack_language(case: str, date: str, label: str) -> None:
    document = compose(CASES / "valid" / case)
    contents = next(b for b in document.blocks if isinstance(b, tree.Contents))
    assert tree.plain_text(contents.title.content) == label
    first_plenary = next(h for h in headings(document, 1) if "—" in h)
    assert first_plenary.endswith(f"— {date}")


def test_statement_language_marks_its_paragraphs() -> None:
    document = compose(CASES / "valid" / "arabic-statement.yaml")
    langs = {b.lang for b in document.blocks if isinstance(b, tree.Paragraph)}
    assert "ar" in langs


def test_metadata_comes_from_the_session() -> None:
    meta = compose(ASP23).meta
    assert meta.title == "ASP23 briefing pack"
    assert meta.author == "Coalition for the International Criminal Court"
    assert meta.subject.startswith("23rd session of the Assembly of States Parties")
    assert meta.keywords == ("#NGOVoices", "#ASP23")
    assert meta.created.isoformat() == "2024-12-10T00:00:00+00:00"
    assert (meta.paper, meta.draft, meta.language) == ("A4", False, "en")


def test_document_date_falls_back_to_source_date_epoch_then_session_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_case(
        tmp_path, ASP23.read_text(encoding="utf-8").replace("  edition: 2024-12-10\n", "")
    )
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert compose(path).meta.created.date().isoformat() == "2024-12-06"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    assert compose(path).meta.created.date().isoformat() == "2025-01-01"


def test_a_template_override_replaces_one_file_by_name(tmp_path: Path) -> None:
    (tmp_path / "programme.md.j2").write_text(
        "# Our own programme\n\nCustom {{ session.short_name }} & co\n"
    )
    document = compose(ASP23, tmp_path)
    assert "Our own programme" in headings(document, 1)
    assert "Custom ASP23 & co" in tree.dump(document)
    assert "Annex A: Organisations and acronyms" in headings(document, 1)


def test_an_undefined_name_in_a_template_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "programme.md.j2").write_text("# Programme\n\n{{ no_such_thing }}\n")
    with pytest.raises(UserError) as raised:
        compose(ASP23, tmp_path)
    message = str(raised.value)
    assert "programme.md.j2:3:" in message
    assert "no_such_thing" in message


def test_a_template_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "cover.md.j2").write_text("::: cover\n# {{ title }\n:::\n")
    with pytest.raises(UserError) as raised:
        compose(ASP23, tmp_path)
    assert "cover.md.j2:2:" in str(raised.value)


ESCAPE_CASES = [
    "a & b",
    "<b>",
    "{{ x }}",
    "*x*",
    "_x_",
    "[x](y)",
    "\\",
    "`",
    "# h",
    "a #",
    "| t |",
    "1. not a list",
    "2024) x",
    "- item",
    "+ item",
    "> quote",
    "===",
    "---",
    "***",
    "::: cover",
    "{#anchor}",
    "@@md-0@@",
    "&amp;",
    "<https://example.org>",
    "x.y, (z) 'q' \"r\"",
    "~~s~~",
]


@pytest.mark.parametrize("text", ESCAPE_CASES)
@pytest.mark.parametrize("context", ["{}", "Label: {}", "| {} | b |\n|---|---|\n| {} | c |"])
def test_escaped_text_parses_back_to_itself(text: str, context: str) -> None:
    from briefgen.compose.markdown import TEMPLATE_PARSER, BlockBuilder

    source = context.replace("{}", escape_markdown(text))
    blocks = BlockBuilder().parse(TEMPLATE_PARSER, source)
    expected = context.replace("{}", text)
    if context.startswith("|"):
        (table,) = blocks
        assert isinstance(table, tree.Table)
        assert tree.plain_text(table.header[0].content) == text
        assert tree.plain_text(table.rows[0][0].content) == text
    else:
        assert blocks == (tree.Paragraph((tree.Text(expected),)),)


def test_lists_nested_deeper_than_four_levels_keep_every_item(tmp_path: Path) -> None:
    from briefgen.compose.markdown import MAX_LIST_DEPTH

    levels = 12
    summary = "|\n" + "\n".join("      " + "  " * i + f"- level {i}" for i in range(levels))
    source = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    document = compose(
        write_case(tmp_path, source.replace("    date: ", f"    summary: {summary}\n    date: ", 1))
    )
    dumped = tree.dump(document)
    assert all(f"level {i}" in dumped for i in range(levels))

    def depth(blocks: tuple[tree.Block, ...]) -> int:
        lists = [b for b in blocks if isinstance(b, tree.ListBlock)]
        return max((1 + max(depth(item) for item in b.items) for b in lists), default=0)

    assert depth(document.blocks) == MAX_LIST_DEPTH


def test_text_that_looks_like_a_markdown_placeholder_stays_text(tmp_path: Path) -> None:
    source = ASP23.read_text(encoding="utf-8")
    source = source.replace("  venue: World Forum, The Hague", '  venue: "@@md-0@@"')
    name = "  name: 23rd session of the Assembly of States Parties to the Rome Statute of the"
    source = source.replace(name, '  name: "@@md-99@@"  #')
    dumped = tree.dump(compose(write_case(tmp_path, source)))
    assert "p[cover-line] @@md-0@@\n" in dumped
    assert "@@md-99@@" in dumped


def test_a_segment_without_statements_says_so(tmp_path: Path) -> None:
    path = write_case(
        tmp_path,
        """\
session: {id: empty-segment, name: A segment without statements, start: 2025-03-10, end: 2025-03-10}
organizations: [{id: ngo, name: Example NGO}]
plenaries:
  - id: debate
    title: Debate
    date: 2025-03-10
    segments: [{id: spoken, title: Spoken in}, {id: silent, title: Nobody spoke, format: panel}]
    statements: [{id: one, by: ngo, segment: spoken, title: The one statement}]
""",
    )
    dump = tree.dump(compose(path))
    none = "No statements by member organisations are recorded for this segment."
    assert dump.count(none) == 1
    assert dump.index("Nobody spoke") < dump.index("Format: panel") < dump.index(none)


def test_a_plenary_without_summary_or_statements_says_no_meeting_statement(
    tmp_path: Path,
) -> None:
    """A plenary is a meeting of the session: its summary, written for it, says so."""
    path = write_case(
        tmp_path,
        """\
session: {id: empty-plenary, name: A plenary without statements, start: 2025-03-10, end: 2025-03-10}
organizations: [{id: ngo, name: Example NGO}]
plenaries:
  - {id: debate, title: Debate, date: 2025-03-10}
""",
    )
    dump = tree.dump(compose(path))
    assert "No statements by member organisations are recorded for this meeting." in dump
