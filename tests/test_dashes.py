"""A dash set off by spaces (" — ") in Russian and French text stays with the word
before it: the space typed before it becomes a no-break space, so that no line of the
PDF, the DOCX or the HTML starts with the dash; English text keeps its spaces as typed."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.text.typography import dash_spaces, spacing
from tests.clients import convert_with_libreoffice
from tests.conftest import ROOT

NBSP = "\u00a0"
DASHES = ROOT / "tests" / "data" / "sessions" / "dashes-ru.yaml"
RUSSIAN = "правосудие — не роскошь"
FRENCH = "La Cour — indépendante — décide"
ENGLISH = "Item 1 — a dash in English"
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.mark.parametrize(
    ("typed", "set"),
    [
        ("Суд — орган", f"Суд{NBSP}— орган"),
        ("Суд – орган", f"Суд{NBSP}– орган"),  # an en dash used as a dash
        ("до конца —", f"до конца{NBSP}—"),  # at the end of a text: before a value
        ("1–6 декабря", "1–6 декабря"),  # a range: no space typed, none added
        ("— Да, — сказал он", f"— Да,{NBSP}— сказал он"),  # a text's first dash stays
        ("слово-слово", "слово-слово"),
    ],
)
def test_the_space_typed_before_a_dash_becomes_no_break(typed: str, set: str) -> None:
    assert dash_spaces(typed) == set


def test_russian_and_french_text_keep_dashes_with_their_words_english_as_typed() -> None:
    assert spacing("ru", french=True) is dash_spaces
    assert spacing("ru-RU", french=False) is dash_spaces  # French spacing off: not Russian's
    assert spacing("fr", french=False) is None  # french_spaces: false keeps French as typed
    assert spacing("fr-CA", french=True)("a — b") == f"a{NBSP}— b"  # type: ignore[misc]
    assert spacing("en", french=True) is None


def test_the_tree_holds_no_break_spaces_before_russian_and_french_dashes() -> None:
    text = tree.dump(compose_pack(load_session(DASHES)))
    assert RUSSIAN.replace(" —", NBSP + "—") in text
    assert FRENCH.replace(" —", NBSP + "—") in text
    assert ENGLISH in text  # English: as typed
    assert f"Открытие сессии{NBSP}— 2{NBSP}декабря" in text  # the heading's label, too


def test_the_contents_and_the_index_list_a_title_with_its_dash_kept() -> None:
    document = compose_pack(load_session(DASHES))
    title = f"Суд{NBSP}— опора правосудия"
    (index,) = [block for block in document.blocks if isinstance(block, tree.Index)]
    listed = [tree.plain_text(entry.shown) for group in index.groups for entry in group.entries]
    assert any(line.startswith(title) for line in listed), listed
    (contents,) = [block for block in document.blocks if isinstance(block, tree.Contents)]
    assert f"Открытие сессии{NBSP}— 2{NBSP}декабря 2024\u202fг." in [
        entry.text for entry in contents.entries
    ]


def dash_lines(lines: list[str]) -> list[str]:
    """The lines that start with a dash, but for those of the English statement."""
    dashed = [line for line in lines if line.lstrip().startswith(("—", "–"))]
    return [line for line in dashed if "English" not in line and "Item" not in line]


def pdf_lines(pdf: Path) -> list[str]:
    return [line for page in PdfReader(pdf).pages for line in page.extract_text().splitlines()]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("dashes")
    options = BuildOptions(formats=("pdf", "docx", "html"), output_dir=output)
    return build_pack(DASHES, options).folder


def test_no_line_of_the_pdf_starts_with_a_russian_or_french_dash(pack: Path) -> None:
    lines = pdf_lines(next(pack.glob("*.pdf")))
    assert sum(line.count("—") for line in lines) > 150  # dashes all along the lines
    assert any(ARABIC.search(line) for line in lines)  # the PDF's own line breaking too
    assert dash_lines(lines) == []


def test_the_docx_and_html_carry_the_no_break_spaces(pack: Path) -> None:
    with zipfile.ZipFile(next(pack.glob("*.docx"))) as docx:
        xml = docx.read("word/document.xml").decode()
    html = next(pack.glob("*.html")).read_text(encoding="utf-8")
    for text in (xml, html):
        assert text.count(NBSP + "—") > 150
        assert RUSSIAN.replace(" —", NBSP + "—") in text
        assert ENGLISH in text


def test_libreoffice_lays_the_docx_out_with_no_line_starting_with_a_dash(
    pack: Path, tmp_path: Path
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice is not installed (apt-get install libreoffice-writer-nogui)")
    docx = next(pack.glob("*.docx"))
    converted = convert_with_libreoffice([docx], tmp_path, "pdf")
    lines = pdf_lines(converted / docx.with_suffix(".pdf").name)
    assert sum(line.count("—") for line in lines) > 150
    assert dash_lines(lines) == []
