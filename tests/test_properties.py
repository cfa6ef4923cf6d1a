"""Property-based tests: generated valid sessions load, each broken rule is reported at its
field, and the command line never crashes whatever the input file holds."""

from __future__ import annotations

import copy
import operator
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefgen.cli.main import cli
from briefgen.input.diagnostics import UserError
from briefgen.input.load import load_session
from briefgen.input.model import Session
from tests.conftest import CASES as CASES_DIR

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SETTINGS = settings(max_examples=100, deadline=None)

# What the models refuse in any text (see briefgen.input.model): C0/C1 controls, U+2028/9, U+FFFE/F.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
CONTROL_CHARACTERS = st.sampled_from(
    [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))]
    + ["\u2028", "\u2029"]
)
# Bidirectional embeddings, overrides and isolates, which the input refuses.
BIDI_CONTROLS = "".join(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Any letters, marks, digits, punctuation, symbols (incl. emoji) and spaces, never controls.
CHARACTERS = st.characters(
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), exclude_characters=BIDI_CONTROLS
)

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
SLUGS = st.builds(operator.add, st.sampled_from(_ALNUM), st.text(_ALNUM + "-", max_size=15))
LINES = st.text(CHARACTERS, min_size=1, max_size=30).filter(
    lambda s: any(not c.isspace() and unicodedata.category(c) != "Cf" for c in s)
)
MARKDOWN = st.lists(LINES, min_size=1, max_size=3).map("\n".join)
URLS = st.builds(
    "{}://{}.org/{}".format,
    st.sampled_from(["http", "https", "HTTPS"]),
    SLUGS,
    st.text(_ALNUM + "/_-", max_size=10),
)
KINDS = ("opening", "plenary", "general-debate", "closing", "other")
LANGUAGES = ("en", "ar", "fr-CA", "es", "zh-Hans")


def optional(draw: st.DrawFn, value: st.SearchStrategy[Any]) -> Any:
    return draw(st.one_of(st.none(), value))


