"""Compare briefgen's tagged PDF with Typst's PDF/UA-1 output of the same content.

A one-off check, not a test (Typst is not one of briefgen's dependencies)::

    uv run --with typst python tools/typst_compare.py [inputs/asp23.yaml] [--out DIR]

The session is composed into briefgen's document tree, which is written once as
briefgen's PDF and once as Typst markup (headings, paragraphs, lists, tables, links,
an outline for the contents) compiled with ``pdf_standards=["ua-1"]`` in briefgen's
fonts. Both structure trees are read with poppler (``pdfinfo -struct-text``), reduced
to their element types and nesting, and printed side by side as a unified diff;
docs/accessibility.md names every difference found on the ASP23 pack.
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
from pathlib import Path

import typst

from briefgen import tree
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.text.fonts import FONT_DIR
from briefgen.writers.pdf.writer import write_pdf

ROOT = Path(__file__).resolve().parent.parent
_SPECIAL = re.compile(r"([\\#*_\[\]$@<>`~=+\-/\"])")


def escape(text: str) -> str:
    """Text as Typst markup that shows it literally."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def inline(content: tuple[tree.Inline, ...]) -> str:
    out = []
    for item in content:
        match item:
            case tree.Text(text=text):
                out.append(escape(text))
            case tree.Strong(children=children):
                out.append(f"#strong[{inline(children)}]")
            case tree.Emphasis(children=children):
                out.append(f"#emph[{inline(children)}]")
            case tree.Link(children=children, target=target):
                where = f"<{target[1:]}>" if target.startswith("#") else f'"{target}"'
                out.append(f"#link({where})[{inline(children)}]")
            case tree.LineBreak():
                out.append("\\ ")
    return "".join(out)


_OPEN: list[int] = []  # the open headings' levels, as the PDF writer counts them


def block(item: tree.Block, depth: int = 0) -> list[str]:
    pad = "  " * depth
    match item:
        case tree.Heading(level=level, content=content, anchor=anchor):
            # Typst's ua-1 refuses a skipped level (h1 then h3): its level as tagged
            level = tree.outline_depth(_OPEN, level) + 1
            return [f"{'=' * level} {inline(content)} <{anchor}>", ""]
        case tree.Paragraph(content=content, lang=lang):
            text = inline(content)
            if lang:
                text = f'#text(lang: "{lang}")[{text}]'
            return [f"{pad}{text}", ""]
        case tree.ListBlock(ordered=ordered, items=items):
            marker = "+" if ordered else "-"
            lines = []
            for entry in items:
                parts = [line.strip() for child in entry for line in block(child, 0) if line]
                lines.append(f"{pad}{marker} {parts[0] if parts else ''}")
                lines += [f"{pad}  {part}" for part in parts[1:]]
            return [*lines, ""]
        case tree.Table(header=header, rows=rows):
            columns = max([len(header), *(len(r) for r in rows)])
            cells = ", ".join(f"[{inline(c.content)}]" for c in header)
            body = ", ".join(f"[{inline(c.content)}]" for r in rows for c in r)
            head = f"table.header({cells}), " if header else ""
            return [f"#table(columns: {columns}, {head}{body})", ""]
        case tree.KeyMessages(blocks=blocks):
            inner = [line for child in blocks for line in block(child, 0)]
            return ["#block(fill: luma(235), inset: 12pt)[", *inner, "]", ""]
        case tree.PageBreak():
            return ["#pagebreak(weak: true)", ""]
        case tree.Cover(title=title, subtitle=subtitle, lines=cover_lines):
            out = [f"#text(size: 30pt)[{inline(title.content)}]", ""]
            if subtitle is not None:
                out += [inline(subtitle.content), ""]
            for line in cover_lines:
                out += [inline(line.content), ""]
            return [*out, "#pagebreak()", ""]
        case tree.Contents(title=title):
            return [f"#outline(title: [{inline(title.content)}], depth: 2)", ""]
    return []


def typst_source(document: tree.Document) -> str:
    meta = document.meta
    head = [
        f'#set document(title: "{meta.title}", author: "{meta.author}")',
        f'#set text(lang: "{meta.language}", font: "Noto Sans", size: 10pt)',
        '#set page(paper: "a4")',
        "",
    ]
    return "\n".join(head + [line for item in document.blocks for line in block(item)])


def roles(pdf: Path) -> list[str]:
    """The structure tree as poppler reads it: element types and nesting, no text."""
    dump = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    out = []
    for line in dump.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(('"', "/", "Object")):
            continue
        indent = len(line) - len(line.lstrip())
        out.append(" " * indent + stripped.split(" ")[0].rstrip(":"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", nargs="?", type=Path, default=ROOT / "inputs" / "asp23.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "typst-compare")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    document = compose_pack(load_session(args.input))
    ours = args.out / "briefgen.pdf"
    ours.write_bytes(write_pdf(document).data)
    source = args.out / "typst.typ"
    source.write_text(typst_source(document), encoding="utf-8")
    theirs = args.out / "typst.pdf"
    typst.compile(
        str(source),
        output=str(theirs),
        font_paths=[str(FONT_DIR)],
        ignore_system_fonts=True,
        pdf_standards=["ua-1"],
    )
    diff = difflib.unified_diff(
        roles(theirs), roles(ours), "typst (ua-1)", "briefgen", lineterm="", n=2
    )
    print("\n".join(diff))
    print(f"\nfiles in {args.out}: briefgen.pdf, typst.pdf, typst.typ", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
