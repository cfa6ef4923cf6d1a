"""Time briefgen against pandoc (DOCX) and Typst (PDF) on the same content, paired.

Usage::

    uv run python bench/generate.py S M --out bench/inputs
    uv run python bench/compare.py [--sizes S,M] [--runs 5] [--typst-python PY]

Each bench input is exported as Markdown (for ``pandoc IN.md -o OUT.docx``) and as
Typst markup (for ``typst compile IN.typ OUT.pdf``) with the pack's content and
structure, approximately: title, contents, a heading per plenary with its summary,
segments, each statement as a subheading with its byline and summary, the key messages
as a list, the statements' full texts in an annex and the organisations as a table.

Then, per size, three comparisons are timed **in alternation** (A, B, A, B, ...), so
that machine drift hits both sides equally, every run a whole process (or, for the
pair, two processes one after the other), wall clock:

- ``briefgen build --format pdf,docx`` against ``pandoc`` + ``typst compile``;
- ``briefgen build --format docx`` against ``pandoc`` alone;
- ``briefgen build --format pdf`` against ``typst compile`` alone.

One untimed run of every command first checks that it exits 0 and writes a
non-empty file (and, for PDFs, counts its pages with ``pdfinfo``). The report
(medians, min-max, ratio briefgen / reference) goes to stdout and to
``bench/results/compare.md``. ``BRIEFGEN_OFFICE=off`` as in ``bench/run.py``.

The reference tools are not briefgen dependencies; install them apart:

- pandoc: ``apt-get install -y pandoc`` (Debian; any pandoc >= 2.11 will do).
- Typst: a ``typst`` CLI on PATH (``--typst``, e.g. from a Typst release), or,
  where PyPI is the only source, the ``typst`` Python bindings in a throwaway venv::

      uv venv /tmp/typst-venv
      uv pip install --python /tmp/typst-venv/bin/python typst
      uv run python bench/compare.py --typst-python /tmp/typst-venv/bin/python

  Then each Typst run is ``PY -c "import typst; typst.compile(IN, output=OUT)"``:
  the interpreter's start-up is part of Typst's time, and is measured alone too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from run import (  # bench/run.py, next to this file
    at_least_three,
    compile_bytecode,
    parse_sizes,
    publish,
)

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
DEFAULT_BINARY = ROOT / ".venv" / "bin" / "briefgen"
PAPERS = {"a4": "a4", "letter": "us-letter"}
TYPST_FONTS = ("Noto Sans", "DejaVu Sans")  # the pack's face; a sans every Debian has
TYPST_SNIPPET = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"

Data = dict[str, Any]


def fail(message: str) -> SystemExit:
    print(f"bench/compare.py: error: {message}", file=sys.stderr)
    return SystemExit(1)


# --- the content, read once for both exporters -------------------------------------


def load(path: Path) -> Data:
    """The session as plain YAML (the exporters need no validation or defaults)."""
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def groups(plenary: Data) -> list[tuple[Data | None, list[Data]]]:
    """The plenary's statements by segment, in segment order; ungrouped ones last."""
    statements = plenary.get("statements") or []
    segments = plenary.get("segments") or []
    out: list[tuple[Data | None, list[Data]]] = [
        (seg, [s for s in statements if s.get("segment") == seg["id"]]) for seg in segments
    ]
    out = [(seg, members) for seg, members in out if members]
    ungrouped = [s for s in statements if not s.get("segment")]
    if ungrouped:
        out.append((None, ungrouped))
    return out


def byline(statement: Data, orgs: dict[str, Data]) -> str:
    text = orgs[statement["by"]]["name"]
    if statement.get("on_behalf_of"):
        text += f", on behalf of {orgs[statement['on_behalf_of']]['name']}"
    if statement.get("speaker"):
        text += f", delivered by {statement['speaker']}"
    return text


def message_text(message: str | Data) -> str:
    return message if isinstance(message, str) else message["text"]


def heading_date(plenary: Data) -> str:
    return f"{plenary['title']} — {plenary['date']}" if plenary.get("date") else plenary["title"]


# --- Markdown for pandoc -----------------------------------------------------------

MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|$@~^&\"'])")


def md_plain(text: str) -> str:
    """Plain text (a title, a name) as Markdown that reads literally."""
    return MD_SPECIAL.sub(r"\\\1", str(text))


def md_lang(body: str, language: str | None) -> str:
    """``body`` (Markdown) in a div carrying its language (and direction)."""
    if not language:
        return body
    rtl = ' dir="rtl"' if language.split("-")[0] in ("ar", "he", "fa", "ur") else ""
    return f'::: {{lang="{language}"{rtl}}}\n{body}\n:::'


