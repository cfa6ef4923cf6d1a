"""Rendering a document tree into the asked formats, in memory, in parallel where it pays.

The first format is rendered in a child process that is started with the build
(``rendering``), or earlier, as the command starts (``start_early``): it imports its
writer (a tenth of a second for the PDF's) while this process imports the build's
machinery, reads and composes, then receives the tree. A tree made from more characters
of input than the format's ``send_limit`` costs more to send than that import saves:
then, with two formats or more, the child is forked once the tree is composed and
shares it without a copy (``render_formats``); with one, it is rendered here.
"""

from __future__ import annotations

import atexit
import contextlib
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.build.lifeline import child_setup, sigint_blocked
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.writers import FORMATS, Rendered, WriterOptions

if TYPE_CHECKING:  # not imported here: a command starts its renderer before it needs them
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkContext
    from multiprocessing.process import BaseProcess

    from briefgen import tree

Renderer = Callable[["tree.Document"], Rendered]
Timed = tuple[Rendered, float]

_started_early: _Worker | None = None
STOP_SECONDS = 2.0
"""How long a child stopped before its end may take to clean up (``_end``)."""


@dataclass(frozen=True)
class _Prepare:
    """The message that tells a waiting child the pack's languages (``Renderers.prepare``)."""

    languages: tuple[str, ...]


def start_early(formats: tuple[str, ...]) -> None:
    """Start the child for the first of ``formats`` now, for the next build of this
    process to take over (``rendering``): a command that builds one input calls this
    before it imports the build's machinery, which the child's imports then overlap."""
    global _started_early
    if _started_early is None and _pays_to_start_early(formats[0]):
        _started_early = _Worker.start(formats[0])
        atexit.unregister(stop_early)
        atexit.register(stop_early)  # after multiprocessing's exit function: runs before it


def stop_early() -> None:
    """Stop the child ``start_early`` started if no build has taken it over: the command
    ended first (stopped by a signal as it started, or failing).

    Left to multiprocessing's exit function, the child would be sent SIGTERM and waited
    for without end; a child importing its writer can miss that SIGTERM, for reportlab's
    imports catch every exception, the one it raises (``lifeline``) included.
    """
    global _started_early
    worker, _started_early = _started_early, None
    if worker is not None:
        worker.stop()


_warm: set[str] = set()
"""Formats whose writers this process has imported and prepared (``warm_up``): a child
forked once the tree is composed renders them at once, with no tree to send."""


def warm_up(formats: tuple[str, ...]) -> None:
    """Import the writers of ``formats`` here and load what they need for any pack (the
    PDF's faces): the children that render later builds, forked from this process,
    then start ready (``briefgen watch``, which builds again and again)."""
    for name in formats:
        FORMATS[name].write_function()
        FORMATS[name].prepare_for(())
        _warm.add(name)


def _pays_to_start_early(file_format: str) -> bool:
    """Whether a child started before the tree exists saves time: its writer takes long
    to import (``send_limit``), and this process has not imported it already."""
    return bool(FORMATS[file_format].send_limit) and file_format not in _warm


def _early_worker(file_format: str) -> _Worker | None:
    """The child ``start_early`` started, if it renders ``file_format`` (else stopped)."""
    global _started_early
    worker, _started_early = _started_early, None
    if worker is not None and worker.file_format != file_format:
        worker.stop()
        return None
    return worker


@contextlib.contextmanager
def rendering(formats: tuple[str, ...], *, parallel: bool = True) -> Iterator[Renderers]:
    """Start rendering ``formats``; the block reads and composes, then calls ``render``.

    With ``parallel``, the child for the first format starts now and imports its writer,
    if the format has a ``send_limit``. Leaving the block stops it if it was given nothing
    to render (an invalid input, a pack up to date, an input over the limit) or has not
    finished.
    """
    worker = _early_worker(formats[0])
    if worker is not None and not parallel:
        worker.stop()
        worker = None
    elif worker is None and parallel and _pays_to_start_early(formats[0]):
        worker = _Worker.start(formats[0])
    try:
        yield Renderers(formats, parallel, worker)
    finally:
        if worker is not None:
            worker.stop()


