"""Issue 19, the input's part: validation guarantees the build, positions are editors',
"did you mean" stays near-linear, and nothing briefgen prints can attack the terminal.
"""

from __future__ import annotations

import difflib
import os
import struct
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from briefgen.cli.main import cli
from briefgen.input import rules
from briefgen.input.diagnostics import Diagnostic, UserError, printable
from briefgen.input.load import load_session
from briefgen.look import default_look
from tests.conftest import CASES, WriteInput
from tests.test_properties import dump, input_file, sessions

MINIMAL = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
SUMMARY_LINE = 14  # the line of "    summary: |", added after MINIMAL


def with_summary(markdown: str) -> str:
    return (
        MINIMAL + "    summary: |\n" + "".join(f"      {line}\n" for line in markdown.split("\n"))
    )


def errors(path: Path) -> list[str]:
    with pytest.raises(UserError) as raised:
        load_session(path)
    return [str(d) for d in raised.value.diagnostics]


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*map(str, args)])
    return result.exit_code, result.stdout + result.stderr


# --- Markdown nesting ---------------------------------------------------------------------

DEEP = {
    "nested emphasis": "*a " * 240 + "x" + " a*" * 240,
    "nested strong": "**a " * 240 + "x" + " a**" * 240,
    "alternating emphasis": "*a _a " * 120 + "x" + " a_ a*" * 120,
    "open brackets": "[" * 330 + "x",
    "nested links": "[a " * 330 + "x" + "](https://example.org)" * 330,
}


@pytest.mark.parametrize("markdown", DEEP.values(), ids=DEEP.keys())
def test_markdown_nested_past_the_limit_is_refused_at_validation(
    write_input: WriteInput, markdown: str
) -> None:
    path = write_input(with_summary(markdown))
    assert errors(path) == [
        f"{path}:{SUMMARY_LINE}:14: error: plenaries[0].summary: emphasis and link brackets"
        f" nest more than {rules.MAX_INLINE_NESTING} deep"
    ]


@pytest.mark.parametrize(
    "markdown",
    [
        "*a " * 32 + "x" + " a*" * 32,
        "[" * 32 + "x" + "]" * 32,
        "**bold** and *italic* " * 500,  # many, side by side, not nested
        "[a](https://example.org) " * 500,
        "\\[" * 400 + "x",  # escaped: no brackets at all
        "2 * 3 * 4 " * 200,  # arithmetic, not emphasis
    ],
    ids=[
        "emphasis at the limit",
        "brackets at the limit",
        "side by side",
        "links",
        "escaped",
        "sums",
    ],
)
def test_markdown_within_the_limit_validates_and_builds(tmp_path: Path, markdown: str) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(with_summary(markdown), encoding="utf-8")
    load_session(path)
    code, output = run("build", path, "--output-dir", tmp_path / "out", "--format", "pdf,docx")
    assert code == 0, output


# --- logos -------------------------------------------------------------------------------


def with_logo(tmp_path: Path, image: Image.Image, name: str, **save: Any) -> Path:
    image.save(tmp_path / name, **save)
    path = tmp_path / "in.yaml"
    path.write_text(MINIMAL.replace("session:\n", f"pack:\n  logo: {name}\nsession:\n", 1))
    return path


def test_a_cmyk_jpeg_logo_is_refused_at_validation(tmp_path: Path) -> None:
    path = with_logo(tmp_path, Image.new("CMYK", (40, 30)), "logo.jpg")
    assert errors(path) == [
        f"{path}:3:9: error: pack.logo: 'logo.jpg' is a CMYK JPEG;"
        " save it as RGB (or greyscale) for the screen"
    ]


def test_a_jpeg_without_jfif_header_is_refused(tmp_path: Path) -> None:
    image = tmp_path / "logo.jpg"
    Image.new("RGB", (40, 30)).save(image)
    data = image.read_bytes()
    assert data[6:10] == b"JFIF"
    segment = int.from_bytes(data[4:6], "big")
    image.write_bytes(data[:2] + data[4 + segment :])  # the APP0 segment removed
    path = tmp_path / "in.yaml"
    path.write_text(MINIMAL.replace("session:\n", "pack:\n  logo: logo.jpg\nsession:\n", 1))
    assert "without a JFIF or Exif header" in errors(path)[0]


