"""What changed in the data between two editions of a session: the changes section's list.

Items are matched by their ids (plenaries, segments, statements, organisations); key
messages, which have none, by position and text similarity. A Markdown field (a
summary, a full text, a key message) changed where the pack shows it otherwise, not
where its lines were only wrapped anew. Each change names its kind
(the templates word it with the label ``change_<kind>``), the values the label may use,
and the anchor where it stands in the new pack ("" when it is gone from it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Protocol, TypeVar

from briefgen.compose.labels import article_label
from briefgen.compose.markdown import field_blocks
from briefgen.compose.programme import in_reading_order
from briefgen.editions.diff import likeness
from briefgen.input.model import KeyMessage, Organization, Plenary, Segment, Session, Statement

SAME_MESSAGE = 0.6
"""How alike two key messages' texts must be (difflib's ratio) to be one message reworded."""

_MARKDOWN_FIELDS = frozenset({"summary", "text"})

_STATEMENT_FIELDS = (
    ("title", "statement_title"),
    ("summary", "statement_summary"),
    ("text", "statement_text"),
    ("url", "statement_link"),
    ("speaker", "statement_speaker"),
    ("by", "statement_by"),
    ("on_behalf_of", "statement_on_behalf_of"),
    ("co_signatories", "statement_co_signatories"),
)


@dataclass(frozen=True)
class OrganizationName:
    """An organisation as a change names it: its name, then its acronym where it has one,
    in the parentheses of the pack's language (compose words it)."""

    name: str
    short_name: str | None = None


@dataclass(frozen=True)
class Change:
    """One change; ``kind`` names its label (``change_<kind>``), ``values`` fill it."""

    kind: str
    values: Mapping[str, str | date | OrganizationName] = field(default_factory=dict)
    anchor: str = ""
    """Where the change stands in the new pack, or "" for what it no longer holds."""


@dataclass(frozen=True)
class Changes:
    """The changes between the edition of ``old_date`` and that of ``new_date``."""

    old_date: date
    new_date: date
    items: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.items)

    def summary(self) -> dict[str, int]:
        """How many changes of each kind, for the manifest."""
        counts: dict[str, int] = {}
        for change in self.items:
            counts[change.kind] = counts.get(change.kind, 0) + 1
        return dict(sorted(counts.items()))


def compare(old: Session, new: Session, old_date: date, new_date: date) -> Changes:
    """The changes from ``old`` to ``new``, in the new pack's order, removals after."""
    items = [
        *_status(old, new),
        *_cover(old, new),
        *_session(old, new),
        *_plenaries(old, new),
        *_statements(old, new),
        *_key_messages(old, new),
        *_organizations(old, new),
    ]
    return Changes(old_date, new_date, tuple(items))


def _status(old: Session, new: Session) -> Iterator[Change]:
    """A draft made final, or a final pack made a draft again (the cover and the draft
    mark on every page say which)."""
    if old.pack.status != new.pack.status:
        yield Change(f"pack_{new.pack.status}")


_COVER_FIELDS = ("title", "subtitle", "publisher", "contact")
"""The pack's fields its cover shows (a change of them is marked there)."""


def _cover(old: Session, new: Session) -> Iterator[Change]:
    """The cover's title, subtitle, publisher and contact, each given another value.

    The publisher renamed is an organisation renamed, listed with the organisations."""
    for name in _COVER_FIELDS:
        if getattr(old.pack, name) != getattr(new.pack, name):
            yield Change(f"pack_{name}")


def _session(old: Session, new: Session) -> Iterator[Change]:
    """The session's name, venue, dates, website and hashtags, as the cover and the
    programme show them."""
    before, after = old.session, new.session
    if before.name != after.name:
        yield Change("session_renamed", {"session": after.name, "old": before.name})
    if before.venue != after.venue:
        if after.venue:
            yield Change("session_venue", {"venue": after.venue})
        else:
            yield Change("session_venue_removed")
    if (before.start, before.end) != (after.start, after.end):
        yield Change(
            "session_dates",
            {"start": after.start, "end": after.end},
            "programme",
        )
    if before.url != after.url:
        yield Change("session_website")
    if before.hashtags != after.hashtags:
        yield Change("session_hashtags")


