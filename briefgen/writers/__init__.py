"""The output formats, in one table; each format's writer turns a ``tree.Document`` into bytes.

``FORMATS`` is the only list of formats: the command line's ``--format`` choices and
default, rendering, the build and the manifest all read it. A format names its hooks
as ``"module:function"`` and they are imported only when that format is built, so
``briefgen validate`` and a DOCX-only build never import reportlab.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.text.fonts import own_fallbacks

if TYPE_CHECKING:
    from briefgen import tree
    from briefgen.input.diagnostics import Diagnostic
    from briefgen.input.load import LoadedSession


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered file held in memory: its bytes and, where the format knows it, its pages."""

    data: bytes
    pages: int | None


WriterOptions = Mapping[str, object]
"""What a writer finds for itself before rendering, passed to it as keyword arguments."""


@dataclass(frozen=True)
class Format:
    """One output format: its name, its file, its writer, its own options and checks."""

    name: str
    """As given to ``--format``."""
    extension: str
    """Of the written file, without the dot."""
    writer: str
    """``write(document, **options) -> Rendered``."""
    options: str | None = None
    """``find(template_folders) -> options``: the writer's own settings, found among the
    template folders (the first folder wins) before anything is rendered, so that a
    problem with them is the user's error and nothing is written."""
    checks: tuple[str, ...] = ()
    """``check(loaded, templates) -> diagnostics``: what this format cannot render of a
    valid input, with the templates folder (or None) whose look it draws in. Warnings
    print and the format is built (``--strict`` turns them into errors); an error stops
    the build of that format, as an invalid input does."""
    libraries: tuple[str, ...] = ()
    """The distributions whose version can change this format's bytes (in the manifest)."""
    send_limit: int = 0
    """Characters of input up to which this format is rendered by a child process started
    with the build, which imports the writer while the input is read and composed, and is
    then sent the tree. Sending costs about 0.1 ms per 1,000 characters: the limit is
    where that reaches the time the writer's imports take (docs/performance.md). 0: the
    writer imports too little for it to pay."""
    handout: bool = False
    """Whether ``briefgen handouts`` writes its one-page handouts in this format (formats
    with pages: a handout is one page to print)."""
    prepare: str | None = None
    """``prepare(languages)``: what the writer loads for a pack in those languages (the
    pack's and its texts': the PDF's faces and hyphenation rules), done by the child
    started with the build as soon as the input is read, while the parent composes."""
    second_core: str | None = None
    """The writer's keyword option that lets it put a second core to work (the PDF's
    lines broken ahead, ``writers/pdf/prewrap.py``); the build passes ``False`` where
    every core already builds a pack of its own (a folder of inputs)."""

    def write_function(self) -> Callable[..., Rendered]:
        """Import and return the writer; it draws with the fallback families of the
        document's look after the shipped ones (``text.fonts.own_fallbacks``)."""
        write: Callable[..., Rendered] = _hook(self.writer)

        def write_with_own_fallbacks(document: tree.Document, **options: object) -> Rendered:
            with own_fallbacks(document.look.font.fallback_families()):
                return write(document, **options)

        return write_with_own_fallbacks

    def prepare_for(self, languages: tuple[str, ...]) -> None:
        """Load what the writer needs for a pack in ``languages`` (nothing for most)."""
        if self.prepare is not None:
            _hook(self.prepare)(languages)

    def find_options(
        self, template_folders: Sequence[Path], *, second_core: bool = True
    ) -> dict[str, object]:
        """Return the writer's own options; raises ``UserError`` when they are unusable.
        ``second_core``: whether a core is free for the writer (``Format.second_core``)."""
        found: dict[str, object] = {}
        if self.options is not None:
            found = _hook(self.options)(template_folders)
        if self.second_core is not None and not second_core:
            found[self.second_core] = False
        return found


FORMATS: dict[str, Format] = {
    entry.name: entry
    for entry in (
        Format(
            name="pdf",
            extension="pdf",
            writer="briefgen.writers.pdf.writer:write_pdf",
            # The PDF embeds the shipped fonts: what they cannot draw does not print.
            checks=("briefgen.text.coverage:font_coverage_warnings",),
            libraries=("reportlab", "uharfbuzz", "python-bidi", "pillow", "pyphen", "icu4py"),
            send_limit=1_000_000,  # reportlab's imports: about 0.1 s
            handout=True,
            prepare="briefgen.writers.pdf.fonts:prepare_pdf",
            second_core="helpers",
        ),
        Format(
            name="docx",
            extension="docx",
            writer="briefgen.writers.docx.writer:write_docx",
            options="briefgen.writers.docx.reference:docx_options",
            # The DOCX carries the look's own faces whole: what their licences say of it.
            checks=("briefgen.look.load:read_only_embedding_warnings",),
            libraries=("python-docx", "lxml"),
            send_limit=300_000,  # python-docx's and lxml's imports: about 0.03 s
            handout=True,
        ),
        Format(
            name="html",
            extension="html",
            writer="briefgen.writers.html.writer:write_html",
            # HarfBuzz cuts the embedded faces, fontTools and brotli pack them as WOFF2.
            libraries=("uharfbuzz", "fonttools", "brotli", "pillow"),
        ),
    )
}
"""Every format, in the order ``--format`` lists them."""

DEFAULT_FORMATS = tuple(FORMATS)
"""What a build writes when no format is asked for: every format."""

HANDOUT_FORMATS = tuple(name for name, entry in FORMATS.items() if entry.handout)
"""What ``briefgen handouts`` can write, and writes when no format is asked for."""


def input_warnings(
    formats: Iterable[str], loaded: LoadedSession, templates: Path | None = None
) -> list[Diagnostic]:
    """Return the warnings of the checks of ``formats`` on ``loaded`` drawn in the look of
    ``templates``, each check run once; raise ``UserError`` with their errors, if any."""
    from briefgen.input.diagnostics import UserError

    checks = dict.fromkeys(check for name in formats for check in FORMATS[name].checks)
    found = [diagnostic for check in checks for diagnostic in _hook(check)(loaded, templates)]
    errors = [diagnostic for diagnostic in found if diagnostic.severity == "error"]
    if errors:
        raise UserError(errors)
    return found


def _hook(name: str) -> Any:
    """Import ``"module:function"`` and return the function."""
    module, _, function = name.partition(":")
    return getattr(import_module(module), function)
