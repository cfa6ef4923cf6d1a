"""Every DOCX validates against the Office Open XML schemas, as Word's own SDK checks them.

openxml-audit is a port of the Open XML SDK's validator (the schemas of ECMA-376
transitional and Office's extensions, with the SDK's semantic checks): the closest a
test gets to "opens in Word without a repair prompt" without Word.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator
from PIL import Image

from briefgen import tree
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.handouts.build import build_handouts
from briefgen.writers.docx.writer import write_docx
from tests.conftest import ASP23, CASES
from tests.trees import decided, line, meta

VALID = sorted((CASES / "valid").glob("*.yaml"))


@pytest.fixture(scope="module")
def validator() -> OpenXmlValidator:
    return OpenXmlValidator(max_errors=20)


def problems(validator: OpenXmlValidator, path: Path) -> list[str]:
    result = validator.validate(str(path))
    return [f"{getattr(e, 'part_uri', '')}: {e.description}" for e in result.errors]


@pytest.mark.parametrize("source", [ASP23, *VALID], ids=lambda p: p.stem)
def test_the_docx_of_every_valid_case_is_schema_valid(
    source: Path, tmp_path: Path, validator: OpenXmlValidator
) -> None:
    result = build_pack(source, BuildOptions(formats=("docx",), output_dir=tmp_path))
    (docx,) = result.folder.glob("*.docx")
    assert problems(validator, docx) == []


def test_the_handouts_are_schema_valid(tmp_path: Path, validator: OpenXmlValidator) -> None:
    source = CASES / "valid" / "who-said-what.yaml"  # with a QR code picture in each
    build_handouts(source, tmp_path, ("docx",))
    handouts = sorted(tmp_path.rglob("*handout*.docx"))
    assert len(handouts) >= 2
    for handout in handouts:
        assert problems(validator, handout) == [], handout.name


def test_the_validator_finds_what_word_would_repair(
    tmp_path: Path, validator: OpenXmlValidator
) -> None:
    """The check can fail: an element where the schema allows none, properties out of
    their schema order."""
    result = build_pack(ASP23, BuildOptions(formats=("docx",), output_dir=tmp_path))
    (docx,) = result.folder.glob("*.docx")
    for wrong in (
        lambda xml: xml.replace(b"<w:body>", b"<w:body><w:bogus/>", 1),
        lambda xml: xml.replace(b"<w:pPr>", b'<w:pPr><w:jc w:val="left"/><w:pStyle w:val="x"/>', 1),
    ):
        broken = tmp_path / "broken.docx"
        broken.write_bytes(_with_document(docx.read_bytes(), wrong))
        assert problems(validator, broken) != []


def _with_document(data: bytes, change: object) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "word/document.xml":
                member = change(member)  # type: ignore[operator]
            target.writestr(info, member)
    return out.getvalue()


def test_a_logo_marked_as_decoration_is_schema_valid(
    tmp_path: Path, validator: OpenXmlValidator
) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (20, 20), "white").save(logo)
    cover = tree.Cover(line("Title", "cover-title"), None, (), logo=str(logo), logo_alt="")
    docx = tmp_path / "decorated.docx"
    docx.write_bytes(write_docx(decided(meta("Title"), (cover,)), paginate=False).data)
    assert "decorative" in zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert problems(validator, docx) == []
