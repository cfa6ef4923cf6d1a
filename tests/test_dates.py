"""Dates as each pack language writes them: French "1er", ranges that write a shared
month or year once, read back from the cover of the composed pack."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefgen import tree
from briefgen.compose.pack import compose_pack
from briefgen.compose.templating import date_filter
from briefgen.input.load import load_session
from tests.conftest import CASES


@pytest.mark.parametrize(
    ("language", "day", "form", "expected"),
    [
        ("fr", date(2024, 12, 1), "long", "1er décembre 2024"),
        ("fr", date(2024, 12, 11), "long", "11 décembre 2024"),
        ("fr", date(2024, 11, 1), "day", "1er"),
        ("fr", date(2024, 12, 6), "day-month", "6 décembre"),
        ("en", date(2024, 12, 1), "long", "1 December 2024"),
        ("en", date(2024, 12, 6), "day-month", "6 December"),
        ("es", date(2024, 12, 1), "long", "1 de diciembre de 2024"),
        ("es", date(2024, 12, 6), "day-month", "6 de diciembre"),
        ("ru", date(2024, 12, 6), "long", "6 декабря 2024\u202fг."),
        ("ru", date(2024, 11, 28), "day-month", "28 ноября"),
    ],
)
def test_the_date_filter_writes_each_form(
    language: str, day: date, form: str, expected: str
) -> None:
    assert date_filter(language)(day, form) == expected


def test_an_unknown_form_is_named() -> None:
    with pytest.raises(ValueError, match="unknown date form 'week'"):
        date_filter("en")(date(2024, 12, 1), "week")


DASH = "\u2013"  # en dash: between the days of one month, around a range's halves
RANGES = [
    (
        "2024-12-01",
        "2024-12-06",
        {
            "en": f"1{DASH}6 December 2024",
            "fr": "Du 1er au 6 décembre 2024",
            "es": "Del 1 al 6 de diciembre de 2024",
            "ru": "С 1 по 6 декабря 2024\u202fг.",
        },
    ),
    (
        "2024-11-28",
        "2024-12-06",
        {
            "en": f"28 November {DASH} 6 December 2024",
            "fr": "Du 28 novembre au 6 décembre 2024",
            "es": "Del 28 de noviembre al 6 de diciembre de 2024",
            "ru": "С 28 ноября по 6 декабря 2024\u202fг.",
        },
    ),
    (
        "2024-12-30",
        "2025-01-02",
        {
            "en": "30 December 2024 to 2 January 2025",
            "fr": "Du 30 décembre 2024 au 2 janvier 2025",
            "es": "Del 30 de diciembre de 2024 al 2 de enero de 2025",
            "ru": "С 30 декабря 2024\u202fг. по 2 января 2025\u202fг.",
        },
    ),
    (
        "2024-12-06",
        "2024-12-06",
        {
            "en": "6 December 2024",
            "fr": "6 décembre 2024",
            "es": "6 de diciembre de 2024",
            "ru": "6 декабря 2024\u202fг.",
        },
    ),
]


@pytest.mark.parametrize(("start", "end", "expected"), RANGES)
@pytest.mark.parametrize("language", ["en", "fr", "es", "ru"])
def test_the_cover_writes_the_session_dates_once(
    tmp_path: Path, start: str, end: str, expected: dict[str, str], language: str
) -> None:
    text = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("start: 2025-03-10", f"start: {start}").replace(
        "end: 2025-03-10", f"end: {end}"
    )
    text = text.replace("date: 2025-03-10", f"date: {start}")
    source = tmp_path / "case.yaml"
    source.write_text(f"pack:\n  language: {language}\n{text}", encoding="utf-8")
    cover = compose_pack(load_session(source)).blocks[0]
    assert isinstance(cover, tree.Cover)
    lines = [tree.plain_text(line.content) for line in cover.lines]
    assert expected[language] in lines


def test_french_labels_keep_their_punctuation_with_its_word() -> None:
    """No plain space before : ; ! ? or inside « »: a line never starts with them."""
    import re

    import yaml

    from briefgen.compose.templating import default_templates_dir

    labels = yaml.safe_load((default_templates_dir() / "labels.yaml").read_text("utf-8"))["fr"]
    loose = {name: text for name, text in labels.items() if re.search(r" [:;!?»]|« ", text)}
    assert loose == {}
