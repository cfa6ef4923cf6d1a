"""One document that holds two editions: the new one, with what changed marked in it.

Both editions are composed as usual; this compares their trees. Blocks are matched in
order (headings by anchor, other blocks by their text, boxes and lists by position,
changed paragraphs by likeness); a block only one edition has is a ``tree.Revised``
block; a paragraph both have, reworded, holds its changed words as ``tree.Inserted``
and ``tree.Deleted``, and words only made bold or italic (or no longer) as
``tree.Reformatted``.
Dropping what was deleted and unwrapping what was inserted gives the new edition;
the reverse gives the old one.

Every heading keeps an anchor of its own, so that the contents and the index reach it
in either edition: a removed heading keeps its anchor, unless a heading of this edition
has it (a statement moved or reordered, a plenary moved to another day: its two
copies), and then it is the earlier edition's copy, ``earlier.<anchor>`` (no anchor
holds a "."); a contents or index line both editions have that reaches such a heading
is two, the earlier edition's line removed and this edition's added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Literal, TypeVar

from briefgen import tree
from briefgen.editions.diff import likeness, opcodes, tokens

SAME_BLOCK = 0.5
"""How alike two paragraphs' texts must be (difflib's ratio) to be one paragraph revised."""
LOOK_AHEAD = 16
"""How far ahead among the new edition's list items, table rows or cover lines one of
the earlier edition's is looked for, and among the earlier edition's blocks one of the
new edition's: an edition adds a few at a time, and a table of thousands of rows or a text
of thousands of paragraphs, all reworded, is compared in linear time."""
ALL_BUT_THE_SAME = 0.9
"""How alike a candidate must be to end the search for the item most like one."""

Wrapper = tuple[str, str]
"""An inline's formatting as one step: ("strong", ""), ("em", ""), ("link", target) or
("isolate", "")."""
Atom = tuple[str | None, tuple[Wrapper, ...]]
"""A word, space or mark (None for a line break) with the formatting around it."""
EARLIER = "earlier."
"""What starts the anchor of the earlier edition's copy of a heading both editions have
in different places."""
Format = tuple[bool, bool]
"""Bold and italic: what a formatting change records of the earlier edition's text."""
Mark = Literal["inserted", "deleted"] | Format | None
Row = tuple[tree.Paragraph, ...]
"""A table's row: its cells."""
T = TypeVar("T")


def redline(old: tree.Document, new: tree.Document, revisions: tree.Revisions) -> tree.Document:
    """``new`` with what changed since ``old`` marked, by ``revisions``' author and date."""
    header = _paragraph(old.meta.running_header, new.meta.running_header)
    meta = replace(new.meta, revisions=revisions, running_header=header)
    return replace(new, meta=meta, blocks=_anchored(_blocks(old.blocks, new.blocks)))


def _blocks(old: Sequence[tree.Block], new: Sequence[tree.Block]) -> tuple[tree.Block, ...]:
    out: list[tree.Block] = []
    for tag, i1, i2, j1, j2 in opcodes(list(map(_key, old)), list(map(_key, new)), _joined):
        if tag == "equal":
            for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                out += _same(o, n)
        else:
            out += _replaced(old[i1:i2], new[j1:j2])
    return _merged(out)


def _key(block: tree.Block) -> tuple[str, ...]:
    """What makes two blocks the same block of two editions."""
    match block:
        case tree.Heading(anchor=anchor):
            return ("heading", anchor)
        case tree.Paragraph(role=role, content=content):
            return ("paragraph", role, tree.plain_text(content))
        case tree.ListBlock() | tree.Table():
            return (type(block).__name__, _text(block))
        case tree.QRCode(url=url):
            return ("qr", url)
    return (type(block).__name__,)  # one of its kind in a place: cover, contents, box, ...


def _joined(key: tuple[str, ...]) -> str:
    return "\0".join(key)


