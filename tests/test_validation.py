"""Validation: every problem at once, in file order, each at its place with a helpful message."""

from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from briefgen.input.model import Session
from tests.conftest import WriteInput

BASE = """\
session:
  id: s1
  name: Session
  start: 2025-03-10
  end: 2025-03-12
organizations:
  - id: ngo
    name: Example NGO
  - id: hrw
    name: Human Rights Watch
plenaries:
  - id: opening
    title: Opening
    date: 2025-03-10
    segments:
      - id: panel
        title: Panel
    statements:
      - id: ngo-opening
        by: ngo
        segment: panel
        title: Opening statement
"""


def _image_bytes(image_format: str) -> bytes:
    """A real 2x2 image: the loader decodes logos, so magic bytes alone are not enough."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "navy").save(buffer, format=image_format)
    return buffer.getvalue()


PNG = _image_bytes("PNG")
JPEG = _image_bytes("JPEG")


def with_lines(text: str, after: str, *lines: str) -> str:
    """Return ``text`` with ``lines`` inserted after the (unique) line ``after``."""
    assert text.count(after + "\n") == 1, after
    return text.replace(after + "\n", after + "\n" + "".join(f"{line}\n" for line in lines))


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def load(write_input: WriteInput, text: str, name: str = "session.yaml") -> Session:
    return load_session(write_input(text, name), "in.yaml").session


def errors(write_input: WriteInput, text: str, name: str = "session.yaml") -> list[str]:
    """Return every error line for ``text``, which must be invalid."""
    with pytest.raises(UserError) as raised:
        load_session(write_input(text, name), "in.yaml")
    return [str(d) for d in raised.value.diagnostics]


def only_error(write_input: WriteInput, text: str, name: str = "session.yaml") -> str:
    found = errors(write_input, text, name)
    assert len(found) == 1, found
    return found[0]


def test_base_file_is_valid(write_input: WriteInput) -> None:
    assert load(write_input, BASE).plenaries[0].statements[0].segment == "panel"


# --- all at once, in order -----------------------------------------------------------------


def test_all_problems_are_reported_at_once_sorted_by_line(write_input: WriteInput) -> None:
    text = "pack:\n  titel: Pack\n" + BASE  # every BASE line moves down by 2
    text = replaced(text, "end: 2025-03-12", "end: 2025-03-01")  # rule: end before start
    text = with_lines(text, "    name: Example NGO", "    url: ftp://example.org")  # field
    text = replaced(text, "    title: Opening\n", "")  # structure: missing key
    text = replaced(text, "by: ngo", "by: hrw2")  # rule: unknown reference

    assert errors(write_input, text) == [
        "in.yaml:2:3: error: pack.titel: unknown key 'titel' (did you mean 'title'?)",
        "in.yaml:7:8: error: session.end: end 2025-03-01 is before start 2025-03-10",
        "in.yaml:11:10: error: organizations[0].url: 'ftp://example.org' is not a web address:"
        " it must start with http:// or https://",
        "in.yaml:15:5: error: plenaries[0].title: required key 'title' is missing",
        "in.yaml:22:13: error: plenaries[0].statements[0].by: unknown organization 'hrw2'"
        " (did you mean 'hrw'?)",
    ]


# --- did you mean --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "line", "expected"),
    [
        (
            "  end: 2025-03-12",
            "organisations: []",
            "organisations: unknown key 'organisations' (did you mean 'organizations'?)",
        ),
        ("  name: Session", "  venu: Geneva", "session.venu: unknown key 'venu' (did you mean"),
        (
            "    name: Example NGO",
            "    shortname: NGO",
            "organizations[0].shortname: unknown key 'shortname' (did you mean 'short_name'?)",
        ),
        (
            "        title: Panel",
            "        fromat: panel",
            "plenaries[0].segments[0].fromat: unknown key 'fromat' (did you mean 'format'?)",
        ),
        (
            "        title: Opening statement",
            "        speeker: Jane Doe",
            "plenaries[0].statements[0].speeker: unknown key 'speeker' (did you mean 'speaker'?)",
        ),
    ],
)
def test_unknown_keys_suggest_the_closest_key_at_every_depth(
    write_input: WriteInput, after: str, line: str, expected: str
) -> None:
    assert expected in only_error(write_input, with_lines(BASE, after, line))


def test_an_unlike_unknown_key_gets_no_suggestion(write_input: WriteInput) -> None:
    error = only_error(write_input, with_lines(BASE, "  name: Session", "  zzzz: 1"))

    assert error.endswith("session.zzzz: unknown key 'zzzz'")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "by: ngo",
            "by: ngoo",
            "statements[0].by: unknown organization 'ngoo' (did you mean 'ngo'?)",
        ),
        (
            "segment: panel",
            "segment: panle",
            "statements[0].segment: unknown segment 'panle' in plenary 'opening'"
            " (did you mean 'panel'?)",
        ),
    ],
)
def test_unknown_ids_suggest_the_closest_id(
    write_input: WriteInput, old: str, new: str, expected: str
) -> None:
    assert only_error(write_input, replaced(BASE, old, new)).endswith(expected)


def test_unknown_publisher_suggests_the_closest_organization(write_input: WriteInput) -> None:
    error = only_error(write_input, "pack:\n  publisher: hrv\n" + BASE)

    assert error == (
        "in.yaml:2:14: error: pack.publisher: unknown organization 'hrv' (did you mean 'hrw'?)"
    )


# --- missing keys --------------------------------------------------------------------------


def test_missing_key_points_at_the_mapping_that_lacks_it(write_input: WriteInput) -> None:
    error = only_error(write_input, replaced(BASE, "    name: Human Rights Watch\n", ""))

    assert error == "in.yaml:9:5: error: organizations[1].name: required key 'name' is missing"


def test_missing_section_points_at_the_first_key_of_the_file(write_input: WriteInput) -> None:
    text = "# comment\n" + BASE.split("plenaries:")[0]

    assert only_error(write_input, text) == (
        "in.yaml:2:1: error: plenaries: required key 'plenaries' is missing"
    )


# --- text ----------------------------------------------------------------------------------


def test_surrounding_whitespace_is_stripped(write_input: WriteInput) -> None:
    text = replaced(BASE, "name: Example NGO", "name: '  Example NGO \t'")

    assert load(write_input, text).organizations[0].name == "Example NGO"


def test_text_of_only_spaces_is_empty(write_input: WriteInput) -> None:
    error = only_error(write_input, replaced(BASE, "name: Example NGO", "name: '   '"))

    assert error == "in.yaml:8:11: error: organizations[0].name: must not be empty"


def test_an_id_with_surrounding_spaces_is_the_same_id(write_input: WriteInput) -> None:
    # The model strips ids, so the cross-field rules must compare them stripped as well.
    session = load(write_input, replaced(BASE, "id: ngo\n", "id: ' ngo '\n"))

    assert session.organizations[0].id == "ngo"


def test_ids_equal_after_stripping_are_duplicates(write_input: WriteInput) -> None:
    error = only_error(write_input, replaced(BASE, "id: hrw", "id: 'ngo '"))

    assert "organizations[1].id: duplicate organization id 'ngo' (first used at line 7)" in error


def test_markdown_field_accepts_line_breaks_and_tabs(write_input: WriteInput) -> None:
    text = with_lines(BASE, "    title: Opening", '    summary: "First line\\n\\n- item\\tone"')

    assert load(write_input, text).plenaries[0].summary == "First line\n\n- item\tone"


def test_markdown_block_scalar_keeps_its_lines(write_input: WriteInput) -> None:
    text = with_lines(BASE, "    title: Opening", "    summary: |", "      One", "      Two")

    assert load(write_input, text).plenaries[0].summary == "One\nTwo"


def test_title_refuses_a_line_break(write_input: WriteInput) -> None:
    error = only_error(write_input, replaced(BASE, "title: Opening\n", 'title: "Open\\ning"\n'))

    assert error == "in.yaml:13:12: error: plenaries[0].title: must be a single line"


def test_title_refuses_a_tab(write_input: WriteInput) -> None:
    error = only_error(write_input, replaced(BASE, "title: Opening\n", 'title: "Open\\ting"\n'))

    assert error.endswith("plenaries[0].title: tab characters are not allowed here")


@pytest.mark.parametrize("code", [0x00, 0x07, 0x1B, 0x7F, 0x85, 0x9F, 0x2028, 0x2029])
@pytest.mark.parametrize("field", ["title", "summary"])
def test_control_characters_are_refused_in_any_text(
    write_input: WriteInput, code: int, field: str
) -> None:
    # "summary" is a Markdown field, where line breaks and tabs are fine but these are not.
    text = with_lines(BASE, "    date: 2025-03-10", f'    {field}: "Open\\u{code:04x}ing"')
    if field == "title":
        text = replaced(text, "    title: Opening\n", "")

    error = only_error(write_input, text)

    assert error.endswith(f"plenaries[0].{field}: control character U+{code:04X} is not allowed")


@pytest.mark.parametrize(
    "text", ["🎉 Opening 👩🏽‍⚖️", "الجلسة الافتتاحية", "Ouverture — séance d\u2019été", "开幕式"]
)
def test_emoji_and_non_latin_text_are_accepted(write_input: WriteInput, text: str) -> None:
    source = replaced(BASE, "title: Opening\n", f"title: {text}\n")
    source = with_lines(source, "    name: Example NGO", f"    short_name: {text}")

    session = load(write_input, source)

    assert session.plenaries[0].title == text
    assert session.organizations[0].short_name == text


# --- web addresses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://example.org", "https://example.org/a/b?c=d#e", "HTTPS://EXAMPLE.ORG", "Http://x.y"],
)
def test_web_addresses_are_accepted(write_input: WriteInput, url: str) -> None:
    text = with_lines(BASE, "    name: Example NGO", f"    url: '{url}'")

    assert load(write_input, text).organizations[0].url == url


SCHEME = "it must start with http:// or https://"
SPACES = "it cannot hold spaces: write each space as %20"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://example.org/file", SCHEME),
        ("javascript:alert(1)", SCHEME),
        ("mailto:someone@example.org", SCHEME),
        ("https://exa mple.org", SPACES),
        ("https://example.org/a b", SPACES),
        ("//example.org", SCHEME),
        ("https://", "it needs a host name after https://"),
        ("HTTP:///path", "it needs a host name after HTTP://"),
        ("example.org", SCHEME),
    ],
)
def test_other_addresses_are_refused_saying_why(
    write_input: WriteInput, url: str, why: str
) -> None:
    text = with_lines(BASE, "    name: Example NGO", f"    url: '{url}'")

    assert only_error(write_input, text) == (
        f"in.yaml:9:10: error: organizations[0].url: '{url}' is not a web address: {why}"
    )


# --- format --------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1", '"1"', "'1'"])
def test_format_1_is_accepted_as_number_or_text(write_input: WriteInput, version: str) -> None:
    assert load(write_input, f"format: {version}\n" + BASE)


@pytest.mark.parametrize("version", ["2", "1.0", "01", "true"])
def test_other_format_versions_are_refused(write_input: WriteInput, version: str) -> None:
    assert only_error(write_input, f"format: {version}\n" + BASE) == (
        f"in.yaml:1:9: error: format: unsupported format version '{version}': only 1 exists"
    )


# --- logo ----------------------------------------------------------------------------------


def with_logo(logo: str) -> str:
    return f"pack:\n  logo: '{logo}'\n" + BASE


@pytest.mark.parametrize(("name", "content"), [("logo.png", PNG), ("photo.jpg", JPEG)])
def test_png_and_jpeg_logos_are_recognised_by_their_bytes(
    write_input: WriteInput, name: str, content: bytes
) -> None:
    write_input(content, f"images/{name}")

    assert load(write_input, with_logo(f"images/{name}")).pack.logo == f"images/{name}"


def test_logo_path_with_surrounding_spaces_is_found(write_input: WriteInput) -> None:
    write_input(PNG, "logo.png")

    assert load(write_input, with_logo(" logo.png ")).pack.logo == "logo.png"


@pytest.mark.parametrize("form", ["NFD", "NFC"])
def test_a_logo_is_found_by_its_name_as_typed_composed_or_not(
    write_input: WriteInput, form: str
) -> None:
    """Text is read composed (NFC); a file's name is not: Linux keeps "café.png" typed
    with a combining accent (as macOS saves names) under that name only."""
    name = unicodedata.normalize(form, "café.png")
    write_input(PNG, name)

    assert load(write_input, with_logo(name)).pack.logo == name


def test_logo_named_png_holding_text_is_refused(write_input: WriteInput) -> None:
    write_input("not an image\n", "logo.png")

    assert only_error(write_input, with_logo("logo.png")) == (
        "in.yaml:2:9: error: pack.logo: 'logo.png' is not a PNG or JPEG image"
    )


def test_logo_symlink_pointing_outside_the_folder_is_refused(
    write_input: WriteInput, tmp_path: Path
) -> None:
    outside = write_input(PNG, "secret.png")
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "logo.png").symlink_to(outside)

    error = only_error(write_input, with_logo("logo.png"), "inputs/session.yaml")

    assert error == "in.yaml:2:9: error: pack.logo: 'logo.png' is outside the input file's folder"


@pytest.mark.parametrize("logo", ["../logo.png", "images/../../logo.png"])
def test_logo_path_climbing_out_of_the_folder_is_refused(
    write_input: WriteInput, logo: str
) -> None:
    write_input(PNG, "logo.png")  # exists, but outside the input's folder

    error = only_error(write_input, with_logo(logo), "inputs/session.yaml")

    assert error.endswith(f"pack.logo: '{logo}' is outside the input file's folder")


def test_absolute_logo_path_outside_the_folder_is_refused(
    write_input: WriteInput, tmp_path: Path
) -> None:
    logo = write_input(PNG, "logo.png")

    error = only_error(write_input, with_logo(str(logo)), "inputs/session.yaml")

    assert error.endswith("is outside the input file's folder")


def test_a_logo_that_is_a_folder_or_a_pipe_says_what_it_is(
    write_input: WriteInput, tmp_path: Path
) -> None:
    """Not "not found": the name is there, but it is no image file."""
    (tmp_path / "inputs" / "images").mkdir(parents=True)
    os.mkfifo(tmp_path / "inputs" / "logo.png")
    folder = only_error(write_input, with_logo("images"), "inputs/session.yaml")
    assert folder.endswith("pack.logo: 'images' is a folder; name a PNG or JPEG file in it")
    pipe = only_error(write_input, with_logo("logo.png"), "inputs/session.yaml")
    assert pipe.endswith(
        "pack.logo: 'logo.png' is not a file (a device or pipe); name a PNG or JPEG file"
    )


def test_a_single_line_field_has_a_length_limit(write_input: WriteInput) -> None:
    text = replaced(BASE, "  name: Session", "  name: " + "x" * 501)
    assert only_error(write_input, text).endswith(
        "session.name: is too long (501 characters; at most 500)"
    )
    assert load(write_input, replaced(BASE, "  name: Session", "  name: " + "x" * 500))


def test_markdown_nested_past_what_a_parser_keeps_is_refused(write_input: WriteInput) -> None:
    deep = "|\n" + "\n".join("      " + "  " * i + f"- level {i}" for i in range(130))
    text = replaced(BASE, "    date: ", f"    summary: {deep}\n    date: ")
    assert only_error(write_input, text).endswith(
        "plenaries[0].summary: a line is indented or nested more than 256 columns deep"
    )


def test_yaml_problems_are_reported_with_the_other_errors(write_input: WriteInput) -> None:
    text = with_lines(replaced(BASE, "by: ngo", "by: ngoo"), "  name: Session", "  name: Again")
    text = replaced(text, "        title: Opening statement", "        title: !!binary aGk=")
    found = errors(write_input, text)
    assert any("duplicate key 'name'" in e for e in found)
    assert any("unknown organization 'ngoo'" in e for e in found)
    assert sum("title" in e for e in found) == 1, found  # the refused tag, not "missing" too
    assert found == sorted(found, key=lambda e: int(e.split(":")[1]))
