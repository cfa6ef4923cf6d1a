"""Rendering a document tree into the asked formats, in memory, in parallel where it pays."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from briefgen import tree
from briefgen.writers import FORMATS, Rendered, WriterOptions

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import ForkContext

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
    and only the child imports the first format's writer.
    """
    context = _fork_context() if parallel and len(formats) > 1 else None
    if context is None:
        return {name: _timed(renderer(name, options.get(name, {})), document) for name in formats}
    first, *rest = formats
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_render_child, args=(first, document, options.get(first, {}), sender)
    )
    child.start()
    sender.close()
    try:
        results = {name: _timed(renderer(name, options.get(name, {})), document) for name in rest}
        outcome = receiver.recv()
    except EOFError:
        outcome = f"the process rendering {first} ended without a result"
    finally:
        child.join()
    if isinstance(outcome, str):
        raise RuntimeError(f"rendering {first} failed:\n{outcome}")
    return {first: outcome, **results}


def _fork_context() -> ForkContext | None:
    """The fork start method, where the platform has it; imported only when needed."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def _render_child(
    file_format: str, document: tree.Document, options: WriterOptions, sender: Connection
) -> None:
    try:
        sender.send(_timed(renderer(file_format, options), document))
    except BaseException:
        sender.send(traceback.format_exc())
    finally:
        sender.close()


def _timed(render: Renderer, document: tree.Document) -> Timed:
    started = time.perf_counter()
    output = render(document)
    return output, time.perf_counter() - started
