"""Issue 19, the build's part: no hang, no half-replaced pack, no traceback.

Child processes that outlive their parent or block it, packs replaced half way,
manifests and files that are not what they seem, and ``SOURCE_DATE_EPOCH`` values
no PDF can carry. Tests that start processes bound every wait and kill what they
started; the slow ones are marked ``slow`` (``.ci/run`` runs them too).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import briefgen.input.source
from briefgen import tree
from briefgen.build import batch, output, render
from briefgen.build.manifest import templates_fingerprint
from briefgen.build.pack import BuildOptions, BuildResult
from briefgen.cli.main import cli
from briefgen.compose.pack import compose_pack
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from briefgen.input.source import read_source
from briefgen.writers import Rendered
from tests.conftest import ASP23, CASES, ROOT

resource = pytest.importorskip("resource")
BRIEFGEN = (sys.executable, "-m", "briefgen")  # POSIX: these tests use FIFOs and signals


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


# --- running briefgen as a process, bounded ---------------------------------------------


def run_process(
    *args: str | Path, command: str | None = None, timeout: float = 60, memory: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m briefgen ARGS`` in its own process group, killed (with all its
    children) if it is not done in ``timeout`` seconds; ``memory`` caps its address space."""

    def setup() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C as on a terminal
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with subprocess.Popen(
        [*BRIEFGEN, *([command] if command else []), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "CI": "1"},
        start_new_session=True,
        preexec_fn=setup,
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process.pid)
            process.communicate()
            pytest.fail(f"briefgen {' '.join(map(str, args))} still ran after {timeout} s")
        finally:
            kill_group(process.pid)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


# --- files that are not regular, sizes on the bytes read -------------------------------


def test_a_fifo_given_as_input_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)  # opening it would wait for a writer for ever
    for command in (["validate", fifo], ["build", fifo, "--output-dir", tmp_path / "out"]):
        done = run_process(*command, timeout=30)
        assert done.returncode == 1
        assert f"{fifo}: error: is a FIFO (named pipe), not a YAML file" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_device_given_as_input_is_refused_without_reading_it() -> None:
    done = run_process("validate", "/dev/zero", timeout=30, memory=1024**3)
    assert done.returncode == 1
    assert "/dev/zero: error: is a device, not a YAML file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_folder_holding_a_fifo_and_a_folder_named_yaml_builds_the_rest(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copyfile(CASES / "valid" / "minimal.yaml", inputs / "minimal.yaml")
    os.mkfifo(inputs / "fifo.yaml")
    (inputs / "folder.yaml").mkdir()
    done = run_process("build", inputs, "--output-dir", tmp_path / "out", timeout=60)
    assert "Traceback" not in done.stderr
    assert len(list((tmp_path / "out").glob("*/manifest.json"))) == 1, done.stderr


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc")
def test_input_size_is_checked_on_the_bytes_read_not_on_stat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    status = Path("/proc/self/status")  # stat says 0 bytes; it holds a kilobyte or more
    assert status.stat().st_size == 0
    monkeypatch.setattr(briefgen.input.source, "MAX_INPUT_BYTES", 100)
    with pytest.raises(UserError) as raised:
        read_source(status, "status.yaml")
    assert [str(d) for d in raised.value.diagnostics] == [
        "status.yaml: error: file is too large (more than 100 bytes)"
    ]


# --- child processes: read while joined, dead with their parent, stopped by Ctrl-C ------


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in {"Z", "X"}


