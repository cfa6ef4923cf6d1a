"""What the commands print: -q/-v, colour, source excerpts, progress, exit codes, and
``validate`` agreeing with ``build``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from briefgen.cli import console
from briefgen.cli.main import cli
from briefgen.input.diagnostics import Diagnostic
from briefgen.writers import DEFAULT_FORMATS, FORMATS
from tests.conftest import ASP23, CASES, ROOT

MINIMAL = CASES / "valid" / "minimal.yaml"
UNKNOWN_BY = CASES / "invalid" / "unknown-by.yaml"


def run(*args: str | Path, env: dict[str, str | None] | None = None, color: bool = False) -> Result:
    environment: dict[str, str | None] = {"GITHUB_ACTIONS": None, "NO_COLOR": None, "CI": None}
    return CliRunner().invoke(
        cli,
        [str(a) for a in args],
        env={**environment, **(env or {})},
        color=color,
        prog_name="briefgen",
    )


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target


# --- diagnostics: the source line and a caret --------------------------------------------------


def test_an_error_shows_its_source_line_and_a_caret_under_the_value() -> None:
    result = run("validate", UNKNOWN_BY)

    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert lines[0].startswith(f"{UNKNOWN_BY}:19:13: error: plenaries[0].statements[0].by:")
    assert lines[1:] == ["   |", "19 |         by: hrw2", "   |             ^^^^"]


def test_the_caret_is_as_wide_as_the_key_or_value_it_points_at(tmp_path: Path) -> None:
    """Under the value in a flow mapping ({bold: yes, ...}), under the key alone for an
    unknown key: the reader knows where each node ends; the rest of the line is no part
    of it."""
    templates = tmp_path / "templates"
    templates.mkdir()
    look = "text:\n  body: {bold: yes, italic: false}\n  heading_9: {size: 12}\n"
    (templates / "look.yaml").write_text(look, encoding="utf-8")
    lines = run("validate", MINIMAL, "--templates", templates).stderr.splitlines()
    assert lines[2:4] == ["2 |   body: {bold: yes, italic: false}", "  |                ^^^"]
    assert lines[6:8] == ["3 |   heading_9: {size: 12}", "  |   ^^^^^^^^^"]


def test_an_annotation_ends_where_the_place_does() -> None:
    diagnostic = Diagnostic("in.yaml", 3, 7, "title", "too long", width=5)
    assert diagnostic.github_annotation() == (
        "::error file=in.yaml,line=3,col=7,endColumn=11::title: too long"
    )
    assert diagnostic == Diagnostic("in.yaml", 3, 7, "title", "too long")  # the same place


def test_a_place_far_along_a_long_line_is_shown_with_the_text_around_it(tmp_path: Path) -> None:
    """A file written as one line of JSON (which is YAML): the excerpt, cut at 200
    characters, once showed the line's start with the caret past its end."""
    import json

    data = {
        "session": {"id": "j", "name": "N" * 300, "start": "2025-01-01", "end": "2025-01-01"},
        "organizations": [{"id": "ngo", "name": "Example NGO"}],
        "plenaries": [
            {
                "id": "p",
                "title": "Opening",
                "date": "2025-01-01",
                "statements": [{"id": "s", "by": "hrw2", "title": "x"}],
            }
        ],
    }
    source = tmp_path / "one-line.yaml"
    source.write_text(json.dumps(data) + "\n", encoding="utf-8")
    lines = run("validate", source).stderr.splitlines()
    column = json.dumps(data).index('"hrw2"') + 1
    assert lines[0] == (
        f"{source}:1:{column}: error: plenaries[0].statements[0].by: unknown organization 'hrw2'"
    )
    excerpt, caret = lines[2].removeprefix("1 | "), lines[3].removeprefix("  | ")
    assert excerpt.startswith("\u2026") and len(excerpt) <= 200
    assert excerpt[caret.index("^") :].startswith('"hrw2"') and caret.strip() == "^" * 6


def test_quiet_prints_problems_only_one_line_each(tmp_path: Path) -> None:
    assert run("validate", "-q", MINIMAL).output == ""
    assert run("build", "-q", MINIMAL, "--output-dir", tmp_path).output == ""
    errors = run("validate", "--quiet", UNKNOWN_BY).stderr.splitlines()
    assert len(errors) == 1 and ": error: " in errors[0]


def test_quiet_and_verbose_together_are_misuse() -> None:
    result = run("validate", "-q", "-v", MINIMAL)
    assert result.exit_code == 2
    assert "-q and -v cannot be used together" in result.stderr


