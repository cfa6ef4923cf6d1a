"""The briefing pack end to end: real inputs built, the PDF and DOCX read back and checked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.document import Document as DocxDocument
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.input.model import Session
from tests.conftest import ASP23, CASES
from tests.docx_reading import every_paragraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Pack:
    session: Session
    document: tree.Document
    pdf: PdfReader
    docx: DocxDocument

    @property
    def pdf_pages(self) -> list[str]:
        return [page.extract_text() for page in self.pdf.pages]

    @property
    def pdf_text(self) -> str:
        """The PDF's text, a word hyphenated at a line's end (its soft hyphen) one word."""
        return _flat(re.sub("\u00ad\\s*", "", " ".join(self.pdf_pages)))

    @property
    def docx_text(self) -> str:
        return _flat(" ".join(_docx_texts(self.docx)))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _docx_texts(document: DocxDocument) -> Iterator[str]:
    """Every paragraph's text in body order, table cells included."""
    for element in document.element.body.iter(f"{W}p"):
        yield "".join(t.text or "" for t in element.iter(f"{W}t"))


_BUILT: dict[tuple[Path, str], Pack] = {}


def build(source: Path, output: Path) -> Pack:
    """Build ``source`` once per test session and read both files back."""
    key = (source, str(output))
    if key not in _BUILT:
        result = build_pack(source, BuildOptions(output_dir=output, parallel_formats=False))
        pdf = next(a.path for a in result.artifacts if a.path.suffix == ".pdf")
        docx = next(a.path for a in result.artifacts if a.path.suffix == ".docx")
        loaded = load_session(source)
        _BUILT[key] = Pack(
            loaded.session, compose_pack(loaded), PdfReader(pdf), open_docx(str(docx))
        )
    return _BUILT[key]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("packs")


@pytest.fixture(scope="module")
def asp23(out: Path) -> Pack:
    return build(ASP23, out)


def in_order(text: str, parts: list[str]) -> bool:
    """Whether every part occurs in ``text``, each after the previous one."""
    position = 0
    for part in parts:
        found = text.find(_flat(part), position)
        if found < 0:
            return False
        position = found + 1
    return True


def programme_parts(session: Session) -> list[str]:
    parts = []
    for plenary in session.plenaries:
        parts.append(plenary.title)
        parts.extend(statement.title for statement in plenary.statements)
        parts.extend(_plain_markdown(message.text) for message in plenary.key_messages)
    return parts


def _plain_markdown(text: str) -> str:
    return re.sub(r"\*\*|__|(?<!\w)[*_]|(?<=\w)[*_](?!\w)", "", text)


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_every_title_and_key_message_appears_in_programme_order(
    asp23: Pack, file_format: str
) -> None:
    text = asp23.pdf_text if file_format == "pdf" else asp23.docx_text
    # after the contents and the key messages at a glance: the plenary sections
    body = text[
        text.find(_flat("Review plenary — 4 December 2024"), text.find("Programme") + 200) :
    ]
    assert in_order(body, programme_parts(asp23.session))


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_every_organisation_name_appears(asp23: Pack, file_format: str) -> None:
    text = asp23.pdf_text if file_format == "pdf" else asp23.docx_text
    for organization in asp23.session.organizations:
        assert organization.name in text
        if organization.short_name:
            assert organization.short_name in text


