"""French text keeps its high punctuation and guillemets with their words: the spaces
typed before ; : ! ? and inside « » become no-break, in French text only."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.text.typography import french_spaces
from tests.conftest import CASES

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("typed", "set"),
    [
        ("Format : panel", f"Format{NBSP}: panel"),
        ("Quoi ? Vraiment ! Oui ; non", f"Quoi{NNBSP}? Vraiment{NNBSP}! Oui{NNBSP}; non"),
        ("« maintenant »", f"«{NBSP}maintenant{NBSP}»"),
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),  # no space: as typed
        ("Déjà:collé", "Déjà:collé"),  # none is added where none was typed
    ],
)
def test_spaces_typed_before_high_punctuation_become_no_break(typed: str, set: str) -> None:
    assert french_spaces(typed) == set


def texts(document: tree.Document) -> list[str]:
    return tree.dump(document).splitlines()


TYPED = "La séance est ouverte ; l'ordre du jour : « adopté » !"


def french_case(tmp_path: Path, *, spaces: bool = True) -> Path:
    """The French test case with a summary typed with plain spaces."""
    text = (CASES / "valid" / "french.yaml").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    (index,) = [i for i, line in enumerate(lines) if line.startswith("    summary: La présidente")]
    lines[index] = f'    summary: "{TYPED}"\n'
    text = "".join(lines)
    if not spaces:
        text = text.replace("  language: fr\n", "  language: fr\n  french_spaces: false\n", 1)
    source = tmp_path / "aep5.yaml"
    source.write_text(text, encoding="utf-8")
    return source


def test_a_french_pack_sets_its_text_with_french_spaces(tmp_path: Path) -> None:
    source = french_case(tmp_path)
    lines = texts(compose_pack(load_session(source)))
    expected = f"La séance est ouverte{NNBSP}; l'ordre du jour{NBSP}: «{NBSP}adopté{NBSP}»{NNBSP}!"
    assert any(expected in line for line in lines)
    assert not any(" :" in line or " ;" in line or "« " in line for line in lines)
    result = build_pack(source, BuildOptions(formats=("docx",), output_dir=tmp_path / "out"))
    with zipfile.ZipFile(next(result.folder.glob("*.docx"))) as package:
        xml = package.read("word/document.xml").decode()
    assert expected in xml


def test_the_spaces_can_be_kept_as_typed(tmp_path: Path) -> None:
    lines = texts(compose_pack(load_session(french_case(tmp_path, spaces=False))))
    assert any(TYPED in line for line in lines)


def test_only_french_text_gets_french_spaces(tmp_path: Path) -> None:
    """An English pack keeps "Format: x"; a French statement in it is set the French way."""
    text = (CASES / "valid" / "who-said-what.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        summary: The review must stay independent.\n",
        "        summary: '« Indépendance ! » : voilà le mot.'\n        language: fr\n",
    )
    text = text.replace("title: Strengthening the review process", "title: 'Review : a view'")
    source = tmp_path / "case.yaml"
    source.write_text(text, encoding="utf-8")
    lines = texts(compose_pack(load_session(source)))
    assert any(f"«{NBSP}Indépendance{NNBSP}!{NBSP}»{NBSP}: voilà" in line for line in lines)
    assert any("Review : a view" in line for line in lines)  # English: as typed


@pytest.mark.parametrize("width", [150.0, 173.0, 211.0, 260.0])
def test_the_pdf_never_breaks_a_line_at_a_narrow_no_break_space(width: float) -> None:
    """reportlab breaks lines at whatever Python calls whitespace, U+202F included: the
    PDF draws it with a code of its own, so that ";", "!", "?" and "»" never start a line
    and "«" never ends one, and it still copies as U+202F."""
    from reportlab.lib.styles import ParagraphStyle

    from briefgen.writers.pdf.fonts import register_pdf_fonts
    from briefgen.writers.pdf.paragraph import paragraph

    register_pdf_fonts()
    style = ParagraphStyle("fr", fontName="NotoSans-Regular", fontSize=10, leading=12)
    typed = " ".join(
        f"Mot{'x' * (n % 7)}\u202f; «\u202fcitation{n}\u202f» vraiment\u202f!" for n in range(40)
    )
    drawn = paragraph((tree.Text(typed),), style, "ltr", "#000000")
    drawn.wrap(width, 10_000)
    lines = [line_text(line) for line in drawn.blPara.lines]
    assert len(lines) > 5
    assert not [line for line in lines if line.lstrip()[:1] in (";", "!", "»")]
    assert not [line for line in lines if line.rstrip().endswith("«")]


def line_text(line: object) -> str:
    """A broken line of a reportlab paragraph as text, its own codes read as characters."""
    words = getattr(line, "words", None)
    if words is not None:
        return "".join(fragment.text for fragment in words)
    return " ".join(line[1])  # type: ignore[index]
