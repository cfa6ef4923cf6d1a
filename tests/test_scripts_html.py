"""The HTML edition carries the fallback faces its text needs, each cut to the characters
it draws, and names every fallback family in its font stack, in the PDF's order."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from briefgen.build.pack import BuildOptions, build_pack
from briefgen.text.fonts import FALLBACK_FAMILIES
from tests.conftest import CASES


def page_of(case: str, output: Path) -> str:
    result = build_pack(CASES / "valid" / case, BuildOptions(formats=("html",), output_dir=output))
    return next(result.folder.glob("*.html")).read_text(encoding="utf-8")


def declared_families(page: str) -> set[str]:
    names = re.findall(r'@font-face\{font-family:"([^"]*)"', page)
    return {re.sub(r"\\0*20", " ", name) for name in names}


def test_the_fallback_faces_a_page_draws_with_are_embedded(tmp_path: Path) -> None:
    families = declared_families(page_of("many-scripts.yaml", tmp_path))
    assert {"Noto Sans Georgian", "Noto Sans Devanagari", "Noto Sans Thai"} <= families
    assert {"Noto Sans Math", "Noto Sans Symbols2"} <= families  # ≥ ≠ ∞, ✓ ✗
    assert "Symbola" in families  # 🎉 🌍 ✊ 👍


def test_the_emoji_a_page_shows_are_embedded_in_a_subset_of_symbola(tmp_path: Path) -> None:
    page = page_of("many-scripts.yaml", tmp_path)
    (data,) = re.findall(
        r'@font-face\{font-family:"Symbola";src:url\(data:font/woff2;base64,([^)]*)\)', page
    )
    subset = set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())
    emoji = set(map(ord, "🎉🌍✊👍🕊😀🤝⭐✅🚀"))
    assert emoji <= subset
    assert subset - emoji <= {0x20}  # only what the page draws with it


def test_a_latin_page_embeds_no_fallback_face_but_names_them_all(tmp_path: Path) -> None:
    page = page_of("minimal.yaml", tmp_path)
    assert declared_families(page) == {"Noto Sans"}
    stack = re.search(r"font-family:([^;]*);font-size:1rem", page)
    assert stack is not None
    for family in FALLBACK_FAMILIES:
        assert family.family.replace(" ", "\\000020") in stack.group(1)
