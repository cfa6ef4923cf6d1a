"""What each one-page handout says, and where it is cut so that it fits one page.

A handout is a ``tree.Document`` in the pack's look, language and paper, drawn by the
pack's writers: the key messages of the closing plenary, or one plenary's summary and
statements, each with a QR code to the pack. Its content is a run of pieces (a block, or
one item of a list); when the PDF of all of them takes more than one page, the trailing
pieces are dropped until it takes one, with a line saying the rest is in the full pack,
and the first piece dropped, when it is one paragraph, comes back cut after as many of
its words as fill the page, with an ellipsis: a summary of one long paragraph is not
lost whole. The DOCX gets the same blocks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from briefgen import tree
from briefgen.compose.decisions import decide, joined_line, title_line
from briefgen.compose.markdown import FIELD_PARSER, BlockBuilder
from briefgen.compose.pack import document_metadata, with_language
from briefgen.compose.programme import in_reading_order
from briefgen.compose.templating import date_filter, load_labels
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.load import LoadedSession
from briefgen.input.model import Plenary, Session
from briefgen.look import Look, load_look
from briefgen.text.linebreak import break_points, needs_line_breaker
from briefgen.writers import Rendered
from briefgen.writers.qr import QUIET_ZONE, qr_symbol

KEY_MESSAGES = "key-messages"
"""The name of the key messages' handout (``<id>-handout-key-messages.pdf``)."""
MAX_ADDRESS_BYTES = 2000
"""The longest address (in UTF-8 bytes) a handout's QR code carries: a QR code of error
correction level M holds 2,331 bytes at most, the PDF's encoder a little less."""

MIN_MODULE_MM = 0.4
"""The smallest module (dark or light square) of a QR code that phones read reliably in
print; a longer address makes more, smaller modules in the code's fixed width."""

ListKind = Literal["key-messages", "statements"]


@dataclass(frozen=True, slots=True)
class Handout:
    """One handout: its name in file names, its document, and whether it was cut."""

    name: str
    document: tree.Document
    cut: bool = False


@dataclass(frozen=True, slots=True)
class _Piece:
    """What a cut keeps or drops whole: a block, or the blocks of one list item
    (``list_of``: consecutive items of one kind make one list)."""

    blocks: tuple[tree.Block, ...]
    list_of: ListKind | None = None


@dataclass(frozen=True, slots=True)
class _Plan:
    name: str
    title: str
    head: tuple[tree.Block, ...]
    pieces: tuple[_Piece, ...]
    qr_code: tree.QRCode | None
    field: tuple[str | int, ...]
    """Where in the input its content comes from, for the warning when it is cut."""


PdfWriter = Callable[[tree.Document], Rendered]

_ROOM = _Piece((tree.Paragraph((tree.Text("\u00a0"), tree.LineBreak(), tree.Text("\u00a0"))),))
"""Two lines left free under a paragraph cut to fill the page: Word and LibreOffice set
text a little longer than the PDF (they hyphenate less), and would otherwise push the
end of the page, its QR code, onto a second one."""


def compose_handouts(
    loaded: LoadedSession, write_pdf: PdfWriter, templates: Path | None = None
) -> tuple[list[Handout], list[Diagnostic]]:
    """Return the handouts of ``loaded`` in the look and labels of ``templates``, each one
    page of ``write_pdf``'s, and a warning for each that had to be cut. Raises
    ``UserError`` when even the title and the QR code cannot fit one page (a look with
    very large sizes)."""
    session = loaded.session
    language = session.pack.language
    labels = load_labels(templates, language)
    look = load_look(templates)
    plans = [
        _key_messages_plan(session, labels),
        *(_plenary_plan(session, labels, plenary) for plenary in session.plenaries),
    ]
    _check(loaded, has_key_messages=plans[0] is not None)
    handouts, warnings = [], _fine_code_warnings(loaded)
    for plan in plans:
        if plan is None:
            continue
        meta = document_metadata(session, labels, plan.title, look)
        handout = _fit(plan, meta, look, labels, write_pdf, session.pack.french_spaces)
        handouts.append(handout)
        if handout.cut:
            what = "the key messages" if plan.name == KEY_MESSAGES else f"plenary '{plan.name}'"
            message = (
                f"the handout of {what} does not fit one page: it ends with"
                f" \u201c{labels['handout_continued']}\u201d"
            )
            warning = loaded.source.diagnostic(plan.field, message)
            warnings.append(warning.as_severity("warning"))
    return handouts, warnings


