"""Composing the pack: a validated session and the templates give one document tree."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from briefgen import tree
from briefgen.compose.markdown import FIELD_PARSER, TEMPLATE_PARSER, BlockBuilder
from briefgen.compose.templating import (
    PLACEHOLDER,
    Markdown,
    MarkdownFields,
    load_labels,
    make_environment,
    render_template,
)
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.load import LoadedSession
from briefgen.input.model import Organization, Plenary, Segment, Session, Statement

MAIN_TEMPLATE = "pack.md.j2"
CONTENTS_DEPTH = 2


@dataclass(frozen=True)
class StatementGroup:
    segment: Segment | None
    statements: tuple[Statement, ...]


def compose_pack(loaded: LoadedSession, templates: Path | None = None) -> tree.Document:
    """Return the document tree of the pack for ``loaded``, worded by the templates."""
    session = loaded.session
    labels = load_labels(templates, session.pack.language)
    fields = MarkdownFields()
    markdown = render_pack_markdown(session, labels, templates, fields)
    logo = loaded.logo_path
    builder = _PackBuilder(fields.sources, str(logo) if logo else None)
    blocks = builder.build(markdown)
    return tree.Document(_metadata(session, labels), _with_contents(blocks))


def render_pack_markdown(
    session: Session, labels: dict[str, str], templates: Path | None, fields: MarkdownFields
) -> str:
    """Return the pack as Markdown, the users' Markdown fields replaced by placeholders."""
    environment = make_environment(templates, session.pack.language)
    environment.filters["md"] = fields.placeholder
    environment.filters["fill"] = _fill
    return render_template(environment, MAIN_TEMPLATE, _context(session, labels))


def _fill(label: str, **values: Any) -> str:
    for name, value in values.items():
        label = label.replace("{" + name + "}", str(value))
    return label


def _context(session: Session, labels: dict[str, str]) -> dict[str, Any]:
    publisher = session.organization(session.pack.publisher) if session.pack.publisher else None
    return {
        "pack": session.pack,
        "session": session.session,
        "organizations": session.organizations,
        "organizations_sorted": sorted(session.organizations, key=_organization_sort_key),
        "plenaries": session.plenaries,
        "labels": labels,
        "title": pack_title(session, labels),
        "publisher": publisher,
        "edition": document_date(session),
        "key_messages": [
            m for p in session.plenaries if p.kind == "closing" for m in p.key_messages
        ],
        "statements_with_text": [s for p in session.plenaries for s in p.statements if s.text],
        "anchor": _anchor_line,
        "anchor_id": _anchor_id,
        "credit": lambda statement: credit(session, statement, labels),
        "speakers": lambda plenary: speakers(session, plenary),
        "statement_groups": statement_groups,
        "segment_title": _segment_title,
    }


def _organization_sort_key(organization: Organization) -> str:
    return (organization.short_name or organization.name).casefold()


def _anchor_id(*parts: str) -> Markdown:
    return Markdown("-".join(parts))


def _anchor_line(*parts: str) -> Markdown:
    return Markdown("{#" + "-".join(parts) + "}")


def pack_title(session: Session, labels: dict[str, str]) -> str:
    """Return the pack's title: the given one, else the label's default for the session."""
    if session.pack.title:
        return session.pack.title
    name = session.session.short_name or session.session.name
    return _fill(labels["default_title"], session=name)


def credit(session: Session, statement: Statement, labels: dict[str, str]) -> str:
    """Return "Organisation, on behalf of X, delivered by speaker" for a statement."""
    parts = [session.organization(statement.by).name]
    if statement.on_behalf_of:
        behalf = session.organization(statement.on_behalf_of).name
        parts.append(_fill(labels["on_behalf_of"], organization=behalf))
    if statement.speaker:
        parts.append(_fill(labels["delivered_by"], speaker=statement.speaker))
    return ", ".join(parts)


def speakers(session: Session, plenary: Plenary) -> list[str]:
    """Return who took the floor in a plenary, each organisation once, short names preferred."""
    names = (session.organization(s.by) for s in plenary.statements)
    return list(dict.fromkeys(o.short_name or o.name for o in names))


def statement_groups(plenary: Plenary) -> list[StatementGroup]:
    """Return the statements grouped by segment, in segment order, ungrouped ones last."""
    groups = [
        StatementGroup(segment, tuple(s for s in plenary.statements if s.segment == segment.id))
        for segment in plenary.segments
    ]
    ungrouped = tuple(s for s in plenary.statements if s.segment is None)
    if ungrouped:
        groups.append(StatementGroup(None, ungrouped))
    return groups


def _segment_title(plenary: Plenary, segment_id: str) -> str:
    return next(s.title for s in plenary.segments if s.id == segment_id)


