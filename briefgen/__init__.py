"""briefgen: briefing packs (PDF and DOCX) from one YAML file per diplomatic session."""

__version__ = "0.1.0"
