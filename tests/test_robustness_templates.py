"""Issue 19, the templates' part: sandboxed, bounded, and every failure a user error.

A template folder passed around as a house style must not run its author's code, and
whatever it holds (a loop without end, a division by zero, a file in Latin-1, a broken
``reference.docx``) stops the build with an error naming the file, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fontTools import subset
from fontTools.ttLib import TTFont

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
from briefgen.text.fonts import SANS, SANS_BOLD, SANS_ITALIC, font_path
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


def test_labels_holding_escaped_control_characters_are_errors_at_their_lines(
    tmp_path: Path,
) -> None:
    """The file's raw text is checked, but YAML escapes used to let "\\x1b" and "\\x0c"
    through: validate accepted them and the build crashed writing them (a traceback)."""
    text = builtin(LABELS_FILE)
    text = text.replace("  contents: Contents\n", '  contents: "Con\\x1btents"\n', 1)
    text = text.replace(
        '  default_title: "{session} briefing pack"', '  default_title: "{session}\\f"'
    )
    path = override(tmp_path, LABELS_FILE, text)
    lines = text.splitlines()
    title = next(i for i, line in enumerate(lines, 1) if "default_title:" in line)
    contents = next(i for i, line in enumerate(lines, 1) if "contents:" in line)
    validate = ["validate", str(MINIMAL), "--templates", str(tmp_path)]
    build = ["build", *validate[1:], "--output-dir", str(tmp_path / "out")]
    for arguments in (validate, build):
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code == 1, result.output
        errors = [line for line in result.output.splitlines() if ": error: " in line]
        assert errors == [
            f"{path}:{title}:18: error: en.default_title: control character U+000C is not allowed",
            f"{path}:{contents}:13: error: en.contents: control character U+001B is not allowed",
        ]
        assert "Traceback" not in result.output


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
    [
        "only the document part",
        "styles not XML",
        "styles of the wrong root",
        "no content types",
        "no section",  # used to crash the writer (IndexError), after the check passed it
        "a header part missing",  # used to crash the writer (KeyError) likewise
    ],
)
def test_a_broken_reference_docx_is_a_user_error_naming_it(tmp_path: Path, broken: str) -> None:
    parts = good_reference(tmp_path)
    if broken == "only the document part":
        parts = {"word/document.xml": parts["word/document.xml"]}
    elif broken == "styles not XML":
        parts["word/styles.xml"] = b"<w:styles"
    elif broken == "styles of the wrong root":
        parts["word/styles.xml"] = b"<nothing/>"
    elif broken == "no section":
        body = parts["word/document.xml"]
        parts["word/document.xml"] = re.sub(rb"<w:sectPr\b.*?</w:sectPr>", b"", body, flags=re.S)
        assert b"sectPr" not in parts["word/document.xml"]
    elif broken == "a header part missing":
        body = parts["word/document.xml"]
        reference = rb'(<w:headerReference w:type="first" r:id=")[^"]+'
        parts["word/document.xml"] = re.sub(reference, rb"\1rIdMissing", body)
        assert b"rIdMissing" in parts["word/document.xml"]
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


# --- font files that reportlab reads but another part of the build cannot ---------------


def damaged_face(folder: Path, source: str, table: str, at: int, new: bytes) -> Path:
    """A copy of a shipped face with the bytes at ``at`` in its ``table`` replaced by ``new``."""
    data = bytearray(font_path(source).read_bytes())
    with TTFont(font_path(source), lazy=True) as face:
        offset = face.reader.tables[table].offset + at
    data[offset : offset + len(new)] = new
    path = folder / "fonts" / "House-Regular.ttf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return path


def house_look(folder: Path) -> Path:
    (folder / "fonts" / "House-Bold.ttf").write_bytes(font_path(SANS_BOLD).read_bytes())
    return override(
        folder,
        "look.yaml",
        "font:\n  family: House\n"
        "  files:\n    regular: fonts/House-Regular.ttf\n    bold: fonts/House-Bold.ttf\n",
    )


DAMAGED_TABLES = {
    # HarfBuzz refuses the GSUB table's header; reportlab never reads it.
    "glyph substitutions HarfBuzz cannot read": ("GSUB", 0, b"\xff" * 4, "HarfBuzz"),
    # A name table of no records (its count, at byte 2, made 0): reportlab, finding no
    # name, reads a setting it does not define (AttributeError).
    "a name table of no names": ("name", 2, b"\x00\x00", "names no font"),
}


@pytest.mark.parametrize(
    ("table", "at", "new", "message"), DAMAGED_TABLES.values(), ids=DAMAGED_TABLES.keys()
)
def test_a_font_file_damaged_where_the_pdf_writer_does_not_read_is_an_error_at_its_line(
    tmp_path: Path, table: str, at: int, new: bytes, message: str
) -> None:
    """Such a file used to validate and build the PDF, then crash the HTML build with a
    traceback (HarfBuzz's "Subsetting failed"), or crash validate itself (the name)."""
    templates = tmp_path / "house"
    damaged_face(templates, SANS, table, at, new)
    look = house_look(templates)
    validated = CliRunner().invoke(cli, ["validate", str(MINIMAL), "--templates", str(templates)])
    code, output = run_build(
        MINIMAL, "--templates", templates, "--format", "html", "--output-dir", tmp_path / "out"
    )
    for exit_code, text in ((validated.exit_code, validated.output), (code, output)):
        assert exit_code == 1, text
        first = text.splitlines()[0]
        assert first.startswith(f"{look}:4:14: error: font.files.regular: 'fonts/House-Regular")
        assert message in first and "Traceback" not in text
    assert not (tmp_path / "out").exists()


def test_a_font_whose_outline_fonttools_cannot_pack_is_an_error_naming_it(tmp_path: Path) -> None:
    """One flag byte of the outline of "a" in the italic face changed (0x23 to 0xD2): its
    coordinates run past its data. Reportlab and HarfBuzz take the file; fontTools cannot
    pack the web edition's subset as WOFF2: an error naming the file, not a traceback."""
    templates = tmp_path / "house"
    with TTFont(font_path(SANS_ITALIC)) as face:
        at = face["loca"][face.getGlyphID(face.getBestCmap()[ord("a")])] + 48
        assert font_path(SANS_ITALIC).read_bytes()[face.reader.tables["glyf"].offset + at] == 0x23
    path = damaged_face(templates, SANS_ITALIC, "glyf", at, b"\xd2")
    house_look(templates)
    code, output = run_build(
        MINIMAL, "--templates", templates, "--format", "html", "--output-dir", tmp_path / "out"
    )
    assert code == 1, output
    assert output.startswith(f"{path.resolve()}: error: the web edition cannot embed this font")
    assert "Traceback" not in output


def licensed_face(path: Path, source: str, fs_type: int, *, small: bool = False) -> Path:
    """A copy of a shipped face whose OS/2 table says ``fs_type`` (its embedding licence);
    ``small`` keeps only the glyphs of ASCII, fewer than the 256 reportlab embeds whole
    where a licence forbids a subset."""
    with TTFont(font_path(source)) as font:
        if small:
            subsetter = subset.Subsetter(subset.Options(notdef_outline=True))
            subsetter.populate(unicodes=range(0x20, 0x7F))
            subsetter.subset(font)
            assert len(font.getGlyphOrder()) < 256
        font["OS/2"].fsType = fs_type
        path.parent.mkdir(parents=True, exist_ok=True)
        font.save(path)  # the table's checksum made anew
    return path


LICENCES = {
    "restricted licence embedding": (
        0x0002,
        "its licence does not allow embedding it in a document (fsType 0x0002 in its OS/2"
        " table: restricted)",
    ),
    "bitmap embedding only": (
        0x0200,
        "its licence allows embedding only its bitmaps, and a pack embeds its outlines"
        " (fsType 0x0200 in its OS/2 table: bitmap embedding only)",
    ),
    "no subsetting, editable": (
        0x0108,
        "its licence does not allow embedding a subset of it, and the PDF and the web edition"
        " embed only the characters a pack uses (fsType 0x0108 in its OS/2 table: no"
        " subsetting)",
    ),
}


@pytest.mark.parametrize(("fs_type", "says"), LICENCES.values(), ids=LICENCES.keys())
@pytest.mark.parametrize("small", [True, False], ids=["few glyphs", "many glyphs"])
def test_a_font_whose_licence_forbids_what_a_pack_does_is_refused_naming_it(
    tmp_path: Path, fs_type: int, says: str, small: bool
) -> None:
    """reportlab embedded a font of fewer than 256 glyphs whole, whatever its licence
    said, and refused a larger one with "its licence does not allow embedding it", not
    saying what the licence forbids: now both are refused, in validate and build, at the
    file's line, saying what its licence says; the fallback family's file as the text's."""
    templates = tmp_path / "house"
    licensed_face(templates / "fonts" / "House-Regular.ttf", SANS, fs_type, small=small)
    licensed_face(templates / "fonts" / "Fall.ttf", SANS, fs_type, small=small)
    look = house_look(templates)
    fallback = "  fallback: [{family: Fall, files: {regular: fonts/Fall.ttf}}]\n"
    look.write_text(look.read_text(encoding="utf-8") + fallback, encoding="utf-8")
    validate = ["validate", "-q", str(MINIMAL), "--templates", str(templates)]
    build = ["build", *validate[1:], "--output-dir", str(tmp_path / "out")]
    for arguments in (validate, build, [*build, "--format", "docx"]):
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code == 1, result.output
        assert result.output.splitlines() == [
            f"{look}:4:14: error: font.files.regular: 'fonts/House-Regular.ttf' cannot be"
            f" used: {says}",
            f"{look}:6:46: error: font.fallback[0].files.regular: 'fonts/Fall.ttf' cannot be"
            f" used: {says}",
        ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("fs_type", [0x0000, 0x0004, 0x0008, 0x0006, 0x000A])
def test_a_font_whose_licence_allows_embedding_is_taken(tmp_path: Path, fs_type: int) -> None:
    """Installable, preview and print, editable; where more than one permission is set
    (restricted and preview and print), the least restrictive applies."""
    templates = tmp_path / "house"
    licensed_face(templates / "fonts" / "House-Regular.ttf", SANS, fs_type, small=True)
    house_look(templates)
    result = CliRunner().invoke(cli, ["validate", str(MINIMAL), "--templates", str(templates)])
    assert result.exit_code == 0, result.output


def test_a_font_for_preview_and_print_only_is_a_warning_where_the_docx_carries_it(
    tmp_path: Path,
) -> None:
    """A licence of "preview and print" embedding allows a document opened read-only, and
    Word opens such a DOCX read-only where the font is not installed: the DOCX, made to be
    edited, used to carry it without a word. A warning at the file's line, in validate and
    build, when the DOCX is built and carries the faces (font.embed); --strict refuses it."""
    templates = tmp_path / "house"
    licensed_face(templates / "fonts" / "House-Regular.ttf", SANS, 0x0004)
    look = house_look(templates)
    warning = (
        f"{look}:4:14: warning: font.files.regular: 'fonts/House-Regular.ttf': its licence"
        " allows embedding it only in a document opened read-only (fsType 0x0004 in its"
        " OS/2 table: preview and print), so Word opens a DOCX carrying it read-only wherever"
        " the font is not installed; font.embed: false leaves the faces out of the DOCX"
    )
    validate = ["validate", "-q", str(MINIMAL), "--templates", str(templates)]
    build = ["build", *validate[1:], "--output-dir", str(tmp_path / "out"), "--format", "docx"]
    for arguments in (validate, build):
        result = CliRunner().invoke(cli, arguments, env={"BRIEFGEN_OFFICE": "off"})
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == [warning]
    with zipfile.ZipFile(tmp_path / "out" / "minimal" / "minimal-briefing-pack.docx") as docx:
        assert "embedRegular" in docx.read("word/fontTable.xml").decode()  # as the warning says
    strict = CliRunner().invoke(cli, [*validate, "--strict"])
    assert strict.exit_code == 1 and strict.output.splitlines() == [
        warning.replace(": warning: ", ": error: ")
    ]
    pdf = CliRunner().invoke(cli, [*validate, "--format", "pdf,html"])
    assert pdf.exit_code == 0 and "warning" not in pdf.output  # read-only documents
    look.write_text(look.read_text(encoding="utf-8") + "  embed: false\n", encoding="utf-8")
    assert CliRunner().invoke(cli, validate).output == ""


def test_validate_refuses_the_broken_reference_docx_that_build_refuses(tmp_path: Path) -> None:
    """Validate with the build's templates used to accept a reference.docx whose main part
    is not a document, and the DOCX build then refused it: both refuse it now, naming it,
    and a build or validate of formats that do not read it goes on."""
    parts = good_reference(tmp_path)
    parts["word/document.xml"] = b'<?xml version="1.0"?><x/>'
    templates = tmp_path / "templates"
    templates.mkdir()
    reference = write_docx(templates / "reference.docx", parts)
    expected = f"{reference}: error: not a usable Word document: its main part is not a document"
    validate = ["validate", str(MINIMAL), "--templates", str(templates)]
    build = [*validate, "--output-dir", str(tmp_path / "out")]
    build[0] = "build"
    for arguments in (validate, build):
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code == 1, result.output
        assert result.output.startswith(expected), result.output
    assert CliRunner().invoke(cli, [*validate, "--format", "pdf,html"]).exit_code == 0


# --- text in look.yaml ----------------------------------------------------------------------

ESCAPED_IN_LOOK = {
    "a NUL in a bullet": ('lists:\n  bullets: ["\\x00"]\n', "2:13", "lists.bullets[0]"),
    "an escape in the family": (
        'font:\n  family: "A\\x1bB"\n  files: {regular: r.ttf, bold: r.ttf}\n',
        "2:11",
        "font.family",
    ),
    "a line break in a fallback's name": (
        'font:\n  fallback: [{family: "A\\nB", files: {regular: r.ttf}}]\n',
        "2:23",
        "font.fallback[0].family",
    ),
}


@pytest.mark.parametrize(
    ("look", "place", "field"), ESCAPED_IN_LOOK.values(), ids=ESCAPED_IN_LOOK.keys()
)
def test_a_control_character_escaped_in_look_yaml_is_an_error_at_its_value(
    tmp_path: Path, look: str, place: str, field: str
) -> None:
    """The raw bytes are checked, but a YAML escape ("\\x00") used to reach the model,
    pass validate, and crash the DOCX build in lxml (an internal error, a traceback)."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "r.ttf").write_bytes(font_path(SANS).read_bytes())
    path = override(templates, "look.yaml", look)
    validate = ["validate", str(MINIMAL), "--templates", str(templates)]
    build = ["build", *validate[1:], "--output-dir", str(tmp_path / "out")]
    for arguments in (validate, build):
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"{path}:{place}: error: {field}: "), result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize("section", ["font", "colours", "page", "text", "lists", "pdf"])
@pytest.mark.parametrize("value", ["360", "[a, b]", "x"])
def test_a_look_section_that_is_no_mapping_is_an_error_at_its_line(
    tmp_path: Path, section: str, value: str
) -> None:
    """``colours: 360`` used to crash validate and build (the palette read it as a
    mapping: an AttributeError, a traceback) before the model could refuse it."""
    path = override(tmp_path, "look.yaml", f"{section}: {value}\n")
    result = CliRunner().invoke(cli, ["validate", str(MINIMAL), "--templates", str(tmp_path)])
    assert result.exit_code == 1, result.output
    column = len(section) + 3
    assert result.output.startswith(f"{path}:1:{column}: error: {section}: expected a")
    assert "Traceback" not in result.output


# --- the wording of look.yaml's and labels.yaml's errors ----------------------------------

LOOK_MISTAKES = {
    "a size past its bound": (
        "text:\n  body: {size: 200}\n",
        "2:16: error: text.body.size: '200' is too large: at most 144 pt",
    ),
    "a size in inches past its bound": (
        "text:\n  body: {size: 3in}\n",
        "2:16: error: text.body.size: '3in' (216 pt) is too large: at most 144 pt (2in)",
    ),
    "a spacing in centimetres past its bound": (  # 2.54cm is 72 pt
        "text:\n  body: {space-after: 2.6cm}\n",
        "2:23: error: text.body.space-after: '2.6cm' (73.7 pt) is too large:"
        " at most 72 pt (2.54cm)",
    ),
    "a length in millimetres just past its bound": (  # 72.003 pt: not "(72 pt)"
        "lists:\n  indent: 25.401mm\n",
        "2:11: error: lists.indent: '25.401mm' (72.003 pt) is too large: at most 72 pt (25.4mm)",
    ),
    "a length in inches past its bound, rounded down": (  # 27.78in would be 2000.16 pt
        "cover:\n  band-height: 28in\n",
        "2:16: error: cover.band-height: '28in' (2016 pt) is too large: at most 2000 pt (27.77in)",
    ),
    "margins in inches leaving too little text width": (
        "page:\n  margins: {left: 4in, right: 3.5in}\n",
        "2:3: error: page: the left and right margins (4in and 3.5in) leave 55.28 pt (0.77in)"
        " of text width on A4 paper: at least 144 pt (2in)",
    ),
    "margins leaving no text height": (
        "page:\n  margins: {top: 1in, bottom: 11in}\n",
        "2:3: error: page: the top and bottom margins (1in and 11in) leave no text height on A4"
        " paper: at least 144 pt (2in)",
    ),
    "a logo box in inches larger than the text area": (
        "page:\n  logo: [7in, 3in]\n",
        "2:3: error: page: the logo box (7in x 3in: 504 x 216 pt) is larger than the text"
        " area of a page: at most 459.21 x 650.26 pt (6.37in x 9.03in)",
    ),
    "a size of nothing": (
        "text:\n  body: {leading: 0}\n",
        "2:19: error: text.body.leading: '0' is too small: more than 0 pt",
    ),
    "a negative margin": (
        "page:\n  margins: {left: -1cm}\n",
        "2:19: error: page.margins.left: '-1cm' (-28.35 pt) is too small: at least 0 pt (0cm)",
    ),
    "a unit briefgen does not know": (
        "text:\n  body: {size: 12px}\n",
        "2:16: error: text.body.size: '12px' is not a length (a number, or with pt, cm, mm or in)",
    ),
    "a length that is a list": (
        "tables:\n  padding: [1, 2]\n",
        "2:12: error: tables.padding: expected a number (pt), got a list",
    ),
    "a boolean": (
        "text:\n  body: {bold: maybe}\n",
        "2:16: error: text.body.bold: expected true or false, got 'maybe'",
    ),
    "a boolean as YAML 1.1 writes it": (  # it used to be read as true
        "text:\n  body: {bold: yes}\n",
        "2:16: error: text.body.bold: expected true or false, got 'yes' (did you mean true?)",
    ),
    "a boolean as YAML 1.1 writes it, capitalised": (  # it used to be read as false
        "font:\n  embed: Off\n",
        "2:10: error: font.embed: expected true or false, got 'Off' (did you mean false?)",
    ),
    "a boolean as a number": (  # it used to be read as true
        "text:\n  body: {hyphenate: 1}\n",
        "2:21: error: text.body.hyphenate: expected true or false, got '1'",
    ),
    "an angle past its bound": (
        "draft-mark:\n  angle: 100\n",
        "2:10: error: draft-mark.angle: '100' is too large: at most 90 degrees",
    ),
    "an angle with a unit": (
        "draft-mark:\n  angle: 45deg\n",
        "2:10: error: draft-mark.angle: expected a number (degrees), got '45deg'",
    ),
    "a share past the whole": (
        "draft-mark:\n  span: 2\n",
        "2:9: error: draft-mark.span: '2' is too large: at most 1",
    ),
    "a depth that is no whole number": (
        "contents:\n  depth: 2.5\n",
        "2:10: error: contents.depth: expected a whole number, got '2.5'",
    ),
    "a depth past its bound": (
        "contents:\n  depth: 5\n",
        "2:10: error: contents.depth: '5' is too large: at most 3",
    ),
    "a misspelt key": (
        "text:\n  body: {sise: 9}\n",
        "2:10: error: text.body.sise: unknown key 'sise' (did you mean 'size'?)",
    ),
    "a key in the wrong case": (
        "page:\n  sizes: {a4: [595, 842]}\n",
        "2:11: error: page.sizes.a4: unknown key 'a4' (did you mean 'A4'?)",
    ),
    "a pair lacking its height": (
        "page:\n  sizes: {A4: [595]}\n",
        "2:15: error: page.sizes.A4: expected 2 entries, got 1",
    ),
    "a pair of three": (
        "page:\n  logo: [100, 100, 100]\n",
        "2:9: error: page.logo: has 3 entries; at most 2",
    ),
    "too many fallback families": (
        "font:\n  fallback: [" + ", ".join(["{family: F, files: {regular: r.ttf}}"] * 9) + "]\n",
        "2:13: error: font.fallback: has 9 entries; at most 8",
    ),
    "a standard briefgen does not know": (
        "pdf:\n  standard: [ua-2]\n",
        "2:14: error: pdf.standard[0]: 'ua-2' is not one of: ua-1, a-2u (did you mean 'ua-1'?)",
    ),
    "an unquoted colour": (
        "colours:\n  accent: #7A1F3D\n",
        '2:10: error: colours.accent: no colour: write it in quotes, "#RRGGBB"'
        " (unquoted, # starts a comment)",
    ),
    "a colour without its #": (
        "colours:\n  accent: '7A1F3D'\n",
        "2:11: error: colours.accent: '7A1F3D' is not a colour: #RRGGBB, or a name under"
        " 'colours' (accent, accent-tint, rule, ink, muted, on-accent, link, draft)"
        " (did you mean '#7A1F3D'?)",
    ),
    "a misspelt colour name": (
        "lists:\n  colour: acent\n",
        "2:11: error: lists.colour: 'acent' is not a colour: #RRGGBB, or a name under"
        " 'colours' (accent, accent-tint, rule, ink, muted, on-accent, link, draft)"
        " (did you mean 'accent'?)",
    ),
    "colours naming each other": (
        "colours:\n  accent: link\n",
        "2:11: error: colours.accent: 'link' leads in a circle through the names under 'colours'",
    ),
    "a font file that is not there": (
        "font:\n  family: House\n  files: {regular: r.ttf, bold: fonts/B.ttf}\n",
        "3:33: error: font.files.bold: 'fonts/B.ttf' not found (paths are relative to the"
        " look.yaml)",
    ),
    "a font file that is a folder": (
        "font:\n  family: House\n  files: {regular: r.ttf, bold: sub}\n",
        "3:33: error: font.files.bold: 'sub' is a folder; name a TrueType file (.ttf)",
    ),
    "a font file that is a FIFO": (  # it used to be read, waiting for a writer for ever
        "font:\n  family: House\n  files: {regular: r.ttf, bold: fifo.ttf}\n",
        "3:33: error: font.files.bold: 'fifo.ttf' is a FIFO (named pipe); name a TrueType"
        " file (.ttf)",
    ),
    "a font file of no name": (
        "font:\n  family: House\n  files:\n    regular: r.ttf\n    bold:\n",
        "5:10: error: font.files.bold: expected the name of a file, got nothing",
    ),
    "a font file cut short": (
        "font:\n  fallback: [{family: F, files: {regular: cut.ttf}}]\n",
        "2:43: error: font.fallback[0].files.regular: 'cut.ttf' cannot be used: the file is"
        " damaged: its tables run past its end (a file cut short?)",
    ),
    "a font file without its character map": (
        "font:\n  fallback: [{family: F, files: {regular: no-cmap.ttf}}]\n",
        "2:43: error: font.fallback[0].files.regular: 'no-cmap.ttf' cannot be used: the file"
        " is damaged: it has no 'cmap' table",
    ),
}


def look_folder(folder: Path, look: str) -> Path:
    """A templates folder holding ``look`` and the font files its cases name: ``r.ttf``,
    one cut short, one whose character map is renamed, a folder ``sub`` and a FIFO."""
    folder.mkdir()
    (folder / "sub").mkdir()
    os.mkfifo(folder / "fifo.ttf")
    face = font_path(SANS).read_bytes()
    (folder / "r.ttf").write_bytes(face)
    (folder / "cut.ttf").write_bytes(face[:3000])
    entry = face.index(b"cmap", 12)  # the tag of its record in the table directory
    (folder / "no-cmap.ttf").write_bytes(face[:entry] + b"zzzz" + face[entry + 4 :])
    return override(folder, "look.yaml", look)


@pytest.mark.parametrize(("look", "expected"), LOOK_MISTAKES.values(), ids=LOOK_MISTAKES.keys())
def test_a_mistake_in_look_yaml_says_what_is_wrong_and_what_is_allowed(
    tmp_path: Path, look: str, expected: str
) -> None:
    """Bounds, booleans, numbers, lists of a fixed length and files used to be reported
    in pydantic's words ("Input should be less than or equal to 144", "Input should be a
    valid boolean", "required key '1' is missing", "cannot read the font file", "the file
    is damaged (error)"): the same in validate and build, and nothing else."""
    templates = tmp_path / "templates"
    path = look_folder(templates, look)
    validate = ["validate", str(MINIMAL), "--templates", str(templates)]
    build = ["build", *validate[1:], "--output-dir", str(tmp_path / "out")]
    for arguments in (validate, build):
        result = CliRunner().invoke(cli, [*arguments, "-q"])
        assert result.exit_code == 1, result.output
        assert result.output.splitlines() == [f"{path}:{expected}"]
    assert not (tmp_path / "out").exists()


def test_every_mistake_in_look_yaml_is_reported_at_once(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    path = look_folder(
        templates,
        "text:\n  body: {size: 200, bold: maybe, italic: on}\ndraft-mark:\n  angle: 45deg\n"
        "colours:\n  acent: '#000000'\nlists:\n  indent: 1.1in\n",
    )
    result = CliRunner().invoke(
        cli, ["validate", "-q", str(MINIMAL), "--templates", str(templates)]
    )
    assert result.output.splitlines() == [
        f"{path}:2:16: error: text.body.size: '200' is too large: at most 144 pt",
        f"{path}:2:27: error: text.body.bold: expected true or false, got 'maybe'",
        f"{path}:2:42: error: text.body.italic: expected true or false, got 'on'"
        " (did you mean true?)",
        f"{path}:4:10: error: draft-mark.angle: expected a number (degrees), got '45deg'",
        f"{path}:6:3: error: colours.acent: unknown key 'acent' (did you mean 'accent'?)",
        f"{path}:8:11: error: lists.indent: '1.1in' (79.2 pt) is too large: at most 72 pt (1in)",
    ]


def test_a_misspelt_language_in_labels_yaml_is_an_error_a_label_of_ones_own_is_not(
    tmp_path: Path,
) -> None:
    """``fe:`` would leave the built-in French labels in place unseen; a label name far
    from every built-in one is the folder's own, for its own templates."""
    text = "fe:\n  contents: Sommaire\nen:\n  my_footer_note: Printed on recycled paper\n"
    path = override(tmp_path, LABELS_FILE, text)
    result = CliRunner().invoke(cli, ["validate", "-q", str(MINIMAL), "--templates", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"{path}:1:1: error: fe: unknown language 'fe'; labels are given for ar, en, es, fr, ru, zh"
    ]
    path.write_text(text.replace("fe:", "fr:"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "-q", str(MINIMAL), "--templates", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_every_mistake_in_labels_yaml_is_reported_at_once_at_its_line(tmp_path: Path) -> None:
    """A labels.yaml stopped at its first mistake, a label of the wrong kind "cannot read
    label 'contents': expected text"; validate without the PDF did not read it, and
    passed what build refused. A label left out is the built-in one, no mistake."""
    text = builtin(LABELS_FILE)
    text = text.replace("  page_label:", "  page_lable:", 1)
    text = text.replace("  contents: Contents\n", "  contents: [Contents]\n", 1)
    text = re.sub(r"\n  on_behalf_of: [^\n]*", "", text, count=1)
    text = re.sub(r"(\n  annex_letters:)[^\n]*", r'\1 "A B"', text, count=1)
    path = override(tmp_path, LABELS_FILE, text)
    lines = text.splitlines()
    contents = next(i for i, line in enumerate(lines, 1) if "contents: [" in line)
    letters = next(i for i, line in enumerate(lines, 1) if "annex_letters:" in line)
    page = next(i for i, line in enumerate(lines, 1) if "page_lable:" in line)
    validate = ["validate", "-q", str(MINIMAL), "--templates", str(tmp_path)]
    build = ["build", *validate[1:], "--output-dir", str(tmp_path / "out")]
    without_pdf = [*validate, "--format", "docx,html"]  # it used to read no labels: "ok"
    for arguments in (validate, build, without_pdf):
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code == 1, result.output
        assert result.output.splitlines() == [
            f"{path}:{contents}:13: error: en.contents: expected text, got a list",
            f"{path}:{letters}:18: error: en.annex_letters: give each of the 3 annexes its"
            " letter, separated by spaces: 'A B C'",
            f"{path}:{page}:3: error: en.page_lable: unknown label 'page_lable' (did you mean"
            " 'page_label'?)",
        ]
