"""The PDF breaks lines where Unicode line breaking (UAX #14) allows: Thai between words,
CJK between characters but not before closing punctuation, addresses after a slash or
a hyphen, at zero-width spaces and soft hyphens (a hyphen shown only at a line's end),
never at no-break spaces, non-breaking hyphens or word joiners; body text is hyphenated
by its language wherever it is laid out; and no word leaves the text area."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.look import default_look
from briefgen.text.hyphenation import syllable_breaks, words
from briefgen.text.linebreak import break_points, needs_line_breaker
from briefgen.writers.pdf.bidi import BidiParagraph
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.lines import Piece, break_lines
from briefgen.writers.pdf.styles import hyphenated, pdf_styles
from briefgen.writers.pdf.text import Run

THAI = (
    "ศาลอาญาระหว่างประเทศเป็นองค์กรตุลาการระหว่างประเทศที่มีอำนาจพิจารณาคดีบุคคล"
    "ที่ถูกกล่าวหาว่ากระทำความผิดร้ายแรงที่สุดซึ่งเป็นที่กังวลของประชาคมระหว่างประเทศ"
    "โดยรวมได้แก่อาชญากรรมฆ่าล้างเผ่าพันธุ์อาชญากรรมต่อมนุษยชาติอาชญากรรมสงคราม"
    "และอาชญากรรมการรุกราน"
)
URL = (
    "https://www.coalitionfortheicc.org/news/2024/12/asp23-closing-statements-and-key-"
    "messages-from-civil-society-organisations/full-text-of-the-statements-delivered"
)
SOFT = "\u00ad".join(
    [
        "Soft",
        "hyphen",
        "ated",
        "words",
        "that",
        "are",
        "extremely",
        "long",
        "and",
        "should",
        "break",
        "where",
        "the",
        "writer",
        "put",
        "their",
        "soft",
        "hyphens",
        "only",
    ]
)
ZERO_WIDTH = "Rentenversicherungsanstalt\u200bNachkriegszeitverwaltungsbehörde" * 3
NO_BREAK = (
    "Keep\u00a0these\u00a0words\u00a0together\u00a0as\u00a0one\u202funit\u2011with\u2011"
    "non\u2011breaking\u2011hyphens\u2060and\u2060word\u2060joiners"
)
CLOSING = "\uff0c\u3002\u300d"  # full-width comma, full stop, closing corner bracket
LONG_WORDS = (
    "Representatives emphasised that uncompromising institutional independence and "
    "intergovernmental accountability require extraordinarily sustained commitments "
    "of Al-Haq (الحق) and its partners. "
) * 3

SESSION = f"""\
pack:
  title: Line breaking
session:
  id: breaking
  name: Session
  start: 2025-04-07
  end: 2025-04-09
organizations:
  - id: c
    name: Coalition
plenaries:
  - id: thai
    title: Thai
    date: 2025-04-08
    summary: "{THAI}"
  - id: addresses
    title: Addresses
    date: 2025-04-09
    summary: "See {URL} for the texts."
  - id: soft
    title: Soft hyphens
    date: 2025-04-09
    summary: "{SOFT} {ZERO_WIDTH} {SOFT}"
  - id: softonly
    title: Soft hyphens alone
    date: 2025-04-09
    summary: "{SOFT} {SOFT} {SOFT}"
  - id: nobreak
    title: No breaks
    date: 2025-04-09
    summary: "{NO_BREAK} {NO_BREAK}"
  - id: hyphenated
    title: Hyphenated with Arabic inside
    date: 2025-04-09
    summary: "{LONG_WORDS.strip()}"
