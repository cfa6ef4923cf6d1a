"""Building packs: files, manifests, up-to-date checks, many inputs, reproducible bytes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.cli.main import cli
from briefgen.writers import DEFAULT_FORMATS
from tests.conftest import ASP23, CASES, ROOT


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def without_schema_comment(path: Path) -> str:
    """The text of ``path`` without its editor comment, which would point nowhere from a
    temporary folder (a warning, so an error under --strict)."""
    return "".join(
        line
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("# yaml-language-server:")
    )


def run_build(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["build", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def copy_input(source: Path, folder: Path, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target


def test_build_writes_every_format_and_a_manifest(tmp_path: Path) -> None:
    code, out, err = run_build(ASP23, "--output-dir", tmp_path)
    assert code == 0, err
    folder = tmp_path / "asp23"
    assert DEFAULT_FORMATS == ("pdf", "docx", "html")
    assert sorted(p.name for p in folder.iterdir()) == [
        "asp23-briefing-pack.docx",
        "asp23-briefing-pack.html",
        "asp23-briefing-pack.pdf",
        "asp23-data.yaml",  # the data it was built from: the next edition compares with it
        "manifest.json",
    ]
    lines = out.splitlines()
    assert len(lines) == len(DEFAULT_FORMATS)
    assert lines[0].startswith(f"{folder / 'asp23-briefing-pack.pdf'}  ") and " pages  " in lines[0]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["sources"]["input_sha256"] == sha256(ASP23)
    assert set(manifest["sources"]) >= {
        "templates_sha256",
        "document_date",
        "briefgen",
        "briefgen_code",
        "tools",
    }
    assert manifest["sources"]["document_date"] == "2024-12-10"  # the edition
    assert {"python", "reportlab", "python-docx", "jinja2"} <= set(manifest["sources"]["tools"])
    for artifact in manifest["artifacts"]:
        path = folder / artifact["file"]
        assert artifact["sha256"] == sha256(path)
        assert artifact["bytes"] == path.stat().st_size
    pdf = next(a for a in manifest["artifacts"] if a["file"].endswith(".pdf"))
    assert pdf["pages"] >= 5


def test_format_option_writes_only_that_format(tmp_path: Path) -> None:
    code, _, err = run_build(ASP23, "--format", "docx", "--output-dir", tmp_path)
    assert code == 0, err
    assert not (tmp_path / "asp23" / "asp23-briefing-pack.pdf").exists()
    assert (tmp_path / "asp23" / "asp23-briefing-pack.docx").exists()


def test_an_unchanged_pack_is_up_to_date_and_force_rebuilds_it(tmp_path: Path) -> None:
    run_build(ASP23, "--output-dir", tmp_path)
    pdf = tmp_path / "asp23" / "asp23-briefing-pack.pdf"
    before = pdf.stat().st_mtime_ns
    code, out, _ = run_build(ASP23, "--output-dir", tmp_path)
    assert code == 0
    assert out.strip() == f"{tmp_path / 'asp23'}: up to date"
    assert pdf.stat().st_mtime_ns == before
    code, out, _ = run_build(ASP23, "--output-dir", tmp_path, "--force")
    assert "up to date" not in out
    assert pdf.stat().st_mtime_ns != before


def test_a_changed_or_missing_artifact_is_rebuilt(tmp_path: Path) -> None:
    run_build(ASP23, "--output-dir", tmp_path)
    docx = tmp_path / "asp23" / "asp23-briefing-pack.docx"
    original = docx.read_bytes()
    docx.write_bytes(b"edited by hand")
    _, out, _ = run_build(ASP23, "--output-dir", tmp_path)
    assert "up to date" not in out
    assert docx.read_bytes() == original


def test_a_template_change_rebuilds_the_pack(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    run_build(ASP23, "--output-dir", tmp_path / "out", "--templates", templates)
    (templates / "programme.md.j2").write_text("# Programme of the week\n")
    _, out, _ = run_build(ASP23, "--output-dir", tmp_path / "out", "--templates", templates)
    assert "up to date" not in out


def test_changing_one_statement_rebuilds_exactly_that_pack(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    first = copy_input(ASP23, inputs)
    copy_input(CASES / "valid" / "french.yaml", inputs)
    output = tmp_path / "out"
    code, _, err = run_build(inputs, "--output-dir", output)
    assert code == 0, err
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("Intervention of Human Rights Watch", "HRW on the review"))
    code, out, _ = run_build(inputs, "--output-dir", output)
    assert code == 0
    up_to_date = [line for line in out.splitlines() if line.endswith(": up to date")]
    rebuilt = [line for line in out.splitlines() if "briefing-pack." in line]
    assert len(up_to_date) == 1 and "asp23" not in up_to_date[0]
    assert len(rebuilt) == len(DEFAULT_FORMATS)
    assert all("/asp23/asp23-briefing-pack." in line for line in rebuilt)


def test_one_broken_input_fails_alone(tmp_path: Path) -> None:
    inputs = [
        copy_input(ASP23, tmp_path / "in"),
        copy_input(CASES / "valid" / "spanish.yaml", tmp_path / "in"),
        copy_input(CASES / "invalid" / "unknown-by.yaml", tmp_path / "in"),
    ]
    code, out, err = run_build(*inputs, "--output-dir", tmp_path / "out")
    assert code == 1
    built = sorted(p.parent.name for p in (tmp_path / "out").glob("*/*-briefing-pack.pdf"))
    assert len(built) == 2 and "asp23" in built
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 2  # its own, and the session id it shares with asp23.yaml
    assert all(error.startswith(f"{inputs[2]}:") for error in errors)
    assert "Traceback" not in out + err


def test_a_failing_template_writes_nothing_and_keeps_the_earlier_pack(tmp_path: Path) -> None:
    output = tmp_path / "out"
    run_build(ASP23, "--output-dir", output)
    folder = output / "asp23"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "programme.md.j2").write_text("# Programme\n{{ missing.value }}\n")
    code, _, err = run_build(ASP23, "--output-dir", output, "--templates", templates)
    assert code == 1
    assert "programme.md.j2:2:" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_strict_turns_font_coverage_warnings_into_errors(tmp_path: Path) -> None:
    text = without_schema_comment(ASP23).replace(
        "title: Intervention of Human Rights Watch", "title: Intervention of Human Rights Watch 🫠"
    )
    source = tmp_path / "asp23.yaml"
    source.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "🫠" in t)
    code, _, err = run_build(source, "--output-dir", tmp_path / "warn")
    assert code == 0
    assert f"{source}:{line}:" in err and ": warning: " in err and "U+1FAE0" in err
    code, _, err = run_build(source, "--output-dir", tmp_path / "strict", "--strict")
    assert code == 1
    assert ": error: " in err and "U+1FAE0" in err
    assert not (tmp_path / "strict").exists()


def test_strict_fails_only_the_formats_whose_fonts_lack_a_character(tmp_path: Path) -> None:
    """The DOCX leaves fonts to the reader's word processor: a character the PDF's shipped
    fonts cannot draw (a rare Han character, 亹) must not fail a DOCX-only build under
    --strict."""
    text = without_schema_comment(ASP23).replace(
        "title: Intervention of Human Rights Watch", "title: Intervention of Human Rights Watch 亹"
    )
    source = tmp_path / "asp23.yaml"
    source.write_text(text, encoding="utf-8")
    code, out, err = run_build(source, "--format", "docx", "--strict", "--output-dir", tmp_path)
    assert code == 0, err
    assert "U+4EB9" not in err and "asp23-briefing-pack.docx" in out
    for formats in ("pdf", "pdf,docx"):
        code, _, err = run_build(source, "--format", formats, "--strict", "--output-dir", tmp_path)
        assert code == 1, formats
        assert ": error: " in err and "U+4EB9" in err


def _without_edition(folder: Path) -> Path:
    text = ASP23.read_text(encoding="utf-8")
    assert "  edition: 2024-12-10\n" in text
    return write_text(folder / "asp23.yaml", text.replace("  edition: 2024-12-10\n", ""))


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_source_date_epoch_rebuilds_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an edition, SOURCE_DATE_EPOCH dates the pack: another date is another pack."""
    source = _without_edition(tmp_path / "in")
    output = tmp_path / "out"
    pdf = output / "asp23" / "asp23-briefing-pack.pdf"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733011200")  # 2024-12-01
    code, _, err = run_build(source, "--output-dir", output)
    assert code == 0, err
    first = pdf.read_bytes()
    _, out, _ = run_build(source, "--output-dir", output)
    assert out.strip() == f"{output / 'asp23'}: up to date"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    code, out, err = run_build(source, "--output-dir", output)
    assert code == 0, err
    assert "up to date" not in out
    assert pdf.read_bytes() != first
    manifest = json.loads((output / "asp23" / "manifest.json").read_text())
    assert manifest["sources"]["document_date"] == "2025-01-01"


