"""The sessions in ``inputs/``: every file there validates and builds, whatever it says.

This is the only test that reads ``inputs/``; users edit those files all the time, so
nothing here depends on their content (the fixed ASP23 copy is ``tests/cases/asp23.yaml``).
``--inputs-dir DIR`` runs the same check on another folder.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import tree
from briefgen.cli.main import cli
from briefgen.compose.pack import compose_pack
from briefgen.input.discover import find_inputs
from briefgen.input.load import load_session
from briefgen.writers import DEFAULT_FORMATS, FORMATS
from tests.conftest import ASP23, ROOT


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "input_file" in metafunc.fixturenames:
        folder = Path(metafunc.config.getoption("--inputs-dir"))
        files = find_inputs([folder]) if folder.is_dir() else []
        metafunc.parametrize("input_file", files, ids=lambda p: p.relative_to(folder).as_posix())


def test_every_input_validates_and_builds(input_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"GITHUB_ACTIONS": None, "NO_COLOR": "1"}

    validated = runner.invoke(cli, ["validate", str(input_file)], env=env)
    assert validated.exit_code == 0, validated.output

    built = runner.invoke(cli, ["build", str(input_file), "--output-dir", str(tmp_path)], env=env)
    assert built.exit_code == 0, built.output
    packs = sorted(p.suffix for p in tmp_path.glob("*/*-briefing-pack.*"))
    assert packs == sorted(f".{FORMATS[name].extension}" for name in DEFAULT_FORMATS)


def test_the_inputs_check_passes_after_an_edit_to_a_word_of_the_data(tmp_path: Path) -> None:
    """Changing a word of a summary fails no test: this module's check, run in another
    pytest on a folder holding an edited copy of the ASP23 session, passes."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    text = ASP23.read_text(encoding="utf-8")
    edited = text.replace("discussion of the review process", "discussion of the review", 1)
    assert edited != text
    (inputs / "asp23.yaml").write_text(edited, encoding="utf-8")
    # The edit shows in the pack (it would have failed a golden test reading inputs/).
    assert tree.dump(compose_pack(load_session(inputs / "asp23.yaml"))) != tree.dump(
        compose_pack(load_session(ASP23))
    )

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"{Path(__file__)}::test_every_input_validates_and_builds",
            "--inputs-dir",
            str(inputs),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_no_other_test_reads_the_inputs_folder() -> None:
    folder = re.compile(r"""ROOT\s*/\s*["']inputs["']""")
    named_file = re.compile(r"""["'](inputs/[\w./-]+\.ya?ml)["']""")
    readers = [
        path.name
        for path in sorted(Path(__file__).parent.glob("*.py"))
        if path.name not in {"test_inputs.py", "conftest.py"}
        and (
            folder.search(text := path.read_text(encoding="utf-8"))
            or any((ROOT / name).exists() for name in named_file.findall(text))
        )
    ]
    assert readers == [], "use tests.conftest.ASP23 (tests/cases/asp23.yaml) instead"