def _replaced(old: Sequence[tree.Block], new: Sequence[tree.Block]) -> list[tree.Block]:
    """Blocks of one edition in a place where the other has different ones: each new block
    paired with the next old one of its kind that is alike within ``LOOK_AHEAD``, the rest
    added or removed."""
    out: list[tree.Block] = []
    position = 0
    for block in new:
        ahead = range(position, min(position + LOOK_AHEAD, len(old)))
        match = next((i for i in ahead if _alike(old[i], block)), None)
        if match is None:
            out.append(tree.Revised("inserted", (block,)))
            continue
        out += [_removed(b) for b in old[position:match]]
        out += _same(old[match], block)
        position = match + 1
    out += [_removed(b) for b in old[position:]]
    return out


def _alike(old: tree.Block, new: tree.Block) -> bool:
    if type(old) is not type(new):
        return False
    if isinstance(old, tree.Heading) and isinstance(new, tree.Heading):
        return old.anchor == new.anchor
    if isinstance(old, tree.Table) and isinstance(new, tree.Table):
        return _text_of_cells(old.header) == _text_of_cells(new.header)  # same columns
    if isinstance(old, tree.Paragraph | tree.ListBlock) and old.__class__ is new.__class__:
        return likeness(_text(old), _text(new)) >= SAME_BLOCK
    return isinstance(old, tree.KeyMessages | tree.Cover | tree.Contents | tree.Index)


def _removed(block: tree.Block) -> tree.Revised:
    """A block only the old edition has (its headings' anchors are settled by ``_anchored``)."""
    return tree.Revised("deleted", (block,))