def test_verbose_prints_each_stage_of_a_build(tmp_path: Path) -> None:
    result = run("build", "-v", MINIMAL, "--output-dir", tmp_path)

    assert result.exit_code == 0, result.output
    stages = [line.split(": ", 1)[1] for line in result.stderr.splitlines()]
    rendering = f"rendering {' and '.join(DEFAULT_FORMATS)}"
    assert [stage.rsplit(" ", 3)[0] for stage in stages] == [
        "reading",
        "composing",
        rendering,
        "writing",
    ]
    assert stages[2].startswith(f"{rendering} 10% (")


def test_a_long_build_prints_plain_stage_lines_when_not_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "LONG_BUILD_SECONDS", 0.0)
    result = run("build", MINIMAL, "--output-dir", tmp_path)
    assert f"{MINIMAL}: composing 5% (" in result.stderr
    assert "\r" not in result.stderr


def test_a_short_build_off_a_terminal_prints_only_its_results(tmp_path: Path) -> None:
    result = run("build", MINIMAL, "--output-dir", tmp_path)
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == len(FORMATS)


# --- colour --------------------------------------------------------------------------------


def test_colour_on_a_terminal_and_none_with_no_color() -> None:
    coloured = run("validate", UNKNOWN_BY, color=True).stderr
    plain = run("validate", UNKNOWN_BY, color=True, env={"NO_COLOR": "1"}).stderr

    assert "\x1b[31m" in coloured  # errors in red
    assert "\x1b[" not in plain
    assert plain == run("validate", UNKNOWN_BY).stderr  # as when piped


def test_no_colour_when_piped(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", str(UNKNOWN_BY)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "", "GITHUB_ACTIONS": ""},
        timeout=60,
    )
    assert done.returncode == 1
    assert "\x1b[" not in done.stderr and "^^^^" in done.stderr


# --- the live line on a terminal -------------------------------------------------------------


class FakeTerminal:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError


