"""An edition's changes in the DOCX: Word tracked changes (revisions) by their author and date.

The XML is read back with python-docx and lxml; LibreOffice, driven through its scripting
interface (``tests/uno_redlines.py``, run by the system Python that has python3-uno),
accepts or rejects every change, and the text it is left with must be the text of the
edition with the changes made, or undone, in the tree.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

import docx
import pytest
from openxml_audit import OpenXmlValidator
from pypdf import PdfReader

from briefgen import tree
from briefgen.writers.docx.body import bookmark_name
from briefgen.writers.docx.fragment import revision_date
from briefgen.writers.docx.writer import write_docx
from tests.test_docx_writer import meta
from tests.trees import decided, row

T = tree.Text
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SYSTEM_PYTHON = "/usr/bin/python3"
UNO_SCRIPT = Path(__file__).with_name("uno_redlines.py")
REVISIONS = tree.Revisions("Coalition Secretariat", datetime(2024, 12, 3, 14, 5, 9, tzinfo=UTC))
DATE = "2024-12-03T14:05:09Z"


def paragraph(*content: tree.Inline) -> tree.Paragraph:
    return tree.Paragraph(tuple(content))


def changed_pack(revisions: tree.Revisions | None = REVISIONS) -> tree.Document:
    """Text inserted and deleted, plain, bold and in links; blocks inserted and deleted
    (headings, paragraphs, a list, a table, a key-message box); rows of a table inserted
    and deleted; changed index entries."""
    blocks: list[tree.Block] = [
        tree.Heading(1, (T("Opening plenary"),), "opening"),
        paragraph(
            T("The Assembly "),
            tree.Inserted((T("warmly "),)),
            T("welcomed "),
            tree.Deleted((T("the two "),)),
            tree.Strong((T("new "), tree.Inserted((T("States"),)), tree.Deleted((T("members"),)))),
            T(" and "),
            tree.Link(
                (T("the "), tree.Deleted((T("old "),)), tree.Inserted((T("Court"),))),
                "https://www.icc-cpi.int",
            ),
            tree.Deleted((tree.Link((T(" (its site)"),), "https://example.org"),)),
            tree.Inserted((T(", see "), tree.Link((T("the agenda"),), "#agenda"))),
            T("."),
        ),
        tree.Table(  # rows the edition removed and added, a cell reworded
            row("Plenary", "Who took the floor", role="table-head"),
            (
                row("Opening", "Ghana"),
                row("Review", "Peru"),
                row("Closing", "Tonga"),
                (
                    tree.Paragraph((T("Finance"),), "table-cell"),
                    tree.Paragraph((T("Fiji"), tree.Inserted((T(" and Samoa"),))), "table-cell"),
                ),
            ),
            row_changes=(None, "deleted", "inserted", None),
        ),
        tree.Revised(
            "deleted",
            (
                tree.Heading(2, (T("Draft agenda"),), "earlier.agenda"),  # as redline anchors it
                paragraph(T("The draft "), tree.Emphasis((T("was"),)), T(" circulated.")),
                tree.Heading(3, (T("Withdrawn item"),), "withdrawn"),
            ),
        ),
        tree.Revised(
            "inserted",
            (
                tree.Heading(2, (T("Agenda"),), "agenda"),
                paragraph(
                    T("The agenda "),
                    tree.Deleted((T("first "),)),  # in an inserted block: gone either way
                    tree.Strong((T("was adopted"),)),
                    T("."),
                ),
                tree.ListBlock(False, ((paragraph(T("First item")),), (paragraph(T("Second")),))),
            ),
        ),
        paragraph(T("Between the changes.")),
        tree.Revised(
            "deleted",
            (
                tree.Table(
                    row("State", "Speaker", role="table-head"),
                    (row("Kenya", "Minister"), row("Peru", "Ambassador")),
                ),
            ),
        ),
        tree.Revised(
            "inserted",
            (
                tree.Table(row("Item", "Outcome", role="table-head"), (row("Budget", "Adopted"),)),
                tree.KeyMessages((paragraph(T("A new key message.")),)),
            ),
        ),
        paragraph(T("The end of the statements.")),
    ]
    document = decided(meta(revisions=revisions), blocks)
    index = tree.Index(  # compose decides an index's entries; these are written as they come
        (
            tree.IndexGroup(
                paragraph(T("Kenya")),
                (
                    tree.ContentsEntry(2, "Opening plenary", "opening"),
                    tree.ContentsEntry(2, "Withdrawn item", "withdrawn", change="deleted"),
                    tree.ContentsEntry(2, "Agenda", "agenda", change="inserted"),
                ),
            ),
            tree.IndexGroup(
                paragraph(T("Uganda")), (tree.ContentsEntry(2, "Agenda", "agenda"),), "inserted"
            ),
            tree.IndexGroup(
                paragraph(T("Chile")),
                (tree.ContentsEntry(2, "Withdrawn item", "withdrawn"),),
                "deleted",
            ),
        )
    )
    return replace(document, blocks=(*document.blocks, index, paragraph(T("Last words."))))


# --- the tree with the changes made (accepted) or undone (rejected) ----------------------


Keep = Literal["accepted", "rejected"]


def accepted(document: tree.Document) -> tree.Document:
    """The edition with its changes made: deleted text and blocks dropped, inserted kept."""
    return _resolved(document, "accepted")


def rejected(document: tree.Document) -> tree.Document:
    """The edition with its changes undone: inserted text and blocks dropped, deleted kept."""
    return _resolved(document, "rejected")


def _resolved(document: tree.Document, keep: Keep) -> tree.Document:
    blocks = tuple(b for block in document.blocks for b in _block(block, keep))
    return replace(document, blocks=blocks, meta=replace(document.meta, revisions=None))


def _kept(change: tree.Change | None, keep: Keep) -> bool:
    return change is None or (change == "inserted") == (keep == "accepted")


def _block(block: tree.Block, keep: Keep) -> list[tree.Block]:
    match block:
        case tree.Revised(change=change, blocks=blocks):
            return (
                [b for child in blocks for b in _block(child, keep)] if _kept(change, keep) else []
            )
        case tree.Heading(content=content):
            return [replace(block, content=_inlines(content, keep))]
        case tree.Paragraph():
            return [_paragraph(block, keep)]
        case tree.ListBlock(items=items):
            return [
                replace(
                    block,
                    items=tuple(tuple(b for c in item for b in _block(c, keep)) for item in items),
                )
            ]
        case tree.Table(header=header, rows=rows):
            kept = (r for i, r in enumerate(rows) if _kept(block.row_change(i), keep))
            return [
                replace(
                    block,
                    header=tuple(_paragraph(cell, keep) for cell in header),
                    rows=tuple(tuple(_paragraph(cell, keep) for cell in r) for r in kept),
                    row_changes=(),
                )
            ]
        case tree.KeyMessages(blocks=blocks):
            return [replace(block, blocks=tuple(b for c in blocks for b in _block(c, keep)))]
        case tree.Contents(entries=entries):
            kept = tuple(replace(e, change=None) for e in entries if _kept(e.change, keep))
            return [replace(block, entries=kept)]
        case tree.Index(groups=groups):
            return [
                tree.Index(
                    tuple(
                        replace(
                            group,
                            entries=tuple(
                                replace(e, change=None)
                                for e in group.entries
                                if _kept(e.change, keep)
                            ),
                            change=None,
                        )
                        for group in groups
                        if _kept(group.change, keep)
                    )
                )
            ]
    return [block]


def _paragraph(paragraph: tree.Paragraph, keep: Keep) -> tree.Paragraph:
    return replace(paragraph, content=_inlines(paragraph.content, keep))


def _inlines(content: tuple[tree.Inline, ...], keep: Keep) -> tuple[tree.Inline, ...]:
    out: list[tree.Inline] = []
    for inline in content:
        match inline:
            case tree.Inserted(children=children) | tree.Deleted(children=children):
                change: tree.Change = "inserted" if isinstance(inline, tree.Inserted) else "deleted"
                if _kept(change, keep):
                    out.extend(_inlines(children, keep))
            case tree.Strong(children=c) | tree.Emphasis(children=c) | tree.Isolate(children=c):
                out.append(replace(inline, children=_inlines(c, keep)))
            case tree.Link(children=children):
                out.append(replace(inline, children=_inlines(children, keep)))
            case _:
                out.append(inline)
    return tuple(out)


# --- the XML -----------------------------------------------------------------------------


def body(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data)).element.body


def text_of(element: Any, tag: str = "t") -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}{tag}"))


def test_changes_are_revisions_by_the_author_at_the_date() -> None:
    root = body(write_docx(changed_pack(), paginate=False).data)
    changes = [*root.iter(f"{W}ins"), *root.iter(f"{W}del")]
    kinds = Counter(element.tag.removeprefix(W) for element in changes)
    assert kinds["ins"] > 10 and kinds["del"] > 10
    assert {c.get(f"{W}author") for c in changes} == {REVISIONS.author}
    assert {c.get(f"{W}date") for c in changes} == {DATE}
    ids = [c.get(f"{W}id") for c in changes]
    assert len(ids) == len(set(ids)), "every revision's id is unique in the document"
    deleted = root.findall(f".//{W}del/{W}r")
    assert deleted and all(run.find(f"{W}t") is None for run in deleted)  # delText only
    assert "the two " in [text_of(run, "delText") for run in deleted]
    inserted = [text_of(run) for run in root.findall(f".//{W}ins/{W}r")]
    assert "warmly " in inserted and "States" in inserted


def test_formatting_and_links_are_kept_in_the_changes() -> None:
    root = body(write_docx(changed_pack(), paginate=False).data)
    states = next(r for r in root.findall(f".//{W}ins/{W}r") if text_of(r) == "States")
    assert states.find(f"{W}rPr/{W}b") is not None
    members = next(r for r in root.findall(f".//{W}del/{W}r") if text_of(r, "delText") == "members")
    assert members.find(f"{W}rPr/{W}b") is not None
    # a change in a link is written inside its w:hyperlink: the schema allows no link in one
    links = list(root.iter(f"{W}hyperlink"))
    court = next(link for link in links if text_of(link) == "the Court")
    assert text_of(court.find(f"{W}del"), "delText") == "old "
    assert text_of(court.find(f"{W}ins")) == "Court"
    site = next(link for link in links if text_of(link, "delText") == " (its site)")
    assert site.find(f"{W}r") is None and site.find(f"{W}del/{W}r") is not None
    assert not root.findall(f".//{W}ins/{W}hyperlink") + root.findall(f".//{W}del/{W}hyperlink")


def test_whole_blocks_mark_their_paragraphs_and_rows() -> None:
    root = body(write_docx(changed_pack(), paginate=False).data)
    marks: dict[str, str] = {}
    for p in root.iter(f"{W}p"):
        text = text_of(p) + text_of(p, "delText")
        for kind in ("ins", "del"):
            if p.find(f"{W}pPr/{W}rPr/{W}{kind}") is not None:
                marks[text] = kind
    for text in ("Agenda", "The agenda was adopted.", "First item", "Second", "A new key message."):
        assert marks[text] == "ins", text
    for text in ("Draft agenda", "The draft was circulated.", "Kenya", "Review", "Peru"):
        assert marks[text] == "del", text
    for text in ("Closing", "Tonga"):
        assert marks[text] == "ins", text
    for text in ("Opening", "Ghana", "Finance", "Fiji and Samoa"):
        assert text not in marks, text  # the rows both editions have
    assert "The Assembly " not in "".join(k for k, v in marks.items() if v)  # inline changes only
    assert "first" not in text_of(root) + text_of(root, "delText")  # in neither edition
    rows = Counter(
        kind
        for tr in root.iter(f"{W}tr")
        for kind in ("ins", "del")
        if tr.find(f"{W}trPr/{W}{kind}") is not None
    )
    # the tables removed and added whole, a row of each kind in the table both editions
    # have; the key-message box is a table of one row
    assert rows == {"del": 4, "ins": 4}


def test_every_heading_has_the_bookmark_of_its_anchor_removed_or_not() -> None:
    """The tree gives each heading an anchor of its own (``redline``: the earlier copy of
    a heading both editions have is ``earlier.<anchor>``); the writer draws them all, so
    that a line of the earlier edition reaches its heading once the changes are rejected."""
    root = body(write_docx(changed_pack(), paginate=False).data)
    bookmarks = {b.get(f"{W}name"): b.getparent() for b in root.iter(f"{W}bookmarkStart")}
    assert text_of(bookmarks["agenda"]) == "Agenda"
    assert text_of(bookmarks[bookmark_name("earlier.agenda")], "delText") == "Draft agenda"
    assert text_of(bookmarks["withdrawn"], "delText") == "Withdrawn item"
    assert len(list(root.iter(f"{W}bookmarkStart"))) == len(bookmarks)


def test_index_entries_are_whole_paragraphs_changed() -> None:
    root = body(write_docx(changed_pack(), paginate=False).data)
    entries = {
        link.get(f"{W}anchor"): link.getparent()
        for link in root.iter(f"{W}hyperlink")
        if "PAGEREF" in text_of(link, "instrText") + text_of(link, "delInstrText")
    }
    assert set(entries) == {"opening", "withdrawn", "agenda"}
    marked = {
        text_of(p) + text_of(p, "delText"): kind
        for p in root.iter(f"{W}p")
        for kind in ("ins", "del")
        if p.find(f"{W}pPr/{W}rPr/{W}{kind}") is not None
    }
    assert marked["Uganda"] == "ins" and marked["Chile"] == "del"  # whole groups
    deleted = entries["withdrawn"]
    assert deleted.find(f"{W}pPr/{W}rPr/{W}del") is not None
    assert "PAGEREF withdrawn" in text_of(deleted, "delInstrText")
    assert not list(deleted.iter(f"{W}instrText"))
    assert all(r.getparent().tag == f"{W}del" for r in deleted.iter(f"{W}r"))
    inserted = entries["agenda"]
    assert inserted.find(f"{W}pPr/{W}rPr/{W}ins") is not None
    assert "PAGEREF agenda" in text_of(inserted, "instrText")
    assert all(r.getparent().tag == f"{W}ins" for r in inserted.iter(f"{W}r"))


def test_without_revisions_the_edition_is_drawn_as_it_is() -> None:
    """No comparison, no tracked change: inserted text plain, deleted text left out."""
    root = body(write_docx(changed_pack(revisions=None), paginate=False).data)
    assert not list(root.iter(f"{W}ins")) and not list(root.iter(f"{W}del"))
    text = text_of(root)
    assert "warmly " in text and "the two" not in text and "Draft agenda" not in text
    assert "Withdrawn item" not in text


def test_revisions_change_nothing_in_a_document_without_changes() -> None:
    unchanged = accepted(changed_pack())
    compared = replace(unchanged, meta=replace(unchanged.meta, revisions=REVISIONS))
    assert write_docx(compared, paginate=False).data == write_docx(unchanged, paginate=False).data


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime(2024, 12, 3, 14, 5, 9, tzinfo=UTC), "2024-12-03T14:05:09Z"),
        (datetime(2024, 12, 3, 15, 5, 9, 999, tzinfo=timezone(timedelta(hours=1))), DATE),
        (datetime(2024, 12, 3, 14, 5, 9), DATE),  # no zone: taken as UTC
    ],
)
def test_the_revision_date_is_utc_to_the_second(date: datetime, expected: str) -> None:
    assert revision_date(date) == expected


def test_a_docx_with_revisions_is_schema_valid(tmp_path: Path) -> None:
    for document in (changed_pack(), contents_pack()):
        path = tmp_path / "revised.docx"
        path.write_bytes(write_docx(document, paginate=False).data)
        result = OpenXmlValidator(max_errors=20).validate(str(path))
        assert [f"{getattr(e, 'part_uri', '')}: {e.description}" for e in result.errors] == []


# --- LibreOffice accepts and rejects them -------------------------------------------------


@pytest.fixture(scope="module")
def uno() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice is not installed (apt-get install libreoffice-writer-nogui)")
    probe = (
        subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False, env=_system_env()
        )
        if Path(SYSTEM_PYTHON).exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        pytest.skip(f"{SYSTEM_PYTHON} cannot import uno (apt-get install python3-uno)")


def _system_env() -> dict[str, str]:
    """The environment without the venv's Python settings, for the system Python."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
    return {name: value for name, value in os.environ.items() if name not in drop}


