"""The ``briefgen`` command line: parses arguments, calls the library, maps errors to exit codes.

Exit codes, the same for every command: 0 success (warnings allowed, unless ``--strict``),
1 a problem in the user's files (an invalid or missing input, a template error, a failed
build), 2 command-line misuse (an unknown option, a bad value, a folder without YAML files);
130 Ctrl-C, 143 SIGTERM, 129 SIGHUP, 141 output piped into a reader that stopped reading.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen import __version__
from briefgen.cli import console
from briefgen.cli.console import report, result
from briefgen.cli.gcpause import collector_paused, freeze_for_exit, pause_for_this_process
from briefgen.input.diagnostics import Diagnostic, UserError, printable
from briefgen.writers import DEFAULT_FORMATS, FORMATS, HANDOUT_FORMATS

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from briefgen.input.load import LoadedSession
    from briefgen.input.model import Session

EXIT_INVALID = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of the output went away (``| head``)

BUILD_EXAMPLES = """
\b
Examples:
  briefgen build inputs/asp23.yaml
  briefgen build inputs/             # every YAML file of the folder and its subfolders
  briefgen build inputs/*.yaml --format pdf --output-dir packs
  briefgen build inputs/asp23.yaml --templates my-templates --force
"""


def _parse_formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (comma-separated)")
    return chosen


def _parse_since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """OLD as given; an empty one (an unset variable in a script) is no folder at all,
    not the current one."""
    if value is not None and not value.strip():
        raise click.BadParameter("is empty: give an input file, a pack folder or a git revision")
    return value


def _parse_revision_author(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> str | None:
    """NAME as a line of the input file must be: one line of at most 500 characters,
    without control or bidirectional characters (it is shown beside every change)."""
    if value is None:
        return None
    import re

    from pydantic import TypeAdapter, ValidationError

    from briefgen.input.diagnostics import BIDI_CONTROLS
    from briefgen.input.load import error_message
    from briefgen.input.model import Line

    if re.search(f"[{BIDI_CONTROLS}]", value):
        raise click.BadParameter("a bidirectional control reorders the text around it")
    try:
        return str(TypeAdapter(Line).validate_python(value))
    except ValidationError as error:
        raise click.BadParameter(error_message(error.errors()[0], value)) from None


def _complete_formats(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Complete the last name of a comma-separated list of formats."""
    from click.shell_completion import CompletionItem

    done, _, last = incomplete.rpartition(",")
    taken = set(done.split(","))
    prefix = f"{done}," if done else ""
    return [
        CompletionItem(prefix + name)
        for name in FORMATS
        if name.startswith(last) and name not in taken
    ]


FORMAT_OPTION = click.option(
    "--format",
    "formats",
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    metavar=f"[{'|'.join(FORMATS)}],...",
    callback=_parse_formats,
    shell_complete=_complete_formats,
    help="Formats, comma-separated.",
)
STRICT_OPTION = click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (such as characters no font of the PDF covers) as errors.",
)

TEMPLATES_OPTION = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of templates overriding the built-in ones by file name.",
)


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value:
        return
    other = "verbose" if param.name == "quiet" else "quiet"
    if ctx.meta.get("briefgen.verbosity") == other:
        raise click.UsageError("-q and -v cannot be used together")
    ctx.meta["briefgen.verbosity"] = param.name
    console.configure(quiet=param.name == "quiet", verbose=param.name == "verbose")


def _output_options(function: Callable[..., None]) -> Callable[..., None]:
    """``-q``/``--quiet`` and ``-v``/``--verbose``, for the commands that check or build."""
    for name, short, text in (
        ("verbose", "-v", "Also print each stage of a build, with its time."),
        ("quiet", "-q", "Print only problems (errors and warnings), one line each."),
    ):
        function = click.option(
            short,
            f"--{name}",
            name,
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set_verbosity,
            help=text,
        )(function)
    return function


class _Commands(click.Group):
    """The commands, each ending with ``EXIT_INTERRUPTED`` on a Ctrl-C that it does not
    handle itself (one in its first moments, before a build has started): click would
    print "Aborted!" and exit with 1, the code of a problem in the user's files. Output
    piped into a reader that stops early (``| head``) ends it with ``EXIT_BROKEN_PIPE``,
    silently, as a command killed by SIGPIPE (click would exit with 1 there too)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo(err=True)  # ends the line the terminal's "^C" is on
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            _discard_output()
            sys.exit(EXIT_BROKEN_PIPE)


def _discard_output() -> None:
    """Point stdout and stderr at the null device: Python flushes them as it exits, and
    a write to the broken pipe would print an error after all."""
    import os

    null = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(null, stream.fileno())
        except (OSError, ValueError):
            continue  # not a file (a test's capture): nothing is flushed to a pipe
    os.close(null)


@click.group(
    cls=_Commands,
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
    """Build briefing packs (PDF and DOCX) from a session's YAML file.

    Colour is used on terminals only, never with NO_COLOR set. Exit codes: 0 success,
    1 a problem in your files, 2 a command-line mistake.
    """
    console.configure()


def _build_options(function: Callable[..., None]) -> Callable[..., None]:
    """The options shared by ``build`` and ``watch``."""
    options: list[Callable[[Callable[..., None]], Callable[..., None]]] = [
        FORMAT_OPTION,
        click.option(
            "--output-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("output"),
            show_default=True,
            help="Folder that receives one subfolder per session.",
        ),
        TEMPLATES_OPTION,
        STRICT_OPTION,
        _output_options,
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _find_inputs(inputs: tuple[Path, ...], output_dir: Path | None = None) -> list[Path]:
    """The YAML files of INPUTS (folders searched with their subfolders, but not briefgen's
    outputs); misuse if none."""
    from briefgen.input.discover import find_inputs

    files = find_inputs(inputs, output_dir)
    if not files:
        folders = ", ".join(str(path) for path in inputs)
        raise click.BadParameter(f"no YAML files found in {folders}", param_hint="INPUTS")
    return files


@cli.command(epilog=BUILD_EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_build_options
@click.option("--force", is_flag=True, help="Rebuild packs even when they are up to date.")
@click.option(
    "--since",
    metavar="OLD",
    callback=_parse_since,
    help="Compare with an earlier edition and show what changed: an input file, a pack"
    " folder (or the output folder holding it) or a git revision such as HEAD~1.",
)
@click.option(
    "--revision-author",
    metavar="NAME",
    callback=_parse_revision_author,
    help="Who the changes since OLD are by, in the DOCX's tracked changes"
    " [default: the publisher].",
)
@collector_paused
def build(
    inputs: tuple[Path, ...],
    formats: tuple[str, ...],
    output_dir: Path,
    templates: Path | None,
    strict: bool,
    force: bool,
    since: str | None,
    revision_author: str | None,
) -> None:
    """Validate INPUTS (files, or folders searched with their subfolders) and write their
    packs to OUTPUT_DIR/<session id>/."""
    files = _find_inputs(inputs, output_dir)
    if len(files) == 1:  # built here: its renderer imports while the rest is imported
        import briefgen.tree  # noqa: F401  # both processes need it: imported once, shared
        from briefgen.build.render import start_early

        start_early(formats)
    from briefgen.build.batch import BuildInterrupted, build_all, unbuildable
    from briefgen.build.lifeline import termination_code
    from briefgen.build.pack import BuildOptions
    from briefgen.cli.console import Progress

    progress = Progress(len(files))
    on_stage = None
    if len(files) == 1:  # stages are reported by a build in this process only
        on_stage = lambda name, done: progress.stage(files[0], name, done)  # noqa: E731
    options = BuildOptions(
        formats,
        output_dir,
        templates,
        strict,
        force,
        since=since,
        revision_author=revision_author,
        on_stage=on_stage,
    )
    unbuilt = unbuildable(files, options) if len(files) > 1 else {}  # before anything is built
    for outcome in unbuilt.values():
        progress.done(outcome)
    to_build = [path for path in files if path not in unbuilt]
    try:
        outcomes = build_all(to_build, options, progress.done, worker_setup=pause_for_this_process)
    except BuildInterrupted as stop:  # Ctrl-C, SIGTERM: workers stopped, queued inputs dropped
        progress.finish()
        click.echo(printable(stop.summary()), err=True)
        sys.exit(termination_code() if stop.terminated else EXIT_INTERRUPTED)
    progress.finish()
    if unbuilt or any(outcome.failed for outcome in outcomes):
        sys.exit(EXIT_INVALID)


@cli.command(epilog="\b\nExample:\n  briefgen watch inputs/asp23.yaml")
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@_build_options
def watch(
    input_path: Path,
    formats: tuple[str, ...],
    output_dir: Path,
    templates: Path | None,
    strict: bool,
) -> None:
    """Build INPUT, then rebuild it whenever it or the templates change (Ctrl-C stops).

    Changes inside OUTPUT_DIR never start a build."""
    from briefgen.build.pack import BuildOptions
    from briefgen.cli.watch import watch_and_build

    if input_path.is_dir():
        raise click.BadParameter(
            "is a folder: watch rebuilds one session, so give one of its YAML files"
            " ('briefgen build FOLDER' builds them all)",
            param_hint="INPUT",
        )
    if not input_path.is_file():  # as build says it: a problem with the user's files
        report([Diagnostic(str(input_path), 0, 0, "", "file not found")])
        sys.exit(EXIT_INVALID)
    watch_and_build(input_path, BuildOptions(formats, output_dir, templates, strict))


def _parse_handout_formats(
    ctx: click.Context, param: click.Parameter, value: str
) -> tuple[str, ...]:
    chosen = _parse_formats(ctx, param, value)
    if any(name not in HANDOUT_FORMATS for name in chosen):
        raise click.BadParameter(f"choose from {', '.join(HANDOUT_FORMATS)} (comma-separated)")
    return chosen


@cli.command(
    epilog="\b\nExamples:\n  briefgen handouts inputs/asp23.yaml\n"
    "  briefgen handouts inputs/asp23.yaml --format pdf --output-dir packs"
)
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "formats",
    default=",".join(HANDOUT_FORMATS),
    show_default=True,
    metavar=f"[{'|'.join(HANDOUT_FORMATS)}],...",
    callback=_parse_handout_formats,
    help="Formats, comma-separated.",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder that receives one subfolder per session (the pack's).",
)
@TEMPLATES_OPTION
@_output_options
def handouts(
    input_path: Path, formats: tuple[str, ...], output_dir: Path, templates: Path | None
) -> None:
    """Write one-page handouts of INPUT beside its pack in OUTPUT_DIR/<session id>/: the
    key messages, and a summary of each plenary, each with a QR code to the pack."""
    from briefgen.handouts.build import build_handouts

    try:
        built = build_handouts(input_path, output_dir, formats, templates)
    except UserError as error:
        report(error.diagnostics)
        sys.exit(EXIT_INVALID)
    report(built.warnings)
    for written in built.files:
        pages = "1 page" if written.pages == 1 else "page set by the reader"
        result(f"{written.path}  {pages}  {written.size / 1024:,.0f} KiB")


@cli.command(epilog="\b\nExample:\n  briefgen validate inputs/asp23.yaml")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@FORMAT_OPTION
@TEMPLATES_OPTION
@STRICT_OPTION
@_output_options
@collector_paused
def validate(
    inputs: tuple[Path, ...], formats: tuple[str, ...], templates: Path | None, strict: bool
) -> None:
    """Check INPUTS (files, or folders searched with their subfolders) as build would,
    without building, and print a one-line summary of each valid file.

    Warnings are those a build of the same formats (and templates) prints; --strict
    fails on them.
    """
    from briefgen.input.load import load_session
    from briefgen.input.session_ids import shared_session_ids

    def problems(path: Path) -> list[Diagnostic]:
        """The errors the loop below reports in ``path``."""
        try:
            loaded = load_session(path)
            warnings = [*loaded.warnings, *_build_checks(formats, loaded, templates)]
        except UserError as error:
            return list(error.diagnostics)
        return [w.as_severity("error") for w in warnings] if strict else []

    if templates is not None:
        _check_templates(templates, formats)
    files = _find_inputs(inputs)
    shared = shared_session_ids(files, problems) if len(files) > 1 else {}
    failed = bool(shared)
    for input_path in files:
        if input_path in shared:
            report(shared[input_path])
            continue
        try:
            loaded = load_session(input_path)
            checks = _build_checks(formats, loaded, templates)
        except UserError as error:
            report(error.diagnostics)
            failed = True
            continue
        warnings = [*loaded.warnings, *checks]
        if strict and warnings:
            report([w.as_severity("error") for w in warnings])
            failed = True
            continue
        report(warnings)
        result(f"{input_path}: ok: {_summary(loaded.session)}")
    if failed:
        sys.exit(EXIT_INVALID)


def _build_checks(
    formats: tuple[str, ...], loaded: LoadedSession, templates: Path | None
) -> list[Diagnostic]:
    """What a build of ``formats`` in ``templates`` checks of a valid input beyond the
    format itself: the warnings, and as a ``UserError`` the errors (an article the
    labels do not write, a character no font of a format's look can print, a mistake in
    the templates' own labels)."""
    from briefgen.compose.labels import article_problems
    from briefgen.text.coverage import own_labels
    from briefgen.writers import input_warnings

    if own_labels(templates):  # every format's build reads them: their problems, as it reports
        from briefgen.compose.templating import load_labels

        load_labels(templates, loaded.session.pack.language)
    errors = article_problems(loaded, templates)
    if errors:
        raise UserError(errors)
    return input_warnings(formats, loaded, templates)


def _check_templates(templates: Path, formats: tuple[str, ...]) -> None:
    """Report the problems of the templates' look and of the files the formats take from
    them (a ``reference.docx``), and stop, as a build of ``formats`` would."""
    from briefgen.compose.templating import template_dirs
    from briefgen.look import load_look

    try:
        load_look(templates)
        for name in formats:
            FORMATS[name].find_options(template_dirs(templates))
    except UserError as error:
        report(error.diagnostics)
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


@cli.command(
    epilog=(
        "\b\nExamples:\n"
        "  briefgen schema --write       # schema/briefgen-input.schema.json, for editors\n"
        "  briefgen schema > my.schema.json"
    )
)
@click.option(
    "--write",
    is_flag=True,
    help="Write it to schema/briefgen-input.schema.json in the current folder (the project),"
    " where the files' editor comments point, instead of printing it.",
)
def schema(write: bool) -> None:
    """Print the JSON Schema of the input format (for editor completion and checks)."""
    from briefgen.input.schema import input_schema_json, write_project_schema

    if not write:
        click.echo(input_schema_json(), nl=False)
        return
    try:
        target, written = write_project_schema()
    except UserError as error:
        report(error.diagnostics)
        sys.exit(EXIT_INVALID)
    click.echo(printable(f"wrote {target}" if written else f"{target}: up to date"))


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
    """Write a commented starter file INPUTS_DIR/SESSION_ID.yaml, and the project's schema
    (schema/briefgen-input.schema.json) for editors if it is missing or older."""
    from briefgen.cli.starter import session_id_problem, write_starter

    problem = session_id_problem(session_id)
    if problem is not None:
        raise click.BadParameter(problem, param_hint="SESSION_ID")
    try:
        written = write_starter(session_id, inputs_dir)
    except UserError as error:
        report(error.diagnostics)
        sys.exit(EXIT_INVALID)
    for path in written:
        click.echo(printable(f"wrote {path}"))


def main() -> None:
    """Run the command line; user errors never show a traceback. SIGTERM stops it as
    Ctrl-C does, through its clean-ups, with exit code 143; SIGHUP (the terminal
    closed) too, with 129, unless it is ignored (``nohup``)."""
    from briefgen.build.lifeline import stop_on_sigterm

    stop_on_sigterm()
    try:
        cli(prog_name="briefgen")
    finally:
        freeze_for_exit()
