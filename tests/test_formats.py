"""The table of output formats (``briefgen.writers.FORMATS``): the command line, the
build, rendering and the manifest all follow it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen import tree
from briefgen.cli.main import cli
from briefgen.writers import DEFAULT_FORMATS, FORMATS, Format, Rendered, _hook
from tests.conftest import ASP23, ROOT


def write_block_count(document: tree.Document) -> Rendered:
    """A writer for a format added by a test: the number of top-level blocks."""
    return Rendered(str(len(document.blocks)).encode(), pages=1)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_hook_of_a_format_can_be_imported(name: str) -> None:
    entry = FORMATS[name]
    assert entry.name == name and entry.extension
    for hook in (entry.writer, entry.options, *entry.checks):
        if hook is not None:
            assert callable(_hook(hook)), hook


def test_the_command_line_offers_the_formats_of_the_table() -> None:
    help_text = " ".join(CliRunner().invoke(cli, ["build", "--help"]).output.split())
    assert f"[default: {','.join(DEFAULT_FORMATS)}]" in help_text
    result = CliRunner().invoke(cli, ["build", str(ASP23), "--format", "odt"])
    assert result.exit_code == 2
    assert f"choose from {', '.join(FORMATS)}" in result.output


@pytest.mark.parametrize("formats", ["count", "count,docx"])
def test_a_format_added_to_the_table_is_built_and_recorded(
    formats: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        FORMATS, "count", Format("count", "txt", "tests.test_formats:write_block_count")
    )
    result = CliRunner().invoke(
        cli, ["build", str(ASP23), "--format", formats, "--output-dir", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "asp23"
    assert int((folder / "asp23-briefing-pack.txt").read_text()) > 0
    manifest = json.loads((folder / "manifest.json").read_text())
    recorded = {artifact["file"] for artifact in manifest["artifacts"]}
    assert "asp23-briefing-pack.txt" in recorded
    assert ("asp23-briefing-pack.docx" in recorded) == ("docx" in formats)


def test_no_other_list_of_format_names() -> None:
    """The formats are listed once, in ``briefgen/writers/__init__.py``."""
    name = "(pdf|docx|html)"
    listing = re.compile(rf"""["']{name}["']\s*,\s*["']{name}["']|["']{name},{name}""")
    package = ROOT / "briefgen"
    found = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if path != package / "writers" / "__init__.py"
        and listing.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