@dataclass
class Renderers:
    formats: tuple[str, ...]
    parallel: bool
    worker: _Worker | None

    def prepare(self, languages: tuple[str, ...]) -> None:
        """Have the child started with the build load what its writer needs for a pack in
        ``languages`` while the input is composed (``Format.prepare``); the writers this
        process keeps ready (``warm_up``) load it here, once for all later builds."""
        if self.worker is not None:
            self.worker.prepare(languages)
        for name in self.formats:
            if name in _warm:
                FORMATS[name].prepare_for(languages)

    def render(
        self, document: tree.Document, options: Mapping[str, WriterOptions], input_size: int
    ) -> dict[str, Timed]:
        """Return each format rendered with its seconds; ``input_size`` in characters."""
        worker = self.worker
        first, *rest = self.formats
        sent = (
            worker is not None
            and input_size <= FORMATS[first].send_limit
            and worker.send(document, options.get(first, {}))
        )
        if worker is not None and sent:
            results = _render_here(document, tuple(rest), options)
            return {first: worker.result(), **results}
        if worker is not None:
            worker.stop()
        return render_formats(document, self.formats, options, parallel=self.parallel)


class _Worker:
    """A child process rendering one format of a tree it is sent (see ``rendering``)."""

    def __init__(self, file_format: str, child: BaseProcess, connection: Connection) -> None:
        self.file_format, self.child, self.connection = file_format, child, connection
        self.finished = False
        self.rendering = False  # sent a tree: it may have started LibreOffice

    @classmethod
    def start(cls, file_format: str) -> _Worker | None:
        """Fork the child; None where there is no fork or no process left for it."""
        context = _fork_context()
        if context is None:
            return None
        here, there = context.Pipe()
        child = context.Process(
            target=_serve,
            args=(file_format, here, there),
            name=f"briefgen-render-{file_format}",
            daemon=True,  # ended at exit, whatever happened before (a Ctrl-C as it started)
        )
        try:
            with sigint_blocked():
                child.start()
        except OSError:
            here.close()
            there.close()
            return None
        there.close()
        return cls(file_format, child, here)

    def prepare(self, languages: tuple[str, ...]) -> None:
        """Ask the child to prepare for ``languages``; nothing if it has gone."""
        with contextlib.suppress(OSError, EOFError):
            self.connection.send(_Prepare(languages))

    def send(self, document: tree.Document, options: WriterOptions) -> bool:
        """Hand the child its work; False if it has gone (then nothing was sent)."""
        try:
            self.rendering = True
            self.connection.send((document, options))
        except (OSError, EOFError):
            return False
        return True

    def result(self) -> Timed:
        outcome = _receive(self.connection, self.file_format)
        self.finished = True
        return _rendered(outcome, self.file_format)

    def stop(self) -> None:
        """End the child (at once unless it has sent its result); safe to call twice."""
        _end(self.child, self.finished, self.rendering)
        self.connection.close()


def _serve(file_format: str, here: Connection, there: Connection) -> None:
    """The child of ``_Worker``: import the writer, prepare for the pack's languages when
    told them, wait for the tree, render, reply."""
    child_setup()
    here.close()  # this copy of the parent's end would keep the pipe open for ever
    with contextlib.suppress(Exception):  # a failing import fails again, reported, below
        FORMATS[file_format].write_function()
    try:
        message = there.recv()
        if isinstance(message, _Prepare):  # the pack's languages, read before composing
            with contextlib.suppress(Exception):  # a failure here fails again, reported
                FORMATS[file_format].prepare_for(message.languages)
            message = there.recv()
    except (EOFError, OSError):
        return  # the build had nothing to render
    document, options = message
    _render_and_send(file_format, document, options, there)


def renderer(file_format: str, options: WriterOptions) -> Renderer:
    """Return the writer of ``file_format`` with its options; imports it (only when asked for)."""
    write = FORMATS[file_format].write_function()
    return lambda document: write(document, **options)


