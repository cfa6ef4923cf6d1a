"""Organisations' names in sentences, with their article as each language writes it:
"on behalf of the Coalition", "au nom du Réseau", "en nombre del Tribunal"."""

from __future__ import annotations

from pathlib import Path

import docx
import lxml.html
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.cli.main import cli
from briefgen.compose.pack import compose_pack
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from tests.conftest import CASES, ROOT


def credited(tmp_path: Path, language: str, name: str, article: str | None) -> str:
    """The byline of a statement delivered on behalf of ``name`` in a pack of ``language``."""
    text = (CASES / "valid" / "who-said-what.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    name: Coalition for the International Criminal Court\n", f"    name: {name}\n"
    )
    if article is not None:
        text = text.replace(f"    name: {name}\n", f'    name: {name}\n    article: "{article}"\n')
    source = tmp_path / "case.yaml"
    text = text.replace("pack:\n", f"pack:\n  language: {language}\n", 1)
    source.write_text(text, encoding="utf-8")
    document = compose_pack(load_session(source))
    bylines = [
        tree.plain_text(b.content)
        for b in document.blocks
        if isinstance(b, tree.Paragraph) and b.role == "byline"
    ]
    return next(line for line in bylines if line.startswith("Parliamentarians"))


@pytest.mark.parametrize(
    ("language", "name", "article", "expected"),
    [
        ("en", "Coalition for the ICC", "the", "on behalf of the Coalition for the ICC"),
        ("en", "Amnesty International", None, "on behalf of Amnesty International"),
        ("fr", "Coalition française", "la", "au nom de la Coalition française"),
        ("fr", "Réseau des juristes", "le", "au nom du Réseau des juristes"),
        ("fr", "Observatoire des droits", "l'", "au nom de l’Observatoire des droits"),
        ("fr", "Amis de la Cour", "les", "au nom des Amis de la Cour"),
        ("es", "Tribunal de los pueblos", "el", "en nombre del Tribunal de los pueblos"),
        ("es", "Coalición andina", "la", "en nombre de la Coalición andina"),
    ],
)
def test_the_credit_names_the_organisation_with_its_article(
    tmp_path: Path, language: str, name: str, article: str | None, expected: str
) -> None:
    assert expected in credited(tmp_path, language, name, article)


def test_an_article_the_pack_language_does_not_write_is_an_error_at_it(tmp_path: Path) -> None:
    with pytest.raises(UserError) as raised:
        credited(tmp_path, "en", "Coalición andina", "la")
    (problem,) = raised.value.diagnostics
    assert problem.field == "organizations[0].article"
    assert "the article 'la' is not written in 'en' packs" in problem.message


def test_validate_reports_an_article_the_pack_language_does_not_write(tmp_path: Path) -> None:
    """What build refuses, validate refuses too, at the same place (it reads the labels
    only for an input whose organisations take articles)."""
    text = (CASES / "valid" / "who-said-what.yaml").read_text(encoding="utf-8")
    text = text.replace("    short_name: CICC\n", "    short_name: CICC\n    article: la\n")
    source = tmp_path / "case.yaml"
    source.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    article: la") + 1
    expected = (
        f"{source}:{line}:14: error: organizations[0].article: the article 'la' is not"
        " written in 'en' packs (no label 'on_behalf_of_la'): leave it out, or add the"
        " label to your labels.yaml"
    )
    for command in (["validate"], ["validate", "--format", "html"], ["build", "-q"]):
        arguments = [*command, str(source)]
        if command[0] == "build":
            arguments += ["--output-dir", str(tmp_path / "out")]
        done = CliRunner().invoke(cli, arguments)
        assert done.exit_code == 1, (command, done.output)
        assert expected in done.output.splitlines(), (command, done.output)


COSIGNED = ROOT / "tests" / "data" / "sessions" / "cosigned-fr.yaml"
PUBLISHED = "Publié par la Fédération internationale pour les droits humains"
COSIGNED_BY = (
    "cosignée par l’Œuvre pour la justice, le Réseau des victimes, Avocats sans frontières"
)


@pytest.fixture(scope="module")
def cosigned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The French pack with a publisher and co-signatories taking articles, in every format."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFGEN_OFFICE", "off")
        result = build_pack(COSIGNED, BuildOptions(output_dir=tmp_path_factory.mktemp("fr")))
    return {path.suffix[1:]: path for path in result.folder.iterdir() if path.suffix}


def test_the_pdf_names_the_publisher_and_co_signatories_with_their_articles(
    cosigned: dict[str, Path],
) -> None:
    pages = PdfReader(cosigned["pdf"]).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    text = text.replace("\u00ad ", "").replace("\u00ad", "")  # words hyphenated at a line end
    assert PUBLISHED in text
    assert COSIGNED_BY in text


def test_the_docx_names_the_publisher_and_co_signatories_with_their_articles(
    cosigned: dict[str, Path],
) -> None:
    paragraphs = [p.text for p in docx.Document(str(cosigned["docx"])).paragraphs]
    assert PUBLISHED in paragraphs
    assert any(COSIGNED_BY in paragraph for paragraph in paragraphs)


def test_the_html_names_the_publisher_and_co_signatories_with_their_articles(
    cosigned: dict[str, Path],
) -> None:
    page = lxml.html.parse(str(cosigned["html"])).getroot()
    text = " ".join(page.text_content().split())
    assert PUBLISHED in text
    assert COSIGNED_BY in text
