"""A pack compared with an earlier edition: its changes section and its marked tree."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from briefgen import tree
from briefgen.compose.pack import compose_pack, document_date
from briefgen.editions.changes import Changes, compare
from briefgen.editions.redline import redline
from briefgen.input.load import LoadedSession


@dataclass(frozen=True)
class Comparison:
    """An earlier edition to compare with, and who the changes are by."""

    previous: LoadedSession
    named: str
    """As the user named it (``--since``)."""
    author: str | None = None
    """The revisions' author; by default the publisher's name, else "briefgen"."""

    def fingerprint(self) -> str:
        """What a pack compared this way depends on besides its own input."""
        parts = f"{self.previous.source.sha256}\0{self.author or ''}".encode()
        return hashlib.sha256(parts).hexdigest()


def compose_compared(
    loaded: LoadedSession, comparison: Comparison, templates: Path | None
) -> tuple[tree.Document, Changes]:
    """The pack of ``loaded`` with what changed since the earlier edition: a changes
    section listing it, and the changed words and blocks marked."""
    previous = comparison.previous
    changes = compare(
        previous.session,
        loaded.session,
        document_date(previous.session),
        document_date(loaded.session),
    )
    new = compose_pack(loaded, templates, changes)
    old = compose_pack(previous, templates)
    when = datetime.combine(document_date(loaded.session), time(0, 0), UTC)
    return redline(old, new, tree.Revisions(_author(loaded, comparison), when)), changes


def _author(loaded: LoadedSession, comparison: Comparison) -> str:
    if comparison.author:
        return comparison.author
    publisher = loaded.session.pack.publisher
    return loaded.session.organization(publisher).name if publisher else "briefgen"
