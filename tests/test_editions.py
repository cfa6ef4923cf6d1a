"""Editions: a pack compared with an earlier one (``build --since OLD``).

Pairs of editions made from one test case by small edits: what the data comparison
finds, the changes section read back from the PDF, DOCX and HTML, the marks in the tree,
the change bars, the ways of naming OLD, and OLD that cannot be used.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from briefgen import tree
from briefgen.cli.main import cli
from briefgen.compose.templating import load_labels
from briefgen.editions.changes import OrganizationName, compare
from briefgen.input.load import load_session
from briefgen.look import default_look
from tests.clients import page_words
from tests.conftest import CASES, ROOT
from tests.test_articles import COSIGNED
from tests.test_docx_revisions import in_libreoffice, laid_out, uno  # noqa: F401 (a fixture)

BASE = CASES / "valid" / "who-said-what.yaml"
DAY = date(2024, 12, 6)

# Each edit of the base case, and the changes it must give (kind, values).
EDITS: dict[str, tuple[list[tuple[str, str]], list[tuple[str, dict[str, str]]]]] = {
    "identical": ([], []),
    "statement added": (
        [
            (
                "      - id: closing-pji\n",
                "      - id: closing-hrw\n        by: hrw\n        title: A late statement\n"
                "      - id: closing-pji\n",
            )
        ],
        [("statement_added", {"statement": "A late statement", "plenary": "Closing plenary"})],
    ),
    "statement removed": (
        [
            (
                "      - id: review-hrw\n        by: hrw\n"
                "        title: Strengthening the review process\n"
                "        summary: The review must stay independent.\n",
                "",
            ),
            ("sources: [review-hrw, closing-pji]", "sources: [closing-pji]"),
        ],
        [
            (
                "statement_removed",
                {"statement": "Strengthening the review process", "plenary": "Review of the Court"},
            ),
            ("key_message_sources", {"number": "1"}),
        ],
    ),
    "statement moved to another segment": (
        [
            (
                "    date: 2024-12-02\n    statements:\n",
                "    date: 2024-12-02\n    segments:\n      - id: panel\n"
                "        title: Panel on the review\n    statements:\n",
            ),
            (
                "      - id: review-joint\n        by: cicc\n",
                "      - id: review-joint\n        by: cicc\n        segment: panel\n",
            ),
        ],
        [
            ("segment_added", {"segment": "Panel on the review", "plenary": "Review of the Court"}),
            (
                "statement_segment",
                {"statement": "Joint statement on cooperation", "plenary": "Review of the Court"},
            ),
        ],
    ),
    "summary reworded, link added": (
        [
            (
                "summary: The review must stay independent.",
                "summary: The review must stay fully independent.\n"
                "        url: https://example.org/hrw",
            )
        ],
        [
            ("statement_summary_changed", {"statement": "Strengthening the review process"}),
            ("statement_link_added", {"statement": "Strengthening the review process"}),
        ],
    ),
    "organisation renamed": (
        [("    name: Human Rights Watch\n", "    name: Human Rights Watch International\n")],
        [
            (
                "organization_renamed",
                {
                    "organization": OrganizationName("Human Rights Watch International", "HRW"),
                    "old": OrganizationName("Human Rights Watch", "HRW"),
                },
            )
        ],
    ),
    "organisation given an article": (
        [("    short_name: CICC\n", "    short_name: CICC\n    article: the\n")],
        [
            (
                "organization_article",
                {
                    "organization": OrganizationName(
                        "Coalition for the International Criminal Court", "CICC"
                    )
                },
            )
        ],
    ),
    "session renamed, venue given": (
        [
            (
                "  name: Test session of the Assembly\n",
                "  name: Resumed test session of the Assembly\n  venue: The Hague\n",
            )
        ],
        [
            (
                "session_renamed",
                {
                    "session": "Resumed test session of the Assembly",
                    "old": "Test session of the Assembly",
                },
            ),
            ("session_venue", {"venue": "The Hague"}),
        ],
    ),
    "session dates": (
        [("  start: 2024-12-02", "  start: 2024-12-01")],
        [("session_dates", {})],
    ),
    "summary and key message wrapped anew (the pack shows them alike)": (
        [
            (
                "summary: The review must stay independent.",
                "summary: |\n          The review must\n          stay independent.",
            ),
            (
                "      - Victims must be heard.",
                "      - |-\n        Victims must\n        be heard.",
            ),
        ],
        [],
    ),
    "summary made bold": (
        [
            (
                "summary: The review must stay independent.",
                "summary: The review must stay **independent**.",
            )
        ],
        [("statement_summary_changed", {"statement": "Strengthening the review process"})],
    ),
    "segment added, pack made a draft": (
        [
            (
                "    date: 2024-12-02\n    statements:\n",
                "    date: 2024-12-02\n    segments:\n      - id: panel\n"
                "        title: Panel on the review\n    statements:\n",
            ),
            ("  publisher: cicc\n", "  publisher: cicc\n  status: draft\n"),
        ],
        [
            ("pack_draft", {}),
            ("segment_added", {"segment": "Panel on the review", "plenary": "Review of the Court"}),
        ],
    ),
    "key message draws on other statements": (
        [("sources: [review-joint]", "sources: [review-joint, review-hrw]")],
        [("key_message_sources", {"number": "2"})],
    ),
    "draft made final, website and hashtags": (
        [
            ("  short_name: TEST\n", "  short_name: TEST\n  url: https://example.org/asp\n"),
            ("  short_name: TEST\n", "  short_name: TEST\n  hashtags: ['#ASP23']\n"),
            ("    short_name: HRW\n", "    short_name: HRW\n    url: https://hrw.example.org\n"),
        ],
        [
            ("session_website", {}),
            ("session_hashtags", {}),
            (
                "organization_website",
                {"organization": OrganizationName("Human Rights Watch", "HRW")},
            ),
        ],
    ),
    "cover retitled, publisher and contact changed": (
        [
            (
                "pack:\n  publisher: cicc\n",
                "pack:\n  title: Monday's pack\n  subtitle: Day one\n  publisher: hrw\n"
                "  contact: press@example.org\n",
            )
        ],
        [("pack_title", {}), ("pack_subtitle", {}), ("pack_publisher", {}), ("pack_contact", {})],
    ),
    "plenary made a general debate": (
        [
            (
                "    title: Review of the Court\n",
                "    title: Review of the Court\n    kind: general-debate\n",
            )
        ],
        [("plenary_kind", {"plenary": "Review of the Court"})],
    ),
    "statement read first in its plenary": (
        [
            (
                "      - id: review-hrw\n        by: hrw\n"
                "        title: Strengthening the review process\n"
                "        summary: The review must stay independent.\n",
                "",
            ),
            (
                "        summary: States must cooperate with the Court.\n",
                "        summary: States must cooperate with the Court.\n"
                "      - id: review-hrw\n        by: hrw\n"
                "        title: Strengthening the review process\n"
                "        summary: The review must stay independent.\n",
            ),
        ],
        [
            (
                "statement_reordered",
                {"statement": "Joint statement on cooperation", "plenary": "Review of the Court"},
            )
        ],
    ),
    "key message added and reworded": (
        [
            ("      - Victims must be heard.", "      - Victims must be heard and protected."),
            (
                "      - Victims must be heard and protected.",
                "      - Victims must be heard and protected.\n      - Fund the Court.",
            ),
        ],
        [
            ("key_message_reworded", {"number": "3"}),
            ("key_message_added", {"number": "4"}),
        ],
    ),
}


def edited(tmp_path: Path, edits: list[tuple[str, str]], name: str = "new.yaml") -> Path:
    text = BASE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def build(*arguments: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", *map(str, arguments)], prog_name="briefgen")
    return result.exit_code, result.stderr


def listed_changes(new: Path, old: Path, out: Path) -> tuple[Path, Any, dict[str, str | None]]:
    """Build ``new`` compared with ``old``: the pack's folder, its HTML page, and the
    changes section's lines (spaces as one) with the anchors they link to."""
    code, err = build(new, "--since", old, "--output-dir", out)
    assert code == 0, err
    folder = out / "who-said-what"
    page = lxml.html.fromstring((folder / "who-said-what-briefing-pack.html").read_bytes())
    listed = {
        " ".join(a.text_content().split()): a.get("href")
        for a in page.xpath('//*[@id="changes"]/following::ul[1]//a')
    }
    return folder, page, listed


