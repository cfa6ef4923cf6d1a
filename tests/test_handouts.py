"""``briefgen handouts``: one page each, the key messages in both files, QR codes that
decode to the pack's address, cut with a warning when too long, the same bytes twice,
nothing written for a bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from briefgen import tree
from briefgen.cli.main import cli
from briefgen.compose.decisions import decide
from briefgen.input.load import load_session
from briefgen.look import default_look
from briefgen.writers.html.writer import write_html
from briefgen.writers.pdf.writer import write_pdf
from briefgen.writers.qr import dark_runs, qr_symbol
from tests.clients import convert_with_libreoffice
from tests.conftest import ASP23, WriteInput
from tests.docx_reading import every_paragraph
from tests.pdf_structure import check_structure

PACK_URL = "https://example.org/asp23/briefing-pack"
SESSION_URL = "https://example.org/asp23"
HANDOUTS = ("key-messages", "review", "cooperation", "closing")
CONTINUED = "Continued in the full pack"

needs_zbar = pytest.mark.skipif(
    shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
    reason="zbarimg (zbar-tools) and pdftoppm (poppler-utils) read the QR codes back;"
    " .ci/run installs them",
)


def asp23_text(*, pack_url: str | None = PACK_URL, session_url: str | None = None) -> str:
    """The ASP23 session, with ``pack: url:`` and ``session: url:`` added as asked."""
    text = ASP23.read_text(encoding="utf-8")
    assert "  paper: A4\n" in text and "  short_name: ASP23\n" in text
    if pack_url:
        text = text.replace("  paper: A4\n", f"  paper: A4\n  url: {pack_url}\n")
    if session_url:
        text = text.replace("  short_name: ASP23\n", f"  short_name: ASP23\n  url: {session_url}\n")
    return text


def with_long_summary(text: str, paragraphs: int = 60, sentences: int = 4) -> str:
    """``text`` with the review plenary's summary replaced by many long paragraphs."""
    found = re.search(r"(  - id: review\n(?:    .*\n)*?    summary: )>-\n((?:      .*\n)+)", text)
    assert found is not None
    sentence = "The panel heard at length how the review should proceed and why it matters. "
    body = "".join(
        f"      Paragraph {n}. {sentence * sentences}\n\n" for n in range(1, paragraphs + 1)
    )
    return text[: found.start(2) - 3] + "|-\n" + body.rstrip("\n") + "\n" + text[found.end(2) :]


def handouts(*args: str) -> Result:
    return CliRunner().invoke(cli, ["handouts", *args], prog_name="briefgen")


def build(input_path: Path, output: Path, *more: str) -> Result:
    result = handouts(str(input_path), "--output-dir", str(output), *more)
    assert result.exit_code == 0, result.stderr
    return result


def pdf_text(path: Path) -> str:
    """The PDF's text, a word hyphenated at a line's end (its soft hyphen) one word."""
    reader = PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(re.sub("\u00ad\\s*", "", text).split())


def docx_text(path: Path, *, raw: bool = False) -> str:
    """The DOCX's text, its spaces made one (``raw``: as written, no-break spaces kept)."""
    text = "\n".join(p.text for p in every_paragraph(docx.Document(str(path))))
    return text if raw else " ".join(text.split())


def decode_png(path: Path) -> list[str]:
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True, timeout=60
    )
    return found.stdout.split()


def decode_pdf(path: Path, work: Path) -> list[str]:
    prefix = work / path.stem
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(prefix)], check=True)
    return [code for image in sorted(work.glob(f"{path.stem}*.png")) for code in decode_png(image)]


