"""Glyphs that copy and search as the text they show, written in reading order.

An Arabic letter is drawn by a joining form that has no character of its own, or
whose character is a presentation form rather than the letter a reader searches for;
Noto Sans Arabic draws many letters as a body and its dots apart. reportlab encodes
each glyph with the first character the font maps to it, or a private-use character,
and maps the code to that in the font's ToUnicode CMap: copied text would be
presentation forms and private-use characters, in visual order. Here:

- each glyph is encoded with a code of its own for the text it shows (``GlyphCodes``),
  which the ToUnicode CMap maps to that text: a medial lam to "ل", the lam-alef
  ligature to "لا", the dots of a letter drawn apart to nothing;
- a right-to-left run's glyphs are written in reading order, each moved to its place
  on the line (``reading_order``), as tagged PDF asks (ISO 32000-1, 14.8.2.3.3:
  show strings hold text in logical order). pdftotext and other readers that place
  characters by position read the words as typed;
- the marks of an emoji or variation sequence, which draw nothing (a joiner, a
  variation selector, a tag: ``fonts.SEQUENCE_MARKS``), copy with a character drawn
  next to them, whose code copies as the character and its marks (``with_marks``):
  👩‍⚖️, drawn as 👩 and ⚖, copies as 👩 and ‍⚖️, as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefgen.text.fonts import JOINER, SEQUENCE_MARKS, without_ignorables
from briefgen.writers.pdf.reportlab_private import (
    Glyph,
    add_glyph_code,
    glyph_id,
    shaped_string,
)

_FIRST_PRIVATE_CODE = 0xF0000  # Supplementary Private Use Area-A: no font maps it
_CMAP_BLOCK = 100  # entries per beginbfchar block, as the CMap format allows
_HIDDEN_WIDTH = 1.0  # of a mark's invisible copy, in 1/1000 em: readers drop what has none


_private_codes_made = 0


def private_codes_made() -> int:
    """How many private codes this process has made (``GlyphCodes.code``). Their numbers
    are the process's own: a helper working ahead for the layout (``prewrap``) hands
    back only what it made without a new one, whose number the layout would not know."""
    return _private_codes_made


def make_soft_hyphens() -> None:
    """Make now the code of each registered face's soft hyphen (``soft_hyphen``), which
    hyphenating a paragraph otherwise makes as it breaks the paragraph's lines."""
    for name in pdfmetrics.getRegisteredFontNames():
        if _glyph_codes(name) is not None:
            soft_hyphen(name)


class GlyphCodes:
    """The codes of one font's glyphs, each for the text it shows.

    A character the font draws with the glyph is its own code; any other pairing of a
    glyph with a text gets a private code, the same for the rest of the process. The
    private numbers never reach a file: the ToUnicode CMap maps them to their text, and
    the subsets number codes by their first use in each document.
    """

    def __init__(self, font: TTFont) -> None:
        self.font = font
        self._codes: dict[tuple[int, str, float | None], str] = {}
        self._texts: dict[int, str] = {}

    def code(self, gid: int, text: str, width: float | None = None) -> str:
        """The character to encode glyph ``gid`` with where it shows ``text``; with a
        ``width`` (1/1000 em), a code of that width rather than the glyph's."""
        key = (gid, text, width)
        code = self._codes.get(key)
        if code is None:
            if width is None and len(text) == 1 and glyph_id(self.font, text) == gid:
                code = text
            else:
                global _private_codes_made
                number = _FIRST_PRIVATE_CODE + len(self._texts)
                add_glyph_code(self.font, number, gid, width)
                self._texts[number] = text
                code = chr(number)
                _private_codes_made += 1
            self._codes[key] = code
        return code

    def cmap(self, name: str, codes: list[int]) -> str | None:
        """The ToUnicode CMap of subset ``name`` holding ``codes``, if any is private or
        beyond U+FFFF (an emoji, a Mongolian head mark): reportlab writes such a code
        point as five hex digits (``<1F389>``), which readers take for four and a half,
        copying 🎉 as "Ἰ" (U+1F38); here it is its UTF-16 surrogate pair, as PDF asks."""
        if not any(code in self._texts or code > 0xFFFF for code in codes):
            return None
        return to_unicode_cmap(name, [self._texts.get(code, chr(code)) for code in codes])


