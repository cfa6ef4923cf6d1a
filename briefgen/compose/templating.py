"""The Jinja2 environment that renders the pack's Markdown from the templates.

Every ``{{ value }}`` is escaped by ``finalize`` so data appears exactly as typed, and
fenced as an isolate (``values.finalize``: it keeps its own direction in the pack);
what a macro returns is Markdown already (each value it printed was escaped) and is
not escaped again. The ``md`` filter lets a user's Markdown field through as a
placeholder that ``compose`` replaces with the blocks parsed from it by the
restricted parser; each placeholder remembers the template line that wrote it, so
that one left anywhere but alone in a paragraph is reported there.

Templates run in Jinja2's sandbox (a template folder passed around as a house style
must not run its author's code), within a time budget (``render_seconds``) and an
output limit (``output_limit``), refusing before they run the computations no check
could interrupt (``_Sandbox.call_binop``); every way a template can fail is a
``UserError`` at its file and line.
"""

from __future__ import annotations

import math
import os
import re
import reprlib
import signal
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
from babel.dates import format_date, format_skeleton
from jinja2.filters import do_format
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from briefgen import bundled_folder
from briefgen.compose.labels import page_label_problem
from briefgen.compose.markdown import CONTAINERS
from briefgen.compose.precompiled import precompiled_code
from briefgen.compose.values import (
    ENVIRONMENT_OPTIONS,
    INTERCEPTED_BINOPS,
    MD_ALONE,
    PLACEHOLDER_FENCE,
    Markdown,
    finalize,
)
from briefgen.input.characters import no_control_characters
from briefgen.input.diagnostics import (
    CloseMatches,
    Diagnostic,
    UserError,
    described,
    did_you_mean,
)
from briefgen.input.files import FileTooLarge, NotRegularFile, read_regular
from briefgen.input.source import MAX_INPUT_BYTES, SourceDocument, decode_utf8, read_source
from briefgen.text.typography import NO_BREAK_SPACE

LABELS_FILE = "labels.yaml"
RENDER_SECONDS = 20.0
"""The wall-clock time the templates of one pack may take to render at least (ASP23's
take 0.1 s)."""
SECONDS_PER_MILLION = 60.0
"""And more for a large input, per million characters of its data: rendering takes time in
proportion to the input (a pack of 1,000 statements, each cited by twenty key messages
citing them all, takes seconds), so a flat budget would refuse large packs that a slow or
busy machine renders in more than ``RENDER_SECONDS``."""
OUTPUT_FACTOR = 10
MIN_OUTPUT_LIMIT = 50_000_000
"""The rendered Markdown may hold at most max(10 x the input's size, 50 million) characters."""
MAX_TEMPLATE_BYTES = MAX_INPUT_BYTES
MAX_NUMBER_BITS = 1_000_000
"""The largest whole number a template may compute, in bits (about 300,000 digits): Python
computes a power or a product of big numbers in one step that no check can interrupt
(minutes for 7 ** 300000000)."""


def render_seconds(input_size: int) -> float:
    """The most seconds the templates may take for an input of ``input_size`` characters."""
    return max(RENDER_SECONDS, float(round(SECONDS_PER_MILLION * input_size / 1_000_000)))


def output_limit(input_size: int) -> int:
    """The most characters the templates may write for an input of ``input_size``."""
    return max(OUTPUT_FACTOR * input_size, MIN_OUTPUT_LIMIT)


_DATE_LOCALES = {
    "en": "en_GB",
    "fr": "fr_FR",
    "es": "es_ES",
    "ru": "ru_RU",
    "ar": "ar",
    "zh": "zh_Hans_CN",
}


def default_templates_dir() -> Path:
    """Return the built-in templates folder."""
    return bundled_folder("templates")


# Placeholders are fenced by a control character that validated text can never hold,
# so nothing a user types can pass for one.
PLACEHOLDER = re.compile(f"^{PLACEHOLDER_FENCE}md-(\\d+){PLACEHOLDER_FENCE}$")
# Found in the Markdown however changed in case (by a filter block such as `upper`).
_ANY_PLACEHOLDER = re.compile(f"{PLACEHOLDER_FENCE}md-(\\d+){PLACEHOLDER_FENCE}", re.IGNORECASE)


def placeholder_text(index: int) -> str:
    return f"{PLACEHOLDER_FENCE}md-{index}{PLACEHOLDER_FENCE}"


