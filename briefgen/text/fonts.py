"""The fonts shipped with briefgen: where they are, what they cover, how reportlab gets them.

The ``.ttf`` files in ``fonts/`` are static, subset Noto faces, and one of Symbola for
emoji, cut by ``tools/make_fonts.py`` (see ``fonts/README.md``), which also writes
``fonts/coverage.txt``: the code points they cover, as ranges, and
``fonts/coverage/<face>.txt``: what each face covers. Reading those small tables
keeps reportlab out of builds that write no PDF; a test checks them against the
fonts' own character maps.

Besides the text faces (Noto Sans, Noto Sans Arabic) briefgen ships fallback
families (``FALLBACK_FAMILIES``): the scripts of the Assembly's member States that
neither draws, then symbols and mathematical operators, then emoji; a look may bring
families of its own, which come next; and last, Chinese, Japanese and Korean
(``LAST_RESORT_FAMILIES``). The PDF writer draws a character its text face lacks with
the first of them that covers it (``fallback_face``).

The last resort's face is large (Noto Sans CJK, megabytes): what it covers is read only
when a text holds a character no other family has, so that packs without one never
pay for it. ``fonts/coverage.txt`` leaves it out for that reason.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from briefgen import bundled_folder

FONT_DIR = bundled_folder("fonts")

SANS = "NotoSans-Regular"
SANS_BOLD = "NotoSans-Bold"
SANS_ITALIC = "NotoSans-Italic"
SANS_BOLD_ITALIC = "NotoSans-BoldItalic"
ARABIC = "NotoSansArabic-Regular"
ARABIC_BOLD = "NotoSansArabic-Bold"

# The fallback faces (see FALLBACK_FAMILIES and LAST_RESORT_FAMILIES). Mongolian,
# Symbols2, Math, Symbola and CJK have no bold.
HEBREW = "NotoSansHebrew-Regular"
HEBREW_BOLD = "NotoSansHebrew-Bold"
ARMENIAN = "NotoSansArmenian-Regular"
ARMENIAN_BOLD = "NotoSansArmenian-Bold"
GEORGIAN = "NotoSansGeorgian-Regular"
GEORGIAN_BOLD = "NotoSansGeorgian-Bold"
DEVANAGARI = "NotoSansDevanagari-Regular"
DEVANAGARI_BOLD = "NotoSansDevanagari-Bold"
BENGALI = "NotoSansBengali-Regular"
BENGALI_BOLD = "NotoSansBengali-Bold"
THAI = "NotoSansThai-Regular"
THAI_BOLD = "NotoSansThai-Bold"
ETHIOPIC = "NotoSansEthiopic-Regular"
ETHIOPIC_BOLD = "NotoSansEthiopic-Bold"
MONGOLIAN = "NotoSansMongolian-Regular"
KHMER = "NotoSansKhmer-Regular"
KHMER_BOLD = "NotoSansKhmer-Bold"
THAANA = "NotoSansThaana-Regular"
THAANA_BOLD = "NotoSansThaana-Bold"
SYMBOLS = "NotoSansSymbols-Regular"
SYMBOLS_BOLD = "NotoSansSymbols-Bold"
SYMBOLS2 = "NotoSansSymbols2-Regular"
MATH = "NotoSansMath-Regular"
EMOJI = "Symbola-Regular"
CJK = "NotoSansCJKsc-Regular"


@dataclass(frozen=True, slots=True)
class FallbackFamily:
    """A family the PDF draws a character with when the text's own face lacks it."""

    family: str  # e.g. "Noto Sans Hebrew" (the name the DOCX gives Word)
    regular: str  # face name
    bold: str  # face name (the regular one again where there is no bold)
    shaped: bool  # True when the script needs HarfBuzz shaping (marks, conjuncts, joining)
    carried: bool = True
    """Whether a DOCX carries the family's faces where a run names it. False for a face
    too large to travel whole in every document (CJK, megabytes): the DOCX names the
    family, which readers have or replace with their own font for the script."""


