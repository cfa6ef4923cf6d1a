"""Composing the pack: a validated session and the templates give one document tree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

from briefgen import tree
from briefgen.compose.context import MAIN_TEMPLATE, render_pack
from briefgen.compose.decisions import decide, running_header, title_line
from briefgen.compose.labels import article_problems, page_label
from briefgen.compose.markdown import FIELD_PARSER, TEMPLATE_PARSER, BlockBuilder, UnknownContainer
from briefgen.compose.templating import PLACEHOLDER, MarkdownFields, load_labels
from briefgen.editions.changes import Changes
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.epoch import source_date_epoch
from briefgen.input.load import LoadedSession
from briefgen.input.model import Session
from briefgen.look import Look, load_look
from briefgen.text.direction import language_direction
from briefgen.text.typography import single_spaced


def compose_pack(
    loaded: LoadedSession, templates: Path | None = None, changes: Changes | None = None
) -> tree.Document:
    """Return the document tree of the pack for ``loaded``, worded by the templates;
    with ``changes`` (since an earlier edition), a section listing them."""
    session = loaded.session
    labels = load_labels(templates, session.pack.language)
    problems = article_problems(loaded, templates)
    if problems:
        raise UserError(problems)
    rendered = render_pack(session, labels, templates, document_date(session), changes)
    logo = loaded.logo_path
    builder = _PackBuilder(rendered.fields, str(logo) if logo else None, _logo_alt(session))
    look = load_look(templates)
    try:
        parsed = rendered.parse(builder.build)
    except RecursionError:  # users' fields are bounded at validation; templates are not
        message = "the templates' Markdown nests too deep (emphasis, links or lists)"
        raise UserError([Diagnostic(MAIN_TEMPLATE, 0, 0, "", message)]) from None
    blocks = decide(parsed, session.pack.language, look, french_spaces=session.pack.french_spaces)
    return tree.Document(document_metadata(session, labels, rendered.title, look), blocks, look)


def document_date(session: Session) -> date:
    """Return the edition date, else SOURCE_DATE_EPOCH's date, else the session's end."""
    if session.pack.edition:
        return session.pack.edition
    epoch = source_date_epoch()  # UserError when set but not a date a PDF can carry
    if epoch is not None:
        return epoch
    return session.session.end


def _logo_alt(session: Session) -> str:
    """What the logo shows: ``pack.logo_alt``, by default the publisher's name."""
    if session.pack.logo_alt is not None:
        return session.pack.logo_alt
    publisher = session.pack.publisher
    return session.organization(publisher).name if publisher else ""


def document_metadata(
    session: Session, labels: dict[str, str], title: str, look: Look
) -> tree.Metadata:
    """The metadata of a document of ``session`` titled ``title``: the pack, a handout."""
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
        running_header=running_header(title, look, session.pack.paper, labels["ellipsis"]),
        draft_mark=title_line(labels["draft_mark"], "body"),
        page_label=page_label(labels["page_label"]),
        direction=language_direction(session.pack.language),
        revision_words=tree.RevisionWords(
            labels["inserted"], labels["inserted_end"], labels["deleted"], labels["deleted_end"]
        ),
    )


class _PackBuilder:
    """Parses the rendered Markdown, resolving containers and the users' Markdown fields."""

    def __init__(self, fields: MarkdownFields, logo: str | None, logo_alt: str) -> None:
        self.fields = fields
        self.logo, self.logo_alt = logo, logo_alt
        self.blocks = BlockBuilder(self._container, self._paragraph)
        self.field_blocks = BlockBuilder()

    def build(self, markdown: str) -> tuple[tree.Block, ...]:
        return self.blocks.parse(TEMPLATE_PARSER, markdown)

    def _paragraph(self, paragraph: tree.Paragraph) -> Sequence[tree.Block]:
        content = paragraph.content
        if len(content) == 1 and isinstance(content[0], tree.Text):
            found = PLACEHOLDER.match(content[0].text)
            if found:
                source, language = self.fields.take(int(found[1]))
                blocks = self.field_blocks.parse(FIELD_PARSER, source)
                return [with_language(block, language) for block in blocks]
        return [paragraph]

    def _container(
        self, name: str, params: str, children: tuple[tree.Block, ...]
    ) -> Sequence[tree.Block]:
        match name:
            case "cover":
                return [_cover(children, self.logo, self.logo_alt)]
            case "contents":
                title = next(
                    (tree.plain_text(b.content) for b in children if isinstance(b, tree.Heading)),
                    "",
                )
                return [tree.Contents(_line(title, "contents-title"), ())]
            case "key-messages":
                return [tree.KeyMessages(children)]
            case "byline":
                return [_with_role(b, "byline") for b in children]
            case "note":
                return [_with_role(b, "note") for b in children]
            case "lang":
                return [with_language(b, params or None) for b in children]
            case "index":
                return [_index(children)]
            case "with-previous":
                return [_kept_with_previous(b) for b in children]
        raise UnknownContainer(name)


