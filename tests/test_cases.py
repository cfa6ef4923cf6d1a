"""The example files in tests/cases: every valid one loads, every invalid one fails as it says.

See tests/cases/README.md: each ``invalid/*.yaml`` file's first line is the one expected
error, ``# error: LINE:COL: FIELD.PATH: message``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from briefgen.cli.main import cli
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from tests.conftest import CASES, ROOT

VALID = sorted((CASES / "valid").glob("*.yaml"))
INVALID = sorted((CASES / "invalid").glob("*.yaml"))
EXPECTED_LINE = re.compile(r"# error: (?P<line>\d+):(?P<column>\d+): (?P<rest>.+)")


@pytest.fixture(autouse=True)
def _in_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def as_given(path: Path) -> Path:
    """Return ``path`` the way a user in the repository root would type it (relative)."""
    return path.relative_to(ROOT)


def raw_counts(path: Path) -> tuple[int, int, int]:
    """Count plenaries, statements and key messages with a plain YAML reader (all strings)."""
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    plenaries = data["plenaries"]
    statements = sum(len(p.get("statements", [])) for p in plenaries)
    messages = sum(len(p.get("key_messages", [])) for p in plenaries)
    return len(plenaries), statements, messages


def plural(number: int, singular: str, plural_form: str) -> str:
    return f"{number} {singular if number == 1 else plural_form}"


def expected_error(path: Path) -> str:
    """Return the full error line the invalid case announces on its first line."""
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECTED_LINE.fullmatch(first_line)
    assert match, f"{path.name}: first line must be '# error: LINE:COL: FIELD.PATH: message'"
    return f"{as_given(path)}:{match['line']}:{match['column']}: error: {match['rest']}"


def test_the_case_folders_hold_cases() -> None:
    # A glob that matched nothing would silently parametrize zero tests.
    assert len(VALID) >= 8
    assert len(INVALID) >= 30


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_case_loads_with_consistent_content(path: Path) -> None:
    loaded = load_session(as_given(path)).session
    start, end = loaded.session.start, loaded.session.end
    organization_ids = {o.id for o in loaded.organizations}

    assert path.read_text(encoding="utf-8").startswith("# "), "first line says what it covers"
    assert isinstance(start, date)
    assert start <= end
    for plenary in loaded.plenaries:
        assert start <= plenary.date <= end
        if plenary.kind == "closing":
            assert plenary.key_messages
        segment_ids = {s.id for s in plenary.segments}
        for statement in plenary.statements:
            assert statement.by in organization_ids
            assert statement.on_behalf_of in organization_ids | {None}
            assert statement.segment in segment_ids | {None}


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_validate_summarises_each_valid_case_with_its_real_counts(path: Path) -> None:
    plenaries, statements, messages = raw_counts(path)

    result = CliRunner().invoke(
        cli, ["validate", str(as_given(path))], env={"GITHUB_ACTIONS": None}
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{as_given(path)}: ok: {plural(plenaries, 'plenary', 'plenaries')}, "
        f"{plural(statements, 'statement', 'statements')}, "
        f"{plural(messages, 'key message', 'key messages')}\n"
    )


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_case_reports_exactly_the_error_on_its_first_line(path: Path) -> None:
    with pytest.raises(UserError) as raised:
        load_session(as_given(path))

    assert [str(d) for d in raised.value.diagnostics] == [expected_error(path)]