def put(mapping: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is None (an absent optional key)."""
    if value is not None:
        mapping[key] = value


@st.composite
def sessions(draw: st.DrawFn) -> dict[str, Any]:
    """Return a valid session as plain data: unique ids, resolving references, dates in range."""
    organization_ids = draw(st.lists(SLUGS, min_size=1, max_size=4, unique=True))
    start = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 1, 1)))
    end = start + timedelta(days=draw(st.integers(0, 14)))
    plenary_ids = draw(st.lists(SLUGS, min_size=1, max_size=4, unique=True))
    statement_ids = draw(st.lists(SLUGS, max_size=8, unique=True))
    owners = [draw(st.integers(0, len(plenary_ids) - 1)) for _ in statement_ids]

    organizations = []
    for organization_id in organization_ids:
        organization = {"id": organization_id, "name": draw(LINES)}
        put(organization, "short_name", optional(draw, LINES))
        put(organization, "url", optional(draw, URLS))
        organizations.append(organization)

    plenaries = []
    for index, plenary_id in enumerate(plenary_ids):
        kind = draw(st.sampled_from(KINDS))
        segment_ids = draw(st.lists(SLUGS, max_size=2, unique=True))
        plenary: dict[str, Any] = {
            "id": plenary_id,
            "title": draw(LINES),
            "kind": kind,
            "date": (start + timedelta(days=draw(st.integers(0, (end - start).days)))).isoformat(),
        }
        put(plenary, "summary", optional(draw, MARKDOWN))
        if segment_ids:
            plenary["segments"] = [{"id": s, "title": draw(LINES)} for s in segment_ids]
        statements = []
        for statement_id, owner in zip(statement_ids, owners, strict=True):
            if owner != index:
                continue
            statement = {
                "id": statement_id,
                "by": draw(st.sampled_from(organization_ids)),
                "title": draw(LINES),
            }
            others = [o for o in organization_ids if o != statement["by"]]  # not itself
            if others:
                put(statement, "on_behalf_of", optional(draw, st.sampled_from(others)))
            put(statement, "segment", optional(draw, st.sampled_from(segment_ids or [None])))
            put(statement, "summary", optional(draw, MARKDOWN))
            put(statement, "url", optional(draw, URLS))
            put(statement, "language", optional(draw, st.sampled_from(LANGUAGES)))
            statements.append(statement)
        if statements:
            plenary["statements"] = statements
        messages = draw(st.lists(MARKDOWN, min_size=1 if kind == "closing" else 0, max_size=3))
        if messages:
            plenary["key_messages"] = messages
        plenaries.append(plenary)

    session = {
        "id": draw(SLUGS),
        "name": draw(LINES),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    put(session, "short_name", optional(draw, LINES))
    put(session, "url", optional(draw, URLS))
    data: dict[str, Any] = {"format": 1}
    pack: dict[str, Any] = {}
    put(pack, "title", optional(draw, LINES))
    put(pack, "publisher", optional(draw, st.sampled_from(organization_ids)))
    put(pack, "status", optional(draw, st.sampled_from(["final", "draft"])))
    put(pack, "language", optional(draw, st.sampled_from(["en", "fr", "es", "ru", "ar"])))
    if pack:
        data["pack"] = pack
    data.update(session=session, organizations=organizations, plenaries=plenaries)
    return data


@contextmanager
def input_file(content: str | bytes) -> Iterator[Path]:
    """Yield a temporary input file holding ``content`` (tmp_path is per test, not per example)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "session.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        yield path


class _Dumper(yaml.SafeDumper):
    """Writes U+0085, U+2028 and U+2029 as escapes: written raw, YAML reads them as line breaks."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(c in text for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def load(data: dict[str, Any]) -> Session:
    with input_file(dump(data)) as path:
        return load_session(path).session


def error_fields(data: dict[str, Any]) -> list[str]:
    """Return the field of every error in ``data``, which must be invalid."""
    with input_file(dump(data)) as path, pytest.raises(UserError) as raised:
        load_session(path)
    assert all(d.line >= 1 and d.column >= 1 for d in raised.value.diagnostics)
    return [d.field for d in raised.value.diagnostics]


# --- valid sessions --------------------------------------------------------------------------


@SETTINGS
@given(sessions())
def test_generated_valid_sessions_load_with_their_content(data: dict[str, Any]) -> None:
    session = load(data)

    assert session.session.id == data["session"]["id"]
    assert session.session.name == as_read(data["session"]["name"])
    assert session.session.start.isoformat() == data["session"]["start"]
    assert [o.name for o in session.organizations] == [
        as_read(o["name"]) for o in data["organizations"]
    ]
    for loaded, plenary in zip(session.plenaries, data["plenaries"], strict=True):
        assert loaded.title == as_read(plenary["title"])
        assert tuple(m.text for m in loaded.key_messages) == tuple(
            as_read(m) for m in plenary.get("key_messages", [])
        )
        assert [s.by for s in loaded.statements] == [s["by"] for s in plenary.get("statements", [])]


def as_read(text: str) -> str:
    """What a typed value becomes: stripped, in NFC (a CJK compatibility ideograph, say,
    is its unified ideograph: the two are canonically the same text)."""
    return unicodedata.normalize("NFC", text).strip()


# --- one broken rule, reported at its field --------------------------------------------------

Mutation = Callable[[dict[str, Any], st.DataObject], str]


def pick_index(data: st.DataObject, items: list[Any]) -> int:
    return data.draw(st.integers(0, len(items) - 1))


def a_statement(session: dict[str, Any], data: st.DataObject) -> tuple[str, dict[str, Any]]:
    """Return the path and value of a statement, adding one if the session has none."""
    found = [
        (f"plenaries[{p}].statements[{s}]", statement)
        for p, plenary in enumerate(session["plenaries"])
        for s, statement in enumerate(plenary.get("statements", []))
    ]
    if not found:
        statement = {"id": "added", "by": session["organizations"][0]["id"], "title": "Added"}
        session["plenaries"][0]["statements"] = [statement]
        return "plenaries[0].statements[0]", statement
    return found[pick_index(data, found)]


def delete_required_key(session: dict[str, Any], data: st.DataObject) -> str:
    # Keys whose removal breaks nothing else (an organization id would orphan its statements).
    where = data.draw(st.sampled_from(["session", "organization", "plenary", "statement"]))
    if where == "session":
        key = data.draw(st.sampled_from(["id", "name", "start", "end"]))
        del session["session"][key]
        return f"session.{key}"
    if where == "organization":
        index = pick_index(data, session["organizations"])
        del session["organizations"][index]["name"]
        return f"organizations[{index}].name"
    if where == "plenary":
        index = pick_index(data, session["plenaries"])
        key = data.draw(st.sampled_from(["id", "title", "date"]))
        del session["plenaries"][index][key]
        return f"plenaries[{index}].{key}"
    path, statement = a_statement(session, data)
    key = data.draw(st.sampled_from(["id", "by", "title"]))
    del statement[key]
    return f"{path}.{key}"


def duplicate_an_id(session: dict[str, Any], data: st.DataObject) -> str:
    section = data.draw(st.sampled_from(["organizations", "plenaries"]))
    items = session[section]
    original = items[pick_index(data, items)]
    if section == "organizations":
        items.append({"id": original["id"], "name": "Copy"})
    else:
        items.append({"id": original["id"], "title": "Copy", "date": session["session"]["start"]})
    return f"{section}[{len(items) - 1}].id"


def unknown_by(session: dict[str, Any], data: st.DataObject) -> str:
    known = {o["id"] for o in session["organizations"]}
    path, statement = a_statement(session, data)
    statement["by"] = next(f"nobody-{n}" for n in range(10) if f"nobody-{n}" not in known)
    return f"{path}.by"


def end_before_start(session: dict[str, Any], data: st.DataObject) -> str:
    start = date.fromisoformat(session["session"]["start"])
    days = data.draw(st.integers(1, 400))
    session["session"]["end"] = (start - timedelta(days=days)).isoformat()
    return "session.end"


def plenary_date_outside(session: dict[str, Any], data: st.DataObject) -> str:
    index = pick_index(data, session["plenaries"])
    days = data.draw(st.integers(1, 400))
    if data.draw(st.booleans()):
        day = date.fromisoformat(session["session"]["end"]) + timedelta(days=days)
    else:
        day = date.fromisoformat(session["session"]["start"]) - timedelta(days=days)
    session["plenaries"][index]["date"] = day.isoformat()
    return f"plenaries[{index}].date"


def unknown_key(session: dict[str, Any], data: st.DataObject) -> str:
    key = data.draw(st.sampled_from(["notes", "titel", "colour", "x-extra", "Title"]))
    where = data.draw(st.sampled_from(["top", "session", "organization", "statement"]))
    if where == "top":
        session[key] = "x"
        return key
    if where == "session":
        session["session"][key] = "x"
        return f"session.{key}"
    if where == "organization":
        index = pick_index(data, session["organizations"])
        session["organizations"][index][key] = "x"
        return f"organizations[{index}].{key}"
    path, statement = a_statement(session, data)
    statement[key] = "x"
    return f"{path}.{key}"


def control_character(session: dict[str, Any], data: st.DataObject) -> str:
    character = data.draw(CONTROL_CHARACTERS)
    # Inside the text: at either end, whitespace-like controls would just be stripped.
    where = data.draw(st.sampled_from(["session", "plenary", "key message"]))
    if where == "session":
        session["session"]["name"] = session["session"]["name"].strip() + character + "x"
        return "session.name"
    index = pick_index(data, session["plenaries"])
    plenary = session["plenaries"][index]
    if where == "plenary":
        plenary["title"] = plenary["title"].strip() + character + "x"
        return f"plenaries[{index}].title"
    plenary["key_messages"] = [*plenary.get("key_messages", []), f"a{character}b"]
    return f"plenaries[{index}].key_messages[{len(plenary['key_messages']) - 1}]"


def ftp_url(session: dict[str, Any], data: st.DataObject) -> str:
    index = pick_index(data, session["organizations"])
    session["organizations"][index]["url"] = "ftp://" + data.draw(SLUGS) + ".org/"
    return f"organizations[{index}].url"


MUTATIONS: list[Mutation] = [
    delete_required_key,
    duplicate_an_id,
    unknown_by,
    end_before_start,
    plenary_date_outside,
    unknown_key,
    control_character,
    ftp_url,
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session=sessions(), data=st.data())
def test_each_broken_rule_is_the_one_error_reported(
    mutation: Mutation, session: dict[str, Any], data: st.DataObject
) -> None:
    broken = copy.deepcopy(session)
    expected = mutation(broken, data)

    assert error_fields(broken) == [expected]


# --- the command line never crashes ----------------------------------------------------------


def assert_validate_handles(content: str | bytes) -> None:
    """Run ``briefgen validate`` on ``content``: it must succeed or report, never crash."""
    with input_file(content) as path:
        result = CliRunner().invoke(cli, ["validate", str(path)], env={"GITHUB_ACTIONS": None})
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.stderr.startswith(str(path)), result.stderr
    else:
        assert result.stdout.startswith(f"{path}: ok: ")


@FUZZ_SETTINGS
@given(st.binary(max_size=400))
def test_validate_survives_arbitrary_bytes(content: bytes) -> None:
    assert_validate_handles(content)


@FUZZ_SETTINGS
@given(st.text(max_size=300))
def test_validate_survives_arbitrary_text(content: str) -> None:
    assert_validate_handles(content)


YAMLISH = st.text(alphabet=list("ab01-:[]{}&*!|>'\"#?,~@%\\\n\t "), max_size=120)


@FUZZ_SETTINGS
@given(YAMLISH)
def test_validate_survives_yaml_like_noise(content: str) -> None:
    assert_validate_handles(content)


@FUZZ_SETTINGS
@given(sessions(), st.lists(st.tuples(st.integers(0, 10_000), st.text(max_size=3)), max_size=4))
def test_validate_survives_edits_of_a_valid_file(
    data: dict[str, Any], edits: list[tuple[int, str]]
) -> None:
    text = dump(data)
    for position, insert in edits:
        cut = position % (len(text) + 1)
        text = text[:cut] + insert + text[cut + len(insert) :]
    assert_validate_handles(text)


# --- any valid session builds ------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_any_valid_session_builds_every_format(data: dict[str, Any]) -> None:
    """Arbitrary text (any script, emoji, markup-like characters) never breaks a build."""
    from briefgen.build.pack import BuildOptions, build_pack

    with input_file(dump(data)) as path, tempfile.TemporaryDirectory() as output:
        result = build_pack(path, BuildOptions(output_dir=Path(output), parallel_formats=False))
        sizes = {artifact.path.suffix: artifact.size for artifact in result.artifacts}
        assert set(sizes) == {".pdf", ".docx", ".html"} and all(sizes.values())
        pdf = next(a for a in result.artifacts if a.path.suffix == ".pdf")
        assert pdf.pages is not None and pdf.pages >= 3


# --- what validate accepts, build renders: fixtures made hostile ---------------------------

HOSTILE_TEXT = [
    "\n".join("  " * depth + "- x" for depth in range(100)),  # a list 100 deep
    "|" + "|".join("h" * 3 for _ in range(40)) + "|\n|" + "-|" * 40 + "\n" + "|x" * 40 + "|",
    "<script>alert(1)</script>",
    "[x]: javascript:alert(1)\n\n[click][x]",
    "<javascript:alert(1)> <data:text/html,x> <file:///etc/passwd>",
    "[a](javascript:alert(1)) ![i](file:///etc/passwd)",
    "&#0; &#xD800; &#x202E; &#1114112;",
    "[" * 300 + "]" * 300,
    "*" * 2000,
    "x" * 20000,
    "{{ 7*7 }} {% raw %} ::: index",
    "\u0645\u0631\u062d\u0628\u0627 hello \u05e9\u05dc\u05d5\u05dd \U0001f468\u200d\U0001f469",
    "a\u0301" * 300,
    "\u202e",
    "\x00",
    "\ud800",
]
HOSTILE_URLS = [
    "javascript:alert(1)",
    "data:text/html,x",
    "file:///etc/passwd",
    "https://[::1]:8080/x",
    "https://例え.jp/パス",
    "https://a.org/" + "a" * 5000,
    "https://a.org/%zz<>\"'",
    "https://host.org:99999",
]
HOSTILE_DATES = ["2025-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "99999-01-01"]
HOSTILE_DATES += ["2025-03-10T10:00:00+25:00", "2025-03-10 10:00:00Z"]
HOSTILE_VALUES: list[Any] = [None, "", 10**30, -1, 1.5, True, [], {}, [[[["x"]]]], "~"]
RAW_EDITS: list[Callable[[bytes], bytes]] = [
    lambda raw: b"\xef\xbb\xbf" + raw,
    lambda raw: raw.replace(b"\n", b"\r\n"),
    lambda raw: raw.replace(b"  ", b"\t", 1),
    lambda raw: raw.replace(b"name: ", b"name: \xff", 1),
    lambda raw: raw.replace(b"name: ", b'name: "\\ud800"  #', 1),
    lambda raw: raw.replace(b"name: ", b"name: !!python/object/apply:os.system ['true'] #", 1),
    lambda raw: raw.replace(b"name: ", b"name: !!binary aGVsbG8= #", 1),
    lambda raw: raw.replace(b"id: ", b"id: &a ", 1).replace(b"\n  name: ", b"\n  name: *a #", 1),
    lambda raw: raw + b"\nsession: {id: again}\n",
    lambda raw: raw + b"\nz: &a [x, x]\nz2: &b [*a, *a, *a, *a]\nz3: [*b, *b, *b, *b]\n",
    lambda raw: raw + b"\n<<: {format: 1}\n",
    lambda raw: raw.replace(b"name: ", b"name: " + b"[" * 5000, 1),
]
FIXTURES = [CASES_DIR / "valid" / "minimal.yaml", CASES_DIR / "valid" / "full-featured.yaml"]


def _places(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value under ``data``, keys and list items alike."""
    if isinstance(data, dict | list):
        children = data.items() if isinstance(data, dict) else enumerate(data)
        for key, child in children:
            yield (*path, key)
            yield from _places(child, (*path, key))


TEXT_KEYS = ("summary", "text", "title", "subtitle", "name", "speaker", "contact", "venue")


def _hostile_value(key: Any) -> st.SearchStrategy[Any]:
    if key in ("date", "start", "end", "edition"):
        return st.sampled_from(HOSTILE_DATES + HOSTILE_VALUES)
    if key in ("url", "logo"):
        return st.sampled_from(HOSTILE_URLS + HOSTILE_VALUES)
    if key in TEXT_KEYS:
        return st.sampled_from(HOSTILE_TEXT)
    return st.sampled_from(HOSTILE_VALUES)


@st.composite
def hostile_fixtures(draw: st.DrawFn) -> bytes:
    """A fixture with a value made hostile (as YAML writes it) or its bytes edited; most
    often a text field, given text that may well be valid, so that builds are tried."""
    raw = draw(st.sampled_from(FIXTURES)).read_bytes()
    if draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(RAW_EDITS))(raw)
    data = yaml.load(raw, Loader=yaml.BaseLoader)  # BaseLoader: strings only
    places = sorted(_places(data), key=str)
    texts = [path for path in places if path[-1] in TEXT_KEYS]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(texts if draw(st.integers(0, 3)) else places))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = draw(_hostile_value(path[-1]))
    return dump(data).encode("utf-8", "surrogatepass")


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(hostile_fixtures())
def test_what_validate_accepts_of_a_hostile_fixture_builds(content: bytes) -> None:
    """Validate reports each problem at its place or accepts; what it accepts builds every
    format, and what it refuses, build refuses as cleanly (exit 1, no traceback)."""
    with input_file(content) as path, tempfile.TemporaryDirectory() as output:
        shutil.copy(CASES_DIR / "valid" / "logo.png", path.parent / "logo.png")
        validated = CliRunner().invoke(cli, ["validate", str(path)], env={"GITHUB_ACTIONS": None})
        built = CliRunner().invoke(
            cli,
            ["build", str(path), "--output-dir", output, "--format", "pdf,docx,html"],
            env={"GITHUB_ACTIONS": None},
        )
        for result in (validated, built):
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(
                result.exception
            )
            assert "Traceback" not in result.output and "internal error" not in result.output
        event(f"validate {validated.exit_code}")
        assert (validated.exit_code, built.exit_code) in ((0, 0), (1, 1)), built.output
        if validated.exit_code == 1:
            assert re.match(rf"{re.escape(str(path))}:\d+:\d+: error: ", validated.stderr)
            assert not any(Path(output).iterdir())
        else:
            files = sorted(p.suffix for p in Path(output).rglob("*-briefing-pack.*"))
            assert files == [".docx", ".html", ".pdf"]


