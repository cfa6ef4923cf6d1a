"""How the work of a build is split: what each command imports, how often the PDF is laid
out, and which processes render formats and inputs. (Timing is the benchmark's job.)"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reportlab.platypus.doctemplate import BaseDocTemplate

from briefgen import tree
from briefgen.build import batch, render
from briefgen.build.pack import BuildOptions, BuildResult
from briefgen.compose.pack import compose_pack
from briefgen.input.languages import languages_used
from briefgen.input.load import load_session
from briefgen.writers import FORMATS, Rendered
from briefgen.writers.pdf.writer import write_pdf
from tests.conftest import ASP23, ROOT

WRITER_MODULES = (
    "reportlab",
    "docx",
    "briefgen.writers.pdf.writer",
    "briefgen.writers.docx.writer",
)


def modules_loaded_by(*argv: str) -> list[str]:
    """Run the command line in a fresh interpreter; return which writer modules it loaded,
    in any of its processes (Python's import log, ``-X importtime``, covers the children
    forked to render)."""
    done = subprocess.run(
        [sys.executable, "-u", "-X", "importtime", "-m", "briefgen", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    imported = set(re.findall(r"^import time:.*\|\s*(\S+)$", done.stderr, re.MULTILINE))
    assert "briefgen.cli.main" in imported  # the log was read
    return [module for module in WRITER_MODULES if module in imported]


def test_validate_imports_no_writer() -> None:
    assert modules_loaded_by("validate", str(ASP23)) == []


def test_a_docx_build_imports_no_pdf_writer(tmp_path: Path) -> None:
    argv = ("build", str(ASP23), "--format", "docx", "--output-dir", str(tmp_path))
    loaded = modules_loaded_by(*argv)
    assert "docx" in loaded
    assert "reportlab" not in loaded
    assert "briefgen.writers.pdf.writer" not in loaded


@pytest.mark.parametrize("writer", ["pdf", "docx", "html"])
def test_a_writer_imports_nothing_of_the_input_reader(writer: str) -> None:
    """The child started with a build imports its writer while the parent reads the
    input; the reader (YAML, the input's models) would only make those imports longer."""
    module = f"briefgen.writers.{writer}.writer"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    imported = set(re.findall(r"^import time:.*\|\s*(\S+)$", done.stderr, re.MULTILINE))
    assert module in imported
    assert not {"briefgen.input.model", "briefgen.input.load", "yaml"} & imported


def test_watch_readies_the_renderers_of_its_rebuilds_in_its_own_process() -> None:
    """``warm_up``: the writers imported and the PDF's faces registered here, so that the
    child forked to render each rebuild starts ready."""
    script = (
        "import sys; from briefgen.build.render import warm_up; warm_up(('pdf', 'docx'));"
        "from reportlab.pdfbase import pdfmetrics;"
        "print('NotoSans-Regular' in pdfmetrics.getRegisteredFontNames(),"
        " 'briefgen.writers.pdf.writer' in sys.modules,"
        " 'briefgen.writers.docx.writer' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.split() == ["True", "True", "True"]


def test_a_ready_writer_renders_in_a_child_forked_with_the_tree_and_prepares_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Once ``warm_up`` has readied a writer, no child is started before the tree (it
    would only cost sending the tree); the pack's languages are prepared in this
    process, for the children forked after it."""
    record = tmp_path / "prepared"
    monkeypatch.setenv("BRIEFGEN_TEST_PREPARED", str(record))
    recording = dataclasses.replace(FORMATS["pdf"], prepare=f"{__name__}:_record_prepared")
    monkeypatch.setitem(FORMATS, "pdf", recording)
    monkeypatch.setattr(render, "_warm", {"pdf"})
    monkeypatch.setattr(render, "renderer", lambda file_format, options: _pid_writer)
    document = tree.Document(compose_pack(load_session(ASP23)).meta, ())
    with render.rendering(("pdf", "docx")) as renderers:
        assert renderers.worker is None
        renderers.prepare(("en", "ar"))
        assert record.read_text(encoding="utf-8") == "en ar"  # here, already
        rendered = renderers.render(document, {}, 10)
    assert int(rendered["docx"][0].data) == os.getpid() != int(rendered["pdf"][0].data)


def test_the_pdf_is_laid_out_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """One build of the document template, never multiBuild's repeated passes; the
    contents' page numbers are right all the same (tests/test_pdf_writer.py)."""
    builds: list[int] = []
    original = BaseDocTemplate.build

    def counted(self: BaseDocTemplate, *args: object, **kwargs: object) -> None:
        builds.append(1)
        original(self, *args, **kwargs)

    def refused(self: BaseDocTemplate, *args: object, **kwargs: object) -> None:
        raise AssertionError("multiBuild lays the document out several times")

    monkeypatch.setattr(BaseDocTemplate, "build", counted)
    monkeypatch.setattr(BaseDocTemplate, "multiBuild", refused)
    rendered = write_pdf(compose_pack(load_session(ASP23)))
    assert builds == [1]
    assert rendered.pages == 9


def _pid_writer(document: tree.Document) -> Rendered:
    return Rendered(data=str(os.getpid()).encode(), pages=None)


def test_both_formats_render_at_once_the_first_in_a_child_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render, "renderer", lambda file_format, options: _pid_writer)
    document = tree.Document(compose_pack(load_session(ASP23)).meta, ())
    rendered = render.render_formats(document, ("pdf", "docx"), {})
    pdf_pid, docx_pid = (int(rendered[name][0].data) for name in ("pdf", "docx"))
    assert docx_pid == os.getpid()
    assert pdf_pid != os.getpid()
    sequential = render.render_formats(document, ("pdf", "docx"), {}, parallel=False)
    assert {int(output.data) for output, _ in sequential.values()} == {os.getpid()}


@pytest.mark.parametrize("input_size", [10, FORMATS["pdf"].send_limit + 1])
def test_a_build_renders_the_first_format_in_a_child_started_before_the_tree_exists(
    monkeypatch: pytest.MonkeyPatch, input_size: int
) -> None:
    """Small inputs: the child started with the build is sent the tree; large ones: a
    child forked once the tree is composed. Either way the first format is the child's."""
    monkeypatch.setattr(render, "renderer", lambda file_format, options: _pid_writer)
    document = tree.Document(compose_pack(load_session(ASP23)).meta, ())
    with render.rendering(("pdf", "docx")) as renderers:
        started = renderers.worker
        assert started is not None and started.child.is_alive()
        rendered = renderers.render(document, {}, input_size)
    pdf_pid, docx_pid = (int(rendered[name][0].data) for name in ("pdf", "docx"))
    assert docx_pid == os.getpid() != pdf_pid
    assert (pdf_pid == started.child.pid) == (input_size <= FORMATS["pdf"].send_limit)
    assert multiprocessing.active_children() == []


def test_a_build_that_renders_nothing_stops_its_child_at_once() -> None:
    """An invalid input or a pack up to date: the child waiting for a tree is ended."""
    began = time.monotonic()
    with pytest.raises(ValueError, match="invalid"), render.rendering(("pdf", "docx")):
        raise ValueError("invalid input")
    assert multiprocessing.active_children() == []
    assert time.monotonic() - began < 5
    with render.rendering(("pdf", "docx"), parallel=False) as renderers:
        assert renderers.worker is None  # a folder's worker renders its formats itself


def test_one_format_is_rendered_by_a_child_that_imported_its_writer_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(render, "renderer", lambda file_format, options: _pid_writer)
    document = tree.Document(compose_pack(load_session(ASP23)).meta, ())
    with render.rendering(("docx",)) as renderers:
        assert renderers.worker is not None
        rendered = renderers.render(document, {}, 10)
    assert int(rendered["docx"][0].data) == renderers.worker.child.pid != os.getpid()
    with render.rendering(("docx",)) as renderers:  # too large to send: rendered here
        rendered = renderers.render(document, {}, FORMATS["docx"].send_limit + 1)
    assert int(rendered["docx"][0].data) == os.getpid()
    with render.rendering(("html",)) as renderers:
        assert renderers.worker is None  # its writer imports too little for a child to pay


def test_a_child_started_as_the_command_starts_is_the_one_the_build_sends_its_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``start_early``: the child imports its writer while the command imports the rest;
    the build takes it over instead of starting another."""
    monkeypatch.setattr(render, "renderer", lambda file_format, options: _pid_writer)
    document = tree.Document(compose_pack(load_session(ASP23)).meta, ())
    render.start_early(("pdf", "docx"))
    (early,) = multiprocessing.active_children()
    with render.rendering(("pdf", "docx")) as renderers:
        assert renderers.worker is not None and renderers.worker.child is early
        rendered = renderers.render(document, {}, 10)
    assert int(rendered["pdf"][0].data) == early.pid
    assert int(rendered["docx"][0].data) == os.getpid()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("formats", [("docx",), ("pdf",)])
def test_a_child_started_early_that_the_build_cannot_use_is_stopped(
    formats: tuple[str, ...],
) -> None:
    """Started for another format, or a build that renders everything itself."""
    render.start_early(("pdf",))
    (early,) = multiprocessing.active_children()
    parallel = formats != ("pdf",)
    with render.rendering(formats, parallel=parallel) as renderers:
        assert renderers.worker is None or renderers.worker.child is not early
        assert not early.is_alive()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("inputs", [1, 2])
def test_the_build_command_starts_the_renderer_early_for_one_input(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, inputs: int
) -> None:
    """One input is built in this process, which can start its renderer first; several
    go to a pool of workers, which start their own."""
    from click.testing import CliRunner

    from briefgen.cli.main import cli

    started: list[tuple[str, ...]] = []
    monkeypatch.setattr(render, "start_early", started.append)
    for number in range(inputs):
        (tmp_path / f"pack{number}.yaml").write_text(
            ASP23.read_text(encoding="utf-8").replace("id: asp23", f"id: asp23-{number}", 1),
            encoding="utf-8",
        )
    argv = ["build", str(tmp_path), "--format", "pdf,docx", "--output-dir", str(tmp_path / "o")]
    result = CliRunner().invoke(cli, argv, env={"BRIEFGEN_OFFICE": "off"})
    assert result.exit_code == 0, result.output
    assert started == ([("pdf", "docx")] if inputs == 1 else [])


def _record_prepared(languages: tuple[str, ...]) -> None:
    Path(os.environ["BRIEFGEN_TEST_PREPARED"]).write_text(" ".join(languages), encoding="utf-8")


def test_the_child_prepares_for_every_language_of_the_pack_before_the_tree_comes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The pack's languages reach the child as soon as the input is read; it loads the
    PDF's faces and the hyphenation rules of each while the parent composes."""
    record = tmp_path / "prepared"
    monkeypatch.setenv("BRIEFGEN_TEST_PREPARED", str(record))
    recording = dataclasses.replace(FORMATS["pdf"], prepare=f"{__name__}:_record_prepared")
    monkeypatch.setitem(FORMATS, "pdf", recording)
    monkeypatch.setattr(render, "renderer", lambda file_format, options: _pid_writer)
    document = tree.Document(compose_pack(load_session(ASP23)).meta, ())
    with render.rendering(("pdf",)) as renderers:
        renderers.prepare(("en", "fr", "ar"))
        renderers.render(document, {}, 10)
    assert record.read_text(encoding="utf-8") == "en fr ar"


def test_a_pack_is_prepared_for_its_language_and_those_of_its_texts(tmp_path: Path) -> None:
    parts = ASP23.read_text(encoding="utf-8").split("\n        language: en\n")
    assert len(parts) > 3  # the fixture's texts say they are in English
    languages = ["en", "ar", "en", "fr-CA"] + ["en"] * (len(parts) - 5)
    text = parts[0]
    for language, part in zip(languages, parts[1:], strict=True):
        text += f"\n        language: {language}\n" + part
    source = tmp_path / "asp23.yaml"
    source.write_text(text, encoding="utf-8")
    assert languages_used(load_session(source).session) == ("en", "ar", "fr-CA")


def _slow_build_reporting_pid(input_path: Path, options: BuildOptions) -> BuildResult:
    time.sleep(0.3)  # long enough that every worker of the pool gets an input
    return BuildResult(str(os.getpid()), input_path.parent, (), ())


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="the patched build reaches pool workers only when they are forked",
)
def test_many_inputs_are_built_by_one_worker_process_per_core(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(batch, "build_pack", _slow_build_reporting_pid)
    monkeypatch.setattr(batch, "_cores", lambda: 2)
    inputs = [tmp_path / f"session-{i}.yaml" for i in range(4)]
    outcomes = batch.build_all(inputs, BuildOptions(), lambda outcome: None)
    worker_pids = {outcome.result.session_id for outcome in outcomes if outcome.result}
    assert len(outcomes) == 4 and len(worker_pids) == 2
    assert str(os.getpid()) not in worker_pids


DEAF_TO_SIGTERM = """
import os, signal, sys
from briefgen.build import lifeline, render

def deaf_child_setup():
    lifeline.child_setup()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as when reportlab swallows the exit

render.child_setup = deaf_child_setup
lifeline.stop_on_sigterm()
render.start_early(("pdf",))
print(render._started_early.child.pid, flush=True)
os.kill(os.getpid(), signal.SIGTERM)  # stopped before any build took the child over
"""


def test_a_command_stopped_as_its_renderer_starts_ends_with_it() -> None:
    """A SIGTERM that stops the command before its build takes over the child started
    early: the child is ended, even one that missed its own SIGTERM (reportlab's imports
    catch every exception), and the command ends rather than wait for it."""
    done = subprocess.run(
        [sys.executable, "-c", DEAF_TO_SIGTERM],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,  # without the fix, the command waits for its child for ever
    )
    assert done.returncode == 143, done.stderr
    child = int(done.stdout)
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)
