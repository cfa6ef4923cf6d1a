"""Issue 19, the templates' part: sandboxed, bounded, and every failure a user error.

A template folder passed around as a house style must not run its author's code, and
whatever it holds (a loop without end, a division by zero, a file in Latin-1, a broken
``reference.docx``) stops the build with an error naming the file, never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli.main import cli
from briefgen.compose import templating
from briefgen.compose.pack import compose_pack
from briefgen.compose.templating import (
    LABELS_FILE,
    default_templates_dir,
    make_environment,
    render_template,
    start_budget,
    template_errors,
)
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from tests.conftest import ASP23, CASES, ROOT

MINIMAL = CASES / "valid" / "minimal.yaml"


def override(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def builtin(name: str) -> str:
    return (default_templates_dir() / name).read_text(encoding="utf-8")


def compose_error(templates: Path, session: Path = MINIMAL) -> str:
    with pytest.raises(UserError) as raised:
        compose_pack(load_session(session), templates)
    return str(raised.value)


def with_line(text: str, after: str, line: str) -> str:
    """``text`` with ``line`` added after the first line holding ``after``."""
    lines = text.splitlines(keepends=True)
    index = next(i for i, existing in enumerate(lines) if after in existing)
    lines.insert(index + 1, line + "\n")
    return "".join(lines)


def cover_with(tmp_path: Path, line: str) -> tuple[Path, int]:
    """An override of cover.md.j2 with ``line`` as its first line; its path and that line."""
    path = override(tmp_path, "cover.md.j2", line + "\n" + builtin("cover.md.j2"))
    return path, 1


# --- the sandbox ------------------------------------------------------------------------

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ joiner.__init__.__globals__['__builtins__']['open']('/etc/passwd').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].system('id') }}",
    "{{ pack.__class__.__init__.__globals__ }}",
    "{{ organization.__globals__ }}",
    "{{ ''.format.__self__.__class__ }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{{ range.__self__ }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_known_sandbox_escapes_are_user_errors_at_their_template_line(
    tmp_path: Path, escape: str
) -> None:
    path, line = cover_with(tmp_path, escape)
    message = compose_error(tmp_path)
    assert f"{path}:{line}:1: error: template error:" in message
    assert "uid=" not in message


def test_a_template_cannot_call_os_popen(tmp_path: Path) -> None:
    witness = tmp_path / "ran"
    cover_with(tmp_path, f"{{{{ cycler.__init__.__globals__.os.popen('touch {witness}') }}}}")
    compose_error(tmp_path)
    assert not witness.exists()


def test_the_builtin_templates_render_in_the_sandbox() -> None:
    compose_pack(load_session(ASP23))


# --- failures are user errors at their file and line ---------------------------------


def test_a_division_by_zero_is_an_error_at_its_line(tmp_path: Path) -> None:
    path, line = cover_with(tmp_path, "{{ 1/0 }}")
    message = compose_error(tmp_path)
    assert f"{path}:{line}:1: error: template error: division by zero" in message


def test_a_template_that_includes_itself_is_an_error_naming_it(tmp_path: Path) -> None:
    path, _ = cover_with(tmp_path, '{% include "cover.md.j2" %}')
    message = compose_error(tmp_path)
    assert str(path) in message
    assert "includes itself" in message or "too deep" in message


def test_a_latin1_template_is_an_error_at_its_byte(tmp_path: Path) -> None:
    text = "Line one\n# Caf\u00e9 {{ session.name }}\n" + builtin("cover.md.j2")
    path = override(tmp_path, "cover.md.j2", text.encode("latin-1", errors="replace"))
    message = compose_error(tmp_path)
    assert f"{path}:2:6: error: not UTF-8 text: byte 0xe9 cannot be decoded" in message


def test_a_latin1_template_included_by_an_override_is_reported_at_the_override(
    tmp_path: Path,
) -> None:
    # The override is read, not the built-in of the same name.
    override(tmp_path, "statement.md.j2", b"\xff\n")
    message = compose_error(tmp_path, ASP23)
    assert f"{tmp_path / 'statement.md.j2'}:1:1: error: not UTF-8 text" in message
    assert str(default_templates_dir()) not in message


def test_an_unreadable_template_is_an_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = override(tmp_path, "cover.md.j2", builtin("cover.md.j2"))
    real_read = templating.read_regular

    def read(file: Path, limit: int) -> bytes:
        if file == path:  # as chmod 0 does for anyone but root
            raise PermissionError(13, "Permission denied", str(file))
        return real_read(file, limit)

    monkeypatch.setattr(templating, "read_regular", read)
    message = compose_error(tmp_path)
    assert f"{path}: error: cannot read the template: Permission denied" in message


def test_a_folder_named_like_a_template_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "cover.md.j2").mkdir()
    message = compose_error(tmp_path)
    assert f"{tmp_path / 'cover.md.j2'}: error:" in message


def test_a_latin1_labels_file_is_an_error_at_its_byte(tmp_path: Path) -> None:
    text = builtin(LABELS_FILE).replace("Contents", "Contenus \u00e9t\u00e9", 1)
    override(tmp_path, LABELS_FILE, text.encode("latin-1", errors="replace"))
    message = compose_error(tmp_path)
    assert f"{tmp_path / LABELS_FILE}:" in message
    assert "not UTF-8 text: byte 0xe9" in message


def test_an_alias_bomb_in_labels_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)},"
        f" *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    override(tmp_path, LABELS_FILE, builtin(LABELS_FILE) + bomb)
    message = compose_error(tmp_path)
    assert f"{tmp_path / LABELS_FILE}:" in message
    assert "aliases expand to too many nodes" in message


def test_a_duplicate_label_is_refused_at_its_line(tmp_path: Path) -> None:
    text = builtin(LABELS_FILE)
    text = with_line(text, "en:", "  contents: Contents")
    override(tmp_path, LABELS_FILE, text)
    message = compose_error(tmp_path)
    assert f"{tmp_path / LABELS_FILE}:" in message
    assert "duplicate key" in message


def test_labels_of_the_wrong_shape_are_an_error_at_their_line(tmp_path: Path) -> None:
    override(tmp_path, LABELS_FILE, "en: [a, b]\n")
    message = compose_error(tmp_path)
    assert f"{tmp_path / LABELS_FILE}:1:5: error: en: cannot read labels" in message


# --- bounded rendering ------------------------------------------------------------------


def test_a_huge_range_stops_at_once(tmp_path: Path) -> None:
    path, line = cover_with(tmp_path, "{% for i in range(10**12) %}x{% endfor %}")
    message = compose_error(tmp_path)
    assert f"{path}:{line}:1: error: template error:" in message


def test_a_loop_without_end_stops_within_the_time_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.5)
    loop = (
        "{% macro m() %}{% for a in range(99999) %}{% for b in range(99999) %}"
        "{% for c in range(99999) %}{% endfor %}{% endfor %}{% endfor %}{% endmacro %}{{ m() }}"
    )
    path, _ = cover_with(tmp_path, loop)
    message = compose_error(tmp_path)
    assert str(path) in message
    assert "took longer than 0.5 seconds" in message


def test_a_loop_that_looks_nothing_up_stops_within_the_time_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.5)
    loop = (
        "{% macro m(r) %}{% for a in r %}{% for b in r %}{% for c in r %}"
        "{% endfor %}{% endfor %}{% endfor %}{% endmacro %}{{ m(range(5000)) }}"
    )
    cover_with(tmp_path, loop)
    message = compose_error(tmp_path)
    assert "took longer than 0.5 seconds" in message


def test_a_large_input_gives_the_templates_time_in_proportion() -> None:
    """Rendering takes time in proportion to the input: a pack of ten million characters
    is not held to the 20 seconds of a small one (a busy machine would refuse it)."""
    environment = templating.make_environment(None, "en")
    budgets = {}
    for size in (100_000, 1_000_000, 10_000_000):
        templating.start_budget(environment, size)
        budgets[size] = environment.seconds  # type: ignore[attr-defined]
    assert budgets[100_000] == templating.RENDER_SECONDS
    assert budgets[10_000_000] == 10 * budgets[1_000_000] > templating.RENDER_SECONDS


def test_output_beyond_the_limit_stops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "MIN_OUTPUT_LIMIT", 1_000_000)
    path, _ = cover_with(
        tmp_path,
        "{% for a in range(99999) %}{% for b in range(999) %}xxxxxxxx{% endfor %}{% endfor %}",
    )
    message = compose_error(tmp_path)
    assert "pack.md.j2: error: template error: the templates wrote more than 1,000,000" in message
    assert path.exists()


COMPUTATIONS = {
    "a power": ("{{ (7 ** 300000000) % 10 }}", "a number too large to compute (7 ** 300000000)"),
    "a product": ("{{ (2 ** 999999) * (2 ** 999999) }}", "a number too large to compute"),
    "a text repeated": (
        '{{ "x" * 100000000 }}',
        "100,000,000 characters at once ('x' * 100000000)",
    ),
    "a list repeated": ("{{ ([1] * 100000000)|length }}", "100,000,000 items at once"),
    "a number repeating": ("{{ (100000000 * (1, 2))|length }}", "200,000,000 items at once"),
    "a % format": ('{{ "%.999999999f" % 1.0 }}', "formatted wider than the limit"),
    "a % format's *": ('{{ "%*d" % (999999999, 1) }}', "formatted wider than the limit"),
    "the format filter": ('{{ "%0999999999d"|format(1) }}', "formatted wider than the limit"),
    "a text made by a method": ('{{ "x".ljust(999999999) }}', "wrote more than 50,000,000"),
}


@pytest.mark.parametrize(("expression", "refusal"), COMPUTATIONS.values(), ids=list(COMPUTATIONS))
def test_a_huge_computation_is_refused_at_its_template_line(
    tmp_path: Path, expression: str, refusal: str
) -> None:
    """Python computes these in one step that no time check can interrupt (7 ** 300000000
    for minutes): they are refused before they run, at the line of the user's template,
    not at the built-in template including it. A fresh process: a failure ends in a minute."""
    templates = tmp_path / "templates"
    templates.mkdir()
    path = override(templates, "cover.md.j2", "# Cover\n\n" + expression + "\n")
    command = [sys.executable, "-m", "briefgen", "build", str(MINIMAL), "--templates"]
    try:
        done = subprocess.run(
            [*command, str(templates), "--output-dir", str(tmp_path / "out")],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{expression} still ran after 60 seconds")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{path}:3:1: error: template error: the templates" in done.stderr
    assert refusal in done.stderr
    assert "Traceback" not in done.stderr
    assert str(default_templates_dir()) not in done.stderr


def test_ordinary_arithmetic_and_formats_still_work(tmp_path: Path) -> None:
    override(
        tmp_path,
        "sums.md.j2",
        '{{ 2 ** 10 }}|{{ 2 ** -1 }}|{{ 3 * 4 }}|{{ "ab" * 3 }}|{{ ["a"] * 2 }}|{{ "-" * 40 }}'
        "|{{ 7 % 3 }}"
        '|{{ "%05.1f" % 3.14159 }}|{{ "%d%%" % 50 }}|{{ "%s-%s"|format(1, 2) }}|{{ 10 ** 100 }}'
        "|{% for i in range(3) %}{{ loop.index * 2 }}{% endfor %}\n",
    )
    environment = make_environment(tmp_path, "en")
    start_budget(environment, 1000)
    text = render_template(environment, "sums.md.j2", {})
    unescaped = text.translate(dict.fromkeys(map(ord, "\x02\x03\\")))  # isolates, escapes
    assert unescaped == (
        f"1024|0.5|12|ababab|['a', 'a']|{'-' * 40}|1|003.1|50%|1-2|1{'0' * 100}|246"
    )


def test_a_template_that_cannot_compile_is_named_not_the_one_including_it(
    tmp_path: Path,
) -> None:
    path, _ = cover_with(tmp_path, "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}")
    message = compose_error(tmp_path)
    assert f"{path}: error: template error: cannot compile the template: it nests too deep" in (
        message
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [(MemoryError(), "the templates ran out of memory"), (KeyError(), "KeyError")],
)
def test_a_template_error_always_says_what_went_wrong(error: Exception, expected: str) -> None:
    with pytest.raises(UserError) as raised, template_errors("pack.md.j2"):
        raise error
    assert f"pack.md.j2: error: template error: {expected}" in str(raised.value)


# --- reference.docx -------------------------------------------------------------------


def run_build(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", *map(str, args)])
    return result.exit_code, result.stdout + result.stderr


def write_docx(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return path


def good_reference(tmp_path: Path) -> dict[str, bytes]:
    """The parts of a sound reference document: the DOCX briefgen itself writes."""
    out = tmp_path / "first"
    code, output = run_build(MINIMAL, "--output-dir", out, "--format", "docx")
    assert code == 0, output
    with zipfile.ZipFile(next(out.rglob("*.docx"))) as package:
        return {name: package.read(name) for name in package.namelist()}


@pytest.mark.parametrize(
    "broken",
    ["only the document part", "styles not XML", "styles of the wrong root", "no content types"],
)
def test_a_broken_reference_docx_is_a_user_error_naming_it(tmp_path: Path, broken: str) -> None:
    parts = good_reference(tmp_path)
    if broken == "only the document part":
        parts = {"word/document.xml": parts["word/document.xml"]}
    elif broken == "styles not XML":
        parts["word/styles.xml"] = b"<w:styles"
    elif broken == "styles of the wrong root":
        parts["word/styles.xml"] = b"<nothing/>"
    else:
        del parts["[Content_Types].xml"]
    templates = tmp_path / "templates"
    templates.mkdir()
    reference = write_docx(templates / "reference.docx", parts)
    code, output = run_build(
        MINIMAL, "--output-dir", tmp_path / "out", "--format", "docx", "--templates", templates
    )
    assert code == 1, output
    assert f"{reference}: error:" in output
    assert "Traceback" not in output


def test_markdown_a_template_nests_too_deep_is_a_user_error(tmp_path: Path) -> None:
    """Users' fields are bounded at validation; a template's own Markdown is not."""
    from briefgen.compose.pack import compose_pack
    from briefgen.input.load import load_session

    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "pack.md.j2").write_text(
        "[" * 2000 + "x" + "](#a)" * 2000 + "\n", encoding="utf-8"
    )
    with pytest.raises(UserError, match="nests too deep"):
        compose_pack(load_session(CASES / "valid" / "minimal.yaml"), templates)
