"""Warnings for text whose script does not read the way its language does.

An Arabic summary whose ``language`` was forgotten in an English pack is set left to
right, its halves in the wrong order, without a word; an English text marked ``ar``
is set right to left. Neither is an error (names and quotations mix scripts), so each
is a warning at the field, or at its ``language`` when one is given.
"""

from __future__ import annotations

from collections.abc import Iterator

from briefgen.input.diagnostics import Diagnostic, FieldPath
from briefgen.input.model import Session
from briefgen.input.source import SourceDocument
from briefgen.text.direction import is_rtl_language, rtl_share

MOSTLY_RTL = 0.5
"""Above this share of right-to-left letters, text reads right to left."""
HARDLY_RTL = 0.2
"""Below it, text marked with a right-to-left language is not in its script."""


def language_warnings(source: SourceDocument, session: Session) -> list[Diagnostic]:
    """A warning for each field whose script contradicts its language (or the pack's)."""
    pack = session.pack.language
    warnings = []
    for path, text, language in _fields(session):
        share = rtl_share(text)
        if share is None:
            continue
        declared = language or pack
        where = (*path[:-1], "language") if language else path
        if is_rtl_language(declared) and share < HARDLY_RTL:
            message = (
                f"language '{declared}' reads right to left, but the text is hardly in a"
                " right-to-left script: check its language"
            )
        elif not is_rtl_language(declared) and share > MOSTLY_RTL:
            given = "its language" if language else "the pack's language"
            message = (
                f"the text is mostly in a right-to-left script, but {given} '{declared}'"
                " reads left to right: set its language (such as ar)"
            )
        else:
            continue
        if where not in source.value_positions:  # a key message given as its text alone
            where = where[:-1]
        warnings.append(source.diagnostic(where, message).as_severity("warning"))
    return warnings


def languages_used(session: Session) -> tuple[str, ...]:
    """The pack's language, then each other language a text of ``session`` is in."""
    found: dict[str, None] = dict.fromkeys([session.pack.language])
    found.update(dict.fromkeys(language for *_, language in _fields(session) if language))
    return tuple(found)


def _fields(session: Session) -> Iterator[tuple[FieldPath, str, str | None]]:
    """Each Markdown field with a language: its path, its text, its own language."""
    for p, plenary in enumerate(session.plenaries):
        base: FieldPath = ("plenaries", p)
        if plenary.summary:
            yield (*base, "summary"), plenary.summary, plenary.language
        for m, message in enumerate(plenary.key_messages):
            yield (*base, "key_messages", m, "text"), message.text, message.language
        for s, statement in enumerate(plenary.statements):
            for name in ("summary", "text"):
                text = getattr(statement, name)
                if text:
                    path = (*base, "statements", s, name)
                    yield path, text, statement.language
