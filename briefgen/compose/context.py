"""What the templates are given, and what they give back.

The templates get the session's data and a few helpers that select or order it
(``speakers``, ``statement_groups``…); every word of the pack is theirs, the
shared wording in the macros of ``macros.md.j2`` (the pack's title, a statement's
credit line). The pack's title is also the document's, so it is asked of that
macro rather than worded twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from briefgen import tree
from briefgen.compose.labels import article_label
from briefgen.compose.markdown import UnknownContainer, inline_text
from briefgen.compose.programme import in_reading_order, statement_groups
from briefgen.compose.references import Traces, organization_index
from briefgen.compose.templating import (
    MarkdownFields,
    make_environment,
    render_budget,
    render_template,
    start_budget,
    template_errors,
    unknown_container,
)
from briefgen.compose.values import Markdown, escape_markdown, finalize
from briefgen.editions.changes import Change, Changes, OrganizationName
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.model import Organization, Plenary, Session
from briefgen.text.collation import SortKey, sort_key
from briefgen.text.typography import nested_quotes, quotes_around

MAIN_TEMPLATE = "pack.md.j2"
MACROS_TEMPLATE = "macros.md.j2"
TITLE_MACRO = "pack_title"


@dataclass(frozen=True)
class RenderedPack:
    """The pack as the templates wrote it, users' Markdown fields as placeholders."""

    markdown: str
    title: str  # the pack's title as plain text: the document's title and running header
    fields: MarkdownFields
    environment: jinja2.Environment

    def parse(self, build: Callable[[str], tuple[tree.Block, ...]]) -> tuple[tree.Block, ...]:
        """Return ``build(markdown)``; raise ``UserError`` at the template line of a mistake.

        The mistakes: a ``:::`` block of an unknown name, and an ``md`` field anywhere
        but alone in a paragraph (``build`` takes the fields it finds there).
        """
        try:
            blocks = build(self.markdown)
        except UnknownContainer as error:
            raise unknown_container(self.environment, error.name, MAIN_TEMPLATE) from None
        self.fields.check_all_taken(self.markdown, MAIN_TEMPLATE)
        return blocks


def render_pack(
    session: Session,
    labels: dict[str, str],
    templates: Path | None,
    edition: date,
    changes: Changes | None = None,
) -> RenderedPack:
    """Return the pack rendered by the templates (``templates`` first, then the built-in ones).

    ``edition`` is the date the pack is of; ``changes``, what changed since the edition
    it is compared with, if any.
    """
    environment = make_environment(templates, session.pack.language)
    fields = MarkdownFields()
    environment.filters["md"] = fields.placeholder
    environment.filters["fill"] = _filler(labels["inner_quotes"])
    context = _context(session, labels, edition)
    context["changes"] = changes
    context["worded"] = _worded(environment.filters["date"], labels)
    start_budget(environment, len(session.model_dump_json()))
    with template_errors(MACROS_TEMPLATE), render_budget(environment):
        macros = environment.get_template(MACROS_TEMPLATE).make_module(context)
        title_macro = getattr(macros, TITLE_MACRO, None)
        if not isinstance(title_macro, jinja2.runtime.Macro):
            filename = environment.get_template(MACROS_TEMPLATE).filename or MACROS_TEMPLATE
            message = f"no macro '{TITLE_MACRO}': it words the pack's title"
            raise UserError([Diagnostic(filename, 0, 0, "", message)])
        title = Markdown(title_macro())
    context.update(_exported(macros))
    context["title"] = title
    markdown = render_template(environment, MAIN_TEMPLATE, context)
    return RenderedPack(markdown, inline_text(title), fields, environment)


def _worded(
    format_date: Callable[[date], str], labels: dict[str, str]
) -> Callable[[Change], dict[str, str]]:
    """The values of a change as its label prints them, in the pack's language: dates,
    and an organisation's acronym in the language's parentheses (the parenthesis_open and
    parenthesis_close labels: full-width ones in Chinese)."""

    def value(item: str | date | OrganizationName) -> str:
        if isinstance(item, date):
            return format_date(item)
        if isinstance(item, OrganizationName):
            if not item.short_name:
                return item.name
            opening, closing = labels["parenthesis_open"], labels["parenthesis_close"]
            return f"{item.name}{opening}{item.short_name}{closing}"
        return item

    def worded(change: Change) -> dict[str, str]:
        return {name: value(item) for name, item in change.values.items()}

    return worded