class MarkdownFields:
    """Collects the users' Markdown fields while a template renders, one placeholder each.

    Each placeholder remembers the template line that called the filter. The parser
    ``take()``s the field of each placeholder it finds alone in a paragraph;
    ``check_all_taken()`` then reports every placeholder written anywhere else (in a
    heading, a table cell, next to other text), which would otherwise print as is.
    """

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.languages: list[str | None] = []
        self._callers: list[tuple[jinja2.Template | None, int]] = []
        self._taken: list[int] = []

    def placeholder(self, text: str | None, language: str | None = None) -> Markdown:
        """The ``md`` filter: ``{{ field|md }}``, or ``{{ field|md(language) }}`` for a
        field in a language of its own (its blocks then say so)."""
        if not text:
            return Markdown("")
        self.sources.append(text)
        self.languages.append(language or None)
        self._callers.append(_calling_template(sys._getframe(1)))
        self._taken.append(0)
        return Markdown(placeholder_text(len(self.sources) - 1))

    def take(self, index: int) -> tuple[str, str | None]:
        """Return the Markdown of the field whose placeholder fills a paragraph, and its
        language (None: the pack's)."""
        self._taken[index] += 1
        return self.sources[index], self.languages[index]

    def check_all_taken(self, markdown: str, template: str) -> None:
        """Raise ``UserError`` unless every placeholder in ``markdown`` was taken.

        ``template`` is the file named when the template line is not known.
        """
        written = Counter(int(found[1]) for found in _ANY_PLACEHOLDER.finditer(markdown))
        problems = {
            self._where(index, template)
            for index, count in written.items()
            if index >= len(self._taken) or count > self._taken[index]
        }
        if not problems and markdown.count(PLACEHOLDER_FENCE) > 2 * written.total():
            problems.add((template, 0))  # a placeholder cut or changed by a filter block
        if problems:
            raise UserError(
                [Diagnostic(file, line, 1 if line else 0, "", MD_ALONE) for file, line in problems]
            )

    def _where(self, index: int, default: str) -> tuple[str, int]:
        template, code_line = self._callers[index] if index < len(self._callers) else (None, 0)
        if template is None:
            return default, 0
        filename = template.filename or template.name or default
        return filename, template.get_corresponding_lineno(code_line)


def _calling_template(frame: FrameType | None) -> tuple[jinja2.Template | None, int]:
    """Return the template whose code runs in ``frame`` or its callers, and that code's line.

    Jinja2 marks the module of every compiled template with ``__jinja_template__``
    (it maps its tracebacks back to template lines the same way); the line is mapped
    to a template line only when there is an error to report.
    """
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if isinstance(template, jinja2.Template):
            return template, frame.f_lineno
        frame = frame.f_back
    return None, 0


