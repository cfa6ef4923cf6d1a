"""``briefgen watch``: rebuilds on change and reports errors without exiting."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ASP23, ROOT


class Watcher:
    """A ``briefgen watch`` process whose output lines are collected as they come."""

    def __init__(self, source: Path, output: Path) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefgen",
                "watch",
                str(source),
                "--output-dir",
                str(output),
                "--format",
                "docx",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
            env={**os.environ, "CI": "1"},
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, after: int = 0, limit: float = 60.0) -> int:
        """Return the index of the first line after ``after`` containing ``text``."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            for index, line in enumerate(self.lines[after:], after):
                if text in line:
                    return index
            assert self.process.poll() is None, "\n".join(self.lines)
            time.sleep(0.1)
        raise AssertionError(f"no line with {text!r}; got:\n" + "\n".join(self.lines))

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return code


def test_watch_rebuilds_on_change_and_survives_errors(tmp_path: Path) -> None:
    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)
    watcher = Watcher(source, tmp_path / "out")
    try:
        first = watcher.wait_for("asp23-briefing-pack.docx")
        watcher.wait_for("watching")
        source.write_text(source.read_text().replace("by: hrw", "by: hrw2"), encoding="utf-8")
        error = watcher.wait_for("unknown organization 'hrw2'", after=first + 1)
        fixed = ASP23.read_text().replace("Intervention of Human Rights Watch", "HRW on the review")
        source.write_text(fixed, encoding="utf-8")
        watcher.wait_for("asp23-briefing-pack.docx", after=error + 1)
    finally:
        code = watcher.stop()
    assert code == 0
    assert "Traceback" not in "\n".join(watcher.lines)


def test_sigterm_stops_watch_with_exit_code_143(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SIGTERM while watchfiles waits: it runs the handler (``lifeline.stop_on_sigterm``),
    drops the exception it raises and raises KeyboardInterrupt instead, as for Ctrl-C;
    watch once ended with 0 then, where every other command ends with 143."""
    from briefgen.build import lifeline
    from briefgen.build.pack import BuildOptions
    from briefgen.cli import watch as watch_command

    def watchfiles_on_sigterm(*paths: object, **options: object) -> Iterator[set[object]]:
        yield set()
        with contextlib.suppress(SystemExit):  # returned as "signal" to its Python side
            signal.raise_signal(signal.SIGTERM)  # its handler runs inside watchfiles' wait
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_command, "watch", watchfiles_on_sigterm)
    monkeypatch.setattr(watch_command, "_build", lambda path, options, **_: None)
    monkeypatch.setattr(watch_command, "warm_up", lambda formats: None)
    monkeypatch.setattr(lifeline, "_sigterm", [])  # what this process has received
    previous = signal.getsignal(signal.SIGTERM)
    lifeline.stop_on_sigterm()
    try:
        with pytest.raises(SystemExit) as stopped:
            watch_command.watch_and_build(tmp_path / "in.yaml", BuildOptions(("docx",)))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert stopped.value.code == 143


def test_watch_says_it_is_watching_only_once_the_files_are_watched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An edit made as soon as "watching" is printed is seen: the watcher has started
    by then (it starts when its generator first runs, not when it is made)."""
    from briefgen.build.pack import BuildOptions
    from briefgen.cli import watch as watch_command

    events: list[str] = []

    def started_watcher(*paths: object, **options: object) -> Iterator[set[object]]:
        events.append("watcher started")
        yield set()  # no change yet: the wait timed out
        yield {("modified", str(tmp_path / "asp23.yaml"))}
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_command, "watch", started_watcher)
    monkeypatch.setattr(watch_command, "note", lambda text: events.append(text.split()[0]))
    monkeypatch.setattr(watch_command, "_build", lambda path, options, **_: events.append("build"))
    monkeypatch.setattr(watch_command, "warm_up", lambda formats: events.append("warm up"))
    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)
    watch_command.watch_and_build(source, BuildOptions(("docx",), tmp_path / "out"))
    assert events == ["build", "warm up", "watcher started", "watching", "build"]


def _watch_with_changes(
    monkeypatch: pytest.MonkeyPatch,
    source: Path,
    saves: list[Callable[[], None]],
    templates: Path | None = None,
    changed: Path | None = None,
) -> None:
    """Run ``watch_and_build`` on ``source`` with a watcher that, after "watching",
    makes each of ``saves`` and reports it as a change of ``changed`` (the input unless
    said), building HTML only (fast)."""
    from briefgen.build.pack import BuildOptions
    from briefgen.cli import watch as watch_command

    def watcher(*paths: object, **options: object) -> Iterator[set[object]]:
        yield set()
        for save in saves:
            save()
            yield {("modified", str(changed or source))}
        raise KeyboardInterrupt

    monkeypatch.setattr(watch_command, "watch", watcher)
    monkeypatch.setattr(watch_command, "warm_up", lambda formats: None)
    options = BuildOptions(("html",), source.parent / "out", templates, force=True)
    watch_command.watch_and_build(source, options)