def docx_pictures(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {
            name: package.read(name)
            for name in package.namelist()
            if name.startswith("word/media/") and name.endswith(".png")
        }


@pytest.fixture
def asp23(write_input: WriteInput) -> Path:
    return write_input(asp23_text(), "asp23.yaml")


@pytest.fixture
def built(asp23: Path, tmp_path: Path) -> Path:
    build(asp23, tmp_path / "out")
    return tmp_path / "out" / "asp23"


def test_every_handout_is_written_as_pdf_and_docx_each_on_one_page(built: Path) -> None:
    expected = {f"asp23-handout-{name}.{ext}" for name in HANDOUTS for ext in ("pdf", "docx")}
    assert {path.name for path in built.iterdir()} == expected
    for name in HANDOUTS:
        assert len(PdfReader(built / f"asp23-handout-{name}.pdf").pages) == 1, name
        document = docx.Document(str(built / f"asp23-handout-{name}.docx"))
        assert len(document.sections) == 1


def test_the_key_messages_are_in_both_files(asp23: Path, built: Path) -> None:
    closing = next(p for p in load_session(asp23).session.plenaries if p.kind == "closing")
    pdf = pdf_text(built / "asp23-handout-key-messages.pdf")
    word = docx_text(built / "asp23-handout-key-messages.docx")
    assert "ASP23: key messages" in pdf and "ASP23: key messages" in word
    for message in closing.key_messages:
        text = " ".join(message.text.replace("**", "").split())
        assert text in word
        assert text[-40:] in pdf  # the end of the message, on its last line


def test_every_font_a_handout_names_is_embedded(built: Path) -> None:
    """The QR code's drawing starts in the text face, not in an unembedded Helvetica that
    PDF/A-2u, which the handouts claim, forbids."""
    for name in HANDOUTS:
        (page,) = PdfReader(built / f"asp23-handout-{name}.pdf").pages
        fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
        for font in fonts:
            assert "/FontDescriptor" in font, (name, font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


def test_a_plenary_handout_has_its_title_summary_and_statements(built: Path) -> None:
    for text in (
        pdf_text(built / "asp23-handout-review.pdf"),
        docx_text(built / "asp23-handout-review.docx"),
    ):
        assert "Review plenary" in text
        assert "4 December 2024" in text
        assert "The Assembly met as a plenary panel" in text
        assert "Human Rights Watch: Intervention of Human Rights Watch" in text
        assert CONTINUED not in text


@needs_zbar
def test_the_qr_codes_decode_to_the_pack_address(built: Path, tmp_path: Path) -> None:
    work = tmp_path / "pages"
    work.mkdir()
    for name in HANDOUTS:
        assert decode_pdf(built / f"asp23-handout-{name}.pdf", work) == [PACK_URL], name
        pictures = docx_pictures(built / f"asp23-handout-{name}.docx")
        assert len(pictures) == 1, name
        for number, data in enumerate(pictures.values()):
            png = work / f"{name}-{number}.png"
            png.write_bytes(data)
            assert decode_png(png) == [PACK_URL], name


def qr_code_alt(folder: Path, name: str) -> tuple[list[str | None], str]:
    """The alternate texts of the handout's figures in the PDF, and the DOCX's XML."""
    figures = check_structure((folder / f"asp23-handout-{name}.pdf").read_bytes()).find("Figure")
    with zipfile.ZipFile(folder / f"asp23-handout-{name}.docx") as package:
        return [figure.alt for figure in figures], package.read("word/document.xml").decode()


def test_the_address_is_printed_under_the_code_which_says_what_it_is(built: Path) -> None:
    """The alternate text names the picture; it does not read the address out a second
    time before the link under it does."""
    assert PACK_URL in pdf_text(built / "asp23-handout-closing.pdf")
    assert PACK_URL in docx_text(built / "asp23-handout-closing.docx")
    alts, word = qr_code_alt(built, "closing")
    assert alts == ["QR code of the address below"]
    assert 'descr="QR code of the address below"' in word
    assert f'descr="{PACK_URL}"' not in word


@needs_zbar
def test_without_a_pack_address_a_plenary_leads_to_the_session_and_key_messages_to_none(
    write_input: WriteInput, tmp_path: Path
) -> None:
    source = write_input(asp23_text(pack_url=None, session_url=SESSION_URL), "asp23.yaml")
    build(source, tmp_path / "out")
    folder = tmp_path / "out" / "asp23"
    work = tmp_path / "pages"
    work.mkdir()
    assert decode_pdf(folder / "asp23-handout-review.pdf", work) == [SESSION_URL]
    assert decode_pdf(folder / "asp23-handout-key-messages.pdf", work) == []
    assert docx_pictures(folder / "asp23-handout-key-messages.docx") == {}


def test_without_any_address_there_is_no_qr_code(write_input: WriteInput, tmp_path: Path) -> None:
    source = write_input(asp23_text(pack_url=None), "asp23.yaml")
    build(source, tmp_path / "out")
    folder = tmp_path / "out" / "asp23"
    for name in HANDOUTS:
        assert docx_pictures(folder / f"asp23-handout-{name}.docx") == {}
        assert not check_structure((folder / f"asp23-handout-{name}.pdf").read_bytes()).find(
            "Figure"
        )


def test_a_long_summary_is_cut_to_one_page_with_a_warning_naming_the_plenary(
    write_input: WriteInput, tmp_path: Path
) -> None:
    source = write_input(with_long_summary(asp23_text()), "asp23.yaml")
    result = build(source, tmp_path / "out")
    folder = tmp_path / "out" / "asp23"
    assert {path.name for path in folder.iterdir()} == {
        f"asp23-handout-{name}.{ext}" for name in HANDOUTS for ext in ("pdf", "docx")
    }
    assert "warning: plenaries[0]: the handout of plenary 'review' does not fit" in result.stderr
    assert result.stderr.count("does not fit one page") == 1
    pdf, word = folder / "asp23-handout-review.pdf", folder / "asp23-handout-review.docx"
    assert len(PdfReader(pdf).pages) == 1
    for text in (pdf_text(pdf), docx_text(word)):
        assert "Paragraph 1." in text and "Paragraph 60." not in text
        assert text.index("Paragraph 1.") < text.index(CONTINUED) < text.index(PACK_URL)
    # The DOCX has the same blocks as the PDF: the same last paragraph before the line.
    last = re.findall(r"Paragraph (\d+)\.", pdf_text(pdf))[-1]
    assert re.findall(r"Paragraph (\d+)\.", docx_text(word))[-1] == last


def test_a_summary_of_one_long_paragraph_is_cut_to_fill_the_page_with_an_ellipsis(
    write_input: WriteInput, tmp_path: Path
) -> None:
    """Not dropped whole, leaving the title alone on an empty page: cut after a word."""
    source = write_input(with_long_summary(asp23_text(), 1, 100), "asp23.yaml")
    result = build(source, tmp_path / "out")
    assert "the handout of plenary 'review' does not fit" in result.stderr
    folder = tmp_path / "out" / "asp23"
    pdf, word = folder / "asp23-handout-review.pdf", folder / "asp23-handout-review.docx"
    assert len(PdfReader(pdf).pages) == 1
    for text in (pdf_text(pdf), docx_text(word)):
        summary = text[text.index("Paragraph 1.") : text.index(CONTINUED)]
        assert summary.count("why it matters.") >= 20, text  # most of the page
        assert summary.count("why it matters.") < 100
        assert re.search(r"\w\u2026 $", summary), summary  # after a word, an ellipsis
    assert pdf_text(pdf).index(CONTINUED) < pdf_text(pdf).index(PACK_URL)
    cut = re.search(r"Paragraph 1\.(.*?)\u2026", docx_text(word))
    assert cut is not None and cut.group(1) in pdf_text(pdf)  # the same words in both


def test_a_paragraph_cut_to_fit_keeps_its_formatting(
    write_input: WriteInput, tmp_path: Path
) -> None:
    """Cut inside bold text: the words kept stay bold, the ellipsis after them is not."""
    text = with_long_summary(asp23_text(), 1, 100)
    text = text.replace("      Paragraph 1. ", "      Paragraph 1. **", 1)
    text = text.replace("why it matters. \n", "why it matters.**\n", 1)
    source = write_input(text, "asp23.yaml")
    build(source, tmp_path / "out", "--format", "docx")
    word = docx.Document(str(tmp_path / "out" / "asp23" / "asp23-handout-review.docx"))
    (cut,) = [p for p in word.paragraphs if p.text.startswith("Paragraph 1.")]
    runs = [run for run in cut.runs if run.text]
    assert runs[-1].text == "\u2026" and not runs[-1].bold
    assert runs[-2].bold and runs[-2].text.rstrip()[-1].isalpha()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) missing")
def test_a_handout_cut_to_fill_its_page_takes_one_page_in_libreoffice_too(
    write_input: WriteInput, tmp_path: Path
) -> None:
    """LibreOffice sets the text a little longer than the PDF: the cut leaves it room."""
    first = "    key_messages:\n"
    long_message = f"      - {'Victims must be heard in every decision. ' * 120}\n"
    text = asp23_text().replace(first, first + long_message)
    source = write_input(with_long_summary(text, 1, 100), "asp23.yaml")
    build(source, tmp_path / "out", "--format", "docx")
    folder = tmp_path / "out" / "asp23"
    handouts = [folder / "asp23-handout-review.docx", folder / "asp23-handout-key-messages.docx"]
    converted = convert_with_libreoffice(handouts, tmp_path, "pdf")
    for handout in handouts:
        laid_out = PdfReader(converted / f"{handout.stem}.pdf")
        assert len(laid_out.pages) == 1, handout.name
        assert PACK_URL in laid_out.pages[0].extract_text()


def test_the_pdf_link_under_the_code_is_its_address_in_ascii(
    write_input: WriteInput, tmp_path: Path
) -> None:
    """A link's /URI is 7-bit ASCII in a PDF: an address with Cyrillic letters and
    guillemets is percent-encoded there (UTF-8), and printed and encoded as typed."""
    address = "https://example.org/досье/ASP23?q=a%20b&x=«y»"
    source = write_input(asp23_text(pack_url=address), "asp23.yaml")
    build(source, tmp_path / "out", "--format", "pdf")
    pdf = tmp_path / "out" / "asp23" / "asp23-handout-key-messages.pdf"
    (annotation,) = [a.get_object() for a in PdfReader(pdf).pages[0]["/Annots"]]
    uri = annotation["/A"]["/URI"]
    assert uri == "https://example.org/%D0%B4%D0%BE%D1%81%D1%8C%D0%B5/ASP23?q=a%20b&x=%C2%ABy%C2%BB"
    assert isinstance(uri, str) and uri.isascii()
    assert address in pdf_text(pdf)


def test_the_same_input_gives_the_same_bytes(asp23: Path, tmp_path: Path) -> None:
    build(asp23, tmp_path / "one")
    build(asp23, tmp_path / "two")
    one, two = tmp_path / "one" / "asp23", tmp_path / "two" / "asp23"
    names = sorted(path.name for path in one.iterdir())
    assert names == sorted(path.name for path in two.iterdir())
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def refused(result: Result, out: Path, error: str) -> None:
    """The command failed with ``error`` (a pattern), no traceback, and wrote nothing."""
    assert result.exit_code == 1
    assert re.search(error, result.stderr), result.stderr
    assert "Traceback" not in result.stderr + result.output
    assert not out.exists()


def test_a_bad_input_is_an_error_at_its_place_and_writes_nothing(
    write_input: WriteInput, tmp_path: Path
) -> None:
    text = asp23_text()
    assert "        by: hrw\n" in text
    source = write_input(text.replace("        by: hrw\n", "        by: hrw2\n", 1), "asp23.yaml")
    result = handouts(str(source), "--output-dir", str(tmp_path / "out"))
    refused(
        result,
        tmp_path / "out",
        (
            r"asp23\.yaml:\d+:\d+: error: plenaries\[0\]\.statements\[1\]\.by: unknown organization"
            r" 'hrw2' \(did you mean 'hrw'\?\)"
        ),
    )


def test_only_pdf_and_docx_are_handout_formats(asp23: Path, tmp_path: Path) -> None:
    result = handouts(str(asp23), "--output-dir", str(tmp_path / "out"), "--format", "html")
    assert result.exit_code == 2
    build(asp23, tmp_path / "out", "--format", "pdf")
    assert {path.suffix for path in (tmp_path / "out" / "asp23").iterdir()} == {".pdf"}


def test_a_french_pack_gets_french_handouts_on_letter_paper(
    write_input: WriteInput, tmp_path: Path
) -> None:
    text = with_long_summary(asp23_text()).replace("  language: en\n", "  language: fr\n")
    source = write_input(text.replace("  paper: A4\n", "  paper: Letter\n"), "asp23.yaml")
    build(source, tmp_path / "out")
    folder = tmp_path / "out" / "asp23"
    page = PdfReader(folder / "asp23-handout-key-messages.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    word = docx_text(folder / "asp23-handout-key-messages.docx", raw=True)
    assert "ASP23\u00a0: messages clés" in word  # a no-break space before the colon
    closing = docx_text(folder / "asp23-handout-closing.docx", raw=True)
    assert "Al-Haq\u00a0: Coalition statement at the closing session" in closing
    review = docx_text(folder / "asp23-handout-review.docx", raw=True)
    assert "4\u00a0décembre 2024" in review and "Suite dans le dossier complet" in review
    alts, xml = qr_code_alt(folder, "review")
    assert alts == ["Code QR de l\u2019adresse ci-dessous"]
    assert 'descr="Code QR de l\u2019adresse ci-dessous"' in xml


def test_the_html_writer_draws_a_qr_code_as_an_image_with_its_alternate_text() -> None:
    look = default_look()
    blocks = decide((tree.QRCode(PACK_URL, PACK_URL, "QR code & <address>"),), "en", look)
    meta = load_metadata()
    page = write_html(tree.Document(meta, blocks, look)).data.decode()
    alt = 'alt="QR code &amp; &lt;address&gt;"'
    assert re.search(rf'<img src="data:image/svg\+xml[^"]*" {alt}', page)
    assert f'<a href="{PACK_URL}" class="url">{PACK_URL}</a>' in page
    assert write_pdf(tree.Document(meta, blocks, look)).pages == 1


def load_metadata() -> tree.Metadata:
    from briefgen.compose.pack import compose_pack

    return compose_pack(load_session(ASP23)).meta


def test_an_address_too_long_for_a_qr_code_is_an_error_at_it(
    write_input: WriteInput, tmp_path: Path
) -> None:
    long_url = PACK_URL + "/" + "a" * 2100
    source = write_input(asp23_text(pack_url=long_url), "asp23.yaml")
    result = handouts(str(source), "--output-dir", str(tmp_path / "out"))
    refused(
        result,
        tmp_path / "out",
        (
            r"asp23\.yaml:\d+:8: error: pack\.url: is 2,140 bytes long: a handout's QR code holds"
            r" at most 2,000"
        ),
    )
    # An address of 2,000 bytes still prints, and reads back.
    fits = PACK_URL + "/" + "a" * (2000 - len(PACK_URL) - 1)
    source = write_input(asp23_text(pack_url=fits), "asp23.yaml")
    build(source, tmp_path / "out", "--format", "pdf")
    printed = pdf_text(tmp_path / "out" / "asp23" / "asp23-handout-key-messages.pdf")
    assert fits in printed.replace(" ", "")  # the address, broken across lines


def test_an_address_whose_code_is_too_fine_to_read_in_print_is_a_warning_at_it(
    write_input: WriteInput, tmp_path: Path
) -> None:
    """500 bytes make a code of version 17 (85 modules a side, 93 with its quiet zone):
    0.43 mm each in its 40 mm; 800 bytes, version 23: 0.34 mm, under what phones read
    reliably in print."""
    fine = PACK_URL + "/" + "a" * (800 - len(PACK_URL) - 1)
    source = write_input(asp23_text(pack_url=fine), "asp23.yaml")
    result = handouts(str(source), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert re.search(
        r"asp23\.yaml:\d+:8: warning: pack\.url: is 800 bytes long: its QR code has modules"
        r" of 0\.34 mm on the handouts, which phones may not read in print",
        result.stderr,
    ), result.stderr
    coarse = PACK_URL + "/" + "a" * (500 - len(PACK_URL) - 1)
    source = write_input(asp23_text(pack_url=coarse), "asp23.yaml")
    result = handouts(str(source), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 0 and "QR code has modules" not in result.stderr


def test_a_plenary_that_would_take_the_key_messages_file_is_an_error_at_its_id(
    write_input: WriteInput, tmp_path: Path
) -> None:
    text = asp23_text()
    assert text.count("  - id: review\n") == 1
    source = write_input(text.replace("  - id: review\n", "  - id: key-messages\n"), "asp23.yaml")
    result = handouts(str(source), "--output-dir", str(tmp_path / "out"))
    refused(
        result,
        tmp_path / "out",
        (
            r"asp23\.yaml:\d+:9: error: plenaries\[0\]\.id: 'key-messages' names the key messages'"
            r" handout"
        ),
    )


def test_a_plenary_without_summary_or_statements_says_so_on_its_handout(
    write_input: WriteInput, tmp_path: Path
) -> None:
    """As the pack does, rather than a page with a title alone."""
    text = asp23_text()
    plenary = "  - id: closing\n"
    assert plenary in text
    empty = "  - id: side-event\n    title: Side event\n    date: 2024-12-06\n"
    source = write_input(text.replace(plenary, empty + plenary), "asp23.yaml")
    build(source, tmp_path / "out")
    handout = tmp_path / "out" / "asp23" / "asp23-handout-side-event"
    said = "No statements by member organisations are recorded for this meeting."
    assert said in pdf_text(handout.with_suffix(".pdf"))
    assert said in docx_text(handout.with_suffix(".docx"))


def test_a_qr_codes_dark_runs_cover_its_dark_modules_and_no_other() -> None:
    """The PDF draws the runs ``dark_runs`` gives; they are the symbol's dark modules,
    the same symbol the DOCX and the HTML carry (``qr_symbol``)."""
    symbol = qr_symbol(PACK_URL)
    drawn = {
        (row, column + at) for row, column, length in dark_runs(symbol) for at in range(length)
    }
    dark = {
        (row, column)
        for row, modules in enumerate(symbol.matrix)
        for column, module in enumerate(modules)
        if module
    }
    assert drawn == dark and len(dark) > 100
