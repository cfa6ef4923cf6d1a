"""What an edition added or removed among the rows of a table, the items of a list, the
lines of the cover, the contents and the index (``build --since OLD``).

A row the edition added or removed is that row marked, in every format, not the whole
table removed and added again; a reworded row has its words marked; the PDF draws a
change bar beside each changed row only. List items and cover lines are matched the
same way: one added before others leaves those others unmarked. The PDF bars the lines
of the contents and the index that the edition added.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from difflib import Match, SequenceMatcher
from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.editions import diff as diff_module
from briefgen.editions import redline as redline_module
from briefgen.editions.redline import LOOK_AHEAD, redline
from briefgen.look import default_look
from tests.test_editions import BASE, bar_rows, build, edited, word_rows
from tests.trees import decided, line, meta, row

T = tree.Text
REVISIONS = tree.Revisions("Coalition for the ICC", datetime(2024, 12, 6, tzinfo=UTC))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER = row("Plenary", "Who took the floor", role="table-head")
Rows = list[tuple[tree.Paragraph, ...]]


def compared(old_rows: Rows, new_rows: Rows) -> tree.Document:
    """A document of one table, ``new_rows``, compared with one of ``old_rows``."""
    old = decided(meta("Old"), [tree.Table(HEADER, tuple(old_rows))])
    new = decided(meta("New"), [tree.Table(HEADER, tuple(new_rows))])
    return redline(old, new, REVISIONS)


def table_of(document: tree.Document) -> tree.Table:
    (table,) = document.blocks
    assert isinstance(table, tree.Table)
    return table


def test_rows_added_removed_and_reworded_are_marked_each() -> None:
    old = [row("Opening", "Kenya"), row("Review", "Peru, Chile"), row("Budget", "Fiji")]
    new = [row("Opening", "Kenya"), row("Review", "Peru, Chile, Samoa"), row("Arrest", "Tonga")]
    document = compared([*old, row("Closing", "Ghana")], [*new, row("Closing", "Ghana")])
    assert tree.dump(document).splitlines()[1:] == [
        "table",
        "  th Plenary | Who took the floor",
        "  tr Opening | Kenya",
        "  tr Review | Peru, Chile{+, Samoa+}",
        "  tr (deleted) Budget | Fiji",
        "  tr (inserted) Arrest | Tonga",
        "  tr Closing | Ghana",
    ]


def test_a_row_added_between_others_is_that_row_not_the_table_again() -> None:
    table = table_of(
        compared(
            [row("Opening", "Kenya"), row("Closing", "Ghana")],
            [row("Opening", "Kenya"), row("Review", "Peru"), row("Closing", "Ghana")],
        )
    )
    assert table.row_changes == (None, "inserted", None)
    assert [tree.plain_text(cells[0].content) for cells in table.rows] == [
        "Opening",
        "Review",
        "Closing",
    ]


def test_a_table_without_rows_added_or_removed_carries_no_row_changes() -> None:
    table = table_of(compared([row("Opening", "Kenya")], [row("Opening", "Kenya, Peru")]))
    assert table.row_changes == ()
    assert tree.has_revisions(table.rows[0][1].content)


def test_a_table_of_other_columns_is_removed_and_added_whole() -> None:
    old = decided(meta("Old"), [tree.Table(HEADER, (row("Opening", "Kenya"),))])
    three = row("Plenary", "Date", "Who", role="table-head")
    new = decided(meta("New"), [tree.Table(three, (row("Opening", "2", "Kenya"),))])
    blocks = redline(old, new, REVISIONS).blocks
    changes = [(b.change, b.blocks) for b in blocks if isinstance(b, tree.Revised)]
    assert changes == [("inserted", new.blocks), ("deleted", old.blocks)]


def likeness_calls(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Count the likeness comparisons redline makes from now on: the function returned
    tells how many so far."""
    calls = 0
    likeness = redline_module.likeness

    def counted(old: str, new: str) -> float:
        nonlocal calls
        calls += 1
        return likeness(old, new)

    monkeypatch.setattr(redline_module, "likeness", counted)
    return lambda: calls