def render_formats(
    document: tree.Document,
    formats: tuple[str, ...],
    options: Mapping[str, WriterOptions],
    *,
    parallel: bool = True,
) -> dict[str, Timed]:
    """Return each format rendered with its seconds; the first one in a forked process.

    ``options`` holds each format's own options (``Format.find_options``), if it has any.
    Forking shares the tree with the child without pickling it; only the bytes come back,
    and only the child imports the first format's writer. The child never outlives this
    call: its result is read before it is joined, and it is killed when rendering here
    fails or is interrupted (Ctrl-C), or when this process ends (``lifeline``).
    """
    context = _fork_context() if parallel and len(formats) > 1 else None
    if context is None:
        return _render_here(document, formats, options)
    first, *rest = formats
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_render_child,
        args=(first, document, options.get(first, {}), receiver, sender),
        name=f"briefgen-render-{first}",
        daemon=True,  # ended at exit, whatever happened before
    )
    try:
        with sigint_blocked():
            child.start()
    except OSError:  # no memory or process left for a child: render everything here
        receiver.close()
        sender.close()
        return _render_here(document, formats, options)
    sender.close()
    finished = False
    try:
        results = _render_here(document, tuple(rest), options)
        outcome = _receive(receiver, first)
        finished = True
    finally:
        _end(child, finished, rendering=True)
        receiver.close()
    return {first: _rendered(outcome, first), **results}


def _render_here(
    document: tree.Document, formats: tuple[str, ...], options: Mapping[str, WriterOptions]
) -> dict[str, Timed]:
    return {name: _timed(renderer(name, options.get(name, {})), document) for name in formats}


@dataclass(frozen=True)
class _Refused:
    """What a child sends for a ``UserError`` (a look whose sizes no page holds): the
    exception's own pickling would lose its diagnostics."""

    diagnostics: tuple[Diagnostic, ...]


ChildResult = Timed | _Refused | str
"""What a child sends: the format rendered, the user's problem, or a traceback."""


def _rendered(outcome: ChildResult, file_format: str) -> Timed:
    """The format a child rendered; ``UserError`` or ``RuntimeError`` if it did not."""
    if isinstance(outcome, _Refused):
        raise UserError(outcome.diagnostics)
    if isinstance(outcome, str):
        raise RuntimeError(f"rendering {file_format} failed:\n{outcome}")
    return outcome


def _receive(receiver: Connection, file_format: str) -> ChildResult:
    """Read the child's result (or its traceback); this is what lets a child that sends
    more than a pipe holds finish."""
    try:
        outcome: ChildResult = receiver.recv()
    except (EOFError, OSError):
        return f"the process rendering {file_format} ended without a result"
    return outcome


def _end(child: BaseProcess, finished: bool, rendering: bool) -> None:
    """Join the child; stop it first unless it has sent its result and is ending anyway.

    A child that was ``rendering`` is stopped with SIGTERM, which it ends on through its
    clean-ups (``lifeline``: the LibreOffice a DOCX writer started, the writer's
    temporary folder), and killed if it has not ended ``STOP_SECONDS`` later; one that
    was given nothing to render is killed at once.
    """
    if finished:
        child.join(timeout=10)
    if child.exitcode is None and rendering:
        child.terminate()
        child.join(timeout=STOP_SECONDS)
    if child.exitcode is None:
        child.kill()
        child.join()


def _fork_context() -> ForkContext | None:
    """The fork start method, where the platform has it; imported only when needed."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _render_child(
    file_format: str,
    document: tree.Document,
    options: WriterOptions,
    receiver: Connection,
    sender: Connection,
) -> None:
    child_setup()
    receiver.close()  # this copy of the parent's end would keep the pipe open for ever
    _render_and_send(file_format, document, options, sender)


def _render_and_send(
    file_format: str, document: tree.Document, options: WriterOptions, sender: Connection
) -> None:
    """Render in this child and send the result, or the traceback of what failed."""
    result: ChildResult
    try:
        result = _timed(renderer(file_format, options), document)
    except UserError as error:
        result = _Refused(error.diagnostics)
    except BaseException:
        result = traceback.format_exc()
    try:
        sender.send(result)
    except (OSError, EOFError):
        return  # the parent has gone: nobody wants the result
    except Exception:  # the result could not be pickled
        with contextlib.suppress(Exception):
            sender.send(traceback.format_exc())
    finally:
        sender.close()


def _timed(render: Renderer, document: tree.Document) -> Timed:
    started = time.perf_counter()
    output = render(document)
    return output, time.perf_counter() - started
