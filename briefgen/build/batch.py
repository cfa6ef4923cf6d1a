"""Building many inputs at once: one process per input across the CPU cores.

One bad file fails only itself; the others are built.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from briefgen.build.pack import BuildOptions, BuildResult, build_pack
from briefgen.input.diagnostics import Diagnostic, UserError


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


def build_all(
    inputs: list[Path],
    options: BuildOptions,
    on_done: Callable[[Outcome], None],
    worker_setup: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Build every input, calling ``on_done`` as each finishes; return outcomes in input order.

    With several inputs and cores, each worker process first calls ``worker_setup``.
    """
    if len(inputs) <= 1 or _cores() == 1:
        outcomes = [build_one(path, options) for path in inputs]
        for outcome in outcomes:
            on_done(outcome)
        return outcomes
    from concurrent.futures import ProcessPoolExecutor, as_completed  # only for many inputs

    sequential_formats = replace(options, parallel_formats=False)
    finished: dict[Path, Outcome] = {}
    workers = min(len(inputs), _cores())
    with ProcessPoolExecutor(max_workers=workers, initializer=worker_setup) as pool:
        futures = [pool.submit(build_one, path, sequential_formats) for path in inputs]
        for future in as_completed(futures):
            outcome = future.result()
            finished[outcome.input] = outcome
            on_done(outcome)
    return [finished[path] for path in inputs]


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def shared_session_ids(outcomes: list[Outcome]) -> list[Diagnostic]:
    """Return an error for each input whose session id an earlier input already used.

    Such inputs write to the same folder, so the pack there is whichever finished last.
    """
    first_input: dict[str, Path] = {}
    problems = []
    for outcome in outcomes:
        if outcome.result is None:
            continue
        session_id = outcome.result.session_id
        if session_id in first_input:
            message = (
                f"session id '{session_id}' is also used by {first_input[session_id]}; "
                f"both wrote to {outcome.result.folder}"
            )
            problems.append(Diagnostic(str(outcome.input), 0, 0, "session.id", message))
        else:
            first_input[session_id] = outcome.input
    return problems