def test_on_a_terminal_a_live_line_shows_the_stage_and_share_then_clears(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    console.configure()
    progress = console.Progress(1)

    progress.stage(Path("asp23.yaml"), "rendering pdf and docx", 0.1)
    assert click.unstyle(terminal.text).endswith("asp23.yaml: rendering pdf and docx 10%")
    progress.stage(Path("asp23.yaml"), "writing", 0.95)
    progress.finish()

    assert "\r\x1b[K" in terminal.text and terminal.text.endswith("\r\x1b[K")
    assert "writing 95%" in terminal.text


def test_on_a_terminal_a_batch_counter_shows_from_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    console.configure()

    console.Progress(4)

    assert click.unstyle(terminal.text) == "[0/4] packs done"


def test_in_ci_there_is_no_live_line(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("CI", "true")
    console.configure()
    console.Progress(4).stage(Path("a.yaml"), "reading", 0.0)
    assert terminal.text == ""


# --- exit codes: 1 for the user's files, 2 for misuse, the same in every command --------------


@pytest.mark.parametrize("command", ["build", "validate", "watch"])
def test_a_missing_input_is_a_problem_with_the_users_files_everywhere(
    command: str, tmp_path: Path
) -> None:
    result = run(
        command,
        tmp_path / "nope.yaml",
        *(["--output-dir", tmp_path] if command != "validate" else []),
    )
    assert result.exit_code == 1, result.output
    assert f"{tmp_path / 'nope.yaml'}: error: file not found" in result.stderr


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_folder_without_yaml_files_is_misuse_for_both(command: str, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no sessions here")
    result = run(command, tmp_path)
    assert result.exit_code == 2
    assert "no YAML files found" in result.stderr


@pytest.mark.parametrize("command", ["build", "validate", "watch"])
def test_an_unknown_format_is_misuse_everywhere(command: str) -> None:
    result = run(command, "--format", "odt", MINIMAL)
    assert result.exit_code == 2
    assert "choose from pdf, docx" in result.stderr


# --- --format shows its choices; completion ----------------------------------------------------


@pytest.mark.parametrize("command", ["build", "validate", "watch"])
def test_format_help_lists_the_formats_of_the_table(command: str) -> None:
    text = run(command, "--help").stdout
    assert f"--format [{'|'.join(FORMATS)}],..." in text
    assert "TEXT" not in text.split("--format", 1)[1].split("\n", 1)[0]


def test_shell_completion_completes_formats_after_a_comma() -> None:
    result = run(
        env={
            "_BRIEFGEN_COMPLETE": "bash_complete",
            "COMP_WORDS": "briefgen build --format pdf,",
            "COMP_CWORD": "3",
        }
    )
    # bash: "type,value"
    assert result.stdout.split() == [f"plain,pdf,{name}" for name in FORMATS if name != "pdf"]


def test_shell_completion_script_is_available_for_bash() -> None:
    result = CliRunner().invoke(
        cli, [], prog_name="briefgen", env={"_BRIEFGEN_COMPLETE": "bash_source"}
    )
    assert "_briefgen_completion" in result.stdout


# --- validate and build agree ------------------------------------------------------------------


def test_validate_and_build_both_search_subfolders(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    copy(MINIMAL, inputs / "2024")
    copy(CASES / "valid" / "french.yaml", inputs)
    copy(MINIMAL, inputs / ".hidden", "skipped.yaml")

    validated = run("validate", inputs)
    built = run("build", inputs, "--output-dir", tmp_path / "out")

    assert validated.exit_code == built.exit_code == 0, validated.output + built.output
    assert validated.stdout.count(": ok: ") == 2
    assert f"{inputs / '2024' / 'minimal.yaml'}: ok" in validated.stdout
    assert len(list((tmp_path / "out").glob("*/manifest.json"))) == 2


def test_validate_prints_the_warnings_a_build_prints_and_strict_fails_both(
    tmp_path: Path,
) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace("title: Opening\n", "title: Opening 🫠\n", 1)
    source = tmp_path / "session.yaml"
    source.write_text(text, encoding="utf-8")
    assert "🫠" in text

    def warnings(result: Result) -> list[str]:
        return [line for line in result.stderr.splitlines() if ": warning: " in line]

    validated = run("validate", source)
    built = run("build", source, "--output-dir", tmp_path / "out")
    assert validated.exit_code == built.exit_code == 0
    assert warnings(validated) == warnings(built) != []

    assert run("validate", "--strict", source).exit_code == 1
    assert run("build", "--strict", source, "--output-dir", tmp_path / "strict").exit_code == 1
    # The DOCX leaves fonts to the word processor: both accept it under --strict.
    assert run("validate", "--strict", "--format", "docx", source).exit_code == 0
    docx_only = ("build", "--strict", "--format", "docx", source, "--output-dir", tmp_path / "d")
    assert run(*docx_only).exit_code == 0


# --- watch ignores its own output --------------------------------------------------------------


def test_watch_ignores_changes_inside_its_output_folder(tmp_path: Path) -> None:
    from briefgen.cli.watch import _relevant_to

    source = copy(ASP23, tmp_path)
    relevant = _relevant_to(source, tmp_path / "output", [tmp_path / "templates"])

    assert relevant(None, str(source))
    assert relevant(None, str(tmp_path / "logo.png"))
    assert not relevant(None, str(tmp_path / "output" / "asp23" / "asp23-briefing-pack.pdf"))
    assert not relevant(None, str(tmp_path / "output" / "asp23" / "manifest.json"))


def test_watch_sees_the_packs_files_and_not_a_log_beside_them(tmp_path: Path) -> None:
    """``briefgen watch asp23.yaml > watch.log`` in the input's folder: each build writes
    to the log; were the log the pack's, it would start the next build, for ever."""
    from briefgen.cli.watch import _relevant_to

    source = copy(ASP23, tmp_path)
    templates = tmp_path / "templates"
    relevant = _relevant_to(source, tmp_path / "output", [templates])

    assert not relevant(None, str(tmp_path / "watch.log"))
    assert not relevant(None, str(tmp_path / "notes" / "draft.txt"))
    assert relevant(None, str(tmp_path / "logos" / "Logo.JPG"))
    for name in ("plenary.md.j2", "look.yaml", "labels.yaml", "reference.docx", "fonts/a.ttf"):
        assert relevant(None, str(templates / name)), name
    assert not relevant(None, str(templates / "build.log"))
    assert not relevant(None, str(templates / ".plenary.md.j2.swp"))


def test_watch_whose_output_folder_holds_the_input_still_sees_the_input_change(
    tmp_path: Path,
) -> None:
    """``briefgen watch asp23.yaml --output-dir .``: the packs it writes go to ./asp23/;
    once every change inside the output folder was ignored, edits to the input too."""
    from briefgen.cli.watch import _relevant_to

    source = copy(ASP23, tmp_path)
    built = run("build", source, "--output-dir", tmp_path, "--format", "html")
    assert built.exit_code == 0, built.output
    relevant = _relevant_to(source, tmp_path, [])

    assert relevant(None, str(source))
    assert relevant(None, str(tmp_path / "logos" / "logo.png"))
    assert not relevant(None, str(tmp_path / "asp23" / "asp23-briefing-pack.html"))
    assert not relevant(None, str(tmp_path / "asp23" / "manifest.json"))
    assert not relevant(None, str(tmp_path / "asp24.yaml"))  # another input beside it
    assert not relevant(None, str(tmp_path / ".asp23.yaml.swp"))


def test_a_diagnostic_without_a_readable_source_is_printed_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    console.configure()
    console.report([Diagnostic("no/such/file.yaml", 3, 4, "x", "broken")])
    assert capsys.readouterr().err == "no/such/file.yaml:3:4: error: x: broken\n"