def test_a_logo_of_too_many_pixels_is_refused_without_a_warning(
    tmp_path: Path, recwarn: pytest.WarningsRecorder
) -> None:
    # 12,000 x 12,000 (144 megapixels) compresses to a few hundred kilobytes.
    path = with_logo(tmp_path, Image.new("1", (12_000, 12_000)), "logo.png")
    assert errors(path) == [
        f"{path}:3:9: error: pack.logo: 'logo.png' has 12000 x 12000 pixels; a logo may have"
        f" at most {rules.MAX_LOGO_PIXELS:,} (4000 x 4000): scale it down"
    ]
    assert not [w for w in recwarn if issubclass(w.category, Image.DecompressionBombWarning)]


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
def test_a_png_logo_of_any_mode_builds_both_formats(tmp_path: Path, mode: str) -> None:
    path = with_logo(tmp_path, Image.new(mode, (40, 30)), "logo.png")
    code, output = run("build", path, "--output-dir", tmp_path / "out", "--format", "pdf,docx")
    assert code == 0, output


RESOLUTIONS = {
    "a dot a metre, zero dpi once rounded": (0.02, 0.02),
    "not the same across and down": (72, 144),
}


@pytest.mark.parametrize("dpi", RESOLUTIONS.values(), ids=RESOLUTIONS.keys())
def test_a_logo_is_as_wide_as_its_pixels_say_whatever_its_resolution(
    tmp_path: Path, dpi: tuple[float, float]
) -> None:
    """The resolution a PNG records is not how the pack draws it: the PDF and the HTML
    scale the pixels into the logo box, and so does the DOCX."""
    path = with_logo(tmp_path, Image.new("RGB", (40, 30), "green"), "logo.png", dpi=dpi)
    code, output = run("build", path, "--output-dir", tmp_path / "out", "--format", "pdf,docx")
    assert code == 0, output
    pack = tmp_path / "out" / "minimal"
    (shape,) = docx.Document(str(pack / "minimal-briefing-pack.docx")).inline_shapes
    largest_width, largest_height = default_look().page.logo
    scale = min(largest_width / 40, largest_height / 30)
    assert (shape.width.pt, shape.height.pt) == pytest.approx((40 * scale, 30 * scale))


