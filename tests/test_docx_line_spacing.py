"""The DOCX sets lines exactly as far apart as the PDF, whatever the script: Word and
LibreOffice otherwise take a font's own line height where it is taller (Noto Sans
Arabic's is 2.1 em), and Arabic lines stood half as far apart again as in the PDF.
A paragraph holding a picture keeps a line as tall as the picture."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.look import default_look
from tests.clients import convert_with_libreoffice
from tests.conftest import CASES

# The Arabic statement's full text: its first paragraph holds these numbers (its letters
# come out of the converted PDF spaced apart, its digits do not).
NUMBERS = ("2500", "86")


def _docx(case: str, folder: Path) -> Path:
    options = BuildOptions(formats=("docx",), output_dir=folder)
    return next(build_pack(CASES / "valid" / case, options).folder.glob("*.docx"))


def test_every_style_sets_its_lines_exactly_and_a_picture_its_own(tmp_path: Path) -> None:
    document = docx.Document(_docx("full-featured.yaml", tmp_path))
    rules = {
        style.name: spacing.get(qn("w:lineRule"))
        for style in document.styles
        if (ppr := style.element.pPr) is not None
        and (spacing := ppr.find(qn("w:spacing"))) is not None
        and spacing.get(qn("w:line")) is not None
        and style.name in {"Normal", "Heading 1", "Byline", "Table Cell", "toc 1", "Key Message"}
    }
    assert rules and set(rules.values()) == {"exact"}, rules
    pictures = [p for p in document.paragraphs if p._p.xpath(".//w:drawing")]
    assert pictures  # the logo
    for paragraph in pictures:
        spacing = paragraph._p.pPr.find(qn("w:spacing"))
        assert spacing.get(qn("w:lineRule")) == "auto"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice is not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_libreoffice_sets_arabic_lines_at_the_looks_leading(tmp_path: Path) -> None:
    source = _docx("arabic-statement.yaml", tmp_path / "out")
    pdf = convert_with_libreoffice([source], tmp_path, target="pdf") / f"{source.stem}.pdf"
    boxes = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">', boxes)
    paragraphs = re.split(r"<block ", boxes)
    arabic = next(p for p in paragraphs if all(f">{n}<" in p for n in NUMBERS))
    bottoms = [float(y) for y in re.findall(r'<line [^>]*yMax="([\d.]+)"', arabic)]
    assert lines and len(bottoms) >= 2
    gaps = [b - a for a, b in itertools.pairwise(bottoms)]
    leading = default_look().text.body.leading
    assert all(abs(gap - leading) < 1.0 for gap in gaps), (gaps, leading)
