"""Issue 19, the build's part: no hang, no half-replaced pack, no traceback.

Child processes that outlive their parent or block it, packs replaced half way,
manifests and files that are not what they seem, and ``SOURCE_DATE_EPOCH`` values
no PDF can carry. Tests that start processes bound every wait and kill what they
started; the slow ones are marked ``slow`` (``.ci/run`` runs them too).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli.main import cli
from tests.conftest import ASP23


def run_build(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["build", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def without_edition(folder: Path) -> Path:
    """ASP23 without its edition date, so that SOURCE_DATE_EPOCH dates it."""
    text = ASP23.read_text(encoding="utf-8")
    assert "  edition: 2024-12-10\n" in text
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "asp23.yaml"
    path.write_text(text.replace("  edition: 2024-12-10\n", ""), encoding="utf-8")
    return path


# --- SOURCE_DATE_EPOCH ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999999", "99999999999999 is after 9999-12-31 23:59:59 UTC"),
        ("253402300800", "253402300800 is after 9999-12-31 23:59:59 UTC"),
        ("9" * 5000, "is after 9999-12-31 23:59:59 UTC"),
        ("1e9", "'1e9' is not a count of seconds since 1970-01-01 00:00 UTC"),
        ("\u00b2", "'\u00b2' is not a count of seconds"),
        ("-1", "'-1' is not a count of seconds"),
        ("12\x1b[2J", "'12\\x1b[2J' is not a count of seconds"),
    ],
)
def test_a_source_date_epoch_no_pdf_can_carry_is_a_user_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    source = without_edition(tmp_path / "in")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    code, _, err = run_build(source, "--output-dir", tmp_path / "out", "--format", "docx")
    assert code == 1
    assert err.startswith("SOURCE_DATE_EPOCH: error: "), err
    assert message in err
    assert "Traceback" not in err and "\x1b" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("value", "day"),
    [("253402300799", "9999-12-31"), ("0", "1970-01-01"), (" 86400 ", "1970-01-02")],
)
def test_source_date_epoch_at_the_edges_of_what_pdf_dates_allow_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, day: str
) -> None:
    from briefgen.compose.pack import document_date
    from briefgen.input.load import load_session

    session = load_session(without_edition(tmp_path)).session
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert document_date(session).isoformat() == day


def test_an_empty_source_date_epoch_is_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.compose.pack import document_date
    from briefgen.input.load import load_session

    session = load_session(without_edition(tmp_path)).session
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert document_date(session) == session.session.end
