"""Building many inputs at once: one worker process per CPU core, one input at a time.

One bad file fails only itself; the others are built. Inputs sharing a session id (and
so a pack folder) fail, found before any is built. A worker that dies (killed, out
of memory) fails only the input it was building and is replaced. Ctrl-C and SIGTERM
stop the workers at once and raise ``BuildInterrupted``, saying what was built and what
not (a CI job's timeout leaves that in its log).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.build.lifeline import child_setup, sigint_blocked, signals_deferred, terminated
from briefgen.build.pack import BuildOptions, BuildResult, build_pack
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.load import load_session
from briefgen.input.session_ids import shared_session_ids
from briefgen.writers import input_warnings

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


@dataclass(frozen=True)
class Outcome:
    """What became of one input: a result, the user's errors, or an internal failure."""

    input: Path
    result: BuildResult | None = None
    errors: tuple[Diagnostic, ...] = ()
    crash: str | None = None

    @property
    def failed(self) -> bool:
        return self.result is None


def build_one(input_path: Path, options: BuildOptions) -> Outcome:
    """Build one input, turning its errors into an ``Outcome`` instead of raising."""
    try:
        return Outcome(input_path, result=build_pack(input_path, options))
    except UserError as error:
        return Outcome(input_path, errors=error.diagnostics)
    except Exception:
        return Outcome(input_path, crash=traceback.format_exc())


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM, ``terminated``) stopped a build of many inputs: what was
    finished, and what was not built."""

    def __init__(self, outcomes: list[Outcome], not_built: list[Path]) -> None:
        super().__init__()
        self.outcomes = outcomes
        self.not_built = not_built
        self.terminated = terminated()

    def summary(self, shown: int = 3) -> str:
        """One line: ``interrupted: 3 of 10 inputs done (...); not built: a.yaml, ...``
        (``terminated:`` after SIGTERM)."""
        done = len(self.outcomes)
        total = done + len(self.not_built)
        failed = sum(outcome.failed for outcome in self.outcomes)
        fresh = sum(bool(o.result and o.result.up_to_date) for o in self.outcomes)
        counts = {"built": done - failed - fresh, "up to date": fresh, "failed": failed}
        parts = [f"{count} {what}" for what, count in counts.items() if count]
        line = (
            f"{'terminated' if self.terminated else 'interrupted'}: {done} of {total} inputs done"
        )
        line += f" ({', '.join(parts)})" if parts else ""
        if self.not_built:
            names = ", ".join(str(path) for path in self.not_built[:shown])
            more = len(self.not_built) - shown
            line += f"; not built: {names}" + (f" and {more} more" if more > 0 else "")
        return line


def _interruption(stop: BaseException) -> bool:
    """Whether ``stop`` is Ctrl-C, or the exit SIGTERM raises (``stop_on_sigterm``)."""
    return isinstance(stop, KeyboardInterrupt) or terminated()


def build_all(
    inputs: list[Path],
    options: BuildOptions,
    on_done: Callable[[Outcome], None],
    worker_setup: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Build every input, calling ``on_done`` as each finishes; return outcomes in input order.

    With several inputs and cores, one worker process per core builds them, one input
    at a time; each worker first calls ``worker_setup``. Ctrl-C stops every worker and
    raises ``BuildInterrupted``; the workers also end when this process is killed.
    """
    if len(inputs) <= 1 or _cores() == 1:
        return _build_here(inputs, options, on_done)
    return _Pool(inputs, options, on_done, worker_setup).run(min(len(inputs), _cores()))