def wait_until(condition: Callable[[], bool], limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@contextlib.contextmanager
def children_killed_after(seconds: float) -> Iterator[list[bool]]:
    """Kill this process's children if the block is not done within ``seconds``, so a
    regression that would wait for them for ever fails instead; yields [fired]."""
    fired = [False]

    def kill() -> None:
        fired[0] = True
        for child in multiprocessing.active_children():
            child.kill()

    timer = threading.Timer(seconds, kill)
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()
        for child in multiprocessing.active_children():
            child.kill()
            child.join()


def a_document() -> tree.Document:
    return tree.Document(compose_pack(load_session(ASP23)).meta, ())


def test_a_failing_format_does_not_wait_for_a_child_blocked_on_a_full_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The DOCX writer fails here while the forked child sends a PDF larger than a pipe
    holds: the child must be stopped, not joined unread for ever."""
    big = Rendered(b"%PDF" + b"x" * (8 * 1024 * 1024), pages=1)

    def fail(document: tree.Document) -> Rendered:
        raise RuntimeError("the DOCX writer failed")

    def renderer(name: str, options: object) -> Callable[[tree.Document], Rendered]:
        return (lambda document: big) if name == "pdf" else fail

    monkeypatch.setattr(render, "renderer", renderer)
    document = a_document()
    with children_killed_after(30) as fired, pytest.raises(RuntimeError, match="DOCX writer"):
        render.render_formats(document, ("pdf", "docx"), {})
    assert not fired[0], "render_formats waited for a child that could not finish"
    assert multiprocessing.active_children() == []


def test_a_failing_format_stops_the_child_started_with_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As above, for the child that was sent the tree rather than forked with it."""
    big = Rendered(b"%PDF" + b"x" * (8 * 1024 * 1024), pages=1)

    def fail(document: tree.Document) -> Rendered:
        raise RuntimeError("the DOCX writer failed")

    def renderer(name: str, options: object) -> Callable[[tree.Document], Rendered]:
        return (lambda document: big) if name == "pdf" else fail

    monkeypatch.setattr(render, "renderer", renderer)
    document = a_document()
    with (
        children_killed_after(30) as fired,
        pytest.raises(RuntimeError, match="DOCX writer"),
        render.rendering(("pdf", "docx")) as renderers,
    ):
        renderers.render(document, {}, 10)
    assert not fired[0], "the build waited for a child that could not finish"
    assert multiprocessing.active_children() == []


def test_ctrl_c_while_rendering_stops_the_forked_child_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(document: tree.Document) -> Rendered:
        raise KeyboardInterrupt

    def renderer(name: str, options: object) -> Callable[[tree.Document], Rendered]:
        return (lambda document: time.sleep(600)) if name == "pdf" else interrupted  # type: ignore[return-value,func-returns-value]

    monkeypatch.setattr(render, "renderer", renderer)
    document = a_document()
    with children_killed_after(30) as fired, pytest.raises(KeyboardInterrupt):
        render.render_formats(document, ("pdf", "docx"), {})
    assert not fired[0], "render_formats waited for the child after Ctrl-C"
    assert multiprocessing.active_children() == []


ORPHAN_SCRIPT = """
import os, sys, time
from pathlib import Path
import briefgen.build.render as render
if sys.argv[2] == "without-prctl":
    import briefgen.build.lifeline as lifeline
    lifeline.set_parent_death_signal = lambda: False
def renderer(name, options):
    def write(document):
        if name == "pdf":
            Path(sys.argv[1]).write_text(str(os.getpid()))
        time.sleep(600)
    return write
render.renderer = renderer
render.render_formats(object(), ("pdf", "docx"), {})
"""


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["with-prctl", "without-prctl"])
def test_the_forked_renderer_dies_when_its_parent_is_killed(tmp_path: Path, mode: str) -> None:
    pid_file = tmp_path / "child.pid"
    with subprocess.Popen(
        [sys.executable, "-c", ORPHAN_SCRIPT, str(pid_file), mode],
        cwd=ROOT,
        start_new_session=True,
    ) as parent:
        child = 0
        try:
            assert wait_until(lambda: pid_file.is_file() and pid_file.read_text() != "", 30)
            child = int(pid_file.read_text())
            assert alive(child)
            parent.kill()  # kill -9: no code of the parent runs
            parent.wait(timeout=10)
            assert wait_until(lambda: not alive(child), 10), "the renderer outlived its parent"
        finally:
            kill_group(parent.pid)
            if child and alive(child):
                os.kill(child, signal.SIGKILL)


def _dies_building_b(input_path: Path, options: BuildOptions) -> BuildResult:
    if input_path.name == "b.yaml":
        os._exit(9)  # as the out-of-memory killer would end it
    return BuildResult(input_path.stem, input_path.parent, (), ())


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the patched build reaches the workers only when they are forked",
)
def test_a_worker_that_dies_fails_only_its_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(batch, "build_pack", _dies_building_b)
    monkeypatch.setattr(batch, "_cores", lambda: 2)
    inputs = [tmp_path / f"{name}.yaml" for name in "abcde"]
    with children_killed_after(60) as fired:
        outcomes = batch.build_all(inputs, BuildOptions(), lambda outcome: None)
    assert not fired[0]
    assert [o.result.session_id if o.result else None for o in outcomes] == [
        "a",
        None,
        "c",
        "d",
        "e",
    ]
    assert outcomes[1].crash == "the worker building it ended (exit code 9)"
    assert multiprocessing.active_children() == []


