"""The JSON Schema for editors: generated from the loader's models, it accepts every file
briefgen accepts (as an editor's YAML 1.2 parser reads it) and rejects what it can express
of what briefgen refuses; ``init`` and ``schema --write`` keep it in the project."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft7Validator, Draft202012Validator

from briefgen import __file__ as package_init
from briefgen.cli.main import cli
from briefgen.input.load import load_session
from briefgen.input.schema import MODELINE_PREFIX, SCHEMA_ID, input_schema, input_schema_json
from tests.conftest import ASP23, CASES, ROOT
from tests.yaml12 import load_as_editors_do

COMMITTED = ROOT / "schema" / "briefgen-input.schema.json"
VALID = [ASP23, *sorted((CASES / "valid").glob("*.yaml"))]
INVALID = sorted((CASES / "invalid").glob("*.yaml"))
NOT_EXPRESSIBLE = {
    "duplicate-key": "the editor's YAML parser reports it; JSON data has one value per key",
    "duplicate-organization-id": "ids unique across the items of a list",
    "duplicate-plenary-id": "ids unique across the items of a list",
    "duplicate-segment-id": "ids unique across the items of a list",
    "duplicate-statement-id-across-plenaries": "ids unique across lists",
    "end-before-start": "compares two dates",
    "plenary-date-outside-session": "compares three dates",
    "unknown-by": "a reference to another item",
    "unknown-on-behalf-of": "a reference to another item",
    "unknown-publisher": "a reference to another item",
    "unknown-segment-of-other-plenary": "a reference to another item",
    "unknown-co-signatory": "a reference to another item",
    "unknown-key-message-source": "a reference to another item",
    "co-signatory-took-the-floor": "compares two fields",
    "co-signatory-on-whose-behalf": "compares two fields",
    "on-behalf-of-itself": "compares two fields",
    "logo-damaged": "reads the logo file",
    "logo-not-found": "reads the logo file",
    "logo-not-image": "reads the logo file",
    "logo-outside-folder": "reads the logo file",
    "list-start-past-word": "reads the Markdown as the pack's parser does",
}


def validator() -> Draft202012Validator:
    return Draft202012Validator(input_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors_in(path: Path) -> list[str]:
    data = load_as_editors_do(path.read_text(encoding="utf-8"))
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(data)
    ]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"GITHUB_ACTIONS": None, "NO_COLOR": "1"})


def test_the_schema_is_valid_for_2020_12_and_for_editors_that_read_draft_07() -> None:
    Draft202012Validator.check_schema(input_schema())
    Draft7Validator.check_schema(input_schema())  # yaml-language-server checks schemas so


def test_the_schema_has_a_stable_id() -> None:
    assert input_schema()["$id"] == SCHEMA_ID == "urn:briefgen:input:v1"


def test_the_committed_schema_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == input_schema_json(), (
        "schema/briefgen-input.schema.json is out of date: run `uv run briefgen schema --write`"
    )


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_every_valid_case_validates_under_the_schema(path: Path) -> None:
    load_session(path)  # briefgen accepts it
    assert errors_in(path) == []


def test_the_traps_reach_the_schema_as_numbers_and_booleans() -> None:
    """What an editor reads as numbers (``010``, ``0x1F``, ``1e3``, ``3.10``), the schema
    accepts as text: otherwise it would show "Incorrect type" where briefgen is content."""
    data: dict[str, Any] = load_as_editors_do(
        (CASES / "valid" / "literal-traps.yaml").read_text(encoding="utf-8")
    )
    organization = data["organizations"][2]
    assert (organization["id"], organization["name"], organization["short_name"]) == (
        10,
        31,
        1000.0,
    )
    assert data["plenaries"][0]["title"] == 3.1
    assert errors_in(CASES / "valid" / "literal-traps.yaml") == []


@pytest.mark.parametrize(
    "path", [p for p in INVALID if p.stem not in NOT_EXPRESSIBLE], ids=lambda p: p.stem
)
def test_every_invalid_case_the_schema_can_express_is_rejected(path: Path) -> None:
    assert errors_in(path) != []


@pytest.mark.parametrize(
    "path", [p for p in INVALID if p.stem in NOT_EXPRESSIBLE], ids=lambda p: p.stem
)
def test_what_the_schema_cannot_express_is_left_to_briefgen(path: Path) -> None:
    """Keeps ``NOT_EXPRESSIBLE`` honest: each of these the schema accepts."""
    assert errors_in(path) == []


def test_the_list_of_inexpressible_cases_names_only_real_cases() -> None:
    assert set(NOT_EXPRESSIBLE) <= {p.stem for p in INVALID}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "a\ttab"),
        ("title", "\u200b\u00ad"),
        ("title", "   "),
        ("id", "-5"),
        ("id", -5),
        ("id", 1.5),
        ("date", "2024-12-4"),
        ("date", "2024-02-30"),
        ("kind", "closing"),
    ],
)
def test_more_values_briefgen_refuses_are_refused_by_the_schema(field: str, value: object) -> None:
    data: dict[str, Any] = load_as_editors_do(
        (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    )
    data["plenaries"][0][field] = value
    assert list(validator().iter_errors(data)) != []


# --- schema --write and init: the schema in the project --------------------------------------


def test_schema_write_puts_the_schema_in_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    first = run("schema", "--write")
    again = run("schema", "--write")

    assert first.exit_code == 0, first.output
    assert first.stdout == "wrote schema/briefgen-input.schema.json\n"
    assert again.stdout == "schema/briefgen-input.schema.json: up to date\n"
    written = json.loads((tmp_path / "schema" / "briefgen-input.schema.json").read_text())
    assert written == input_schema()


def test_schema_prints_the_schema_without_write() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["$id"] == SCHEMA_ID


def test_init_writes_the_schema_into_the_project_and_points_at_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    result = run("init", "asp99")

    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote inputs/asp99.yaml\nwrote schema/briefgen-input.schema.json\n")
    first_line = (tmp_path / "inputs" / "asp99.yaml").read_text().splitlines()[0]
    assert first_line == MODELINE_PREFIX + "../schema/briefgen-input.schema.json"
    assert run("init", "asp98").stdout == "wrote inputs/asp98.yaml\n"  # schema current


def test_the_modeline_of_init_survives_an_upgrade_of_briefgen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It points into the project, never into briefgen's install folder (which an upgrade
    or another install replaces), and the project's schema does not depend on briefgen's."""
    monkeypatch.chdir(tmp_path)
    run("init", "asp99", "--inputs-dir", "sessions/2025")
    written = tmp_path / "sessions" / "2025" / "asp99.yaml"
    reference = written.read_text().splitlines()[0].removeprefix(MODELINE_PREFIX)
    target = (written.parent / reference).resolve()

    assert target == tmp_path / "schema" / "briefgen-input.schema.json"
    assert not target.is_relative_to(Path(package_init).resolve().parent.parent)
    assert load_session(written).warnings == ()


