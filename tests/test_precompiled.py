"""The built-in templates compiled at install time: used for exactly the templates they
were compiled from, with the same code a build would make, and never otherwise."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path
from types import CodeType

import jinja2
import pytest

from briefgen.compose import precompiled
from briefgen.compose.pack import compose_pack
from briefgen.compose.templating import default_templates_dir, make_environment
from briefgen.compose.values import FILTER_NAMES, compiling_environment
from briefgen.input.load import load_session
from tests.conftest import ASP23

BUILT_IN = sorted(default_templates_dir().glob("*.j2"))


def test_the_installation_compiled_every_built_in_template_as_a_build_would() -> None:
    assert precompiled.COMPILED_FILE.is_file(), (
        "the install step compiles the built-in templates (hatch_build.py): run `uv sync`"
    )
    environment = compiling_environment()
    for path in BUILT_IN:
        source = path.read_text(encoding="utf-8")
        expected = environment.compile(source, path.name, str(path), raw=True)
        code = precompiled.precompiled_code(path.name, source, str(path))
        assert code == compile(expected, str(path), "exec"), path.name


def _code_objects(code: CodeType) -> Iterator[CodeType]:
    yield code
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _code_objects(constant)


def test_the_bytecode_is_loaded_not_compiled_and_names_the_installed_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Loaded as a ``.pyc`` is (Python's own compiling is never called), its macros and
    blocks too name the file the template is read from, wherever it was compiled."""
    path = default_templates_dir() / "macros.md.j2"
    source = path.read_text(encoding="utf-8")

    def refused(*_: object, **__: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(precompiled, "compile", refused, raising=False)  # over the builtin
    moved = str(tmp_path / "elsewhere" / "macros.md.j2")
    code = precompiled.precompiled_code(path.name, source, moved)
    assert code is not None
    names = {inner.co_filename for inner in _code_objects(code)}
    assert names == {moved}
    assert len(list(_code_objects(code))) > 2  # the macros, named as well


def test_bytecode_of_another_python_is_not_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed by another Python (another bytecode format), the source is compiled."""
    path = BUILT_IN[0]
    source = path.read_text(encoding="utf-8")
    installed = dict(precompiled._installed(), python="00000000")
    monkeypatch.setattr(precompiled, "_installed", lambda: installed)
    monkeypatch.setattr(marshal, "loads", None)  # loading any bytecode would fail
    code = precompiled.precompiled_code(path.name, source, str(path))
    expected = compiling_environment().compile(source, path.name, str(path), raw=True)
    assert code == compile(expected, str(path), "exec")


def test_the_compiling_environment_knows_every_filter_of_the_templates() -> None:
    environment = make_environment(None, "en")
    builtin = set(jinja2.Environment().filters)
    own = set(environment.filters) - builtin
    assert own <= set(FILTER_NAMES)  # md and fill are added by compose as it renders
    assert {"date", "raw"} <= own


@pytest.fixture
def compiled_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates a build compiles itself."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counted(
        self: jinja2.Environment, source: str, name: str | None = None, *a: object, **k: object
    ) -> object:
        names.append(name or "")
        return original(self, source, name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    yield names


def test_a_build_compiles_no_built_in_template(compiled_here: list[str]) -> None:
    compose_pack(load_session(ASP23))
    assert compiled_here == []


def test_an_override_is_compiled_unless_it_is_a_built_in_template_unchanged(
    compiled_here: list[str], tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    statement = (default_templates_dir() / "statement.md.j2").read_text(encoding="utf-8")
    (templates / "statement.md.j2").write_text(statement, encoding="utf-8")
    compose_pack(load_session(ASP23), templates)
    assert compiled_here == []
    (templates / "statement.md.j2").write_text(statement + "\nAdded.\n", encoding="utf-8")
    compose_pack(load_session(ASP23), templates)
    assert compiled_here == ["statement.md.j2"]


def test_compiled_templates_of_other_settings_are_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another Jinja2, or other escaping rules (values.py): the file is set aside."""
    monkeypatch.setattr(precompiled, "settings_fingerprint", lambda: "other settings")
    precompiled._compiled.cache_clear()
    try:
        source = BUILT_IN[0].read_text(encoding="utf-8")
        assert precompiled.precompiled_code(BUILT_IN[0].name, source, "x") is None
    finally:
        monkeypatch.undo()
        precompiled._compiled.cache_clear()
