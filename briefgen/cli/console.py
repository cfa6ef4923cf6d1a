"""What the commands print: results, diagnostics and the progress of builds.

- Results (a valid file's summary, a written pack) go to stdout; diagnostics, progress
  and notes to stderr. ``-q`` keeps only the diagnostics, one line each; ``-v`` adds a
  line per build stage with its time.
- A diagnostic is its ``file:line:col: error: ...`` line, then the source line with a
  caret under the place, as ruff prints them; in GitHub Actions also an annotation.
- Colour only on a terminal, never with ``NO_COLOR`` set or when the output is piped.
- On a terminal (and not in CI), a live line shows the stage and share of a pack's build,
  or a counter of packs for many; elsewhere a long build prints plain stage lines.

Only the standard library and click are imported here: ``validate`` starts quickly.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.input.diagnostics import BIDI_CONTROLS, Diagnostic, printable

if TYPE_CHECKING:
    from briefgen.build.batch import Outcome

QUIET, NORMAL, VERBOSE = -1, 0, 1
LONG_BUILD_SECONDS = 2.0
"""Past this, a build that is not on a terminal prints each stage as a plain line."""
MAX_EXCERPT_WIDTH = 200
EXCERPT_CONTEXT = 40
"""Characters shown before the place, where it lies past the excerpt's width (after …)."""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as editors break lines, not str.splitlines()
_UNSHOWN = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}\ufffe\uffff]")
"""Shown as U+FFFD in an excerpt: one column, so the caret stays under its place."""


class Settings:
    """How much to print, and whether in colour (a plain class: a dataclass costs import time)."""

    __slots__ = ("color", "verbosity")

    def __init__(self) -> None:
        self.verbosity = NORMAL
        self.color: bool | None = None
        """None: colour where the stream is a terminal (click decides); False: never."""


SETTINGS = Settings()


def configure(*, quiet: bool = False, verbose: bool = False) -> None:
    """Set the verbosity from ``-q``/``-v`` and the colour from ``NO_COLOR``."""
    SETTINGS.verbosity = QUIET if quiet else VERBOSE if verbose else NORMAL
    SETTINGS.color = False if os.environ.get("NO_COLOR") else None


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    click.echo(text, err=err, nl=nl, color=SETTINGS.color)


def result(text: str) -> None:
    """Print a result on stdout (not under ``-q``), its controls escaped (``printable``):
    a file name may hold a line break or a terminal's escape sequence."""
    if SETTINGS.verbosity > QUIET:
        _echo(printable(text))


def note(text: str) -> None:
    """Print a note for the person at the terminal on stderr (not under ``-q``), its
    controls escaped as a result's are."""
    if SETTINGS.verbosity > QUIET:
        _echo(click.style(printable(text), dim=True), err=True)


def report(diagnostics: Sequence[Diagnostic]) -> None:
    """Print diagnostics to stderr, plus GitHub Actions annotations when running there."""
    in_github = os.environ.get("GITHUB_ACTIONS") == "true"
    sources: dict[str, list[str] | None] = {}
    for diagnostic in diagnostics:
        _echo(_headline(diagnostic), err=True)
        if SETTINGS.verbosity > QUIET:
            excerpt = _excerpt(diagnostic, sources)
            if excerpt:
                _echo(excerpt, err=True)
        if in_github:
            click.echo(diagnostic.github_annotation())


def _severity_colour(diagnostic: Diagnostic) -> str:
    return "red" if diagnostic.severity == "error" else "yellow"


def _headline(diagnostic: Diagnostic) -> str:
    text = str(diagnostic)
    marker = f": {diagnostic.severity}: "
    where, _, what = text.partition(marker)
    return (
        click.style(where, bold=True)
        + ": "
        + click.style(f"{diagnostic.severity}:", fg=_severity_colour(diagnostic), bold=True)
        + " "
        + what
    )