LOOK_VALUES: list[Any] = [None, 0, -1, "1e400", "nan", "-1cm", "100cm", "#GGGGGG", "nope", [], {}]
LOOK_VALUES += ["x" * 1000, 10**30, ["•"] * 50, [""], "\u202e", ["\x00"], "A\x1bB", ["a\nb"]]
LOOK_KEYS = [
    ("text", "body", "size"),
    ("text", "body", "leading"),
    ("headings",),
    ("colours", "accent"),
    ("colours",),
    ("page", "margins", "left"),
    ("page", "sizes", "A4"),
    ("lists", "bullets"),
    ("font", "family"),
    ("contents", "depth"),
    ("key-messages", "padding", "top"),
    ("cover", "band-height"),
    ("draft-mark", "angle"),
    ("pdf", "standard"),
]
DAMAGED_FILES: dict[str, bytes] = {
    "reference.docx": b"PK\x03\x04 not a zip",
    "fonts/House.ttf": b"\x00\x01\x00\x00" + bytes(200),
}


@st.composite
def hostile_templates(draw: st.DrawFn) -> dict[str, str | bytes]:
    """A templates folder: ``look.yaml`` with a key given a hostile value, or a damaged
    ``reference.docx``, or a look naming a font file that is not a font."""
    kind = draw(st.sampled_from(["look", "reference.docx", "fonts/House.ttf"]))
    if kind == "reference.docx":
        return {kind: DAMAGED_FILES[kind]}
    if kind != "look":
        files = "{regular: fonts/House.ttf, bold: fonts/House.ttf}"
        return {kind: DAMAGED_FILES[kind], "look.yaml": f"font: {{family: H, files: {files}}}\n"}
    value: Any = draw(st.sampled_from(LOOK_VALUES))
    for key in reversed(draw(st.sampled_from(LOOK_KEYS))):
        value = {key: value}
    return {"look.yaml": dump(value)}