def _cover(children: tuple[tree.Block, ...], logo: str | None, logo_alt: str) -> tree.Cover:
    headings = [b for b in children if isinstance(b, tree.Heading)]
    title = next((tree.plain_text(h.content) for h in headings if h.level == 1), "")
    subtitle = next((tree.plain_text(h.content) for h in headings if h.level == 2), None)
    lines = tuple(_with_role(b, "cover-line") for b in children if isinstance(b, tree.Paragraph))
    return tree.Cover(
        _line(title, "cover-title"),
        None if subtitle is None else _line(subtitle, "cover-subtitle"),
        tuple(b for b in lines if isinstance(b, tree.Paragraph)),
        logo,
        logo_alt if logo else "",
    )


def _index(children: tuple[tree.Block, ...]) -> tree.Index:
    """An index from the lists of a ``::: index`` block: each item a name, and under it a
    list of entries; an entry points at the heading its first internal link reaches."""
    groups: list[tree.IndexGroup] = []
    for block in children:
        if not isinstance(block, tree.ListBlock):
            continue
        for item in block.items:
            names = [b for b in item if isinstance(b, tree.Paragraph)]
            if not names:
                continue
            entries = tuple(
                _index_entry(entry)
                for sublist in item
                if isinstance(sublist, tree.ListBlock)
                for entry_blocks in sublist.items
                for entry in entry_blocks
                if isinstance(entry, tree.Paragraph)
            )
            groups.append(tree.IndexGroup(names[0], entries))
    return tree.Index(tuple(groups))


def _index_entry(paragraph: tree.Paragraph) -> tree.ContentsEntry:
    text = single_spaced(tree.plain_text(paragraph.content))
    target = _internal_target(paragraph.content) or ""
    return tree.ContentsEntry(2, text, target, content=tree.entry_content(paragraph.content))


def _internal_target(content: tuple[tree.Inline, ...]) -> str | None:
    """The anchor the first internal link in ``content`` reaches, if any."""
    for inline in content:
        match inline:
            case tree.Link(target=target) if target.startswith("#"):
                return target[1:]
            case tree.Strong(children=children) | tree.Emphasis(children=children):
                found = _internal_target(children)
                if found is not None:
                    return found
            case tree.Isolate(children=children):
                found = _internal_target(children)
                if found is not None:
                    return found
    return None


def _line(text: str, role: tree.ParagraphRole) -> tree.Paragraph:
    return tree.Paragraph((tree.Text(text),), role)


def _kept_with_previous(block: tree.Block) -> tree.Block:
    """A paragraph of a ``::: with-previous`` block: it never starts a page away from the
    block before it (``tree.Paragraph.keep_with_previous``)."""
    return replace(block, keep_with_previous=True) if isinstance(block, tree.Paragraph) else block


def _with_role(block: tree.Block, role: tree.ParagraphRole) -> tree.Block:
    return replace(block, role=role) if isinstance(block, tree.Paragraph) else block


def with_language(block: tree.Block, lang: str | None) -> tree.Block:
    """Return the block with ``lang`` set on its paragraphs, lists and key messages included."""
    if lang is None:
        return block
    match block:
        case tree.Paragraph():
            return replace(block, lang=lang)
        case tree.ListBlock(items=items):
            return replace(
                block, items=tuple(tuple(with_language(b, lang) for b in item) for item in items)
            )
        case tree.KeyMessages(blocks=blocks):
            return replace(block, blocks=tuple(with_language(b, lang) for b in blocks))
    return block