def _png(pixel_data: bytes) -> bytes:
    """A 40 x 30 RGB PNG whose compressed pixels are ``pixel_data``, every checksum right."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    header = struct.pack(">IIBBBBB", 40, 30, 8, 2, 0, 0, 0)
    chunks = ((b"IHDR", header), (b"IDAT", pixel_data), (b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunk(kind, data) for kind, data in chunks)


def _half_a_jpeg(folder: Path) -> bytes:
    Image.new("RGB", (40, 30), "green").save(folder / "whole.jpg", progressive=True)
    data = (folder / "whole.jpg").read_bytes()
    return data[: len(data) // 2]


_ROWS = b"".join(b"\0" + b"\x80" * 120 for _ in range(30))  # 30 rows of 40 grey pixels
DAMAGED: dict[str, tuple[str, Callable[[Path], bytes]]] = {
    "png-pixels-not-zlib": ("logo.png", lambda folder: _png(b"not zlib data" * 10)),
    "png-pixels-cut-short": ("logo.png", lambda folder: _png(zlib.compress(_ROWS[:1000]))),
    "jpeg-cut-in-half": ("logo.jpg", _half_a_jpeg),
}


@pytest.mark.parametrize(("name", "make"), DAMAGED.values(), ids=DAMAGED.keys())
def test_a_logo_whose_pixels_cannot_be_decoded_is_refused_at_validation(
    tmp_path: Path, name: str, make: Callable[[Path], bytes]
) -> None:
    """Its header and checksums are right: once validate accepted it, and the PDF writer
    then failed with a traceback (a PNG) or printed half a picture (a JPEG)."""
    (tmp_path / name).write_bytes(make(tmp_path))
    path = tmp_path / "in.yaml"
    path.write_text(MINIMAL.replace("session:\n", f"pack:\n  logo: {name}\nsession:\n", 1))
    [error] = errors(path)
    assert error.startswith(f"{path}:3:9: error: pack.logo: '{name}' is a damaged image: ")
    code, output = run("build", path, "--output-dir", tmp_path / "out", "--format", "pdf,docx")
    assert code == 1 and "Traceback" not in output and not (tmp_path / "out").exists()


def _logo_input(tmp_path: Path, name: str) -> Path:
    path = tmp_path / "in.yaml"
    path.write_text(MINIMAL.replace("session:\n", f"pack:\n  logo: {name}\nsession:\n", 1))
    return path


def _turned_jpeg(folder: Path, orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.new("RGB", (40, 30), "green").save(folder / "logo.jpg", exif=exif)


def test_a_logo_stored_turned_is_refused_and_an_upright_one_taken(tmp_path: Path) -> None:
    """A phone's photograph is stored on its side with an Exif orientation: a browser turns
    it (the HTML), the PDF draws it as stored; refused, rather than printed two ways."""
    path = _logo_input(tmp_path, "logo.jpg")
    _turned_jpeg(tmp_path, 6)  # turned 90 degrees clockwise to show
    [error] = errors(path)
    assert error.startswith(f"{path}:3:9: error: pack.logo: 'logo.jpg' is stored turned")
    assert error.endswith("save it upright")
    _turned_jpeg(tmp_path, 1)  # upright, said in so many words
    assert load_session(path).logo_path == tmp_path / "logo.jpg"


def test_a_logo_file_of_more_than_16_mib_is_refused(tmp_path: Path) -> None:
    """A small picture carrying megabytes of other data: the HTML edition, which holds the
    file itself, would weigh as much."""
    picture = _png(zlib.compress(_ROWS))
    extra = b"x" * rules.MAX_LOGO_BYTES
    chunk = (
        struct.pack(">I", len(extra))
        + b"tEXt"
        + extra
        + struct.pack(">I", zlib.crc32(b"tEXt" + extra))
    )
    (tmp_path / "logo.png").write_bytes(picture[:-12] + chunk + picture[-12:])
    path = _logo_input(tmp_path, "logo.png")
    [error] = errors(path)
    assert error.startswith(f"{path}:3:9: error: pack.logo: 'logo.png' is a file of ")
    assert f"at most {rules.MAX_LOGO_BYTES:,}" in error


# --- "did you mean" -------------------------------------------------------------------------


def test_did_you_mean_among_many_stays_near_linear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = 2_000
    organizations = "".join(
        f"  - id: organisation-number-{i}\n    name: Org {i}\n" for i in range(count)
    )
    statements = "".join(
        f"      - id: s{i}\n        title: T\n        by: organisation-numbr-{i}\n"
        for i in range(count)
    )
    text = MINIMAL.replace("organizations:\n  - id: ngo\n    name: Example NGO\n", "")
    text = text.replace("session:\n", f"organizations:\n{organizations}session:\n", 1)
    path = tmp_path / "many.yaml"
    path.write_text(text + "    statements:\n" + statements, encoding="utf-8")
    compared = 0
    real_ratio = difflib.SequenceMatcher.ratio

    def ratio(self: difflib.SequenceMatcher[str]) -> float:
        nonlocal compared
        compared += 1
        return real_ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", ratio)
    found = errors(path)
    assert len(found) == count
    assert found[-1].endswith(
        f"unknown organization 'organisation-numbr-{count - 1}'"
        f" (did you mean 'organisation-number-{count - 1}'?)"
    )
    # Quadratic would be 4,000,000 comparisons; a handful per reference is near-linear.
    assert compared <= 10 * count


def test_did_you_mean_among_few_finds_what_difflib_finds(write_input: WriteInput) -> None:
    text = MINIMAL.replace("  - id: ngo\n", "  - id: greenpeace\n") + (
        "    statements:\n      - id: s1\n        title: T\n        by: grenpece\n"
    )
    assert "(did you mean 'greenpeace'?)" in errors(write_input(text))[0]


# --- positions and characters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("character", "message"),
    [
        ("\x00", "control character U+0000 is not allowed (\\x00)"),
        ("\x7f", "control character U+007F is not allowed (\\x7f)"),
        ("\x1b", "control character U+001B is not allowed (\\x1b)"),
        ("\x9b", "control character U+009B is not allowed (\\x9b)"),
        ("\x85", "line separator U+0085 is not allowed: editors do not break lines there"),
        ("\u2028", "line separator U+2028 is not allowed: editors do not break lines there"),
        ("\u2029", "line separator U+2029 is not allowed: editors do not break lines there"),
        ("\u202e", "bidirectional control U+202E is not allowed"),
        ("\u2066", "bidirectional control U+2066 is not allowed"),
    ],
)
def test_a_raw_refused_character_is_reported_where_an_editor_shows_it(
    write_input: WriteInput, character: str, message: str
) -> None:
    # In a comment before it, and in a value: both at their line and column.
    text = MINIMAL.replace(
        "  name: Minimal", f"  # caf\u00e9 {character}\n  name: Min{character}imal"
    )
    path = write_input(text)
    found = errors(path)
    assert found[0].startswith(f"{path}:4:10: error: {message}")
    assert found[1].startswith(f"{path}:5:12: error: {message}")


def test_positions_after_a_crlf_file_are_editor_positions(write_input: WriteInput) -> None:
    text = MINIMAL.replace("  name: Minimal", "  name: Min\x00imal").replace("\n", "\r\n")
    path = write_input(text.encode("utf-8"))
    assert errors(path)[0].startswith(f"{path}:4:12: error: control character U+0000")


def test_a_later_error_is_on_its_editor_line(write_input: WriteInput) -> None:
    # Without the check, libyaml would count the U+2028 as a line break: the unknown key
    # would be reported a line below where editors show it.
    text = MINIMAL.replace("  name: Minimal", "  name: Min\u2028imal")
    path = write_input(text)
    assert errors(path) == [
        f"{path}:4:12: error: line separator U+2028 is not allowed:"
        " editors do not break lines there"
    ]


def test_an_escaped_bidi_override_is_refused_at_its_value(write_input: WriteInput) -> None:
    text = MINIMAL.replace("    name: Example NGO", '    name: "Example \\u202eNGO"')
    path = write_input(text)
    assert errors(path) == [
        f"{path}:9:11: error: organizations[0].name: bidirectional control U+202E is not"
        " allowed: it reorders the text around it; write the text in its reading order"
    ]


def test_a_non_utf8_byte_is_placed_in_characters_not_bytes(write_input: WriteInput) -> None:
    text = MINIMAL.replace("  name: Minimal", "  name: \u00e9t\u00e9 \xff").encode("utf-8")
    text = text.replace("\u00ff".encode(), b"\xff")
    path = write_input(text)
    assert errors(path) == [f"{path}:4:13: error: not UTF-8 text: byte 0xff cannot be decoded"]


# --- what briefgen prints -------------------------------------------------------------------


def test_printable_escapes_controls_line_breaks_and_bidi() -> None:
    assert (
        printable("a\x1b]0;title\x07b\nc\r\u202ed\u2028")
        == "a\\x1b]0;title\\x07b\\nc\\r\\u202ed\\u2028"
    )
    assert printable("caf\u00e9 \u0627\u0644 \U0001f389") == "caf\u00e9 \u0627\u0644 \U0001f389"


def test_a_key_with_escape_sequences_and_newlines_is_printed_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    path = tmp_path / "in.yaml"
    key = '"bad\\e[2J\\e]0;pwned\\a\\n::error file=x::forged\\n::stop-commands::t"'
    path.write_text(
        MINIMAL.replace("    name: Example NGO", f"    name: Example NGO\n    {key}: 1")
    )
    code, output = run("validate", path)
    assert code == 1
    assert "\x1b[2J" not in output and "\x1b]0" not in output and "\x07" not in output
    lines = output.splitlines()
    assert not [line for line in lines if line.startswith(("::error file=x", "::stop-commands"))]
    assert any("bad\\x1b[2J" in line for line in lines)
    annotations = [line for line in lines if line.startswith("::error ")]
    assert len(annotations) == 1 and "%0A" not in annotations[0]


def test_a_file_name_with_a_line_break_and_an_escape_is_printed_escaped(tmp_path: Path) -> None:
    """A folder search finds files whose names nobody typed (a clone of someone's
    repository): a name's line break would forge a line, its escape act on the terminal."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = "ok\n::error file=x::forged \x1b]0;pwned\x07.yaml"
    (folder / name).write_text(MINIMAL, encoding="utf-8")
    shown = f"{folder}/ok\\n::error file=x::forged \\x1b]0;pwned\\x07.yaml"
    validated = CliRunner().invoke(cli, ["validate", str(folder)], color=True)
    assert (validated.exit_code, validated.stdout) == (
        0,
        f"{shown}: ok: 1 plenary, 0 statements, 0 key messages\n",
    )
    argv = ["build", "-v", str(folder), "--output-dir", str(tmp_path / "out"), "--format", "html"]
    built = CliRunner().invoke(cli, argv, color=True)
    assert built.exit_code == 0, built.output
    stages = built.stderr.splitlines()
    assert stages and all(line.startswith(f"{shown}: ") for line in stages), stages
    assert "\x07" not in built.output