FALLBACK_FAMILIES: tuple[FallbackFamily, ...] = (
    # Right to left; its points (niqqud) and cantillation marks are placed by GPOS.
    FallbackFamily("Noto Sans Hebrew", HEBREW, HEBREW_BOLD, shaped=True),
    # Letters with no marks or joining: drawn character by character. Armenian first:
    # its full stop U+0589, which ends every Armenian sentence, is in both fonts.
    FallbackFamily("Noto Sans Armenian", ARMENIAN, ARMENIAN_BOLD, shaped=False),
    FallbackFamily("Noto Sans Georgian", GEORGIAN, GEORGIAN_BOLD, shaped=False),
    # Conjuncts, reordered vowel signs, marks: unreadable without shaping.
    FallbackFamily("Noto Sans Devanagari", DEVANAGARI, DEVANAGARI_BOLD, shaped=True),
    FallbackFamily("Noto Sans Bengali", BENGALI, BENGALI_BOLD, shaped=True),
    # Stacked vowel and tone marks are moved apart by GPOS.
    FallbackFamily("Noto Sans Thai", THAI, THAI_BOLD, shaped=True),
    # A syllabary whose syllables are characters of their own.
    FallbackFamily("Noto Sans Ethiopic", ETHIOPIC, ETHIOPIC_BOLD, shaped=False),
    # Letters join as Arabic ones do, and variation selectors pick their forms.
    FallbackFamily("Noto Sans Mongolian", MONGOLIAN, MONGOLIAN, shaped=True),
    # Subscript consonants (after the coeng), vowels written before their consonant and
    # marks: reordered and placed by shaping. Lines break between words (ICU).
    FallbackFamily("Noto Sans Khmer", KHMER, KHMER_BOLD, shaped=True),
    # Right to left; every letter carries a vowel mark (fili), placed by GPOS.
    FallbackFamily("Noto Sans Thaana", THAANA, THAANA_BOLD, shaped=True),
    FallbackFamily("Noto Sans Symbols", SYMBOLS, SYMBOLS_BOLD, shaped=False),
    FallbackFamily("Noto Sans Symbols2", SYMBOLS2, SYMBOLS2, shaped=False),
    FallbackFamily("Noto Sans Math", MATH, MATH, shaped=False),
    # Emoji, in black and white (reportlab draws no colour glyphs), one pictograph per
    # character: unshaped, a sequence joined by ZWJ (👩‍⚖️) draws as its pictographs side
    # by side (👩⚖), a skin tone (👍🏽) as a swatch after its emoji, a flag (🇫🇷) as two
    # boxed letters. The joiners and variation selectors draw nothing, as everywhere,
    # but copy as typed (``SEQUENCE_MARKS``).
    FallbackFamily("Symbola", EMOJI, EMOJI, shaped=False),
)
"""The fallback families in order of preference: the scripts, then Symbols, Symbols2
and Math, then Symbola's emoji. Where two cover a character (the Armenian full stop, in
Armenian and Georgian; the danda U+0964, in Devanagari and Bengali; ASCII digits and
punctuation, in most script faces) the first wins. Khmer and Thaana, added last of the
scripts, share only such neutral characters with the families before them, so those
keep drawing what they drew."""

LAST_RESORT_FAMILIES: tuple[FallbackFamily, ...] = (
    # Chinese, Japanese and Korean: the Han characters of the four national standards,
    # kana, Hangul, CJK and full-width punctuation, in Simplified Chinese forms; drawn
    # character by character. After a look's own families (``fallback_families``), so
    # that a look's CJK font keeps drawing what it covers. No bold; too large for a DOCX
    # to carry (Word and LibreOffice draw it with the reader's CJK font).
    FallbackFamily("Noto Sans CJK SC", CJK, CJK, shaped=False, carried=False),
)
"""The shipped fallback families that come after the look's own."""

SHIPPED_FALLBACK_FAMILIES = FALLBACK_FAMILIES + LAST_RESORT_FAMILIES

FACES = (
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    SANS_BOLD_ITALIC,
    ARABIC,
    ARABIC_BOLD,
    *dict.fromkeys(face for f in SHIPPED_FALLBACK_FAMILIES for face in (f.regular, f.bold)),
)


