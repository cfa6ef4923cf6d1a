"""Real clients the tests run when they are installed: LibreOffice, poppler."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

WORD = "docx:MS Word 2007 XML"


def convert_with_libreoffice(
    documents: list[Path],
    work: Path,
    target: str = WORD,
    program: str = "soffice",
    env: dict[str, str] | None = None,
) -> Path:
    """Have LibreOffice open ``documents`` and save them as ``target``; return the folder.

    A profile of its own under ``work`` keeps it apart from any LibreOffice running.
    """
    converted = work / "converted"
    subprocess.run(
        [
            program,
            "--headless",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(converted),
            *map(str, documents),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    return converted


def fonts_without(family: str, work: Path) -> dict[str, str]:
    """An environment whose fontconfig sees the system's fonts but those of ``family``."""
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir>"
        f"<cachedir>{work}/fontcache</cachedir>"
        f'<selectfont><rejectfont><pattern><patelt name="family"><string>{family}</string>'
        "</patelt></pattern></rejectfont></selectfont></fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


Word = tuple[str, float, float, float, float]
"""A word poppler finds on a page: its text, left, top, right and bottom, in points."""
_WORD = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'


def page_words(pdf: Path, page: int) -> list[Word]:
    """The words pdftotext finds on ``page`` (from 1), in its order (poppler-utils)."""
    boxes = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (t, float(a), float(b), float(c), float(d)) for a, b, c, d, t in re.findall(_WORD, boxes)
    ]
