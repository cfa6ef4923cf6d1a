"""CJK punctuation (、。《》「」) is drawn in the CJK face in every format, also where it
follows a number or a Latin word ("增长了2.5%。") or stands without Chinese around it:
Noto Sans Mongolian has these characters too, in its own centred forms, and comes
first among the fallback families. The HTML names only the fallback families it
carries, so that a reader's installed Noto Sans Mongolian does not draw them either."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.text.fonts import CJK, MONGOLIAN, fallback_runs
from briefgen.text.metrics import shipped_codepoints
from tests.conftest import ROOT
from tests.test_scripts_pdf import drawn_from

PACK = ROOT / "tests" / "data" / "zh" / "asp23-zh.yaml"
SUMMARY = "核定预算仅增长了2.5%。详见https://asp.icc-cpi.int/ASP23。"
PUNCTUATION = "、。《》「」"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("zh-punctuation") / "asp23-zh.yaml"
    text = PACK.read_text(encoding="utf-8").replace(
        "summary: 人权观察强调法院独立的重要性。", f"summary: {SUMMARY}"
    )
    text = text.replace("title: 人权观察的发言", "title: 《ICC》、「ASP」")
    source.write_text(text, encoding="utf-8")
    result = build_pack(source, BuildOptions(output_dir=source.parent / "out"))
    assert not result.warnings
    return result.folder


def test_the_pdf_draws_cjk_punctuation_after_latin_text_in_the_cjk_face(folder: Path) -> None:
    faces = drawn_from(next(folder.glob("*.pdf")))
    for char in PUNCTUATION:
        assert faces[char] == {CJK}, (char, faces[char])


def test_the_docx_names_the_cjk_family_for_that_punctuation(folder: Path) -> None:
    with zipfile.ZipFile(next(folder.glob("*.docx"))) as package:
        document = package.read("word/document.xml").decode()
    assert "Noto Sans Mongolian" not in document
    run = re.search(r'<w:rFonts w:ascii="([^"]*)"[^>]*/>(?:<[^>]*>)*?。详见', document)
    assert run is not None and run[1] == "Noto Sans CJK SC"


def test_the_html_carries_the_punctuation_in_the_cjk_face_and_names_no_other(
    folder: Path,
) -> None:
    page = next(folder.glob("*.html")).read_text(encoding="utf-8")
    faces = {
        name.replace("\\000020", " "): TTFont(io.BytesIO(base64.b64decode(data)))
        for name, data in re.findall(
            r'@font-face\{font-family:"([^"]*)";src:url\(data:font/woff2;base64,([^)]*)\)', page
        )
    }
    assert set(faces) == {"Noto Sans", "Noto Sans CJK SC"}  # no Mongolian face
    assert set(map(ord, PUNCTUATION)) <= set(faces["Noto Sans CJK SC"].getBestCmap())
    families = re.findall(r"font-family:([^;}]*,[^;}]*)", page)  # the stacks
    assert len(families) >= 2  # the body, the page furniture in print
    for family in families:
        listed = [name.strip('"').replace("\\000020", " ") for name in family.split(",")]
        assert listed == ["Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "sans-serif"]


@pytest.mark.parametrize(
    ("text", "faces"),
    [
        ("增长了2.5%。", [CJK, None, CJK]),
        ("ICC。", [None, CJK]),
        ("《ICC》", [CJK, None, CJK]),
        ("ᠮᠣᠩᠭᠣᠯ 2024。", [MONGOLIAN, None, MONGOLIAN]),  # Mongolian keeps its own
        ("≠ cuts →", ["NotoSansMath-Regular", None, "NotoSansSymbols-Regular"]),
    ],
)
def test_runs_give_cjk_punctuation_the_face_of_the_text_it_closes(
    text: str, faces: list[str | None]
) -> None:
    runs = fallback_runs(text, shipped_codepoints("NotoSans-Regular"))
    assert [face for face, _ in runs] == faces