def _check(loaded: LoadedSession, *, has_key_messages: bool) -> None:
    """Raise ``UserError`` at what would make a handout impossible: an address too long
    for a QR code, or a plenary whose handout would take the key messages' file."""
    session, source = loaded.session, loaded.source
    problems = []
    address = _address(session)
    if address is not None and len(address[1].encode()) > MAX_ADDRESS_BYTES:
        message = (
            f"is {len(address[1].encode()):,} bytes long: a handout's QR code holds at most"
            f" {MAX_ADDRESS_BYTES:,}; give a shorter address"
        )
        problems.append(source.diagnostic(address[0], message))
    for number, plenary in enumerate(session.plenaries):
        if has_key_messages and plenary.id == KEY_MESSAGES:
            message = (
                f"'{KEY_MESSAGES}' names the key messages' handout: this plenary's handout"
                " would take its file; give the plenary another id"
            )
            problems.append(source.diagnostic(("plenaries", number, "id"), message))
    if problems:
        raise UserError(problems)


def _fine_code_warnings(loaded: LoadedSession) -> list[Diagnostic]:
    """A warning at an address whose QR code has modules too small to read in print."""
    address = _address(loaded.session)
    if address is None:
        return []
    modules = qr_symbol(address[1]).symbol_size(border=QUIET_ZONE)[0]
    module_mm = tree.QR_CODE_SIZE * 25.4 / 72 / modules
    if module_mm >= MIN_MODULE_MM:
        return []
    message = (
        f"is {len(address[1].encode()):,} bytes long: its QR code has modules of"
        f" {module_mm:.2f} mm on the handouts, which phones may not read in print (they"
        f" read {MIN_MODULE_MM} mm and more); a shorter address makes a coarser code"
    )
    return [loaded.source.diagnostic(address[0], message).as_severity("warning")]


def _address(session: Session) -> tuple[tuple[str, str], str] | None:
    """The address the handouts' QR codes carry (see ``qr_target``), and its field."""
    if session.pack.url:
        return ("pack", "url"), session.pack.url
    return (("session", "url"), session.session.url) if session.session.url else None


def _field(parser: BlockBuilder, markdown: str, language: str | None) -> tuple[tree.Block, ...]:
    """A user's Markdown field as blocks, in its own language where it has one."""
    return tuple(with_language(b, language) for b in parser.parse(FIELD_PARSER, markdown))


def qr_target(session: Session, *, plenary: bool) -> str | None:
    """Where a handout's QR code leads: the pack's address; for a plenary's handout,
    else the session's; None when there is none."""
    if session.pack.url or not plenary:
        return session.pack.url
    return session.session.url


def _key_messages_plan(session: Session, labels: dict[str, str]) -> _Plan | None:
    """The closing plenary's key messages (the last closing plenary, else the last
    plenary with key messages); None when the session has none."""
    with_messages = [p for p in session.plenaries if p.key_messages]
    closing = [p for p in with_messages if p.kind == "closing"]
    candidates = closing or with_messages
    if not candidates:
        return None
    source = candidates[-1]
    number = session.plenaries.index(source)
    short = session.session.short_name or session.session.name
    title = labels["handout_key_messages"].replace("{session}", short)
    parser = BlockBuilder()
    pieces = tuple(
        _Piece(_field(parser, m.text, m.language), "key-messages") for m in source.key_messages
    )
    day = date_filter(session.pack.language)(source.date)
    byline = joined_line((source.title, day), labels["separator"], "byline")
    head = (_title(title, KEY_MESSAGES), byline)
    return _Plan(
        KEY_MESSAGES,
        title,
        head,
        pieces,
        _qr_code(qr_target(session, plenary=False), labels),
        ("plenaries", number, "key_messages"),
    )