"""

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


@cache
def _pdf(folder: Path) -> Path:
    source = folder / "breaking.yaml"
    source.write_text(SESSION, encoding="utf-8")
    result = build_pack(source, BuildOptions(formats=("pdf",), output_dir=folder / "out"))
    return next(result.folder.glob("*.pdf"))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _pdf(tmp_path_factory.mktemp("breaking"))


def paragraph_lines(pdf: Path, title: str) -> list[str]:
    """The lines of the summary under the plenary heading ``title``, as pdftotext reads
    them in the order they are drawn (``-raw``: it keeps a hyphen at a line's end): the
    heading, its "Plenary" line, the summary, then the next page's furniture."""
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = text.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith(f"{title} —"))
    body = lines[start + 2 :]
    end = next(i for i, line in enumerate(body) if _FURNITURE.match(line))
    return [line for line in body[:end] if line]


_FURNITURE = re.compile(r"Line breaking$|Page \d+ of \d+$")


def test_thai_breaks_between_words(pdf: Path) -> None:
    lines = paragraph_lines(pdf, "Thai")
    assert len(lines) >= 2
    assert "".join(lines) == THAI
    points = set(break_points(THAI))
    ends = [len("".join(lines[: n + 1])) for n in range(len(lines) - 1)]
    assert all(end in points for end in ends), (ends, sorted(points))


def test_an_address_breaks_after_a_slash_or_a_hyphen_and_is_never_hyphenated(pdf: Path) -> None:
    lines = paragraph_lines(pdf, "Addresses")
    assert len(lines) >= 2
    joined = "".join(lines)
    assert URL in joined
    assert "\u00ad" not in joined
    assert all(line.endswith(("/", "-")) for line in lines[:-1]), lines


def test_soft_hyphens_show_only_at_a_line_end_and_zero_width_spaces_break(pdf: Path) -> None:
    lines = paragraph_lines(pdf, "Soft hyphens")
    assert any(line.endswith("\u00ad") for line in lines)
    assert all("\u00ad" not in line[:-1] for line in lines)
    joined = re.sub("\u00ad$", "", "\n".join(lines), flags=re.M).replace("\n", "")
    words = SOFT.replace("\u00ad", "")
    assert joined.count(words) == 2
    assert "RentenversicherungsanstaltNachkriegszeitverwaltungsbehörde" in joined.replace(" ", "")
    # Broken at a zero-width space: no hyphen, no space.
    zero_width_breaks = [
        (line, after)
        for line, after in itertools.pairwise(lines)
        if line.endswith("anstalt") and after.startswith("Nachkriegs")
    ]
    assert zero_width_breaks, lines


def test_soft_hyphens_in_text_reportlab_lays_out_copy_as_soft_hyphens(pdf: Path) -> None:
    """Plain text with soft hyphens stays with reportlab's paragraph, which breaks there
    too; the hyphen it shows at a line's end copies as the soft hyphen typed."""
    lines = paragraph_lines(pdf, "Soft hyphens alone")
    assert len(lines) >= 2
    assert all(line.endswith("\u00ad") for line in lines[:-1]), lines
    assert not any(line.rstrip().endswith("-") for line in lines)
    joined = re.sub("\u00ad$", "", "\n".join(lines), flags=re.M).replace("\n", "")
    assert joined.replace(" ", "") == SOFT.replace("\u00ad", "") * 3


def test_no_break_at_no_break_spaces_hyphens_or_word_joiners(pdf: Path) -> None:
    lines = paragraph_lines(pdf, "No breaks")
    assert len(lines) >= 2
    for line in lines:
        assert line.startswith("Keep") and line.endswith("joiners"), lines


def test_a_paragraph_laid_out_here_is_hyphenated_too(pdf: Path) -> None:
    """An English paragraph with an Arabic name is laid out by the bidi paragraph:
    it breaks long words at syllables as reportlab's does, with a soft hyphen."""
    lines = paragraph_lines(pdf, "Hyphenated with Arabic inside")
    assert any(line.endswith("\u00ad") for line in lines), lines
    joined = re.sub("\u00ad$\n", "", "\n".join(lines), flags=re.M)
    for word in ("intergovernmental", "extraordinarily", "accountability"):
        assert word in joined


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing")
def test_no_word_leaves_the_text_area(pdf: Path) -> None:
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = default_look().page
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', boxes)
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))  # type: ignore[union-attr]
    assert words
    for left, right in words:
        assert float(left) >= page.margins.left - 0.5
        assert float(right) <= width - page.margins.right + 0.5