def to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap mapping one-byte code ``n`` to ``texts[n]`` (no entry where empty:
    a glyph that only completes another's text)."""
    entries = [
        f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>"
        for code, text in enumerate(texts)
    ]
    blocks: list[str] = []
    for start in range(0, len(entries), _CMAP_BLOCK):
        block = entries[start : start + _CMAP_BLOCK]
        blocks += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(texts) - 1:02X}>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


Hidden = tuple[tuple[int, str], ...]
"""Invisible copies of a run's raised or lowered marks: (the index of the visible glyph
each follows, the copy), each a one-glyph shaped string on the baseline."""


def reading_order(
    visual: list[Glyph], source: str, font: str, *, rtl: bool = True, backwards: bool = False
) -> tuple[str, Hidden]:
    """The glyphs ``visual`` (left to right, shaped from ``source``) as a string drawn in
    reading order, each glyph moved to its place and encoded for the text it shows, and
    the invisible copies of its marks drawn above or below the line.

    ``rtl`` says that the glyphs read right to left; ``backwards`` that ``source`` is the
    piece's text reversed (a left-to-right run in a right-to-left script, which HarfBuzz
    was given reversed so that it came out in order). A mark drawn above or
    below the baseline (a tanween, a shadda) shows nothing there: readers that place
    characters by position (pdftotext) would take it for a line of its own. Its text
    is an invisible copy of it on the baseline, drawn right after it, where the text
    of its letter ends.
    """
    order = sorted(range(len(visual)), key=_logical_key(visual, source, backwards))
    in_order = [visual[index] for index in order]
    texts = _texts(in_order, source, backwards)
    if not rtl:
        _marks_to_letters(in_order, texts)
    spans = _cluster_spans(visual)
    codes = _glyph_codes(font)
    pens = [0.0]
    for glyph in visual:
        pens.append(pens[-1] + glyph.advance)
    placed: list[Glyph] = []
    hidden: list[tuple[int, str]] = []
    pen, letter = 0.0, 0.0  # where the last letter's text ends, in reading order
    for at, index in enumerate(order):
        glyph, text = visual[index], texts[at]
        next_pen = pens[order[at + 1]] if at + 1 < len(order) else pens[-1]
        raised = bool(text) and glyph.advance == 0 and glyph.dy != 0
        span = spans.get(glyph.cluster) if text and glyph.advance else None
        width = glyph.width if span is None else span
        code = _encoded(codes, glyph.code, "" if raised else text, span)
        dx = pens[index] + glyph.dx - pen
        placed.append(Glyph(code, next_pen - pen, dx, glyph.dy, width, glyph.cluster))
        if glyph.advance:
            letter = pens[index] - _HIDDEN_WIDTH if rtl else pens[index + 1]
        elif raised:
            copy = _encoded(codes, glyph.code, text, _HIDDEN_WIDTH)
            hidden.append((len(placed) - 1, _hidden_copy(copy, letter - next_pen, glyph.cluster)))
        pen = next_pen
    return shaped_string(placed), tuple(hidden)


def _hidden_copy(code: str, dx: float, cluster: int) -> str:
    """An invisible glyph on the baseline, ``dx`` from the pen, that leaves the pen there."""
    return shaped_string([Glyph(code, 0.0, dx, 0.0, _HIDDEN_WIDTH, cluster)])


def reversed_run(text: str, shown: str, order: list[int], font: str, size: float) -> str:
    """``text`` drawn right to left as the characters ``shown`` (its mirror image, in
    visual order), written in reading order: a Hebrew word, or brackets and stops that
    a right-to-left level turns round. ``order`` gives the index of each character of
    ``shown`` among those drawn. Sequence marks in ``text``, which ``shown`` leaves out,
    copy with a character next to them (``_marked_starts``)."""
    widths = [pdfmetrics.stringWidth(char, font, size) * 1000 / size for char in shown]
    starts: Sequence[int] = order
    if len(text) != len(shown):
        marked = _marked_starts(text)
        starts = [marked[index] for index in order]
    visual = [
        Glyph(char, width, 0.0, 0.0, width, start)
        for char, width, start in zip(shown, widths, starts, strict=True)
    ]
    return reading_order(visual, text, font)[0]