# The shipped families by the name documents give them, with their faces by slot.
TEXT_FAMILY = "Noto Sans"
ARABIC_FAMILY = "Noto Sans Arabic"
FAMILIES: dict[str, dict[str, str]] = {
    TEXT_FAMILY: {
        "Regular": SANS,
        "Bold": SANS_BOLD,
        "Italic": SANS_ITALIC,
        "BoldItalic": SANS_BOLD_ITALIC,
    },
    ARABIC_FAMILY: {"Regular": ARABIC, "Bold": ARABIC_BOLD},
    # A fallback family without a bold face has no "Bold" slot.
    **{
        f.family: {"Regular": f.regular} | ({"Bold": f.bold} if f.bold != f.regular else {})
        for f in SHIPPED_FALLBACK_FAMILIES
    },
}


SLOTS = ("Regular", "Bold", "Italic", "BoldItalic")


@dataclass(frozen=True, slots=True)
class Face:
    """A face to draw with: the name it is registered under, and its TrueType file."""

    name: str
    path: Path

    @property
    def shipped(self) -> bool:
        return self.path.parent == FONT_DIR


def shipped_face(name: str) -> Face:
    return Face(name, font_path(name))


def family_faces(family: str, files: Mapping[str, Path] | None) -> dict[str, Face]:
    """The four text faces of ``family`` by slot: shipped ones, or the given files.

    A family given by files without italics draws italic text upright. Each of its
    faces is named by the family, the slot and the file's hash, so that two files
    never share a name.
    """
    if files is None:
        return {slot: shipped_face(FAMILIES[family][slot]) for slot in SLOTS}
    stem = re.sub(r"[^A-Za-z0-9]+", "", family) or "Font"
    fallback = {"Italic": "Regular", "BoldItalic": "Bold"}
    faces = {}
    for slot in SLOTS:
        path = files.get(slot) or files[fallback[slot]]
        faces[slot] = Face(f"{stem}-{slot}-{_file_digest(path)}", path)
    return faces


def _file_digest(path: Path) -> str:
    """The start of the hash of a font file's bytes, read once per version of the file
    (a look's faces are named each time a writer or a check asks for them)."""
    stat = path.stat()
    return _digest(path, stat.st_size, stat.st_mtime_ns)


