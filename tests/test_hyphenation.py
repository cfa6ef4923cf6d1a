"""Long words are broken at syllables at a line's end, where the look says so (body text
and table cells by default), by the rules of the text's language: in the PDF (pyphen's
dictionaries through reportlab), in the DOCX (Word's automatic hyphenation) and in
the HTML (CSS ``hyphens``). The PDF's inserted hyphen copies as a soft hyphen."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.writers.pdf.bidi import BidiParagraph
from briefgen.writers.pdf.fonts import register_pdf_fonts
from briefgen.writers.pdf.paragraph import paragraph
from briefgen.writers.pdf.styles import hyphenated
from briefgen.writers.pdf.text import Run

LONG_WORDS = (
    "Representatives emphasised that uncompromising institutional independence, "
    "intergovernmental accountability and comprehensive victim-centred reparations "
    "require extraordinarily sustained multilateral commitments. "
) * 6

SESSION = f"""\
pack:
  title: Hyphenation
session:
  id: hyphens
  name: Session
  start: 2025-04-07
  end: 2025-04-09
organizations:
  - id: c
    name: Coalition
plenaries:
  - id: p
    title: Intergovernmental responsibilities and institutional accountability
    date: 2025-04-08
    summary: "{LONG_WORDS.strip()}"
  - id: q
    title: Emphasis
    date: 2025-04-09
    summary: "**{LONG_WORDS.strip()}**"
"""

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def build(
    tmp_path: Path, templates: Path | None = None, formats: tuple[str, ...] = ("pdf",)
) -> Path:
    source = tmp_path / "hyphens.yaml"
    source.write_text(SESSION, encoding="utf-8")
    options = BuildOptions(formats=formats, output_dir=tmp_path / "out", templates=templates)
    return build_pack(source, options).folder


def pdf_lines(folder: Path) -> list[str]:
    pdf = next(folder.glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    return text.splitlines()


def test_body_text_breaks_long_words_with_a_soft_hyphen(tmp_path: Path) -> None:
    lines = pdf_lines(build(tmp_path))
    broken = [line for line in lines if line.rstrip().endswith("\u00ad")]
    assert len(broken) >= 3
    # Joined again at the soft hyphens, the words are the words typed.
    joined = re.sub("\u00ad\\s*\n", "", "\n".join(lines))
    for word in ("intergovernmental", "institutional", "extraordinarily", "accountability"):
        assert word in joined
    assert not any(line.rstrip().endswith("-") for line in lines if "victim" not in line)


def test_headings_are_not_hyphenated_emphasised_paragraphs_are(tmp_path: Path) -> None:
    lines = pdf_lines(build(tmp_path))
    heading = [line for line in lines if line.startswith("Intergovernmental responsibilities")]
    assert heading and not heading[0].rstrip().endswith("\u00ad")
    # The paragraph in bold is laid out in fragments; the hyphen reportlab puts at a
    # line's end there copies as a soft hyphen too.
    start = max(
        i for i, line in enumerate(lines) if line.startswith("Emphasis —")
    )  # not the contents
    bold = [line for line in lines[start + 1 :] if line.strip()][:12]
    assert any(line.rstrip().endswith("\u00ad") for line in bold), bold
    assert not any(line.rstrip().endswith("-") and "victim" not in line for line in bold)
    joined = re.sub("\u00ad\\s*\n", "", "\n".join(bold))
    for word in ("intergovernmental", "institutional", "extraordinarily"):
        assert word in joined


def test_a_paragraph_the_pdf_lays_out_itself_is_hyphenated_at_a_lines_end() -> None:
    """Text with an Arabic name (or Thai, or an address) is laid out by the bidi
    paragraph, which hyphenates a word only where it does not fit, as reportlab's does."""
    register_pdf_fonts()
    style = hyphenated(
        ParagraphStyle("body", fontName="NotoSans-Regular", fontSize=10, leading=12), "en"
    )
    flowable = BidiParagraph([Run(LONG_WORDS.replace("commitments", "commitments (الحق)"))], style)
    flowable.wrap(200, 10_000)
    shown = ["".join(piece.text for piece in line.pieces) for line in flowable.lines]
    assert any(line.endswith("\u00ad") for line in shown[:-1]), shown
    assert not any("\u00ad" in line[:-1] for line in shown)
    ends = [" " if line.at_space else "" for line in flowable.lines]
    joined = "".join(
        text.removesuffix("\u00ad") + end for text, end in zip(shown, ends, strict=True)
    )
    assert " ".join(joined.split()) == " ".join(
        LONG_WORDS.replace("commitments", "commitments (الحق)").split()
    )


def test_a_language_without_hyphenation_rules_is_not_hyphenated() -> None:
    register_pdf_fonts()
    style = ParagraphStyle("body", fontName="NotoSans-Regular", fontSize=10, leading=12)
    assert hyphenated(style, "ar") is style
    assert hyphenated(style, "fr").hyphenationLang == "fr"
    assert hyphenated(style, "en-GB").hyphenationLang == "en_GB"


def test_the_docx_and_html_hyphenate_the_same_roles(tmp_path: Path) -> None:
    folder = build(tmp_path, formats=("docx", "html"))
    with zipfile.ZipFile(next(folder.glob("*.docx"))) as package:
        settings = package.read("word/settings.xml").decode()
        styles = package.read("word/styles.xml").decode()
    assert "<w:autoHyphenation/>" in settings
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S)
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S)
    assert heading and "suppressAutoHyphens" in heading.group(0)
    assert normal and "suppressAutoHyphens" not in normal.group(0)
    page = next(folder.glob("*.html")).read_text(encoding="utf-8")
    assert re.search(r"\bp\{[^}]*hyphens:auto", page)
    assert not re.search(r"\.h1\{[^}]*hyphens:auto", page)