# --- The rules, without a pack -------------------------------------------------------


def test_break_points_follow_unicode_line_breaking() -> None:
    def parts(text: str) -> list[str]:
        bounds = [0, *break_points(text), len(text)]
        return [text[a:b] for a, b in itertools.pairwise(bounds)]

    assert parts("ศาลอาญาระหว่างประเทศ") == ["ศาล", "อาญา", "ระหว่าง", "ประเทศ"]
    assert parts("www.example.org/news/2024/12/report-final") == [
        "www.example.org/",
        "news/",
        "2024/12/",
        "report-",
        "final",
    ]
    assert parts("and/or") == ["and/", "or"]
    assert parts("zero\u200bwidth soft\u00adhyphen") == ["zero\u200b", "width soft\u00ad", "hyphen"]
    for text in ("a\u00a0b", "a\u202fb", "non\u2011breaking", "word\u2060joined"):
        assert break_points(text) == []
    # Characters beyond the BMP count as one (ICU's own offsets count UTF-16 units).
    assert parts("𠀀𠀁 𐀀/𐀁") == ["𠀀", "𠀁 𐀀/", "𐀁"]  # not after the space: spaces break


def test_cjk_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    text = "国际刑事法院「罗马规约」。日本語のテキストです\uff0c한국어"
    points = set(break_points(text))
    assert {1, 2, 3} <= points  # between ideographs
    for index, char in enumerate(text):
        if char in CLOSING:
            assert index not in points  # never at a line's start
        if char == "「":
            assert index + 1 not in points  # never at a line's end
    assert needs_line_breaker(text)
    assert needs_line_breaker("ภาษาไทย") and needs_line_breaker("a/b")
    assert not needs_line_breaker("Plain English, with hyphen-ated words.")


def test_cjk_lines_never_start_with_closing_punctuation() -> None:
    register_pdf_fonts()
    style = pdf_styles(default_look()).role("body")
    text = "国际刑事法院「罗马规约」。" * 20
    flowable = BidiParagraph([Run(text)], style)
    flowable.wrap(97, 1000)
    lines = ["".join(piece.text for piece in line.pieces) for line in flowable.lines]
    assert len(lines) > 5 and "".join(lines) == text
    assert not any(line[0] in CLOSING for line in lines)
    assert not any(line.endswith("「") for line in lines)


def _piece(text: str, width: float, kind: str = "text") -> Piece:
    return Piece(text, width, "NotoSans-Regular", 0, None, kind, text)  # type: ignore[arg-type]


def test_a_hyphen_shows_only_where_it_ends_a_line() -> None:
    hyphen = _piece("\u00ad", 3.0, "hyphen")
    pieces = [_piece("aaaa", 40.0), hyphen, _piece("bbbb", 40.0), hyphen, _piece("cc", 20.0)]
    _, lines = break_lines(pieces, 90.0)
    assert [[p.text for p in line.pieces] for line in lines] == [
        ["aaaa", "bbbb", "\u00ad"],
        ["cc"],
    ]
    assert not any(line.at_space for line in lines)
    # A hyphen that does not fit sends the break back to the point before it.
    _, lines = break_lines(pieces, 81.0)
    assert [[p.text for p in line.pieces] for line in lines] == [
        ["aaaa", "\u00ad"],
        ["bbbb", "cc"],
    ]


def test_a_word_of_pieces_wider_than_the_line_is_broken_between_them() -> None:
    pieces = [_piece("aaaa", 40.0), _piece("bbbb", 40.0), _piece(" ", 5.0, "space")]
    pieces += [_piece("cc", 20.0)]
    _, lines = break_lines(pieces, 50.0)
    assert [[p.text for p in line.pieces] for line in lines] == [["aaaa"], ["bbbb"], ["cc"]]
    assert [line.at_space for line in lines] == [False, True, False]


