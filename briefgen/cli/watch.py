"""``briefgen watch``: rebuild a pack whenever its input or the templates change."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from watchfiles import watch

from briefgen.build.batch import build_one
from briefgen.build.lifeline import terminated, termination_code
from briefgen.build.manifest import MANIFEST_NAME
from briefgen.build.pack import BuildOptions
from briefgen.build.render import warm_up
from briefgen.cli.console import Progress, note
from briefgen.cli.gcpause import cyclic_gc_paused
from briefgen.compose.templating import template_dirs
from briefgen.input.discover import is_pack_folder

_READY_MS = 200  # how long the watcher waits for a change before saying it is watching
MID_SAVE_WAIT = 1.0
"""How long a build waits for a changed file (the input, a template) that is missing or
empty to be written: an editor that saves by truncating then writing, or by deleting
then creating, leaves it so for a moment, and an error about that moment would be a
wrong one."""
_POLL = 0.02


def watch_and_build(input_path: Path, options: BuildOptions) -> None:
    """Build now and after every change; errors are reported and watching goes on.

    A pack removed while watching (its folder, or the output folder, deleted) is built
    again at once: the watcher checks for it each time it wakes (``_READY_MS``)."""
    pack = _build(input_path, options)
    warm_up(options.formats)  # each rebuild's renderer is forked from here, ready
    templates = [folder.resolve() for folder in template_dirs(options.templates)]
    watched = [input_path.resolve().parent, *templates]
    relevant = _relevant_to(input_path, options.output_dir, templates)
    announced = False
    try:
        # The files are watched once the generator has started: it says so by yielding
        # (nothing, after a short wait), and only then is "watching" true.
        change_sets = watch(
            *watched, watch_filter=relevant, rust_timeout=_READY_MS, yield_on_timeout=True
        )
        for changes in change_sets:
            if not announced:
                note(f"watching {input_path} and the templates; press Ctrl-C to stop")
                announced = True
            if changes or _removed(pack):
                changed = [input_path, *(Path(path) for _, path in changes)]
                _wait_while_saved(changed)
                pack = _build(input_path, options, changing=changed)
    except KeyboardInterrupt:  # Ctrl-C; or SIGTERM or SIGHUP, which watchfiles reports as one
        if terminated():
            raise SystemExit(termination_code()) from None


_IMAGES = {".png", ".jpg", ".jpeg"}  # a logo beside the input, or in a folder below it
# What a templates folder holds: templates, labels and look, reference.docx, fonts.
_TEMPLATE_FILES = {".j2", ".yaml", ".yml", ".docx", ".ttf", ".otf", ".ttc", *_IMAGES}


def _relevant_to(input_path: Path, output_dir: Path, templates: list[Path]):  # type: ignore[no-untyped-def]
    """Return a watch filter: the input file, the images of its folder (a logo), the
    templates, labels, looks, reference DOCX and fonts of the ``templates`` folders; but
    nothing the builds write (the packs would start another build): nothing inside the
    output folder, or, where the output folder holds the input (``--output-dir .``),
    nothing inside a pack's folder there. Other files (another session, a log the
    watch's output is written to) are not the pack's: a log beside the input would
    rebuild the pack each time a build wrote to it."""
    input_file = input_path.resolve()
    output_folder = output_dir.resolve()
    output_holds_input = input_file.is_relative_to(output_folder)

    def relevant(_change: object, path: str) -> bool:
        changed = Path(path)
        if changed == input_file:
            return True
        if changed.name.startswith("."):
            return False  # an editor's swap or backup file
        if changed.is_relative_to(output_folder) and (
            not output_holds_input or _in_a_pack_folder(changed, output_folder)
        ):
            return False
        suffix = changed.suffix.lower()
        if any(changed.is_relative_to(folder) for folder in templates):
            return suffix in _TEMPLATE_FILES
        return suffix in _IMAGES

    return relevant


def _in_a_pack_folder(changed: Path, output_folder: Path) -> bool:
    """Whether ``changed`` is inside a folder of ``output_folder`` that holds a pack."""
    parts = changed.relative_to(output_folder).parts
    return len(parts) > 1 and is_pack_folder(output_folder / parts[0])


_FileState = tuple[int, int, int] | None


def _state(path: Path) -> _FileState:
    """A file's inode, size and modification time; None while it is missing."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


def _wait_while_saved(paths: Sequence[Path], limit: float = MID_SAVE_WAIT) -> None:
    """Wait, at most ``limit`` seconds, while one of ``paths`` is missing or empty (an
    editor in the middle of a save); a file left so is built, and reported, after that."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if all((state := _state(path)) is not None and state[1] > 0 for path in paths):
            return
        time.sleep(_POLL)


def _removed(pack: Path | None) -> bool:
    """Whether the last pack built, in folder ``pack``, is no longer there."""
    return pack is not None and not (pack / MANIFEST_NAME).exists()


def _build(
    input_path: Path, options: BuildOptions, *, changing: Sequence[Path] = ()
) -> Path | None:
    """One build, with the collector paused as for ``briefgen build`` (on again between builds).

    Errors are not reported when one of the files whose change started the build
    (``changing``; none for the first build, made before watching starts) changed again
    while the build read them: they may be those of a file half written, and the
    watcher has seen the change, which starts the next build. Return the pack's folder
    where the build wrote it or found it up to date."""
    progress = Progress(1)
    staged = replace(options, on_stage=lambda name, done: progress.stage(input_path, name, done))
    before = [_state(path) for path in changing]
    with cyclic_gc_paused():
        outcome = build_one(input_path, staged)
    if not (outcome.failed and [_state(path) for path in changing] != before):
        progress.done(outcome)
    progress.finish()
    return outcome.result.folder if outcome.result else None