def test_moving_a_file_within_a_folder_depth_keeps_its_modeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run("init", "asp99")
    moved = tmp_path / "archive" / "asp99.yaml"
    moved.parent.mkdir()
    shutil.move(tmp_path / "inputs" / "asp99.yaml", moved)

    assert load_session(moved).warnings == ()


def test_a_modeline_left_pointing_nowhere_is_a_warning_with_the_right_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file moved one folder deeper: validate says which path the comment needs now."""
    monkeypatch.chdir(tmp_path)
    run("init", "asp99")
    moved = tmp_path / "inputs" / "2025" / "asp99.yaml"
    moved.parent.mkdir()
    shutil.move(tmp_path / "inputs" / "asp99.yaml", moved)

    result = run("validate", str(moved))

    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{moved}:1:33: warning: the editor's schema comment points at"
        " '../schema/briefgen-input.schema.json', which does not exist; from this folder"
        " the project's schema is '../../schema/briefgen-input.schema.json'",
        "  |",
        "1 | # yaml-language-server: $schema=../schema/briefgen-input.schema.json",
        "  |                                 " + "^" * 36,
    ]
    assert run("validate", "--strict", str(moved)).exit_code == 1


def test_a_modeline_with_a_web_address_is_not_checked(tmp_path: Path) -> None:
    text = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    path = tmp_path / "session.yaml"
    path.write_text(MODELINE_PREFIX + "https://example.org/briefgen.json\n" + text)
    assert load_session(path).warnings == ()


@pytest.mark.parametrize(
    ("command", "text"),
    [
        (("schema", "--write"), '{"title": "our own schema"}\n'),
        (("init", "asp99"), '{"title": "our own schema"}\n'),
        (("schema", "--write"), "not JSON at all\n"),
        (("schema", "--write"), '{"$id": "urn:briefgen:input:v2"}\n'),
        (("init", "asp99"), '{"$id": "urn:briefgen:input:v2"}\n'),
    ],
)
def test_a_file_that_is_not_this_or_an_older_schema_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...], text: str
) -> None:
    """A user's own file where the schema goes, or a newer briefgen's schema: both
    commands once replaced it without a word."""
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "schema" / "briefgen-input.schema.json"
    mine.parent.mkdir()
    mine.write_text(text)

    result = run(*command)

    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        "schema/briefgen-input.schema.json: error: cannot write the schema: it is "
    )
    assert "not overwritten" in result.stderr
    assert mine.read_text() == text
    assert not (tmp_path / "inputs").exists()  # init writes no starter pointing at it


def test_an_older_schema_of_briefgen_is_replaced_whole_and_keeps_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    older = tmp_path / "schema" / "briefgen-input.schema.json"
    older.parent.mkdir()
    older.write_text(json.dumps({"$id": SCHEMA_ID, "title": "an older release's"}))
    older.chmod(0o664)

    result = run("schema", "--write")

    assert result.stdout == "wrote schema/briefgen-input.schema.json\n", result.output
    assert json.loads(older.read_text()) == input_schema()
    assert older.stat().st_mode & 0o777 == 0o664
    assert sorted(path.name for path in older.parent.iterdir()) == [older.name]
