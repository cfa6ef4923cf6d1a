"""Issue 19, the build's part: no hang, no half-replaced pack, no traceback.

Child processes that outlive their parent or block it, packs replaced half way,
manifests and files that are not what they seem, and ``SOURCE_DATE_EPOCH`` values
no PDF can carry. Tests that start processes bound every wait and kill what they
started; the slow ones are marked ``slow`` (``.ci/run`` runs them too).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import briefgen.input.source
from briefgen.cli.main import cli
from briefgen.input.diagnostics import UserError
from briefgen.input.source import read_source
from tests.conftest import ASP23, CASES, ROOT

resource = pytest.importorskip("resource")  # POSIX: these tests use FIFOs and signals


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
    *args: str | Path, timeout: float = 60, memory: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m briefgen ARGS`` in its own process group, killed (with all its
    children) if it is not done in ``timeout`` seconds; ``memory`` caps its address space."""

    def setup() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C as on a terminal
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with subprocess.Popen(
        [sys.executable, "-m", "briefgen", *map(str, args)],
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
