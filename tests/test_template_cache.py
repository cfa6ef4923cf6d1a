"""The compiled-templates cache: reused, invalidated, and only trusted when private."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import jinja2
import pytest

from briefgen import tree
from briefgen.compose import template_cache
from briefgen.compose.template_cache import CompiledTemplates
from briefgen.input.diagnostics import UserError
from tests.test_compose import ASP23, compose, headings

POSIX = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and permissions")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache home for the test; returns the folder holding the entries."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    return tmp_path / "cache-home" / "briefgen" / "templates"


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja2 compiles from now on."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: object,
                 **kwargs: object) -> object:  # fmt: skip
        names.append(name or "")
        return original(self, source, name, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.cache"))


def test_compiled_templates_are_kept_and_reused(cache: Path, compiles: list[str]) -> None:
    first = tree.dump(compose(ASP23))
    assert "pack.md.j2" in compiles and len(entries(cache)) == len(compiles)
    compiles.clear()
    assert tree.dump(compose(ASP23)) == first
    assert compiles == []


def test_an_edited_template_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    override = tmp_path / "templates"
    override.mkdir()
    for version in ("first", "second"):
        (override / "programme.md.j2").write_text(f"# The {version} programme\n")
        assert f"The {version} programme" in headings(compose(ASP23, override), 1)


def test_template_errors_name_the_line_when_the_template_comes_from_the_cache(
    cache: Path, tmp_path: Path
) -> None:
    override = tmp_path / "templates"
    override.mkdir()
    (override / "programme.md.j2").write_text("# Programme\n\n{{ no_such_thing }}\n")
    for _ in range(2):
        with pytest.raises(UserError) as raised:
            compose(ASP23, override)
        assert "programme.md.j2:3:" in str(raised.value)


def test_other_code_means_other_entries_and_old_ones_are_removed(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str]
) -> None:
    """Entries depend on briefgen's code (how filters are called), not only on templates."""
    compose(ASP23)
    old_entries = entries(cache)
    copy = tmp_path / "briefgen-copy"
    shutil.copytree(template_cache.PACKAGE, copy, ignore=shutil.ignore_patterns("fonts"))
    with (copy / "compose.py").open("a") as module:
        module.write("\n# a change anywhere in briefgen's code\n")
    monkeypatch.setattr(template_cache, "PACKAGE", copy)
    template_cache._code_fingerprint.cache_clear()
    try:
        compiles.clear()
        compose(ASP23)
        assert "pack.md.j2" in compiles
        assert not set(entries(cache)) & set(old_entries)
        assert len(entries(cache)) == len(old_entries)
    finally:
        template_cache._code_fingerprint.cache_clear()


def test_a_cache_that_cannot_be_used_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: Path
) -> None:
    expected = tree.dump(compose(ASP23))
    for entry in entries(cache):
        entry.write_bytes(entry.read_bytes()[:40] + b"damaged")
    assert tree.dump(compose(ASP23)) == expected
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    assert tree.dump(compose(ASP23)) == expected


@POSIX
def test_cache_folders_are_private_and_own_ones_are_tightened(cache: Path) -> None:
    assert CompiledTemplates.in_user_cache() is not None
    for folder in (cache, cache.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for folder in (cache, cache.parent):
        folder.chmod(0o775)  # say, made by an earlier version under umask 002
        assert CompiledTemplates.in_user_cache() is not None
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@POSIX
def test_a_folder_of_someone_else_or_a_link_is_not_trusted(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert CompiledTemplates.in_user_cache() is not None
    someone_else = os.getuid() + 1
    with monkeypatch.context() as patch:
        patch.setattr(os, "getuid", lambda: someone_else)
        assert CompiledTemplates.in_user_cache() is None
        assert "Programme" in headings(compose(ASP23), 1)
    cache.rmdir()
    cache.symlink_to(cache.parent)
    assert CompiledTemplates.in_user_cache() is None


@POSIX
def test_an_entry_others_could_write_to_is_not_loaded(cache: Path, compiles: list[str]) -> None:
    """Entries are code: one that someone else could have written is compiled again."""
    compose(ASP23)
    for entry in entries(cache):
        entry.chmod(0o666)
    compiles.clear()
    compose(ASP23)
    assert "pack.md.j2" in compiles


def test_the_fingerprint_skips_hidden_and_unreadable_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor's lock file (a dangling link named .#x.py) must not stop builds."""
    copy = tmp_path / "briefgen-copy"
    shutil.copytree(template_cache.PACKAGE, copy, ignore=shutil.ignore_patterns("fonts"))
    monkeypatch.setattr(template_cache, "PACKAGE", copy)
    template_cache._code_fingerprint.cache_clear()
    try:
        before = template_cache._code_fingerprint()
        (copy / ".#compose.py").symlink_to(tmp_path / "nowhere")
        (copy / "writers" / "gone.py").symlink_to(tmp_path / "nowhere")
        template_cache._code_fingerprint.cache_clear()
        assert template_cache._code_fingerprint() == before
    finally:
        template_cache._code_fingerprint.cache_clear()