def test_a_save_that_truncates_then_writes_is_built_without_a_wrong_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An editor that truncates the input, then writes it: the change is seen while the
    file is empty, and the build once said "file is empty" before the next one built it."""
    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)
    edited = ASP23.read_text(encoding="utf-8").replace("HRW", "H.R.W.")

    def truncate_then_write() -> None:
        source.write_bytes(b"")
        threading.Timer(0.3, lambda: source.write_text(edited, encoding="utf-8")).start()

    _watch_with_changes(monkeypatch, source, [truncate_then_write])
    captured = capsys.readouterr()
    assert ": error:" not in captured.err
    assert captured.out.count("asp23-briefing-pack.html") == 2
    assert "H.R.W." in (tmp_path / "out" / "asp23" / "asp23-data.yaml").read_text()


def test_a_save_that_deletes_then_creates_is_built_without_a_wrong_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)

    def delete_then_create() -> None:
        source.unlink()
        threading.Timer(0.3, shutil.copyfile, (ASP23, source)).start()

    _watch_with_changes(monkeypatch, source, [delete_then_create])
    captured = capsys.readouterr()
    assert "not found" not in captured.err
    assert captured.out.count("asp23-briefing-pack.html") == 2


def test_an_input_left_empty_is_reported_once_and_the_last_pack_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The wait for a save to end is bounded: an input that stays empty is an error."""
    from briefgen.cli import watch as watch_command

    monkeypatch.setattr(watch_command, "MID_SAVE_WAIT", 0.2)
    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)
    _watch_with_changes(monkeypatch, source, [lambda: source.write_bytes(b"")])
    assert capsys.readouterr().err.count("asp23.yaml: error: file is empty") == 1
    assert (tmp_path / "out" / "asp23" / "asp23-briefing-pack.html").is_file()


def test_errors_of_an_input_that_changed_during_its_build_are_not_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A build that read a file half written fails with errors that are not the file's:
    its change during the build starts the next build, which reports what is true."""
    from briefgen.build.batch import build_one
    from briefgen.cli import watch as watch_command

    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)
    whole = ASP23.read_text(encoding="utf-8")

    def written_during_the_build(input_path: Path, options: object) -> object:
        outcome = build_one(input_path, options)  # type: ignore[arg-type]
        if input_path.read_text(encoding="utf-8") != whole:
            source.write_text(whole, encoding="utf-8")  # the rest of the save
        return outcome

    monkeypatch.setattr(watch_command, "build_one", written_during_the_build)
    half = whole[: whole.index("plenaries:")] + "plenaries:\n  - id: [\n"
    saves = [lambda: source.write_text(half, encoding="utf-8"), lambda: None]
    _watch_with_changes(monkeypatch, source, saves)
    captured = capsys.readouterr()
    assert ": error:" not in captured.err
    assert captured.out.count("asp23-briefing-pack.html") == 2


def test_a_pack_removed_while_watching_is_built_again(tmp_path: Path) -> None:
    """Deleting the output folder once left the pack missing until the input changed."""
    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)
    output = tmp_path / "out"
    watcher = Watcher(source, output)
    try:
        first = watcher.wait_for("asp23-briefing-pack.docx")
        watcher.wait_for("watching", after=first)
        shutil.rmtree(output)
        watcher.wait_for("asp23-briefing-pack.docx", after=first + 1, limit=20)
        assert (output / "asp23" / "manifest.json").is_file()
    finally:
        code = watcher.stop()
    assert code == 0


def test_a_template_saved_by_truncating_then_writing_is_built_without_a_wrong_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty ``labels.yaml`` is an error: an editor's save caught half way said so."""
    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)
    templates = tmp_path / "templates"
    templates.mkdir()
    labels = templates / "labels.yaml"
    shutil.copyfile(ROOT / "templates" / "labels.yaml", labels)
    whole = labels.read_bytes()

    def truncate_then_write() -> None:
        labels.write_bytes(b"")
        threading.Timer(0.3, labels.write_bytes, (whole,)).start()

    _watch_with_changes(monkeypatch, source, [truncate_then_write], templates, labels)
    captured = capsys.readouterr()
    assert ": error:" not in captured.err
    assert captured.out.count("asp23-briefing-pack.html") == 2
