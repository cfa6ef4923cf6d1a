"""The DOCX's contents carry the page numbers of the DOCX itself, as LibreOffice lays it out."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefgen import tree
from briefgen.build.manifest import read_manifest
from briefgen.build.pack import BuildOptions, build_pack
from briefgen.compose.pack import compose_pack
from briefgen.input.load import load_session
from briefgen.writers.docx.body import bookmark_name
from briefgen.writers.docx.writer import write_docx
from tests.clients import convert_with_libreoffice
from tests.conftest import CASES

FULL = CASES / "valid" / "full-featured.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def office(monkeypatch: pytest.MonkeyPatch) -> str:
    program = shutil.which("soffice")
    if program is None:
        pytest.skip("soffice is not installed (apt-get install libreoffice-writer-nogui)")
    monkeypatch.setenv("BRIEFGEN_OFFICE", program)
    return program


def page_numbers(data: bytes) -> dict[str, str]:
    """Bookmark -> the page number its contents or index line shows: the PAGEREF field's
    result."""
    body = docx.Document(io.BytesIO(data)).element.body
    numbers = {}
    for paragraph in body.iter(f"{W}p"):
        runs = list(paragraph.iter(f"{W}r"))
        for index, run in enumerate(runs):
            instruction = "".join(t.text or "" for t in run.iter(f"{W}instrText")).split()
            if instruction[:1] == ["PAGEREF"]:
                result = runs[index + 2]  # after the field's "separate" mark
                numbers[instruction[1]] = "".join(t.text or "" for t in result.iter(f"{W}t"))
    return numbers


def index_entries(document: tree.Document) -> list[tree.ContentsEntry]:
    index = next(b for b in document.blocks if isinstance(b, tree.Index))
    return [entry for group in index.groups for entry in group.entries]


def test_without_libreoffice_the_numbers_are_left_to_word() -> None:
    """The contents has no numbers; the index has its fields, empty, for Word to fill."""
    document = compose_pack(load_session(FULL))
    rendered = write_docx(document)
    assert rendered.pages is None
    numbers = page_numbers(rendered.data)
    assert set(numbers) == {bookmark_name(e.anchor) for e in index_entries(document)}
    assert set(numbers.values()) == {""}


def test_each_contents_number_is_the_page_its_heading_lands_on(office: str, tmp_path: Path) -> None:
    document = compose_pack(load_session(FULL))
    rendered = write_docx(document)
    contents = next(b for b in document.blocks if isinstance(b, tree.Contents))
    numbers = page_numbers(rendered.data)
    entries = [*contents.entries, *index_entries(document)]
    assert set(numbers) == {bookmark_name(e.anchor) for e in entries}
    source = tmp_path / "pack.docx"
    source.write_bytes(rendered.data)
    converted = convert_with_libreoffice([source], tmp_path, "pdf", office)
    pages = [page.extract_text() for page in PdfReader(converted / "pack.pdf").pages]
    assert rendered.pages == len(pages)
    landing = 2  # the headings follow the contents, in the contents' order
    for entry in contents.entries:
        line = re.compile(rf"^{re.escape(entry.text)}\s*$", re.MULTILINE)
        landing = next(n for n in range(landing, len(pages) + 1) if line.search(pages[n - 1]))
        assert numbers[bookmark_name(entry.anchor)] == str(landing), entry.text
    for entry in index_entries(document):  # each index entry: its statement's page
        title = entry.text.split(",")[0]
        line = re.compile(rf"^{re.escape(title)}\s*$", re.MULTILINE)
        landing = next(n for n in range(2, len(pages) + 1) if line.search(pages[n - 1]))
        assert numbers[bookmark_name(entry.anchor)] == str(landing), entry.text


def test_the_manifest_records_the_docx_pages(office: str, tmp_path: Path) -> None:
    result = build_pack(FULL, BuildOptions(formats=("docx",), output_dir=tmp_path))
    manifest = read_manifest(result.folder)
    assert manifest is not None
    (record,) = manifest.artifacts
    assert record.pages is not None and record.pages > 3
    assert result.artifacts[0].pages == record.pages


def test_a_failing_libreoffice_leaves_the_numbers_to_word(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("BRIEFGEN_OFFICE", str(broken))
    rendered = write_docx(compose_pack(load_session(FULL)))
    assert rendered.pages is None and set(page_numbers(rendered.data).values()) == {""}


def test_a_pack_built_without_libreoffice_is_rebuilt_with_it(
    office: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = BuildOptions(formats=("docx",), output_dir=tmp_path)
    monkeypatch.setenv("BRIEFGEN_OFFICE", "off")
    assert build_pack(FULL, options).artifacts[0].pages is None
    assert build_pack(FULL, options).up_to_date
    monkeypatch.setenv("BRIEFGEN_OFFICE", office)
    rebuilt = build_pack(FULL, options)
    assert not rebuilt.up_to_date and rebuilt.artifacts[0].pages is not None


def test_a_libreoffice_that_hangs_is_stopped_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A launcher whose child hangs: after the time limit, launcher and child are gone."""
    from briefgen.writers.docx import pagination

    marker = tmp_path / "child.pid"
    hanging = tmp_path / "soffice"
    hanging.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {marker}\nwait\n", encoding="utf-8")
    hanging.chmod(0o755)
    monkeypatch.setattr(pagination, "TIMEOUT_SECONDS", 1.0)
    assert pagination.paginate(b"not a docx", str(hanging)) is None
    child = int(marker.read_text())
    assert (
        not Path(f"/proc/{child}").exists()
        or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    )
