"""Reading YAML safely: data stays as typed, hostile or broken files are refused with a place."""

from __future__ import annotations

import re
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import briefgen.input.source
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.load import load_session
from briefgen.input.source import MAX_DEPTH, Position, SourceDocument, read_source
from tests.conftest import WriteInput

MINIMAL = """\
session:
  id: s1
  name: Session
  start: 2025-03-10
  end: 2025-03-12
organizations:
  - id: ngo
    name: Example NGO
plenaries:
  - id: opening
    title: Opening
    date: 2025-03-10
"""


def read(write_input: WriteInput, content: str | bytes) -> SourceDocument:
    return read_source(write_input(content), "in.yaml")


def refusal(write_input: WriteInput, content: str | bytes) -> list[Diagnostic]:
    """Return the diagnostics of reading ``content``, which must be refused.

    Unreadable files raise; readable ones with YAML problems carry them in ``problems``.
    """
    try:
        document = read(write_input, content)
    except UserError as raised:
        return list(raised.diagnostics)
    assert document.problems, "the content was accepted"
    return list(document.problems)


def only_error(write_input: WriteInput, content: str | bytes) -> str:
    diagnostics = refusal(write_input, content)
    assert len(diagnostics) == 1, diagnostics
    return str(diagnostics[0])


# --- YAML 1.1 guessing does not change data ---------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["NO", "no", "Yes", "on", "off", "y", "true", "3.10", "1e3", "0x1F", "012", "1_000", "12:30"],
)
def test_plain_scalars_stay_the_text_as_typed(write_input: WriteInput, typed: str) -> None:
    assert read(write_input, f"value: {typed}\n").data == {"value": typed}


def test_dates_stay_text_until_the_model_converts_them(write_input: WriteInput) -> None:
    source = read(write_input, "start: 2024-12-02\nwhen: 2024-12-02T10:00:00Z\n")

    assert source.data == {"start": "2024-12-02", "when": "2024-12-02T10:00:00Z"}


def test_the_model_turns_date_text_into_dates(write_input: WriteInput) -> None:
    session = load_session(write_input(MINIMAL)).session

    assert session.session.start == date(2025, 3, 10)


def test_short_name_no_and_title_3_10_survive_loading(write_input: WriteInput) -> None:
    text = MINIMAL.replace("name: Session", "name: Session\n  short_name: NO")
    text = text.replace("title: Opening", "title: 3.10")

    session = load_session(write_input(text)).session

    assert session.session.short_name == "NO"
    assert session.plenaries[0].title == "3.10"


@pytest.mark.parametrize(
    ("typed", "meant"), [("true", True), ("True", True), ("TRUE", True), ("FALSE", False)]
)
def test_a_boolean_takes_the_yaml_1_2_words(
    write_input: WriteInput, typed: str, meant: bool
) -> None:
    text = MINIMAL + f"pack:\n  french_spaces: {typed}\n"
    assert load_session(write_input(text)).session.pack.french_spaces is meant


def test_yaml_1_1_booleans_are_refused_with_the_word_meant(write_input: WriteInput) -> None:
    """PyYAML's YAML 1.1 would read yes, On or n as booleans, and pydantic took them, and
    1 or f, while the same words stay text in every text field: each is refused, at its
    place, with every other problem of the file."""
    text = MINIMAL.replace("  end: 2025-03-12\n", "  end: 2025-03-12\n  short_name: Off\n")
    text = text.replace("    date: 2025-03-10\n", "    date: 2025-03-10\n    titel: x\n")
    path = write_input(text + "pack:\n  french_spaces: Y\n")
    with pytest.raises(UserError) as raised:
        load_session(path, "in.yaml")
    assert [str(d) for d in raised.value.diagnostics] == [
        "in.yaml:14:5: error: plenaries[0].titel: unknown key 'titel' (did you mean 'title'?)",
        "in.yaml:16:18: error: pack.french_spaces: expected true or false, got 'Y'"
        " (did you mean true?)",
    ]
    for typed, meant in (("no", "false"), ("On", "true"), ("OFF", "false"), ("n", "false")):
        message = f"expected true or false, got '{typed}' (did you mean {meant}?)"
        with pytest.raises(UserError, match=re.escape(message)):
            load_session(write_input(MINIMAL + f"pack:\n  french_spaces: {typed}\n"))
    with pytest.raises(UserError, match=r"expected true or false, got '0'$"):
        load_session(write_input(MINIMAL + "pack:\n  french_spaces: 0\n"))


@pytest.mark.parametrize("word", ["~", "null", "Null", "NULL", ""])
def test_null_words_become_none(write_input: WriteInput, word: str) -> None:
    assert read(write_input, f"value: {word}\n").data == {"value": None}