def to_markdown(data: Data) -> str:
    """The session as pandoc Markdown; summaries and texts are Markdown already."""
    orgs = {o["id"]: o for o in data.get("organizations") or []}
    pack, session = data["pack"], data["session"]
    out = [
        "---",
        f"title: {json.dumps(str(pack['title']), ensure_ascii=False)}",
        f"subtitle: {json.dumps(str(session['name']), ensure_ascii=False)}",
        f"lang: {json.dumps(str(pack.get('language', 'en')))}",
        "toc-title: Contents",
        "---",
    ]
    texts = []
    for plenary in data.get("plenaries") or []:
        out += [f"# {md_plain(heading_date(plenary))}", ""]
        if plenary.get("summary"):
            out += [plenary["summary"], ""]
        for segment, statements in groups(plenary):
            if segment is not None:
                out += [f"## {md_plain(segment['title'])}", ""]
            for st in statements:
                out += [f"### {md_plain(st['title'])}", "", f"*{md_plain(byline(st, orgs))}*", ""]
                if st.get("summary"):
                    out += [md_lang(st["summary"], st.get("language")), ""]
                if st.get("text"):
                    texts.append(st)
        if plenary.get("key_messages"):
            out += ["## Key messages", ""]
            out += [f"- {message_text(m)}" for m in plenary["key_messages"]] + [""]
    if texts:
        out += ["# Annex A: Full texts of statements", ""]
        for st in texts:
            out += [f"## {md_plain(st['title'])}", "", f"*{md_plain(byline(st, orgs))}*", ""]
            out += [md_lang(st["text"], st.get("language")), ""]
    out += ["# Annex B: Organisations and acronyms", ""]
    out += ["| Acronym | Organisation | Website |", "|---|---|---|"]
    for org in sorted(orgs.values(), key=lambda o: str(o.get("short_name") or o["name"])):
        url = f"<{org['url']}>" if org.get("url") else "—"
        name, short = md_plain(org["name"]), md_plain(org.get("short_name") or "—")
        out.append(f"| {short} | {name} | {url} |")
    return "\n".join(out) + "\n"


# --- Typst markup ------------------------------------------------------------------

# Every ASCII character that starts markup somewhere in Typst (`#` code, `$` math,
# `*` `_` strong/emph, `[ ]` content, `< >` labels, `@` references, `\` escapes,
# `` ` `` raw, `~` nbsp, `/` comments and term lists, `=` `-` `+` at a line start,
# `'` `"` smart quotes, `.` in "...", `:` in URLs) is backslash-escaped: `\c` is `c`.
TYPST_SPECIAL = re.compile(r"([\\#$*_\[\]<>@`~/=\-+'\".:])")
INLINE = re.compile(
    r"\*\*(?P<strong>.+?)\*\*|\*(?P<emph>[^*]+?)\*|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)"
)
LIST_ITEM = re.compile(r"^\s*[-*+]\s+")


def typ_plain(text: str) -> str:
    """Plain text as Typst markup that reads literally (no user text is markup)."""
    return TYPST_SPECIAL.sub(r"\\\1", str(text))


