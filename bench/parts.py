"""The CPU time each part of a build takes, for knowing which part a target depends on.

Usage::

    uv run python bench/parts.py [--sizes S,M] [--runs 5]

Each run is a fresh process (so that imports are counted as a build counts them) that
times, with ``time.process_time()`` and the cyclic collector paused as the command line
pauses it:

- **imports, command**: what the command's own process imports to read and compose
  (pydantic and the models, Jinja2, markdown-it, PyYAML);
- **imports, writers**: the PDF's and the DOCX's writers (reportlab, python-docx), which
  a build imports in the processes that render;
- **reading**: loading and validating the input;
- **composing**: the document tree, templates included;
- **PDF writer**, **DOCX writer**, **HTML writer**: each writer on the tree, in this
  process, the PDF without its line-breaking helper and the DOCX without LibreOffice's
  pagination (``BRIEFGEN_OFFICE=off``), so that each is its own work alone.

CPU time, not wall-clock time, so that the figures hold on a machine doing other work
too; a build's wall-clock time is at least the sum of the parts on its longest path
(imports, reading, composing, then the slowest writer) and at least the sum of all the
parts divided by the cores. The report gives the median of ``--runs`` for each part.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from run import at_least_three, parse_sizes, publish

BENCH = Path(__file__).resolve().parent
PARTS = (
    ("imports, command", "imports_command"),
    ("imports, writers", "imports_writers"),
    ("reading", "reading"),
    ("composing", "composing"),
    ("PDF writer", "pdf"),
    ("DOCX writer", "docx"),
    ("HTML writer", "html"),
)

ONE_RUN = """
import gc, json, sys, time
from pathlib import Path
gc.disable()
clock = time.process_time
seconds = {}
start = clock()
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
seconds["imports_command"] = clock() - start
start = clock()
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.pdf.writer import write_pdf
seconds["imports_writers"] = clock() - start
from briefgen.writers.html.writer import write_html
start = clock()
loaded = load_session(Path(sys.argv[1]))
seconds["reading"] = clock() - start
start = clock()
document = compose_pack(loaded, None)
seconds["composing"] = clock() - start
for name, write in (("pdf", lambda: write_pdf(document, helpers=False)),
                    ("docx", lambda: write_docx(document)),
                    ("html", lambda: write_html(document))):
    start = clock()
    write()
    seconds[name] = clock() - start
print(json.dumps(seconds))
"""


def one_run(source: Path) -> dict[str, float]:
    """The parts' seconds in one fresh process."""
    environment = dict(os.environ, BRIEFGEN_OFFICE="off")
    done = subprocess.run(
        [sys.executable, "-c", ONE_RUN, str(source)],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    seconds: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return seconds


def medians(source: Path, runs: int) -> dict[str, float]:
    one_run(source)  # a warm-up: the caches of faces and patterns, the files read once
    samples = [one_run(source) for _ in range(runs)]
    return {key: statistics.median(sample[key] for sample in samples) for _, key in PARTS}


def report(figures: dict[str, dict[str, float]]) -> str:
    sizes = list(figures)
    lines = [
        "| Part (CPU seconds) | " + " | ".join(sizes) + " |",
        "|---|" + "--:|" * len(sizes),
    ]
    for label, key in PARTS:
        lines.append(f"| {label} | " + " | ".join(f"{figures[s][key]:.3f}" for s in sizes) + " |")
    total = {s: sum(figures[s].values()) for s in sizes}
    lines.append("| all parts | " + " | ".join(f"{total[s]:.3f}" for s in sizes) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=["S", "M"])
    parser.add_argument("--runs", type=at_least_three, default=5)
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "parts")
    args = parser.parse_args(argv)
    figures = {}
    for size in args.sizes:
        source = BENCH / "inputs" / f"bench-{size.lower()}.yaml"
        if not source.is_file():
            raise SystemExit(f"{source} is missing: run bench/generate.py {size} first")
        figures[size] = medians(source, args.runs)
    publish(report(figures), args.out / "latest.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