class Build:
    """``briefgen build`` of many inputs in a process group of its own, lines collected."""

    def __init__(self, inputs: Path, output: Path) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [*BRIEFGEN, "build", str(inputs), "--output-dir", str(output), "--format", "pdf"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "CI": "1"},
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def group(self) -> list[int]:
        """The processes of its group (the command and its workers), Linux only."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.process.pid and fields[0] not in {"Z", "X"}:
                    found.append(int(stat.parent.name))
        return found

    def close(self) -> None:
        kill_group(self.process.pid)
        self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def many_inputs(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    text = ASP23.read_text(encoding="utf-8")
    assert "  id: asp23\n" in text
    for number in range(count):
        name = f"s{number:03d}"
        (folder / f"{name}.yaml").write_text(text.replace("  id: asp23\n", f"  id: {name}\n"))
    return folder


def _interrupted(*_args: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("argv", "step"),
    [
        (["build", str(ASP23)], "briefgen.cli.main._find_inputs"),  # no build started yet
        (["validate", str(ASP23)], "briefgen.cli.main._find_inputs"),
        (["schema"], "briefgen.input.schema.input_schema_json"),
    ],
    ids=["build", "validate", "schema"],
)
def test_ctrl_c_as_a_command_starts_exits_with_130(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], step: str
) -> None:
    """Not click's "Aborted!" and 1, the code of a problem in the user's files."""
    monkeypatch.setattr(step, _interrupted)
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 130, result.output
    assert "Aborted" not in result.output


@pytest.mark.slow
def test_ctrl_c_stops_a_folder_build_with_exit_130_saying_what_was_not_built(
    tmp_path: Path,
) -> None:
    inputs = many_inputs(tmp_path / "in", 60)
    output = tmp_path / "out"
    build = Build(inputs, output)
    try:
        assert wait_until(lambda: len(build.lines) >= 1, 120), "no pack was built"
        os.killpg(build.process.pid, signal.SIGINT)  # Ctrl-C reaches the whole group
        code = build.process.wait(timeout=30)
        assert build.process.stderr is not None
        err = build.process.stderr.read()
    finally:
        build.close()
    assert code == 130, err
    assert "Traceback" not in err and "Aborted" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted: ") and " of 60 inputs done (" in last, err
    assert "; not built: " in last and str(inputs / "s059.yaml") not in last
    built = len(list(output.glob("*/manifest.json")))
    time.sleep(2)  # no worker goes on with queued inputs
    assert len(list(output.glob("*/manifest.json"))) == built < 60


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="lists processes in /proc")
def test_sigterm_stops_a_folder_build_with_exit_143_saying_what_was_not_built(
    tmp_path: Path,
) -> None:
    """A CI job's timeout: its log once ended with nothing, not a word of the packs left."""
    inputs = many_inputs(tmp_path / "in", 60)
    build = Build(inputs, tmp_path / "out")
    try:
        assert wait_until(lambda: len(build.lines) >= 1, 120), "no pack was built"
        workers = [pid for pid in build.group() if pid != build.process.pid]
        build.process.terminate()  # to the command only, as a CI runner's timeout sends it
        code = build.process.wait(timeout=30)
        assert build.process.stderr is not None
        err = build.process.stderr.read()
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 10), "workers left"
    finally:
        build.close()
    assert code == 143, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("terminated: ") and " of 60 inputs done (" in last, err
    assert "; not built: " in last


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="lists processes in /proc")
def test_kill_9_of_a_folder_build_leaves_no_worker_running(tmp_path: Path) -> None:
    inputs = many_inputs(tmp_path / "in", 60)
    build = Build(inputs, tmp_path / "out")
    try:
        assert wait_until(lambda: len(build.lines) >= 1, 120), "no pack was built"
        workers = [pid for pid in build.group() if pid != build.process.pid]
        assert workers, "no worker process found"
        build.process.kill()
        build.process.wait(timeout=10)
        assert wait_until(lambda: not any(alive(pid) for pid in workers), 10), (
            "workers outlived the build"
        )
    finally:
        build.close()