def _build_with_package(package: Path, output: Path) -> str:
    """Build ASP23 as PDF in a fresh interpreter that imports briefgen from ``package``."""
    command = [sys.executable, "-m", "briefgen", "build", str(ASP23), "--format", "pdf"]
    done = subprocess.run(
        [*command, "--output-dir", str(output)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(package)},
        cwd=package,
    )
    return done.stdout


def test_an_edited_briefgen_rebuilds_the_pack(tmp_path: Path) -> None:
    """The manifest keys on briefgen's code, not only its version: after an edit to the
    PDF styles (same version) the pack is built again."""
    checkout = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("briefgen", "templates", "schema"):
        shutil.copytree(ROOT / folder, checkout / folder, ignore=ignore)
    output = tmp_path / "out"
    assert "asp23-briefing-pack.pdf" in _build_with_package(checkout, output)
    assert _build_with_package(checkout, output).strip() == f"{output / 'asp23'}: up to date"
    styles = checkout / "briefgen" / "writers" / "pdf" / "styles.py"
    styles.write_text(styles.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert "asp23-briefing-pack.pdf" in _build_with_package(checkout, output)


def test_the_code_fingerprint_covers_the_shipped_fonts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.build import manifest

    fonts = tmp_path / "fonts"
    shutil.copytree(manifest.FONT_DIR, fonts)
    monkeypatch.setattr(manifest, "FONT_DIR", fonts)
    manifest.code_fingerprint.cache_clear()
    try:
        before = manifest.code_fingerprint()
        with (fonts / "NotoSans-Regular.ttf").open("ab") as font:
            font.write(b"\0")
        manifest.code_fingerprint.cache_clear()
        assert manifest.code_fingerprint() != before
    finally:
        manifest.code_fingerprint.cache_clear()


def _build_in_subprocess(output: Path, env_overrides: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, **env_overrides}
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(ASP23), "--output-dir", str(output)],
        check=True,
        env=env,
        capture_output=True,
        cwd=ROOT,
    )
    return {p.name: sha256(p) for p in sorted((output / "asp23").iterdir())}


