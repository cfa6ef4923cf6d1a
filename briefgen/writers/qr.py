"""The QR code every writer draws for an address: one symbol, made by segno, so that
the PDF, the DOCX and the HTML carry the same modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import segno

QUIET_ZONE = 4
"""Modules of white around the code, as the QR code standard asks."""


def qr_symbol(url: str) -> segno.QRCode:
    """The QR code of ``url``: error correction level M (a code with 15 % of it damaged
    still reads), a full QR code, never a Micro QR, which phones' cameras often skip."""
    import segno

    return segno.make(url, error="m", micro=False)


def dark_runs(symbol: segno.QRCode) -> list[tuple[int, int, int]]:
    """The dark modules of ``symbol`` as runs along its rows: (row, first column, length),
    counted in modules from its top left corner, quiet zone left out."""
    runs = []
    for row, modules in enumerate(symbol.matrix):
        column = 0
        while column < len(modules):
            if not modules[column]:
                column += 1
                continue
            start = column
            while column < len(modules) and modules[column]:
                column += 1
            runs.append((row, start, column - start))
    return runs