FAKE_OFFICE = """\
import os, sys, time
from pathlib import Path
Path(os.environ["FAKE_OFFICE_PID"]).write_text(str(os.getpid()))
time.sleep(60)  # LibreOffice laying a long pack out
"""
STOPS = {
    # Ctrl-C reaches the group; the DOCX is rendered in the child started with the build.
    "ctrl-c-docx-in-the-child": (signal.SIGINT, True, "docx", 130),
    # kill (a CI job cancelled): the DOCX is rendered by the command itself.
    "sigterm-docx-here": (signal.SIGTERM, False, "pdf,docx", 143),
    "sigterm-docx-in-the-child": (signal.SIGTERM, False, "docx,pdf", 143),
    # The terminal closed: the hangup reaches its foreground group. LibreOffice once ran
    # on, and the build's folders stayed in /tmp.
    "sighup-docx-here": (signal.SIGHUP, True, "pdf,docx", 129),
    "sighup-docx-in-the-child": (signal.SIGHUP, True, "docx,pdf", 129),
}


def _default_stops() -> None:
    """In a test's child: Ctrl-C and SIGHUP as a terminal's command has them (a test
    run in the background, or under nohup, would have it inherit them ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@pytest.mark.parametrize(("stop", "group", "formats", "code"), STOPS.values(), ids=STOPS.keys())
def test_a_build_stopped_while_libreoffice_paginates_stops_it_and_removes_its_files(
    tmp_path: Path, stop: signal.Signals, group: bool, formats: str, code: int
) -> None:
    """LibreOffice runs in a session of its own, which neither Ctrl-C nor a signal to
    briefgen reaches: briefgen stops it. Once, it ran on after briefgen had ended (and
    held its profile), and its temporary folder, a copy of the pack, stayed in /tmp."""
    office = tmp_path / "soffice"
    office.write_text(f"#!{sys.executable}\n{FAKE_OFFICE}", encoding="utf-8")
    office.chmod(0o755)
    office_pid, temporary = tmp_path / "office.pid", tmp_path / "tmp"
    temporary.mkdir()
    environment = {
        **os.environ,
        "CI": "1",
        "BRIEFGEN_OFFICE": str(office),
        "BRIEFGEN_CACHE_DIR": "off",
        "FAKE_OFFICE_PID": str(office_pid),
        "TMPDIR": str(temporary),
    }
    output = tmp_path / "out"
    argv = ["build", str(CASES / "valid" / "minimal.yaml"), "--output-dir", str(output)]
    with subprocess.Popen(
        [*BRIEFGEN, *argv, "--format", formats],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=environment,
        start_new_session=True,
        preexec_fn=_default_stops,
    ) as build:
        office_process = 0
        try:
            assert wait_until(lambda: office_pid.is_file() and office_pid.read_text() != "", 60)
            office_process = int(office_pid.read_text())
            (os.killpg if group else os.kill)(build.pid, stop)
            _, err = build.communicate(timeout=30)
        finally:
            kill_group(build.pid)
            if office_process and alive(office_process):
                os.kill(office_process, signal.SIGKILL)
                pytest.fail("LibreOffice ran on after the build had stopped")
    assert build.returncode == code, err
    assert "Traceback" not in err
    assert not alive(office_process)
    assert list(temporary.iterdir()) == []
    assert not output.exists()  # stopped before writing: nothing half done


# --- a pack is replaced as a whole or not at all -----------------------------------------

OLD = {
    "p-briefing-pack.pdf": b"old pdf",
    "p-briefing-pack.docx": b"old docx",
    "manifest.json": b"{}",
}
NEW = {
    "p-briefing-pack.pdf": b"new pdf!",
    "p-briefing-pack.docx": b"new docx!",
    "manifest.json": b"[]",
}
OWNED = tuple(OLD)


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def old_pack(folder: Path, names: tuple[str, ...] = OWNED) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(OLD[name])
    return folder_state(folder)


def replace(folder: Path, files: dict[str, bytes] = NEW) -> None:
    with output.pack_folder(folder, OWNED):
        output.replace_files(folder, files)


class Faults:
    """Counts calls to the patched functions; the ``fail_at``-th one raises instead."""

    def __init__(self, fail_at: int, error: OSError) -> None:
        self.calls = 0
        self.fail_at = fail_at
        self.error = error

    def wrap(self, function: Callable[..., object]) -> Callable[..., object]:
        def faulty(*args: object, **kwargs: object) -> object:
            self.calls += 1
            if self.calls == self.fail_at:
                raise self.error
            return function(*args, **kwargs)

        return faulty


FAULT_POINTS = ["replace", "rename", "write", "fsync", "open", "mkstemp", "unlink"]


@pytest.mark.parametrize("point", FAULT_POINTS)
@pytest.mark.parametrize("old_names", [OWNED, ("p-briefing-pack.pdf", "manifest.json")])
def test_a_failure_at_any_write_or_rename_keeps_the_previous_pack_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str, old_names: tuple[str, ...]
) -> None:
    """Fail the first, second, ... call of each operation in turn until a replacement
    succeeds: every failed one leaves the folder exactly as it was."""
    targets = {
        "replace": (os, "replace"),
        "rename": (os, "rename"),
        "write": (os, "write"),
        "fsync": (os, "fsync"),
        "open": (os, "open"),
        "mkstemp": (tempfile, "mkstemp"),
        "unlink": (Path, "unlink"),
    }
    module, name = targets[point]
    real = getattr(module, name)
    for fail_at in range(1, 40):
        folder = tmp_path / f"fail-{fail_at}"
        before = old_pack(folder, old_names)
        faults = Faults(fail_at, PermissionError(13, "Permission denied"))
        monkeypatch.setattr(module, name, faults.wrap(real))
        try:
            replace(folder)
        except UserError as error:
            monkeypatch.setattr(module, name, real)
            message = str(error)
            assert "cannot write: Permission denied; the previous pack is kept" in message, message
            assert folder_state(folder) == before, f"failure {fail_at} of {point}"
            continue
        finally:
            monkeypatch.setattr(module, name, real)
        if faults.calls < fail_at:  # no call left to fail: the pack was replaced
            assert folder_state(folder) == NEW
            break
        # a failed clean-up after the swap (deleting a set-aside file) keeps the new pack
        assert {k: v for k, v in folder_state(folder).items() if not k.startswith(".")} == NEW
        with output.pack_folder(folder, OWNED):
            pass
        assert folder_state(folder) == NEW
    else:
        pytest.fail("the replacement never succeeded")


def test_a_locked_file_as_word_holds_one_on_windows_keeps_the_previous_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "p"
    before = old_pack(folder)
    real = os.replace

    def locked(source: object, target: object) -> None:
        if Path(str(source)).name == "p-briefing-pack.docx":  # moving the old DOCX away
            raise PermissionError(13, "The process cannot access the file", str(source))
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserError) as raised:
        replace(folder)
    assert str(raised.value) == (
        f"{folder / 'p-briefing-pack.docx'}: error: cannot write: The process cannot access"
        " the file; the previous pack is kept"
    )
    assert folder_state(folder) == before


@pytest.mark.parametrize("crash_at", range(1, 8))
def test_a_build_killed_during_the_swap_is_undone_by_the_next_one(
    tmp_path: Path, crash_at: int
) -> None:
    """kill -9 between any two renames: no pack file is ever old and new side by side,
    and the next build of the pack puts the previous one back before anything else."""
    folder = tmp_path / "p"
    before = old_pack(folder)
    pid = os.fork()
    if pid == 0:  # the build that is killed
        try:
            calls = [0]
            real = os.replace

            def dying(source: object, target: object) -> None:
                calls[0] += 1
                if calls[0] == crash_at:
                    os._exit(9)
                real(source, target)  # type: ignore[arg-type]

            os.replace = dying  # type: ignore[assignment]
            replace(folder)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    visible = {k: v for k, v in folder_state(folder).items() if not k.startswith(".")}
    assert set(visible.values()) <= set(OLD.values()) or set(visible.values()) <= set(
        NEW.values()
    ), f"old and new side by side: {visible}"
    with output.pack_folder(folder, OWNED):  # what the next build does first
        pass
    after = folder_state(folder)
    if os.waitstatus_to_exitcode(status) == 9:
        assert after == before
    else:  # all renames were done before the crash point: the new pack stands
        assert after == NEW


def test_stale_temporary_files_of_crashed_builds_are_removed_by_the_next_build(
    tmp_path: Path,
) -> None:
    output_dir = tmp_path / "out"
    code, _, err = run_build(ASP23, "--format", "pdf", "--output-dir", output_dir)
    assert code == 0, err
    folder = output_dir / "asp23"
    stale = [
        ".asp23-briefing-pack.pdf.k2j4_x9q.tmp",  # as tempfile names them
        ".asp23-briefing-pack.docx.0a1b2c3d.old",
        ".manifest.json.zzzzzzzz.tmp",
    ]
    others = [".notes.abcdefgh.tmp", "notes.txt"]  # not briefgen's: left alone
    for name in stale + others:
        (folder / name).write_text("left by a killed build")
    code, out, err = run_build(ASP23, "--format", "pdf", "--output-dir", output_dir)
    assert code == 0 and out.strip() == f"{folder}: up to date", err
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*others, "asp23-briefing-pack.pdf", "asp23-data.yaml", "manifest.json"]
    )


def pdf_pack(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A PDF pack built from ASP23, and an edited ASP23 that builds another one."""
    output_dir = tmp_path / "out"
    code, _, err = run_build(ASP23, "--format", "pdf", "--output-dir", output_dir)
    assert code == 0, err
    edited = tmp_path / "in" / "asp23.yaml"
    edited.parent.mkdir()
    text = ASP23.read_text(encoding="utf-8")
    assert "  edition: 2024-12-10\n" in text
    edited.write_text(text.replace("  edition: 2024-12-10\n", "  edition: 2024-12-11\n"))
    folder = output_dir / "asp23"
    return edited, folder, folder_state(folder)