def _merged(blocks: list[tree.Block]) -> tuple[tree.Block, ...]:
    """Neighbouring blocks added (or removed) together as one revised run."""
    out: list[tree.Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (
            isinstance(block, tree.Revised)
            and isinstance(previous, tree.Revised)
            and previous.change == block.change
        ):
            out[-1] = tree.Revised(block.change, (*previous.blocks, *block.blocks))
        else:
            out.append(block)
    return tuple(out)


def _same(old: tree.Block, new: tree.Block) -> list[tree.Block]:
    """One block of both editions, with what changed in it marked."""
    if old == new:
        return [new]
    match old, new:
        case tree.Heading(), tree.Heading():
            return [replace(new, content=inlines(old.content, new.content))]
        case tree.Paragraph(), tree.Paragraph():
            return [_paragraph(old, new)]
        case tree.ListBlock(), tree.ListBlock():
            return [replace(new, items=_items(old.items, new.items))]
        case tree.Table(), tree.Table():
            return _table(old, new)
        case tree.KeyMessages(), tree.KeyMessages():
            return [replace(new, blocks=_blocks(old.blocks, new.blocks))]
        case tree.Cover(), tree.Cover():
            return [_cover(old, new)]
        case tree.Index(), tree.Index():
            return [tree.Index(_groups(old.groups, new.groups))]
        case tree.Contents(), tree.Contents():
            return [replace(new, entries=_entries(old.entries, new.entries))]
    return [new]


def _paragraph(old: tree.Paragraph, new: tree.Paragraph) -> tree.Paragraph:
    return replace(new, content=inlines(old.content, new.content))


def _items(
    old: tuple[tuple[tree.Block, ...], ...], new: tuple[tuple[tree.Block, ...], ...]
) -> tuple[tuple[tree.Block, ...], ...]:
    """List items matched by their text; an item only one edition has is revised whole."""
    out: list[tuple[tree.Block, ...]] = []
    for was, now in _paired(old, new, _item_text):
        if was is not None and now is not None:
            out.append(_blocks(was, now))
        elif was is not None:
            out.append((tree.Revised("deleted", was),))
        elif now is not None:
            out.append((tree.Revised("inserted", now),))
    return tuple(out)


def _paired(
    old: Sequence[T], new: Sequence[T], text: Callable[[T], str]
) -> list[tuple[T | None, T | None]]:
    """The items of two editions in order, matched by their ``text``: each earlier item
    paired with the new one most like it within ``LOOK_AHEAD`` (the new ones before it
    added: ``(None, new)``), or removed where it stood (``(old, None)``)."""
    out: list[tuple[T | None, T | None]] = []
    for tag, i1, i2, j1, j2 in opcodes(list(map(text, old)), list(map(text, new)), str):
        olds, news = old[i1:i2], new[j1:j2]
        if tag == "equal":
            out += zip(olds, news, strict=True)
            continue
        position = 0
        for item in olds:
            ahead = news[position : position + LOOK_AHEAD]
            found = _most_alike(text(item), [text(candidate) for candidate in ahead])
            if found is None:
                out.append((item, None))
                continue
            out += [(None, added) for added in ahead[:found]]
            out.append((item, ahead[found]))
            position += found + 1
        out += [(None, added) for added in news[position:]]
    return out


def _most_alike(text: str, candidates: list[str]) -> int | None:
    """The candidate most like ``text`` (the first of equals; the first that is all but
    the same ends the search), if one is alike at all: a list item added before a
    reworded one is alike too when the list's items share their wording."""
    best, best_likeness = None, 0.0
    for index, candidate in enumerate(candidates):
        alike = likeness(text, candidate)
        if alike >= SAME_BLOCK and alike > best_likeness:
            best, best_likeness = index, alike
            if alike >= ALL_BUT_THE_SAME:
                break
    return best


def _item_text(item: tuple[tree.Block, ...]) -> str:
    return "\n".join(_text(block) for block in item)


def _table(old: tree.Table, new: tree.Table) -> list[tree.Block]:
    """Rows matched by their text, as list items are: a row both editions have with its
    cells compared, a row only one has added or removed whole (``Table.row_changes``).
    Tables of other columns are the old one removed and the new one added."""
    if len(old.header) != len(new.header):
        return [tree.Revised("deleted", (old,)), tree.Revised("inserted", (new,))]
    rows: list[tuple[Row, tree.Change | None]] = []
    for was, now in _paired(old.rows, new.rows, _text_of_cells):
        if was is not None and now is not None and len(was) == len(now):
            rows.append((_cells(was, now), None))
            continue
        rows += [(was, "deleted")] if was is not None else []
        rows += [(now, "inserted")] if now is not None else []
    changes = tuple(change for _, change in rows)
    return [
        replace(
            new,
            header=_cells(old.header, new.header),
            rows=tuple(row for row, _ in rows),
            row_changes=changes if any(changes) else (),
        )
    ]


def _cells(old: Row, new: Row) -> Row:
    return tuple(_paragraph(o, n) for o, n in zip(old, new, strict=True))


def _cover(old: tree.Cover, new: tree.Cover) -> tree.Cover:
    """The cover's title and subtitle compared word by word, its lines matched by their
    text; a subtitle or a line only one edition has is added or removed whole, its
    paragraph too (rejecting all in the DOCX leaves no empty line where it was)."""
    subtitle, subtitle_change = _subtitle(old.subtitle, new.subtitle)
    lines, line_changes = _lines(old.lines, new.lines)
    return replace(
        new,
        title=_paragraph(old.title, new.title),
        subtitle=subtitle,
        subtitle_change=subtitle_change,
        lines=lines,
        line_changes=line_changes,
    )


def _subtitle(
    old: tree.Paragraph | None, new: tree.Paragraph | None
) -> tuple[tree.Paragraph | None, tree.Change | None]:
    if old is not None and new is not None:
        return _paragraph(old, new), None
    if new is not None:
        return _whole(new, "inserted"), "inserted"
    if old is not None:
        return _whole(old, "deleted"), "deleted"
    return None, None


def _whole(line: tree.Paragraph, change: tree.Change) -> tree.Paragraph:
    """``line`` added or removed whole by the edition."""
    mark = tree.Inserted if change == "inserted" else tree.Deleted
    return replace(line, content=(mark(line.content),))


def _lines(
    old: tuple[tree.Paragraph, ...], new: tuple[tree.Paragraph, ...]
) -> tuple[tuple[tree.Paragraph, ...], tuple[tree.Change | None, ...]]:
    """Cover lines matched by their text; a line only one edition has (a venue given, an
    edition date) is all inserted or deleted, and the lines after it are still paired."""
    out: list[tuple[tree.Paragraph, tree.Change | None]] = []
    for was, now in _paired(old, new, lambda line: tree.plain_text(line.content)):
        if was is not None and now is not None:
            out.append((_paragraph(was, now), None))
        elif now is not None:
            out.append((_whole(now, "inserted"), "inserted"))
        elif was is not None:
            out.append((_whole(was, "deleted"), "deleted"))
    return tuple(line for line, _ in out), tuple(change for _, change in out)


def _groups(
    old: tuple[tree.IndexGroup, ...], new: tuple[tree.IndexGroup, ...]
) -> tuple[tree.IndexGroup, ...]:
    """Index groups matched by name, in order (a group only one edition has stands where
    it stood); entries by text and target."""
    names = (
        [tree.plain_text(g.name.content) for g in old],
        [tree.plain_text(g.name.content) for g in new],
    )
    out: list[tree.IndexGroup] = []
    for tag, i1, i2, j1, j2 in opcodes(*names, str):
        if tag == "equal":
            pairs = zip(old[i1:i2], new[j1:j2], strict=True)
            out += [replace(n, entries=_entries(o.entries, n.entries)) for o, n in pairs]
            continue
        out += [replace(g, change="deleted") for g in old[i1:i2]]
        out += [replace(g, change="inserted") for g in new[j1:j2]]
    return tuple(out)


def _entries(
    old: tuple[tree.ContentsEntry, ...], new: tuple[tree.ContentsEntry, ...]
) -> tuple[tree.ContentsEntry, ...]:
    out: list[tree.ContentsEntry] = []
    for tag, i1, i2, j1, j2 in opcodes(_entry_keys(old), _entry_keys(new), _joined):
        if tag == "equal":
            out += new[j1:j2]
            continue
        out += [replace(e, change="deleted") for e in old[i1:i2]]
        out += [replace(e, change="inserted") for e in new[j1:j2]]
    return tuple(out)


def _text_of_cells(cells: Sequence[tree.Paragraph]) -> str:
    return "\t".join(tree.plain_text(cell.content) for cell in cells)


def _entry_keys(entries: tuple[tree.ContentsEntry, ...]) -> list[tuple[str, str]]:
    return [(entry.text, entry.anchor) for entry in entries]


def _text(block: tree.Block) -> str:
    """A block's text, for matching."""
    match block:
        case tree.Heading(content=content) | tree.Paragraph(content=content):
            return tree.plain_text(content)
        case tree.ListBlock(items=items):
            return "\n".join(_item_text(item) for item in items)
        case tree.Table(header=header, rows=rows):
            return _text_of_cells((*header, *(cell for row in rows for cell in row)))
        case tree.KeyMessages(blocks=blocks) | tree.Revised(blocks=blocks):
            return "\n".join(_text(b) for b in blocks)
    return ""


# --- anchors --------------------------------------------------------------------


def _anchored(blocks: tuple[tree.Block, ...]) -> tuple[tree.Block, ...]:
    """``blocks`` with the earlier edition's copy of each heading both editions have in
    different places anchored ``earlier.<anchor>``, and the lines that reach it split
    (see the module's docstring)."""
    moved = set(_anchors(blocks, removed=True)) & set(_anchors(blocks, removed=False))
    if not moved:
        return blocks
    return tuple(_reanchored(block, moved, removed=False) for block in blocks)


def _anchors(blocks: Sequence[tree.Block], *, removed: bool, inside: bool = False) -> Iterator[str]:
    """The anchors of the headings in removed blocks (``removed``), or of the others."""
    for block in blocks:
        match block:
            case tree.Heading(anchor=anchor) if inside == removed:
                yield anchor
            case tree.Revised(change=change, blocks=children):
                inner = inside or change == "deleted"
                yield from _anchors(children, removed=removed, inside=inner)
            case tree.KeyMessages(blocks=children):
                yield from _anchors(children, removed=removed, inside=inside)
            case tree.ListBlock(items=items):
                for item in items:
                    yield from _anchors(item, removed=removed, inside=inside)


def _reanchored(block: tree.Block, moved: set[str], *, removed: bool) -> tree.Block:
    """``block`` with the headings of ``moved`` anchors that it removes anchored anew,
    and its contents and index lines reaching them split."""
    match block:
        case tree.Heading(anchor=anchor) if removed and anchor in moved:
            return replace(block, anchor=EARLIER + anchor)
        case tree.Revised(change=change, blocks=children):
            inner = removed or change == "deleted"
            return replace(
                block, blocks=tuple(_reanchored(b, moved, removed=inner) for b in children)
            )
        case tree.KeyMessages(blocks=children):
            return replace(
                block, blocks=tuple(_reanchored(b, moved, removed=removed) for b in children)
            )
        case tree.ListBlock(items=items):
            items = tuple(
                tuple(_reanchored(b, moved, removed=removed) for b in item) for item in items
            )
            return replace(block, items=items)
        case tree.Contents(entries=entries):
            return replace(block, entries=_lines_reanchored(entries, moved, _gone(removed)))
        case tree.Index(groups=groups):
            return tree.Index(
                tuple(
                    replace(
                        g, entries=_lines_reanchored(g.entries, moved, g.change or _gone(removed))
                    )
                    for g in groups
                )
            )
    return block


def _gone(removed: bool) -> tree.Change | None:
    return "deleted" if removed else None


def _lines_reanchored(
    entries: tuple[tree.ContentsEntry, ...], moved: set[str], group: tree.Change | None = None
) -> tuple[tree.ContentsEntry, ...]:
    """Lines (of an index ``group`` added or removed whole) reaching a heading of
    ``moved`` anchors: a removed one reaches the earlier edition's copy; one both
    editions have is that line removed and this one added."""
    out: list[tree.ContentsEntry] = []
    for entry in entries:
        change = entry.change or group
        earlier = replace(entry, anchor=EARLIER + entry.anchor)
        if entry.anchor not in moved or change == "inserted":
            out.append(entry)
        elif change == "deleted":
            out.append(earlier)
        else:
            out += [replace(earlier, change="deleted"), replace(entry, change="inserted")]
    return tuple(out)


# --- words ----------------------------------------------------------------------


def inlines(old: tuple[tree.Inline, ...], new: tuple[tree.Inline, ...]) -> tuple[tree.Inline, ...]:
    """``new`` with the words that differ from ``old`` marked inserted or deleted."""
    before, after = _atoms(old), _atoms(new)
    marked: list[tuple[Atom, Mark]] = []
    for tag, i1, i2, j1, j2 in opcodes(before, after, _word):
        if tag == "equal":
            marked += [(atom, None) for atom in after[j1:j2]]
        elif _formatting_only(before[i1:i2], after[j1:j2]):
            pairs = zip(after[j1:j2], before[i1:i2], strict=True)
            marked += [(atom, _format(was[1])) for atom, was in pairs]
        else:
            marked += [(atom, "deleted") for atom in before[i1:i2]]
            marked += [(atom, "inserted") for atom in after[j1:j2]]
    return _build(marked, 0)


def _formatting_only(old: list[Atom], new: list[Atom]) -> bool:
    """Whether the same words were only made bold or italic, or no longer are."""
    return len(old) == len(new) and all(
        o[0] == n[0] and _unformatted(o[1]) == _unformatted(n[1])
        for o, n in zip(old, new, strict=True)
    )


def _unformatted(wrappers: tuple[Wrapper, ...]) -> tuple[Wrapper, ...]:
    return tuple(w for w in wrappers if w[0] not in ("strong", "em"))


def _format(wrappers: tuple[Wrapper, ...]) -> Format:
    kinds = {kind for kind, _ in wrappers}
    return "strong" in kinds, "em" in kinds


def _atoms(content: tuple[tree.Inline, ...], around: tuple[Wrapper, ...] = ()) -> list[Atom]:
    atoms: list[Atom] = []
    for inline in content:
        match inline:
            case tree.Text(text=text):
                atoms += [(token, around) for token in tokens(text)]
            case tree.LineBreak():
                atoms.append((None, around))
            case tree.Strong(children=children):
                atoms += _atoms(children, (*around, ("strong", "")))
            case tree.Emphasis(children=children):
                atoms += _atoms(children, (*around, ("em", "")))
            case tree.Link(children=children, target=target):
                atoms += _atoms(children, (*around, ("link", target)))
            case tree.Isolate(children=children):
                atoms += _atoms(children, (*around, ("isolate", "")))
            case tree.Inserted(children=children) | tree.Deleted(children=children):
                atoms += _atoms(children, around)  # a tree already compared: its words
            case tree.Reformatted(children=children):
                atoms += _atoms(children, around)
    return atoms


def _word(atom: Atom) -> str:
    return atom[0] or ""


def _build(marked: list[tuple[Atom, Mark]], depth: int) -> tuple[tree.Inline, ...]:
    """Inline content from marked atoms: the formatting steps at ``depth`` and below
    rebuilt around runs of words, each revision mark right around its words."""
    out: list[tree.Inline] = []
    start = 0
    while start < len(marked):
        step = _step(marked[start], depth)
        end = start + 1
        while end < len(marked) and _step(marked[end], depth) == step:
            end += 1
        run = marked[start:end]
        if step is None:
            out += _words(run)
        else:
            out.append(_wrapped(step, _build(run, depth + 1)))
        start = end
    return tuple(out)


def _step(item: tuple[Atom, Mark], depth: int) -> Wrapper | None:
    wrappers = item[0][1]
    return wrappers[depth] if depth < len(wrappers) else None


def _wrapped(step: Wrapper, children: tuple[tree.Inline, ...]) -> tree.Inline:
    kind, target = step
    if kind == "strong":
        return tree.Strong(children)
    if kind == "em":
        return tree.Emphasis(children)
    if kind == "link":
        return tree.Link(children, target)
    return tree.Isolate(children)


def _words(run: list[tuple[Atom, Mark]]) -> list[tree.Inline]:
    """Unformatted words, each stretch of one mark as one text (inside its mark)."""
    out: list[tree.Inline] = []
    start = 0
    while start < len(run):
        mark = run[start][1]
        end = start + 1
        while end < len(run) and run[end][1] == mark:
            end += 1
        content = _texts([atom[0] for atom, _ in run[start:end]])
        if mark == "inserted":
            out.append(tree.Inserted(content))
        elif mark == "deleted":
            out.append(tree.Deleted(content))
        elif isinstance(mark, tuple):
            out.append(tree.Reformatted(content, *mark))
        else:
            out += content
        start = end
    return out


def _texts(tokens: list[str | None]) -> tuple[tree.Inline, ...]:
    """Tokens as texts, line breaks (None) as breaks."""
    out: list[tree.Inline] = []
    text = ""
    for token in tokens:
        if token is None:
            if text:
                out.append(tree.Text(text))
                text = ""
            out.append(tree.LineBreak())
        else:
            text += token
    if text:
        out.append(tree.Text(text))
    return tuple(out)
