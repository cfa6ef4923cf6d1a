"""What the commands print: diagnostics (with GitHub annotations) and build progress."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from briefgen.input.diagnostics import Diagnostic

if TYPE_CHECKING:
    from briefgen.build.batch import Outcome


def report(diagnostics: Sequence[Diagnostic]) -> None:
    """Print diagnostics to stderr, plus GitHub Actions annotations when running there."""
    in_github = os.environ.get("GITHUB_ACTIONS") == "true"
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
        if in_github:
            click.echo(diagnostic.github_annotation())


class Progress:
    """Reports each finished input; on an interactive terminal also a ``[3/10]`` counter."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.finished = 0
        self.live = total > 1 and sys.stderr.isatty() and not os.environ.get("CI")

    def done(self, outcome: Outcome) -> None:
        """Print what became of one input."""
        self.finished += 1
        self._clear()
        report(outcome.errors)
        if outcome.crash:
            click.echo(
                f"{outcome.input}: internal error, please report it:\n{outcome.crash}", err=True
            )
        if outcome.result:
            report(outcome.result.warnings)
            if outcome.result.up_to_date:
                click.echo(f"{outcome.result.folder}: up to date")
            for artifact in outcome.result.artifacts if not outcome.result.up_to_date else ():
                click.echo(artifact.summary())
        if self.live and self.finished < self.total:
            click.echo(f"[{self.finished}/{self.total}] packs done", err=True, nl=False)

    def finish(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self.live:
            click.echo("\r\033[K", err=True, nl=False)
