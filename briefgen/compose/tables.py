"""Table column widths, decided once for every format from the cells' text and the look."""

from __future__ import annotations

from briefgen import tree
from briefgen.look import Look
from briefgen.text.metrics import drawn_width, is_wide

# The longest word a column widens for whole, in columns (a Chinese character takes
# two); a longer one (a web address) widens it up to LONG_WORD_SHARE of the text width,
# and breaks beyond.
MAX_UNBROKEN_WORD = 22
LONG_WORD_SHARE = 0.45
# The longest text a column counts when sharing out the width, in columns.
LONGEST_COUNTED = 60


def column_shares(table: tree.Table, look: Look) -> tuple[float, ...]:
    """Return each column's share of the text width (they sum to 1).

    The width is shared by each column's longest text, but every column is at least
    as wide as its short texts (dates, types) and its longest word (up to a limit),
    so "4 December 2024" or "Acronym" is never broken.
    """
    columns = max([len(table.header), *(len(row) for row in table.rows)])
    lengths = [4] * columns
    # the share each column needs for its short texts and words, and for the words it
    # may break (web addresses), as far as LONG_WORD_SHARE
    whole, broken = [0.0] * columns, [0.0] * columns
    for row in (table.header, *table.rows):
        for i, cell in enumerate(row):
            text = tree.plain_text(cell.content)
            lengths[i] = max(lengths[i], min(_columns(text), LONGEST_COUNTED))
            needs = broken if _longest_breaks(text) else whole
            needs[i] = max(needs[i], _least_share(text, look))
    proportional = [n / sum(lengths) for n in lengths]
    minimums = _minimums(whole, broken, proportional)
    shares = [max(n, least) for n, least in zip(proportional, minimums, strict=True)]
    excess = sum(shares) - 1
    room = sum(share - least for share, least in zip(shares, minimums, strict=True))
    if excess > 0 and room > 0:
        shares = [s - excess * (s - m) / room for s, m in zip(shares, minimums, strict=True)]
    total = sum(shares)
    return tuple(share / total for share in shares)


def _minimums(whole: list[float], broken: list[float], proportional: list[float]) -> list[float]:
    """The least share of each column: what its whole words need, and its words that
    break anyway (web addresses, an acronym of 30 letters). Where there is no room for
    all, those give way first, down to their column's share by length, so as not to
    crush a column of names to a few letters a line."""
    minimums = [max(pair) for pair in zip(whole, broken, strict=True)]
    if sum(minimums) <= 1:
        return minimums
    return [
        max(need, min(long, share))
        for need, long, share in zip(whole, broken, proportional, strict=True)
    ]


def _least_share(text: str, look: Look) -> float:
    """The share of the text width that ``text`` needs unbroken if short (a date, a
    type), else that its longest word needs: whole if not too long, else (a web address)
    as much of it as ``LONG_WORD_SHARE`` allows.

    Shares are of the narrowest text width the look allows (of its paper sizes), so
    that a column fits on every paper, in the table's bold header face.
    """
    short = _columns(text) <= MAX_UNBROKEN_WORD or not text.split()
    unbroken = text if short else _longest_word(text)
    if not unbroken:
        return 0.0
    head = look.text.table_head
    face = look.font.face(bold=head.bold, italic=head.italic)
    width = drawn_width(unbroken, face, head.size, head.bold)
    page = look.page
    narrowest = min(page.sizes.A4[0], page.sizes.Letter[0])
    text_width = narrowest - page.margins.left - page.margins.right
    share = float((width + 2 * look.tables.padding + 2) / text_width)
    return min(share, LONG_WORD_SHARE) if _columns(unbroken) > MAX_UNBROKEN_WORD else share


def _longest_breaks(text: str) -> bool:
    """Whether ``text``'s longest word is too long to keep whole (``_least_share``)."""
    return _columns(text) > MAX_UNBROKEN_WORD and _columns(_longest_word(text)) > MAX_UNBROKEN_WORD


def _columns(text: str) -> int:
    """How many columns ``text`` takes in a fixed-width setting: two for each wide
    character (Chinese, Japanese, Korean), which is as wide as two Latin letters."""
    return sum(2 if is_wide(char) else 1 for char in text)


def _longest_word(text: str) -> str:
    """The longest piece of ``text`` a line cannot break: lines break at spaces and
    around each wide character (between Chinese, Japanese and Korean characters)."""
    spaced = "".join(f" {char} " if is_wide(char) else char for char in text)
    return max(spaced.split(), key=len)
