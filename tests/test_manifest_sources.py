"""Each source of a pack's bytes, edited alone, rebuilds the pack: the logo, the labels, the
look, the versions of the libraries that write it (the input, templates, document date,
briefgen's code and fonts have their tests in test_build.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from briefgen.build import manifest
from briefgen.cli.main import cli
from tests.conftest import CASES, ROOT

FULL = CASES / "valid" / "full-featured.yaml"


def build(source: Path, output: Path, *extra: str | Path) -> str:
    result = CliRunner().invoke(
        cli,
        ["build", str(source), "--format", "pdf", "--output-dir", str(output), *map(str, extra)],
        env={"GITHUB_ACTIONS": None},
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def up_to_date(stdout: str) -> bool:
    return stdout.strip().endswith(": up to date")


@pytest.fixture
def session(tmp_path: Path) -> Path:
    """full-featured.yaml and its logo, in a folder of their own."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(CASES / "valid" / "logo.png", folder / "logo.png")
    return Path(shutil.copyfile(FULL, folder / FULL.name))


def test_a_new_logo_rebuilds_the_pack(session: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build(session, output)
    assert up_to_date(build(session, output))

    Image.new("RGB", (40, 20), "#C0392B").save(session.parent / "logo.png")

    assert not up_to_date(build(session, output))


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("labels.yaml", "  contents: Contents\n", "  contents: Table of contents\n"),
        ("look.yaml", '  accent: "#1B3A6B"', '  accent: "#6B1B3A"'),
    ],
)
def test_an_edited_labels_or_look_override_rebuilds_the_pack(
    session: Path, tmp_path: Path, name: str, old: str, new: str
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    text = (ROOT / "templates" / name).read_text(encoding="utf-8")
    assert old in text
    (templates / name).write_text(text, encoding="utf-8")
    output = tmp_path / "out"
    build(session, output, "--templates", templates)
    assert up_to_date(build(session, output, "--templates", templates))

    (templates / name).write_text(text.replace(old, new), encoding="utf-8")

    assert not up_to_date(build(session, output, "--templates", templates))


def test_another_version_of_a_library_that_writes_the_pack_rebuilds_it(
    session: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    build(session, output)
    real_version = manifest.version

    def reportlab_upgraded(name: str) -> str:
        return "99.0" if name == "reportlab" else real_version(name)

    manifest.tool_versions.cache_clear()
    monkeypatch.setattr(manifest, "version", reportlab_upgraded)
    try:
        assert not up_to_date(build(session, output))
    finally:
        manifest.tool_versions.cache_clear()
