"""Labels that writers fill in rather than print: the page label's pieces."""

from __future__ import annotations

import re

from briefgen import tree
from briefgen.text.direction import base_direction

PAGE_LABEL_FIELDS: dict[str, tree.LabelPiece] = {
    "page": tree.PageNumber(),
    "total": tree.PageCount(),
}
_FIELD = re.compile(r"\{([^{}]*)\}")


def page_label_problem(label: str) -> str | None:
    """Return what is wrong with a page label (an unknown ``{field}``), or None."""
    unknown = [name for name in _FIELD.findall(label) if name not in PAGE_LABEL_FIELDS]
    if not unknown:
        return None
    known = ", ".join("{" + name + "}" for name in PAGE_LABEL_FIELDS)
    return f"unknown field {{{unknown[0]}}}; a page label may use {known}"


def page_label(label: str) -> tree.PageLabel:
    """Return ``label`` ("Page {page} of {total}") as text and number pieces."""
    pieces: list[tree.LabelPiece] = []
    for index, part in enumerate(_FIELD.split(label)):
        if index % 2:
            pieces.append(PAGE_LABEL_FIELDS[part])
        elif part:
            pieces.append(part)
    text = "".join(piece for piece in pieces if isinstance(piece, str))
    return tree.PageLabel(tuple(pieces), base_direction(text))
