"""Hand-written document trees for writer tests, decided as ``compose`` decides them."""

from __future__ import annotations

from collections.abc import Iterable

from briefgen import tree
from briefgen.compose.decisions import decide, title_line
from briefgen.look import default_look


def line(text: str, role: tree.ParagraphRole = "body") -> tree.Paragraph:
    """A plain one-line paragraph (a title, a cover line, a header), direction decided."""
    return title_line(text, role)


def row(*texts: str, role: tree.ParagraphRole = "table-cell") -> tuple[tree.Paragraph, ...]:
    """A table row of plain cells."""
    return tuple(tree.Paragraph((tree.Text(text),), role) for text in texts)


def decided(meta: tree.Metadata, blocks: Iterable[tree.Block]) -> tree.Document:
    """A document whose blocks went through compose's decisions, as a writer gets them."""
    look = default_look()
    return tree.Document(
        meta,
        decide(tuple(blocks), meta.language, look),
        look,
    )
