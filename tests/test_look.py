"""One look for every format: the house style from look.yaml, overridden key by key."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefgen.compose.pack import compose_pack
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from briefgen.look import default_look, load_look
from briefgen.writers.docx.writer import write_docx
from briefgen.writers.pdf.writer import write_pdf
from tests.conftest import CASES

FULL = CASES / "valid" / "full-featured.yaml"
WINE = "#7A1F3D"


def override(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "look.yaml").write_text(text, encoding="utf-8")
    return folder


def rgb(hex_colour: str) -> str:
    """The fill-colour operator reportlab writes for ``hex_colour``."""
    parts = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (
        " ".join(f"{p:.6f}".rstrip("0").rstrip(".").removeprefix("0") or "0" for p in parts) + " rg"
    )


def pdf_content(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    streams = [page.get_contents().get_data().decode("latin-1") for page in reader.pages]
    return "\n".join(streams)


def style_colour(document: docx.document.Document, name: str) -> str:
    return str(document.styles[name].font.color.rgb)


def test_the_builtin_look_is_the_house_style() -> None:
    look = default_look()
    assert look.font.family == "Noto Sans"
    assert look.colours.accent == "#1B3A6B"
    assert look.heading(1).colour == look.colours.accent  # named colours resolve
    assert look.heading(9) == look.headings[-1]
    assert look.page.margins.left == pytest.approx(2.4 * 72 / 2.54)


def test_changing_the_accent_colour_in_one_place_changes_both_files(tmp_path: Path) -> None:
    templates = override(tmp_path / "t", f'colours:\n  accent: "{WINE}"\n')
    document = compose_pack(load_session(FULL), templates)
    pdf = pdf_content(write_pdf(document).data)
    assert rgb(WINE) in pdf
    assert rgb(default_look().colours.accent) not in pdf.replace(rgb(WINE), "")
    word = docx.Document(io.BytesIO(write_docx(document).data))
    assert style_colour(word, "Heading 1") == WINE[1:]
    assert style_colour(word, "Title") == WINE[1:]
    fills = word.element.body.xpath(".//w:tc/w:tcPr/w:shd/@w:fill")
    assert fills and set(fills) == {WINE[1:]}
    bar = word.styles["Key Message Box"].element.xpath("./w:tblPr/w:tblBorders/w:left/@w:color")
    assert bar == [WINE[1:]]
    assert style_colour(word, "Normal") == default_look().colours.ink[1:]  # untouched keys stay


def test_changed_margins_and_sizes_reach_both_files(tmp_path: Path) -> None:
    templates = override(
        tmp_path / "t",
        "page:\n  margins: {left: 4cm}\ntext:\n  body: {size: 12, leading: 16}\n",
    )
    document = compose_pack(load_session(FULL), templates)
    word = docx.Document(io.BytesIO(write_docx(document).data))
    assert word.sections[0].left_margin.cm == pytest.approx(4, abs=0.01)
    assert word.sections[0].right_margin.cm == pytest.approx(2.4, abs=0.01)
    assert word.styles["Normal"].font.size.pt == 12
    pdf = pdf_content(write_pdf(document).data)
    left = 4 * 72 / 2.54
    assert f"n {left:.4f} " in pdf  # the running header's rule starts at the left margin


def test_every_mistake_in_an_override_is_reported_at_its_place(tmp_path: Path) -> None:
    templates = override(
        tmp_path / "t",
        "colours:\n  accent: navy\ntext:\n  body: {sise: 9}\nfont:\n  family: Comic Sans\n",
    )
    with pytest.raises(UserError) as caught:
        load_look(templates)
    messages = sorted(str(d) for d in caught.value.diagnostics)
    path = str(templates / "look.yaml")
    assert len(messages) == 3
    assert any(m.startswith(f"{path}:2:11: ") and "'navy' is not a colour" in m for m in messages)
    assert any(
        m.startswith(f"{path}:4:10: ") and "unknown key 'sise'" in m and "'size'" in m
        for m in messages
    )
    assert any(m.startswith(f"{path}:6:11: ") and "Comic Sans" in m for m in messages)


def test_a_look_override_that_is_not_a_mapping_is_an_error(tmp_path: Path) -> None:
    templates = override(tmp_path / "t", "- just a list\n")
    with pytest.raises(UserError, match="expected a mapping"):
        load_look(templates)


def test_lengths_take_units(tmp_path: Path) -> None:
    templates = override(
        tmp_path / "t", "page:\n  margins: {top: 1in, bottom: 20mm, left: 30pt, right: .5in}\n"
    )
    margins = load_look(templates).page.margins
    assert (margins.top, round(margins.bottom, 3), margins.left) == (72.0, 56.693, 30.0)
    assert margins.right == 36.0  # ".5in": a number as YAML writes it, refused before
    bad = override(tmp_path / "u", "page:\n  margins: {top: 1 furlong}\n")
    with pytest.raises(UserError, match=re.escape("'1 furlong' is not a length")):
        load_look(bad)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("text:\n  body: {leading: 0}\n", "'0' is too small: more than 0 pt"),
        ("text:\n  body: {size: 9000}\n", "'9000' is too large: at most 144 pt"),
        (
            "page:\n  margins: {left: 10cm, right: 10cm}\n",
            r"margins \(10cm and 10cm\) leave 28.35 pt \(1cm\) of text width on A4 paper",
        ),
    ],
)
def test_a_look_that_leaves_no_room_for_text_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        load_look(override(tmp_path / "t", text))


def test_booleans_take_yaml_1_2_words_and_text_stays_as_typed(tmp_path: Path) -> None:
    """A boolean is true or false as YAML 1.2 writes them; no, on or y in a text field of
    the look (a bullet) is that text, not YAML 1.1's boolean."""
    templates = override(
        tmp_path / "t",
        "text:\n  body: {bold: True, italic: TRUE, hyphenate: False}\n"
        "lists:\n  bullets: [No, on, y]\n",
    )
    look = load_look(templates)
    assert (look.text.body.bold, look.text.body.italic, look.text.body.hyphenate) == (
        True,
        True,
        False,
    )
    assert look.lists.bullets == ("No", "on", "y")
