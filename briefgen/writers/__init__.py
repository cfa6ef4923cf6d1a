"""One writer per output format; each turns a ``tree.Document`` into bytes in memory."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered file held in memory: its bytes and, where the format knows it, its pages."""

    data: bytes
    pages: int | None