def test_a_look_can_turn_hyphenation_off(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "look.yaml").write_text(
        "text:\n  body: {hyphenate: false}\n  table-cell: {hyphenate: false}\n", encoding="utf-8"
    )
    lines = pdf_lines(build(tmp_path, templates))
    assert not any(line.rstrip().endswith("\u00ad") for line in lines)


CUT_TEXT = (
    "can mobilise the meaningful population and short-term obligation in the Andes. "
    "Without strengthened secretariat, the accessible mechanism of capacity-building will "
    "remain out of reach for farmers in South-East Asia. Our government stresses the "
    "regional innovation of disaster risk reduction in order to expand developing baseline "
    "for experts. Furthermore, our government welcomes the coastal coastline of water "
    "security in order to ensure resilient secretariat for scientists in the Pacific."
)


CUT_CONTENT = (
    tree.Text("Through the blue economy, "),
    tree.Emphasis((tree.Text("governments"),)),
    tree.Text(" " + CUT_TEXT),
)
BROKEN = (tree.Text("Intro"), tree.LineBreak())  # a line break: reportlab breaks the rest


@pytest.mark.parametrize(
    "content",
    [CUT_CONTENT, (*BROKEN, *CUT_CONTENT), (*CUT_CONTENT, tree.LineBreak(), tree.Text(CUT_TEXT))],
    ids=["emphasis", "line-break-first", "line-break-inside"],
)
@pytest.mark.parametrize("width", [459.2, 437, 300, 211])
def test_a_paragraph_cut_at_a_page_end_keeps_its_lines_and_its_hyphens(
    width: float, content: tuple[tree.Inline, ...]
) -> None:
    """A hyphenated paragraph with emphasis cut at every line: the first part keeps the
    lines it was cut with. Broken again, it lost the hyphen of "short-" at a line's end
    ("shortterm") and took one line more than the room it was cut for, which stopped the
    build of a large pack; both parts draw every word as typed."""
    register_pdf_fonts()
    style = hyphenated(
        ParagraphStyle("body", fontName="NotoSans-Regular", fontSize=10, leading=14.5), "en"
    )
    expected = tree.plain_text(content).split()
    whole = paragraph(content, style, "ltr", "#1B3A6B")
    _, height = whole.wrap(width, 10_000)
    total = round(height / style.leading)
    for lines in range(2, total - 1):  # reportlab leaves no orphan or widow line
        room = lines * style.leading + 0.5
        cut = paragraph(content, style, "ltr", "#1B3A6B")
        cut.wrap(width, 10_000)
        first, rest = cut.split(width, room)
        assert first.wrap(width, room)[1] <= room
        shown = _drawn_text([first, rest], width)
        assert "shortterm" not in shown
        words = shown.replace("\u00ad\n", "").replace("-\n", "-").split()
        assert words == expected


WORDS = (
    "short-term",
    "capacity-building",
    "South-East",
    "intergovernmental",
    "accountability",
    "reparations",
    "the",
    "of",
    "and",
    "Court",
    "extraordinarily",
    "victim-centred",
    "a",
    "multilateral",
    "independence",
    "States",
    "co-operation",
    "responsibilities",
)


@st.composite
def paragraphs(draw: st.DrawFn) -> tuple[tree.Inline, ...]:
    """Runs of words, some emphasised or strong, some ending in a line break."""
    content: list[tree.Inline] = []
    for _ in range(draw(st.integers(1, 8))):
        text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40)))
        kind = draw(st.sampled_from(["text", "emphasis", "strong", "break"]))
        if kind == "emphasis":
            content.append(tree.Emphasis((tree.Text(text),)))
        elif kind == "strong":
            content.append(tree.Strong((tree.Text(text),)))
        else:
            content.append(tree.Text(text))
        content.append(tree.LineBreak() if kind == "break" else tree.Text(" "))
    return tuple(content)


@settings(max_examples=60, deadline=None)
@given(content=paragraphs(), width=st.integers(120, 460), cut=st.floats(0.1, 0.9))
def test_any_hyphenated_paragraph_cut_anywhere_fits_its_room_and_keeps_its_words(
    content: tuple[tree.Inline, ...], width: int, cut: float
) -> None:
    register_pdf_fonts()
    style = hyphenated(
        ParagraphStyle("body", fontName="NotoSans-Regular", fontSize=10, leading=14.5), "en"
    )
    whole = paragraph(content, style, "ltr", "#1B3A6B")
    _, height = whole.wrap(width, 10_000)
    room = round(height * cut / style.leading) * style.leading + 0.5
    parts = whole.split(width, room)
    if not parts:  # too few lines to leave neither an orphan nor a widow
        return
    assert parts[0].wrap(width, room)[1] <= room
    shown = _drawn_text(parts, width).replace("\u00ad\n", "").replace("-\n", "-")
    assert shown.split() == tree.plain_text(content).split()


def _drawn_text(parts: list[Flowable], width: float) -> str:
    """The text of ``parts`` drawn one under the other, as pdftotext reads it."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width + 20, 2_000))
    y = 1_990.0
    for part in parts:
        _, height = part.wrap(width, 10_000)
        y -= height
        part.drawOn(canvas, 10, y)
    canvas.save()
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    return reader.pages[0].extract_text()
