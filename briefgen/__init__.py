"""briefgen: briefing packs (PDF and DOCX) from one YAML file per diplomatic session."""

from pathlib import Path

__version__ = "0.1.0"


def bundled_folder(name: str) -> Path:
    """Return a folder shipped with briefgen: in the package when installed as a wheel
    (which copies the top-level ``templates`` and ``schema`` in), else the checkout's."""
    package = Path(__file__).resolve().parent
    packaged = package / name
    return packaged if packaged.is_dir() else package.parent / name
