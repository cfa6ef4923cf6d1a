"""Template authors' mistakes stop the build at their line; the shared wording is in macros."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import tree
from briefgen.cli.main import cli
from briefgen.compose.pack import compose_pack
from briefgen.compose.templating import default_templates_dir
from briefgen.compose.values import PLACEHOLDER_FENCE
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from tests.conftest import ASP23, CASES

TRAPS = CASES / "valid" / "literal-traps.yaml"
MD_ALONE = "the md filter must fill a paragraph on its own"


def override(folder: Path, name: str, text: str) -> Path:
    """Write the template ``name`` into the override ``folder``; return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def builtin(name: str) -> str:
    return (default_templates_dir() / name).read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` on which ``needle`` stands (it must stand on one only)."""
    lines = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(lines) == 1, lines
    return lines[0]


def compose_error(templates: Path, session: Path = ASP23) -> str:
    with pytest.raises(UserError) as raised:
        compose_pack(load_session(session), templates)
    return str(raised.value)


def dumped(templates: Path | None = None, session: Path = ASP23) -> str:
    return tree.dump(compose_pack(load_session(session), templates))


# --- ::: blocks ---------------------------------------------------------------------


def test_a_misspelt_block_is_an_error_at_its_template_line(tmp_path: Path) -> None:
    text = builtin("plenary.md.j2").replace("::: key-messages", "::: keymessages")
    path = override(tmp_path, "plenary.md.j2", text)
    message = compose_error(tmp_path)
    assert f"{path}:{line_of(text, '::: keymessages')}:1: error: " in message
    assert "unknown block '::: keymessages' (did you mean 'key-messages'?)" in message
    assert "the blocks are cover, contents, key-messages, byline, note, lang" in message


def test_a_block_named_by_an_expression_points_at_the_line_that_names_it(tmp_path: Path) -> None:
    text = "# Programme\n\n{% set box = 'frame' %}\n::: {{ box }}\nText\n:::\n"
    path = override(tmp_path, "programme.md.j2", text)
    message = compose_error(tmp_path)
    assert f"{path}:4:1: error: unknown block '::: frame'" in message
    assert message.count("error:") == 1  # not the lines that open "::: lang {{ ... }}"


def test_build_with_a_misspelt_block_fails_and_writes_nothing(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    text = builtin("statement.md.j2").replace("::: byline", "::: bylines", 1)
    path = override(templates, "statement.md.j2", text)
    output = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["build", str(ASP23), "--templates", str(templates), "--output-dir", str(output)],
        prog_name="briefgen",
    )
    assert result.exit_code == 1
    assert f"{path}:{line_of(text, '::: bylines')}:1: error: unknown block" in result.stderr
    assert "did you mean 'byline'?" in result.stderr
    assert not list(output.rglob("*.pdf")) and not list(output.rglob("*.docx"))


def test_known_blocks_still_make_their_parts() -> None:
    kinds = {type(block).__name__ for block in compose_pack(load_session(ASP23)).blocks}
    assert {"Cover", "Contents", "KeyMessages"} <= kinds


# --- the md filter --------------------------------------------------------------------


def test_md_beside_other_text_is_an_error_at_its_template_line(tmp_path: Path) -> None:
    text = builtin("statement.md.j2").replace(
        "{{ statement.summary|md }}", "**Summary:** {{ statement.summary|md }}"
    )
    path = override(tmp_path, "statement.md.j2", text)
    message = compose_error(tmp_path)
    assert f"{path}:{line_of(text, '**Summary:**')}:1: error: {MD_ALONE}" in message
    assert message.count("error:") == 1  # one line, however many statements it wrote


SUMMARY = "{{ plenaries[0].summary|md }}"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param(f"# Programme\n\n# {SUMMARY}\n", 3, id="heading"),
        pytest.param(f"# Programme\n\n| a | b |\n|---|---|\n| {SUMMARY} | x |\n", 5, id="cell"),
        pytest.param(f"# Programme\n\n- item\n- Summary: {SUMMARY}\n", 4, id="list-item"),
        pytest.param(f"# Programme\n\n{SUMMARY}\nmore text\n", 3, id="same-paragraph"),
        pytest.param(f"# Programme\n\n*{SUMMARY}*\n", 3, id="emphasis"),
        pytest.param(f"# Programme\n\n[link](#{SUMMARY})\n", 3, id="link-target"),
        pytest.param(f"# Programme\n\n::: lang {SUMMARY}\nText\n:::\n", 3, id="block-params"),
        pytest.param(
            f"# Programme\n\n{{% filter upper %}}\n{SUMMARY}\n{{% endfilter %}}\n",
            4,
            id="filter-block",
        ),
        pytest.param(
            "# Programme\n\n{{ plenaries[0].summary|md|upper }}\n", 3, id="changed-by-a-filter"
        ),
        pytest.param("# Programme\n\n{{ plenaries[0].summary|md ~ '!' }}\n", 3, id="joined"),
    ],
)
def test_md_anywhere_but_alone_in_a_paragraph_is_an_error(
    tmp_path: Path, text: str, line: int
) -> None:
    path = override(tmp_path, "programme.md.j2", text)
    message = compose_error(tmp_path)
    assert f"{path}:{line}:1: error: " in message
    assert MD_ALONE in message


def test_md_alone_in_a_paragraph_or_a_list_item_is_spliced_in(tmp_path: Path) -> None:
    override(tmp_path, "programme.md.j2", f"# Programme\n\n{SUMMARY}\n\n- {SUMMARY}\n")
    text = dumped(tmp_path)
    assert PLACEHOLDER_FENCE not in text
    summary = "The Assembly met as a plenary panel on the Review of the ICC"
    assert text.count(summary) == 2 + dumped().count(summary)


def test_no_placeholder_reaches_the_tree_of_the_example_packs() -> None:
    for session in (ASP23, *sorted((CASES / "valid").glob("*.yaml"))):
        assert PLACEHOLDER_FENCE not in dumped(session=session), session.name


# --- macros -----------------------------------------------------------------------------


def test_credit_and_title_are_worded_by_the_macros_template(tmp_path: Path) -> None:
    text = (
        builtin("macros.md.j2")
        .replace("{% if pack.title %}", "Pack: {% if pack.title %}")
        .replace(
            "{{ labels.delivered_by|fill(speaker=statement.speaker) }}",
            "voiced by {{ statement.speaker }}",
        )
    )
    override(tmp_path, "macros.md.j2", text)
    document = compose_pack(load_session(ASP23), tmp_path)
    assert document.meta.title == "Pack: ASP23 briefing pack"
    cover = next(b for b in document.blocks if isinstance(b, tree.Cover))
    assert "Pack: ASP23 briefing pack" in tree.dump(tree.Document(document.meta, (cover,)))
    assert (
        "Coalition for the International Criminal Court, voiced by CICC Review Team"
        in tree.dump(document)
    )


def test_the_title_and_credits_print_every_value_as_typed() -> None:
    document = compose_pack(load_session(TRAPS))
    assert document.meta.title == "& <b>bold</b> {{ x }} *stars*"
    assert (
        "Yes, on behalf of **Not bold** & [not a link](https://example.org),"
        " delivered by O'Brien & <b>Sons</b>" in tree.dump(document)
    )


def test_the_default_title_comes_from_the_label() -> None:
    path = CASES / "valid" / "minimal.yaml"
    loaded = load_session(path)
    assert loaded.session.pack.title is None
    name = loaded.session.session.short_name or loaded.session.session.name
    assert compose_pack(loaded).meta.title == f"{name} briefing pack"


def test_a_template_authors_macro_prints_values_once_escaped(tmp_path: Path) -> None:
    override(
        tmp_path,
        "programme.md.j2",
        "{% macro shout(text) %}{{ text }}!{% endmacro %}\n"
        "# Programme\n\n{{ shout(session.name) }}\n",
    )
    assert "Session & <i>friends</i> — {{ session.name }}!" in dumped(tmp_path, TRAPS)


def test_macros_without_the_title_macro_are_an_error(tmp_path: Path) -> None:
    path = override(tmp_path, "macros.md.j2", "{% macro credit(statement) %}x{% endmacro %}\n")
    assert f"{path}: error: no macro 'pack_title'" in compose_error(tmp_path)


def test_an_error_in_a_macro_names_the_macros_file_and_line(tmp_path: Path) -> None:
    text = builtin("macros.md.j2").replace(
        "{{ organization(statement.by).name }}", "{{ organisation(statement.by).name }}"
    )
    path = override(tmp_path, "macros.md.j2", text)
    message = compose_error(tmp_path)
    assert f"{path}:{line_of(text, 'organisation(')}:" in message
    assert "organisation" in message