def in_libreoffice(
    document: tree.Document, tmp_path: Path, action: str, pdf: Path | None = None
) -> dict[str, Any]:
    """What LibreOffice reads of ``document``'s DOCX after ``action`` (keep, accept,
    reject); with ``pdf``, its fields and indexes updated, then exported there."""
    path = tmp_path / f"{action}-{len(list(tmp_path.iterdir()))}.docx"
    path.write_bytes(write_docx(document, paginate=False).data)
    done = subprocess.run(
        [SYSTEM_PYTHON, str(UNO_SCRIPT), str(path), action, *([str(pdf)] if pdf else [])],
        capture_output=True,
        check=False,
        timeout=240,
        env=_system_env(),
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    read: dict[str, Any] = json.loads(done.stdout)
    return read


def laid_out(document: tree.Document, tmp_path: Path, action: str) -> list[str]:
    """The text of each page of ``document``'s DOCX as LibreOffice lays it out after
    ``action``, its fields (the index's page references) and contents updated, as a reader
    does after accepting or rejecting the changes."""
    pdf = tmp_path / f"{action}-{len(list(tmp_path.iterdir()))}.pdf"
    in_libreoffice(document, tmp_path, action, pdf)
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def test_a_page_break_in_a_compared_document_is_the_next_paragraphs_style() -> None:
    """Not its property: LibreOffice, accepting the removal of the paragraphs before it,
    gives it the first one's page break in place of its own (none: the next plenary
    began on the page of the last statement, every page number after it one off)."""
    blocks: list[tree.Block] = [
        tree.Revised("deleted", (paragraph(T("The last statement.")),)),
        tree.PageBreak(),
        tree.Heading(1, (T("Closing plenary"),), "closing"),
    ]
    for revisions in (REVISIONS, None):
        data = write_docx(decided(meta(revisions=revisions), blocks), paginate=False).data
        (heading,) = [p for p in docx.Document(io.BytesIO(data)).paragraphs if p.text]
        direct = heading.paragraph_format.page_break_before
        if revisions is None:  # Word's own heading style, for tools that read it by name
            assert direct and heading.style.name == "Heading 1"
            continue
        assert not direct and heading.style.paragraph_format.page_break_before
        assert heading.style.base_style.name == "Heading 1"


@pytest.mark.slow
def test_libreoffice_reads_the_revisions(uno: None, tmp_path: Path) -> None:
    read = in_libreoffice(changed_pack(), tmp_path, "keep")
    kinds = Counter(redline["type"] for redline in read["redlines"])
    assert kinds["Insert"] > 5 and kinds["Delete"] > 5
    assert {redline["author"] for redline in read["redlines"]} == {REVISIONS.author}


@pytest.mark.slow
@pytest.mark.parametrize("action", ["accept", "reject"])
def test_accepting_or_rejecting_the_contents_changes_gives_that_contents(
    uno: None, tmp_path: Path, action: str
) -> None:
    changed = contents_pack()
    read = in_libreoffice(changed, tmp_path, action)
    expected = in_libreoffice(
        (accepted if action == "accept" else rejected)(changed), tmp_path, "keep"
    )
    assert read["blocks"] == expected["blocks"]
    assert read["text"] == expected["text"]


@pytest.mark.slow
@pytest.mark.parametrize("action", ["accept", "reject"])
def test_accepting_or_rejecting_every_change_gives_that_edition(
    uno: None, tmp_path: Path, action: str
) -> None:
    changed = changed_pack()
    # the tables in the blocks the changes remove: the deleted table; or the inserted
    # table and key-message box (a table of one cell)
    tables = 1 if action == "accept" else 2
    read = in_libreoffice(changed, tmp_path, action)
    assert read["remaining"] == 0
    expected = in_libreoffice(
        (accepted if action == "accept" else rejected)(changed), tmp_path, "keep"
    )
    assert expected["redlines"] == []
    assert _spacers_dropped(read["blocks"], tables) == expected["blocks"]
    assert _spacers_dropped(read["text"].split("\n"), tables) == expected["text"].split("\n")


def box_with_a_message_added_last(revisions: tree.Revisions | None = REVISIONS) -> tree.Document:
    """A key-message box whose last message the edition added (compose's redline makes
    it an item whose one block is revised)."""
    items = (
        (paragraph(T("First message.")),),
        (paragraph(T("Second message.")),),
        (tree.Revised("inserted", (paragraph(T("Added message.")),)),),
    )
    box = tree.KeyMessages((tree.ListBlock(False, items),))
    blocks = (paragraph(T("Before.")), box, paragraph(T("After.")))
    return decided(meta(revisions=revisions), blocks)


@pytest.mark.slow
@pytest.mark.parametrize(("action", "messages"), [("reject", 2), ("accept", 3)])
def test_a_key_message_added_last_and_rejected_leaves_no_empty_bullet(
    uno: None, tmp_path: Path, action: str, messages: int
) -> None:
    """The paragraph mark the edition added is the one before the message (the break
    that starts it), not the message's own: rejecting joins the message before it to the
    emptied message, whose mark (a bullet) goes, where LibreOffice kept an empty bullet."""
    pdf = tmp_path / f"{action}.pdf"
    read = in_libreoffice(box_with_a_message_added_last(), tmp_path, action, pdf)
    assert read["remaining"] == 0
    (box,) = [block for block in read["blocks"] if isinstance(block, list)]
    lines = [line for line in box[0][0].split("\n") if line]
    assert lines == ["First message.", "Second message.", "Added message."][:messages]
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert text.count("\u2022") == messages


def test_the_mark_before_a_message_added_last_is_the_inserted_one() -> None:
    """In the XML: the second message's paragraph mark is inserted, the added one's not
    (its text is), and without revisions nothing is marked."""
    data = write_docx(box_with_a_message_added_last(), paginate=False).data
    paragraphs = body(data).iter(f"{W}p")
    numbered = [p for p in paragraphs if p.find(f"{W}pPr/{W}numPr") is not None]
    marks = [p.find(f"{W}pPr/{W}rPr/{W}ins") is not None for p in numbered]
    assert [text_of(p) for p in numbered] == ["First message.", "Second message.", "Added message."]
    assert marks == [False, True, False]
    plain = write_docx(box_with_a_message_added_last(None), paginate=False).data
    xml = zipfile.ZipFile(io.BytesIO(plain)).read("word/document.xml").decode()
    assert "<w:ins " not in xml and "Added message." in xml


def _spacers_dropped(blocks: list[Any], tables: int) -> list[Any]:
    """``blocks`` without the empty paragraph LibreOffice 7.4 leaves where a table was
    removed: it never joins the paragraph before a table to what follows, so the space
    above each table of a removed block stays, empty. (Word removes it.)"""
    out = list(blocks)
    for _ in range(tables):
        for index in range(len(out) - 1):
            if out[index] == "" == out[index + 1]:
                del out[index]
                break
    return out


def test_the_fixture_holds_every_kind_of_change() -> None:
    """The pack above changes text and blocks of each kind (so the tests test them)."""
    dump = tree.dump(changed_pack())
    lines = dump.splitlines()
    for block in ("inserted", "deleted"):  # whole blocks, index entries and table rows
        assert any(line.strip() == block for line in lines)
        assert f"({block}) " in dump and f"tr ({block}) " in dump
    assert "{+" in dump and "[-" in dump  # words
    assert zipfile.is_zipfile(io.BytesIO(write_docx(changed_pack(), paginate=False).data))


def contents_pack(revisions: tree.Revisions | None = REVISIONS) -> tree.Document:
    """A contents listing a heading added and one removed (the field ends in the last)."""
    entries = (
        tree.ContentsEntry(1, "Opening", "opening"),
        tree.ContentsEntry(1, "Withdrawn", "withdrawn", change="deleted"),
        tree.ContentsEntry(1, "Agenda", "agenda", change="inserted"),
        tree.ContentsEntry(1, "Closing", "closing"),
    )
    blocks: list[tree.Block] = [
        tree.Heading(1, (T("Opening"),), "opening"),
        tree.Revised("deleted", (tree.Heading(1, (T("Withdrawn"),), "withdrawn"),)),
        tree.Revised("inserted", (tree.Heading(1, (T("Agenda"),), "agenda"),)),
        tree.Heading(1, (T("Closing"),), "closing"),
    ]
    document = decided(meta(revisions=revisions), blocks)  # compose fills a contents itself
    contents = tree.Contents(paragraph(T("Contents")), entries)
    return replace(document, blocks=(contents, *document.blocks))


def test_contents_entries_added_or_removed_are_changed_paragraphs() -> None:
    root = body(write_docx(contents_pack(), paginate=False).data)
    toc = {
        link.get(f"{W}anchor"): link.getparent()
        for link in root.iter(f"{W}hyperlink")
        if link.getparent().find(f"{W}pPr/{W}pStyle") is not None
    }
    assert toc["withdrawn"].find(f"{W}pPr/{W}rPr/{W}del") is not None
    assert toc["agenda"].find(f"{W}pPr/{W}rPr/{W}ins") is not None
    assert toc["opening"].find(f"{W}pPr/{W}rPr") is None
    # the field's marks are never part of a change
    assert not root.findall(f".//{W}ins/{W}r/{W}fldChar[@{W}fldCharType='begin']")
    assert not root.findall(f".//{W}del/{W}r/{W}fldChar")
    plain = body(write_docx(contents_pack(revisions=None), paginate=False).data)
    assert "Withdrawn" not in text_of(plain) and "Agenda" in text_of(plain)