def _plenaries(old: Session, new: Session) -> Iterator[Change]:
    matched, gone = _matched(old.plenaries, new.plenaries)
    for was, plenary in matched:
        anchor = f"plenary-{plenary.id}"
        values: dict[str, str | date] = {"plenary": plenary.title}
        if was is None:
            yield Change("plenary_added", values, anchor)
            continue
        if was.title != plenary.title:
            yield Change("plenary_renamed", {**values, "old": was.title}, anchor)
        if was.date != plenary.date:
            yield Change("plenary_date", {**values, "date": plenary.date}, anchor)
        if was.kind != plenary.kind:
            yield Change("plenary_kind", values, anchor)
        if not _same_markdown(was.summary, plenary.summary):
            yield Change("plenary_summary", values, anchor)
        yield from _segments(was.segments, plenary.segments, values, anchor)
    for plenary in gone:
        yield Change("plenary_removed", {"plenary": plenary.title})


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


def _matched(
    old: Sequence[_Item], new: Sequence[_Item]
) -> tuple[list[tuple[_Item | None, _Item]], list[_Item]]:
    """Each item of ``new`` with the item of ``old`` of the same id (None: it was added),
    and the items of ``old`` whose id ``new`` no longer has."""
    before = {item.id: item for item in old}
    now = {item.id for item in new}
    return [(before.get(item.id), item) for item in new], [i for i in old if i.id not in now]


def _segments(
    old: tuple[Segment, ...], new: tuple[Segment, ...], values: dict[str, str | date], anchor: str
) -> Iterator[Change]:
    """A plenary's segments added, retitled, given another format (the pack shows it
    under the segment's title) or removed, linked to the plenary (a segment without
    statements has no heading of its own to link to)."""
    matched, gone = _matched(old, new)
    for was, segment in matched:
        named = {**values, "segment": segment.title}
        if was is None:
            yield Change("segment_added", named, anchor)
            continue
        if was.title != segment.title:
            yield Change("segment_renamed", {**named, "old": was.title}, anchor)
        if was.format != segment.format:
            yield Change("segment_format", named, anchor)
    for segment in gone:
        yield Change("segment_removed", {**values, "segment": segment.title}, anchor)


def _statements(old: Session, new: Session) -> Iterator[Change]:
    before = dict(_with_plenaries(old))
    after = dict(_with_plenaries(new))
    reordered = _reordered(before, after)
    for statement_id, (statement, plenary) in after.items():
        anchor = f"statement-{statement_id}"
        values: dict[str, str | date] = {"statement": statement.title, "plenary": plenary.title}
        found = before.get(statement_id)
        if found is None:
            yield Change("statement_added", values, anchor)
            continue
        was, was_in = found
        if was_in.id != plenary.id:
            yield Change("statement_moved", {**values, "old": was_in.title}, anchor)
        elif was.segment != statement.segment:
            yield Change("statement_segment", values, anchor)
        elif statement_id in reordered:
            yield Change("statement_reordered", values, anchor)
        for name, kind in _STATEMENT_FIELDS:
            yield from _field_change(was, statement, name, kind, values, anchor)
    for statement_id, (statement, plenary) in before.items():
        if statement_id not in after:
            gone: dict[str, str | date] = {"statement": statement.title, "plenary": plenary.title}
            yield Change("statement_removed", gone)


def _reordered(
    before: Mapping[str, tuple[Statement, Plenary]], after: Mapping[str, tuple[Statement, Plenary]]
) -> set[str]:
    """The statements that stayed in their plenary and segment but are read elsewhere
    among those that did too: those the longest run of them in the same order leaves
    out, as the pack marks them (removed where they were, added where they are). A
    plenary or segment moved as a whole moves none of its statements."""
    old_groups, new_groups = _stayed(before, after), _stayed(after, before)
    moved: set[str] = set()
    for place, new_ids in new_groups.items():
        old_ids = old_groups[place]
        matcher = SequenceMatcher(None, old_ids, new_ids, autojunk=False)
        kept = {new_ids[b.b + k] for b in matcher.get_matching_blocks() for k in range(b.size)}
        moved.update(set(new_ids) - kept)
    return moved


