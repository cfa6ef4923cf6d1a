"""The wheel: built with ``uv build``, it carries the templates, fonts, schema and licence
texts (the fonts' OFL and Symbola's own), installs without the development tools, and
builds a pack from another folder.

Skips, saying why, where ``uv`` is missing or cannot build or install offline.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ASP23, ROOT

UV = shutil.which("uv")
DEV_TOOLS = ("pytest", "mypy", "ruff", "hypothesis", "jsonschema")


def uv(*args: str | Path, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    assert UV is not None
    return subprocess.run(
        [UV, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if UV is None:
        pytest.skip("uv is not on PATH")
    out = tmp_path_factory.mktemp("dist")
    done = uv("build", "--wheel", "--out-dir", out, cwd=ROOT)
    if done.returncode != 0:
        pytest.skip(f"uv build could not build the wheel here (offline?): {done.stderr[-300:]}")
    (built,) = out.glob("briefgen-*.whl")
    return built


def test_the_wheel_carries_templates_fonts_schema_and_licences(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))

    templates = {p.name for p in (ROOT / "templates").iterdir() if p.is_file()}
    assert {"look.yaml", "labels.yaml", "macros.md.j2"} <= templates
    assert {f"briefgen/templates/{name}" for name in templates} <= names
    fonts = {p.name for p in (ROOT / "briefgen" / "fonts").iterdir() if p.is_file()}
    assert {f"briefgen/fonts/{name}" for name in fonts} <= names
    assert "briefgen/schema/briefgen-input.schema.json" in names
    assert "briefgen/data/starter.yaml" in names
    # The built-in templates compiled at build time, for the templates the wheel carries.
    compiled = json.loads(zipfile.ZipFile(wheel).read("briefgen/compose/compiled-templates.json"))
    assert set(compiled["templates"]) == {name for name in templates if name.endswith(".j2")}
    assert f"{dist_info}/licenses/LICENSE" in names
    assert f"{dist_info}/licenses/briefgen/fonts/OFL.txt" in names
    assert f"{dist_info}/licenses/briefgen/fonts/Symbola-LICENSE.txt" in names
    assert {"briefgen/fonts/Symbola-Regular.ttf", "briefgen/fonts/Symbola-LICENSE.txt"} <= names
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    assert "License-Expression: MIT AND OFL-1.1 AND LicenseRef-Symbola" in metadata
    requirements = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert not [line for line in requirements if line.split()[1].startswith(DEV_TOOLS)]


def test_the_installed_wheel_builds_a_pack_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    if uv("venv", "--quiet", venv, cwd=tmp_path).returncode != 0:
        pytest.skip("uv venv failed")
    installed = uv(
        "pip", "install", "--quiet", "--python", venv / "bin" / "python", wheel, cwd=tmp_path
    )
    if installed.returncode != 0:
        pytest.skip(f"the wheel's dependencies could not be installed: {installed.stderr[-300:]}")
    listed = uv("pip", "list", "--python", venv / "bin" / "python", cwd=tmp_path).stdout.lower()
    assert not [tool for tool in DEV_TOOLS if f"\n{tool} " in listed]

    project = tmp_path / "project"
    (project / "inputs").mkdir(parents=True)
    shutil.copyfile(ASP23, project / "inputs" / "asp23.yaml")
    briefgen = venv / "bin" / "briefgen"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(briefgen), *args], cwd=project, capture_output=True, text=True, timeout=300
        )

    init = run("init", "asp24")
    assert init.returncode == 0, init.stderr
    assert (project / "schema" / "briefgen-input.schema.json").is_file()
    built = run("build", "inputs/", "--format", "pdf")
    assert built.returncode == 0, built.stderr
    assert (project / "output" / "asp23" / "asp23-briefing-pack.pdf").stat().st_size > 10_000
    assert (project / "output" / "asp24" / "asp24-briefing-pack.pdf").is_file()