@cache
def _digest(path: Path, _size: int, _mtime: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


# The faces the PDF writer shapes with HarfBuzz.
SHAPED_FACES = (
    ARABIC,
    ARABIC_BOLD,
    *dict.fromkeys(
        face for f in SHIPPED_FALLBACK_FAMILIES if f.shaped for face in (f.regular, f.bold)
    ),
)


def font_path(face: str) -> Path:
    """The file of a shipped face, or of a face a look brings (``own_fallback_family``)."""
    return _OWN_FACES.get(face) or FONT_DIR / f"{face}.ttf"


_OWN_FACES: dict[str, Path] = {}
"""The faces of fallback families looks bring, by name (which holds a hash of the file,
so that two files never share one)."""


COVERAGE_FILE = FONT_DIR / "coverage.txt"
COVERAGE_DIR = FONT_DIR / "coverage"


def coverage_path(face: str) -> Path:
    """The coverage table of one shipped face: ``fonts/coverage/<face>.txt``."""
    return COVERAGE_DIR / f"{face}.txt"


def _covered_ranges(path: Path = COVERAGE_FILE) -> list[tuple[int, int]]:
    """The ranges of a coverage table: first and last code point, both covered."""
    ranges = []
    for line in path.read_text(encoding="ascii").split():
        first, _, last = line.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return ranges


def _codepoints(ranges: list[tuple[int, int]]) -> frozenset[int]:
    return frozenset(point for first, last in ranges for point in range(first, last + 1))


@cache
def covered_codepoints() -> frozenset[int]:
    """Every code point some shipped face but the last resort's can draw, read from
    ``fonts/coverage.txt``."""
    return _codepoints(_covered_ranges())


@cache
def last_resort_codepoints() -> frozenset[int]:
    """The code points the last-resort families cover (read on first need)."""
    return frozenset().union(*(face_codepoints(f.regular) for f in LAST_RESORT_FAMILIES))


@cache
def face_codepoints(face: str) -> frozenset[int]:
    """The code points a face can draw: a shipped face's from its table
    (``fonts/coverage/<face>.txt``), a face a look brings from its file."""
    if face in _OWN_FACES:
        return frozenset(read_truetype(_OWN_FACES[face]).charToGlyph)
    return _codepoints(_covered_ranges(coverage_path(face)))


def own_fallback_family(family: str, files: Mapping[str, Path]) -> FallbackFamily:
    """A fallback family a look brings as TrueType files (``Regular``, and ``Bold`` if it
    has one): drawn character by character, after ``FALLBACK_FAMILIES`` and before the
    last resort. Without a bold file its bold face is its regular one, as for the
    shipped families that have none: the PDF emboldens it, Word and browsers too."""
    faces = family_faces(family, {"Bold": files["Regular"], **files})
    _OWN_FACES.update({face.name: face.path for face in faces.values()})
    regular = faces["Regular"].name
    bold = faces["Bold"].name if "Bold" in files else regular
    return FallbackFamily(family, regular, bold, shaped=False)


_OWN_FALLBACKS: ContextVar[tuple[FallbackFamily, ...]] = ContextVar("own_fallbacks", default=())


@contextmanager
def own_fallbacks(families: tuple[FallbackFamily, ...]) -> Iterator[None]:
    """Let the fallback families of the look being written follow ``FALLBACK_FAMILIES``
    while a writer draws (each writer draws one look at a time)."""
    token = _OWN_FALLBACKS.set(families)
    try:
        yield
    finally:
        _OWN_FALLBACKS.reset(token)


def fallback_families() -> tuple[FallbackFamily, ...]:
    """The fallback families in order: the shipped ones, the look's own, the last resort."""
    return _before_last_resort() + LAST_RESORT_FAMILIES


def _before_last_resort() -> tuple[FallbackFamily, ...]:
    return FALLBACK_FAMILIES + _OWN_FALLBACKS.get()


def fallback_face(char: str, bold: bool) -> str | None:
    """The face of the first fallback family that covers ``char`` (its bold face if
    ``bold``), or None when none does. Asked for a character its text face lacks: it
    does not look at the text faces, nor skip characters that draw nothing."""
    return _first_covering(ord(char), bold, _fallback_faces(bold, _before_last_resort()))


def _first_covering(point: int, bold: bool, faces: dict[int, str]) -> str | None:
    """The face of ``faces`` (the families before the last resort) that draws ``point``,
    else the last resort's. Only a character that no other shipped face has (not even a
    text face: Arabic letters in a Latin run) reads what the last resort covers."""
    face = faces.get(point)
    if face is None and point not in covered_codepoints():
        face = _fallback_faces(bold, LAST_RESORT_FAMILIES).get(point)
    return face


_OPENING_LOOKAHEAD = 8  # characters: opening punctuation 「《 does not come longer


def fallback_runs(
    text: str, covered: frozenset[int], bold: bool = False
) -> list[tuple[str | None, str]]:
    """``text`` cut into runs, each with the fallback face that draws it, or None where
    the text's own face (which covers ``covered``) does: whitespace and characters that
    draw nothing stay with it, and so does a character no face covers (its box).

    A run in a fallback face goes on through the characters that face also has (its
    marks, joiners, dandas and punctuation), so that shaping sees whole words and a
    sentence keeps one face; a run that starts with a character several faces have
    (《 or 「, which Mongolian's face has before the CJK face) takes the face of the text
    it opens, where that face has it; else, after CJK text, that text's face (the 。
    of "增长了2.5%。"), and CJK punctuation a CJK face (``_closing``). Both writers
    cut text so: the PDF draws each run in its face, the DOCX names its family.
    """
    runs: list[tuple[str | None, int]] = []  # each run's face and where it starts
    previous: str | None = None
    previous_points: frozenset[int] = frozenset()
    last: str | None = None  # the face of the last run in a fallback face
    fallbacks = _fallback_faces(bold, _before_last_resort())
    keeping = _kept_by(covered)
    index = 0
    while index < len(text):
        # Characters that keep the face of the one before (those its face has, or the
        # text face's where it is the text face's; whitespace), passed over at once.
        kept = keeping.match(text, index)
        if kept is not None:
            if not runs:
                runs.append((previous, index))
            index = kept.end()
            continue
        char, point = text[index], ord(text[index])
        if previous is not None and (point in previous_points or never_rendered(char)):
            face: str | None = previous
        elif (
            point in covered
            or never_rendered(char)
            or (point not in fallbacks and _no_fallback_applies(point, last, text))
        ):
            face = None
        else:
            first = _first_covering(point, bold, fallbacks)
            face = _opened(text, index, covered, bold, fallbacks)
            if face is None:
                face = first if last == first else _closing(point, last, first, bold)
        if face != previous and face is not None:
            previous_points = face_codepoints(face)
            last = face
        if face != previous or not runs:
            runs.append((face, index))
            keeping = _kept_by(covered if face is None else previous_points)
        previous = face
        index += 1
    ends = [start for _, start in runs[1:]] + [len(text)] if runs else []
    return [(face, text[start:end]) for (face, start), end in zip(runs, ends, strict=True)]


def _no_fallback_applies(point: int, last: str | None, text: str) -> bool:
    """Whether a character no fallback family before the last resort has (an Arabic
    letter in a Latin text face's paragraph) stays with the text face, decided without
    looking around it. It does when no character of ``text`` needs the last resort
    (then no face the character would open has it), it is not CJK punctuation, and the
    last fallback face was not a later family's (``_closing``)."""
    return (
        (last is None or last not in later_faces())
        and not any(start <= point <= end for start, end in _CJK_PUNCTUATION)
        and not _needs_last_resort(text)
    )


@lru_cache(maxsize=1)
def _needs_last_resort(text: str) -> bool:
    """Whether a character of ``text`` is one only the last resort may have (the text
    ``fallback_runs`` is cutting: asked once per text, at each such character)."""
    return outside(covered_codepoints()).search(text) is not None


_KEPT_PATTERNS = 64  # patterns kept: a pack's faces, and the text faces of its looks
_KEPT_BY_SET: dict[int, tuple[frozenset[int], re.Pattern[str]]] = {}
"""``_kept_by``'s patterns by the identity of their set (held, so that its id stays its
own): finding a set by its value compares it whole with an equal one (a text face's
code points, made by each writer), tens of microseconds each time."""


def _kept_by(codepoints: frozenset[int]) -> re.Pattern[str]:
    """Matches a run of characters that are whitespace, variation selectors or among
    ``codepoints``: characters ``fallback_runs`` gives the face before them whatever
    follows (others it looks at one by one)."""
    entry = _KEPT_BY_SET.get(id(codepoints))
    if entry is None or entry[0] is not codepoints:
        if len(_KEPT_BY_SET) >= _KEPT_PATTERNS:
            _KEPT_BY_SET.clear()
        entry = _KEPT_BY_SET[id(codepoints)] = (codepoints, _kept_pattern(codepoints))
    return entry[1]


@lru_cache(maxsize=_KEPT_PATTERNS)
def _kept_pattern(codepoints: frozenset[int]) -> re.Pattern[str]:
    ranges = _ranges(codepoints) if codepoints else ""
    return re.compile(f"[\\s\ufe00-\ufe0f{ranges}]+")


def _opened(
    text: str, index: int, covered: frozenset[int], bold: bool, fallbacks: dict[int, str]
) -> str | None:
    """The face of the text the character at ``index`` opens, if that face has the
    character: the face of the first letter or figure after it (past punctuation, among
    the next few characters); None where text in the text face, a space or nothing
    follows."""
    point = ord(text[index])
    for char in text[index + 1 : index + 1 + _OPENING_LOOKAHEAD]:
        if unicodedata.category(char).startswith("P"):
            continue  # 「《 before the title's first character
        if ord(char) in covered or never_rendered(char):
            return None
        ahead = _first_covering(ord(char), bold, fallbacks)
        return ahead if ahead is not None and point in face_codepoints(ahead) else None
    return None


def _closing(point: int, last: str | None, face: str | None, bold: bool) -> str | None:
    """The face of a character that neither its own first face's text nor the text it
    opens decides. After text in a family that comes after the shipped ones (the look's
    own, the CJK face), that family's face, if it has the character: the 。 after
    "2.5%" in Chinese; else, for CJK punctuation (、。《》「」, which Mongolian's face has
    too), the first of those families that has it. (Between the shipped families the
    first one keeps it, as before: the → of "≠ cuts →" stays Symbols'.)"""
    later = _after_shipped()
    if last is not None and point in face_codepoints(last) and last in later_faces():
        return last
    if any(start <= point <= end for start, end in _CJK_PUNCTUATION):
        return _fallback_faces(bold, later).get(point, face)
    return face


def _after_shipped() -> tuple[FallbackFamily, ...]:
    return _OWN_FALLBACKS.get() + LAST_RESORT_FAMILIES


def later_faces() -> frozenset[str]:
    """The faces of the fallback families after the shipped ones: the look's own and
    the last resort (the CJK face)."""
    return _faces_of(_after_shipped())


@cache
def _faces_of(families: tuple[FallbackFamily, ...]) -> frozenset[str]:
    return frozenset(face for family in families for face in (family.regular, family.bold))


_CJK_PUNCTUATION = ((0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def fallback_slots(family: FallbackFamily) -> dict[str, Face]:
    """A fallback family's faces by slot: ``Regular``, and ``Bold`` where it has one."""
    faces = {"Regular": Face(family.regular, font_path(family.regular))}
    if family.bold != family.regular:
        faces["Bold"] = Face(family.bold, font_path(family.bold))
    return faces


def fallback_family(face: str) -> FallbackFamily:
    """The fallback family ``face`` belongs to."""
    return next(f for f in fallback_families() if face in (f.regular, f.bold))


_HAN = "\u4e2d"  # 中, a Han character every CJK face has


def east_asian_family() -> str:
    """The family that draws Chinese, Japanese and Korean text: the first fallback family
    with Han characters (a look's own before the shipped CJK face). A DOCX names it in
    Word's east Asian slot, the font of those characters wherever no run names one."""
    face = fallback_face(_HAN, bold=False)
    return TEXT_FAMILY if face is None else fallback_family(face).family


@cache
def _fallback_faces(bold: bool, families: tuple[FallbackFamily, ...]) -> dict[int, str]:
    """Each code point a fallback family covers, with the face that draws it."""
    faces: dict[int, str] = {}
    for family in reversed(families):  # earlier families overwrite later ones
        face = family.bold if bold else family.regular
        faces.update(dict.fromkeys(face_codepoints(face), face))
    return faces


@cache
def outside(codepoints: frozenset[int]) -> re.Pattern[str]:
    """Matches a character that is neither whitespace nor one of ``codepoints``: one
    search tells whether a text needs a look character by character."""
    return re.compile(f"[^\\s{_ranges(codepoints)}]")


def _ranges(codepoints: frozenset[int]) -> str:
    """``codepoints`` as the ranges of a regular expression's character class."""
    return "".join(
        f"\\U{int(first, 16):08X}-\\U{int(last or first, 16):08X}"
        for first, _, last in (line.partition("-") for line in coverage_text(codepoints).split())
    )


def coverage_text(codepoints: frozenset[int]) -> str:
    """Return ``codepoints`` as the lines of ``fonts/coverage.txt``: hex ranges, ascending."""
    lines, ordered = [], sorted(codepoints)
    start = previous = ordered[0]
    for point in [*ordered[1:], -1]:
        if point != previous + 1:
            lines.append(f"{start:04X}" if start == previous else f"{start:04X}-{previous:04X}")
            start = point
        previous = point
    return "\n".join(lines) + "\n"


JOINER = "\u200d"
"""The zero width joiner, which joins the emoji on either side into one (👩‍⚖️)."""

SEQUENCE_MARKS = JOINER + "\ufe00-\ufe0f\U000e0020-\U000e007f\U000e0100-\U000e01ef"
"""The default-ignorable code points that make a sequence of the characters around
them (UTS #51; the Unicode Standard, 23.4), as a character class: the joiner, the
variation selectors (U+FE0F asks for an emoji's picture, U+FE0E for its text form)
and the tag characters that make a flag a region's (🏴󠁧󠁢󠁳󠁣󠁴󠁿). They draw nothing, but
they are text: the PDF copies each with a character next to it (``glyphs.with_marks``)."""

_OTHER_IGNORABLES = (
    "\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200c\u200e\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e001f"
    "\U000e0080-\U000e00ff\U000e01f0-\U000e0fff"
)
"""The default-ignorable code points but ``SEQUENCE_MARKS``, as a character class."""

_DEFAULT_IGNORABLE = re.compile(f"[{_OTHER_IGNORABLES}{SEQUENCE_MARKS}]")
"""Unicode's default-ignorable code points (DerivedCoreProperties.txt): marks of
direction, joiners, the word joiner, the byte order mark, variation selectors. They
draw nothing; what they mean (direction, joining, no break) is read before drawing.
The soft hyphen is one too, but left to the line breaker, which shows it only where
it breaks a line."""

_IGNORABLE_BUT_MARKS = re.compile(f"[{_OTHER_IGNORABLES}]")


def without_ignorables(text: str) -> str:
    """``text`` without its default-ignorable code points: what is drawn of it where no
    shaping reads them (a font may give them a visible glyph, or none: a box)."""
    return _DEFAULT_IGNORABLE.sub("", text) if _DEFAULT_IGNORABLE.search(text) else text


def drawn_and_copied(text: str) -> tuple[str, str]:
    """``text`` as drawn, without its default-ignorable code points, and as copied,
    without those but the ``SEQUENCE_MARKS``: ``text`` itself, twice, where it has none."""
    if not _DEFAULT_IGNORABLE.search(text):
        return text, text
    copied = _IGNORABLE_BUT_MARKS.sub("", text)
    return without_ignorables(copied), copied


def never_rendered(char: str) -> bool:
    """Whitespace, control and format characters and variation selectors: no glyph of their own."""
    return (
        char.isspace() or unicodedata.category(char) in ("Cc", "Cf") or "\ufe00" <= char <= "\ufe0f"
    )


def uncovered_characters(text: str) -> list[str]:
    """The distinct characters of ``text`` that no shipped font can draw, sorted.

    One regular-expression search finds the candidates (every build checks every
    string of its input) against the faces before the last resort; control and format
    characters among them need no glyph, those the last resort has none either.
    """
    candidates = set(outside(covered_codepoints()).findall(text))
    candidates = {char for char in candidates if not never_rendered(char)}
    if candidates:
        candidates = {char for char in candidates if ord(char) not in last_resort_codepoints()}
    return sorted(candidates)


def truetype_problem(path: Path) -> str | None:
    """What makes a TrueType file unusable (damaged, or its licence forbids embedding),
    or None. It is read as the PDF writer reads fonts: only then is reportlab's font
    parser imported, so only a look that brings its own fonts pays for it."""
    from reportlab.pdfbase.ttfonts import TTFError

    problem = licence_problem(path.read_bytes())
    if problem is not None:
        return problem
    try:
        read_truetype(path)
    except TTFError as error:
        return _reportlab_problem(str(error), path)
    except struct.error:  # a table, or the directory of tables, read past the file's end
        return "the file is damaged: its tables run past its end (a file cut short?)"
    except KeyError as error:  # a table reportlab needs, looked up by its tag
        return f"the file is damaged: it has no '{error.args[0]}' table"
    except (OSError, ValueError, IndexError) as error:
        return f"the file is damaged: {error}"
    except AttributeError:  # reportlab reads a setting it lacks when no name is left
        return "the file is damaged: its name table names no font"
    if not harfbuzz_subsets(path.read_bytes()):
        return "the file is damaged (HarfBuzz cannot cut the web edition's subset of it)"
    return None


RESTRICTED = 0x0002
"""fsType's "restricted licence embedding": the font may not be embedded at all."""
EMBEDDING_PERMISSIONS = 0x000E
"""fsType's bits of embedding permission (restricted, preview and print, editable): where
more than one is set, the least restrictive applies (OpenType's OS/2 table)."""
PREVIEW_AND_PRINT = 0x0004
"""fsType's "preview and print embedding": only in a document opened read-only."""
EDITABLE = 0x0008
NO_SUBSETTING = 0x0100
BITMAP_ONLY = 0x0200


def licence_problem(font: bytes) -> str | None:
    """What the embedding licence of ``font`` (its OS/2 table's ``fsType``) forbids that a
    pack does, or None. The PDF embeds the subset of each face its text uses, the web
    edition too, the DOCX whole faces; reportlab would embed a restricted font of 255
    glyphs or fewer whole, without a word."""
    fs_type = _fs_type(font)
    if fs_type is None:
        return None
    says = f"fsType 0x{fs_type:04X} in its OS/2 table"
    if fs_type & EMBEDDING_PERMISSIONS == RESTRICTED:
        return f"its licence does not allow embedding it in a document ({says}: restricted)"
    if fs_type & BITMAP_ONLY:
        return (
            "its licence allows embedding only its bitmaps, and a pack embeds its outlines"
            f" ({says}: bitmap embedding only)"
        )
    if fs_type & NO_SUBSETTING:
        return (
            "its licence does not allow embedding a subset of it, and the PDF and the web"
            f" edition embed only the characters a pack uses ({says}: no subsetting)"
        )
    return None


def read_only_embedding(font: bytes) -> int | None:
    """``font``'s fsType where its licence allows embedding it only in a document opened
    read-only (preview and print, and not editable), else None."""
    fs_type = _fs_type(font)
    if fs_type is None or fs_type & (PREVIEW_AND_PRINT | EDITABLE) != PREVIEW_AND_PRINT:
        return None
    return fs_type


def _fs_type(font: bytes) -> int | None:
    """The ``fsType`` of a TrueType file's OS/2 table: two bytes at the table's offset 8;
    None without the table, or where the directory is cut short (reported as damage)."""
    try:
        (count,) = struct.unpack_from(">H", font, 4)
        for record in range(12, 12 + 16 * count, 16):
            if font[record : record + 4] == b"OS/2":
                (offset,) = struct.unpack_from(">I", font, record + 8)
                (fs_type,) = struct.unpack_from(">H", font, offset + 8)
                return int(fs_type)
    except struct.error:
        return None
    return None


_NO_DIRECTORY = re.compile(r".*(cannot read Table Directory|can't read version).*")
_NO_TABLE = re.compile(r"(?:(\w+) table not found|missing (location) table).*")


def _reportlab_problem(message: str, path: Path) -> str:
    """reportlab's reason for refusing a font, in briefgen's words and without its path."""
    if _NO_DIRECTORY.fullmatch(message):
        return "the file is damaged: its list of tables cannot be read"
    table = _NO_TABLE.fullmatch(message)
    if table is not None:
        tag = "loca" if table[2] else table[1]
        return f"the file is damaged: it has no '{tag}' table"
    return "the file is damaged: " + message.replace(f' "{path}"', "")


def harfbuzz_subsets(font: bytes) -> bool:
    """Whether HarfBuzz can cut a subset of every character of ``font``, as the HTML
    writer cuts the characters a page uses: reportlab reads a file whose tables HarfBuzz
    refuses, which only the HTML build would find (a few milliseconds a face)."""
    import uharfbuzz

    face = uharfbuzz.Face(uharfbuzz.Blob(font))
    subset_input = uharfbuzz.SubsetInput()
    subset_input.flags = uharfbuzz.SubsetFlags.NO_HINTING
    for point in face.unicodes:
        subset_input.unicode_set.add(point)
    try:
        return uharfbuzz.subset(face, subset_input) is not None
    except RuntimeError:  # uharfbuzz's "Subsetting failed"
        return False


def read_truetype(path: Path) -> Any:
    """The file parsed by reportlab (``TTFontFile``), once per version of the file."""
    stat = path.stat()
    return _read_truetype(path, stat.st_size, stat.st_mtime_ns)


@cache
def _read_truetype(path: Path, _size: int, _mtime: int) -> Any:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return TTFontFile(str(path))