def test_same_input_gives_identical_bytes_whatever_the_clock_zone_or_locale(tmp_path: Path) -> None:
    first = _build_in_subprocess(tmp_path / "a", {"TZ": "UTC", "LC_ALL": "C.UTF-8"})
    time.sleep(1.1)  # a later wall clock: any timestamp taken from it would differ
    second = _build_in_subprocess(
        tmp_path / "b", {"TZ": "Pacific/Kiritimati", "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"}
    )
    assert first == second
    assert len(first) == len(DEFAULT_FORMATS) + 2  # and the data and the manifest


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    run_build(ASP23, "--output-dir", tmp_path)
    leftovers = [p for p in (tmp_path / "asp23").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_folder_of_inputs_builds_every_yaml_file(tmp_path: Path) -> None:
    copy_input(CASES / "valid" / "minimal.yaml", tmp_path / "in")
    copy_input(CASES / "valid" / "greek-cyrillic.yaml", tmp_path / "in")
    (tmp_path / "in" / "notes.txt").write_text("not an input")
    code, _, err = run_build(tmp_path / "in", "--output-dir", tmp_path / "out")
    assert code == 0, err
    assert len(list((tmp_path / "out").glob("*/manifest.json"))) == 2


@pytest.mark.parametrize("case", sorted((CASES / "valid").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_valid_case_builds(case: Path, tmp_path: Path) -> None:
    code, _, err = run_build(case, "--output-dir", tmp_path)
    assert code == 0, err
    assert len(list(tmp_path.glob("*/*-briefing-pack.*"))) == len(DEFAULT_FORMATS)


def test_two_inputs_with_the_same_session_id_are_an_error(tmp_path: Path) -> None:
    first = copy_input(ASP23, tmp_path / "a")
    second = copy_input(ASP23, tmp_path / "b")
    code, _, err = run_build(first, second, "--output-dir", tmp_path / "out")
    assert code == 1
    assert f"{second}:14:7: error: session.id: session id 'asp23' is also used by {first}" in err
    assert f"{first}:14:7: error: session.id: session id 'asp23' is also used by {second}" in err
    assert not (tmp_path / "out").exists()  # neither is built: one would replace the other


def test_an_unwritable_output_is_a_clear_error_and_keeps_nothing_half_done(tmp_path: Path) -> None:
    blocker = tmp_path / "out" / "asp23"
    blocker.parent.mkdir()
    blocker.write_text("a file where the output folder should be")
    code, _, err = run_build(ASP23, "--output-dir", blocker.parent)
    assert code == 1
    assert "cannot write" in err and "Traceback" not in err
    assert blocker.read_text() == "a file where the output folder should be"


def test_an_override_labels_file_holds_only_the_labels_it_changes(tmp_path: Path) -> None:
    """As a templates folder holds only the templates it changes: the labels it lacks
    (here all but one, as after an upgrade that adds labels) are the built-in ones."""
    from pypdf import PdfReader

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "labels.yaml").write_text("en:\n  programme: Order of business\n")
    code, _, err = run_build(
        ASP23, "--output-dir", tmp_path / "out", "--templates", templates, "--format", "pdf"
    )
    assert code == 0, err
    pdf = tmp_path / "out" / "asp23" / "asp23-briefing-pack.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Order of business" in text and "Programme" not in text
    assert "Contents" in text and "on behalf of" in text  # the built-in labels


def test_a_reference_docx_that_is_not_a_word_document_is_named(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "reference.docx").write_text("not a docx")
    code, _, err = run_build(ASP23, "--output-dir", tmp_path / "out", "--templates", templates)
    assert code == 1
    assert "reference.docx: error: not a Word document" in err
    assert not (tmp_path / "out").exists()


def test_an_empty_bullet_in_a_summary_builds(tmp_path: Path) -> None:
    text = ASP23.read_text(encoding="utf-8").replace(
        "    summary: >-\n      A two-part", "    summary: |\n      -\n\n      A two-part"
    )
    source = tmp_path / "asp23.yaml"
    source.write_text(text, encoding="utf-8")
    code, _, err = run_build(source, "--output-dir", tmp_path / "out")
    assert code == 0, err


def test_the_garbage_collector_is_on_again_after_a_build_or_a_failed_load(tmp_path: Path) -> None:
    """The command line pauses the cyclic collector for a build; it must hand it back,
    also when the input is invalid."""
    import gc

    code, _, err = run_build(ASP23, "--format", "docx", "--output-dir", tmp_path)
    assert code == 0, err
    assert gc.isenabled()
    code, _, _ = run_build(CASES / "invalid" / "unknown-by.yaml", "--output-dir", tmp_path)
    assert code == 1
    assert gc.isenabled()


def test_the_command_line_pauses_the_collector_for_a_build_and_a_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from briefgen.build import batch
    from briefgen.input import load

    enabled: list[bool] = []
    build_pack, load_session = batch.build_pack, load.load_session

    def building(*args: Any) -> Any:
        enabled.append(gc.isenabled())
        return build_pack(*args)

    def loading(*args: Any) -> Any:
        enabled.append(gc.isenabled())
        return load_session(*args)

    monkeypatch.setattr(batch, "build_pack", building)
    monkeypatch.setattr(load, "load_session", loading)
    code, _, err = run_build(ASP23, "--format", "docx", "--output-dir", tmp_path)
    assert code == 0, err
    assert CliRunner().invoke(cli, ["validate", str(ASP23)]).exit_code == 0
    assert enabled == [False, False]
    assert gc.isenabled()


def test_the_library_leaves_the_collector_alone(tmp_path: Path) -> None:
    """Only the command line pauses the collector: a program using briefgen keeps its own
    setting, and nothing below the command line imports the pause."""
    import gc

    from briefgen.build.pack import BuildOptions, build_pack

    seen: list[bool] = []
    gc.callbacks.append(lambda phase, info: seen.append(phase == "start"))
    try:
        build_pack(ASP23, BuildOptions(formats=("docx",), output_dir=tmp_path, force=True))
    finally:
        gc.callbacks.pop()
    assert gc.isenabled() and any(seen), "the collector ran during a library build"
    package = ROOT / "briefgen"
    importers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "gcpause" in path.read_text(encoding="utf-8")
    ]
    assert importers and all(name.startswith("cli/") for name in importers), importers