def counted(folder: Path) -> dict[str, int]:
    """The changes the pack's manifest counts, by kind."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    changes: dict[str, int] = manifest["edition"]["changes"]
    return changes


@pytest.mark.parametrize("case", list(EDITS))
def test_the_data_comparison_names_each_change(case: str, tmp_path: Path) -> None:
    edits, expected = EDITS[case]
    old, new = load_session(BASE).session, load_session(edited(tmp_path, edits)).session
    changes = compare(old, new, DAY, DAY)
    assert [c.kind for c in changes.items] == [kind for kind, _ in expected]
    for change, (_, values) in zip(changes.items, expected, strict=True):
        assert {name: change.values[name] for name in values} == values
    assert bool(changes) == bool(expected)


def test_segments_renamed_and_removed_and_a_draft_made_final_are_listed(tmp_path: Path) -> None:
    """Against an edition (a draft) whose first plenary had two segments: one retitled,
    one gone. The changes section says so in the PDF, linked to the plenary."""
    segments = (
        "    date: 2024-12-02\n    segments:\n      - id: panel\n        title: {}\n"
        "      - id: side\n        title: Side event\n    statements:\n"
    )
    plenary = "    date: 2024-12-02\n    statements:\n"
    old = edited(
        tmp_path,
        [
            (plenary, segments.format("Panel")),
            ("publisher: cicc\n", "publisher: cicc\n  status: draft\n"),
        ],
        "old.yaml",
    )
    new = edited(
        tmp_path,
        [
            (
                plenary,
                segments.format("Panel on the review").replace(
                    "      - id: side\n        title: Side event\n", ""
                ),
            )
        ],
    )
    changes = compare(load_session(old).session, load_session(new).session, DAY, DAY)
    assert [(c.kind, dict(c.values)) for c in changes.items] == [
        ("pack_final", {}),
        (
            "segment_renamed",
            {"plenary": "Review of the Court", "segment": "Panel on the review", "old": "Panel"},
        ),
        ("segment_removed", {"plenary": "Review of the Court", "segment": "Side event"}),
    ]
    assert {c.anchor for c in changes.items[1:]} == {"plenary-review"}
    code, err = build(new, "--since", old, "--output-dir", tmp_path / "out")
    assert code == 0, err
    pdf = tmp_path / "out" / "who-said-what" / "who-said-what-briefing-pack.pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "The pack is final (it was a draft)" in text
    assert "Segment of Review of the Court renamed: Panel is now Panel on the review" in text
    assert "Segment removed from Review of the Court: Side event" in text


def test_a_segment_given_another_format_is_a_listed_change(tmp_path: Path) -> None:
    """The pack shows a segment's format under its title: a new format is marked there,
    so the changes section lists it and the manifest counts it (it listed nothing)."""
    segments = (
        "    date: 2024-12-02\n    segments:\n      - id: panel\n        title: Panel\n"
        "        format: {}\n    statements:\n      - id: review-hrw\n        segment: panel\n"
    )
    plenary = "    date: 2024-12-02\n    statements:\n      - id: review-hrw\n"
    old = edited(tmp_path, [(plenary, segments.format("panel discussion"))], "old.yaml")
    new = edited(tmp_path, [(plenary, segments.format("roundtable"))])
    folder, page, listed = listed_changes(new, old, tmp_path / "out")
    line = "Format of a segment of Review of the Court changed: Panel"
    assert listed == {line: "#plenary-review"}
    assert page.xpath('//ins[contains(., "roundtable")]')
    pdf = PdfReader(folder / "who-said-what-briefing-pack.pdf")
    assert line in " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert counted(folder) == {"segment_format": 1}


def test_what_changed_on_the_cover_is_a_listed_change(tmp_path: Path) -> None:
    """A new title, subtitle, publisher or contact is marked on the cover: the changes
    section lists each, and the manifest counts them (it listed nothing)."""
    new = edited(tmp_path, EDITS["cover retitled, publisher and contact changed"][0])
    code, err = build(new, "--since", BASE, "--output-dir", tmp_path / "out")
    assert code == 0, err
    folder = tmp_path / "out" / "who-said-what"
    pdf = PdfReader(folder / "who-said-what-briefing-pack.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    for line in ("title", "subtitle", "publisher", "contact details"):
        assert f"The pack's {line} changed" in text
    page = lxml.html.fromstring((folder / "who-said-what-briefing-pack.html").read_bytes())
    assert page.xpath('//ins[contains(., "press@example.org")]')
    assert counted(folder) == {
        "pack_contact": 1,
        "pack_publisher": 1,
        "pack_subtitle": 1,
        "pack_title": 1,
    }


def test_an_organisation_given_an_article_is_a_listed_change(tmp_path: Path) -> None:
    """ "on behalf of the Coalition", marked in the pack, is listed and counted too (it
    was neither)."""
    new = edited(tmp_path, EDITS["organisation given an article"][0])
    folder, page, listed = listed_changes(new, BASE, tmp_path / "out")
    line = "Article before the name changed: Coalition for the International Criminal Court (CICC)"
    assert listed == {line: "#annex-organizations"}
    assert counted(folder) == {"organization_article": 1}
    credit = page.xpath('//p[contains(., "on behalf of")]')[0]
    assert [" ".join(ins.text_content().split()) for ins in credit.iter("ins")] == ["the"]


def test_an_article_written_with_another_apostrophe_is_no_change(tmp_path: Path) -> None:
    """l' and l’ print the same (« l’Œuvre »); another article is a change, in French."""
    source = COSIGNED
    text = source.read_text(encoding="utf-8")
    for article, changed in (("l’", False), ("le", True)):
        path = tmp_path / f"{article}.yaml"
        path.write_text(text.replace("    article: l'\n", f"    article: {article}\n"), "utf-8")
        changes = compare(load_session(source).session, load_session(path).session, DAY, DAY)
        assert [c.kind for c in changes.items] == (["organization_article"] if changed else [])
    labels = load_labels(None, "fr")
    assert labels["change_organization_article"].startswith("Article devant le nom modifié\u00a0: ")


