"""Labels that writers fill in rather than print (the page label's pieces), and the
labels an input needs (an organisation's article): checked by ``validate`` too.

``validate`` imports this module; it imports the templates' machinery (Jinja2) only for
an input whose organisations take articles.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import tree
from briefgen.text.direction import base_direction

if TYPE_CHECKING:
    from briefgen.input.diagnostics import Diagnostic
    from briefgen.input.load import LoadedSession

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


ARTICLE_LABELS = ("on_behalf_of", "article")
"""The labels each article needs, per language: "on behalf of the X" (``on_behalf_of_the``)
and the name with its article inside a sentence, "co-signed by the X" (``article_the``)."""


def article_label(name: str, article: str) -> str:
    """The label of ``name`` for a name that takes ``article``: on_behalf_of_the,
    on_behalf_of_l (for l'), article_le."""
    return f"{name}_{article.strip(chr(39) + chr(0x2019))}"


def article_problems(loaded: LoadedSession, templates: Path | None) -> list[Diagnostic]:
    """An error at each organisation's ``article`` that the labels of the pack's language
    (those of ``templates``, else the built-in ones) do not write: build would stop there."""
    organizations = loaded.session.organizations
    if all(organization.article is None for organization in organizations):
        return []
    from briefgen.compose.templating import load_labels

    language = loaded.session.pack.language
    labels = load_labels(templates, language)
    problems = []
    for index, organization in enumerate(organizations):
        if organization.article is None:
            continue
        needed = (article_label(name, organization.article) for name in ARTICLE_LABELS)
        label = next((label for label in needed if label not in labels), None)
        if label is not None:
            message = (
                f"the article '{organization.article}' is not written in '{language}' packs"
                f" (no label '{label}'): leave it out, or add the label to your labels.yaml"
            )
            problems.append(loaded.source.diagnostic(("organizations", index, "article"), message))
    return problems