class _Context(jinja2.runtime.Context):
    """The templates' context: what a macro returns is Markdown, not escaped again."""

    def call(self, obj: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        result = super().call(obj, *args, **kwargs)
        if isinstance(obj, jinja2.runtime.Macro) and isinstance(result, str):
            environment = self.environment
            if isinstance(environment, _Sandbox):
                environment.check_output(len(result))
            return Markdown(result)
        return result


class RenderLimit(jinja2.TemplateRuntimeError):
    """The templates took longer than their time budget or wrote more than the limit."""


class _Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with the time budget and the output limit checked as it runs.

    The budget is checked at every call, attribute and item the templates look up, at
    every piece of output, and (in the main thread, where a timer signal can interrupt
    a loop that looks nothing up) when the timer fires. Neither can interrupt one step
    of Python's that takes minutes (a power of big numbers): such steps are refused
    before they are taken.
    """

    intercepted_binops = INTERCEPTED_BINOPS
    deadline = math.inf  # until ``start``
    limit = sys.maxsize
    _lookups = 0

    def start(self, input_size: int) -> None:
        self.seconds = render_seconds(input_size)
        self.deadline = time.monotonic() + self.seconds
        self.limit = output_limit(input_size)
        self.written = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(
                f"the templates took longer than {self.seconds:g} seconds to render"
                " (a loop without end?)"
            )

    def check_output(self, size: int) -> None:
        if size > self.limit:
            raise RenderLimit(
                f"the templates wrote more than {self.limit:,} characters"
                f" (the limit is {OUTPUT_FACTOR} times the input's size, at least"
                f" {MIN_OUTPUT_LIMIT:,})"
            )

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        """Refuse, before computing them, the operations that would take Python one long step
        (or all the memory): a number too large, a repetition or a format beyond the output
        limit, as ``range()`` refuses more than ``MAX_RANGE`` items."""
        if operator in ("*", "**") and isinstance(left, int) and isinstance(right, int):
            if _number_bits(operator, left, right) > MAX_NUMBER_BITS:
                raise RenderLimit(
                    "the templates asked for a number too large to compute"
                    f" ({_shown(left)} {operator} {_shown(right)})"
                )
        elif operator == "*":
            repeated, times = (right, left) if isinstance(left, int) else (left, right)
            if (
                isinstance(repeated, (str, list, tuple))
                and isinstance(times, int)
                and len(repeated) * times > self.limit
            ):
                kind = "characters" if isinstance(repeated, str) else "items"
                raise RenderLimit(
                    f"the templates asked for {len(repeated) * times:,} {kind} at once"
                    f" ({_shown(left)} * {_shown(right)}); the limit is {self.limit:,}"
                )
        elif operator == "%" and isinstance(left, str):
            self.check_format(left, right)
        return super().call_binop(context, operator, left, right)

    def check_format(self, form: str, values: Any) -> None:
        """Refuse a ``%`` format (the operator or the ``format`` filter) that asks for a
        width or a precision beyond the output limit: ``"%.999999999f" % 1`` takes seconds."""
        if _widest_field(form, values) > self.limit:
            raise RenderLimit(
                "the templates asked for a value formatted wider than the limit of"
                f" {self.limit:,} characters"
            )

    def finalize_within_limit(self, value: Any) -> str:
        """``finalize``, refusing first a text longer than the output limit: escaping it
        would take seconds in one step (``"x".ljust(999999999)`` makes one in a second)."""
        if isinstance(value, str):
            self.check_output(len(value))
        return finalize(value)

    def format_filter(self, value: Any, *args: Any, **kwargs: Any) -> str:
        """Jinja2's ``format`` filter, ``value % args``, with its format checked first."""
        self.check_format(str(value), kwargs or args)
        return do_format(value, *args, **kwargs)

    def _tick(self) -> None:
        """Check the clock at every 64th look-up: a look-up takes well under a microsecond."""
        self._lookups += 1
        if not self._lookups & 63:
            self.check_time()

    def call(self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        self._tick()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self._tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self._tick()
        return super().getitem(obj, argument)


def _number_bits(operator: str, left: int, right: int) -> float:
    """About how many bits ``left * right`` or ``left ** right`` has, without computing it."""
    if operator == "*":
        return left.bit_length() + right.bit_length()
    if right <= 0 or abs(left) <= 1:
        return 1  # a fraction, or 0, 1 or -1 again
    return right * math.log2(abs(left)) if right <= MAX_NUMBER_BITS else math.inf


def _shown(value: Any) -> str:
    """An operand as an error shows it: briefly, whatever its size."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a number of {value.bit_length():,} bits"
    return reprlib.repr(value)


# A field of a ``%`` format (group 1: its flags, width and precision), or ``%%``.
_PRINTF_FIELD = re.compile(r"%%|%(?:\([^)]*\))?([-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?)")


def _widest_field(form: str, values: Any) -> int:
    """The largest width or precision the ``%`` format ``form`` asks for; a ``*`` takes
    one from ``values``, which may then be any of them."""
    fields = [found[1] for found in _PRINTF_FIELD.finditer(form) if found[1]]
    numbers = [
        int(digits) if len(digits) < 19 else sys.maxsize
        for field in fields
        for digits in re.findall(r"\d+", field)
    ]
    if any("*" in field for field in fields):
        given = values if isinstance(values, tuple) else (values,)
        numbers += [abs(value) for value in given if isinstance(value, int)]
    return max(numbers, default=0)


@contextmanager
def render_budget(environment: jinja2.Environment) -> Iterator[None]:
    """Interrupt the templates when their time is up, where a timer signal can.

    Only in the main thread of a POSIX process, and only when nothing else uses the
    timer; elsewhere the checks of ``_Sandbox`` bound the time alone.
    """
    deadline = getattr(environment, "deadline", math.inf)
    usable = (
        math.isfinite(deadline)
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if not usable:
        yield
        return
    assert isinstance(environment, _Sandbox)

    def time_up(signum: int, frame: FrameType | None) -> None:
        environment.check_time()
        signal.setitimer(signal.ITIMER_REAL, 0.05)  # fired a little early: try again

    signal.signal(signal.SIGALRM, time_up)
    try:
        signal.setitimer(signal.ITIMER_REAL, max(environment.deadline - time.monotonic(), 0.001))
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


class _Loader(jinja2.BaseLoader):
    """Finds templates in the folders in order, keeping the file and source of each.

    A template is read as any file of the user's is: a regular file (not a FIFO or a
    device), bounded in size, UTF-8, each problem a ``UserError`` naming the file that
    was found (an override's, not the built-in template of the same name).
    """

    def __init__(self, folders: list[Path]) -> None:
        self.searchpath = [str(folder) for folder in folders]
        self.loaded: dict[str, str] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if not os.path.lexists(path):
                continue
            filename = str(path)
            source = decode_utf8(_read_template(path, filename), filename)
            self.loaded[filename] = source
            try:
                mtime = path.stat().st_mtime
            except OSError:
                mtime = -1.0

            def uptodate(path: Path = path, mtime: float = mtime) -> bool:
                try:
                    return path.stat().st_mtime == mtime
                except OSError:
                    return False

            return source, filename, uptodate
        raise jinja2.TemplateNotFound(template)

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        """Jinja2's ``load``, taking the code compiled at install time where the template
        is the one it was compiled from (``precompiled``): most builds compile nothing.

        A template that fails to compile otherwise than by its syntax (out of memory,
        nested too deep) is named here: the error would otherwise be reported at the
        line of the template including it.
        """
        source, filename, uptodate = self.get_source(environment, name)
        code = precompiled_code(name, source, filename)
        if code is None:
            try:
                code = environment.compile(source, name, filename)
            except jinja2.TemplateSyntaxError:
                raise
            except Exception as error:
                message = f"template error: cannot compile the template: {_explained(error)}"
                raise UserError([Diagnostic(filename, 0, 0, "", message)]) from None
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)


def _read_template(path: Path, name: str) -> bytes:
    def fail(message: str) -> UserError:
        return UserError([Diagnostic(name, 0, 0, "", message)])

    try:
        return read_regular(path, MAX_TEMPLATE_BYTES)
    except FileTooLarge:
        raise fail(f"template is too large (the limit is {MAX_TEMPLATE_BYTES:,} bytes)") from None
    except NotRegularFile as error:
        raise fail(f"is {error.kind}, not a template") from None
    except IsADirectoryError:
        raise fail("is a folder, not a template") from None
    except OSError as error:
        raise fail(f"cannot read the template: {error.strerror or error}") from None


def template_dirs(override: Path | None) -> list[Path]:
    """Return the folders searched for templates, the override first."""
    return [override, default_templates_dir()] if override else [default_templates_dir()]


def make_environment(override: Path | None, language: str) -> jinja2.Environment:
    """Return a sandboxed environment with strict undefineds, escaping, and the pack's filters.

    Its budget starts with ``start_budget``.
    """
    environment = _Sandbox(
        loader=_Loader(template_dirs(override)),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        **ENVIRONMENT_OPTIONS,
    )
    environment.context_class = _Context
    environment.finalize = environment.finalize_within_limit
    environment.filters["date"] = date_filter(language)
    environment.filters["raw"] = Markdown
    environment.filters["format"] = environment.format_filter
    return environment


def start_budget(environment: jinja2.Environment, input_size: int) -> None:
    """Start the time budget of ``environment``, and set its output limit for the input's size."""
    if isinstance(environment, _Sandbox):
        environment.start(input_size)


def unknown_container(environment: jinja2.Environment, name: str, template: str) -> UserError:
    """Return the error for a ``::: name`` block briefgen does not know.

    It names the template lines that write it: the loaded templates' lines opening a
    block of that name, else those whose name is made by an expression and starts
    as ``name`` does, else ``template``.
    """
    message = (
        f"unknown block '::: {name}'{did_you_mean(name, CONTAINERS)};"
        f" the blocks are {', '.join(CONTAINERS)}"
    )
    loader = environment.loader
    sources = loader.loaded if isinstance(loader, _Loader) else {}
    literal: list[tuple[str, int]] = []
    made: list[tuple[str, int]] = []
    for filename, source in sources.items():
        for found in _BLOCK_OPENING.finditer(source):
            place = (filename, source.count("\n", 0, found.start()) + 1)
            written = found[1]
            if written == name:
                literal.append(place)
            elif ("{{" in written or "{%" in written) and name.startswith(
                written[: written.index("{")]
            ):
                made.append(place)
    places = literal or made
    return UserError(
        [Diagnostic(file, line, 1, "", message) for file, line in places]
        or [Diagnostic(template, 0, 0, "", message)]
    )


# A line of template source opening a ``:::`` block: its first word, as written.
_BLOCK_OPENING = re.compile(r"^[ \t]*:{3,}[ \t]*(\S+)", re.MULTILINE)


DATE_FORMS = ("long", "day-month", "day")
"""How the ``date`` filter writes a date: ``long`` (6 December 2024, by default), ``day-month``
(6 December) or ``day`` (6): the pieces of a range written once ("1–6 December 2024")."""


def date_filter(language: str) -> Callable[..., str]:
    """The templates' ``date`` filter in the pack's ``language``: ``day|date`` or
    ``day|date("day-month")``; French writes the first of a month "1er". A day and its
    month are never parted at a line's end (no-break spaces between them)."""
    locale = _DATE_LOCALES[language]

    def format_as(day: date, form: str = "long") -> str:
        if form == "long":
            text = format_date(day, format="long", locale=locale)
            day_month = format_skeleton("MMMMd", day, locale=locale)
            text = text.replace(day_month, _unbroken(day_month), 1)
        elif form == "day-month":
            text = _unbroken(format_skeleton("MMMMd", day, locale=locale))
        elif form == "day":
            text = str(day.day)
        else:
            raise ValueError(f"unknown date form '{form}': the forms are {', '.join(DATE_FORMS)}")
        if language == "fr" and day.day == 1:
            text = _FIRST.sub("1er", text, count=1)
        return text

    return format_as


_FIRST = re.compile(r"(?<!\d)1(?!\d)")


def _unbroken(day_month: str) -> str:
    """The day and its month joined by no-break spaces ("6 December", "6 de diciembre"):
    a line never ends on the day's number with its month on the next."""
    return day_month.replace(" ", NO_BREAK_SPACE)


ANNEXES = 3
"""The annexes a pack may have (full texts, organisations, index): the ``annex_letters``
label gives one letter to each, in order, and those the pack has take them in turn."""


def load_labels(override: Path | None, language: str) -> dict[str, str]:
    """Return the labels of ``language``: the built-in ones, with those the override's
    ``labels.yaml`` gives for that language in their place.

    A folder's file need only hold the labels it changes, as its templates need only be
    the ones it changes; a label a later briefgen adds comes from the built-in file. A
    name close to a built-in label's is refused as its misspelling (it would leave the
    built-in label in place unseen); other names are the folder's own, for its own
    templates. Every problem is reported at once, each at its line.
    """
    builtin = _builtin_labels(language)
    path = override / LABELS_FILE if override is not None else None
    if path is None or not path.is_file():
        return dict(builtin)
    source, own = _read_labels(path, language, optional=True)
    problems = _unknown_languages(source, _builtin_languages())
    problems += _misspelt_labels(source, language, own, set(builtin))
    problems += _text_problems(source, language, own)
    if problems:
        raise UserError(problems)
    return {**builtin, **own}


@cache
def _builtin_labels(language: str) -> dict[str, str]:
    """The built-in labels of ``language`` (read once; copied before any change)."""
    return _read_labels(default_templates_dir() / LABELS_FILE, language)[1]


@cache
def _builtin_languages() -> frozenset[str]:
    """The languages the built-in ``labels.yaml`` has labels for."""
    data = read_source(default_templates_dir() / LABELS_FILE).data
    return frozenset(data) if isinstance(data, dict) else frozenset()


def _read_labels(
    path: Path, language: str, *, optional: bool = False
) -> tuple[SourceDocument, dict[str, Any]]:
    """Return the file and the labels of ``language`` in ``path``, read with the inputs'
    guarded loader (no alias bombs, duplicate keys, tags, oversized or non-UTF-8 files);
    none where the file has no ``language:`` mapping and ``optional`` says it may lack it."""
    source = read_source(path)
    if source.problems:
        raise UserError(source.problems)
    data = source.data
    if not isinstance(data, dict):
        problem = "cannot read labels: expected a mapping of languages (en:, fr:, ...)"
        raise UserError([source.diagnostic((), problem)])
    if language not in data and optional:
        return source, {}
    if language not in data:
        message = f"cannot read labels for '{language}': no '{language}:' mapping"
        raise UserError([Diagnostic(str(path), 0, 0, "", message + did_you_mean(language, data))])
    labels = data[language]
    if not isinstance(labels, dict):
        problem = "cannot read labels: expected a mapping of label names to text"
        raise UserError([source.diagnostic((language,), problem)])
    return source, {str(name): text for name, text in labels.items()}


def _unknown_languages(source: SourceDocument, known: frozenset[str]) -> list[Diagnostic]:
    """A problem at each language of the file that packs are not written in: a misspelt
    one (``fe:``) would leave the built-in labels in place unseen."""
    problems = []
    for name in source.data:
        if str(name) not in known:
            message = f"unknown language '{name}'{did_you_mean(str(name), known)}"
            message += f"; labels are given for {', '.join(sorted(known))}"
            problems.append(source.diagnostic((name,), message, key=True))
    return problems


def _misspelt_labels(
    source: SourceDocument, language: str, labels: dict[str, Any], known: set[str]
) -> list[Diagnostic]:
    """A problem at each label of the file whose name is not a built-in label's but close
    to one (``page_lable``)."""
    problems = []
    matches = CloseMatches(sorted(known))
    for name in labels:
        meant = None if name in known else matches.closest(name)
        if meant is not None:
            message = f"unknown label '{name}' (did you mean '{meant}'?)"
            problems.append(source.diagnostic((language, name), message, key=True))
    return problems


def _text_problems(
    source: SourceDocument, language: str, labels: dict[str, Any]
) -> list[Diagnostic]:
    """A problem at each label that is no text, holds a control character, or does not
    say what a writer fills in (the page label's fields, the annexes' letters, the
    inner quotation marks)."""
    problems = []
    for name, text in labels.items():
        problem = _label_problem(name, text)
        if problem is not None:
            problems.append(source.diagnostic((language, name), problem))
    return problems


def _label_problem(name: str, text: Any) -> str | None:
    if not isinstance(text, str):
        return f"expected text, got {described(text)}"
    try:
        no_control_characters(text)
    except ValueError as error:  # YAML's escapes ("\\x1b") pass the check of the raw text
        return str(error)
    if name == "page_label":
        return page_label_problem(text)
    if name == "annex_letters" and len(text.split()) < ANNEXES:
        return f"give each of the {ANNEXES} annexes its letter, separated by spaces: 'A B C'"
    if name == "inner_quotes" and len(text.split()) != 2:  # an opening and a closing mark
        return "give the opening and the closing mark, separated by a space: '„ “'"
    return None


def render_template(environment: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Return the rendered template; raise ``UserError`` naming the template file and line.

    The output is counted as it is written, against the environment's limit.
    """
    with template_errors(name), render_budget(environment):
        pieces: list[str] = []
        written = 0
        for piece in environment.get_template(name).generate(context):
            written += len(piece)
            if isinstance(environment, _Sandbox):
                environment.check_output(written)
                environment.check_time()
            pieces.append(piece)
        return "".join(pieces)


@contextmanager
def template_errors(name: str) -> Iterator[None]:
    """Turn errors in loading or running templates into ``UserError``s at their file and line.

    ``name`` is the template named when the error does not say which.
    """
    try:
        yield
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or error.name or name
        raise UserError(
            [Diagnostic(where, error.lineno, 1, "", f"template error: {error.message}")]
        ) from None
    except jinja2.TemplateNotFound as error:
        raise UserError([Diagnostic(str(error.name), 0, 0, "", "template not found")]) from None
    except UserError:
        raise
    except RecursionError as error:
        filename, line = _template_frame(error)
        message = (
            "template error: templates include or call each other too deep (one includes itself?)"
        )
        raise UserError(
            [Diagnostic(filename or name, line, 1 if line else 0, "", message)]
        ) from None
    except Exception as error:  # whatever a template's expression raises is the template's
        filename, line = _template_frame(error)
        message = f"template error: {_explained(error)}"
        raise UserError(
            [Diagnostic(filename or name, line, 1 if line else 0, "", message)]
        ) from None


def _explained(error: Exception) -> str:
    """What went wrong, never nothing: some errors (``MemoryError()``) have no message."""
    if isinstance(error, MemoryError):
        return "the templates ran out of memory"
    if isinstance(error, RecursionError):
        return "it nests too deep"
    return str(error) or type(error).__name__


def _template_frame(error: BaseException) -> tuple[str | None, int]:
    """Return the template file and line where a rendering error happened, if known."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".j2", ".md")):
            return frame.filename, frame.lineno or 0
    return None, 0