def typ_string(text: str) -> str:
    """A Typst string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def typ_inline(text: str) -> str:
    """The briefgen Markdown inline subset (strong, emphasis, links) as Typst markup."""
    out, pos = [], 0
    for m in INLINE.finditer(text):
        out.append(typ_plain(text[pos : m.start()]))
        if m["strong"] is not None:
            out.append(f"#strong[{typ_inline(m['strong'])}]")
        elif m["emph"] is not None:
            out.append(f"#emph[{typ_inline(m['emph'])}]")
        else:
            out.append(f"#link({typ_string(m['url'])})[{typ_inline(m['label'])}]")
        pos = m.end()
    out.append(typ_plain(text[pos:]))
    return "".join(out)


def typ_blocks(markdown: str) -> str:
    """Markdown paragraphs and bullet lists as Typst markup."""
    out = []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(LIST_ITEM.match(line) for line in lines):
            out += [f"- {typ_inline(LIST_ITEM.sub('', line))}" for line in lines]
        else:
            out.append(typ_inline(" ".join(lines)))
        out.append("")
    return "\n".join(out)


def typ_lang(body: str, language: str | None) -> str:
    return f"#text(lang: {typ_string(language)})[\n{body}]\n" if language else body


def to_typst(data: Data) -> str:
    """The session as a Typst document: page, sans font, title, outline, content."""
    orgs = {o["id"]: o for o in data.get("organizations") or []}
    pack, session = data["pack"], data["session"]
    paper = PAPERS.get(str(pack.get("paper", "A4")).lower(), "a4")
    fonts = ", ".join(typ_string(f) for f in TYPST_FONTS)
    out = [
        f"#set document(title: {typ_string(pack['title'])})",
        f'#set page(paper: "{paper}", margin: 2cm, numbering: "1")',
        f"#set text(font: ({fonts}), size: 10pt, lang: {typ_string(pack.get('language', 'en'))})",
        "#set par(justify: false)",
        "",
        f'#align(center, text(size: 20pt, weight: "bold")[{typ_plain(pack["title"])}])',
        f"#align(center)[{typ_plain(session['name'])}]",
        "",
        "#outline(title: [Contents], depth: 2)",
        "#pagebreak()",
        "",
    ]
    texts = []

    def byline_of(st: Data) -> str:
        return f"#emph[{typ_plain(byline(st, orgs))}]\n"

    for plenary in data.get("plenaries") or []:
        out += [f"= {typ_plain(heading_date(plenary))}", ""]
        if plenary.get("summary"):
            out.append(typ_blocks(plenary["summary"]))
        for segment, statements in groups(plenary):
            if segment is not None:
                out += [f"== {typ_plain(segment['title'])}", ""]
            for st in statements:
                out += [f"=== {typ_plain(st['title'])}", "", byline_of(st)]
                if st.get("summary"):
                    out.append(typ_lang(typ_blocks(st["summary"]), st.get("language")))
                if st.get("text"):
                    texts.append(st)
        if plenary.get("key_messages"):
            out += ["== Key messages", ""]
            out += [f"- {typ_inline(message_text(m))}" for m in plenary["key_messages"]] + [""]
    if texts:
        out += ["= Annex A: Full texts of statements", ""]
        for st in texts:
            out += [f"== {typ_plain(st['title'])}", "", byline_of(st)]
            out.append(typ_lang(typ_blocks(st["text"]), st.get("language")))
    out += ["= Annex B: Organisations and acronyms", ""]
    out.append("#table(columns: (auto, 1fr, auto), [*Acronym*], [*Organisation*], [*Website*],")
    for org in sorted(orgs.values(), key=lambda o: str(o.get("short_name") or o["name"])):
        url = f"#link({typ_string(org['url'])})" if org.get("url") else "—"
        short = typ_plain(org.get("short_name") or "—")
        out.append(f"  [{short}], [{typ_plain(org['name'])}], [{url}],")
    out.append(")")
    return "\n".join(out) + "\n"


# --- commands --------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """One or more argvs run one after the other, and the files they must write."""

    name: str
    argvs: tuple[tuple[str, ...], ...]
    outputs: tuple[Path, ...]
    clean: tuple[Path, ...] = ()

    def prepare(self) -> None:
        for path in self.clean:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(True)

    def run(self, env: dict[str, str]) -> float:
        """Run the argvs in turn (after an untimed clean-up); their wall-clock time."""
        self.prepare()
        start = time.perf_counter()
        for argv in self.argvs:
            done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                output = "\n".join((done.stderr + done.stdout).strip().splitlines()[-20:])
                raise fail(f"{self.name}: exit code {done.returncode}: {' '.join(argv)}\n{output}")
        return time.perf_counter() - start


def then(a: Command, b: Command, name: str) -> Command:
    return Command(name, a.argvs + b.argvs, a.outputs + b.outputs, a.clean + b.clean)


def pdf_pages(path: Path) -> int | None:
    if shutil.which("pdfinfo") is None:
        return None
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
    match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    if done.returncode != 0 or match is None:
        raise fail(f"pdfinfo cannot read {path}: {done.stderr.strip()}")
    return int(match.group(1))


def check_outputs(command: Command) -> dict[str, str]:
    """Stop unless every output exists, is not empty and opens; describe each."""
    found = {}
    for path in command.outputs:
        if not path.is_file() or path.stat().st_size == 0:
            raise fail(f"{command.name} exited 0 but did not write {path}")
        kb = f"{path.stat().st_size / 1024:.0f} kB"
        if path.suffix == ".pdf":
            pages = pdf_pages(path)
            found["pdf"] = f"{kb}, {pages} pages" if pages is not None else kb
        elif path.suffix == ".docx":
            try:
                with zipfile.ZipFile(path) as z:
                    z.getinfo("word/document.xml")
            except (zipfile.BadZipFile, KeyError) as error:
                raise fail(f"{command.name}: {path} is not a DOCX: {error}") from None
            found["docx"] = kb
    return found


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Pair:
    size: str
    label: str
    ours: Command
    theirs: Command
    times: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "theirs": []})
    files: dict[str, dict[str, str]] = field(default_factory=dict)

    def median(self, side: str) -> float:
        return statistics.median(self.times[side])


def alternate(pairs: Iterable[Pair], runs: int, env: dict[str, str]) -> None:
    """Check every command once (warm-up), then time A, B, A, B, ... ``runs`` rounds."""
    pairs = list(pairs)
    for pair in pairs:
        for side, command in (("ours", pair.ours), ("theirs", pair.theirs)):
            command.run(env)
            pair.files[side] = check_outputs(command)
    for round_ in range(runs):
        for pair in pairs:
            print(f"round {round_ + 1}/{runs}: {pair.size} {pair.label}", file=sys.stderr)
            pair.times["ours"].append(pair.ours.run(env))
            pair.times["theirs"].append(pair.theirs.run(env))


def median_time(argv: list[str], runs: int, env: dict[str, str]) -> float:
    command = Command("start-up", (tuple(argv),), ())
    command.run(env)
    return statistics.median(command.run(env) for _ in range(runs))


# --- tools and versions ----------------------------------------------------------------


def first_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return "unknown"
    return (done.stdout.strip().splitlines() or ["unknown"])[0]


@dataclass(frozen=True)
class Typst:
    """How Typst is run: a CLI, or a Python with the ``typst`` bindings (``python``)."""

    program: str
    version: str
    python: str | None = None

    def argv(self, source: Path, pdf: Path) -> tuple[str, ...]:
        if self.python:
            return (self.python, "-c", TYPST_SNIPPET, str(source), str(pdf))
        return (self.program, "compile", str(source), str(pdf))

    def shown(self) -> str:
        if self.python:
            return f"`python -c '{TYPST_SNIPPET}' IN.typ OUT.pdf`"
        return "`typst compile IN.typ OUT.pdf`"


def find_typst(args: argparse.Namespace) -> Typst:
    """The ``typst`` CLI (``--typst`` or PATH) unless ``--typst-python`` is given."""
    cli = args.typst or shutil.which("typst")
    if cli and not args.typst_python:
        return Typst(cli, f"{first_line([cli, '--version'])} (CLI)")
    python = args.typst_python or os.environ.get("TYPST_PYTHON")
    if not python:
        raise fail(
            "Typst not found: put a `typst` CLI on PATH (or pass --typst PATH), or install "
            "the Python bindings in a throwaway venv and pass its interpreter:\n"
            "  uv venv /tmp/typst-venv\n"
            "  uv pip install --python /tmp/typst-venv/bin/python typst\n"
            "  uv run python bench/compare.py --typst-python /tmp/typst-venv/bin/python"
        )
    probe = "import importlib.metadata as m; print(m.version('typst'))"
    version = first_line([python, "-c", probe])
    if version == "unknown":
        raise fail(f"{python} cannot import typst; `uv pip install --python {python} typst`")
    text = (
        f"typst {version} (PyPI Python bindings), run as `python -c` (interpreter start included)"
    )
    return Typst(python, text, python)


def check_tools(binary: Path) -> str:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise fail("pandoc not found; install it (Debian: `apt-get install -y pandoc`)")
    if not os.access(binary, os.X_OK):
        raise fail(f"{binary} is not executable; run `uv sync` first")
    return pandoc


# --- report ------------------------------------------------------------------------------


def table(pairs: list[Pair]) -> list[str]:
    lines = [
        "| Size | Formats | briefgen median (s) | min-max | Reference | median (s) | min-max "
        "| briefgen / reference |",
        "|---|---|--:|--:|---|--:|--:|--:|",
    ]
    for p in pairs:
        ours, theirs = p.times["ours"], p.times["theirs"]
        lines.append(
            f"| {p.size} | {p.label} | {p.median('ours'):.3f} | {min(ours):.2f}-{max(ours):.2f} "
            f"| {p.theirs.name} | {p.median('theirs'):.3f} | {min(theirs):.2f}-{max(theirs):.2f} "
            f"| {p.median('ours') / p.median('theirs'):.2f} |"
        )
    return lines


def outputs_table(pairs: list[Pair]) -> list[str]:
    lines = [
        "| Size | briefgen PDF | Typst PDF | briefgen DOCX | pandoc DOCX |",
        "|---|---|---|---|---|",
    ]
    for p in pairs:
        if p.label == "pdf + docx":
            o, t = p.files["ours"], p.files["theirs"]
            lines.append(f"| {p.size} | {o['pdf']} | {t['pdf']} | {o['docx']} | {t['docx']} |")
    return lines


def report(pairs: list[Pair], info: list[tuple[str, str]], runs: int) -> str:
    lines = ["# briefgen against pandoc and Typst", ""]
    lines += [f"- {key}: {value}" for key, value in info]
    lines += ["", *table(pairs), "", "Outputs (checked before timing):", "", *outputs_table(pairs)]
    lines += [
        "",
        f"Medians of {runs} runs per command, timed in alternation (briefgen, reference, "
        "briefgen, ...) after one untimed checking run of each; whole processes, wall clock.",
        "",
    ]
    return "\n".join(lines)


# --- main ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time briefgen against pandoc and Typst.")
    parser.add_argument("--sizes", type=parse_sizes, default=["S", "M"], help="default S,M")
    parser.add_argument("--runs", type=at_least_three, default=5, help="timed runs (>= 3)")
    parser.add_argument("--inputs", type=Path, default=BENCH / "inputs")
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY)
    parser.add_argument("--typst", help="a typst CLI (default: `typst` on PATH)")
    parser.add_argument("--typst-python", help="a Python with the `typst` bindings installed")
    parser.add_argument("--output", type=Path, default=RESULTS / "compare.md")
    args = parser.parse_args(argv)

    binary = args.binary.absolute()
    pandoc = check_tools(binary)
    typst = find_typst(args)
    # Where PYTHONDONTWRITEBYTECODE is set, every run would compile its imports again.
    compile_bytecode(binary)
    if typst.python:
        compile_bytecode(Path(typst.python))
    env = {**os.environ, "BRIEFGEN_OFFICE": "off"}
    work = RESULTS / "compare"
    pairs = []
    for size in args.sizes:
        source = (args.inputs / f"bench-{size.lower()}.yaml").absolute()
        if not source.is_file():
            raise fail(
                f"{source} is missing; `uv run python bench/generate.py {size} --out {args.inputs}`"
            )
        data = load(source)
        sid, tag = data["session"]["id"], size.lower()
        folder = work / tag
        folder.mkdir(parents=True, exist_ok=True)
        md, typ = folder / f"{tag}.md", folder / f"{tag}.typ"
        md.write_text(to_markdown(data), encoding="utf-8")
        typ.write_text(to_typst(data), encoding="utf-8")
        docx, pdf = folder / f"{tag}-pandoc.docx", folder / f"{tag}-typst.pdf"
        pandoc_run = Command(
            "pandoc", ((pandoc, str(md), "--toc", "-o", str(docx)),), (docx,), (docx,)
        )
        typst_run = Command("typst", (typst.argv(typ, pdf),), (pdf,), (pdf,))

        def briefgen(
            formats: str, size: str = size, source: Path = source, sid: str = sid
        ) -> Command:
            out = work / size.lower() / f"briefgen-{formats.replace(',', '-')}"
            argv = (str(binary), "build", str(source), "--format", formats, "--force", "-q")
            files = tuple(out / sid / f"{sid}-briefing-pack.{ext}" for ext in formats.split(","))
            return Command("briefgen", ((*argv, "--output-dir", str(out)),), files, (out,))

        pairs += [
            Pair(
                size,
                "pdf + docx",
                briefgen("pdf,docx"),
                then(pandoc_run, typst_run, "pandoc + typst"),
            ),
            Pair(size, "docx", briefgen("docx"), pandoc_run),
            Pair(size, "pdf", briefgen("pdf"), typst_run),
        ]
    alternate(pairs, args.runs, env)

    commit = first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    info = [
        ("Date (UTC)", time.strftime("%Y-%m-%d %H:%M", time.gmtime())),
        ("Cores", str(os.cpu_count())),
        ("briefgen", f"{first_line([str(binary), '--version'])} at {commit}"),
        ("pandoc", first_line([pandoc, "--version"])),
        ("Typst", typst.version),
        ("briefgen command", "`briefgen build IN.yaml --format F --force -q --output-dir DIR`"),
        ("pandoc command", "`pandoc IN.md --toc -o OUT.docx`"),
        ("Typst command", typst.shown()),
    ]
    if typst.python:
        bare = median_time([typst.python, "-c", "pass"], args.runs, env)
        imported = median_time([typst.python, "-c", "import typst"], args.runs, env)
        info.append(
            (
                "Typst's Python start-up (median)",
                f"`python -c pass` {bare:.3f} s, `python -c 'import typst'` {imported:.3f} s",
            )
        )
    publish(report(pairs, info, args.runs), args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
