"""Names sorted as readers of the pack's languages expect: accents and case second,
ligatures as their letters, read back from the annex of organisations."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.text.collation import sort_key
from tests.conftest import CASES


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
        "Ligue des droits de l'Homme \u2013 section Île-de-France",  # LDH-IDF
        "Œuvre d'Orient",
        "Zéro Impunité",
    ]
