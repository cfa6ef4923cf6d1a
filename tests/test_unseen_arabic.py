"""A session file nobody had tried (``tests/data/unseen/asp24-ar.yaml``): an Arabic pack
of the 24th session with statements in Arabic, English, French, Persian and Urdu,
numbers, dates, addresses, brackets and quotation marks at the edges of right-to-left
and left-to-right runs, nested Markdown lists, a joint statement and key messages with
sources; its pack and handouts built and read back."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from click.testing import CliRunner

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.cli.main import cli
from tests.clients import page_words
from tests.conftest import ROOT

SESSION = ROOT / "tests" / "data" / "unseen" / "asp24-ar.yaml"
FRENCH_TITLE = "« La coopération n’est pas une option »"
LRE, PDF, RLM = "\u202a", "\u202c", "\u200f"


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("unseen-ar")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = CliRunner().invoke(cli, ["handouts", str(SESSION), "--output-dir", str(output)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    return output / "asp24-ar-unseen"


def test_a_handouts_statement_line_holds_the_name_and_title_as_isolates_in_the_docx(
    handouts: Path,
) -> None:
    """Each keeps its own direction in the Arabic line: the French title embedded left to
    right whole, guillemets and all (it was one run with the line's colon, its closing
    guillemet taken into the right-to-left line, mirrored, at its far end)."""
    document = docx.Document(str(handouts / "asp24-ar-unseen-handout-opening.docx"))
    (line,) = [p.text for p in document.paragraphs if "La coopération" in p.text]
    name = "Fédération internationale pour les droits humains"
    assert line == f"{LRE}{name}{PDF}{RLM}: {LRE}{FRENCH_TITLE}{PDF}{RLM}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) missing")
def test_a_handouts_french_title_keeps_its_guillemets_at_its_ends_in_the_pdf(
    handouts: Path,
) -> None:
    """In the right-to-left line the organisation stands right of the title, and the
    title reads « … » left to right, its closing guillemet right of its last word."""
    words = page_words(handouts / "asp24-ar-unseen-handout-opening.pdf", 1)
    option = next(word for word in words if word[0] == "option")
    line = [word for word in words if abs(word[2] - option[2]) < 1]
    texts = [word[0] for word in sorted(line, key=lambda word: word[1])]
    assert texts[:7] == ["«", "La", "coopération", "n’est", "pas", "une", "option"], texts
    assert texts[7:] == [
        "»",
        ":",
        "Fédération",
        "internationale",
        "pour",
        "les",
        "droits",
        "humains",
        "•",
    ], texts


def test_an_edition_tracks_right_to_left_changes_as_right_to_left_runs(tmp_path: Path) -> None:
    """Against the earlier file: the removed Urdu statement and the reworded Arabic key
    message are deletions and insertions whose runs read right to left in Word."""
    edited = SESSION.with_name("asp24-ar-edited.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        options = BuildOptions(formats=("docx",), output_dir=tmp_path, since=str(SESSION))
        result = build_pack(edited, options)
    assert result.warnings == ()
    with zipfile.ZipFile(next(result.folder.glob("*.docx"))) as package:
        body = package.read("word/document.xml").decode()
    runs = re.findall(
        r"<w:(del|ins) [^>]*><w:r><w:rPr>(.*?)</w:rPr><w:(?:delText|t)[^>]*>([^<]*)<", body
    )
    changed = {(kind, text): "<w:rtl/>" in properties for kind, properties, text in runs}
    assert changed[("del", "متاثرین کے لیے انصاف")]
    assert changed[("del", "دون تأخير")] and changed[("ins", "فورًا")]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    output = tmp_path_factory.mktemp("unseen-ar-pack")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(SESSION, BuildOptions(output_dir=output))
    assert result.warnings == ()
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


def test_the_programme_lists_latin_speakers_right_to_left_in_every_format(
    pack: dict[str, Path],
) -> None:
    """The opening's speakers, CICC, HRW and FIDH in reading order, stand from the right
    in the Arabic table: each name its own isolate (the list was one, left to right,
    CICC on the left)."""
    page = lxml.html.parse(str(pack["html"])).getroot()
    cell = next(td for td in page.xpath("//td") if td.text_content().startswith("CICC"))
    assert [bdi.text_content() for bdi in cell.xpath("bdi")] == ["CICC", "HRW", "FIDH"]
    cells = [c.text for t in docx.Document(str(pack["docx"])).tables for c in t._cells]
    listed = f"{LRE}CICC{PDF}{RLM}، {LRE}HRW{PDF}{RLM}، {LRE}FIDH{PDF}{RLM}"
    assert listed in cells
    if shutil.which("pdftotext") is not None:
        words = page_words(pack["pdf"], 4)
        left = {word[0].strip("،"): word[1] for word in words}
        assert left["CICC"] > left["HRW"] > left["FIDH"], words