def _excerpt(diagnostic: Diagnostic, sources: dict[str, list[str] | None]) -> str | None:
    """Return the diagnostic's source line with a caret under its place, ruff's way."""
    if diagnostic.line <= 0:
        return None
    if diagnostic.file not in sources:
        try:
            text = Path(diagnostic.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError, ValueError):
            sources[diagnostic.file] = None
        else:
            sources[diagnostic.file] = _LINE_BREAK.split(text)
    lines = sources[diagnostic.file]
    if not lines or diagnostic.line > len(lines):
        return None
    line = _UNSHOWN.sub("\ufffd", lines[diagnostic.line - 1].replace("\t", " "))
    start = max(diagnostic.column - 1, 0)
    if start >= MAX_EXCERPT_WIDTH - EXCERPT_CONTEXT:  # far along a long line (JSON's one)
        cut = start - EXCERPT_CONTEXT
        line, start = "\u2026" + line[cut + 1 :], EXCERPT_CONTEXT
    line = line[:MAX_EXCERPT_WIDTH]
    start = min(start, len(line))
    number = str(diagnostic.line)
    gutter = click.style(" " * len(number) + " |", fg="blue", bold=True)
    width = min(diagnostic.width, len(line) - start) or _span(line, start)
    caret = click.style("^" * max(width, 1), fg=_severity_colour(diagnostic), bold=True)
    return "\n".join(
        [
            gutter,
            click.style(f"{number} |", fg="blue", bold=True) + f" {line}".rstrip(),
            f"{gutter} {' ' * start}{caret}",
        ]
    )


def _span(line: str, start: int) -> int:
    """The width of the value at ``start`` where the diagnostic does not say it: a quoted
    scalar, else up to a comment or the end."""
    rest = line[start:]
    if not rest.strip():
        return 1
    if rest[0] in "\"'":
        closing = rest.find(rest[0], 1)
        if closing > 0:
            return closing + 1
    comment = rest.find(" #")
    if comment >= 0:
        rest = rest[:comment]
    return max(1, len(rest.rstrip()))


def is_live_terminal() -> bool:
    """Whether a live progress line may be drawn: stderr is a terminal, and not in CI."""
    return (
        SETTINGS.verbosity > QUIET
        and sys.stderr.isatty()
        and not os.environ.get("CI")
        and os.environ.get("TERM") != "dumb"
    )


class Progress:
    """Reports each finished input, and shows how the build goes.

    On a terminal: a live line, ``asp23.yaml: rendering pdf and docx 10%`` for one pack
    (from ``stage``, the build's callback) or ``[3/10] packs done`` for many. Elsewhere:
    a plain line per stage under ``-v``, or once a build has taken ``LONG_BUILD_SECONDS``.
    """

    def __init__(self, total: int) -> None:
        self.total = total
        self.finished = 0
        self.live = is_live_terminal()
        self.started = time.monotonic()
        self.drawn = False
        if self.live and total > 1:
            self._draw(self._counter())

    def stage(self, input_path: Path, name: str, done: float) -> None:
        """A stage of the build of ``input_path`` starts, ``done`` (0 to 1) of it behind."""
        now = time.monotonic()
        text = printable(f"{input_path}: {name} {done:.0%}")
        if self.live:
            self._draw(text)
        elif SETTINGS.verbosity >= VERBOSE or (
            SETTINGS.verbosity > QUIET and now - self.started >= LONG_BUILD_SECONDS
        ):
            _echo(f"{text} ({now - self.started:.1f} s)", err=True)

    def done(self, outcome: Outcome) -> None:
        """Print what became of one input."""
        self.finished += 1
        self._clear()
        report(outcome.errors)
        if outcome.crash:
            where = printable(str(outcome.input))
            _echo(f"{where}: internal error, please report it:\n{outcome.crash}", err=True)
        if outcome.result:
            report(outcome.result.warnings)
            if outcome.result.up_to_date:
                result(f"{outcome.result.folder}: up to date")
            for artifact in outcome.result.artifacts if not outcome.result.up_to_date else ():
                result(artifact.summary())
        if self.live and self.total > 1 and self.finished < self.total:
            self._draw(self._counter())

    def finish(self) -> None:
        self._clear()

    def _counter(self) -> str:
        return f"[{self.finished}/{self.total}] packs done"

    def _draw(self, text: str) -> None:
        width = _terminal_width() - 1
        self._clear()
        _echo(click.style(text[:width], dim=True), err=True, nl=False)
        self.drawn = True

    def _clear(self) -> None:
        if self.live and self.drawn:
            # Written as is: click would strip the control sequence under NO_COLOR.
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.drawn = False


def _terminal_width() -> int:
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return 80
    return columns if columns >= 20 else 80