def test_thousands_of_rows_all_replaced_are_compared_in_linear_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each row of the earlier edition is compared with at most ``LOOK_AHEAD`` new rows:
    a table of thousands of rows, none alike, is not compared pair by pair."""
    calls = likeness_calls(monkeypatch)
    rows = 2000
    table = table_of(
        compared(
            [row(f"Old plenary {n}", "Kenya") for n in range(rows)],
            [row(f"{n} Arrest warrants", "Peru, Chile, Samoa") for n in range(rows)],
        )
    )
    assert calls() <= rows * LOOK_AHEAD
    assert table.row_changes.count("deleted") == rows
    assert table.row_changes.count("inserted") == rows


def test_thousands_of_paragraphs_all_rewritten_are_compared_in_linear_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each new paragraph is compared with at most ``LOOK_AHEAD`` of the earlier edition's:
    a text of thousands of paragraphs, none alike, is not compared pair by pair."""
    calls = likeness_calls(monkeypatch)
    count = 1000
    old = decided(meta("Old"), [line(f"Old paragraph {n} on victims") for n in range(count)])
    new = decided(meta("New"), [line(f"{n}: budget, arrests, cooperation") for n in range(count)])
    blocks = redline(old, new, REVISIONS).blocks
    assert calls() <= count * LOOK_AHEAD
    changes = [(b.change, len(b.blocks)) for b in blocks if isinstance(b, tree.Revised)]
    assert changes == [("inserted", count), ("deleted", count)]


class Looks(SequenceMatcher[Hashable]):
    """difflib's matcher, counting the occurrences its longest-match search looks at
    (its inner loop: every place in ``b`` of every item of ``a`` in the range)."""

    looks = 0

    def find_longest_match(
        self, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None
    ) -> Match:
        ahi = len(self.a) if ahi is None else ahi
        Looks.looks += sum(len(self.b2j.get(item, ())) for item in self.a[alo:ahi])
        return super().find_longest_match(alo, ahi, blo, bhi)


def test_a_long_list_of_recurring_lines_reordered_is_compared_in_linear_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """3,000 bylines cycling through 30 organisations, in the reverse order: every chunk
    of one recurs a hundred times in the other, which difflib would look at for each (the
    square of the length); a line added among them is still that line."""
    monkeypatch.setattr(diff_module, "SequenceMatcher", Looks)
    lines = [
        f"Organisation {n % 30} for human rights, on behalf of the Coalition" for n in range(3000)
    ]
    old = diff_module.tokens("\n".join(lines))
    for new_lines in (lines[::-1], [*lines[:1500], "The Court's registry", *lines[1500:]]):
        new = diff_module.tokens("\n".join(new_lines))
        Looks.looks = 0
        found = diff_module.opcodes(old, new, str)
        assert Looks.looks <= diff_module.BUDGET * (len(old) + len(new))
        assert "".join(
            "".join(new[j1:j2]) if tag != "equal" else "".join(old[i1:i2])
            for tag, i1, i2, j1, j2 in found
        ) == "".join(new)
    inserted = ["".join(new[j1:j2]) for tag, _, _, j1, j2 in found if tag != "equal"]
    assert "".join(inserted).strip() == "The Court's registry"


def test_a_cover_line_added_leaves_the_lines_after_it_unmarked() -> None:
    lines = (
        tree.Paragraph((T("Palais des Nations"),), "cover-line"),
        tree.Paragraph((T("2–6 December 2024"),), "cover-line"),
    )
    edition = tree.Paragraph((T("Edition of 10 December 2024"),), "cover-line")

    def pack(*cover_lines: tree.Paragraph) -> tree.Document:
        title = tree.Paragraph((T("ASP23 briefing pack"),), "cover-title")
        return decided(meta("ASP23"), [tree.Cover(title, None, cover_lines)])

    (cover,) = redline(pack(*lines), pack(lines[0], edition, lines[1]), REVISIONS).blocks
    assert isinstance(cover, tree.Cover)
    assert [tree.has_revisions(line.content) for line in cover.lines] == [False, True, False]
    assert cover.lines[1].content == (tree.Inserted(edition.content),)


