"""How far the PDF writer stands from reportlab's floor: the same blocks, laid out by a
minimal reportlab script.

Usage::

    uv run python bench/floor.py [--sizes S,M,W] [--runs 5]

For each bench input the pack's tree is composed once (not timed); then, in this
process and in alternation (writer, minimal, writer, ...), with the cyclic collector
paused as the command line pauses it, are timed:

- **the writer**: briefgen's PDF writer on the tree, everything it does included
  (cover, contents with page numbers, running header and footer, outline, links,
  tagging, fonts for every script, shaping, bidi, hyphenation, line breaking);
- **minimal**: ``minimal_pdf`` below, the same blocks as plain reportlab flowables:
  each paragraph a ``Paragraph`` with reportlab's own markup for bold, italic and
  links, headings in the writer's sizes, lists as ``ListFlowable``, tables as ``Table``
  with the header repeated, the key messages as their paragraphs, page breaks where the
  tree has them, in the same TrueType faces (subset and embedded), paper, margins and
  hyphenation (reportlab's, where the look hyphenates), built once by
  ``SimpleDocTemplate``. Nothing else: no page furniture, no contents page
  numbers, no tagging, and text in other scripts drawn as reportlab draws it unshaped.

It prints the medians and their ratio (writer / minimal); issue targets speak of that
ratio. The two PDFs are written to ``--out`` to be looked at.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)
from run import at_least_three, parse_sizes, publish

from briefgen import tree
from briefgen.cli.gcpause import cyclic_gc_paused
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.text.fonts import SANS, SANS_BOLD, SANS_BOLD_ITALIC, SANS_ITALIC, font_path
from briefgen.writers import FORMATS

BENCH = Path(__file__).resolve().parent
FAMILY = "FloorSans"
FACES = {
    FAMILY: SANS,
    f"{FAMILY}-Bold": SANS_BOLD,
    f"{FAMILY}-Italic": SANS_ITALIC,
    f"{FAMILY}-BoldItalic": SANS_BOLD_ITALIC,
}


def register_faces() -> None:
    """The writer's text faces, under names of their own (no briefgen code draws them)."""
    for name, face in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(font_path(face))))
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=FAMILY,
        bold=f"{FAMILY}-Bold",
        italic=f"{FAMILY}-Italic",
        boldItalic=f"{FAMILY}-BoldItalic",
    )


def markup(inlines: Iterable[tree.Inline]) -> str:
    """reportlab's paragraph markup for ``inlines``, every typed character escaped."""
    parts = []
    for inline in inlines:
        match inline:
            case tree.Text(text=text):
                parts.append(escape(text))
            case tree.Strong(children=children):
                parts.append(f"<b>{markup(children)}</b>")
            case tree.Emphasis(children=children):
                parts.append(f"<i>{markup(children)}</i>")
            case tree.Link(children=children, target=target):
                parts.append(f'<a href="{escape(target)}">{markup(children)}</a>')
            case tree.LineBreak():
                parts.append("<br/>")
            case _:
                parts.append(markup(getattr(inline, "children", ())))
    return "".join(parts)


class Styles:
    """Plain reportlab paragraph styles in the look's sizes, leading and spacing."""

    def __init__(self, look: Any, language: str) -> None:
        self.look = look
        self.language = language
        self._made: dict[str, ParagraphStyle] = {}

    def role(self, role: str) -> ParagraphStyle:
        if role not in self._made:
            self._made[role] = _style(role, self.look.text.of(role), self.language)
        return self._made[role]

    def heading(self, level: int) -> ParagraphStyle:
        name = f"heading-{level}"
        if name not in self._made:
            self._made[name] = _style(name, self.look.heading(level), self.language)
        return self._made[name]


def _style(name: str, text: Any, language: str) -> ParagraphStyle:
    """reportlab's style for a text style of the look: hyphenated where the look says
    (reportlab's own hyphenation, by the pack's language), so that lines break alike."""
    return ParagraphStyle(
        name,
        fontName=f"{FAMILY}-Bold" if text.bold else FAMILY,
        fontSize=text.size,
        leading=text.leading,
        spaceBefore=text.space_before,
        spaceAfter=text.space_after,
        keepWithNext=text.keep_with_next,
        hyphenationLang=language.replace("-", "_") if text.hyphenate else "",
        embeddedHyphenation=1,
    )


def flowables(blocks: Iterable[tree.Block], styles: Styles) -> list[Flowable]:
    made: list[Flowable] = []
    for block in blocks:
        made += _block(block, styles)
    return made


