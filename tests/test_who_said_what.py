"""Who said what: the index of organisations, and key messages traced to their statements,
read back from the PDF, the DOCX and the HTML edition."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.writers.docx.body import bookmark_name
from tests.conftest import CASES
from tests.docx_reading import every_paragraph

WHO = CASES / "valid" / "who-said-what.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# What the test case says: who took part in which statement, and how.
EXPECTED_INDEX = {
    "Al-Haq": [("Joint statement on cooperation", "co-signed")],
    "Coalition for the International Criminal Court (CICC)": [
        ("Joint statement on cooperation", "took the floor"),
        ("Closing remarks", "on its behalf"),
    ],
    "Human Rights Watch (HRW)": [("Strengthening the review process", "took the floor")],
    "Parliamentarians for Global Action (PGA)": [
        ("Joint statement on cooperation", "co-signed"),
        ("Closing remarks", "took the floor"),
    ],
}
ANCHORS = {
    "Joint statement on cooperation": "statement-review-joint",
    "Closing remarks": "statement-closing-pji",
    "Strengthening the review process": "statement-review-hrw",
}


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test case built in every format; the folder of its files."""
    out = tmp_path_factory.mktemp("who")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")  # the DOCX's numbers: test_docx_pagination.py
        result = build_pack(WHO, BuildOptions(formats=("pdf", "docx", "html"), output_dir=out))
    return result.folder


def index_of(document: tree.Document) -> tree.Index:
    return next(b for b in document.blocks if isinstance(b, tree.Index))


def test_the_index_lists_each_organisation_with_every_statement_it_took_part_in() -> None:
    """Taking the floor, being spoken for and co-signing all count; an organisation that
    took part in nothing is left out; the order is the annex of organisations' order."""
    index = index_of(compose_pack(load_session(WHO)))
    found = {
        tree.plain_text(group.name.content): [
            (entry.text.split(",")[0], entry.text.rsplit("(", 1)[1].rstrip(")"))
            for entry in group.entries
        ]
        for group in index.groups
    }
    assert found == EXPECTED_INDEX
    assert list(found) == list(EXPECTED_INDEX)  # Al-Haq, CICC, HRW, PGA: by short name
    for group in index.groups:
        for entry in group.entries:
            assert entry.anchor == ANCHORS[entry.text.split(",")[0]]


def link_pages(reader: PdfReader, pages: list[int] | None = None) -> dict[str, int]:
    """The internal links of the PDF (or of some of its pages): each link's text (its
    annotation's /Contents) and the page it goes to."""
    found = {}
    for number, page in enumerate(reader.pages, 1):
        if pages is not None and number not in pages:
            continue
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                target = annotation["/Dest"][0].get_object()
                found[str(annotation["/Contents"])] = reader.get_page_number(target) + 1
    return found


def heading_on(reader: PdfReader, page: int, title: str) -> bool:
    lines = reader.pages[page - 1].extract_text().splitlines()
    return title in (line.strip() for line in lines)


EXPECTED_ENTRIES = [
    f"{title}, {plenary} ({role})"
    for title, plenary, role in [
        ("Joint statement on cooperation", "Review of the Court", "co-signed"),
        ("Joint statement on cooperation", "Review of the Court", "took the floor"),
        ("Closing remarks", "Closing plenary", "on its behalf"),
        ("Strengthening the review process", "Review of the Court", "took the floor"),
        ("Joint statement on cooperation", "Review of the Court", "co-signed"),
        ("Closing remarks", "Closing plenary", "took the floor"),
    ]
]


def test_each_index_line_of_the_pdf_links_to_the_page_of_its_statement(pack: Path) -> None:
    reader = PdfReader(pack / "who-said-what-briefing-pack.pdf")
    links = link_pages(reader, [len(reader.pages)])  # the index is the last annex
    assert set(links) == set(EXPECTED_ENTRIES)
    for entry, page in links.items():
        assert heading_on(reader, page, entry.split(",")[0]), entry


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_each_index_number_in_the_pdf_is_the_page_of_its_statement(pack: Path) -> None:
    pdf = pack / "who-said-what-briefing-pack.pdf"
    reader = PdfReader(pdf)
    last = len(reader.pages)
    links = link_pages(reader, [last])
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(last), "-l", str(last), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Annex B: Index of organisations" in text  # no full texts: the index is B
    lines = re.findall(r"^\s*(.+?\))\s+(\d+)\s*$", text, re.MULTILINE)
    assert [entry for entry, _ in lines] == EXPECTED_ENTRIES
    for entry, number in lines:
        assert int(number) == links[entry], entry


