"""Templates compiled by earlier builds, kept in the user's cache folder.

Compiling the built-in templates took 20 ms of every build. Jinja2's bytecode cache
keys each entry by the template's file and checks it against a hash of the template's
source, so an edited template is compiled afresh. How Jinja2 compiles also depends on
the environment briefgen sets up (its options, which filters take the context), so
every file name carries a fingerprint of briefgen's code and of Jinja2's version;
Jinja2 itself checks Python's. Entries of other fingerprints are removed when a
template is compiled.

The entries are code that builds run, so the cache is only used from folders and
files of this user that no one else can write to. It only ever saves time: a folder
that cannot be made, written or trusted, or a damaged entry, means compiling again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from functools import cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from briefgen import __version__

PACKAGE = Path(__file__).resolve().parent.parent


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's file-system bytecode cache, made safe to share a folder and to fail."""

    def __init__(self, directory: Path) -> None:
        self._fingerprint = _code_fingerprint()
        super().__init__(str(directory), f"{self._fingerprint}-%s.cache")

    @classmethod
    def in_user_cache(cls) -> CompiledTemplates | None:
        """Return the cache in ``$XDG_CACHE_HOME/briefgen/templates``, if it can be used.

        Without an absolute ``XDG_CACHE_HOME``, the folder is ``~/.cache/briefgen/templates``.
        Both ``briefgen`` folders are made, or tightened if they are this user's, so
        that only this user can write to them.
        """
        try:
            base = Path(os.environ.get("XDG_CACHE_HOME", ""))
            if not base.is_absolute():
                base = Path.home() / ".cache"
            directory = base / "briefgen" / "templates"
            for folder in (directory.parent, directory):
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                if not _is_own_folder(folder):
                    return None
        except (OSError, RuntimeError):  # RuntimeError: no home folder
            return None
        return cls(directory)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as entry:
                if _only_writable_by_me(os.fstat(entry.fileno())):
                    bucket.load_bytecode(entry)
        except FileNotFoundError:
            return
        except Exception:  # unreadable or damaged: unpickling and unmarshalling raise many kinds
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
        for entry in Path(self.directory).glob("*.cache"):
            if not entry.name.startswith(self._fingerprint):
                with contextlib.suppress(OSError):
                    entry.unlink()


def _is_own_folder(folder: Path) -> bool:
    """Whether ``folder`` is a real folder (not a link) that only this user can write to.

    A folder of this user that others may write to is tightened first.
    """
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid") and info.st_uid == os.getuid() and info.st_mode & 0o022:
        folder.chmod(0o700)
        info = folder.lstat()
    return _only_writable_by_me(info)


def _only_writable_by_me(info: os.stat_result) -> bool:
    if not hasattr(os, "getuid"):  # Windows: files under the user's profile are private
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


@cache
def _code_fingerprint() -> str:
    """A hash of briefgen's version and Python code, and of Jinja2's version.

    Hidden files (an editor's lock files) and files that cannot be read are left out.
    """
    digest = hashlib.sha256(f"{__version__} {jinja2.__version__}".encode())
    for module in sorted(PACKAGE.rglob("*.py")):
        if not module.name.startswith("."):
            with contextlib.suppress(OSError):
                digest.update(module.read_bytes())
    return digest.hexdigest()[:16]