def _block(block: tree.Block, styles: Styles) -> list[Flowable]:
    match block:
        case tree.Heading(level=level, content=content, anchor=anchor):
            target = f'<a name="{escape(anchor)}"/>'  # where the tree's links lead
            return [Paragraph(target + markup(content), styles.heading(level))]
        case tree.Paragraph(content=content, role=role):
            return [Paragraph(markup(content), styles.role(role))]
        case tree.ListBlock(items=items, ordered=ordered):
            listed = [ListItem(flowables(item, styles)) for item in items]
            return [ListFlowable(listed, bulletType="1" if ordered else "bullet")]
        case tree.Table(header=header, rows=rows, widths=widths):
            return [_table(header, rows, widths, styles)]
        case tree.KeyMessages(blocks=blocks) | tree.Revised(blocks=blocks):
            return flowables(blocks, styles)
        case tree.PageBreak():
            return [PageBreak()]
        case tree.Cover(title=title, subtitle=subtitle, lines=lines):
            shown = [title, *([subtitle] if subtitle else []), *lines]
            return [*flowables(shown, styles), PageBreak()]
        case tree.Contents(title=title, entries=entries):
            style = styles.role("body")
            lines = [Paragraph(escape(entry.text), style) for entry in entries]
            return [*flowables([title], styles), *lines]
        case tree.Index(groups=groups):
            made: list[Flowable] = []
            for group in groups:
                made += flowables([group.name], styles)
                style = styles.role("body")
                made += [Paragraph(escape(entry.text), style) for entry in group.entries]
            return made
        case _:
            return []


def _table(
    header: tuple[tree.Paragraph, ...],
    rows: tuple[tuple[tree.Paragraph, ...], ...],
    widths: tuple[float, ...],
    styles: Styles,
) -> Table:
    data = [
        [Paragraph(markup(cell.content), styles.role(cell.role)) for cell in row] for row in rows
    ]
    if header:
        data.insert(0, [Paragraph(markup(c.content), styles.role(c.role)) for c in header])
    columns = max(len(row) for row in data)
    data = [row + [""] * (columns - len(row)) for row in data]
    table = Table(
        data,
        colWidths=[f"{100 * share:.3f}%" for share in widths] if widths else None,
        repeatRows=1 if header else 0,
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _cell(cell: tree.Paragraph, styles: Styles) -> Paragraph:
    return Paragraph(markup(cell.content), styles.role(cell.role))


def minimal_pdf(document: tree.Document, path: Path) -> None:
    look = document.look
    margins = look.page.margins
    template = SimpleDocTemplate(
        str(path),
        pagesize=look.page.size(document.meta.paper),
        leftMargin=margins.left,
        rightMargin=margins.right,
        topMargin=margins.top,
        bottomMargin=margins.bottom,
        invariant=1,
    )
    template.build(flowables(document.blocks, Styles(look, document.meta.language)))


def timed(action: Callable[[], object]) -> float:
    """Seconds ``action`` takes with the cyclic collector paused, as the command line
    runs a build (``cli/gcpause.py``); the same for both sides."""
    gc.collect()
    with cyclic_gc_paused():
        start = time.perf_counter()
        action()
        return time.perf_counter() - start


def measure(size: str, runs: int, out: Path) -> tuple[float, float, int, int]:
    """Medians of the writer and of the minimal script, and their pages."""
    source = BENCH / "inputs" / f"bench-{size.lower()}.yaml"
    document = compose_pack(load_session(source))
    write = FORMATS["pdf"].write_function()
    writer_path, minimal_path = out / f"{size}-writer.pdf", out / f"{size}-minimal.pdf"
    writer_times, minimal_times = [], []
    for _ in range(runs + 1):  # the first of each warms caches up, and is not counted
        writer_times.append(timed(lambda: writer_path.write_bytes(write(document).data)))
        minimal_times.append(timed(lambda: minimal_pdf(document, minimal_path)))
    return (
        statistics.median(writer_times[1:]),
        statistics.median(minimal_times[1:]),
        _pages(writer_path),
        _pages(minimal_path),
    )


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=["S", "M", "W"])
    parser.add_argument("--runs", type=at_least_three, default=5)
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "floor")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    register_faces()
    lines = [
        "| Size | Writer (s) | Pages | Minimal reportlab (s) | Pages | Writer / minimal |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for size in args.sizes:
        writer, minimal, writer_pages, minimal_pages = measure(size, args.runs, args.out)
        lines.append(
            f"| {size} | {writer:.3f} | {writer_pages} | {minimal:.3f} | {minimal_pages} "
            f"| {writer / minimal:.2f} |"
        )
        print(lines[-1], flush=True)
    publish("\n".join(lines) + "\n", args.out / "latest.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