def test_the_docx_index_has_a_page_field_and_a_link_per_entry(pack: Path) -> None:
    document = docx.Document(str(pack / "who-said-what-briefing-pack.docx"))
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Al-Haq")
    entries = [p for p in paragraphs[start:] if p._p.findall(f".//{W}instrText")]
    # The page fields are there, empty: Word fills them (or LibreOffice, where installed)
    assert [p.text for p in entries] == [f"{entry}\t" for entry in EXPECTED_ENTRIES]
    for paragraph in entries:
        (instruction,) = [t.text or "" for t in paragraph._p.iter(f"{W}instrText")]
        (link,) = [h.get(f"{W}anchor") for h in paragraph._p.iter(f"{W}hyperlink")]
        title = paragraph.text.split(",")[0]
        assert instruction.split() == ["PAGEREF", bookmark_name(ANCHORS[title]), "\\h"]
        assert link == bookmark_name(ANCHORS[title])


def test_the_html_index_links_each_entry_to_its_statement(pack: Path) -> None:
    html = (pack / "who-said-what-briefing-pack.html").read_text(encoding="utf-8")
    index = html[html.index('<ul class="index">') :]
    index = index[: index.index("</ul>\n")]
    links = [
        (anchor, lxml.html.fragment_fromstring(f"<a>{inner}</a>").text_content())
        for anchor, inner in re.findall(r'<a href="#([^"]+)">(.+?)</a>', index)
    ]
    assert [text for _, text in links] == EXPECTED_ENTRIES
    for anchor, text in links:
        assert anchor == ANCHORS[text.split(",")[0]]
        assert f'id="{anchor}"' in html


def test_key_messages_name_and_link_the_statements_they_draw_on(pack: Path) -> None:
    """Under each message with sources, in the closing section and at a glance; a
    message without sources stays as it was."""
    reader = PdfReader(pack / "who-said-what-briefing-pack.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    trace = "Draws on: HRW, Review of the Court; PGA, Closing plenary"
    assert text.count(trace) == 2
    assert text.count("Draws on: CICC, Review of the Court") == 2
    assert text.count("Draws on:") == 4  # "Victims must be heard." has no sources
    links = link_pages(reader)
    for link, title in [
        ("HRW, Review of the Court", "Strengthening the review process"),
        ("PGA, Closing plenary", "Closing remarks"),
        ("CICC, Review of the Court", "Joint statement on cooperation"),
    ]:
        assert heading_on(reader, links[link], title), link

    document = docx.Document(str(pack / "who-said-what-briefing-pack.docx"))
    traces = [p for p in every_paragraph(document) if p.text.startswith("Draws on:")]
    assert [p.text for p in traces] == [trace, "Draws on: CICC, Review of the Court"] * 2
    anchors = [h.get(f"{W}anchor") for h in traces[0]._p.iter(f"{W}hyperlink")]
    assert anchors == [
        bookmark_name("statement-review-hrw"),
        bookmark_name("statement-closing-pji"),
    ]


def test_a_statement_says_which_key_messages_cite_it(pack: Path) -> None:
    document = docx.Document(str(pack / "who-said-what-briefing-pack.docx"))
    cited = [p for p in document.paragraphs if p.text.startswith("Cited in:")]
    assert [p.text for p in cited] == [
        "Cited in: key message 1",
        "Cited in: key message 2",
        "Cited in: key message 1",
    ]
    for paragraph in cited:
        (anchor,) = [h.get(f"{W}anchor") for h in paragraph._p.iter(f"{W}hyperlink")]
        assert anchor == bookmark_name("key-messages-closing")
    html = (pack / "who-said-what-briefing-pack.html").read_text(encoding="utf-8")
    cited_html = re.findall(
        r'<bdi>Cited in:</bdi> <a href="#([^"]+)"><bdi>key message (\d)</bdi></a>', html
    )
    assert cited_html == [("key-messages-closing", number) for number in "121"]


def test_names_in_the_index_are_printed_exactly_as_typed(tmp_path: Path) -> None:
    text = WHO.read_text(encoding="utf-8").replace(
        "name: Al-Haq", 'name: "Al-Haq [x](#y) **&** <b>{{ z }}"'
    )
    source = tmp_path / "case.yaml"
    source.write_text(text, encoding="utf-8")
    index = index_of(compose_pack(load_session(source)))
    assert tree.plain_text(index.groups[0].name.content) == "Al-Haq [x](#y) **&** <b>{{ z }}"
    result = build_pack(source, BuildOptions(formats=("docx",), output_dir=tmp_path / "out"))
    data = (result.folder / "who-said-what-briefing-pack.docx").read_bytes()
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Al-Haq [x](#y) **&** <b>{{ z }}" in paragraphs