def test_a_plenary_of_another_type_is_a_listed_change(tmp_path: Path) -> None:
    """The programme shows each plenary's type: one changed is marked there, so the
    changes section lists it, linked to the plenary (it listed nothing)."""
    new = edited(tmp_path, EDITS["plenary made a general debate"][0])
    folder, _, listed = listed_changes(new, BASE, tmp_path / "out")
    assert listed == {"Type of Review of the Court changed": "#plenary-review"}
    assert counted(folder) == {"plenary_kind": 1}


def test_a_statement_read_elsewhere_in_its_plenary_is_a_listed_change(tmp_path: Path) -> None:
    """Statements put in the order they were read: the pack marks the one moved, removed
    where it was and added where it is, so the changes section lists it, linked to it,
    and the manifest counts it (it listed nothing)."""
    new = edited(tmp_path, EDITS["statement read first in its plenary"][0])
    folder, page, listed = listed_changes(new, BASE, tmp_path / "out")
    line = "Statement moved within Review of the Court: Joint statement on cooperation"
    assert listed == {line: "#statement-review-joint"}
    assert page.xpath('//ins//*[@id="statement-review-joint"]')
    assert counted(folder) == {"statement_reordered": 1}


def test_a_plenary_moved_to_another_day_moves_none_of_its_statements(tmp_path: Path) -> None:
    """Read after the closing plenary now, its statements keep their order among theirs."""
    new = edited(tmp_path, [("    date: 2024-12-02\n", "    date: 2024-12-06\n")])
    old, now = load_session(BASE).session, load_session(new).session
    assert [c.kind for c in compare(old, now, DAY, DAY).items] == ["plenary_date"]