def test_a_message_quoting_a_value_of_a_megabyte_keeps_its_place_and_its_reason(
    tmp_path: Path,
) -> None:
    """Once printed whole: a line of a megabyte on the terminal and in the CI log."""
    path = tmp_path / "in.yaml"
    url = "https://example.org/" + "a" * 1_000_000 + " b"
    path.write_text(
        MINIMAL.replace("    name: Example NGO", f"    name: Example NGO\n    url: {url}")
    )
    [error] = errors(path)
    assert len(error) <= len(f"{path}:10:10: error: ") + 1000
    assert error.startswith(f"{path}:10:10: error: organizations[0].url: 'https://example.org/aaa")
    assert error.endswith(
        "aaa b' is not a web address: it cannot hold spaces: write each space as %20"
    )
    code, output = run("validate", "-q", path)
    assert code == 1 and output == error + "\n"


def test_a_diagnostic_and_its_annotation_are_one_line_each() -> None:
    diagnostic = Diagnostic("in\n.yaml", 3, 4, "a\x1bb", "unknown key 'x\ny'")
    assert "\n" not in str(diagnostic) and "\x1b" not in str(diagnostic)
    assert "\n" not in diagnostic.github_annotation()


# --- validate ok => build ok ---------------------------------------------------------------

PATHOLOGICAL = st.one_of(
    st.builds(
        lambda n, o, c: o * n + "x" + c * n,
        st.integers(1, 60),
        *[
            st.sampled_from(
                [
                    "*a ",
                    "**a ",
                    "_a ",
                    "[",
                    "[a ",
                    "~~a ",
                    "*[",
                    "> ",
                    "- ",
                    "1. ",
                    "`",
                    "<",
                    "&",
                    "\\",
                ]
            )
        ]
        * 2,
    ),
    st.text(alphabet=list("*_[]()~`<>&!#\\- \n:|x\u202e\u200f\u0627"), min_size=1, max_size=200),
)


