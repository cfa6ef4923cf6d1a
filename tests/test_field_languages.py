"""A plenary's summary and a key message may say their language, as a statement does:
their paragraphs then carry it, and read in its direction, in every format."""

from __future__ import annotations

import zipfile
from pathlib import Path

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from tests.conftest import CASES

ARABIC_SUMMARY = "اعتمدت الجمعية الميزانية بعد نقاش طويل."
FRENCH_MESSAGE = "La Cour doit être soutenue par tous les États."


def case(tmp_path: Path) -> Path:
    text = (CASES / "valid" / "who-said-what.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    title: Closing plenary\n",
        f"    title: Closing plenary\n    summary: {ARABIC_SUMMARY}\n    language: ar\n",
    )
    text = text.replace(
        "      - Victims must be heard.",
        f"      - text: {FRENCH_MESSAGE}\n        language: fr",
    )
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def paragraphs(blocks: tuple[tree.Block, ...]) -> list[tree.Paragraph]:
    found: list[tree.Paragraph] = []
    for block in blocks:
        match block:
            case tree.Paragraph():
                found.append(block)
            case tree.KeyMessages(blocks=inner):
                found += paragraphs(inner)
            case tree.ListBlock(items=items):
                for item in items:
                    found += paragraphs(item)
    return found


def test_the_paragraphs_of_a_field_carry_its_language_and_direction(tmp_path: Path) -> None:
    document = compose_pack(load_session(case(tmp_path)))
    by_text = {tree.plain_text(p.content): p for p in paragraphs(document.blocks)}
    summary = by_text[ARABIC_SUMMARY]
    assert (summary.lang, summary.direction) == ("ar", "rtl")
    message = by_text[FRENCH_MESSAGE]
    assert (message.lang, message.direction) == ("fr", "ltr")
    other = by_text["Cooperation: States must arrest and surrender suspects."]
    assert other.lang is None  # the pack's language, as before


def test_the_html_and_docx_say_the_language_of_the_field(tmp_path: Path) -> None:
    result = build_pack(case(tmp_path), BuildOptions(formats=("html", "docx"), output_dir=tmp_path))
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert 'lang="ar" dir="rtl"><bdi>' not in html  # the field is the user's text, no bdi
    assert 'lang="ar" dir="rtl">' + ARABIC_SUMMARY in html
    assert 'lang="fr">' in html and FRENCH_MESSAGE in html
    with zipfile.ZipFile(next(result.folder.glob("*.docx"))) as package:
        xml = package.read("word/document.xml").decode()
    summary = '<w:p><w:pPr><w:bidi/></w:pPr><w:r><w:rPr><w:rtl/><w:lang w:bidi="ar"/></w:rPr>'
    assert summary + f"<w:t>{ARABIC_SUMMARY}</w:t>" in xml  # a right-to-left paragraph
    assert f'<w:lang w:val="fr"/></w:rPr><w:t>{FRENCH_MESSAGE}</w:t>' in xml


def test_a_language_tag_is_written_in_its_canonical_case(tmp_path: Path) -> None:
    """Tags differ in case only: "EN" in an English pack is the pack's language (no
    element of its own in any format), "fr-ca" is written "fr-CA"."""
    text = (CASES / "valid" / "who-said-what.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        summary: The review must stay independent.\n",
        "        summary: The review must stay independent.\n        language: EN\n",
    ).replace(
        "        summary: States must cooperate with the Court.\n",
        "        summary: Les États doivent coopérer avec la Cour.\n        language: fr-ca\n",
    )
    source = tmp_path / "case.yaml"
    source.write_text(text, encoding="utf-8")
    session = load_session(source).session
    review = session.plenaries[0].statements
    assert [statement.language for statement in review] == ["en", "fr-CA"]
    result = build_pack(source, BuildOptions(("pdf", "html"), tmp_path / "out", force=True))
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert 'lang="fr-CA"' in html and 'lang="EN"' not in html
    pdf = next(result.folder.glob("*.pdf")).read_bytes()
    assert b"/Lang (EN)" not in pdf and b"/Lang (fr-CA)" in pdf


def test_norwegian_written_no_is_the_language_no(tmp_path: Path) -> None:
    """YAML 1.1 reads ``language: no`` as false; briefgen reads the text typed, so a key
    message in Norwegian says so in every format."""
    message = "Ofrene må bli hørt."
    text = (CASES / "valid" / "who-said-what.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "      - Victims must be heard.", f"      - text: {message}\n        language: no"
    )
    source = tmp_path / "case.yaml"
    source.write_text(text, encoding="utf-8")
    result = build_pack(source, BuildOptions(("pdf", "html"), tmp_path / "out", force=True))
    html = next(result.folder.glob("*.html")).read_text(encoding="utf-8")
    assert f'lang="no">{message}' in html
    assert b"/Lang (no)" in next(result.folder.glob("*.pdf")).read_bytes()