def _plenary_plan(session: Session, labels: dict[str, str], plenary: Plenary) -> _Plan:
    """A plenary's title, date, summary and statements (organisation and title)."""
    number = session.plenaries.index(plenary)
    day = date_filter(session.pack.language)(plenary.date)
    short = session.session.short_name or session.session.name
    parts = (short, labels["kind_" + plenary.kind], day)
    head = (_title(plenary.title, plenary.id), joined_line(parts, labels["separator"], "byline"))
    pieces: list[_Piece] = []
    if plenary.summary:
        blocks = _field(BlockBuilder(), plenary.summary, plenary.language)
        pieces += [_Piece((block,)) for block in blocks]
    elif not plenary.statements:  # as the pack says of it
        pieces.append(_Piece((tree.Paragraph((tree.Text(labels["summary_none"]),)),)))
    if plenary.statements:
        heading = tree.Heading(2, (tree.Text(labels["statements"]),), f"{plenary.id}-statements")
        pieces.append(_Piece((heading,)))
        pieces += [
            _Piece((_statement_line(session, labels, s.by, s.title),), "statements")
            for s in in_reading_order(plenary)
        ]
    return _Plan(
        plenary.id,
        plenary.title,
        head,
        tuple(pieces),
        _qr_code(qr_target(session, plenary=True), labels),
        ("plenaries", number),
    )


def _statement_line(
    session: Session, labels: dict[str, str], by: str, title: str
) -> tree.Paragraph:
    """ "**Organisation**: title", worded by the ``handout_statement`` label; the name
    and the title are isolates, as the pack prints values, so that each keeps its own
    direction in a line of the other (a French title's closing guillemet in an Arabic
    handout stays at its end)."""
    values = {"{organization}": session.organization(by).name, "{title}": title}
    content: list[tree.Inline] = []
    for part in re.split("({organization}|{title})", labels["handout_statement"]):
        if part in values:
            value = tree.Isolate((tree.Text(values[part]),))
            content.append(tree.Strong((value,)) if part == "{organization}" else value)
        elif part:
            content.append(tree.Text(part))
    return tree.Paragraph(tuple(content))


def _title(text: str, anchor: str) -> tree.Heading:
    return tree.Heading(1, (tree.Text(text),), f"handout-{anchor}")


def _qr_code(url: str | None, labels: dict[str, str]) -> tree.QRCode | None:
    return None if url is None else tree.QRCode(url, url, labels["handout_qr_code"])


def _fit(
    plan: _Plan,
    meta: tree.Metadata,
    look: Look,
    labels: dict[str, str],
    write_pdf: PdfWriter,
    french_spaces: bool,
) -> Handout:
    """The handout with as many of its pieces as fit one page of the PDF, the first piece
    left out cut to fill the rest of the page where it is one paragraph."""
    continued = title_line(labels["handout_continued"], "byline")

    def document(pieces: Sequence[_Piece], cut: bool) -> tree.Document:
        blocks = [*plan.head, *_assemble(pieces)]
        if cut:
            blocks.append(continued)
        if plan.qr_code is not None:
            blocks.append(plan.qr_code)
        decided = decide(tuple(blocks), meta.language, look, french_spaces=french_spaces)
        return tree.Document(meta, decided, look)

    def fits(candidate: tree.Document) -> bool:
        return write_pdf(candidate).pages == 1

    whole = document(plan.pieces, cut=False)
    if fits(whole):
        return Handout(plan.name, whole)
    # The most pieces that fit with the line "Continued in the full pack": fewer pieces
    # never take more room, so a binary search finds it in a few renderings.
    count = _most_that_fit(0, len(plan.pieces) - 1, lambda n: fits(document(plan.pieces[:n], True)))
    if count is None:
        message = (
            f"the handout '{plan.name}' cannot fit one page even without its content;"
            " make the look's sizes, leading or spacing smaller"
        )
        raise UserError([Diagnostic(meta.title, 0, 0, "", message)])
    kept = plan.pieces[:count]
    left_out = plan.pieces[count]
    if len(left_out.blocks) == 1 and isinstance(paragraph := left_out.blocks[0], tree.Paragraph):
        ends = _word_ends(tree.plain_text(paragraph.content))

        def shortened(words: int) -> _Piece:
            cut = _cut(paragraph, ends[words - 1], labels["ellipsis"])
            return replace(left_out, blocks=(cut,))

        def fits_with_room(words: int) -> bool:
            return fits(document([*kept, shortened(words), _ROOM], cut=True))

        words = _most_that_fit(1, len(ends), fits_with_room)
        if words:
            kept = (*kept, shortened(words))
    return Handout(plan.name, document(kept, cut=True), cut=True)


