"""Who said what: the organisations' index, and key messages traced to their statements.

What the templates are given to word the index of organisations and the traces; the
words themselves are the templates' (``annexes.md.j2``, ``macros.md.j2``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from briefgen.compose.programme import in_reading_order
from briefgen.input.model import KeyMessage, Organization, Plenary, Session, Statement
from briefgen.text.collation import SortKey

Role = Literal["delivered", "represented", "co_signed"]
"""How an organisation took part in a statement: it took the floor, the statement was
delivered on its behalf, or it signed it with others."""


@dataclass(frozen=True)
class Reference:
    """A statement, the plenary it was delivered in, and how an organisation took part."""

    statement: Statement
    plenary: Plenary
    role: Role


@dataclass(frozen=True)
class IndexEntry:
    organization: Organization
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Citation:
    """A key message citing a statement: its plenary and its number there (from 1)."""

    plenary: Plenary
    number: int


def organization_index(
    session: Session, order: Callable[[Organization], SortKey]
) -> list[IndexEntry]:
    """Every organisation that took part in a statement, in ``order``, with its statements
    in reading order (``programme``); organisations without one are left out."""
    found: dict[str, list[Reference]] = {}
    for plenary in session.plenaries:
        for statement in in_reading_order(plenary):
            for organization_id, role in _roles(statement):
                found.setdefault(organization_id, []).append(Reference(statement, plenary, role))
    entries = [
        IndexEntry(organization, tuple(found[organization.id]))
        for organization in session.organizations
        if organization.id in found
    ]
    return sorted(entries, key=lambda entry: order(entry.organization))


def _roles(statement: Statement) -> list[tuple[str, Role]]:
    roles: list[tuple[str, Role]] = [(statement.by, "delivered")]
    if statement.on_behalf_of:  # never the one in by (validation)
        roles.append((statement.on_behalf_of, "represented"))
    roles.extend((signatory, "co_signed") for signatory in statement.co_signatories)
    return list(dict.fromkeys(roles))


class Traces:
    """The statements each key message draws on, and the key messages citing each statement."""

    def __init__(self, session: Session) -> None:
        self._statements = {
            statement.id: Reference(statement, plenary, "delivered")
            for plenary in session.plenaries
            for statement in plenary.statements
        }
        self._citations: dict[str, list[Citation]] = {}
        for plenary in session.plenaries:
            for number, message in enumerate(plenary.key_messages, 1):
                for statement_id in message.sources:
                    self._citations.setdefault(statement_id, []).append(Citation(plenary, number))

    def sources(self, message: KeyMessage) -> list[Reference]:
        """The statements ``message`` draws on, in the order it lists them."""
        return [self._statements[s] for s in message.sources if s in self._statements]

    def citations(self, statement: Statement) -> list[Citation]:
        """The key messages that draw on ``statement``, in programme order."""
        return self._citations.get(statement.id, [])
