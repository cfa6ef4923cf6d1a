"""The ``briefgen`` command line: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success, 1 invalid input (or a failed build), 2 command-line misuse.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen import __version__
from briefgen.cli.console import report
from briefgen.cli.gcpause import collector_paused, freeze_for_exit, pause_for_this_process
from briefgen.input.diagnostics import UserError
from briefgen.writers import DEFAULT_FORMATS, FORMATS

if TYPE_CHECKING:
    from briefgen.input.model import Session

EXIT_INVALID = 1

BUILD_EXAMPLES = """
\b
Examples:
  briefgen build inputs/asp23.yaml
  briefgen build inputs/             # every YAML file of the folder, in parallel
  briefgen build inputs/*.yaml --format pdf --output-dir packs
  briefgen build inputs/asp23.yaml --templates my-templates --force
"""


def _parse_formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (comma-separated)")
    return chosen


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=(
        "\b\nExamples:\n"
        "  briefgen init asp24\n"
        "  briefgen validate inputs/asp24.yaml\n"
        "  briefgen build inputs/asp24.yaml\n\n"
        "Run 'briefgen COMMAND --help' for a command's options."
    ),
)
@click.version_option(__version__, "--version", prog_name="briefgen")
def cli() -> None:
    """Build briefing packs (PDF and DOCX) from a session's YAML file."""


def _build_options(function: Callable[..., None]) -> Callable[..., None]:
    """The options shared by ``build`` and ``watch``."""
    options = [
        click.option(
            "--format",
            "formats",
            default=",".join(DEFAULT_FORMATS),
            show_default=True,
            callback=_parse_formats,
            help=f"Formats to write, comma-separated, of: {', '.join(FORMATS)}.",
        ),
        click.option(
            "--output-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("output"),
            show_default=True,
            help="Folder that receives one subfolder per session.",
        ),
        click.option(
            "--templates",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help="Folder of templates overriding the built-in ones by file name.",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Treat warnings (such as characters no font covers) as errors.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@cli.command(epilog=BUILD_EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_build_options
@click.option("--force", is_flag=True, help="Rebuild packs even when they are up to date.")
@collector_paused
def build(
    inputs: tuple[Path, ...],
    formats: tuple[str, ...],
    output_dir: Path,
    templates: Path | None,
    strict: bool,
    force: bool,
) -> None:
    """Validate INPUTS (files or folders) and write their packs to OUTPUT_DIR/<session id>/."""
    from briefgen.build.batch import build_all, shared_session_ids
    from briefgen.build.pack import BuildOptions
    from briefgen.cli.console import Progress
    from briefgen.input.source import expand_inputs

    files = expand_inputs(inputs)
    if not files:
        raise click.BadParameter("no YAML files found", param_hint="INPUTS")
    options = BuildOptions(formats, output_dir, templates, strict, force)
    progress = Progress(len(files))
    outcomes = build_all(files, options, progress.done, worker_setup=pause_for_this_process)
    progress.finish()
    clashes = shared_session_ids(outcomes)
    report(clashes)
    if clashes or any(outcome.failed for outcome in outcomes):
        sys.exit(EXIT_INVALID)


@cli.command(epilog="\b\nExample:\n  briefgen watch inputs/asp23.yaml")
@click.argument(
    "input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_build_options
def watch(
    input_path: Path,
    formats: tuple[str, ...],
    output_dir: Path,
    templates: Path | None,
    strict: bool,
) -> None:
    """Build INPUT, then rebuild it whenever it or the templates change (Ctrl-C stops)."""
    from briefgen.build.pack import BuildOptions
    from briefgen.cli.watch import watch_and_build

    watch_and_build(input_path, BuildOptions(formats, output_dir, templates, strict))


@cli.command(epilog="\b\nExample:\n  briefgen validate inputs/asp23.yaml")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@collector_paused
def validate(inputs: tuple[Path, ...]) -> None:
    """Check INPUTS (files or folders) and print a one-line summary of each valid file."""
    from briefgen.input.load import load_session
    from briefgen.input.source import expand_inputs

    failed = False
    for input_path in expand_inputs(inputs):
        try:
            loaded = load_session(input_path)
        except UserError as error:
            report(error.diagnostics)
            failed = True
            continue
        click.echo(f"{input_path}: ok: {_summary(loaded.session)}")
    if failed:
        sys.exit(EXIT_INVALID)


def _summary(session: Session) -> str:
    plenaries = session.plenaries
    statements = sum(len(p.statements) for p in plenaries)
    messages = sum(len(p.key_messages) for p in plenaries)
    return (
        f"{_count(len(plenaries), 'plenary', 'plenaries')}, "
        f"{_count(statements, 'statement', 'statements')}, "
        f"{_count(messages, 'key message', 'key messages')}"
    )


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the input format (for editor autocompletion)."""
    from briefgen.input.schema import input_schema_json

    click.echo(input_schema_json(), nl=False)


@cli.command(epilog="\b\nExample:\n  briefgen init asp24")
@click.argument("session_id")
@click.option(
    "--inputs-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("inputs"),
    show_default=True,
    help="Folder to write SESSION_ID.yaml into.",
)
def init(session_id: str, inputs_dir: Path) -> None:
    """Write a commented starter file INPUTS_DIR/SESSION_ID.yaml."""
    from briefgen.cli.starter import is_session_id, write_starter

    if not is_session_id(session_id):
        raise click.BadParameter(
            "use lowercase letters, digits and hyphens (at most 64)", param_hint="SESSION_ID"
        )
    try:
        written = write_starter(session_id, inputs_dir)
    except UserError as error:
        report(error.diagnostics)
        sys.exit(EXIT_INVALID)
    click.echo(f"wrote {written}")


def main() -> None:
    """Run the command line; user errors never show a traceback."""
    try:
        cli(prog_name="briefgen")
    finally:
        freeze_for_exit()