def test_a_cover_line_added_or_removed_is_tracked_with_its_paragraph(tmp_path: Path) -> None:
    """A subtitle and a contact line given, a subtitle taken away: each paragraph is a
    tracked insertion or deletion whole, its mark too, so rejecting (or accepting) every
    change leaves no line of the other edition, nor an empty one where it stood (the
    subtitle was not tracked at all, and the lines' paragraph marks were not)."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    given = ("pack:\n  publisher: cicc\n", "pack:\n  subtitle: Day one\n  publisher: cicc\n")
    contact = ("  publisher: cicc\n", "  publisher: cicc\n  contact: press@example.org\n")
    old = edited(tmp_path, [], "old.yaml")
    for name, (earlier, later, marked) in {
        "given": (old, edited(tmp_path, [given, contact]), "ins"),
        "taken": (edited(tmp_path, [given, contact], "taken.yaml"), old, "del"),
    }.items():
        code, err = build(later, "--since", earlier, "--output-dir", tmp_path / name)
        assert code == 0, err
        path = tmp_path / name / "who-said-what" / "who-said-what-briefing-pack.docx"
        paragraphs = {
            "".join(t.text or "" for t in p.iter(f"{w}t", f"{w}delText")): p
            for p in docx.Document(str(path)).element.body.iter(f"{w}p")
        }
        for line in ("Day one", "Contact: press@example.org"):
            assert paragraphs[line].find(f"{w}pPr/{w}rPr/{w}{marked}") is not None, (name, line)
            runs = list(paragraphs[line].iter(f"{w}r"))
            assert runs and all(r.getparent().tag == f"{w}{marked}" for r in runs), (name, line)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_a_cover_line_removed_leaves_no_gap_on_the_pdfs_cover(tmp_path: Path) -> None:
    """The PDF shows this edition: its cover is drawn as the pack's built alone (a
    removed subtitle or venue kept its room, an empty line)."""
    earlier = edited(
        tmp_path,
        [
            ("pack:\n  publisher: cicc\n", "pack:\n  subtitle: Day one\n  publisher: cicc\n"),
            ("  short_name: TEST\n", "  short_name: TEST\n  venue: World Forum\n"),
        ],
        "old.yaml",
    )
    covers = []
    for name, since in (("alone", ()), ("compared", ("--since", earlier))):
        code, err = build(BASE, *since, "--output-dir", tmp_path / name)
        assert code == 0, err
        pdf = tmp_path / name / "who-said-what" / "who-said-what-briefing-pack.pdf"
        image = tmp_path / f"{name}.png"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "40",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                pdf,
                image.with_suffix(""),
            ],
            check=True,
        )
        covers.append(image.read_bytes())
    assert covers[0] == covers[1]


def test_the_changes_section_lists_each_change_with_a_link(tmp_path: Path) -> None:
    new = edited(tmp_path, EDITS["statement added"][0] + EDITS["organisation renamed"][0])
    code, err = build(new, "--since", BASE, "--output-dir", tmp_path / "out")
    assert code == 0, err
    folder = tmp_path / "out" / "who-said-what"
    reader = PdfReader(folder / "who-said-what-briefing-pack.pdf")
    pages = [page.extract_text() for page in reader.pages]
    (changes_page,) = [n for n, text in enumerate(pages, 1) if "Compared with the edition" in text]
    text = pages[changes_page - 1]
    assert "Statement added to Closing plenary: A late statement" in text
    assert "Organisation renamed: Human Rights Watch (HRW) is now" in text
    links = [
        annotation.get_object()
        for annotation in reader.pages[changes_page - 1].get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    targets = {
        str(a["/Contents"]): reader.get_page_number(a["/Dest"][0].get_object()) + 1 for a in links
    }
    added = targets["Statement added to Closing plenary: A late statement"]
    assert "A late statement" in pages[added - 1].splitlines()
    document = docx.Document(str(folder / "who-said-what-briefing-pack.docx"))
    # the section is new in this edition: a tracked insertion, whose runs python-docx's
    # Paragraph.text leaves out (it reads only the paragraph's own runs and links)
    w_t = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    paragraphs = ["".join(t.text or "" for t in p._p.iter(w_t)) for p in document.paragraphs]
    assert "Changes in this edition" in paragraphs
    html = (folder / "who-said-what-briefing-pack.html").read_text(encoding="utf-8")
    assert 'id="changes"' in html and 'href="#statement-closing-hrw"' in html


def test_a_statement_moved_to_another_segment_is_a_listed_change(tmp_path: Path) -> None:
    """The pack shows the statement under another segment's heading: the changes section
    says so, linked to it (it said nothing, and the manifest counted no change)."""
    new = edited(tmp_path, EDITS["statement moved to another segment"][0])
    folder, _, listed = listed_changes(new, BASE, tmp_path / "out")
    line = (
        "Statement moved to another segment of Review of the Court: Joint statement on cooperation"
    )
    assert listed == {
        "Segment added to Review of the Court: Panel on the review": "#plenary-review",
        line: "#statement-review-joint",
    }
    text = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(folder / "who-said-what-briefing-pack.pdf").pages
    )
    assert line in text
    assert counted(folder) == {"segment_added": 1, "statement_segment": 1}


def test_an_identical_edition_gives_no_changes_section(tmp_path: Path) -> None:
    code, err = build(BASE, "--since", BASE, "--output-dir", tmp_path / "out")
    assert code == 0, err
    folder = tmp_path / "out" / "who-said-what"
    text = "".join(
        p.extract_text() for p in PdfReader(folder / "who-said-what-briefing-pack.pdf").pages
    )
    assert "Changes in this edition" not in text
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"] == {"compared_with": str(BASE), "date": "2024-12-06", "changes": {}}


def test_the_tree_marks_changed_words_and_blocks(tmp_path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    edits = EDITS["summary reworded, link added"][0] + EDITS["statement added"][0]
    new = edited(tmp_path, [*edits, ("      - Victims must be heard.\n", "")])
    from briefgen.editions.edition import Comparison, compose_compared

    loaded = load_session(new)
    document, _ = compose_compared(loaded, Comparison(load_session(BASE), "old"), None)
    assert document.meta.revisions == tree.Revisions(
        "Coalition for the International Criminal Court", document.meta.created
    )
    golden("editions.tree.txt", tree.dump(document))


def test_the_manifest_records_the_earlier_edition(tmp_path: Path) -> None:
    new = edited(tmp_path, EDITS["key message added and reworded"][0])
    out = tmp_path / "out"
    assert build(new, "--since", BASE, "--output-dir", out)[0] == 0
    manifest = json.loads((out / "who-said-what" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"]["changes"] == {"key_message_added": 1, "key_message_reworded": 1}
    assert manifest["sources"]["compared_with"]
    # The same build again is up to date; without --since it is another pack: rebuilt.
    written = (out / "who-said-what" / "manifest.json").stat().st_mtime_ns
    assert build(new, "--since", BASE, "--output-dir", out)[0] == 0
    assert (out / "who-said-what" / "manifest.json").stat().st_mtime_ns == written
    assert build(new, "--output-dir", out)[0] == 0
    manifest = json.loads((out / "who-said-what" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"] is None and manifest["sources"]["compared_with"] == ""


def test_the_html_marks_insertions_and_deletions(tmp_path: Path) -> None:
    new = edited(tmp_path, EDITS["summary reworded, link added"][0])
    assert build(new, "--since", BASE, "--output-dir", tmp_path / "out", "--format", "html")[0] == 0
    html = next((tmp_path / "out").rglob("*.html")).read_text(encoding="utf-8")
    assert "<ins>fully </ins>" in html or "<ins>fully</ins>" in html


def test_a_heading_the_edition_removed_keeps_its_id_in_the_html(tmp_path: Path) -> None:
    """The removed statement's heading stands struck out with its own anchor, which the
    index's struck line reaches (as the DOCX's does once the changes are rejected); never
    ``id=""``, which is invalid HTML (vnu: "An ID must not be the empty string")."""
    new = edited(tmp_path, EDITS["statement removed"][0])
    assert build(new, "--since", BASE, "--output-dir", tmp_path / "out", "--format", "html")[0] == 0
    page = lxml.html.fromstring(next((tmp_path / "out").rglob("*.html")).read_bytes())
    (removed,) = [
        h for h in page.iter("h2", "h3") if h.text_content() == "Strengthening the review process"
    ]
    assert removed.getparent().tag == "del" and removed.get("id") == "statement-review-hrw"
    (line,) = page.xpath('//*[@id="annex-index"]/following::a[@href="#statement-review-hrw"]')
    assert line.xpath("ancestor::del")
    ids = [e.get("id") for e in page.iter() if e.get("id") is not None]
    assert "" not in ids and len(ids) == len(set(ids))


def test_a_change_marks_whole_words_never_part_of_a_cluster(tmp_path: Path) -> None:
    """A vowel sign, a haraka, an emoji of a family, a flag's second letter or a skin
    tone changed: the whole word or emoji is deleted and inserted, in the HTML and the
    DOCX, never a mark apart from the letter it sits on."""
    summary = "summary: The review must stay independent."
    was = 'summary: "नमस्ते दुनिया. كَتَبَ الولدُ. 👨‍👩‍👧 🇫🇷 👍🏽 ok."'
    now = 'summary: "नमस्कार दुनिया. كَتْبَ الولدِ. 👨‍👩‍👦 🇫🇮 👍🏿 ok."'
    old = edited(tmp_path, [(summary, was)], "old.yaml")
    new = edited(tmp_path, [(summary, now)])
    out = tmp_path / "out"
    code, err = build(new, "--since", old, "--output-dir", out, "--format", "html,docx")
    assert code == 0, err
    html = next(out.rglob("*.html")).read_text(encoding="utf-8")
    pairs = [
        ("नमस्ते", "नमस्कार"),
        ("كَتَبَ", "كَتْبَ"),
        ("الولدُ", "الولدِ"),
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👦"),
        ("🇫🇷", "🇫🇮"),
        ("👍🏽", "👍🏿"),
    ]
    for before, after in pairs:
        assert f"<del>{before}</del><ins>{after}</ins>" in html
    document = docx.Document(str(next(out.rglob("*.docx"))))
    body = document.element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    deleted = {t.text for t in body.iter(f"{w}delText")}
    inserted = {t.text for d in body.iter(f"{w}ins") for t in d.iter(f"{w}t")}
    assert {before for before, _ in pairs} <= deleted
    assert {after for _, after in pairs} <= inserted


def test_a_long_paragraph_is_compared_in_seconds_word_by_word(tmp_path: Path) -> None:
    """A full text of 8,000 words in one paragraph, 3% of its words changed: compared in
    seconds (it took many minutes), each changed word marked, and the marks give back
    either edition."""
    chance = random.Random(7)
    vocabulary = [f"word{n}" for n in range(2000)]
    weights = [1 / (n + 1) for n in range(2000)]  # common words and rare ones, as in prose
    was = chance.choices(vocabulary, weights, k=8000)
    now = [w if chance.random() > 0.03 else chance.choice(vocabulary) for w in was]
    summary = "        summary: The review must stay independent.\n"
    old, new = (
        edited(tmp_path, [(summary, f"{summary}        text: {' '.join(words)}\n")], name)
        for words, name in ((was, "old.yaml"), (now, "new.yaml"))
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "briefgen", "build", str(new), "--since", str(old)]
    command += ["--output-dir", str(out), "--format", "html", "-q"]
    subprocess.run(command, check=True, timeout=90)
    page = lxml.html.fromstring(next(out.rglob("*.html")).read_bytes())
    (paragraph,) = [p for p in page.iter("p") if "word0" in p.text_content()]
    changed = sum(1 for a, b in zip(was, now, strict=True) if a != b)
    assert changed - 5 <= len(paragraph.findall(".//ins")) <= changed
    for dropped, words in (("del", now), ("ins", was)):
        kept = lxml.html.fromstring(lxml.html.tostring(paragraph))
        for mark in kept.findall(f".//{dropped}"):
            mark.drop_tree()
        assert kept.text_content().split() == words


def test_a_pack_of_thousands_of_statements_each_reworded_is_compared_in_seconds(
    tmp_path: Path,
) -> None:
    """2,000 statements with the same byline, each summary reworded: every block differs
    from the last edition's but its heading (it took minutes)."""

    def session(verb: str, name: str) -> Path:
        statements = "".join(
            f"      - id: s{n}\n        by: hrw\n        title: Statement {n}\n"
            f"        summary: States {verb} cooperate in case {n}.\n"
            for n in range(2000)
        )
        return edited(tmp_path, [("    statements:\n", f"    statements:\n{statements}")], name)

    old, new = session("must", "old.yaml"), session("shall", "new.yaml")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "briefgen", "build", str(new), "--since", str(old)]
    command += ["--output-dir", str(out), "--format", "html", "-q"]
    subprocess.run(command, check=True, timeout=60)
    html = next(out.rglob("*.html")).read_text(encoding="utf-8")
    body = html[html.index("</nav>") :]  # after the contents, which marks its new line
    assert body.count("<del>must</del><ins>shall</ins>") == 2000
    assert body.count("<ins>") == 2000 and body.count("<del>") == 2000


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_the_pdf_has_a_change_bar_beside_what_changed_only(tmp_path: Path) -> None:
    new = edited(tmp_path, EDITS["statement added"][0])
    assert build(new, "--since", BASE, "--output-dir", tmp_path / "out", "--format", "pdf")[0] == 0
    pdf = next((tmp_path / "out").rglob("*.pdf"))
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    changed = next(n for n, text in enumerate(pages, 1) if "A late statement" in text.splitlines())
    unchanged = next(
        n
        for n, text in enumerate(pages, 1)
        if "Strengthening the review process" in text.splitlines()
    )
    margin = default_look().page.margins.left  # points: one pixel each at 72 dpi
    assert bar_pixels(pdf, changed, margin, tmp_path) > 10
    assert bar_pixels(pdf, unchanged, margin, tmp_path) == 0


