# ruff: noqa: RUF001 (letters of the Greek and Cyrillic alphabets)
"""The index of organisations in the order a reader of the pack's language expects, read
back from the PDF, the DOCX and the HTML: the pack's own script first (Cyrillic in a
Russian pack, Arabic in an Arabic one, Chinese characters in a Chinese one), quotation
marks passed over, and of two names differing only by case the lower-case one first."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.text.collation import sort_key
from tests.conftest import ROOT

SOURCE = ROOT / "tests" / "data" / "sessions" / "index-scripts.yaml"
LATIN = [
    "Al-Haq",
    "Amnesty International",
    "AMNESTY INTERNATIONAL",
    "Coalition for the International Criminal Court",
    "Écoute Citoyenne",
    "“Justice Now” Network",
    "La Ligue des droits de l'homme",
    "Łódzka Fundacja Praw Człowieka",
    "Ökumenisches Netzwerk",
    "The Carter Center",
]
GREEK = ["Ελληνική Ένωση για τα Δικαιώματα του Ανθρώπου"]
CYRILLIC = ["«Мемориал»", "ОВД-Инфо", "Юридическая инициатива"]
ARABIC = ["الحق", "مركز القاهرة لدراسات حقوق الإنسان"]
CHINESE = ["中国人权捍卫者", "北京律师协会"]
IN_ORDER = {
    "fr": LATIN + GREEK + CYRILLIC + ARABIC + CHINESE,
    "ru": CYRILLIC + LATIN + GREEK + ARABIC + CHINESE,
    "ar": ARABIC + LATIN + GREEK + CYRILLIC + CHINESE,
    "zh": CHINESE + LATIN + GREEK + CYRILLIC + ARABIC,
}
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069"))


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["Amnesty International", "AMNESTY INTERNATIONAL", "amnesty internationals"]),
        ("en", ["Justice Africa", "“Justice Now” Network", "Memorial", "«Мемориал»"]),
        ("ru", ["Ёлка", "«Мемориал»", "ОВД-Инфо", "Юрист", "Amnesty", "Ελλάδα", "الحق"]),
        ("ar", ["الحق", "مركز", "Amnesty", "Ελλάδα", "Мемориал", "中国"]),
        ("zh", ["中国", "北京", "Amnesty", "Мемориал", "الحق"]),
        ("ru-RU", ["Мемориал", "Amnesty"]),
    ],
)
def test_names_sort_in_the_order_of_the_packs_language(language: str, names: list[str]) -> None:
    assert sorted(reversed(names), key=lambda name: sort_key(name, language)) == names


@pytest.fixture(scope="module", params=sorted(IN_ORDER))
def pack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture as a pack in the language of ``request.param``; its folder."""
    language: str = request.param
    folder = tmp_path_factory.mktemp(f"index-{language}")
    source = folder / "index-scripts.yaml"
    text = SOURCE.read_text(encoding="utf-8")
    source.write_text(text.replace("language: ru", f"language: {language}"), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        options = BuildOptions(formats=("pdf", "docx", "html"), output_dir=folder / "out")
        return build_pack(source, options).folder


def language_of(pack: Path) -> str:
    return pack.parent.parent.name.removeprefix("index-").rstrip("0123456789")


def in_order_of_appearance(text: str, names: list[str]) -> list[str]:
    """``names`` in the order of their last appearance in ``text``: the index is the last
    annex, after the bylines and the annex of organisations that name them too."""
    text = " ".join(text.translate(BIDI_CONTROLS).split())
    assert all(name in text for name in names), text
    return sorted(names, key=text.rindex)


def test_the_docx_index_lists_names_in_the_order_of_the_packs_language(pack: Path) -> None:
    document = docx.Document(str(next(pack.glob("*.docx"))))
    text = " ".join(p.text for p in document.paragraphs if p.style.name == "index 1")
    expected = IN_ORDER[language_of(pack)]
    assert in_order_of_appearance(text, expected) == expected


def test_the_html_index_lists_names_in_the_order_of_the_packs_language(pack: Path) -> None:
    page = lxml.html.parse(str(next(pack.glob("*.html")))).getroot()
    (index,) = page.xpath("//ul[@class='index']")
    expected = IN_ORDER[language_of(pack)]
    assert in_order_of_appearance(index.text_content(), expected) == expected


def test_the_pdf_index_lists_names_in_the_order_of_the_packs_language(pack: Path) -> None:
    language = language_of(pack)
    text = " ".join(page.extract_text() for page in PdfReader(next(pack.glob("*.pdf"))).pages)
    # pypdf gives Arabic text back in the order it is drawn, reversed: the Arabic names'
    # places are read back from the DOCX and the HTML, which draw the same tree.
    expected = [name for name in IN_ORDER[language] if name not in ARABIC]
    assert in_order_of_appearance(text, expected) == expected