def test_hyphenation_points_skip_addresses_numbers_and_short_words() -> None:
    assert words("www.example.org/representatives") == []
    short = "1234567 ABC-123 a the"
    assert not any(syllable_breaks(short[start:end], "en_GB") for start, end in words(short))
    text = "(Representatives),"
    assert words(text) == [(1, 16)]
    points = syllable_breaks(text[1:16], "en_GB")
    assert points and all(0 < point < 15 for point in points)
    assert hyphenated(pdf_styles(default_look()).role("body"), "en").hyphenationLang


def test_a_paragraph_split_at_a_hyphenated_line_keeps_its_hyphen_and_its_lines() -> None:
    """The first part of a split paragraph ends with the hyphen its last line ended
    with, and each part breaks into the lines the whole had (a forced break at the
    cut makes no empty line)."""
    register_pdf_fonts()
    style = hyphenated(pdf_styles(default_look()).role("body"), "en")
    text = ("Intergovernmental accountability\nrequires extraordinarily sustained work. ") * 12
    whole = BidiParagraph([Run(text)], style)
    whole.wrap(140, 10_000)
    shown = [[piece.text for piece in line.pieces] for line in whole.lines]
    assert any(line[-1] == "\u00ad" for line in shown[:-1])
    for fit in range(1, len(shown)):
        head, tail = whole.split(140, fit * style.leading)
        head.wrap(140, 10_000)
        tail.wrap(140, 10_000)
        assert [[p.text for p in line.pieces] for line in head.lines] == shown[:fit]
        assert [[p.text for p in line.pieces] for line in tail.lines] == shown[fit:]


@pytest.mark.parametrize("text", ["AAAAA\u00ad", "AAAA\u00ad\u00ad", "\u00ad"])
def test_a_soft_hyphen_that_ends_the_text_is_never_shown(text: str) -> None:
    """No line can break after the last character: a soft hyphen there stays invisible
    (it was drawn, and pushed 'AAAAA' past a width it fits in)."""
    register_pdf_fonts()
    style = hyphenated(pdf_styles(default_look()).role("body"), "en")
    flowable = BidiParagraph([Run(text)], style)
    flowable.wrap(32.0, 100_000)
    assert len(flowable.lines) == 1
    shown = flowable.lines[0].pieces
    assert [piece.kind for piece in shown] == ["text"] * len(shown)
    assert sum(piece.width for piece in shown) <= 32.0


_ALPHABET = st.sampled_from(
    list("abcdefghij ABC-/.,()«»\u00ad\u200b\u00a0\u202f\u2011")
    + list("ศาลอาญาระหว่างประเทศ")
    + list("国际刑事法院「」\uff0c。")
    + list("مؤسسة الحق")
    + list("किया गया")
    + ["\n"]
)


@settings(max_examples=200, deadline=None)
@given(text=st.text(_ALPHABET, min_size=1, max_size=160), width=st.floats(20, 300))
def test_any_text_breaks_into_lines_that_hold_it_all_and_fit(text: str, width: float) -> None:
    """Whatever the text and the width: the lines hold every character typed (soft
    hyphens and the spaces a break took aside), and none is wider than the width
    unless it is a single piece that cannot be cut."""
    register_pdf_fonts()
    style = hyphenated(pdf_styles(default_look()).role("body"), "en")
    flowable = BidiParagraph([Run(text)], style)
    flowable.wrap(width, 100_000)
    drawn = "".join(piece.text for line in flowable.lines for piece in line.pieces)
    expected = text.replace("\u00ad", "").replace("\n", "")
    assert drawn.replace("\u00ad", "").replace(" ", "") == expected.replace(" ", "")
    for line in flowable.lines:
        shown = [piece for piece in line.pieces if piece.width]
        assert sum(piece.width for piece in shown) <= width + 1e-6 or len(shown) == 1
