"""Names sorted as readers of the pack's languages expect: accents and case second,
ligatures as their letters, read back from the annex of organisations."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.text.collation import sort_key
from tests.conftest import CASES, ROOT


@pytest.mark.parametrize(
    "names",
    [
        ["Área", "CLJI", "Écoute", "LDH", "Ñañdutí", "Nuevo", "Œuvre", "Oro", "Zéro", "Zona"],
        ["ecole", "École", "Ecoles"],  # a tie of letters: unaccented first
        ["Aesop", "Æsop", "Afar"],  # a ligature after its letters
        ["Ангола", "Ярослав"],
    ],
)
def test_names_sort_by_their_letters_then_accents(names: list[str]) -> None:
    assert sorted(reversed(names), key=sort_key) == names


def test_the_annexes_of_a_french_pack_list_organisations_in_french_order(tmp_path: Path) -> None:
    text = (CASES / "valid" / "french.yaml").read_text(encoding="utf-8")
    extra = "".join(
        f"  - id: org{number}\n    name: {name}\n"
        for number, name in enumerate(["Zéro Impunité", "Écoute Justice", "Œuvre d'Orient"])
    )
    text = text.replace("plenaries:\n", f"{extra}\nplenaries:\n", 1)
    source = tmp_path / "aep5.yaml"
    source.write_text(text, encoding="utf-8")
    result = build_pack(source, BuildOptions(formats=("docx",), output_dir=tmp_path / "out"))
    document = docx.Document(str(next(result.folder.glob("*.docx"))))
    annex = document.tables[-1]  # organisations and acronyms
    names = [row.cells[1].text for row in annex.rows[1:]]
    assert names == [
        "Coalition française pour la justice internationale",  # CFJI
        "Écoute Justice",
        "Ligue des droits de l'Homme\u00a0\u2013 section Île-de-France",  # LDH-IDF
        "Œuvre d'Orient",
        "Zéro Impunité",
    ]


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("ru", ["Иордания", "Исламская комиссия", "Йемен", "Киев"]),  # Й a letter of its own
        ("en", ["Иордания", "Исламская комиссия", "Йемен", "Киев"]),  # in every pack
        ("en", ["Уганда", "Устюг", "Ўзбекистон", "Фиджи"]),
        ("es", ["Nuevo", "Nuñez", "Ñandutí", "Oro"]),  # Ñ after every N in Spanish
        ("es-419", ["Nuevo", "Ñandutí", "Oro"]),
        ("fr", ["Ñandutí", "Nuevo", "Oro"]),  # and among the N elsewhere
    ],
)
def test_letters_of_their_own_keep_their_place(language: str, names: list[str]) -> None:
    assert sorted(reversed(names), key=lambda name: sort_key(name, language)) == names


OWN_LETTERS = ROOT / "tests" / "data" / "sessions" / "own-letters.yaml"
IN_ORDER = [
    "Nuevo Horizonte",
    "Ñandutí Niñez",
    "Oro Verde",
    "Исламская комиссия",
    "Йеменский центр",
    "Киевский союз",
]


@pytest.fixture(scope="module")
def own_letters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(OWN_LETTERS, BuildOptions(output_dir=tmp_path_factory.mktemp("own")))
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


def test_the_docx_annexes_keep_letters_of_their_own_in_place(own_letters: dict[str, Path]) -> None:
    document = docx.Document(str(own_letters["docx"]))
    annex = document.tables[-1]  # organisations and acronyms
    assert [row.cells[1].text for row in annex.rows[1:]] == IN_ORDER
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("Anexo B: Índice de organizaciones")
    assert [p for p in paragraphs[start:] if p in IN_ORDER] == IN_ORDER


def test_the_pdf_index_keeps_letters_of_their_own_in_place(own_letters: dict[str, Path]) -> None:
    index = " ".join(PdfReader(own_letters["pdf"]).pages[-1].extract_text().split())
    assert sorted(IN_ORDER, key=index.index) == IN_ORDER


def test_the_html_index_keeps_letters_of_their_own_in_place(own_letters: dict[str, Path]) -> None:
    (index,) = lxml.html.parse(str(own_letters["html"])).getroot().xpath("//ul[@class='index']")
    text = " ".join(index.text_content().split())
    assert sorted(IN_ORDER, key=text.index) == IN_ORDER