def _most_that_fit(least: int, most: int, fits: Callable[[int], bool]) -> int | None:
    """The largest ``n`` from ``least`` to ``most`` for which ``fits(n)``, where fewer
    never take more room; None when not even ``least`` fits."""
    low, high, best = least, most, None
    while low <= high:
        middle = (low + high) // 2
        if fits(middle):
            best, low = middle, middle + 1
        else:
            high = middle - 1
    return best


def _word_ends(text: str) -> list[int]:
    """Where ``text`` may be cut: after each word (before a space, or where a line may
    break inside Chinese or Thai); not at its end, where it is whole."""
    ends = {i for i in range(1, len(text)) if text[i].isspace() and not text[i - 1].isspace()}
    if needs_line_breaker(text):
        ends.update(break_points(text))
    return sorted(ends)


def _cut(paragraph: tree.Paragraph, length: int, ellipsis: str) -> tree.Paragraph:
    """``paragraph`` with its first ``length`` characters, less the spaces and
    punctuation that would stand before ``ellipsis``, then ``ellipsis``."""
    text = tree.plain_text(paragraph.content)[:length]
    while text and unicodedata.category(text[-1]) in ("Zs", "Po", "Pd"):
        text = text[:-1]
    content, _ = _first_characters(paragraph.content, len(text))
    return replace(paragraph, content=(*content, tree.Text(ellipsis)))


def _first_characters(
    content: tuple[tree.Inline, ...], count: int
) -> tuple[tuple[tree.Inline, ...], int]:
    """The inline content holding the first ``count`` characters of ``content``'s plain
    text (``tree.plain_text``), its formatting kept; and how many were not found in it."""
    kept: list[tree.Inline] = []
    for inline in content:
        if count <= 0:
            break
        match inline:
            case tree.Text(text=text):
                kept.append(tree.Text(text[:count]))
                count -= len(text[:count])
            case tree.LineBreak():
                kept.append(inline)
                count -= 1
            case tree.Deleted():
                kept.append(inline)  # no text of this edition
            case _:
                children, count = _first_characters(inline.children, count)
                kept.append(replace(inline, children=children))
    return tuple(kept), count


def _assemble(pieces: Sequence[_Piece]) -> list[tree.Block]:
    """The blocks of ``pieces``: consecutive list items make one list (the key messages'
    in their box); a heading left last, its section cut away, is dropped."""
    kept = list(pieces)
    while kept and all(isinstance(b, tree.Heading) for b in kept[-1].blocks):
        kept.pop()
    blocks: list[tree.Block] = []
    index = 0
    while index < len(kept):
        kind = kept[index].list_of
        if kind is None:
            blocks.extend(kept[index].blocks)
            index += 1
            continue
        items = []
        while index < len(kept) and kept[index].list_of == kind:
            items.append(kept[index].blocks)
            index += 1
        listed = tree.ListBlock(False, tuple(items))
        blocks.append(tree.KeyMessages((listed,)) if kind == "key-messages" else listed)
    return blocks
