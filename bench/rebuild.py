"""How long ``briefgen watch`` takes to rebuild a pack after a one-word edit, against a
full build of the same pack.

Usage::

    uv run python bench/rebuild.py [--size M] [--runs 5] [--formats pdf,docx,html]

The bench input is copied to a temporary folder. A full build is a whole process,
``briefgen build COPY --force`` (median of ``--runs``). Then, in this process, the pack
is built once as ``watch`` builds it when it starts, and after each of ``--runs``
one-word edits of a statement's text (each edit a different statement) it is rebuilt
as ``watch`` rebuilds it (``build_one``, the collector paused); the report gives the
medians and the rebuild's share of the full build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import DEFAULT_BINARY, at_least_three, publish

from briefgen.build.batch import build_one
from briefgen.build.pack import BuildOptions
from briefgen.build.render import warm_up
from briefgen.cli.gcpause import cyclic_gc_paused

BENCH = Path(__file__).resolve().parent
EDITED_WORD = " the "  # one word of a statement's text, replaced by another


def full_build(source: Path, formats: str, out: Path, runs: int) -> float:
    command = [str(DEFAULT_BINARY), "build", str(source), "--format", formats]
    command += ["--output-dir", str(out), "--force", "-q"]
    times = []
    for _ in range(runs + 1):  # one warm-up
        start = time.perf_counter()
        subprocess.run(command, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def edited(text: str, edit: int) -> str:
    """``text`` with one word changed in the ``edit``-th statement text it holds."""
    at = -1
    for _ in range(edit + 1):
        at = text.index("    text: ", at + 1)
    word = text.index(EDITED_WORD, at)
    return text[:word] + f" this{edit} " + text[word + len(EDITED_WORD) :]


def rebuilds(source: Path, formats: tuple[str, ...], out: Path, runs: int) -> list[float]:
    options = BuildOptions(formats, out)
    original = source.read_text(encoding="utf-8")
    with cyclic_gc_paused():
        _built(build_one(source, options))  # as watch starts,
    warm_up(formats)  # and readies the renderers of its rebuilds
    times = []
    for edit in range(runs):
        source.write_text(edited(original, edit), encoding="utf-8")
        start = time.perf_counter()
        with cyclic_gc_paused():
            outcome = build_one(source, options)
        times.append(time.perf_counter() - start)
        _built(outcome)
    return times


def _built(outcome: object) -> None:
    if getattr(outcome, "result", None) is None:
        raise SystemExit(f"the build failed: {outcome}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M")
    parser.add_argument("--runs", type=at_least_three, default=5)
    parser.add_argument("--formats", default="pdf,docx,html")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "rebuild")
    args = parser.parse_args(argv)
    os.environ.setdefault("BRIEFGEN_OFFICE", "off")  # as bench/run.py
    bench_input = BENCH / "inputs" / f"bench-{args.size.lower()}.yaml"
    with tempfile.TemporaryDirectory(prefix="briefgen-rebuild-") as work:
        source = Path(work) / bench_input.name
        source.write_bytes(bench_input.read_bytes())
        full = full_build(source, args.formats, Path(work) / "full", args.runs)
        times = rebuilds(source, tuple(args.formats.split(",")), Path(work) / "watch", args.runs)
    rebuild = statistics.median(times)
    report = (
        f"| Size | Formats | Full build (s) | Rebuild after a one-word edit (s) | Share |\n"
        f"|---|---|--:|--:|--:|\n"
        f"| {args.size} | {args.formats} | {full:.3f} | {rebuild:.3f} | {rebuild / full:.2f} |\n"
    )
    publish(report, args.out / "latest.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