def test_a_changed_key_message_keeps_its_space_before_its_sources(tmp_path: Path) -> None:
    """A reworded key message has a change bar, and keeps the space between it and the
    line of statements it draws on, as an unchanged one does (and as the DOCX and the
    HTML keep it): the bar once hid the paragraph's space from its list item."""
    reworded = [("Court must stay independent.", "Court must stay fully independent.")]
    new = edited(tmp_path, reworded)
    assert build(new, "--since", BASE, "--output-dir", tmp_path / "out", "--format", "pdf")[0] == 0
    pdf = next((tmp_path / "out").rglob("*.pdf"))
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    glance = next(n for n, text in enumerate(pages, 1) if "fully" in text and "Draws on:" in text)
    tops: dict[str, list[float]] = {}
    for text, _, top, _, _ in page_words(pdf, glance):
        tops.setdefault(text, []).append(top)
    changed, unchanged = tops["fully"][0], tops["Cooperation:"][0]
    sources = sorted(tops["Draws"])
    assert sources[0] - changed == pytest.approx(sources[1] - unchanged, abs=0.5)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_no_change_bar_stands_beside_the_empty_rest_of_a_page(tmp_path: Path) -> None:
    """The changes section is new in the edition and starts on a page of its own: the page
    break before it draws nothing, so the contents page before it has no bar."""
    new = edited(tmp_path, EDITS["statement added"][0])
    assert build(new, "--since", BASE, "--output-dir", tmp_path / "out", "--format", "pdf")[0] == 0
    pdf = next((tmp_path / "out").rglob("*.pdf"))
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    contents = next(n for n, text in enumerate(pages, 1) if "Contents" in text.splitlines())
    changes = next(n for n, text in enumerate(pages, 1) if "Compared with the edition" in text)
    assert changes == contents + 1
    margin = default_look().page.margins.left
    # on the contents page, a bar beside the line the edition added, and none below it
    barred = bar_rows(pdf, contents, margin, tmp_path)
    line = word_rows(pdf, contents, "Changes")  # its letters; the bar spans its leading
    assert barred and min(line) - 8 <= min(barred) and max(barred) <= max(line) + 8
    assert bar_pixels(pdf, changes, margin, tmp_path) > 10


def bar_pixels(pdf: Path, page: int, margin: float, work: Path) -> int:
    """Dark pixels in the column of the margin where a change bar stands."""
    return len(_bar_column(pdf, page, margin, work))


def bar_rows(pdf: Path, page: int, margin: float, work: Path) -> list[int]:
    """The rows of pixels (from the page's top, one a point) where a change bar stands."""
    return sorted({y for _, y in _bar_column(pdf, page, margin, work)})


def word_rows(pdf: Path, page: int, word: str) -> set[int]:
    """The rows of pixels (one a point, from the top) of the lines where ``word`` is
    written on ``page``, as poppler reads them."""
    rows = {
        y
        for text, _, top, _, bottom in page_words(pdf, page)
        if text == word
        for y in range(int(top), int(bottom))
    }
    assert rows, f"{word!r} is not on page {page}"
    return rows


def _bar_column(pdf: Path, page: int, margin: float, work: Path) -> list[tuple[int, int]]:
    """The dark pixels of page ``page`` at 72 dpi in the margin's column of change bars."""
    prefix = work / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "72", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
        check=True,
    )
    (image_path,) = work.glob(f"page{page}*.png")
    image = Image.open(image_path).convert("L")
    column = range(int(margin) - 11, int(margin) - 5)
    return [(x, y) for x in column for y in range(image.height) if image.getpixel((x, y)) < 160]


def test_since_names_a_pack_folder_or_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(BASE, "--output-dir", out)[0] == 0
    assert (out / "who-said-what" / "who-said-what-data.yaml").is_file()
    new = edited(tmp_path, EDITS["statement added"][0])
    for since in (out / "who-said-what", out):
        code, err = build(new, "--since", since, "--output-dir", tmp_path / "next", "--force")
        assert code == 0, err
        manifest = json.loads(
            (tmp_path / "next" / "who-said-what" / "manifest.json").read_text(encoding="utf-8")
        )
        assert manifest["edition"]["changes"] == {"statement_added": 1}