def _marks_to_letters(glyphs: list[Glyph], texts: list[str]) -> None:
    """In a left-to-right run, give the text of a mark that does not advance (an anusvara,
    a subjoined ra) to the letter before it: readers that place text by position would
    otherwise see a character of no width inside the word, and cut the word there."""
    letter = None
    for at, glyph in enumerate(glyphs):
        if glyph.advance and texts[at]:
            letter = at
        elif not glyph.advance and texts[at] and letter is not None:
            texts[letter] += texts[at]
            texts[at] = ""


def _cluster_spans(visual: list[Glyph]) -> dict[int, float]:
    """The width of each cluster of several advancing glyphs (a vowel sign drawn before
    its consonant, a conjunct), which its first glyph, carrying the cluster's text, is
    given as its own: readers that place text by position see one character spanning
    the cluster, not a character and a gap."""
    advances: dict[int, list[float]] = {}
    for glyph in visual:
        if glyph.advance:
            advances.setdefault(glyph.cluster, []).append(glyph.advance)
    return {cluster: sum(widths) for cluster, widths in advances.items() if len(widths) > 1}


def _texts(glyphs: list[Glyph], source: str, backwards: bool) -> list[str]:
    """The text each glyph (in reading order) shows.

    A cluster's text goes to its first glyph (its leftmost advancing one: see
    ``_logical_key``); any other glyph of it (a letter's dots drawn apart, the hamza of
    an alef, the rest of a conjunct) shows nothing.
    """
    starts = sorted({glyph.cluster for glyph in glyphs})
    ends = dict(zip(starts, [*starts[1:], len(source)], strict=True))
    texts: list[str] = []
    shown: set[int] = set()
    for glyph in glyphs:
        cluster = glyph.cluster
        text = "" if cluster in shown else source[cluster : ends[cluster]]
        shown.add(cluster)
        text = text[::-1] if backwards else text
        texts.append(text)
    return texts


def _logical_key(
    visual: list[Glyph], source: str, backwards: bool
) -> Callable[[int], tuple[int, bool, int]]:
    """Sort key of a glyph's index: where its cluster starts in the reading order, then
    the letter before its marks (glyphs that do not advance: dots, hamza, vowels)."""
    length = len(source)

    def key(index: int) -> tuple[int, bool, int]:
        glyph = visual[index]
        start = length - 1 - glyph.cluster if backwards else glyph.cluster
        return start, glyph.advance == 0, index

    return key


_NO_BREAK_SPACES = "\u202f\u2007"
"""No-break spaces that Python counts as whitespace: the narrow one of French
typography (before ; ! ? and inside « ») and the figure space. reportlab's paragraph
breaks lines at whatever Python calls whitespace, the no-break space U+00A0 aside."""


def unbreakable(text: str, font: str) -> str:
    """``text`` with its narrow and figure no-break spaces drawn by codes of their own,
    which reportlab's line breaker does not take for spaces; they copy as themselves."""
    if not any(char in text for char in _NO_BREAK_SPACES):
        return text
    codes = _glyph_codes(font)
    if codes is None:
        return text
    widths = codes.font.face.charWidths
    for char in _NO_BREAK_SPACES:
        gid = glyph_id(codes.font, char)
        if char in text and gid is not None:
            text = text.replace(char, codes.code(gid, char, widths.get(ord(char))))
    return text