@pytest.mark.parametrize("typed", ["'null'", '"~"', "nULL", "None", "none"])
def test_quoted_or_other_null_like_words_stay_text(write_input: WriteInput, typed: str) -> None:
    assert read(write_input, f"value: {typed}\n").data == {"value": typed.strip("'\"")}


def test_positions_are_one_based_for_keys_and_values(write_input: WriteInput) -> None:
    source = read(write_input, "outer:\n  inner: [a, b]\n")

    assert source.key_positions[("outer", "inner")] == Position(2, 3)
    assert source.value_positions[("outer", "inner", 1)] == Position(2, 14)


# --- refused content ----------------------------------------------------------------------


def test_duplicate_key_is_reported_with_both_lines(write_input: WriteInput) -> None:
    error = only_error(write_input, "a: 1\nb: 2\na: 3\n")

    assert error == "in.yaml:3:1: error: a: duplicate key 'a' (first at line 1)"


def test_python_object_tag_is_refused_and_never_run(
    write_input: WriteInput, tmp_path: Path
) -> None:
    marker = tmp_path / "created-by-yaml"

    error = only_error(write_input, f"value: !!python/object/apply:os.system ['touch {marker}']\n")

    assert "YAML tag '!!python/object/apply:os.system' is not allowed" in error
    assert error.startswith("in.yaml:1:8: error: value: ")
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!custom", "!!binary", "!!set", "!!omap"])
def test_unknown_tags_are_refused(write_input: WriteInput, tag: str) -> None:
    assert "is not allowed" in only_error(write_input, f"value: {tag} x\n")


def billion_laughs(levels: int = 10, width: int = 10) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_within_bounded_memory(write_input: WriteInput) -> None:
    path = write_input(billion_laughs())  # would expand to 10**10 strings
    tracemalloc.start()
    try:
        problems = read_source(path, "in.yaml").problems
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert [d.message for d in problems] == ["aliases expand to too many nodes"]
    assert peak < 50 * 1024 * 1024


def test_a_few_aliases_are_fine(write_input: WriteInput) -> None:
    source = read(write_input, "base: &b {x: 1}\ncopy: *b\nlist: [*b, *b]\n")

    assert source.data["list"] == [{"x": "1"}, {"x": "1"}]


@pytest.mark.parametrize("content", ["a: &a\n  b: *a\n", "a: &a [*a]\n"])
def test_recursive_alias_is_refused(write_input: WriteInput, content: str) -> None:
    assert "recursive alias is not allowed" in only_error(write_input, content)


def test_nesting_just_past_the_limit_is_refused(write_input: WriteInput) -> None:
    depth = MAX_DEPTH + 1
    error = only_error(write_input, "a: " + "[" * depth + "]" * depth + "\n")

    assert error.endswith(f"nesting deeper than {MAX_DEPTH} levels")


def test_nesting_within_the_limit_is_read(write_input: WriteInput) -> None:
    depth = MAX_DEPTH - 1
    assert read(write_input, "a: " + "[" * depth + "]" * depth + "\n").data is not None


def test_absurdly_deep_nesting_is_refused_without_crashing(write_input: WriteInput) -> None:
    depth = 100_000
    diagnostics = refusal(write_input, "a: " + "[" * depth + "]" * depth + "\n")

    assert diagnostics
    assert all("nesting" in d.message for d in diagnostics)


# --- broken or unusual files ---------------------------------------------------------------


def test_non_utf8_byte_is_reported_with_line_and_column(write_input: WriteInput) -> None:
    error = only_error(write_input, b"a: 1\nname: caf\xe9\n")

    assert error == "in.yaml:2:10: error: not UTF-8 text: byte 0xe9 cannot be decoded"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_named_so(write_input: WriteInput, encoding: str) -> None:
    """Windows' Notepad saves "Unicode" as UTF-16 with a byte order mark."""
    error = only_error(write_input, "\ufeffa: 1\n".encode(encoding))

    assert error == (
        "in.yaml:1:1: error: the file is UTF-16 text; save it as UTF-8 (an editor's encoding menu)"
    )


def test_utf8_bom_is_accepted_and_positions_ignore_it(write_input: WriteInput) -> None:
    source = read(write_input, b"\xef\xbb\xbfa: 1\n")

    assert source.data == {"a": "1"}
    assert source.key_positions[("a",)] == Position(1, 1)


@pytest.mark.parametrize("content", ["", "\n\n", "   \n\t\n", "# only\n  # comments\n", "---\n"])
def test_empty_file_is_refused(write_input: WriteInput, content: str) -> None:
    assert only_error(write_input, content) == "in.yaml: error: file is empty"