def test_pdf_outline_and_docx_headings_list_the_plenaries(asp23: Pack) -> None:
    plenary_headings = [f"{p.title} — {_long_date(p.date.day)}" for p in asp23.session.plenaries]
    outline = [item.title for item in asp23.pdf.outline if not isinstance(item, list)]
    assert [title for title in outline if "—" in title] == plenary_headings
    heading_1 = [
        p.text for p in asp23.docx.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert [h for h in heading_1 if "—" in h] == plenary_headings


def _long_date(day: int) -> str:
    return f"{day}\u00a0December 2024"  # a day and its month never parted


def test_pdf_metadata_page_size_and_fonts(asp23: Pack) -> None:
    info = asp23.pdf.metadata
    assert info is not None
    assert info.title == "ASP23 briefing pack"
    assert info.author == "Coalition for the International Criminal Court"
    assert info.subject and info.subject.startswith("23rd session of the Assembly")
    assert info["/Keywords"] == "#NGOVoices, #ASP23"
    assert info["/CreationDate"].startswith("D:20241210")
    assert asp23.pdf.trailer["/Root"]["/Lang"] == "en"
    width, height = (float(v) for v in asp23.pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)
    fonts = set(_font_names(asp23.pdf))
    assert fonts and not any("Helvetica" in name for name in fonts)


def _font_names(reader: PdfReader) -> Iterator[str]:
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # Type0: look at its descendant
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            yield str(font["/BaseFont"])


def test_pdf_links_and_contents_are_clickable(asp23: Pack) -> None:
    uris, internal = [], 0
    for page in asp23.pdf.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
            elif annotation.get_object().get("/Dest") is not None or action is not None:
                internal += 1
    assert "https://www.hrw.org" in uris
    contents = next(b for b in asp23.document.blocks if isinstance(b, tree.Contents))
    assert internal >= len(contents.entries)


def test_docx_metadata_styles_toc_and_fields(asp23: Pack) -> None:
    core = asp23.docx.core_properties
    assert core.title == "ASP23 briefing pack"
    assert core.author == "Coalition for the International Criminal Court"
    assert core.keywords == "#NGOVoices, #ASP23"
    assert core.created is not None and core.created.date().isoformat() == "2024-12-10"
    section = asp23.docx.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    body_xml = asp23.docx.element.body.xml
    assert 'TOC \\o "1-2"' in body_xml
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    styles = {p.style.name for p in every_paragraph(asp23.docx) if p.style is not None}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Key Message"} <= styles


def test_docx_hyperlinks_are_real(asp23: Pack) -> None:
    targets = {
        rel.target_ref
        for rel in asp23.docx.part.rels.values()
        if rel.reltype.endswith("/hyperlink")
    }
    assert "https://www.hrw.org" in targets
    anchors = {h.get(f"{W}anchor") for h in asp23.docx.element.body.iter(f"{W}hyperlink")} - {None}
    bookmarks = {b.get(f"{W}name") for b in asp23.docx.element.body.iter(f"{W}bookmarkStart")}
    assert anchors and anchors <= bookmarks


@pytest.mark.parametrize(
    ("case", "labels", "date"),
    [
        (
            "french.yaml",
            ["Sommaire", "Programme", "Annexe B : Organisations et sigles"],
            "novembre 2025",
        ),
        (
            "spanish.yaml",
            ["Índice", "Programa", "Anexo B: Organizaciones y siglas"],
            "de septiembre de 2025",
        ),
    ],
)
def test_labels_and_dates_follow_the_pack_language(
    out: Path, case: str, labels: list[str], date: str
) -> None:
    pack = build(CASES / "valid" / case, out)
    for text in (pack.pdf_text, pack.docx_text):
        for label in labels:
            assert label in text
        assert date in text
    assert "Contents" not in pack.pdf_text


def test_draft_mark_on_every_pdf_page_and_in_the_docx(out: Path, asp23: Pack) -> None:
    pack = build(CASES / "valid" / "draft-letter-no-closing.yaml", out)
    assert all("DRAFT" in page for page in pack.pdf_pages)
    width, height = (float(v) for v in pack.pdf.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)
    headers = [pack.docx.sections[0].header, pack.docx.sections[0].first_page_header]
    assert all("DRAFT" in h._element.xml for h in headers)
    assert not any("DRAFT" in page for page in asp23.pdf_pages)


def test_plain_text_traps_come_out_literally(out: Path) -> None:
    pack = build(CASES / "valid" / "literal-traps.yaml", out)
    for literal in [
        "& <b>bold</b> {{ x }} *stars*",
        "{{ x }}",
        "*stars*",
        "<b>bold</b>",
        "[not a link]",
        "1. not a list",
        "O'Brien & <b>Sons</b>",
        "3.10",
    ]:
        assert literal in pack.pdf_text, literal
        assert literal in pack.docx_text, literal


def test_arabic_statement_is_right_to_left_in_the_docx(out: Path) -> None:
    pack = build(CASES / "valid" / "arabic-statement.yaml", out)
    rtl_paragraphs = [
        p for p in pack.docx.element.body.iter(f"{W}p") if p.find(f"{W}pPr/{W}bidi") is not None
    ]
    assert rtl_paragraphs
    langs = {lang.get(f"{W}bidi") for lang in pack.docx.element.body.iter(f"{W}lang")}
    assert "ar" in langs
    assert any(
        r.find(f"{W}rPr/{W}rtl") is not None for p in rtl_paragraphs for r in p.iter(f"{W}r")
    )


@pytest.mark.parametrize(
    "source", [ASP23, CASES / "valid" / "greek-cyrillic.yaml"], ids=lambda p: p.stem
)
def test_the_words_of_the_tree_are_the_words_of_both_files(out: Path, source: Path) -> None:
    pack = build(source, out)
    expected = _words(" ".join(_block_texts(pack.document.blocks)))
    assert expected
    for text in (pack.pdf_text, pack.docx_text):
        assert expected - _PAGE_FURNITURE == _words(text) - _PAGE_FURNITURE


_PAGE_FURNITURE = {"Page", "of", "DRAFT"}


def _block_texts(blocks: tuple[tree.Block, ...]) -> Iterator[str]:
    for block in blocks:
        match block:
            case tree.Heading(content=content) | tree.Paragraph(content=content):
                yield tree.plain_text(content)
            case tree.ListBlock(items=items):
                for item in items:
                    yield from _block_texts(item)
            case tree.Table(header=header, rows=rows):
                yield from _block_texts((*header, *(c for r in rows for c in r)))
            case tree.KeyMessages(blocks=inner):
                yield from _block_texts(inner)
            case tree.Cover(title=title, subtitle=subtitle, lines=lines):
                yield from _block_texts((title, *([subtitle] if subtitle else []), *lines))
            case tree.Contents(title=title, entries=entries):
                yield from _block_texts((title,))
                yield from (entry.text for entry in entries)
            case tree.Index(groups=groups):
                for group in groups:
                    yield from _block_texts((group.name,))
                    yield from (entry.text for entry in group.entries)


def _words(text: str) -> set[str]:
    """Words of letters only: punctuation and numbers are laid out differently per format.
    A word hyphenated at a line's end (a soft hyphen there) is one word."""
    return set(re.findall(r"[^\W\d_]+", re.sub("\u00ad\\s*", "", text)))