@pytest.mark.parametrize("blocked", ["asp23-briefing-pack.pdf", "manifest.json"])
def test_a_folder_where_a_pack_file_goes_is_named_and_the_pack_is_kept(
    tmp_path: Path, blocked: str
) -> None:
    edited, folder, _ = pdf_pack(tmp_path)
    target = folder / blocked
    target.unlink()
    target.mkdir()
    (target / "inside.txt").write_text("mine")
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    code, _, err = run_build(edited, "--format", "pdf", "--output-dir", folder.parent)
    assert code == 1
    assert err.strip() == f"{target}: error: cannot write: a folder is in the way", err
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    assert (target / "inside.txt").read_text() == "mine"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*before, blocked])


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_pack_folder_keeps_the_previous_pack(tmp_path: Path) -> None:
    edited, folder, before = pdf_pack(tmp_path)
    folder.chmod(0o555)
    try:
        code, _, err = run_build(edited, "--format", "pdf", "--output-dir", folder.parent)
    finally:
        folder.chmod(0o755)
    assert code == 1 and "cannot write: Permission denied" in err
    assert folder_state(folder) == before


# --- manifests of any shape mean "rebuild" ----------------------------------------------

CORRUPT_MANIFESTS = {
    "nested arrays": b"[" * 100_000,
    "nested objects": b'{"a":' * 100_000,
    "not UTF-8": b'{"sources": "\xff\xfe"}',
    "a list": b"[1, 2, 3]",
    "wrong types": b'{"sources": 1, "artifacts": 2}',
    "sources as a list": b'{"sources": [], "artifacts": []}',
    "a record of the wrong shape": b'{"sources": {}, "artifacts": [[1, 2]]}',
    "empty": b"",
    "huge": b" " * (2 * 1024 * 1024) + b"{}",
}


