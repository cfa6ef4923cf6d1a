"""Base direction of paragraphs: the language when known, else most of the letters."""

from __future__ import annotations

import pytest

from briefgen.text.direction import has_rtl, is_rtl_language, is_rtl_paragraph

ARABIC_TITLE = "كلمة التحالف من أجل المحكمة الجنائية الدولية في ASP23 لعام 2024"
ENGLISH_BYLINE = "جمعية الحقوق (Rights Association), on behalf of the Coalition, delivered by ليلى"


@pytest.mark.parametrize(
    ("text", "lang", "rtl"),
    [
        (ARABIC_TITLE, None, True),
        (ENGLISH_BYLINE, None, False),
        ("Statement of the Coalition", None, False),
        ("שלום עולם", None, True),
        ("2024 — 5", None, False),
        ("Statement of the Coalition", "ar", True),
        (ARABIC_TITLE, "en", False),
        ("متن", "fa-IR", True),
    ],
)
def test_paragraph_direction(text: str, lang: str | None, rtl: bool) -> None:
    assert is_rtl_paragraph(text, lang) is rtl


def test_rtl_script_and_languages() -> None:
    assert has_rtl("ICC " + ARABIC_TITLE[:4])
    assert not has_rtl("Ελληνικά кириллица")
    assert is_rtl_language("he") and is_rtl_language("ur-PK") and not is_rtl_language("fr-CA")


@pytest.mark.parametrize(
    ("tag", "rtl"),
    [
        ("ar", True), ("AR-eg", True), ("ckb", True), ("pnb", True), ("prs-AF", True),
        ("ku-Arab", True), ("ku-Arab-IQ", True), ("pa-Arab", True), ("az-Arab", True),
        ("ha-Arab-NG", True), ("ff-Adlm", True), ("ku", False), ("pa", False),
        ("ar-Latn", False), ("az-Latn-AZ", False), ("en", False), ("fr-CA", False),
        ("en-x-arab", False), ("de-1996", False), ("ur-Aran", True), ("syr-Syrn", True),
        ("ar-Zyyy", True), ("ar-Qaaa", True), ("en-Zzzz", False), ("ji", True),
    ],
)  # fmt: skip
def test_a_script_subtag_decides_over_the_language(tag: str, rtl: bool) -> None:
    assert is_rtl_language(tag) is rtl