@settings(max_examples=10, deadline=None, derandomize=True, database=None)
@given(hostile_templates())
def test_what_validate_accepts_of_a_hostile_templates_folder_builds(
    files: dict[str, str | bytes],
) -> None:
    """Given the same templates, validate and build agree: both refuse, naming the file,
    or validate accepts and build renders every format."""
    with tempfile.TemporaryDirectory() as folder:
        templates, output = Path(folder) / "templates", Path(folder) / "out"
        for name, content in files.items():
            (templates / name).parent.mkdir(parents=True, exist_ok=True)
            data = content.encode() if isinstance(content, str) else content
            (templates / name).write_bytes(data)
        common = [str(CASES_DIR / "valid" / "minimal.yaml"), "--templates", str(templates)]
        validated = CliRunner().invoke(cli, ["validate", *common])
        built = CliRunner().invoke(cli, ["build", *common, "--output-dir", str(output)])
        for result in (validated, built):
            assert result.exception is None or isinstance(result.exception, SystemExit)
            assert "Traceback" not in result.output and "internal error" not in result.output
        assert (validated.exit_code, built.exit_code) in ((0, 0), (1, 1)), built.output
        if validated.exit_code == 1:
            assert validated.stderr.startswith(str(templates)), validated.stderr
            assert built.stderr.splitlines()[0] == validated.stderr.splitlines()[0]