@pytest.mark.parametrize("content", CORRUPT_MANIFESTS.values(), ids=CORRUPT_MANIFESTS.keys())
@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
def test_a_corrupt_manifest_means_rebuild(tmp_path: Path, content: bytes, force: bool) -> None:
    output_dir = tmp_path / "out"
    code, _, err = run_build(ASP23, "--format", "pdf", "--output-dir", output_dir)
    assert code == 0, err
    manifest = output_dir / "asp23" / "manifest.json"
    good = json.loads(manifest.read_bytes())
    manifest.write_bytes(content)
    extra = ["--force"] if force else []
    code, out, err = run_build(ASP23, "--format", "pdf", "--output-dir", output_dir, *extra)
    assert code == 0, err
    assert "up to date" not in out
    assert json.loads(manifest.read_bytes()) == good


def test_wrong_types_inside_a_well_formed_manifest_mean_rebuild(tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    run_build(ASP23, "--format", "pdf", "--output-dir", output_dir)
    manifest = output_dir / "asp23" / "manifest.json"
    good = json.loads(manifest.read_bytes())
    for path, bad in [
        (("artifacts", 0, "bytes"), "many"),
        (("artifacts", 0, "bytes"), True),
        (("artifacts", 0, "pages"), -1),
        (("artifacts", 0, "file"), "../../elsewhere.pdf"),
        (("sources", "tools"), ["python"]),
        (("sources", "briefgen"), None),
    ]:
        broken = json.loads(json.dumps(good))
        holder = broken
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = bad
        manifest.write_text(json.dumps(broken))
        code, out, err = run_build(ASP23, "--format", "pdf", "--output-dir", output_dir)
        assert code == 0 and "up to date" not in out, (path, bad, err)
        assert json.loads(manifest.read_bytes()) == good


def test_a_fifo_in_place_of_the_manifest_means_rebuild(tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    run_build(ASP23, "--format", "pdf", "--output-dir", output_dir)
    manifest = output_dir / "asp23" / "manifest.json"
    manifest.unlink()
    os.mkfifo(manifest)
    done = run_process(ASP23, "--format", "pdf", "--output-dir", output_dir, command="build")
    assert done.returncode == 0, done.stderr
    assert manifest.is_file() and json.loads(manifest.read_bytes())["artifacts"]


# --- the templates folder: no FIFO opened, no file read whole -----------------------------


def test_a_fifo_in_the_templates_folder_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    os.mkfifo(templates / "pack.md.j2")
    done = run_process(
        ASP23, "--output-dir", tmp_path / "out", "--templates", templates, command="build"
    )
    assert done.returncode == 1
    assert f"{templates / 'pack.md.j2'}: error: is a FIFO (named pipe), not a regular file" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_3_gb_file_in_the_templates_folder_is_refused_not_read(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    huge = templates / "film.mov"
    with huge.open("wb") as file:  # sparse: takes no disk space
        file.truncate(3 * 1024**3)
    done = run_process(
        ASP23,
        "--output-dir",
        tmp_path / "out",
        "--templates",
        templates,
        command="build",
        memory=2 * 1024**3,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert (
        f"{huge}: error: too large for a file in a templates folder (3,221,225,472 bytes;"
        " the limit is 67,108,864 bytes)"
    ) in done.stderr
    assert "Traceback" not in done.stderr


def test_hidden_files_in_the_templates_folder_are_not_fingerprinted(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / ".git").mkdir(parents=True)
    before = templates_fingerprint(templates)
    (templates / ".git" / "index").write_bytes(b"changes all the time")
    (templates / ".pack.md.j2.swp").write_bytes(b"an editor's")
    os.mkfifo(templates / ".git" / "fifo")
    assert templates_fingerprint(templates) == before


def test_ctrl_c_during_the_swap_takes_effect_once_the_pack_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "p"
    old_pack(folder)
    real = os.replace

    def interrupted(source: object, target: object) -> None:
        signal.raise_signal(signal.SIGINT)  # Ctrl-C between two renames
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        replace(folder)
    monkeypatch.setattr(os, "replace", real)
    assert folder_state(folder) == NEW


def test_a_render_child_left_behind_never_keeps_the_process_from_ending() -> None:
    """A Ctrl-C that lands between a render child's start and the code that stops it
    (it is held while the child starts, then raised) leaves the child waiting for a
    tree; the process still ends at once, as it does with the batch's workers (daemonic
    children are ended at exit, not waited for)."""
    script = (
        "from briefgen.build import render\n"
        "kept = render._Worker.start('docx')  # started with a build, never stopped\n"
        "print('started', flush=True)\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert (done.returncode, done.stdout) == (0, "started\n"), done.stderr
    assert time.monotonic() - started < 20


def test_a_hangup_ignored_by_nohup_stays_ignored() -> None:
    """``nohup briefgen build inputs/`` goes on when the terminal closes."""
    from briefgen.build import lifeline

    previous = {number: signal.getsignal(number) for number in (signal.SIGHUP, signal.SIGTERM)}
    try:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        lifeline.stop_on_sigterm()
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        lifeline.stop_on_sigterm()
        assert signal.getsignal(signal.SIGHUP) is not signal.SIG_DFL
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
