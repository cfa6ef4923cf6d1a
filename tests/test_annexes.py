"""The annexes: lettered in order among those the pack has, and every list of
statements (full texts, index, automatic summary) in the order the plenary shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import tree
from briefgen.compose.pack import compose_pack
from briefgen.compose.templating import default_templates_dir
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from tests.conftest import ASP23, CASES


def compose(path: Path, templates: Path | None = None) -> tree.Document:
    return compose_pack(load_session(path), templates)


def annex_headings(document: tree.Document) -> list[str]:
    return [
        tree.plain_text(block.content)
        for block in document.blocks
        if isinstance(block, tree.Heading) and block.level == 1 and block.anchor.startswith("annex")
    ]


def test_a_pack_with_full_texts_has_annexes_a_b_and_c() -> None:
    document = compose(CASES / "valid" / "full-featured.yaml")
    assert annex_headings(document) == [
        "Annex A: Full texts of statements",
        "Annex B: Organisations and acronyms",
        "Annex C: Index of organisations",
    ]
    assert "Full text in Annex A" in tree.dump(document)


def test_without_full_texts_the_annexes_are_a_and_b() -> None:
    document = compose(ASP23)
    assert annex_headings(document) == [
        "Annex A: Organisations and acronyms",
        "Annex B: Index of organisations",
    ]
    assert "Annex C" not in tree.dump(document)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("russian.yaml", ["Приложение \u0410.", "Приложение Б."]),  # Cyrillic; no full texts
        ("arabic-pack.yaml", ["المرفق ألف:", "المرفق باء:", "المرفق جيم:"]),
        ("french.yaml", ["Annexe A\u00a0:", "Annexe B\u00a0:", "Annexe C\u00a0:"]),
    ],
)
def test_annexes_take_the_letters_of_the_pack_language(case: str, expected: list[str]) -> None:
    found = annex_headings(compose(CASES / "valid" / case))
    assert [heading[: len(start)] for heading, start in zip(found, expected, strict=True)] == [
        start for start in expected
    ]


def test_labels_that_letter_too_few_annexes_are_an_error(tmp_path: Path) -> None:
    labels = (default_templates_dir() / "labels.yaml").read_text(encoding="utf-8")
    shortened = labels.replace('annex_letters: "A B C"', 'annex_letters: "A B"', 1)
    assert shortened != labels
    (tmp_path / "labels.yaml").write_text(shortened, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        compose(ASP23, tmp_path)
    [problem] = raised.value.diagnostics
    line = 1 + shortened[: shortened.index('annex_letters: "A B"')].count("\n")
    assert (problem.file, problem.line) == (str(tmp_path / "labels.yaml"), line)
    assert "annex_letters" in problem.field and "3 annexes" in problem.message


OUT_OF_ORDER = """\
session:
  id: order
  name: A session whose statements are not listed in the programme's order
  start: 2025-03-10
  end: 2025-03-10
organizations:
  - id: ngo
    name: Example NGO
plenaries:
  - id: debate
    title: Debate
    date: 2025-03-10
    segments:
      - id: first
        title: First segment
      - id: second
        title: Second segment
    statements:
      - id: listed-first
        by: ngo
        segment: second
        title: Spoken third
        text: Third text.
      - id: listed-second
        by: ngo
        title: Spoken last, in no segment
        text: Last text.
      - id: listed-third
        by: ngo
        segment: first
        title: Spoken first
        text: First text.
      - id: listed-fourth
        by: ngo
        segment: first
        title: Spoken second
        text: Second text.
"""
READING_ORDER = ["Spoken first", "Spoken second", "Spoken third", "Spoken last, in no segment"]


def test_statements_are_listed_everywhere_in_reading_order(tmp_path: Path) -> None:
    path = tmp_path / "order.yaml"
    path.write_text(OUT_OF_ORDER, encoding="utf-8")
    document = compose(path)
    blocks = document.blocks
    annex = next(i for i, b in enumerate(blocks) if getattr(b, "anchor", "") == "annex-texts")
    index = next(i for i, b in enumerate(blocks) if getattr(b, "anchor", "") == "annex-index")
    body = [tree.plain_text(b.content) for b in blocks[:annex] if isinstance(b, tree.Heading)]
    texts = [
        tree.plain_text(b.content)
        for b in blocks[annex:index]
        if isinstance(b, tree.Heading) and b.level == 2
    ]
    listed = tree.dump(tree.Document(document.meta, tuple(blocks[index:]), document.look))
    in_index = sorted(READING_ORDER, key=listed.index)
    summary = tree.dump(tree.Document(document.meta, tuple(blocks[:annex]), document.look))
    assert [title for title in body if title in READING_ORDER] == READING_ORDER
    assert texts == READING_ORDER
    assert in_index == READING_ORDER
    first, second = "in the segment “First segment”", "in the segment “Second segment”"
    assert summary.index(first) < summary.index(second)  # the automatic summary


SHORT_NAMES = """\
session:
  id: names
  name: A session of organisations named once or twice
  start: 2025-03-10
  end: 2025-03-10
organizations:
  - id: ukraine
    name: Україна
    short_name: Україна
  - id: ngo
    name: Example NGO
    short_name: ENGO
plenaries:
  - id: debate
    title: Debate
    date: 2025-03-10
    statements:
      - id: one
        by: ukraine
        title: First statement
      - id: two
        by: ngo
        title: Second statement
"""


def test_the_index_gives_a_short_name_only_where_it_differs(tmp_path: Path) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(SHORT_NAMES, encoding="utf-8")
    document = compose(path)
    [index] = [block for block in document.blocks if isinstance(block, tree.Index)]
    entries = [tree.plain_text(group.name.content) for group in index.groups]
    assert "Example NGO (ENGO)" in entries
    assert "Україна" in entries and "Україна (Україна)" not in entries