def test_top_level_list_is_refused_by_the_loader(write_input: WriteInput) -> None:
    with pytest.raises(UserError) as raised:
        load_session(write_input("- a\n- b\n"), "in.yaml")

    assert [str(d) for d in raised.value.diagnostics] == [
        "in.yaml:1:1: error: expected a mapping of keys at the top, got a list"
    ]


def test_top_level_text_is_refused_by_the_loader(write_input: WriteInput) -> None:
    with pytest.raises(UserError) as raised:
        load_session(write_input("just some words\n"), "in.yaml")

    assert [d.message for d in raised.value.diagnostics] == [
        "expected a mapping of keys at the top, got plain text"
    ]


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("a: b: c\n", "in.yaml:1:5:"),
        ("a:\n\tb: 1\n", "in.yaml:2:1:"),
        ("- a\nb: 1\n", "in.yaml:2:1:"),
        ('key: "x\\q"\n', "in.yaml:1:8:"),
    ],
)
def test_malformed_yaml_is_reported_with_its_position(
    write_input: WriteInput, content: str, where: str
) -> None:
    error = only_error(write_input, content)

    assert error.startswith(f"{where} error: malformed YAML: ")


def test_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        read_source(tmp_path / "missing.yaml", "missing.yaml")

    assert [str(d) for d in raised.value.diagnostics] == ["missing.yaml: error: file not found"]


def test_folder_given_as_input(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        read_source(tmp_path, "inputs")

    assert [str(d) for d in raised.value.diagnostics] == [
        "inputs: error: is a folder, not a YAML file"
    ]


def test_oversized_file_is_refused_before_reading(
    write_input: WriteInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefgen.input.source, "MAX_INPUT_BYTES", 16)

    error = only_error(write_input, "a: 1\nb: 22222222222\n")

    assert error == "in.yaml: error: file is too large (20 bytes; the limit is 16)"


def test_file_at_the_size_limit_is_read(
    write_input: WriteInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefgen.input.source, "MAX_INPUT_BYTES", 20)

    assert read(write_input, "a: 1\nb: 22222222222\n").data == {"a": "1", "b": "22222222222"}


def test_several_documents_in_one_file_are_refused_clearly(write_input: WriteInput) -> None:
    error = only_error(write_input, "a: 1\n---\nb: 2\n")

    assert error == (
        "in.yaml:2:1: error: malformed YAML: only one YAML document is allowed per file;"
        " another one starts here"
    )


def test_one_document_with_explicit_markers_is_fine(write_input: WriteInput) -> None:
    assert read(write_input, "---\na: 1\n...\n").data == {"a": "1"}


def test_a_tab_used_for_indentation_gets_a_plain_explanation(write_input: WriteInput) -> None:
    message = only_error(write_input, "a: 1\nb:\n\t- x\n")
    assert message.endswith(
        ".yaml:3:1: error: malformed YAML: a tab cannot indent YAML; use spaces"
    )


def test_merge_keys_are_refused_rather_than_silently_ignored(write_input: WriteInput) -> None:
    message = only_error(write_input, "base: &b\n  x: 1\nsession:\n  <<: *b\n")
    assert message.endswith(
        ".yaml:4:3: error: session: merge keys ('<<') are not supported: write the keys out"
    )


def test_millions_of_tiny_values_are_refused_without_composing_them(
    write_input: WriteInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(briefgen.input.source, "MAX_NODES", 1_000)
    content = "junk:\n" + "  - [a, b, c, d, e, f, g, h, i, j]\n" * 200
    tracemalloc.start()
    try:
        message = only_error(write_input, content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.endswith("error: too many values (more than 1,000) for a session file")
    assert ".yaml:92:" in message
    assert peak < 5_000_000


_YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=4)
    ),
    max_leaves=30,
)


@given(value=_YAML_VALUES, flow=st.booleans())
def test_the_indicators_bound_the_number_of_nodes(value: object, flow: bool) -> None:
    """The cheap bound that spares most files the count of their nodes is a bound: in
    block and flow style alike, a document never has more nodes than it allows."""
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)

    def nodes(node: yaml.Node) -> int:
        if isinstance(node, yaml.MappingNode):
            return 1 + sum(nodes(key) + nodes(item) for key, item in node.value)
        if isinstance(node, yaml.SequenceNode):
            return 1 + sum(nodes(item) for item in node.value)
        return 1

    bound = 2 * sum(map(text.count, briefgen.input.source._NODE_INDICATORS)) + 2
    assert nodes(yaml.compose(text, Loader=yaml.SafeLoader)) <= bound
