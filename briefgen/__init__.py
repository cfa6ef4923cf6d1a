"""briefgen: briefing packs (PDF and DOCX) from one YAML file per diplomatic session."""

from importlib.metadata import version

__version__ = version("briefgen")
