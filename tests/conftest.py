"""Shared fixtures, paths and the ``--update-golden`` option."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen import ahead

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
GOLDEN = ROOT / "tests" / "golden"
ASP23 = CASES / "asp23.yaml"
"""A copy of the ASP23 session as it stood: the golden tree and fixed counts come from it,
never from ``inputs/`` (whose files users edit; ``test_inputs.py`` checks those)."""

WriteInput = Callable[..., Path]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: starts, kills or waits on processes for seconds; .ci/run runs these too"
        " (skip them locally with -m 'not slow')",
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden files from the output"
    )
    parser.addoption(
        "--inputs-dir",
        default=str(ROOT / "inputs"),
        help="folder of sessions that test_inputs.py checks (default: inputs/)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with ``tests/golden/NAME``; rewrite it instead under --update-golden."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
        assert actual == path.read_text(encoding="utf-8"), (
            f"{name} differs from the golden file; if the change is intended, "
            "run `uv run pytest --update-golden` and review the diff"
        )

    return check


@pytest.fixture
def write_input(tmp_path: Path) -> WriteInput:
    """Return a function writing text (UTF-8) or bytes to ``tmp_path/name`` and returning it."""

    def write(content: str | bytes, name: str = "session.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def _no_pagination_by_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds in tests leave the DOCX's page numbers to Word, as without LibreOffice:
    laying out every pack with LibreOffice would take seconds each. The tests of that
    step (tests/test_docx_pagination.py) turn it back on."""
    monkeypatch.setenv("BRIEFGEN_OFFICE", "off")


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """For each helper that worked ahead (``briefgen.ahead``), as it stops: how many of
    its results were taken."""
    taken: list[int] = []
    stop = ahead.WorkedAhead.stop

    def counting(self: ahead.WorkedAhead[object]) -> None:
        taken.append(self.taken)
        stop(self)

    monkeypatch.setattr(ahead.WorkedAhead, "stop", counting)
    return taken