def _exported(module: jinja2.environment.TemplateModule) -> dict[str, Any]:
    """The macros (and top-level ``set``s) of a template module, by name."""
    return {name: value for name, value in vars(module).items() if not name.startswith("_")}


def _filler(inner_quotes: str) -> Callable[..., str]:
    """The templates' ``fill`` filter: ``_fill`` with the pack language's quotation marks
    within quotation marks (the ``inner_quotes`` label: "„ “" in Russian)."""
    opening, closing = inner_quotes.split()
    return partial(_fill, (opening, closing))


def _fill(inner: tuple[str, str], label: str, /, **values: Any) -> str:
    """``label`` with each ``{name}`` of ``values`` replaced by its value, in one pass (a
    value that holds ``{name}`` stays as typed). A value the label quotes (« {segment} »)
    has the same quotation marks of its own written as the ``inner`` ones.

    A value that is Markdown (what a macro printed, each value in it fenced as an isolate:
    a list of names) makes the result Markdown: the label's own words around it are then
    escaped and stand in the sentence as its text, between the values, each of which
    keeps its own direction (never two isolates side by side: text stands between them).
    """
    if not values:
        return label
    field = re.compile("|".join(re.escape("{" + name + "}") for name in values))
    pieces = field.split(label)
    names = [found[1:-1] for found in field.findall(label)]
    filled = [
        _quoted(values[name], pieces[i], pieces[i + 1], inner) for i, name in enumerate(names)
    ]
    if not any(isinstance(value, Markdown) for value in filled):
        return "".join(
            piece + str(value) for piece, value in zip(pieces, [*filled, ""], strict=True)
        )
    printed = [escape_markdown(pieces[0])]
    for value, piece in zip(filled, pieces[1:], strict=True):
        printed += [finalize(value), escape_markdown(piece)]
    return Markdown("".join(printed))


def _quoted(value: Any, before: str, after: str, inner: tuple[str, str]) -> Any:
    """``value`` as the label's text ``before`` and ``after`` it sets it: inside quotation
    marks, its own of the same kind become ``inner`` ones (plain text only)."""
    outer = quotes_around(before, after)
    if outer is None or not isinstance(value, str) or isinstance(value, Markdown):
        return value
    return nested_quotes(value, outer, inner)


def _context(session: Session, labels: dict[str, str], edition: date) -> dict[str, Any]:
    publisher = session.organization(session.pack.publisher) if session.pack.publisher else None
    traces = Traces(session)
    return {
        "pack": session.pack,
        "session": session.session,
        "organizations": session.organizations,
        "organizations_sorted": sorted(
            session.organizations, key=partial(_organization_sort_key, session.pack.language)
        ),
        "plenaries": session.plenaries,
        "labels": labels,
        "annex_letters": labels["annex_letters"].split(),
        "publisher": publisher,
        "edition": edition,
        "key_messages": [
            m for p in session.plenaries if p.kind == "closing" for m in p.key_messages
        ],
        "statements_with_text": [
            s for p in session.plenaries for s in in_reading_order(p) if s.text
        ],
        "organization_index": organization_index(
            session, partial(_index_sort_key, session.pack.language)
        ),
        "sources": traces.sources,
        "citations": traces.citations,
        "anchor": _anchor_line,
        "anchor_id": _anchor_id,
        "article_label": article_label,
        "organization": session.organization,
        "speakers": lambda plenary: speakers(session, plenary),
        "statement_groups": statement_groups,
        "in_reading_order": in_reading_order,
        "segment_title": _segment_title,
    }


def _organization_sort_key(language: str, organization: Organization) -> SortKey:
    """The annex of organisations and acronyms: by the acronym its first column shows."""
    return sort_key(organization.short_name or organization.name, language)


def _index_sort_key(language: str, organization: Organization) -> SortKey:
    """The index: by the name each entry starts with, its acronym only after it."""
    return sort_key(organization.name, language)


def _anchor_id(*parts: str) -> Markdown:
    return Markdown("-".join(parts))


def _anchor_line(*parts: str) -> Markdown:
    return Markdown("{#" + "-".join(parts) + "}")


def speakers(session: Session, plenary: Plenary) -> list[str]:
    """Return who took the floor in a plenary, each organisation once, short names preferred."""
    names = (session.organization(s.by) for s in in_reading_order(plenary))
    return list(dict.fromkeys(o.short_name or o.name for o in names))


def _segment_title(plenary: Plenary, segment_id: str) -> str:
    return next(s.title for s in plenary.segments if s.id == segment_id)
