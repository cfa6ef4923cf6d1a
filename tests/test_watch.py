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
from collections.abc import Iterator
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
    monkeypatch.setattr(watch_command, "_build", lambda path, options: None)
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
    monkeypatch.setattr(watch_command, "_build", lambda path, options: events.append("build"))
    monkeypatch.setattr(watch_command, "warm_up", lambda formats: events.append("warm up"))
    source = tmp_path / "asp23.yaml"
    shutil.copyfile(ASP23, source)
    watch_command.watch_and_build(source, BuildOptions(("docx",), tmp_path / "out"))
    assert events == ["build", "warm up", "watcher started", "watching", "build"]
