"""Edges of the look and of the DOCX as the PDF's twin: odd looks, fonts replaced, a
reference made from a pack, keys every format must read."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from fontTools.ttLib import TTFont
from lxml import etree
from pypdf import PdfReader

from briefgen import tree
from briefgen.compose.pack import compose_pack
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from briefgen.look import load_look
from briefgen.text.fonts import SANS, SANS_BOLD, font_path
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.pdf.writer import write_pdf
from tests.conftest import ASP23, CASES
from tests.trees import decided, line

FULL = CASES / "valid" / "full-featured.yaml"
ARABIC_CASE = CASES / "valid" / "arabic-statement.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def override(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "look.yaml").write_text(text, encoding="utf-8")
    return folder


def docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def renamed_font(source: str, family: str, target: Path) -> Path:
    """A copy of a shipped face whose names say ``family`` (a family briefgen does not ship)."""
    font = TTFont(font_path(source))
    stem = family.replace(" ", "")
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = f"{stem}-{target.stem}"
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    return target


def base_fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    resources: list[Any] = [page["/Resources"] for page in reader.pages]
    fonts = [font for found in resources for font in found["/Font"].values()]
    return {str(font["/BaseFont"]).split("+")[-1] for font in fonts}


# --- the look -----------------------------------------------------------------------


def test_the_accent_may_name_another_colour_of_the_palette(tmp_path: Path) -> None:
    """templates.md: "a colour of the palette may itself name another". ``accent: ink``
    (a monochrome pack) is refused today, with errors placed in briefgen's own look.yaml
    (look._named_colours_resolved resolves one step only)."""
    look = load_look(override(tmp_path / "t", "colours:\n  accent: ink\n"))
    assert look.colours.accent == look.colours.ink
    assert look.colours.link == look.colours.ink  # link: accent, accent: ink
    assert look.heading(1).colour == look.colours.ink


def test_only_colours_are_looked_up_in_the_palette(tmp_path: Path) -> None:
    """A bullet (or any text value) that happens to spell a colour's name stays as typed;
    today every string anywhere in the look equal to a palette name is replaced."""
    look = load_look(override(tmp_path / "t", 'lists:\n  bullets: ["ink", "rule"]\n'))
    assert look.lists.bullets == ("ink", "rule")


def test_contents_levels_after_the_last_given_take_its_style(tmp_path: Path) -> None:
    """As the headings' levels do: a look giving one contents style (it was refused,
    "required key '1' is missing") has it for every level, in the PDF and the DOCX."""
    folder = override(
        tmp_path / "t",
        "contents:\n  depth: 3\n  levels:\n    - {size: 12, leading: 15, colour: ink}\n",
    )
    look = load_look(folder)
    assert look.contents.levels == (look.contents.levels[0],) * 3
    assert look.contents_level(3).size == 12
    document = compose_pack(load_session(FULL), folder)
    styles = docx.Document(io.BytesIO(write_docx(document).data)).styles
    sizes = {styles[f"toc {level}"].font.size.pt for level in (1, 2, 3)}
    assert sizes == {12}
    assert write_pdf(document).pages > 0


def test_a_family_of_ones_own_needs_a_name(tmp_path: Path) -> None:
    """``family: ""`` with files is accepted and the DOCX names a font ``w:name=""``."""
    folder = tmp_path / "t"
    renamed_font(SANS, "House", folder / "fonts" / "R.ttf")
    renamed_font(SANS_BOLD, "House", folder / "fonts" / "B.ttf")
    override(folder, 'font:\n  family: ""\n  files: {regular: fonts/R.ttf, bold: fonts/B.ttf}\n')
    with pytest.raises(UserError):
        load_look(folder)


def test_a_corrupt_font_file_is_the_users_error(tmp_path: Path) -> None:
    """A file with TrueType's magic number but no tables passes the look's check and
    then fails inside reportlab (TTFError, "internal error, please report it")."""
    folder = tmp_path / "t"
    (folder / "fonts").mkdir(parents=True)
    for name in ("R.ttf", "B.ttf"):
        (folder / "fonts" / name).write_bytes(b"\x00\x01\x00\x00" + b"garbage" * 4)
    override(folder, "font:\n  family: House\n  files: {regular: fonts/R.ttf, bold: fonts/B.ttf}\n")
    with pytest.raises(UserError):
        document = compose_pack(load_session(ASP23), folder)
        write_pdf(document)


@pytest.mark.parametrize(
    "text",
    [
        # paddings within their bound, margins within theirs: the box has no width left
        "page:\n  margins: {left: 7.5cm, right: 7.5cm}\n"
        "key-messages:\n  padding: {left: 100, right: 100, top: 10, bottom: 10}\n",
        # a length within its bound (2000 pt) taller than any page
        "cover:\n  space-above: 2000\n",
        # a heading size within its bound (400 pt): a title wraps taller than the page
        "headings:\n  - {size: 400, leading: 400, colour: accent}\n",
    ],
)
def test_a_look_within_its_bounds_is_drawn_or_refused(tmp_path: Path, text: str) -> None:
    """Commit 80f2fcb: bounds "that keep a layout possible". These values pass them and
    the PDF writer raises (LayoutError / ValueError) as an internal error."""
    folder = override(tmp_path / "t", text)
    try:
        load_look(folder)
    except UserError:
        return  # refused at its line: fine
    try:
        write_pdf(compose_pack(load_session(ASP23), folder))
    except UserError as error:  # refused as the user's error, naming the look
        assert "look" in str(error.diagnostics[0])


@pytest.mark.parametrize(("logo", "refused"), [("[459, 650]", False), ("[460, 100]", True)])
def test_a_logo_box_larger_than_the_text_area_is_refused_at_validation(
    tmp_path: Path, logo: str, refused: bool
) -> None:
    """The PDF cannot lay out a logo larger than the text area (459.2 pt wide on A4,
    650.3 pt high on Letter, with the built-in margins)."""
    folder = override(tmp_path / "t", f"page:\n  logo: {logo}\n")
    if not refused:
        assert load_look(folder).page.logo == (459, 650)
        return
    with pytest.raises(UserError) as raised:
        load_look(folder)
    (error,) = raised.value.diagnostics
    assert (error.field, error.message) == (
        "page",
        "the logo box (460 x 100 pt) is larger than the text area of a page:"
        " at most 459.21 x 650.26 pt",
    )


NO_PAGE_HOLDS = (  # within every bound, but the pack's title wraps taller than a page
    "page:\n  margins: {left: 225, right: 225, top: 300, bottom: 300}\n"
    "text:\n  cover-title: {size: 144, leading: 144}\n"
)


@pytest.mark.parametrize("formats", ["pdf", "pdf,docx,html"])
def test_a_look_no_page_holds_stops_the_build_with_its_error(tmp_path: Path, formats: str) -> None:
    """The PDF is rendered in a process of its own: its error reaches the command as the
    user's error, not as a traceback of an internal one."""
    from click.testing import CliRunner

    from briefgen.cli.main import cli

    folder = override(tmp_path / "t", NO_PAGE_HOLDS)
    argv = ["build", str(ASP23), "--templates", str(folder), "--format", formats]
    result = CliRunner().invoke(cli, [*argv, "--output-dir", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "look.yaml: error: the pack cannot be laid out:" in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not (tmp_path / "out").exists()


def test_font_files_replaced_in_place_are_read_again(tmp_path: Path) -> None:
    """``briefgen watch`` rebuilds in one process. After the look's TTF files are
    replaced, the rebuilt PDF still carries the old faces (look._faces and
    metrics._file_widths are cached by path), while the manifest records the new files."""
    folder = tmp_path / "t"
    regular, bold = folder / "fonts" / "R.ttf", folder / "fonts" / "B.ttf"
    renamed_font(SANS, "House One", regular)
    renamed_font(SANS_BOLD, "House One", bold)
    override(folder, "font:\n  family: House\n  files: {regular: fonts/R.ttf, bold: fonts/B.ttf}\n")
    first = base_fonts(write_pdf(compose_pack(load_session(ASP23), folder)).data)
    assert any(name.startswith("HouseOne") for name in first)
    renamed_font(SANS, "House Two", regular)
    renamed_font(SANS_BOLD, "House Two", bold)
    second = base_fonts(write_pdf(compose_pack(load_session(ASP23), folder)).data)
    assert all(name.startswith("HouseTwo") for name in second), second


def test_font_files_are_found_by_their_names_as_typed(tmp_path: Path) -> None:
    """Text is read composed (NFC), a file's name is not: a face saved as "Régulier.ttf"
    with a combining accent (as macOS saves names) is that name only, on Linux."""
    folder = tmp_path / "t"
    regular = unicodedata.normalize("NFD", "Régulier.ttf")
    renamed_font(SANS, "House Accent", folder / "fonts" / "R.ttf").rename(
        folder / "fonts" / regular
    )
    renamed_font(SANS_BOLD, "House Accent", folder / "fonts" / "B.ttf")
    override(
        folder,
        f"font:\n  family: House\n  files: {{regular: fonts/{regular}, bold: fonts/B.ttf}}\n",
    )
    assert load_look(folder).font.files is not None
    fonts = base_fonts(write_pdf(compose_pack(load_session(ASP23), folder)).data)
    assert any(name.startswith("HouseAccent") for name in fonts), fonts


# --- the DOCX draws the whole look ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "cover:\n  space-above: 200\n",
        "cover:\n  space-below-logo: 100\n",
        "lists:\n  space-after: 20\n",
        "tables:\n  space-before: 40\n",
        "key-messages:\n  space-before: 40\n",
    ],
)
def test_every_key_of_the_look_reaches_the_docx(tmp_path: Path, text: str) -> None:
    """Each of these keys changes the PDF of full-featured.yaml, and leaves the DOCX
    byte for byte as it was: no module of writers/docx reads them."""
    loaded = load_session(FULL)
    before = write_docx(compose_pack(loaded)).data
    after = write_docx(compose_pack(loaded, override(tmp_path / "t", text))).data
    if before == after:
        pytest.fail(f"the DOCX is byte-identical with and without {text!r}")