def _build_here(
    inputs: list[Path], options: BuildOptions, on_done: Callable[[Outcome], None]
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    try:
        for path in inputs:
            outcome = build_one(path, options)
            outcomes.append(outcome)
            on_done(outcome)
    except (KeyboardInterrupt, SystemExit) as stop:
        if not _interruption(stop):
            raise
        raise BuildInterrupted(outcomes, inputs[len(outcomes) :]) from None
    return outcomes


class _Worker:
    """One worker process and the two-way pipe that gives it inputs and returns outcomes."""

    def __init__(self, options: BuildOptions, worker_setup: Callable[[], None] | None) -> None:
        import multiprocessing

        context = multiprocessing.get_context()
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=_work,
            args=(child_end, options, worker_setup),
            name="briefgen-build-worker",
            daemon=True,  # ended at exit, whatever happened before
        )
        self.input: Path | None = None
        try:
            with sigint_blocked():
                self.process.start()
        except BaseException:
            self.connection.close()
            raise
        finally:
            child_end.close()  # or workers started later would keep this pipe open

    def give(self, path: Path) -> None:
        self.input = path
        self.connection.send(path)

    def take(self) -> Outcome:
        """Return the outcome of the input it was given; a crash if the worker died instead."""
        assert self.input is not None
        path, self.input = self.input, None
        try:
            outcome: Outcome = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(timeout=10)
            return Outcome(path, crash=f"the worker building it ended ({_ending(self.process)})")
        return outcome

    def terminate(self) -> None:
        """SIGTERM: it ends at once, or after the renames of a pack it is swapping."""
        if self.process.exitcode is None:
            self.process.terminate()

    def kill(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()

    def stop(self) -> None:
        """Tell the worker to end (it ends anyway when its pipe closes), then join it."""
        if self.process.exitcode is None:
            with contextlib.suppress(OSError):
                self.connection.send(None)
            self.process.join(timeout=10)
        self.kill()
        self.process.join()
        self.connection.close()


class _Pool:
    """Workers fed one input at a time, so the cores share the work however it is spread."""

    def __init__(
        self,
        inputs: list[Path],
        options: BuildOptions,
        on_done: Callable[[Outcome], None],
        worker_setup: Callable[[], None] | None,
    ) -> None:
        self.inputs = inputs
        self.options = replace(options, parallel_formats=False)
        self.on_done = on_done
        self.worker_setup = worker_setup
        self.pending = deque(inputs)
        self.finished: dict[Path, Outcome] = {}
        self.workers: list[_Worker] = []

    def run(self, count: int) -> list[Outcome]:
        try:
            for _ in range(count):
                self._start_worker()
            self._serve()
        except (KeyboardInterrupt, SystemExit) as stop:
            self._stop_at_once()
            if not _interruption(stop):
                raise
            raise BuildInterrupted(
                [self.finished[p] for p in self.inputs if p in self.finished],
                [p for p in self.inputs if p not in self.finished],
            ) from None
        except BaseException:
            self._stop_at_once()
            raise
        for worker in self.workers:
            worker.stop()
        return [self.finished[path] for path in self.inputs]

    def _serve(self) -> None:
        from multiprocessing.connection import wait

        while busy := [w for w in self.workers if w.input is not None]:
            ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy]))
            for worker in busy:
                if worker.connection in ready or worker.process.sentinel in ready:
                    self._finish(worker, worker.take())
        while self.pending:  # no worker could be started: build the rest here
            path = self.pending.popleft()
            self._record(build_one(path, self.options))

    def _start_worker(self) -> None:
        """Start a worker and give it an input; without one (no process left), carry on."""
        if not self.pending:
            return
        try:
            worker = _Worker(self.options, self.worker_setup)
        except OSError:
            return
        self.workers.append(worker)
        worker.give(self.pending.popleft())

    def _finish(self, worker: _Worker, outcome: Outcome) -> None:
        if worker.process.is_alive():
            if self.pending:
                worker.give(self.pending.popleft())
        else:  # killed or crashed: its input failed, a new worker takes the next one
            self.workers.remove(worker)
            worker.stop()
            self._start_worker()
        self._record(outcome)

    def _record(self, outcome: Outcome) -> None:
        self.finished[outcome.input] = outcome
        self.on_done(outcome)

    def _stop_at_once(self) -> None:
        """Stop every worker; keep what the ones that had finished sent (their packs exist)."""
        with signals_deferred(reraise=False):
            for worker in self.workers:
                worker.terminate()
            for worker in self.workers:
                worker.process.join(timeout=10)
                worker.kill()
                worker.process.join()
                if worker.input is not None:
                    with contextlib.suppress(EOFError, OSError):
                        if worker.connection.poll(0):
                            self._record(worker.connection.recv())
                worker.stop()
            self.workers.clear()


def _work(
    connection: Connection, options: BuildOptions, worker_setup: Callable[[], None] | None
) -> None:
    """A worker's life: build each input it is given until told to stop (``None``)."""
    child_setup()
    if worker_setup is not None:
        worker_setup()
    try:
        while (path := connection.recv()) is not None:
            outcome = build_one(path, options)
            try:
                connection.send(outcome)
            except (pickle.PicklingError, TypeError, AttributeError):
                connection.send(Outcome(path, crash=traceback.format_exc()))
    except (EOFError, OSError):
        return  # the parent has gone


def _ending(process: BaseProcess) -> str:
    code = process.exitcode
    if code is None:
        return "for an unknown reason"
    if code < 0:
        return f"killed by signal {-code}"
    return f"exit code {code}"


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def unbuildable(inputs: list[Path], options: BuildOptions) -> dict[Path, Outcome]:
    """Return, in input order, a failed outcome for each input that shares its session id
    (``shared_session_ids``), with every error its build would have had; found before
    any is built.

    Their packs would go to one folder, one replacing the other: none of them is built,
    and a pack already there stays as it was.
    """
    shared = shared_session_ids(inputs, lambda path: _problems(path, options))
    return {path: Outcome(path, errors=errors) for path, errors in shared.items()}


def _problems(path: Path, options: BuildOptions) -> tuple[Diagnostic, ...]:
    """The errors a build of ``path`` would fail on before rendering, as ``validate``'s."""
    try:
        loaded = load_session(path)
        warnings = (*loaded.warnings, *input_warnings(options.formats, loaded, options.templates))
    except UserError as error:
        return error.diagnostics
    return tuple(replace(w, severity="error") for w in warnings) if options.strict else ()
