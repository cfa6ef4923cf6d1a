"""Check that build time grows linearly with unusual shapes of input, not only with size.

Usage::

    uv run python bench/shapes.py [--formats pdf,docx] [--out bench/results/shapes]

Each shape (many organisations, one long table, one very long paragraph, many key messages, one long
list, one plenary with thousands of statements, many plenaries) is generated at a base
count and at four times that count, and each file is built once per format as a whole
process under ``/usr/bin/time``. The report gives both times and their ratio: about 4 (or less,
because of start-up) is linear; well above 4 means some step is quadratic. The
markdown table goes to stdout and to ``OUT/latest.md``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generate import dump
from run import DEFAULT_BINARY as BINARY
from run import GNU_TIME, ROOT, compile_bytecode, fail, tail

Data = dict[str, object]
SUPERLINEAR_RATIO = 6.0
SENTENCE = "States Parties should honour their obligations and fund the Court's work in full."


def session(organizations: int, plenaries: list[Data]) -> Data:
    return {
        "format": 1,
        "session": {
            "id": "shape",
            "name": "Shape check",
            "start": "2024-12-02",
            "end": "2024-12-06",
        },
        "organizations": [
            {"id": f"org-{i}", "name": f"Organisation {i} for human rights", "short_name": f"O{i}"}
            for i in range(organizations)
        ],
        "plenaries": plenaries,
    }


def statements(count: int, organizations: int, text: str | None = None) -> list[Data]:
    result: list[Data] = []
    for i in range(count):
        statement: Data = {
            "id": f"st-{i}",
            "by": f"org-{i % organizations}",
            "on_behalf_of": f"org-{(i * 7) % organizations}",
            "title": f"Statement {i} on cooperation",
            "summary": f"Statement {i}. {SENTENCE}",
        }
        if text is not None:
            statement["text"] = text
        result.append(statement)
    return result


def plenary(statement_list: list[Data], key_messages: int = 1) -> Data:
    return {
        "id": "closing",
        "title": "Closing plenary",
        "kind": "closing",
        "date": "2024-12-06",
        "statements": statement_list,
        "key_messages": [f"Key message {i}. {SENTENCE}" for i in range(key_messages)],
    }


def many_organizations(n: int) -> Data:
    return session(n, [plenary(statements(n, n))])


def long_table(n: int) -> Data:
    """``n`` organisations and two statements: the annex of organisations is the table."""
    return session(n, [plenary(statements(2, 2))])


def long_paragraph(n: int) -> Data:
    words = SENTENCE.split()
    text = " ".join(words[i % len(words)] for i in range(n))
    return session(2, [plenary(statements(1, 2, text))])


def many_key_messages(n: int) -> Data:
    return session(2, [plenary(statements(2, 2), key_messages=n)])


def long_list(n: int) -> Data:
    text = "\n".join(f"- Item {i}: {SENTENCE}" for i in range(n))
    return session(2, [plenary(statements(1, 2, text))])


def one_big_plenary(n: int) -> Data:
    return session(50, [plenary(statements(n, 50))])


def many_plenaries(n: int) -> Data:
    """``n - 1`` plenaries of one statement each, then the closing one."""
    ordinary: list[Data] = [
        {
            "id": f"plenary-{i}",
            "title": f"Plenary {i} on cooperation",
            "date": "2024-12-03",
            "statements": [dict(statement, id=f"plenary-{i}-st") for statement in statements(1, 5)],
        }
        for i in range(n - 1)
    ]
    return session(5, [*ordinary, plenary(statements(1, 5))])


@dataclass(frozen=True)
class Shape:
    name: str
    unit: str
    base: int
    make: Callable[[int], Data]


SHAPES = (
    Shape("many organisations (and statements)", "organisations", 1_000, many_organizations),
    Shape("one long table (the organisations' annex)", "rows", 2_500, long_table),
    Shape("one long paragraph", "words", 10_000, long_paragraph),
    Shape("many key messages", "messages", 250, many_key_messages),
    Shape("one long list", "items", 2_000, long_list),
    Shape("one plenary, many statements", "statements", 1_000, one_big_plenary),
    Shape("many plenaries", "plenaries", 500, many_plenaries),
)


def timed_build(path: Path, file_format: str, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one whole-process build."""
    argv = [str(GNU_TIME), "-f", "%e %M", str(BINARY), "build", str(path)]
    argv += ["--format", file_format, "--output-dir", str(out), "--force"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise fail(f"building {path.name} as {file_format} failed:\n{tail(done.stderr)}")
    seconds, kilobytes = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default="pdf,docx")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "shapes")
    parser.add_argument("--only", help="measure only the shapes whose name contains this")
    args = parser.parse_args(argv)
    shapes = [shape for shape in SHAPES if args.only is None or args.only in shape.name]
    # As bench/run.py: LibreOffice paginating the DOCX is not briefgen's time.
    os.environ.setdefault("BRIEFGEN_OFFICE", "off")
    compile_bytecode(BINARY)
    args.out.mkdir(parents=True, exist_ok=True)
    lines = [
        "| Shape | Format | Count | Time (s) | RSS (MB) | 4x count | Time (s) | RSS (MB) | Ratio |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    with tempfile.TemporaryDirectory() as work:
        for shape in shapes:
            counts = (shape.base, 4 * shape.base)
            paths = []
            for count in counts:
                path = Path(work) / f"{shape.make.__name__}-{count}.yaml"
                path.write_text(dump(shape.make(count)), encoding="utf-8")
                paths.append(path)
            for file_format in args.formats.split(","):
                (small, small_mb), (large, large_mb) = (
                    timed_build(path, file_format, Path(work) / "out") for path in paths
                )
                ratio = large / small
                flag = " superlinear" if ratio > SUPERLINEAR_RATIO else ""
                lines.append(
                    f"| {shape.name} | {file_format} | {counts[0]:,} {shape.unit} | {small:.2f} | "
                    f"{small_mb:.0f} | {counts[1]:,} | {large:.2f} | {large_mb:.0f} | "
                    f"{ratio:.1f}{flag} |"
                )
                print(lines[-1], flush=True)
    (args.out / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
