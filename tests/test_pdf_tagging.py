"""The tagged PDF: its structure tree checked against its pages (tests/pdf_structure.py),
read by poppler and the pdfua checker, its PDF/UA-1 and PDF/A-2u claims, its reading
order for reflow, and the option that turns it off."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from briefgen import tree
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.look import Pdf
from briefgen.writers.pdf.writer import write_pdf
from tests.conftest import ASP23, CASES
from tests.pdf_structure import Structure, check_structure, resolve
from tests.test_pdf_writer import ARABIC, heading, para, sample_document, sample_meta
from tests.trees import decided, line, row

T = tree.Text


@pytest.fixture(scope="module")
def asp23_pdf() -> bytes:
    return write_pdf(compose_pack(load_session(ASP23))).data


@pytest.fixture(scope="module")
def asp23(asp23_pdf: bytes) -> Structure:
    return check_structure(asp23_pdf)


@pytest.fixture(scope="module")
def sample() -> Structure:
    return check_structure(write_pdf(sample_document()).data)


def texts(element: object) -> str:
    return " ".join(str(kid) for kid in getattr(element, "kids", []))


# --- the structure --------------------------------------------------------------------


def test_the_asp23_pack_is_tagged_in_reading_order(asp23: Structure) -> None:
    roles = asp23.roles()
    assert roles[0] == "Document"
    headings = [role for role in roles if re.fullmatch(r"H\d", role)]
    assert headings[0] == "H1" and {"H1", "H2", "H3"} <= set(headings)
    assert roles.index("TOC") < roles.index("H1") < roles.index("Div") < roles.index("Table")
    assert len(asp23.find("TOCI")) == 10  # the contents' entries, nested as the outline
    tocs = asp23.find("TOC")  # six plenaries and annexes, two of them with sections
    assert [[kid.role for kid in toc.elements()].count("TOC") for toc in tocs] == [2, 0, 0]
    assert [len(toc.elements()) for toc in tocs] == [9, 2, 1]
    # every page's content is tagged, apart from the artifacts each page has
    assert all(asp23.page_contents) and all(asp23.artifacts[1:])


def test_tables_have_header_cells_with_a_scope_and_rows_of_cells(asp23: Structure) -> None:
    programme = asp23.find("Table")[0]
    assert [group.role for group in programme.elements()] == ["THead", "TBody"]
    rows = [row for group in programme.elements() for row in group.elements()]
    assert [cell.role for cell in rows[0].elements()] == ["TH"] * 4
    assert all(cell.attributes == {"O": "Table", "Scope": "Column"} for cell in rows[0].elements())
    assert all(cell.role == "TD" for row in rows[1:] for cell in row.elements())


def test_lists_have_labels_and_bodies(asp23: Structure) -> None:
    items = asp23.find("LI")
    assert items and all(
        [kid.role for kid in item.elements()] == ["Lbl", "LBody"] for item in items
    )


def test_links_are_link_elements_with_their_text_and_annotation(asp23: Structure) -> None:
    links = asp23.find("Link")
    assert len(links) == sum(len(page.get("/Annots") or []) for page in asp23.reader.pages)
    in_text = [link for link in links if link.parent is not None and link.parent.role == "TD"]
    assert in_text and all(link.alt for link in in_text)
    assert all(any(True for _ in link.contents()) for link in links)  # their text is theirs


def test_a_table_split_over_pages_is_one_table_whose_repeated_header_is_an_artifact(
    sample: Structure,
) -> None:
    table = next(t for t in sample.find("Table") if len(t.elements()[1].elements()) == 30)
    pages = {content.page for content in table.contents()}
    assert len(pages) >= 2
    header = table.elements()[0]
    assert {content.page for content in header.contents()} == {min(pages)}  # drawn once


def test_a_skipped_heading_level_is_tagged_one_level_down() -> None:
    document = decided(
        sample_meta(), [heading(1, "One", "one"), heading(3, "Three", "three"), para(T("x"))]
    )
    structure = check_structure(write_pdf(document).data)
    assert [r for r in structure.roles() if r.startswith("H")] == ["H1", "H2"]


def test_a_paragraph_in_another_language_says_so_and_arabic_reads_in_logical_order(
    sample: Structure, tmp_path: Path
) -> None:
    arabic = [element for element in sample.find("P") if element.lang == "ar"]
    assert len(arabic) == 1
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    pdf = tmp_path / "sample.pdf"
    pdf.write_bytes(write_pdf(sample_document()).data)
    command = ["pdfinfo", "-struct-text", str(pdf)]
    structure_text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert ARABIC in structure_text  # the shaped words, as typed, in the element's content


def test_the_logo_is_a_figure_with_the_publisher_as_alternate_text(tmp_path: Path) -> None:
    loaded = load_session(CASES / "valid" / "full-featured.yaml")
    structure = check_structure(write_pdf(compose_pack(loaded)).data)
    figure = structure.find("Figure")
    publisher = loaded.session.organization(loaded.session.pack.publisher or "").name
    assert [f.alt for f in figure] == [loaded.session.pack.logo_alt or publisher]


def test_a_link_that_is_a_whole_paragraph_and_one_over_two_lines_are_one_link_each() -> None:
    long_link = tree.Link((T("a link whose text runs over the end of the line " * 3),), "#b")
    blocks = [
        heading(1, "A", "a"),
        para(tree.Link((T("the whole paragraph"),), "https://example.org")),
        para(T("Before "), long_link, T(" after.")),
        heading(1, "B", "b"),
    ]
    structure = check_structure(write_pdf(decided(sample_meta(), blocks)).data)
    links = structure.find("Link")
    assert len(links) == 2
    annotations = [[kid for kid in link.kids if type(kid).__name__ == "Objr"] for link in links]
    assert len(annotations[0]) == 1 and len(annotations[1]) >= 2  # one annotation per line
    # Its text: one marked content, or one per line where each line is a text object.
    assert len(list(links[0].contents())) == 1
    assert 1 <= len(list(links[1].contents())) <= len(annotations[1])


# --- what the standards ask of the file ------------------------------------------------


def test_the_claims_and_the_metadata_agree_with_the_info_dictionary(asp23_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(asp23_pdf))
    catalog = reader.trailer["/Root"]
    assert asp23_pdf.startswith(b"%PDF-1.7")
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    stream = resolve(catalog["/Metadata"])
    assert "/Filter" not in stream
    xmp = ET.fromstring(stream.get_data())
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "pdf": "http://ns.adobe.com/pdf/1.3/",
        "xmp": "http://ns.adobe.com/xap/1.0/",
        "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
        "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    }
    found = {
        key: xmp.findtext(f".//{key}", namespaces=ns)
        for key in (
            "pdfaid:part",
            "pdfaid:conformance",
            "pdfuaid:part",
            "pdf:Producer",
            "pdf:Keywords",
            "xmp:CreatorTool",
            "xmp:CreateDate",
            "dc:title//{*}li",
            "dc:creator//{*}li",
        )
    }
    info = reader.metadata
    assert info is not None
    assert found == {
        "pdfaid:part": "2",
        "pdfaid:conformance": "U",
        "pdfuaid:part": "1",
        "pdf:Producer": info["/Producer"],
        "pdf:Keywords": info["/Keywords"],
        "xmp:CreatorTool": info["/Creator"],
        "xmp:CreateDate": "2024-12-10T00:00:00+00:00",
        "dc:title//{*}li": info.title,
        "dc:creator//{*}li": info.author,
    }
    assert info["/CreationDate"] == "D:20241210000000+00'00'"
    intent = resolve(catalog["/OutputIntents"][0])
    assert intent["/S"] == "/GTS_PDFA1"
    profile = resolve(intent["/DestOutputProfile"])
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"


def test_every_font_is_embedded_with_a_to_unicode_map(asp23_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(asp23_pdf))
    fonts = [
        resolve(font)
        for page in reader.pages
        for font in (resolve(page["/Resources"]).get("/Font") or {}).values()
    ]
    assert fonts
    for font in fonts:
        assert "/ToUnicode" in font, font["/BaseFont"]
        assert "/FontFile2" in resolve(font["/FontDescriptor"]), font["/BaseFont"]
        assert "/Encoding" not in font  # symbolic TrueType: the font's own cmap


def test_glyph_widths_agree_with_the_embedded_fonts() -> None:
    """PDF/A-2 6.2.11.5 and PDF/UA-1 7.21.5: a font's /Widths are its program's advances,
    shaped Arabic glyphs (given private codes) included."""
    from fontTools.ttLib import TTFont

    reader = PdfReader(io.BytesIO(write_pdf(sample_document()).data))
    fonts = {
        reference.idnum: resolve(reference)
        for page in reader.pages
        for reference in (resolve(page["/Resources"]).get("/Font") or {}).values()
    }
    checked = 0
    for font in fonts.values():
        program = resolve(resolve(font["/FontDescriptor"])["/FontFile2"]).get_data()
        face = TTFont(io.BytesIO(program))
        codes = {code: glyph for table in face["cmap"].tables for code, glyph in table.cmap.items()}
        scale = 1000 / face["head"].unitsPerEm
        for offset, width in enumerate(font["/Widths"]):
            glyph = codes.get(int(font["/FirstChar"]) + offset)
            if glyph is not None:
                assert abs(face["hmtx"][glyph][0] * scale - float(width)) <= 1, font["/BaseFont"]
                checked += 1
    assert checked > 100


def test_link_annotations_are_printed_and_described(asp23_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(asp23_pdf))
    described = {
        str(resolve(a)["/Contents"]) for page in reader.pages for a in page.get("/Annots") or []
    }
    assert {"Programme", "https://www.hrw.org", "Review plenary"} <= described


def test_the_look_can_ask_for_an_untagged_pdf() -> None:
    document = sample_document()
    look = document.look.model_copy(update={"pdf": Pdf(standard=())})
    data = write_pdf(dataclasses.replace(document, look=look)).data
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert not {"/StructTreeRoot", "/MarkInfo", "/Metadata", "/OutputIntents"} & set(catalog)
    assert b"BDC" not in data and b"/Artifact" not in data


def test_a_look_that_claims_pdf_a_alone_is_archival_but_not_tagged() -> None:
    document = sample_document()
    look = document.look.model_copy(update={"pdf": Pdf(standard=("a-2u",))})
    data = write_pdf(dataclasses.replace(document, look=look)).data
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/OutputIntents" in catalog and "/StructTreeRoot" not in catalog
    xmp = resolve(catalog["/Metadata"]).get_data()
    assert b"pdfaid:part>2<" in xmp and b"pdfuaid:part" not in xmp


# --- checked by other tools ------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_poppler_reads_the_structure_of_the_asp23_pack(
    asp23_pdf: bytes, tmp_path: Path, golden
) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "asp23.pdf"
    pdf.write_bytes(asp23_pdf)
    done = subprocess.run(
        [_tool("pdfinfo"), "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    )
    # annotations' object numbers say nothing of the structure
    golden("asp23.struct.txt", re.sub(r"Object \d+ 0", "Object (annotation)", done.stdout))


def test_qpdf_finds_no_error(asp23_pdf: bytes, tmp_path: Path) -> None:
    pdf = tmp_path / "asp23.pdf"
    pdf.write_bytes(asp23_pdf)
    done = subprocess.run([_tool("qpdf"), "--check", str(pdf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pdfua_checker_finds_nothing(asp23_pdf: bytes, tmp_path: Path) -> None:
    """The ASP23 pack, the writer tests' tree of every block, and a pack compared with an
    earlier edition (its change bars artifacts)."""
    pytest.importorskip("pdfua", reason="the pdfua checker (PyPI) is not installed")
    from briefgen.editions.edition import Comparison, compose_compared
    from tests.test_editions import BASE, EDITS, edited

    new = edited(tmp_path, [*EDITS["statement added"][0], *EDITS["organisation renamed"][0]])
    compared, _ = compose_compared(load_session(new), Comparison(load_session(BASE), "old"), None)
    documents = (
        ("asp23", asp23_pdf),
        ("sample", write_pdf(sample_document()).data),
        ("compared", write_pdf(compared).data),
    )
    for name, data in documents:
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(data)
        done = subprocess.run(
            [sys_executable(), "-m", "pdfua", "check", str(pdf)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "errors=0 warnings=0" in done.stdout


def sys_executable() -> str:
    import sys

    return sys.executable


# --- reflow -------------------------------------------------------------------------


READING_ORDER = [
    "Statement of the Coalition",
    "The Coalition welcomes",
    "Statement of Human Rights Watch",
    "Human Rights Watch urges",
    "Protect the Court",
    "Fund the Court",
    "State",
    "Position",
    "Austria",
    "supports",
    "Brazil",
    "abstains",
]


def reflow_page() -> tree.Document:
    """A page with two statements, a list and a table."""
    blocks: list[tree.Block] = [
        heading(1, "Statement of the Coalition", "coalition"),
        para(T("The Coalition welcomes the review and asks States to fund the Court.")),
        heading(1, "Statement of Human Rights Watch", "hrw"),
        para(T("Human Rights Watch urges States Parties to defend the Court.")),
        tree.ListBlock(False, ((para(T("Protect the Court.")),), (para(T("Fund the Court.")),))),
        tree.Table(
            row("State", "Position", role="table-head"),
            (row("Austria", "supports"), row("Brazil", "abstains")),
        ),
    ]
    meta = dataclasses.replace(sample_meta(), running_header=line("Reflow"))
    return decided(meta, blocks)


def _in_order(text: str, parts: list[str]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def test_reflow_reads_two_statements_a_list_and_a_table_in_order(tmp_path: Path) -> None:
    pdf = tmp_path / "reflow.pdf"
    pdf.write_bytes(write_pdf(reflow_page()).data)
    structure = subprocess.run(
        [_tool("pdfinfo"), "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert _in_order(structure, READING_ORDER), structure
    assert "Reflow" not in structure and "Page 1" not in structure  # furniture: artifacts
    done = subprocess.run(
        [_tool("pdftohtml"), "-xml", "-i", "-stdout", "-q", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    )
    page_text = " ".join(
        "".join(node.itertext()) for node in ET.fromstring(done.stdout).iter("text")
    )
    assert _in_order(page_text, READING_ORDER), page_text


# --- the veraPDF workflow ---------------------------------------------------------------

VERAPDF_WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "verapdf.yml"


def test_the_verapdf_workflow_checks_both_claims_with_pinned_actions() -> None:
    import yaml

    from tests.test_workflow import PINNED

    text = VERAPDF_WORKFLOW.read_text(encoding="utf-8")
    uses = [
        line.strip().removeprefix("- ").removeprefix("uses: ")
        for line in text.splitlines()
        if "uses:" in line
    ]
    assert uses and [line for line in uses if not PINNED.match(line)] == []
    steps = yaml.safe_load(text)["jobs"]["verapdf"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "--flavour ua1" in runs and "--flavour 2u" in runs
    assert "briefgen build inputs/ --format pdf" in runs
    actionlint = shutil.which("actionlint")
    if actionlint is not None:
        done = subprocess.run([actionlint, str(VERAPDF_WORKFLOW)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def _labels(data: bytes) -> list[tuple[str, str | None]]:
    """Each ``Lbl`` element's text as drawn (its glyphs in the order stored, through the
    fonts' ToUnicode maps) and its ``/ActualText``, in reading order."""
    reader = PdfReader(io.BytesIO(data))
    texts_by_mcid: dict[tuple[int, int], str] = {}
    for number, page in enumerate(reader.pages):
        found: list[int | None] = []  # the marked content open, its MCID if it has one

        def visit(text: str, *_: object, found: list[int | None] = found, at: int = number) -> None:
            if found and found[-1] is not None and text.strip():
                key = (at, found[-1])
                texts_by_mcid[key] = texts_by_mcid.get(key, "") + text.strip()

        def mark(
            operator: bytes, operands: list[Any], *_: object, found: list[int | None] = found
        ) -> None:
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if operator == b"BDC" else {}
                mcid = properties.get("/MCID") if isinstance(properties, dict) else None
                found.append(None if mcid is None else int(mcid))
            elif operator == b"EMC":
                found.pop()

        page.extract_text(visitor_text=visit, visitor_operand_before=mark)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    labels: list[tuple[str, str | None]] = []

    def walk(element: object) -> None:
        element = resolve(element)
        if not isinstance(element, DictionaryObject) or "/S" not in element:
            return
        kids = element.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        if element["/S"] == "/Lbl":
            page = pages[element.raw_get("/Pg").idnum]
            drawn = "".join(texts_by_mcid.get((page, int(k)), "") for k in kids)
            actual = element.get("/ActualText")
            labels.append((drawn, None if actual is None else str(actual)))
        for kid in kids:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return labels


def test_a_right_to_left_list_number_reads_number_first() -> None:
    """A right-to-left list draws "1." as ".1", its full stop to the number's left; its
    ``Lbl`` reads "1.", as the Arabic text around it reads in its own order."""
    arabic = write_pdf(compose_pack(load_session(CASES / "valid" / "arabic-pack.yaml"))).data
    numbered = [(drawn, actual) for drawn, actual in _labels(arabic) if drawn != "•"]
    assert numbered == [(".1", "1."), (".2", "2.")]
    english = write_pdf(compose_pack(load_session(CASES / "valid" / "full-featured.yaml"))).data
    numbered = [(drawn, actual) for drawn, actual in _labels(english) if drawn[0].isdigit()]
    assert numbered == [("1.", None), ("2.", None), ("3.", None)]
