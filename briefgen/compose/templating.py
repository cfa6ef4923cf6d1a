"""The Jinja2 environment that renders the pack's Markdown from the templates.

Every ``{{ value }}`` is escaped by ``finalize`` so data appears exactly as typed;
the ``md`` filter lets a user's Markdown field through as a placeholder that
``compose`` replaces with the blocks parsed from it by the restricted parser.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import yaml
from babel.dates import format_date

from briefgen import bundled_folder
from briefgen.compose.markdown import escape_markdown
from briefgen.input.diagnostics import Diagnostic, UserError
from briefgen.input.source import FAST_SAFE_LOADER

LABELS_FILE = "labels.yaml"
_DATE_LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}


def default_templates_dir() -> Path:
    """Return the built-in templates folder."""
    return bundled_folder("templates")


class Markdown(str):
    """Template output that is already Markdown and must not be escaped again."""


class MarkdownFields:
    """Collects the users' Markdown fields while a template renders, one placeholder each."""

    def __init__(self) -> None:
        self.sources: list[str] = []

    def placeholder(self, text: str | None) -> Markdown:
        if not text:
            return Markdown("")
        self.sources.append(text)
        return Markdown(placeholder_text(len(self.sources) - 1))


# Placeholders are fenced by a control character that validated text can never hold,
# so nothing a user types can pass for one.
PLACEHOLDER_FENCE = "\x1e"
PLACEHOLDER = re.compile(f"^{PLACEHOLDER_FENCE}md-(\\d+){PLACEHOLDER_FENCE}$")


def placeholder_text(index: int) -> str:
    return f"{PLACEHOLDER_FENCE}md-{index}{PLACEHOLDER_FENCE}"


def _finalize(value: Any) -> str:
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    return escape_markdown(str(value))


def template_dirs(override: Path | None) -> list[Path]:
    """Return the folders searched for templates, the override first."""
    return [override, default_templates_dir()] if override else [default_templates_dir()]


def make_environment(override: Path | None, language: str) -> jinja2.Environment:
    """Return an environment with strict undefineds, escaping, and the pack's filters."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(override)]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["date"] = _date_filter(language)
    environment.filters["raw"] = Markdown
    return environment


def _date_filter(language: str) -> Callable[[date], str]:
    locale = _DATE_LOCALES[language]

    def format_long(day: date) -> str:
        return format_date(day, format="long", locale=locale)

    return format_long


def load_labels(override: Path | None, language: str) -> dict[str, str]:
    """Return the labels of ``language`` from the first ``labels.yaml`` found.

    Every label the built-in file defines must be there too, so that a label missing
    from an override is reported against that file, not as a failure deep in a build.
    """
    path = next(d / LABELS_FILE for d in template_dirs(override) if (d / LABELS_FILE).is_file())
    labels = _read_labels(path, language)
    builtin = default_templates_dir() / LABELS_FILE
    missing = sorted(set(_read_labels(builtin, language)) - set(labels)) if path != builtin else []
    if missing:
        message = f"labels for '{language}' lack: {', '.join(missing)}"
        raise UserError([Diagnostic(str(path), 0, 0, "", message)])
    return labels


def _read_labels(path: Path, language: str) -> dict[str, str]:
    try:
        labels = yaml.load(path.read_text(encoding="utf-8"), FAST_SAFE_LOADER)[language]
        if not isinstance(labels, dict):
            raise TypeError("expected a mapping of label names to text")
        return {str(name): str(text) for name, text in labels.items()}
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        message = f"cannot read labels for '{language}': {error}"
        raise UserError([Diagnostic(str(path), 0, 0, "", message)]) from None


def render_template(environment: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Return the rendered template; raise ``UserError`` naming the template file and line."""
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or error.name or name
        raise UserError(
            [Diagnostic(where, error.lineno, 1, "", f"template error: {error.message}")]
        ) from None
    except jinja2.TemplateNotFound as error:
        raise UserError([Diagnostic(str(error.name), 0, 0, "", "template not found")]) from None
    except (jinja2.UndefinedError, TypeError, ValueError, AttributeError) as error:
        filename, line = _template_frame(error)
        raise UserError(
            [Diagnostic(filename or name, line, 1 if line else 0, "", f"template error: {error}")]
        ) from None


def _template_frame(error: BaseException) -> tuple[str | None, int]:
    """Return the template file and line where a rendering error happened, if known."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".j2", ".md")):
            return frame.filename, frame.lineno or 0
    return None, 0
