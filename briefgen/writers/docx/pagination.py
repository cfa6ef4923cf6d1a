"""The DOCX's own page numbers, as LibreOffice lays it out.

Word and LibreOffice fill a contents field only when the reader updates it (Word asks
first; LibreOffice never does on opening). So the writer has LibreOffice lay the DOCX
out once, headless, exporting a PDF whose named destinations are the DOCX's
bookmarks, and reads back on which page each bookmark stands. The contents then carry
those numbers as the fields' current results, and the manifest the page count.

``BRIEFGEN_OFFICE`` names the LibreOffice program (``soffice`` on the path by
default); ``BRIEFGEN_OFFICE=off`` skips this step, leaving the numbers for Word.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefgen.cachefolder import cache_folder

try:
    import fcntl
except ImportError:  # Windows: each build makes a LibreOffice profile of its own
    fcntl = None  # type: ignore[assignment]

OFFICE_VARIABLE = "BRIEFGEN_OFFICE"
TIMEOUT_SECONDS = 120.0
_PDF_EXPORT = (
    'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
)
_PROFILE_SLOTS = 8  # LibreOffice profiles kept, one per build running at a time
PROFILES = "office-profiles"  # their folder in the cache folder


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where LibreOffice put each bookmark (1-based pages), and how many pages there are."""

    pages: dict[str, int]
    total: int


def office_program() -> str | None:
    """The LibreOffice program to paginate with, or None (not installed, or turned off)."""
    chosen = os.environ.get(OFFICE_VARIABLE, "").strip()
    if chosen.lower() in ("off", "no", "0", "false"):
        return None
    return shutil.which(chosen or "soffice")


def paginate(docx: bytes, program: str) -> Pagination | None:
    """Lay ``docx`` out with LibreOffice; None if it fails or takes too long."""
    from pypdf import PdfReader  # only when paginating

    with tempfile.TemporaryDirectory(prefix="briefgen-pages-") as work:
        source = Path(work) / "pack.docx"
        source.write_bytes(docx)
        with _profile() as profile:
            command = [
                program,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to",
                _PDF_EXPORT,
                "--outdir",
                work,
                str(source),
            ]
            if not _run_to_the_end(command):
                return None
        exported = source.with_suffix(".pdf")
        if not exported.is_file():
            return None
        reader = PdfReader(exported)
        pages = {}
        for name, destination in reader.named_destinations.items():
            index = reader.get_destination_page_number(destination)
            if index is not None:
                pages[_bookmark(str(name))] = index + 1
        return Pagination(pages, len(reader.pages))


def _run_to_the_end(command: list[str]) -> bool:
    """Run LibreOffice in a process group of its own, so that on a timeout, an error or
    Ctrl-C the whole of it stops (its launcher starts the real program as a child)."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    try:
        return process.wait(timeout=TIMEOUT_SECONDS) == 0
    except subprocess.TimeoutExpired:
        return False
    finally:
        if process.poll() is None:  # a timeout, or Ctrl-C while it ran
            _stop_group(process)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice's whole process group, and wait for its launcher."""
    try:
        if os.name == "nt":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.wait()


def _bookmark(destination: str) -> str:
    """A bookmark's name from LibreOffice's destination name (``/at5Fa5Fglance``).

    LibreOffice writes characters other than letters and digits as their hex code;
    briefgen's bookmark names hold lower-case letters, digits and ``_`` only.
    """
    return destination.removeprefix("/").replace("5F", "_")


@contextmanager
def _profile() -> Iterator[Path]:
    """A LibreOffice user profile no other running build uses (kept between builds:
    making one costs seconds). LibreOffice hands work to whichever instance holds a
    profile, so two builds must never share one at the same time."""
    home = cache_folder(PROFILES)
    if home is not None and fcntl is not None and _made(home):
        for slot in range(_PROFILE_SLOTS):
            try:
                lock = (home / f"{slot}.lock").open("a")
            except OSError:
                break
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                continue
            try:
                yield home / str(slot)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
                lock.close()
            return
    # No cache folder (turned off, or not writable) or every slot busy: a profile for
    # this build only.
    with tempfile.TemporaryDirectory(prefix="briefgen-office-") as spare:
        yield Path(spare)


def _made(folder: Path) -> bool:
    """Whether ``folder`` exists or could be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return True