def _effective_outline_level(style: Any) -> str | None:
    current = style
    while current is not None:
        found = current.element.xpath("./w:pPr/w:outlineLvl/@w:val")
        if found:
            return str(found[0])
        current = current.base_style
    return None


def test_the_contents_title_is_not_a_heading_of_the_outline() -> None:
    """The "TOC Heading" style is based on Heading 1 and its own outlineLvl 9 is removed
    (oxml.paragraph_look), so it inherits level 0: "Contents" is the first entry of the
    navigation pane and of LibreOffice's PDF bookmarks, and Word's TOC lists it after an
    update. The PDF's outline has no such entry."""
    word = docx.Document(io.BytesIO(write_docx(compose_pack(load_session(ASP23))).data))
    assert _effective_outline_level(word.styles["TOC Heading"]) in (None, "9")


def _meta() -> tree.Metadata:
    return tree.Metadata(
        title="Pack",
        author="Secretariat",
        subject="Briefing pack",
        keywords=(),
        language="en",
        created=datetime(2024, 12, 2, tzinfo=UTC),
        paper="A4",
        draft=False,
        running_header=line("Pack"),
        draft_mark=line("DRAFT"),
    )


def test_a_heading_inside_the_key_message_box_is_drawn_inside_it() -> None:
    """The PDF draws a heading nested in ``::: key-messages`` inside the tinted box; so
    does the DOCX, in the box's table, in its heading style."""
    box = tree.KeyMessages(
        (
            tree.Heading(2, (tree.Text("In the box"),), "boxed"),
            tree.Paragraph((tree.Text("A boxed paragraph."),)),
        )
    )
    document = decided(_meta(), [box])
    word = docx.Document(io.BytesIO(write_docx(document).data))
    (table,) = word.tables
    assert table.style.name == "Key Message Box"
    assert table.style.element.xpath("./w:tcPr/w:shd/@w:fill")
    boxed = [(p.style.name, p.text) for p in table._cells[0].paragraphs if p.text]
    assert boxed == [("Heading 2", "In the box"), ("Key Message", "A boxed paragraph.")]