@st.composite
def sessions_with_pathological_markdown(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(sessions())
    for plenary in data["plenaries"]:
        if draw(st.booleans()):
            plenary["summary"] = draw(PATHOLOGICAL)
        for statement in plenary.get("statements", []):
            if draw(st.booleans()):
                statement["text"] = draw(PATHOLOGICAL)
    return data


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions_with_pathological_markdown())
def test_what_validates_builds_as_pdf_and_docx(data: dict[str, Any]) -> None:
    """Whatever ``validate`` accepts, ``build`` renders: no traceback, no RecursionError."""
    from briefgen.build.pack import BuildOptions, build_pack

    assert os.environ.get("BRIEFGEN_OFFICE") == "off"
    with input_file(dump(data)) as path, tempfile.TemporaryDirectory() as output:
        try:
            load_session(path)
        except UserError:
            return  # refused with its positions: the other half of the promise
        options = BuildOptions(
            formats=("pdf", "docx"), output_dir=Path(output), parallel_formats=False
        )
        result = build_pack(path, options)
        assert {artifact.path.suffix for artifact in result.artifacts} == {".pdf", ".docx"}


# --- characters of a later Unicode version than Python's -----------------------------------

NEWER_THAN_PYTHON = "\U0001fae8\U0001fa77"  # 🫨 🩷, emoji of Unicode 15


def test_emoji_newer_than_pythons_unicode_data_build_in_right_to_left_text(
    write_input: WriteInput, tmp_path: Path
) -> None:
    """Python's Unicode data knows no bidi class for them (""); the PDF's bidi algorithm
    once failed on it with a KeyError, after ``validate`` had accepted the file."""
    import unicodedata

    from pypdf import PdfReader

    from briefgen.build.pack import BuildOptions, build_pack
    from briefgen.writers.pdf.uba import embedding_levels

    assert {unicodedata.bidirectional(char) for char in NEWER_THAN_PYTHON} == {""}
    arabic = f"مرحبا {NEWER_THAN_PYTHON} بالعالم"
    base, levels = embedding_levels(arabic, 1)
    assert base == 1 and set(levels) == {1}  # between Arabic words, as an emoji is (ON)
    text = MINIMAL.replace("title: Opening", f"title: {arabic}") + (
        f"    summary: Unassigned \U0003ffff, noncharacter \ufdd0 and {NEWER_THAN_PYTHON}. وشكرا\n"
    )
    source = write_input(text)
    load_session(source)
    options = BuildOptions(formats=("pdf",), output_dir=tmp_path / "out", parallel_formats=False)
    result = build_pack(source, options)
    words = "".join(page.extract_text() for page in PdfReader(result.artifacts[0].path).pages)
    assert "Unassigned" in words and "noncharacter" in words
