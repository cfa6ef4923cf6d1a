"""Values the templates insert are isolates: they keep their own direction in the pack.

Compose fences every ``{{ value }}`` and turns it into a ``tree.Isolate``; the HTML
edition draws it as ``bdi``; the fences themselves never reach a file, and never break
the Markdown syntax a value is printed into (link destinations, block lines).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.compose.templating import default_templates_dir
from briefgen.compose.values import ISOLATE_END, ISOLATE_START
from briefgen.input.load import load_session
from tests.conftest import ASP23, CASES

ARABIC = CASES / "valid" / "arabic-statement.yaml"


def first_heading(document: tree.Document, start: str) -> tree.Heading:
    return next(
        b
        for b in document.blocks
        if isinstance(b, tree.Heading) and tree.plain_text(b.content).startswith(start)
    )


def test_a_heading_holds_its_inserted_title_and_date_as_isolates() -> None:
    heading = first_heading(compose_pack(load_session(ASP23)), "Review plenary")
    assert heading.content == (
        tree.Isolate((tree.Text("Review plenary"),)),
        tree.Text(" — "),
        tree.Isolate((tree.Text("4 December 2024"),)),
    )


def test_an_arabic_name_in_an_english_byline_is_a_bdi_in_the_html(tmp_path: Path) -> None:
    result = build_pack(ARABIC, BuildOptions(formats=("html",), output_dir=tmp_path))
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert "<bdi>جمعية الحقوق (Rights Association)</bdi>" in html


def test_the_fences_never_reach_a_file(tmp_path: Path) -> None:
    result = build_pack(ARABIC, BuildOptions(output_dir=tmp_path))
    fences = (ISOLATE_START, ISOLATE_END)
    pdf = next(result.folder.glob("*.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "جمعية" in text or "Rights Association" in text
    assert not any(fence in text for fence in fences)
    with zipfile.ZipFile(io.BytesIO(next(result.folder.glob("*.docx")).read_bytes())) as docx:
        xml = docx.read("word/document.xml").decode()
    assert "Rights Association" in xml
    assert not any(fence in xml for fence in fences)
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert not any(fence in html for fence in fences)


def test_values_printed_into_markdown_syntax_still_make_that_syntax(tmp_path: Path) -> None:
    """A template may print a value as a link's address or a block's parameter, without
    ``raw``: the link and the block are made as before."""
    templates = tmp_path / "templates"
    templates.mkdir()
    statement = (default_templates_dir() / "statement.md.j2").read_text(encoding="utf-8")
    statement = statement.replace("{{ statement.language|raw }}", "{{ statement.language }}")
    (templates / "statement.md.j2").write_text(statement, encoding="utf-8")
    source = tmp_path / "case.yaml"
    text = ARABIC.read_text(encoding="utf-8")
    text = text.replace(  # the statement's language, not the key message's below it
        "        language: ar", "        language: ar\n        url: https://example.org/s", 1
    )
    source.write_text(text, encoding="utf-8")
    document = compose_pack(load_session(source), templates)
    links = [
        inline
        for block in _paragraphs(document.blocks)
        for inline in _walk(block.content)
        if isinstance(inline, tree.Link) and not inline.is_internal
    ]
    assert [link.target for link in links] == ["https://example.org/s"]
    arabic = [p for p in _paragraphs(document.blocks) if p.lang == "ar"]
    assert arabic, "the ::: lang block took its language from a printed value"


@pytest.mark.parametrize("fence", [ISOLATE_START, ISOLATE_END])
def test_a_user_cannot_type_a_fence(tmp_path: Path, fence: str) -> None:
    text = ASP23.read_text(encoding="utf-8").replace(
        "title: Review plenary", f'title: "Review{fence}plenary"', 1
    )
    source = tmp_path / "case.yaml"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match="control character"):
        load_session(source)


def _paragraphs(blocks: tuple[tree.Block, ...]) -> list[tree.Paragraph]:
    found: list[tree.Paragraph] = []
    for block in blocks:
        match block:
            case tree.Paragraph():
                found.append(block)
            case tree.ListBlock(items=items):
                for item in items:
                    found += _paragraphs(item)
            case tree.KeyMessages(blocks=inner):
                found += _paragraphs(inner)
    return found


def _walk(content: tuple[tree.Inline, ...]) -> list[tree.Inline]:
    found: list[tree.Inline] = []
    for inline in content:
        found.append(inline)
        if isinstance(inline, tree.Strong | tree.Emphasis | tree.Link | tree.Isolate):
            found += _walk(inline.children)
    return found
