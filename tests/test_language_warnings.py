"""Text whose script does not read the way its language does is a warning at its place."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefgen.cli.main import cli
from briefgen.input.load import load_session
from tests.conftest import CASES

ARABIC = "اعتمدت الجمعية الميزانية بعد نقاش طويل وصعب."
BASE = CASES / "valid" / "who-said-what.yaml"


def with_edit(tmp_path: Path, old: str, new: str) -> Path:
    text = BASE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_an_arabic_summary_without_its_language_is_a_warning_at_the_summary(
    tmp_path: Path,
) -> None:
    path = with_edit(tmp_path, "The review must stay independent.", ARABIC)
    (warning,) = load_session(path).warnings
    assert warning.field == "plenaries[0].statements[0].summary"
    assert (warning.line, warning.column) == (33, 18)
    assert "mostly in a right-to-left script" in warning.message
    assert "the pack's language 'en'" in warning.message


def test_english_text_marked_arabic_is_a_warning_at_its_language(tmp_path: Path) -> None:
    path = with_edit(
        tmp_path,
        "        summary: The review must stay independent.\n",
        "        summary: The review must stay independent.\n        language: ar\n",
    )
    (warning,) = load_session(path).warnings
    assert warning.field == "plenaries[0].statements[0].language"
    assert warning.line == 34
    assert "language 'ar' reads right to left" in warning.message


def test_text_in_its_language_and_names_in_other_scripts_are_fine(tmp_path: Path) -> None:
    arabic = with_edit(
        tmp_path,
        "        summary: The review must stay independent.\n",
        f"        summary: {ARABIC} (HRW, ICC)\n        language: ar\n",
    )
    assert load_session(arabic).warnings == ()
    names = with_edit(
        tmp_path,
        "The review must stay independent.",
        "The review must stay independent, said مرحبا.",
    )
    assert load_session(names).warnings == ()
    for case in sorted((CASES / "valid").glob("*.yaml")):
        assert load_session(case).warnings == (), case.name


def test_strict_builds_refuse_the_warning(tmp_path: Path) -> None:
    path = with_edit(tmp_path, "The review must stay independent.", ARABIC)
    result = CliRunner().invoke(
        cli, ["build", str(path), "--strict", "--output-dir", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "mostly in a right-to-left script" in result.stderr


def test_the_warning_says_warning_and_the_command_succeeds(tmp_path: Path) -> None:
    path = with_edit(tmp_path, "The review must stay independent.", ARABIC)
    (warning,) = load_session(path).warnings
    assert warning.severity == "warning"
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert f"{path}:33:18: warning: plenaries[0].statements[0].summary:" in result.stderr
    assert ": error:" not in result.stderr


def test_a_key_message_given_as_its_text_alone_is_named_by_its_item(tmp_path: Path) -> None:
    path = with_edit(tmp_path, "      - Victims must be heard.", f"      - {ARABIC}")
    (warning,) = load_session(path).warnings
    assert warning.field == "plenaries[1].key_messages[2]"
    assert (warning.line, warning.column) == (54, 9)
