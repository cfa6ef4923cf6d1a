"""Read a DOCX's tracked changes through LibreOffice's scripting interface (UNO).

Run by the system Python that has Debian's python3-uno (not the project's venv), as
``/usr/bin/python3 tests/uno_redlines.py DOCX ACTION [PDF]`` where ACTION is ``keep`` (read
the text as it opens, changes shown), ``accept`` (accept all tracked changes first) or
``reject`` (reject them all first); with PDF, it then updates every field and index (as a
reader does after accepting or rejecting: Tools > Update > Update All, Word's F9) before
reading, and exports the document, laid out, to that PDF. It starts a headless soffice
with a profile of its own, listening on a pipe of its own, and always ends it. It prints
one JSON object:

- ``redlines``: each tracked change as LibreOffice reads it, ``{"type", "author"}``,
  before the action;
- ``text``: ``getText().getString()`` of the document after the action;
- ``blocks``: the body in order, a paragraph as its text, a table as its rows of cell
  texts (``getString`` leaves tables out);
- ``remaining``: how many tracked changes are left after the action.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]  # Debian's python3-uno
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

CONNECT_SECONDS = 60


def _property(name: str, value: object) -> Any:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _blocks(document: Any) -> list[object]:
    out: list[object] = []
    enumeration = document.getText().createEnumeration()
    while enumeration.hasMoreElements():
        element = enumeration.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            rows = []
            for row in range(element.getRows().getCount()):
                cells = []
                for column in range(element.getColumns().getCount()):
                    cell = element.getCellByPosition(column, row)
                    cells.append(cell.getString())
                rows.append(cells)
            out.append(rows)
        else:
            out.append(element.getString())
    return out


def _redlines(document: Any) -> list[dict[str, str]]:
    found = []
    enumeration = document.Redlines.createEnumeration()
    while enumeration.hasMoreElements():
        redline = enumeration.nextElement()
        found.append({"type": redline.RedlineType, "author": redline.RedlineAuthor})
    return found


def _update_and_export(manager: Any, context: Any, document: Any, pdf: Path) -> None:
    """Update every field and index, then export the laid-out document as ``pdf``."""
    dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    frame = document.getCurrentController().getFrame()
    dispatcher.executeDispatch(frame, ".uno:UpdateAll", "", 0, ())
    document.getTextFields().refresh()
    export = (_property("FilterName", "writer_pdf_Export"),)
    document.storeToURL(pdf.resolve().as_uri(), export)


def read(path: Path, action: str, pdf: Path | None = None) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="uno-redlines-"))
    pipe = f"briefgen_{os.getpid()}_{time.monotonic_ns()}"
    office = subprocess.Popen(
        [
            shutil.which("soffice") or "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + CONNECT_SECONDS
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if time.monotonic() > deadline or office.poll() is not None:
                    raise
                time.sleep(0.25)
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(
            path.resolve().as_uri(), "_blank", 0, (_property("Hidden", True),)
        )
        try:
            redlines = _redlines(document)
            if action in ("accept", "reject"):
                dispatcher = manager.createInstanceWithContext(
                    "com.sun.star.frame.DispatchHelper", context
                )
                command = "AcceptAll" if action == "accept" else "RejectAll"
                frame = document.getCurrentController().getFrame()
                dispatcher.executeDispatch(frame, f".uno:{command}TrackedChanges", "", 0, ())
            if pdf is not None:
                _update_and_export(manager, context, document, pdf)
            return {
                "redlines": redlines,
                "text": document.getText().getString(),
                "blocks": _blocks(document),
                "remaining": document.Redlines.getCount(),
            }
        finally:
            document.close(True)
            with contextlib.suppress(Exception):  # the bridge goes away as soffice ends
                desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    path, action = Path(sys.argv[1]), sys.argv[2]
    if action not in ("keep", "accept", "reject"):
        raise SystemExit(f"unknown action {action!r}: keep, accept or reject")
    pdf = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    json.dump(read(path, action, pdf), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