def test_an_item_is_paired_with_the_new_one_most_like_it() -> None:
    """Items that share their wording (who took the floor, and where): one added before
    a reworded one is alike too, but the reworded one is more alike."""

    def pack(*items: str) -> tree.Document:
        listed = tuple((tree.Paragraph((T(item),)),) for item in items)
        return decided(meta("ASP23"), [tree.ListBlock(False, listed)])

    old = pack("Statement by Al-Haq on victims (took the floor)")
    new = pack(
        "Statement by CICC on budget (took the floor)",
        "Statement by Al-Haq on the victims (took the floor)",
    )
    assert tree.dump(redline(old, new, REVISIONS)).splitlines()[1:] == [
        "ul",
        "  li",
        "    inserted",
        "      p[body] Statement by CICC on budget (took the floor)",
        "  li",
        "    p[body] Statement by Al-Haq on {+the +}victims (took the floor)",
    ]


def test_a_list_item_added_before_a_reworded_one_leaves_it_paired() -> None:
    def pack(*items: str) -> tree.Document:
        listed = tuple((tree.Paragraph((T(item),)),) for item in items)
        return decided(meta("ASP23"), [tree.ListBlock(False, listed)])

    old = pack("Protect the Court from sanctions.", "Fund the Court.")
    new = pack("Arrest warrants must be executed.", "Protect the Court from all sanctions.")
    assert tree.dump(redline(old, new, REVISIONS)).splitlines()[1:] == [
        "ul",
        "  li",
        "    inserted",
        "      p[body] Arrest warrants must be executed.",
        "  li",
        "    p[body] Protect the Court from {+all +}sanctions.",
        "  li",
        "    deleted",
        "      p[body] Fund the Court.",
    ]


# --- whole packs -------------------------------------------------------------------------

# An organisation joins (a row of the organisations' annex) and speaks at the closing
# plenary (a cell of that plenary's row of the programme).
NEW_ORGANISATION = "Ukrainian Legal Advisory Group"
EDITS = [
    (
        "  - id: silent\n",
        f"  - id: ulag\n    name: {NEW_ORGANISATION}\n    short_name: ULAG\n  - id: silent\n",
    ),
    (
        "      - id: closing-pji\n",
        "      - id: closing-ulag\n        by: ulag\n        title: A late statement\n"
        "      - id: closing-pji\n",
    ),
]


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The new edition's pack folders: compared with the base case, and on its own."""
    work = tmp_path_factory.mktemp("edition-tables")
    new = edited(work, EDITS)
    compared_out, plain_out = work / "compared", work / "plain"
    formats = ("--format", "pdf,docx,html")
    assert build(new, "--since", BASE, "--output-dir", compared_out, *formats)[0] == 0
    assert build(new, "--output-dir", plain_out, *formats)[0] == 0
    return compared_out, plain_out


def only(folder: Path, suffix: str) -> Path:
    (path,) = folder.rglob(f"*{suffix}")
    return path


def test_the_html_marks_the_added_row_and_shows_each_table_once(
    editions: tuple[Path, Path],
) -> None:
    compared_out, plain_out = editions
    page = lxml.html.fromstring(only(compared_out, ".html").read_bytes())
    plain = lxml.html.fromstring(only(plain_out, ".html").read_bytes())
    assert len(page.findall(".//table")) == len(plain.findall(".//table"))
    (added,) = [tr for tr in page.iter("tr") if NEW_ORGANISATION in tr.text_content()]
    filled = [cell for cell in added.findall("td") if cell.text_content().strip()]
    assert filled and all(cell.find(".//ins") is not None for cell in filled)
    assert not page.xpath("//tr//del")