def _stayed(
    these: Mapping[str, tuple[Statement, Plenary]], others: Mapping[str, tuple[Statement, Plenary]]
) -> dict[tuple[str, str | None], list[str]]:
    """The statements of ``these`` in the same plenary and segment in ``others``, in
    reading order, by plenary and segment."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for statement_id, (statement, plenary) in these.items():
        other = others.get(statement_id)
        place = (plenary.id, statement.segment)
        if other and (other[1].id, other[0].segment) == place:
            groups.setdefault(place, []).append(statement_id)
    return groups


def _field_change(
    was: Statement,
    now: Statement,
    name: str,
    kind: str,
    values: dict[str, str | date],
    anchor: str,
) -> Iterator[Change]:
    old_value, new_value = getattr(was, name), getattr(now, name)
    if name in _MARKDOWN_FIELDS and _same_markdown(old_value, new_value):
        return
    if old_value == new_value:
        return
    if not old_value:
        yield Change(f"{kind}_added", values, anchor)
    elif not new_value:
        yield Change(f"{kind}_removed", values, anchor)
    else:
        yield Change(f"{kind}_changed", values, anchor)


def _with_plenaries(session: Session) -> Iterator[tuple[str, tuple[Statement, Plenary]]]:
    for plenary in session.plenaries:
        for statement in in_reading_order(plenary):
            yield statement.id, (statement, plenary)


def _key_messages(old: Session, new: Session) -> Iterator[Change]:
    """Messages of the closing plenaries, matched by position and likeness of text."""
    before, after = _closing_messages(old), _closing_messages(new)
    anchor_of = {m: f"key-messages-{p.id}" for m, p in after}
    old_texts = [m.text for m, _ in before]
    new_texts = [m.text for m, _ in after]
    shown = [field_blocks(text) for text in old_texts], [field_blocks(t) for t in new_texts]
    matcher = SequenceMatcher(None, *shown, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                yield from _sources(before[i][0], after[j][0], j, anchor_of)
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        while olds and news and _alike(old_texts[olds[0]], new_texts[news[0]]):
            message = after[news[0]][0]
            values = {"number": str(news[0] + 1)}
            yield Change("key_message_reworded", values, anchor_of[message])
            yield from _sources(before[olds[0]][0], message, news[0], anchor_of)
            olds.pop(0)
            news.pop(0)
        for index in news:
            message = after[index][0]
            yield Change("key_message_added", {"number": str(index + 1)}, anchor_of[message])
        for index in olds:
            yield Change("key_message_removed", {"number": str(index + 1)})


def _sources(
    old: KeyMessage, new: KeyMessage, index: int, anchor_of: Mapping[KeyMessage, str]
) -> Iterator[Change]:
    """The statements a message draws on, which the pack names after it, changed."""
    if old.sources != new.sources:
        yield Change("key_message_sources", {"number": str(index + 1)}, anchor_of[new])


def _closing_messages(session: Session) -> list[tuple[KeyMessage, Plenary]]:
    return [(m, p) for p in session.plenaries if p.kind == "closing" for m in p.key_messages]


def _same_markdown(old: str | None, new: str | None) -> bool:
    """Whether two values of a Markdown field show the same (both empty, or the same
    blocks)."""
    if not (old and new):
        return not (old or new)
    return old == new or field_blocks(old) == field_blocks(new)


def _alike(old: str, new: str) -> bool:
    return likeness(old, new) >= SAME_MESSAGE


def _organizations(old: Session, new: Session) -> Iterator[Change]:
    matched, gone = _matched(old.organizations, new.organizations)
    for was, organization in matched:
        values: dict[str, str | date | OrganizationName] = {"organization": _name(organization)}
        if was is None:
            yield Change("organization_added", values, "annex-organizations")
            continue
        if _name(was) != _name(organization):
            yield Change(
                "organization_renamed", {**values, "old": _name(was)}, "annex-organizations"
            )
        if _article(was) != _article(organization):
            yield Change("organization_article", values, "annex-organizations")
        if was.url != organization.url:
            yield Change("organization_website", values, "annex-organizations")
    for organization in gone:
        yield Change("organization_removed", {"organization": _name(organization)})


def _article(organization: Organization) -> str:
    """The article the pack writes before the name ("" for none): l' and l’ are one."""
    return article_label("", organization.article) if organization.article else ""


def _name(organization: Organization) -> OrganizationName:
    return OrganizationName(organization.name, organization.short_name)
