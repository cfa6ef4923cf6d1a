"""Rendering a document tree into the asked formats, in memory, in parallel where it pays."""

from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from briefgen import tree
from briefgen.build.lifeline import child_setup, sigint_blocked
from briefgen.writers import FORMATS, Rendered, WriterOptions

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkContext
    from multiprocessing.process import BaseProcess

Renderer = Callable[[tree.Document], Rendered]
Timed = tuple[Rendered, float]


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
        _end(child, finished)
        receiver.close()
    if isinstance(outcome, str):
        raise RuntimeError(f"rendering {first} failed:\n{outcome}")
    return {first: outcome, **results}


def _render_here(
    document: tree.Document, formats: tuple[str, ...], options: Mapping[str, WriterOptions]
) -> dict[str, Timed]:
    return {name: _timed(renderer(name, options.get(name, {})), document) for name in formats}


def _receive(receiver: Connection, file_format: str) -> Timed | str:
    """Read the child's result (or its traceback); this is what lets a child that sends
    more than a pipe holds finish."""
    try:
        outcome: Timed | str = receiver.recv()
    except (EOFError, OSError):
        return f"the process rendering {file_format} ended without a result"
    return outcome


def _end(child: BaseProcess, finished: bool) -> None:
    """Join the child; kill it first unless it has sent its result and is ending anyway."""
    if finished:
        child.join(timeout=10)
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
    result: Timed | str
    try:
        result = _timed(renderer(file_format, options), document)
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