def test_the_docx_tracks_the_added_row_and_shows_each_table_once(
    editions: tuple[Path, Path],
) -> None:
    compared_out, plain_out = editions
    document = docx.Document(io.BytesIO(only(compared_out, ".docx").read_bytes()))
    plain = docx.Document(io.BytesIO(only(plain_out, ".docx").read_bytes()))
    assert len(document.tables) == len(plain.tables)
    rows = [tr for table in document.tables for tr in table._tbl.iter(f"{W}tr")]
    inserted = [
        [t.text for t in tr.iter(f"{W}t")] for tr in rows if tr.find(f"{W}trPr/{W}ins") is not None
    ]
    assert inserted == [["ULAG", NEW_ORGANISATION, "—"]]
    assert all(tr.find(f"{W}trPr/{W}del") is None for tr in rows)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
@pytest.mark.parametrize(
    ("heading", "row_text"),
    [("Organisations and acronyms", NEW_ORGANISATION), ("Programme", "Closing plenary")],
)
def test_the_pdf_bars_the_added_or_changed_row_only(
    editions: tuple[Path, Path], tmp_path: Path, heading: str, row_text: str
) -> None:
    pdf = only(editions[0], ".pdf")
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    number = next(
        n for n, text in enumerate(pages, 1) if any(heading in t for t in text.splitlines()[:3])
    )
    assert pages[number - 1].count(row_text) == 1  # the table once
    bar = bar_rows(pdf, number, default_look().page.margins.left, tmp_path)
    assert bar, f"no change bar on page {number}"
    one_row = 3 * default_look().text.body.size  # a row of one line and its padding
    assert max(bar) - min(bar) < one_row  # beside one row, not the whole table


@pytest.fixture(scope="module")
def plenary_added(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base case's pack folder, compared with an edition without its last plenary."""
    work = tmp_path_factory.mktemp("plenary-added")
    text = BASE.read_text(encoding="utf-8")
    old = work / "old.yaml"
    old.write_text(text[: text.index("  - id: closing\n")], encoding="utf-8")
    out = work / "out"
    formats = ("--format", "pdf,html")
    assert build(BASE, "--since", old, "--output-dir", out, *formats)[0] == 0
    return out


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_the_pdf_bars_the_contents_and_index_lines_the_edition_added(
    plenary_added: Path, tmp_path: Path
) -> None:
    """A plenary added: its contents line is barred, not the others'; in the index, the
    entries of its statements, not the others'."""
    pdf = only(plenary_added, ".pdf")
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    contents = next(n for n, page in enumerate(pages, 1) if "Contents" in page.splitlines()[:3])
    index = next(
        n
        for n, page in enumerate(pages, 1)
        if any("Index of organisations" in line for line in page.splitlines()[:3])
    )
    margin = default_look().page.margins.left
    barred = set(bar_rows(pdf, contents, margin, tmp_path))
    assert barred & word_rows(pdf, contents, "Closing")  # Closing plenary
    assert not barred & word_rows(pdf, contents, "Review")  # Review of the Court
    barred = set(bar_rows(pdf, index, margin, tmp_path))
    assert barred & word_rows(pdf, index, "Closing")  # Closing remarks, Closing plenary
    assert not barred & word_rows(pdf, index, "Strengthening")  # the review's statement


def test_the_html_contents_marks_the_lines_the_edition_added(plenary_added: Path) -> None:
    page = lxml.html.fromstring(only(plenary_added, ".html").read_bytes())
    links = {a.text_content(): a for a in page.xpath("//nav[@class='contents']//a")}
    added = [text for text, a in links.items() if a.find("ins") is not None]
    assert "Review of the Court — 2\u00a0December 2024" in links
    assert added == [
        "Changes in this edition",
        "Key messages at a glance",
        "Closing plenary — 6\u00a0December 2024",
        "Key messages",
    ]