_MARKS = re.compile(f"[{SEQUENCE_MARKS}]")
_CONTINUING = "\u20e3\U0001f3fb-\U0001f3ff"
"""Characters drawn that go on the emoji before them: the keycap (1️⃣) and skin tones."""
_LEADING = re.compile(
    f"[{SEQUENCE_MARKS}]*{JOINER}[{SEQUENCE_MARKS}]*[^ \t\n{SEQUENCE_MARKS}]"
    f"|[{SEQUENCE_MARKS}]+[{_CONTINUING}]"
)
"""Marks that go with the character after them, which they join to the one before."""
_MARKED = re.compile(
    f"(?:[{SEQUENCE_MARKS}]*{JOINER}[{SEQUENCE_MARKS}]*|[{SEQUENCE_MARKS}]+(?=[{_CONTINUING}]))?"
    f"([^ \t\n{SEQUENCE_MARKS}])(?:(?!{_LEADING.pattern})[{SEQUENCE_MARKS}]+)?"
)
"""A character drawn with the sequence marks it copies with.

The marks between two characters of one emoji go with the second (``_LEADING``): 👩‍⚖️
copies as 👩 and ‍⚖️, 🏳️‍🌈 as 🏳 and ️‍🌈, 1️⃣ as 1 and ️⃣. Old pdf.js drops a glyph whose
text ends with a format character (a joiner), and takes one whose text holds a
selector to be of no width, parting it from the next glyph by a space. Other marks go
with the character before them: ❤️, the tags of 🏴󠁧󠁢󠁳󠁣󠁴󠁿."""


def marks_ahead(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``runs`` (each a face and its text) with the sequence marks that end one run moved
    to the start of the next where they go with its first character (``_LEADING``), so
    that they copy with it: 👩‍⚖️ is 👩 in Symbola, then the joiner and ⚖️ in Noto Sans
    Symbols."""
    moved = list(runs)
    for index in range(len(moved) - 1):
        face, text = moved[index]
        start = _ending_marks(text)
        next_face, next_text = moved[index + 1]
        if 0 < start < len(text) and _LEADING.match(text[start:] + next_text):
            moved[index] = (face, text[:start])
            moved[index + 1] = (next_face, text[start:] + next_text)
    return moved


def _ending_marks(text: str) -> int:
    """Where the sequence marks that end ``text`` start (its length where none does),
    looked for from the end: a run's text is a paragraph's, and seldom ends in one."""
    start = len(text)
    while start and _MARKS.match(text, start - 1):
        start -= 1
    return start


def with_marks(text: str, font: str) -> str:
    """``text`` (whose only default-ignorable code points are ``SEQUENCE_MARKS``) drawn as
    its characters, each with marks drawn by a code that copies as the character and
    its marks (``_MARKED``); marks with no character to go with are dropped."""
    if not _MARKS.search(text):
        return text
    codes = _glyph_codes(font)
    marked = _MARKED.sub(lambda found: _encoded(codes, found[1], found[0]), text)
    return without_ignorables(marked)


def _marked_starts(text: str) -> list[int]:
    """Where the text of each character drawn of ``text`` starts, with its marks
    (``_MARKED``): its text ends where the next one's starts."""
    return [found.start() for found in _MARKED.finditer(text)]


def soft_hyphen(font: str) -> str:
    """The hyphen that hyphenation puts at a line's end, as a character drawing ``font``'s
    hyphen that copies as a soft hyphen (U+00AD): readers join the word again, as tagged
    PDF asks (ISO 32000-1, 14.8.2.2.3)."""
    codes = _glyph_codes(font)
    gid = None if codes is None else glyph_id(codes.font, "-")
    if codes is None or gid is None:
        return "-"
    return codes.code(gid, "\u00ad", codes.font.face.charWidths.get(ord("-")))


def _glyph_codes(font: str) -> GlyphCodes | None:
    codes: GlyphCodes | None = getattr(pdfmetrics.getFont(font), "glyph_codes", None)
    return codes


def _encoded(codes: GlyphCodes | None, char: str, text: str, width: float | None = None) -> str:
    """The code for the glyph that ``char`` draws, showing ``text`` (``width`` wide)."""
    if codes is None or (char == text and width is None):
        return char
    gid = glyph_id(codes.font, char)
    return char if gid is None else codes.code(gid, text, width)