def test_a_reference_made_from_a_pack_keeps_the_font_parts_consistent(tmp_path: Path) -> None:
    """templates.md: start a reference.docx from a pack briefgen made. When that pack
    held Arabic, the new pack's font table still names "Noto Sans Arabic" with
    r:id="rIdFont5"/"rIdFont6", but embedded.embed_fonts rewrote fontTable.xml.rels
    without them: dangling relationship ids, and orphan font parts."""
    arabic = docx.Document(io.BytesIO(write_docx(compose_pack(load_session(ARABIC_CASE))).data))
    body = arabic.element.body
    for child in list(body):
        if child.tag != f"{W}sectPr":
            body.remove(child)
    reference = tmp_path / "reference.docx"
    arabic.save(str(reference))
    parts = docx_parts(write_docx(compose_pack(load_session(ASP23)), reference=reference).data)
    rels = parts.get("word/_rels/fontTable.xml.rels", b"").decode()
    declared = set(re.findall(r'Id="([^"]+)"', rels))
    font_table = parts["word/fontTable.xml"]
    used = {
        element.get(R_ID)
        for element in etree.fromstring(font_table).iter()
        if element.get(R_ID) is not None
    }
    assert used <= declared, f"font table names missing relationships {sorted(used - declared)}"


def test_an_unusable_cache_folder_leaves_the_numbers_to_word(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """building.md: without LibreOffice, "or if it fails", the contents are left for Word.
    A cache folder that cannot be made (a file in its place, a read-only home) raises
    from pagination._profile instead (internal error)."""
    office = tmp_path / "soffice"
    office.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    office.chmod(0o755)
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv("BRIEFGEN_OFFICE", str(office))
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    rendered = write_docx(compose_pack(load_session(ASP23)))
    assert rendered.pages is None
