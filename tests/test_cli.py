"""The ``briefgen`` command line: exit codes, where messages go, and what each command writes."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefgen.cli.main import cli, main
from briefgen.input.load import load_session
from tests.conftest import ASP23 as CONFTEST_ASP23
from tests.conftest import CASES, ROOT, WriteInput

ASP23 = CONFTEST_ASP23.relative_to(ROOT)  # relative to ROOT, as a user would type it


@pytest.fixture(autouse=True)
def _in_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str, github: bool = False) -> Result:
    """Run ``briefgen ARGS`` in-process, outside GitHub Actions unless ``github``."""
    env = {"GITHUB_ACTIONS": "true" if github else None}
    return CliRunner().invoke(cli, list(args), env=env, prog_name="briefgen")


def broken_asp23(write_input: WriteInput) -> Path:
    """Write a copy of asp23.yaml (session id asp23) with its end date before its start."""
    text = (ROOT / ASP23).read_text(encoding="utf-8")
    assert "  end: 2024-12-06\n" in text
    return write_input(text.replace("  end: 2024-12-06\n", "  end: 2024-11-06\n"), "asp23.yaml")


def files_under(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- validate -------------------------------------------------------------------------------


def test_validate_prints_a_summary_of_a_valid_file() -> None:
    result = run("validate", str(ASP23))

    assert result.exit_code == 0
    assert result.stdout == f"{ASP23}: ok: 3 plenaries, 6 statements, 6 key messages\n"
    assert result.stderr == ""


def test_validate_reports_every_error_on_stderr_and_exits_1(write_input: WriteInput) -> None:
    path = write_input("session:\n  id: BAD\n  nmae: x\n")

    result = run("validate", "-q", str(path))

    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [
        f"{path}:1:1: error: organizations: required key 'organizations' is missing",
        f"{path}:1:1: error: plenaries: required key 'plenaries' is missing",
        f"{path}:2:3: error: session.name: required key 'name' is missing",
        f"{path}:2:3: error: session.start: required key 'start' is missing",
        f"{path}:2:3: error: session.end: required key 'end' is missing",
        f"{path}:2:7: error: session.id: 'BAD' is not a valid id: use lowercase letters,"
        " digits and hyphens, starting with a letter or digit",
        f"{path}:3:3: error: session.nmae: unknown key 'nmae' (did you mean 'name'?)",
    ]
    assert "Traceback" not in result.output


def test_validate_checks_every_input_and_fails_if_any_is_invalid(
    write_input: WriteInput,
) -> None:
    invalid = broken_asp23(write_input)

    result = run("validate", str(invalid), str(ASP23))

    assert result.exit_code == 1
    assert result.stdout == f"{ASP23}: ok: 3 plenaries, 6 statements, 6 key messages\n"
    assert result.stderr == (  # a broken copy does not stop the valid file, but is told of it
        f"{invalid}:14:7: error: session.id: session id 'asp23' is also used by {ASP23}\n"
        "   |\n"
        "14 |   id: asp23\n"
        "   |       ^^^^^\n"
        f"{invalid}:19:8: error: session.end: end 2024-11-06 is before start 2024-12-02\n"
        "   |\n"
        "19 |   end: 2024-11-06\n"
        "   |        ^^^^^^^^^^\n"
    )


def test_validate_reports_a_session_id_another_input_uses(write_input: WriteInput) -> None:
    copy = write_input((ROOT / ASP23).read_text(encoding="utf-8"), "copy/asp23.yaml")
    broken = broken_asp23(write_input)  # its own error is reported with it

    result = run("validate", str(ASP23), str(copy), str(broken))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"{ASP23}:14:7: error: session.id: session id 'asp23' is also used by {copy}, {broken}",
        f"{copy}:14:7: error: session.id: session id 'asp23' is also used by {ASP23}",
        f"{broken}:14:7: error: session.id: session id 'asp23' is also used by {ASP23}",
        f"{broken}:19:8: error: session.end: end 2024-11-06 is before start 2024-12-02",
    ]


def test_github_actions_get_one_annotation_per_error(write_input: WriteInput) -> None:
    invalid = broken_asp23(write_input)

    result = run("validate", str(invalid), github=True)

    assert result.exit_code == 1
    assert result.stdout == (
        f"::error file={invalid},line=19,col=8,endColumn=17::"
        "session.end: end 2024-11-06 is before start 2024-12-02\n"
    )
    assert result.stderr.startswith(f"{invalid}:19:8: error: session.end:")


def test_no_annotations_outside_github_actions(write_input: WriteInput) -> None:
    assert "::error" not in run("validate", str(broken_asp23(write_input))).output


def test_annotation_escapes_the_file_name_and_message(write_input: WriteInput) -> None:
    # GitHub reads "," and ":" in a property, and "%" anywhere, as syntax unless escaped.
    path = write_input("a: [\n", "odd,name:100%.yaml")

    result = run("validate", str(path), github=True)

    annotation = result.stdout.strip()
    folder = str(path.parent).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert annotation.startswith(f"::error file={folder}/odd%2Cname%3A100%25.yaml,line=2,col=1::")


def test_validate_reports_a_missing_file_without_a_traceback() -> None:
    result = run("validate", "no/such/file.yaml")

    assert result.exit_code == 1
    assert result.stderr == "no/such/file.yaml: error: file not found\n"


# --- misuse, version, help ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--bogus", str(ASP23)),
        ("validate",),
        ("build",),
        ("build", "--format", "xls", str(ASP23)),
        ("build", "--format", "", str(ASP23)),
        ("frobnicate",),
        ("init",),
    ],
)
def test_command_line_misuse_exits_2(args: tuple[str, ...]) -> None:
    result = run(*args)

    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Usage:" in result.stderr


def test_version() -> None:
    result = run("--version")

    assert result.exit_code == 0
    assert result.stdout == f"briefgen, version {version('briefgen')}\n"


def test_main_help_shows_examples() -> None:
    result = run("--help")

    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "briefgen validate inputs/" in result.stdout
    assert "briefgen build inputs/" in result.stdout


def test_build_help_shows_examples() -> None:
    result = run("build", "--help")

    assert result.exit_code == 0
    assert "Examples:\n" in result.stdout
    assert "  briefgen build inputs/asp23.yaml\n" in result.stdout


def test_python_dash_m_runs_the_command_line() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "briefgen", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == f"briefgen, version {version('briefgen')}\n"


def test_a_real_process_reports_invalid_input_without_a_traceback(
    write_input: WriteInput,
) -> None:
    invalid = broken_asp23(write_input)
    completed = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", str(invalid)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONUTF8": "1"},
    )

    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.startswith(f"{invalid}:19:8: error: session.end:")
    assert "Traceback" not in completed.stderr


# --- init -----------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty project folder: ``init`` writes the project's schema there."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_init_writes_a_starter_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "asp99")

    written = Path("inputs") / "asp99.yaml"
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"wrote {written}"
    first_line = written.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first_line.startswith(prefix)
    schema = (written.parent / first_line.removeprefix(prefix)).resolve()
    assert schema == tmp_path / "schema" / "briefgen-input.schema.json"
    loaded = load_session(written)
    assert loaded.session.session.id == "asp99"
    assert loaded.warnings == ()


def test_init_never_overwrites(project: Path, tmp_path: Path) -> None:
    existing = tmp_path / "asp99.yaml"
    existing.write_text("mine\n", encoding="utf-8")

    result = run("init", "asp99", "--inputs-dir", str(tmp_path))

    assert result.exit_code == 1
    assert result.stderr == f"{existing}: error: already exists; not overwritten\n"
    assert existing.read_text(encoding="utf-8") == "mine\n"


def test_init_never_writes_through_a_link_to_nothing(project: Path, tmp_path: Path) -> None:
    (project / "inputs").mkdir()
    (project / "inputs" / "asp99.yaml").symlink_to(tmp_path / "elsewhere.yaml")

    result = run("init", "asp99")

    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr == f"{Path('inputs', 'asp99.yaml')}: error: already exists; not overwritten\n"
    )
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_init_into_a_folder_it_cannot_make_is_an_error_naming_it(project: Path) -> None:
    (project / "notes").write_text("a file, not a folder\n", encoding="utf-8")

    result = run("init", "asp99", "--inputs-dir", "notes/inputs")

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "notes/inputs: error: cannot write: Not a directory\n"


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_schema_write_over_a_fifo_or_a_folder_is_an_error_without_waiting(
    tmp_path: Path, kind: str
) -> None:
    """Reading a FIFO waits for a writer for ever; a folder cannot be written over. Both
    ``schema --write`` and ``init`` (which writes the schema first, then the starter)."""
    schema = tmp_path / "schema" / "briefgen-input.schema.json"
    schema.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(schema)
    else:
        schema.mkdir()
    what = "a FIFO (named pipe)" if kind == "fifo" else "a folder"
    for command in (["schema", "--write"], ["init", "asp99"]):
        completed = subprocess.run(
            [sys.executable, "-m", "briefgen", *command],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
            cwd=tmp_path,
        )
        assert (completed.returncode, completed.stdout) == (1, ""), completed.stderr
        assert completed.stderr == (
            f"{Path('schema', 'briefgen-input.schema.json')}: error:"
            f" cannot write the schema: it is {what}, not a file\n"
        )
    assert not (tmp_path / "inputs").exists()


@pytest.mark.parametrize("session_id", ["ASP99", "asp_99", "-asp", "../asp99", "asp99\n", "a" * 65])
def test_init_refuses_an_id_the_format_would_refuse(
    project: Path, tmp_path: Path, session_id: str
) -> None:
    result = run("init", "--inputs-dir", str(tmp_path / "inputs"), "--", session_id)

    assert result.exit_code == 2  # a command-line mistake, like any bad argument
    assert (
        "Invalid value for SESSION_ID: use lowercase letters, digits and hyphens" in result.stderr
    )
    assert not (tmp_path / "inputs").exists()


@pytest.mark.parametrize("session_id", ["con", "nul", "com1", "lpt9"])
def test_init_refuses_an_id_that_names_a_device_on_windows(
    project: Path, tmp_path: Path, session_id: str
) -> None:
    """The format refuses it (no folder can bear it there): a starter with it would not
    validate."""
    result = run("init", "--inputs-dir", str(tmp_path / "inputs"), session_id)

    assert result.exit_code == 2
    assert f"Invalid value for SESSION_ID: '{session_id}' names a device on Windows" in (
        result.stderr
    )
    assert not (tmp_path / "inputs").exists()


def test_init_accepts_the_longest_id_the_format_accepts(project: Path, tmp_path: Path) -> None:
    result = run("init", "a" * 64, "--inputs-dir", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert load_session(tmp_path / f"{'a' * 64}.yaml").session.session.id == "a" * 64


# --- build ----------------------------------------------------------------------------------


def test_build_of_an_invalid_input_writes_nothing(write_input: WriteInput, tmp_path: Path) -> None:
    invalid = broken_asp23(write_input)
    output = tmp_path / "OUT"
    earlier = output / "asp23" / "asp23-briefing-pack.pdf"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"%PDF-1.7 earlier pack")
    before = files_under(tmp_path)

    result = run("build", str(invalid), "--output-dir", str(output))

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{invalid}:19:8: error: session.end:")
    assert files_under(tmp_path) == before


def test_build_into_a_new_folder_creates_nothing_for_an_invalid_input(
    write_input: WriteInput, tmp_path: Path
) -> None:
    invalid = broken_asp23(write_input)

    result = run("build", str(invalid), "--output-dir", str(tmp_path / "packs"))

    assert result.exit_code == 1
    assert not (tmp_path / "packs").exists()


def test_build_writes_nothing_for_inputs_sharing_a_session_id(
    write_input: WriteInput, tmp_path: Path
) -> None:
    text = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    first = write_input(text, "a.yaml")
    second = write_input(text.replace("Minimal test", "Another", 1), "b.yaml")
    other = write_input(text.replace("id: minimal", "id: other", 1), "other.yaml")
    output = tmp_path / "OUT"
    assert run("build", "--format", "html", str(first), "--output-dir", str(output)).exit_code == 0
    earlier = {path: (data, path.stat().st_ino) for path, data in files_under(output).items()}

    result = run(
        "build", "-q", "--force", "--format", "html", str(first), str(second), str(other),
        "--output-dir", str(output),
    )  # fmt: skip

    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"{first}:3:7: error: session.id: session id 'minimal' is also used by {second}",
        f"{second}:3:7: error: session.id: session id 'minimal' is also used by {first}",
    ]
    after = {path: (data, path.stat().st_ino) for path, data in files_under(output).items()}
    assert {path: after[path] for path in earlier} == earlier  # neither built: the same files
    assert {path.parent for path in set(after) - set(earlier)} == {output / "other"}  # built


def test_one_file_named_twice_is_one_input(write_input: WriteInput, tmp_path: Path) -> None:
    """Relative and absolute, through ``..``, by a link, in its folder: one file, one
    session, not two inputs that share a session id (each once an error at it)."""
    source = write_input((CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8"))
    (source.parent / "link.yaml").symlink_to(source.name)
    names = [
        os.path.relpath(source),  # from the repository's root, the current folder
        str(source.parent / ".." / source.parent.name / source.name),
        str(source.parent / "link.yaml"),
        str(source.parent),
    ]
    validated = run("validate", *names)
    assert (validated.exit_code, validated.stderr) == (0, "")
    assert validated.stdout == f"{names[0]}: ok: 1 plenary, 0 statements, 0 key messages\n"
    built = run("build", "--format", "html", *names, "--output-dir", str(tmp_path / "out"))
    assert (built.exit_code, built.stderr) == (0, "")
    assert built.stdout.count("minimal-briefing-pack.html") == 1


def test_build_of_a_project_folder_never_takes_its_outputs_for_inputs(project: Path) -> None:
    (project / "minimal.yaml").write_bytes((CASES / "valid" / "minimal.yaml").read_bytes())
    built = Path("output", "minimal", "minimal-briefing-pack.html")

    for _ in range(2):  # the second finds the first's pack, with its copy of the data
        result = run("build", "--format", "html", "--force", ".")
        assert result.exit_code == 0, result.output
        assert [line.split("  ")[0] for line in result.stdout.splitlines()] == [str(built)]

    (project / "output" / "notes.yaml").write_text("not: [a session\n")  # not briefgen's
    result = run("build", "--format", "html", ".", "--output-dir", str(project / "output"))
    assert result.exit_code == 0, result.output  # the output folder, however it is named
    result = run("build", "--format", "html", ".", "--output-dir", "packs")
    assert result.exit_code == 1  # another output folder is searched, but not its packs
    assert result.stderr.startswith(f"{Path('output', 'notes.yaml')}:2:1: error: malformed")
    packs = Path("packs", "minimal", "minimal-briefing-pack.html")
    assert [line.split("  ")[0] for line in result.stdout.splitlines()] == [str(packs)]


def test_validate_accepts_a_folder_like_build(tmp_path: Path) -> None:
    (tmp_path / "asp23.yaml").write_bytes((ROOT / ASP23).read_bytes())
    (tmp_path / "notes.txt").write_text("not an input")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == f"{tmp_path / 'asp23.yaml'}: ok: 3 plenaries, 6 statements, 6 key messages\n"
    )


@pytest.mark.parametrize("args", [("validate", str(ASP23)), ("validate", "missing.yaml")])
def test_main_freezes_the_heap_for_exit_and_leaves_the_collector_on(
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """Shutdown would scan every live object again (``gcpause.freeze_for_exit``)."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "argv", ["briefgen", *args])
    assert gc.get_freeze_count() == 0
    try:
        with pytest.raises(SystemExit):
            main()
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()


@pytest.mark.skipif(sys.platform == "win32", reason="a pipe whose reader has gone: POSIX")
@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_output_piped_into_a_reader_that_stopped_ends_quietly_with_141(stream: str) -> None:
    """``briefgen validate inputs/ | head -1``: the reader goes away; the command once
    ended with 1, the code of a problem in the user's files."""
    target = ASP23 if stream == "stdout" else CASES / "invalid" / "duplicate-organization-id.yaml"
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "briefgen", "validate", str(target)],
            cwd=ROOT,
            stdout=write if stream == "stdout" else subprocess.DEVNULL,
            stderr=write if stream == "stderr" else subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(write)
    assert done.returncode == 141
    assert done.stderr in (None, b"")


def test_watch_given_a_folder_says_to_give_one_file(tmp_path: Path) -> None:
    """Click's own words were "File '…' is a directory", naming neither what watch
    takes nor how to build a folder."""
    result = CliRunner().invoke(cli, ["watch", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a folder: watch rebuilds one session" in result.stderr
    assert "'briefgen build FOLDER' builds them all" in result.stderr
