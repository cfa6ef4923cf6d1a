"""Check that build time grows linearly with unusual shapes of input, not only with size.

Usage::

    uv run python bench/shapes.py [--formats pdf,docx,html,validate] [--only NAME] [--keep DIR]

Each shape (``SHAPES``: many organisations, one long table, one very long paragraph, many key
messages, co-signatories, citations, segments, links, nested lists, paragraphs, languages,
editions built ``--since`` an earlier one, handouts, ...) is generated at a base count and
at four times that count, and each file is built once per format (and validated) as a
whole process under ``/usr/bin/time``. The report gives both times and their ratio: about
4 (or less, because of start-up) is linear; well above 4 means some step is quadratic.
The markdown table goes to stdout and to ``OUT/latest.md``.
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
            "title": f"Statement {i} on cooperation",
            "summary": f"Statement {i}. {SENTENCE}",
        }
        if (i * 7 + 1) % organizations != i % organizations:  # never its own behalf
            statement["on_behalf_of"] = f"org-{(i * 7 + 1) % organizations}"
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


def co_signatories(n: int) -> Data:
    """``n`` organisations, ten statements each co-signed by all of them."""
    signed = statements(10, n)
    for statement in signed:
        statement.pop("on_behalf_of", None)
        statement["co_signatories"] = [
            f"org-{i}" for i in range(n) if f"org-{i}" != statement["by"]
        ]
    return session(n, [plenary(signed)])


def cited_statements(n: int) -> Data:
    """``n`` statements and twenty key messages, each citing every statement."""
    closing = plenary(statements(n, 50))
    closing["key_messages"] = [
        {"text": f"Key message {i}. {SENTENCE}", "sources": [f"st-{j}" for j in range(n)]}
        for i in range(20)
    ]
    return session(50, [closing])


def many_segments(n: int) -> Data:
    """One plenary of ``n`` segments, one statement in each."""
    closing = plenary(statements(n, 50))
    closing["segments"] = [{"id": f"seg-{i}", "title": f"Segment {i} on victims"} for i in range(n)]
    for i, statement in enumerate(closing["statements"]):  # type: ignore[arg-type]
        statement["segment"] = f"seg-{i}"
    return session(50, [closing])


def many_links(n: int) -> Data:
    """One statement whose text holds ``n`` links, ten to a paragraph."""
    links = [f"see [report {i}](https://example.org/reports/{i}) on cooperation" for i in range(n)]
    text = "\n\n".join(" and ".join(links[i : i + 10]) + "." for i in range(0, n, 10))
    return session(2, [plenary(statements(1, 2, text))])


def nested_lists(n: int) -> Data:
    """``n`` lists, each nested 100 levels deep, and a line of 100 quote marks after each."""
    levels = "\n".join(f"{'  ' * depth}- Level {depth}: {SENTENCE}" for depth in range(100))
    block = f"{levels}\n\n{'> ' * 100}{SENTENCE}"
    return session(2, [plenary(statements(1, 2, "\n\n".join([block] * n)))])


def deep_list(n: int) -> Data:
    """One list nested ``n`` levels deep (two columns a level; at most 256 columns)."""
    text = "\n".join(f"{'  ' * depth}- Level {depth}: {SENTENCE}" for depth in range(n))
    quotes = f"{'> ' * n}{SENTENCE}"
    return session(2, [plenary(statements(1, 2, f"{text}\n\n{quotes}"))])


def many_paragraphs(n: int) -> Data:
    text = "\n\n".join(f"Paragraph {i}. {SENTENCE}" for i in range(n))
    return session(2, [plenary(statements(1, 2, text))])


LANGUAGES = [
    "af",
    "ca",
    "cs",
    "da",
    "de",
    "en",
    "eo",
    "es",
    "et",
    "eu",
    "fr",
    "gl",
    "hr",
    "hu",
    "id",
    "is",
    "it",
    "lt",
    "lv",
    "nb",
    "nl",
    "nn",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sq",
    "sv",
    "zu",
    "sw",
    "tr",
    "fi",
    "ga",
    "cy",
    "mt",
    "ms",
    "tl",
    "so",
    "ha",
    "yo",
    "ig",
    "xh",
    "st",
    "tn",
    "rw",
    "lg",
    "ln",
    "ny",
    "sn",
    "om",
    "rn",
    "ki",
    "wo",
    "ff",
]
REGIONS = ("ZA", "GB", "US", "CA")


def many_languages(n: int) -> Data:
    """``n`` statements in ``n`` language tags (``LANGUAGES`` in up to four regions)."""
    tagged = statements(n, 50, SENTENCE)
    for i, statement in enumerate(tagged):
        code, region = LANGUAGES[i % len(LANGUAGES)], REGIONS[i // len(LANGUAGES)]
        statement["language"] = f"{code}-{region}"
    return session(50, [plenary(tagged)])


def edition_texts(n: int) -> Data:
    """``n`` statements of three paragraphs each: the older edition of ``edited``."""
    text = "\n\n".join(f"Paragraph {i}. {SENTENCE} {SENTENCE}" for i in range(3))
    return one_big_plenary_with(n, text)


def one_big_plenary_with(n: int, text: str) -> Data:
    return session(50, [plenary(statements(n, 50, text))])


def edited(n: int) -> Data:
    """``edition_texts(n)`` edited: a word changed in every tenth statement, every
    twentieth removed, ``n // 20`` added, and the statements' order reversed."""
    doc = edition_texts(n)
    closing = doc["plenaries"][0]  # type: ignore[index]
    kept = []
    for i, statement in enumerate(closing["statements"]):
        if i % 20 == 5:
            continue
        if i % 10 == 0:
            statement["text"] = statement["text"].replace("fund", "finance", 1)
        kept.append(statement)
    added = statements(n // 20, 50, f"A new text. {SENTENCE}")
    closing["statements"] = [*reversed(kept), *(dict(s, id=f"new-{s['id']}") for s in added)]
    return doc


def rewritten(n: int) -> Data:
    """``many_paragraphs(n)`` with every paragraph rewritten: no block alike."""
    text = "\n\n".join(
        f"{i}: the budget, arrest warrants and victims' reparations." for i in range(n)
    )
    return session(2, [plenary(statements(1, 2, text))])


def handout_plenaries(n: int) -> Data:
    return many_plenaries(n)


@dataclass(frozen=True)
class Shape:
    """A shape of input at ``base`` and four times it. ``command`` is ``build``,
    ``since`` (an edition: ``build --since`` the file ``previous`` makes) or
    ``handouts``; ``validate`` is measured as a format of its own."""

    name: str
    unit: str
    base: int
    make: Callable[[int], Data]
    command: str = "build"
    previous: Callable[[int], Data] | None = None

    def measures(self, file_format: str) -> bool:
        """Whether ``file_format`` means something for this shape's command."""
        if self.command == "handouts":
            return file_format in ("pdf", "docx")
        return self.command == "build" or file_format != "validate"


SHAPES = (
    Shape("many organisations (and statements)", "organisations", 1_000, many_organizations),
    Shape("one long table (the organisations' annex)", "rows", 2_500, long_table),
    Shape("one long paragraph", "words", 10_000, long_paragraph),
    Shape("many key messages", "messages", 250, many_key_messages),
    Shape("one long list", "items", 2_000, long_list),
    Shape("one plenary, many statements", "statements", 1_000, one_big_plenary),
    Shape("many plenaries", "plenaries", 500, many_plenaries),
    Shape("co-signatories (10 statements)", "organisations", 250, co_signatories),
    Shape("20 key messages citing every statement", "statements", 250, cited_statements),
    Shape("one plenary, many segments", "segments", 500, many_segments),
    Shape("links in one statement", "links", 2_000, many_links),
    Shape("lists nested 100 deep", "lists", 10, nested_lists),
    Shape("one list nested deep", "levels", 30, deep_list),
    Shape("paragraphs in one statement", "paragraphs", 2_500, many_paragraphs),
    Shape("many languages", "languages", 50, many_languages),
    Shape("an edition (build --since)", "statements", 500, edited, "since", edition_texts),
    Shape(
        "an edition, every paragraph rewritten",
        "paragraphs",
        1_000,
        rewritten,
        "since",
        many_paragraphs,
    ),
    Shape("handouts of many plenaries", "plenaries", 100, handout_plenaries, "handouts"),
    Shape("handouts, one plenary", "statements", 500, one_big_plenary, "handouts"),
    Shape("handouts, many key messages", "messages", 250, many_key_messages, "handouts"),
)


def command_line(shape: Shape, path: Path, file_format: str, out: Path) -> list[str]:
    """The briefgen command that measures ``shape`` in ``file_format`` for the file at
    ``path`` (the older edition, for ``since``, beside it with ``.old`` in its name)."""
    if file_format == "validate":
        return [str(BINARY), "validate", str(path)]
    argv = [str(BINARY), shape.command if shape.command == "handouts" else "build", str(path)]
    argv += ["--format", file_format, "--output-dir", str(out)]
    if shape.command == "since":
        argv += ["--since", str(path.with_suffix(".old.yaml"))]
    return argv if shape.command == "handouts" else [*argv, "--force"]


def timed(argv: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one whole-process command."""
    done = subprocess.run(
        [str(GNU_TIME), "-f", "%e %M", *argv], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise fail(f"{' '.join(argv[1:3])} failed:\n{tail(done.stderr)}")
    seconds, kilobytes = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def written(shape: Shape, count: int, work: Path) -> Path:
    """The input of ``shape`` at ``count`` (and its older edition, if any), written."""
    path = work / f"{shape.make.__name__}-{count}.yaml"
    path.write_text(dump(shape.make(count)), encoding="utf-8")
    if shape.previous is not None:
        old = dump(shape.previous(count))
        path.with_suffix(".old.yaml").write_text(old, encoding="utf-8")
    return path


def row(shape: Shape, file_format: str, paths: list[Path], out: Path) -> str:
    """The report's line for ``shape`` in ``file_format``: both counts timed, their ratio."""
    (small, small_mb), (large, large_mb) = (
        timed(command_line(shape, path, file_format, out)) for path in paths
    )
    ratio = large / small
    flag = " superlinear" if ratio > SUPERLINEAR_RATIO else ""
    return (
        f"| {shape.name} | {file_format} | {shape.base:,} {shape.unit} | {small:.2f} | "
        f"{small_mb:.0f} | {4 * shape.base:,} | {large:.2f} | {large_mb:.0f} | {ratio:.1f}{flag} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default="pdf,docx,html,validate")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "shapes")
    parser.add_argument("--only", help="measure only the shapes whose name contains this")
    parser.add_argument("--keep", type=Path, help="write the inputs to this folder and keep them")
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
    with tempfile.TemporaryDirectory() as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        for shape in shapes:
            paths = [written(shape, count, work) for count in (shape.base, 4 * shape.base)]
            for file_format in args.formats.split(","):
                if shape.measures(file_format):
                    lines.append(row(shape, file_format, paths, work / "out"))
                    print(lines[-1], flush=True)
    (args.out / "latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
