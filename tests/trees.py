"""Hand-written document trees for writer tests, decided as ``compose`` decides them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from briefgen import tree
from briefgen.compose.decisions import decide, title_line
from briefgen.look import default_look


def line(text: str, role: tree.ParagraphRole = "body") -> tree.Paragraph:
    """A plain one-line paragraph (a title, a cover line, a header), direction decided."""
    return title_line(text, role)


def row(*texts: str, role: tree.ParagraphRole = "table-cell") -> tuple[tree.Paragraph, ...]:
    """A table row of plain cells."""
    return tuple(tree.Paragraph((tree.Text(text),), role) for text in texts)


def meta(title: str) -> tree.Metadata:
    """Metadata of a plain English A4 pack called ``title``, no draft, no changes."""
    return tree.Metadata(
        title=title,
        author="Coalition for the ICC",
        subject=title,
        keywords=(),
        language="en-GB",
        created=datetime(2024, 11, 18, 9, 30, tzinfo=UTC),
        paper="A4",
        draft=False,
        running_header=line(title),
        draft_mark=line("DRAFT"),
    )


def decided(meta: tree.Metadata, blocks: Iterable[tree.Block]) -> tree.Document:
    """A document whose blocks went through compose's decisions, as a writer gets them."""
    look = default_look()
    return tree.Document(
        meta,
        decide(tuple(blocks), meta.language, look),
        look,
    )