def test_building_again_against_its_own_pack_folder_keeps_the_comparison(
    tmp_path: Path,
) -> None:
    """``--since output/<id>`` run twice (or for a whole folder of sessions, only one of
    them edited): the pack is still compared with the edition before it, not with the
    data it was itself built from, and so keeps its marks."""
    out = tmp_path / "out"
    folder = out / "who-said-what"
    assert build(BASE, "--output-dir", out, "--format", "html")[0] == 0
    new = edited(tmp_path, EDITS["summary reworded, link added"][0])
    for again in ("", "--force"):
        arguments = [new, "--since", folder, "--output-dir", out, "--format", "html"]
        code, err = build(*arguments, *([again] if again else []))
        assert code == 0, err
        html = (folder / "who-said-what-briefing-pack.html").read_text(encoding="utf-8")
        assert "<ins>fully </ins>" in html or "<ins>fully</ins>" in html
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["edition"]["changes"] == {
            "statement_link_added": 1,
            "statement_summary_changed": 1,
        }
    assert (folder / "who-said-what-earlier-data.yaml").read_bytes() == BASE.read_bytes()
    # the same command once more finds the pack up to date
    arguments = ["build", str(new), "--since", str(folder), "--output-dir", str(out)]
    result = CliRunner().invoke(cli, [*arguments, "--format", "html"])
    assert result.exit_code == 0 and result.stdout.strip() == f"{folder}: up to date"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_since_names_a_git_revision(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    (repository / "inputs").mkdir(parents=True)
    data = repository / "inputs" / "session.yaml"
    shutil.copyfile(BASE, data)

    def git(*arguments: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *arguments],
            cwd=repository,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first edition")
    edits = EDITS["statement added"][0]
    data.write_text(edited(tmp_path, edits).read_text(encoding="utf-8"), encoding="utf-8")
    code, err = build(data, "--since", "HEAD", "--output-dir", tmp_path / "out")
    assert code == 0, err
    manifest = json.loads((tmp_path / "out" / "who-said-what" / "manifest.json").read_text())
    assert manifest["edition"] == {
        "compared_with": "HEAD",
        "date": "2024-12-06",
        "changes": {"statement_added": 1},
    }
    # A session new since the revision has no earlier edition: built without comparison.
    fresh = repository / "inputs" / "fresh.yaml"
    fresh.write_text(BASE.read_text(encoding="utf-8").replace("id: who-said-what", "id: fresh"))
    code, err = build(fresh, "--since", "HEAD", "--output-dir", tmp_path / "out")
    assert code == 0, err
    manifest = json.loads((tmp_path / "out" / "fresh" / "manifest.json").read_text())
    assert manifest["edition"] is None
    # A revision that does not exist is an error naming it.
    code, err = build(data, "--since", "no-such-revision", "--output-dir", tmp_path / "out")
    assert code == 1 and "no-such-revision" in err and "Traceback" not in err


def test_an_earlier_edition_whose_logo_was_renamed_since_is_compared(tmp_path: Path) -> None:
    """The logo of the earlier edition is gone (renamed with the input's ``pack.logo`` in
    the same commit): the earlier edition is compared, not drawn, so the build goes on."""
    shutil.copyfile(CASES / "valid" / "logo.png", tmp_path / "logo.png")
    with_logo = [("  publisher: cicc\n", "  publisher: cicc\n  logo: logo.png\n")]
    first = edited(tmp_path, with_logo, "session.yaml")
    out = tmp_path / "out"
    assert build(first, "--output-dir", out, "--format", "html")[0] == 0
    (tmp_path / "logo.png").rename(tmp_path / "brand.png")
    text = first.read_text(encoding="utf-8").replace("logo: logo.png", "logo: brand.png")
    for before, after in EDITS["statement added"][0]:
        text = text.replace(before, after, 1)
    first.write_text(text, encoding="utf-8")
    code, err = build(first, "--since", out / "who-said-what", "--output-dir", out)
    assert code == 0, err
    manifest = json.loads((out / "who-said-what" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["edition"]["changes"] == {"statement_added": 1}
    html = (out / "who-said-what" / "who-said-what-briefing-pack.html").read_text(encoding="utf-8")
    assert "A late statement" in html and "<img" in html


def test_an_invalid_earlier_edition_is_an_error_at_its_place_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    old = edited(tmp_path, [("        by: hrw\n", "        by: hrw2\n")], "old.yaml")
    out = tmp_path / "out"
    code, err = build(BASE, "--since", old, "--output-dir", out)
    assert code == 1
    assert f"{old}:" in err and "unknown organization 'hrw2'" in err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.rglob("*.pdf"))


def test_an_earlier_edition_in_another_language_is_not_compared(tmp_path: Path) -> None:
    """Every heading, label and date would be a change, and the changes section would not
    say why: the pack is built as it is, with a warning at its language."""
    french = [("  publisher: cicc\n", "  publisher: cicc\n  language: fr\n")]
    new = edited(tmp_path, [*french, *EDITS["statement added"][0]])
    out = tmp_path / "out"
    code, err = build(new, "--since", BASE, "--output-dir", out, "--format", "html")
    assert code == 0, err
    assert (
        f"{new}:4:13: warning: pack.language: the earlier edition ({BASE}) is in 'en', this one"
        " in 'fr': the pack is built without a comparison"
    ) in err
    html = next(out.rglob("*.html")).read_text(encoding="utf-8")
    assert "A late statement" in html and "<ins>" not in html and "<del>" not in html
    manifest = json.loads(next(out.rglob("manifest.json")).read_text(encoding="utf-8"))
    assert manifest["edition"] is None
    code, err = build(new, "--since", BASE, "--output-dir", tmp_path / "strict", "--strict")
    assert code == 1 and "error: pack.language: the earlier edition" in err


def test_another_sessions_edition_is_refused(tmp_path: Path) -> None:
    other = edited(tmp_path, [("  id: who-said-what\n", "  id: another\n")], "other.yaml")
    code, err = build(BASE, "--since", other, "--output-dir", tmp_path / "out")
    assert code == 1
    assert f"{other}:6:7: error: session.id: is the session 'another'" in err


@pytest.mark.slow
@pytest.mark.usefixtures("uno")
@pytest.mark.parametrize("action", ["accept", "reject"])
def test_accepting_or_rejecting_every_tracked_change_gives_that_edition(
    tmp_path: Path, action: str
) -> None:
    """A real pair of packs through LibreOffice: accepting every change of the compared
    DOCX gives the new edition (with its changes section), rejecting them the old one."""
    from briefgen.compose.pack import compose_pack
    from briefgen.editions.edition import Comparison, compose_compared

    edits = [
        *EDITS["summary reworded, link added"][0],
        *EDITS["statement added"][0],
        *EDITS["organisation renamed"][0],
        ("      - Victims must be heard.\n", ""),
    ]
    loaded, previous = load_session(edited(tmp_path, edits)), load_session(BASE)
    compared, changes = compose_compared(loaded, Comparison(previous, "old"), None)
    edition = compose_pack(loaded, None, changes) if action == "accept" else compose_pack(previous)
    read = in_libreoffice(compared, tmp_path, action)
    expected = in_libreoffice(edition, tmp_path, "keep")
    assert read["redlines"] and read["remaining"] == 0
    assert read["blocks"] == expected["blocks"]


def test_a_statement_read_elsewhere_has_two_headings_each_with_its_anchor(
    tmp_path: Path,
) -> None:
    """Its earlier copy (removed) is ``earlier.<anchor>``; the index lines both editions
    have that reach it are two: the earlier one (removed) reaching that copy, this one
    (added) reaching the new heading; so each edition's lines reach its own heading."""
    from briefgen.editions.edition import Comparison, compose_compared

    edits = EDITS["statement read first in its plenary"][0]
    loaded, previous = load_session(edited(tmp_path, edits)), load_session(BASE)
    compared, _ = compose_compared(loaded, Comparison(previous, "old"), None)
    anchor = "statement-review-joint"
    revised = [b for b in compared.blocks if isinstance(b, tree.Revised)]
    headings = {
        (r.change, h.anchor) for r in revised for h in r.blocks if isinstance(h, tree.Heading)
    }
    assert {("inserted", anchor), ("deleted", f"earlier.{anchor}")} <= headings
    (index,) = [b for b in compared.blocks if isinstance(b, tree.Index)]
    lines = [(e.change, e.anchor) for g in index.groups for e in g.entries if anchor in e.anchor]
    assert lines == [("deleted", f"earlier.{anchor}"), ("inserted", anchor)] * 3  # 3 names


@pytest.mark.slow
@pytest.mark.usefixtures("uno")
@pytest.mark.parametrize("action", ["accept", "reject"])
@pytest.mark.parametrize(
    "case",
    [
        "statement moved to another segment",
        "statement removed",
        "cover retitled, publisher and contact changed",
    ],
)
def test_accepted_or_rejected_the_docx_is_that_edition_page_for_page(
    tmp_path: Path, case: str, action: str
) -> None:
    """Accepting (rejecting) every change, then updating the fields, leaves the new (old)
    pack as LibreOffice lays it out, page for page, the index's numbers included. Before,
    a rejected statement moved had "Error: Reference source not found" in the index (its
    bookmark was on the added copy only), a rejected statement removed no number, and
    the accepted move left the next plenary on the page before (a page off after it),
    and the running header kept the new title once the changes were rejected."""
    from briefgen.compose.pack import compose_pack
    from briefgen.editions.edition import Comparison, compose_compared

    loaded, previous = load_session(edited(tmp_path, EDITS[case][0])), load_session(BASE)
    compared, changes = compose_compared(loaded, Comparison(previous, "old"), None)
    edition = compose_pack(loaded, None, changes) if action == "accept" else compose_pack(previous)
    pages = laid_out(compared, tmp_path, action)
    assert not any("Error" in page for page in pages)
    assert pages == laid_out(edition, tmp_path, "keep")


def test_a_retitled_packs_running_header_is_a_tracked_change(tmp_path: Path) -> None:
    """The header's words are changes too, their ids going on from the body's."""
    from openxml_audit import OpenXmlValidator

    from briefgen.editions.edition import Comparison, compose_compared
    from briefgen.writers.docx.writer import write_docx

    edits = EDITS["cover retitled, publisher and contact changed"][0]
    loaded, previous = load_session(edited(tmp_path, edits)), load_session(BASE)
    compared, _ = compose_compared(loaded, Comparison(previous, "old"), None)
    path = tmp_path / "compared.docx"
    path.write_bytes(write_docx(compared, paginate=False).data)
    assert [e.description for e in OpenXmlValidator(max_errors=5).validate(str(path)).errors] == []
    document = docx.Document(str(path))
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    header = document.sections[0].header._element
    runs = [
        (t.getparent().getparent().tag, t.text or "") for t in header.iter(f"{W}t", f"{W}delText")
    ]
    accepted = "".join(text for parent, text in runs if parent != f"{W}del")
    rejected = "".join(text for parent, text in runs if parent != f"{W}ins")
    assert (accepted, rejected) == ("Monday's pack", "TEST briefing pack")
    assert {parent for parent, _ in runs} > {f"{W}ins", f"{W}del"}  # and the words of both
    parts = (header, document.element.body)
    ids = [c.get(f"{W}id") for part in parts for c in part.iter(f"{W}ins", f"{W}del")]
    assert len(ids) == len(set(ids))


def test_words_only_made_bold_are_a_formatting_change(tmp_path: Path) -> None:
    """Not deleted and inserted again: the DOCX records the earlier formatting
    (w:rPrChange), and accepting or rejecting it leaves the same words."""
    from openxml_audit import OpenXmlValidator

    from briefgen.editions.redline import inlines

    old = (tree.Text("The review must stay independent."),)
    new = (
        tree.Text("The review must stay "),
        tree.Strong((tree.Text("independent"),)),
        tree.Text("."),
    )
    assert inlines(old, new) == (
        tree.Text("The review must stay "),
        tree.Strong((tree.Reformatted((tree.Text("independent"),), bold=False, italic=False),)),
        tree.Text("."),
    )
    bold = edited(
        tmp_path,
        [
            (
                "summary: The review must stay independent.",
                "summary: The review must stay **independent**.",
            )
        ],
    )
    assert (
        build(bold, "--since", BASE, "--output-dir", tmp_path / "out", "--format", "docx")[0] == 0
    )
    path = next((tmp_path / "out").rglob("*.docx"))
    body = docx.Document(str(path)).element.body
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    (change,) = body.iter(f"{W}rPrChange")
    run_properties = change.getparent()
    assert run_properties.find(f"{W}b") is not None  # bold now
    assert change.find(f"{W}rPr/{W}b") is None  # not bold before
    assert change.get(f"{W}author") == "Coalition for the International Criminal Court"
    assert [t.text for t in run_properties.getparent().iter(f"{W}t")] == ["independent"]
    assert not list(body.iter(f"{W}del"))  # no word was deleted
    result = OpenXmlValidator(max_errors=5).validate(str(path))
    assert [e.description for e in result.errors] == []


@pytest.mark.slow
@pytest.mark.usefixtures("uno")
def test_libreoffice_reads_a_formatting_change(tmp_path: Path) -> None:
    from briefgen.editions.edition import Comparison, compose_compared

    bold = edited(
        tmp_path,
        [
            (
                "summary: The review must stay independent.",
                "summary: The review must stay **independent**.",
            )
        ],
    )
    compared, _ = compose_compared(load_session(bold), Comparison(load_session(BASE), "old"), None)
    read = in_libreoffice(compared, tmp_path, "keep")
    assert "Format" in {redline["type"] for redline in read["redlines"]}
    assert "The review must stay independent." in read["blocks"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_git_revision_outside_a_checkout_is_a_clear_error(tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    data = alone / "session.yaml"
    shutil.copyfile(BASE, data)
    code, err = build(data, "--since", "HEAD~1", "--output-dir", tmp_path / "out")
    assert code == 1
    assert "cannot read the earlier edition" in err and "not in a git checkout" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_an_earlier_edition_that_is_nowhere_is_named_as_given(tmp_path: Path) -> None:
    missing = tmp_path / "tuesday.yaml"
    code, err = build(BASE, "--since", missing, "--output-dir", tmp_path / "out")
    assert code == 1
    assert err.startswith(
        f"{missing}: error: cannot read the earlier edition: it is no file, folder or git revision"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("since", ["", "  "])
def test_an_empty_earlier_edition_is_a_command_line_mistake(tmp_path: Path, since: str) -> None:
    """``--since "$LAST"`` with the variable unset names no edition (not the current folder)."""
    code, err = build(BASE, "--since", since, "--output-dir", tmp_path / "out")
    assert code == 2
    assert "--since" in err and "is empty" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "ar", "zh"])
def test_every_change_is_worded_in_every_pack_language(language: str) -> None:
    """Each kind of change the comparison names has its label, with the values it fills."""
    labels = load_labels(None, language)
    kinds = {kind: values for _, expected in EDITS.values() for kind, values in expected}
    kinds["session_venue_removed"] = kinds["pack_final"] = {}
    kinds["segment_renamed"] = {"plenary": "", "segment": "", "old": ""}
    kinds["segment_removed"] = {"plenary": "", "segment": ""}
    kinds["segment_format"] = {"plenary": "", "segment": ""}
    for kind, values in kinds.items():
        label = labels[f"change_{kind}"]
        assert all(f"{{{name}}}" in label for name in values), (kind, label)


FRENCH_EDITIONS = ROOT / "tests" / "data" / "editions-fr"
MOVED = "« Budget-programme pour 2024 » a désormais lieu le 6 décembre 2023"
RENAMED = (
    "Séance plénière renommée : « Budget-programme pour 2024 » devient"
    " « Budget : programme pour 2024 et 2025 »"
)
FRENCH_CHANGES = {
    "moved": ("title: Budget-programme pour 2024", MOVED),
    "renamed": ('title: "Budget : programme pour 2024 et 2025"', RENAMED),
}


@pytest.mark.parametrize(("title", "listed"), FRENCH_CHANGES.values(), ids=FRENCH_CHANGES.keys())
def test_a_french_list_of_changes_names_a_moved_plenary_in_guillemets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, title: str, listed: str
) -> None:
    """As every other change of the French labels does: a title at the start of the
    sentence would read as part of it, and two titles on either side of "devient", one
    holding a colon, would read as one sentence."""
    monkeypatch.setenv("BRIEFGEN_OFFICE", "off")
    new, old, out = tmp_path / "new.yaml", FRENCH_EDITIONS / "old.yaml", tmp_path / "out"
    text = (FRENCH_EDITIONS / "new.yaml").read_text(encoding="utf-8")
    new.write_text(text.replace("title: Budget-programme pour 2024", title), encoding="utf-8")
    assert build(new, "--since", old, "--output-dir", out)[0] == 0
    folder = out / "editions-fr"
    spaced = str.maketrans({"\u00a0": " ", "\u202f": " "})
    pdf = " ".join(
        page.extract_text() for page in PdfReader(folder / "editions-fr-briefing-pack.pdf").pages
    )
    assert listed in " ".join(pdf.translate(spaced).split())
    paragraphs = docx.Document(str(folder / "editions-fr-briefing-pack.docx")).paragraphs
    w_t = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"  # inserted too
    texts = ["".join(t.text or "" for t in p._p.iter(w_t)) for p in paragraphs]
    assert listed in [text.translate(spaced) for text in texts]
    html = lxml.html.parse(str(folder / "editions-fr-briefing-pack.html")).getroot()
    assert listed in " ".join(html.text_content().translate(spaced).split())


AUTHORS = {
    "a control character": ("Jane\x01Doe", "control character U+0001 is not allowed"),
    "a line break": ("Jane\nDoe", "must be a single line"),
    "a bidirectional override": ("\u202eeoD enaJ", "a bidirectional control reorders"),
    "nothing to see": ("\u200b", "must contain visible text"),
    "too long": ("J" * 501, "is too long (501 characters; at most 500)"),
    "empty": ("", "must not be empty"),
}


@pytest.mark.parametrize(("author", "why"), AUTHORS.values(), ids=AUTHORS.keys())
def test_a_revision_author_that_no_input_line_could_be_is_a_command_line_mistake(
    tmp_path: Path, author: str, why: str
) -> None:
    """Shown beside every change in Word, the name follows the rules of a line of the
    input; before, a control character became U+FFFD and an override reordered it."""
    new = edited(tmp_path, [("The review must stay independent.", "It must stay independent.")])
    argv = [new, "--since", BASE, "--output-dir", tmp_path / "out", "--format", "docx"]
    code, errors = build(*argv, "--revision-author", author)
    assert code == 2
    assert f"Invalid value for '--revision-author': {why}" in errors
    assert not (tmp_path / "out").exists()
    assert build(*argv, "--revision-author", "Jane Doe (رئيسة)")[0] == 0
    body = docx.Document(str(next((tmp_path / "out").rglob("*.docx")))).element.body
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert {change.get(f"{W}author") for change in body.iter(f"{W}ins")} == {"Jane Doe (رئيسة)"}


def test_an_earlier_edition_with_a_yaml_1_1_boolean_is_read_as_it_was_built(
    tmp_path: Path,
) -> None:
    """briefgen took ``french_spaces: yes`` as true, and now refuses it with the word
    meant: an earlier edition, which cannot be changed (a git revision, a pack folder),
    is read as the briefgen that built it read it, and compared; the input being built
    is refused as ever."""
    old = edited(tmp_path, [("  publisher: cicc\n", "  publisher: cicc\n  french_spaces: yes\n")])
    new = edited(tmp_path, EDITS["statement added"][0], "later.yaml")
    code, err = build(new, "--since", old, "--output-dir", tmp_path / "out", "--format", "html")
    assert code == 0, err
    assert counted(tmp_path / "out" / "who-said-what") == {"statement_added": 1}
    code, err = build(old, "--output-dir", tmp_path / "refused", "--format", "html")
    assert code == 1
    assert "pack.french_spaces: expected true or false, got 'yes' (did you mean true?)" in err