def document_date(session: Session) -> date:
    """Return the edition date, else SOURCE_DATE_EPOCH's date, else the session's end."""
    if session.pack.edition:
        return session.pack.edition
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return session.session.end


def _metadata(session: Session, labels: dict[str, str]) -> tree.Metadata:
    title = pack_title(session, labels)
    publisher = session.organization(session.pack.publisher).name if session.pack.publisher else ""
    return tree.Metadata(
        title=title,
        author=publisher,
        subject=session.session.name,
        keywords=session.session.hashtags,
        language=session.pack.language,
        created=datetime.combine(document_date(session), time(0, 0), UTC),
        paper=session.pack.paper,
        draft=session.pack.status == "draft",
        running_header=title,
        draft_mark=labels["draft_mark"],
        page_label=labels["page_label"],
    )


class _PackBuilder:
    """Parses the rendered Markdown, resolving containers and the users' Markdown fields."""

    def __init__(self, field_sources: Sequence[str], logo: str | None) -> None:
        self.field_sources = field_sources
        self.logo = logo
        self.blocks = BlockBuilder(self._container, self._paragraph)
        self.field_blocks = BlockBuilder()

    def build(self, markdown: str) -> tuple[tree.Block, ...]:
        return _unique_anchors(self.blocks.parse(TEMPLATE_PARSER, markdown))

    def _paragraph(self, paragraph: tree.Paragraph) -> Sequence[tree.Block]:
        content = paragraph.content
        if len(content) == 1 and isinstance(content[0], tree.Text):
            found = PLACEHOLDER.match(content[0].text)
            if found:
                return self.field_blocks.parse(FIELD_PARSER, self.field_sources[int(found[1])])
        return [paragraph]

    def _container(
        self, name: str, params: str, children: tuple[tree.Block, ...]
    ) -> Sequence[tree.Block]:
        match name:
            case "cover":
                return [_cover(children, self.logo)]
            case "contents":
                title = next(
                    (tree.plain_text(b.content) for b in children if isinstance(b, tree.Heading)),
                    "",
                )
                return [tree.Contents(title, ())]
            case "key-messages":
                return [tree.KeyMessages(children)]
            case "byline":
                return [_with_role(b, "byline") for b in children]
            case "lang":
                return [_with_lang(b, params or None) for b in children]
        raise UserError([Diagnostic(MAIN_TEMPLATE, 0, 0, "", f"unknown block '::: {name}'")])


def _cover(children: tuple[tree.Block, ...], logo: str | None) -> tree.Cover:
    headings = [b for b in children if isinstance(b, tree.Heading)]
    title = next((tree.plain_text(h.content) for h in headings if h.level == 1), "")
    subtitle = next((tree.plain_text(h.content) for h in headings if h.level == 2), None)
    lines = tuple(_with_role(b, "cover-line") for b in children if isinstance(b, tree.Paragraph))
    return tree.Cover(
        title, subtitle, tuple(b for b in lines if isinstance(b, tree.Paragraph)), logo
    )


def _with_role(block: tree.Block, role: tree.ParagraphRole) -> tree.Block:
    return replace(block, role=role) if isinstance(block, tree.Paragraph) else block


def _with_lang(block: tree.Block, lang: str | None) -> tree.Block:
    """Return the block with ``lang`` set on its paragraphs, lists and key messages included."""
    if lang is None:
        return block
    match block:
        case tree.Paragraph():
            return replace(block, lang=lang)
        case tree.ListBlock(items=items):
            return replace(
                block, items=tuple(tuple(_with_lang(b, lang) for b in item) for item in items)
            )
        case tree.KeyMessages(blocks=blocks):
            return replace(block, blocks=tuple(_with_lang(b, lang) for b in blocks))
    return block


def _unique_anchors(blocks: tuple[tree.Block, ...]) -> tuple[tree.Block, ...]:
    """Give every heading a unique anchor: its own, else one made from its text."""
    seen: set[str] = set()
    result: list[tree.Block] = []
    for block in blocks:
        if isinstance(block, tree.Heading):
            base = block.anchor or _slugify(tree.plain_text(block.content))
            anchor, number = base, 1
            while anchor in seen:
                number += 1
                anchor = f"{base}-{number}"
            seen.add(anchor)
            block = replace(block, anchor=anchor)
        result.append(block)
    return tuple(result)


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "section"


def _with_contents(blocks: tuple[tree.Block, ...]) -> tuple[tree.Block, ...]:
    """Fill the contents block with the headings that follow it."""
    entries = tuple(
        tree.ContentsEntry(b.level, tree.plain_text(b.content), b.anchor)
        for b in blocks
        if isinstance(b, tree.Heading) and b.level <= CONTENTS_DEPTH
    )
    return tuple(replace(b, entries=entries) if isinstance(b, tree.Contents) else b for b in blocks)
