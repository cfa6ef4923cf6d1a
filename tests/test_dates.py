"""Dates as each pack language writes them: French "1er", ranges that write a shared
month or year once, read back from the cover of the composed pack; a day never parted
from its month at a line's end, read back from the PDF, the DOCX and the HTML."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import lxml.html
import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.compose.templating import date_filter
from briefgen.input.load import load_session
from tests.conftest import CASES, ROOT

NB = "\u00a0"  # no-break space: a day and its month are never parted at a line's end


@pytest.mark.parametrize(
    ("language", "day", "form", "expected"),
    [
        ("fr", date(2024, 12, 1), "long", f"1er{NB}décembre 2024"),
        ("fr", date(2024, 12, 11), "long", f"11{NB}décembre 2024"),
        ("fr", date(2024, 11, 1), "day", "1er"),
        ("fr", date(2024, 12, 6), "day-month", f"6{NB}décembre"),
        ("en", date(2024, 12, 1), "long", f"1{NB}December 2024"),
        ("en", date(2024, 12, 6), "day-month", f"6{NB}December"),
        ("es", date(2024, 12, 1), "long", f"1{NB}de{NB}diciembre de 2024"),
        ("es", date(2024, 12, 6), "day-month", f"6{NB}de{NB}diciembre"),
        ("ru", date(2024, 12, 6), "long", f"6{NB}декабря 2024\u202fг."),
        ("ru", date(2024, 11, 28), "day-month", f"28{NB}ноября"),
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
            "en": f"1{DASH}6{NB}December 2024",
            "fr": f"Du 1er au 6{NB}décembre 2024",
            "es": f"Del 1 al 6{NB}de{NB}diciembre de 2024",
            "ru": f"С 1 по 6{NB}декабря 2024\u202fг.",
        },
    ),
    (
        "2024-11-28",
        "2024-12-06",
        {
            "en": f"28{NB}November {DASH} 6{NB}December 2024",
            "fr": f"Du 28{NB}novembre au 6{NB}décembre 2024",
            "es": f"Del 28{NB}de{NB}noviembre al 6{NB}de{NB}diciembre de 2024",
            "ru": f"С 28{NB}ноября по 6{NB}декабря 2024\u202fг.",
        },
    ),
    (
        "2024-12-30",
        "2025-01-02",
        {
            "en": f"30{NB}December 2024 to 2{NB}January 2025",
            "fr": f"Du 30{NB}décembre 2024 au 2{NB}janvier 2025",
            "es": f"Del 30{NB}de{NB}diciembre de 2024 al 2{NB}de{NB}enero de 2025",
            "ru": f"С 30{NB}декабря 2024\u202fг. по 2{NB}января 2025\u202fг.",
        },
    ),
    (
        "2024-12-06",
        "2024-12-06",
        {
            "en": f"6{NB}December 2024",
            "fr": f"6{NB}décembre 2024",
            "es": f"6{NB}de{NB}diciembre de 2024",
            "ru": f"6{NB}декабря 2024\u202fг.",
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


HEADING_DATES = ROOT / "tests" / "data" / "sessions" / "heading-dates.yaml"
DAYS_MONTHS = ("24 de febrero", "10 de marzo")


def test_a_heading_never_ends_a_line_on_the_day_of_its_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The headings of these plenaries are a line long up to their date's month: the day
    goes to the next line with it (the PDF), and no-break spaces ask the same of Word,
    LibreOffice and browsers (the DOCX, the HTML)."""
    monkeypatch.setenv("BRIEFGEN_OFFICE", "off")
    folder = build_pack(HEADING_DATES, BuildOptions(output_dir=tmp_path)).folder
    pages = [page.extract_text() for page in PdfReader(next(folder.glob("*.pdf"))).pages]
    lines = [" ".join(line.split()) for page in pages for line in page.splitlines()]
    for day_month in DAYS_MONTHS:
        day = day_month.split()[0]
        assert not [line for line in lines if line.endswith(f"— {day}")], lines
        assert not [line for line in lines if line.endswith(f"— {day} de")], lines
        assert sum(day_month in line for line in lines) >= 2, lines  # contents and heading
    unbroken = [day_month.replace(" ", NB) for day_month in DAYS_MONTHS]
    headings = [p.text for p in docx.Document(str(next(folder.glob("*.docx")))).paragraphs]
    html = lxml.html.parse(str(next(folder.glob("*.html")))).getroot()
    html_headings = [h.text_content() for h in html.xpath("//main//h2")]
    for text in unbroken:
        assert any(text in heading for heading in headings), headings
        assert any(text in heading for heading in html_headings), html_headings
