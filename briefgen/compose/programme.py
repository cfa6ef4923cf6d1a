"""The order a pack reads a plenary's statements in: by segment, in the order of the
programme's segments, statements of no segment last; within each, as the input lists
them. The plenary's section, the full texts, the index, the handouts and the list of
changes all follow it."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.input.model import Plenary, Segment, Statement


@dataclass(frozen=True)
class StatementGroup:
    segment: Segment | None
    statements: tuple[Statement, ...]


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


def in_reading_order(plenary: Plenary) -> list[Statement]:
    """The plenary's statements in the order its section shows them."""
    return [statement for group in statement_groups(plenary) for statement in group.statements]
