"""An index spread over pages: an organisation's name never ends a page without its
first entry after it (PDF), and the DOCX and the HTML's print styles ask the same."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefgen.build.pack import BuildOptions, build_pack

NAME = "Organisation number {} of the long index"


def long_index(organizations: int) -> str:
    """A session whose index runs over pages: organisations with one to four statements
    each, titles of varied lengths, so that names fall at varied places on the pages."""
    lines = [
        "session:",
        "  id: index-pages",
        "  name: A session with a long index",
        "  start: 2025-03-10",
        "  end: 2025-03-10",
        "organizations:",
    ]
    for i in range(organizations):
        lines += [f"  - id: org{i}", f"    name: {NAME.format(i)}"]
    lines += ["plenaries:", "  - id: debate", "    title: Debate", "    date: 2025-03-10"]
    lines.append("    statements:")
    number = 0
    for i in range(organizations):
        for k in range(1 + (i * 7) % 4):
            words = " ".join(["word"] * (3 + (i * 5 + k * 3) % 11))
            lines += [f"      - id: s{number}", f"        by: org{i}"]
            lines.append(f"        title: Statement {number} {words}")
            number += 1
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing"
)
@pytest.mark.parametrize("organizations", [30, 40])  # each left a name alone at a page's end
def test_no_page_ends_with_an_organisations_name(tmp_path: Path, organizations: int) -> None:
    source = tmp_path / "index.yaml"
    source.write_text(long_index(organizations), encoding="utf-8")
    options = BuildOptions(formats=("pdf", "docx", "html"), output_dir=tmp_path / "out")
    folder = build_pack(source, options).folder
    pdf = next(folder.glob("*.pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    index_pages = text[text.rindex("Index of organisations") :].split("\f")
    assert len([page for page in index_pages if page.strip()]) >= 2
    name = re.compile(NAME.format(r"\d+"))
    for page in index_pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith("Page ")]
        assert not body or not name.fullmatch(body[-1]), f"a page ends with {body[-1]!r}"

    document = docx.Document(next(folder.glob("*.docx")))
    names = [p for p in document.paragraphs if name.fullmatch(p.text)]
    in_index = names[-organizations:]  # after the organisations' table's
    assert all(p._p.pPr.find(qn("w:keepNext")) is not None for p in in_index)
    html = next(folder.glob("*.html")).read_text(encoding="utf-8")
    assert re.search(r"\.index>li>p[^{]*\{break-after:avoid\}", html)
