"""The GitHub workflow users copy (.github/workflows/packs.yml), and the README's example
of an error, which must be what briefgen prints."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from briefgen.cli.main import cli
from tests.conftest import ASP23, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "packs.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def workflow() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return loaded


def steps(job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow()["jobs"][job]["steps"]
    return found


def test_actionlint_finds_nothing() -> None:
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (it is not on PyPI as a wheel for this machine)")
    done = subprocess.run(
        [actionlint, str(WORKFLOW)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it() -> None:
    lines = [
        line.strip().removeprefix("- ").removeprefix("uses: ")
        for line in WORKFLOW.read_text(encoding="utf-8").splitlines()
        if "uses:" in line
    ]
    assert lines
    assert [line for line in lines if not PINNED.match(line)] == []


def test_the_paths_cover_tests_and_schema() -> None:
    on = workflow()["on"]
    for event in ("push", "pull_request"):
        assert {"inputs/**", "tests/**", "schema/**", "briefgen/**", "templates/**"} <= set(
            on[event]["paths"]
        )


def test_packs_do_not_wait_for_the_tests_and_tests_skip_data_only_changes() -> None:
    jobs = workflow()["jobs"]
    assert "needs" not in jobs["packs"]
    assert jobs["tests"]["if"] == "needs.changes.outputs.tools == 'true'"
    decide = next(s for s in steps("changes") if s.get("id") == "diff")["run"]
    assert "^inputs/" not in decide and "briefgen|templates|schema|tests" in decide


def test_libreoffice_is_installed_for_the_tests_and_optionally_for_the_docx_contents() -> None:
    for job in workflow()["jobs"]:
        for step in steps(job):
            if "libreoffice" in step.get("run", ""):
                assert job == "tests" or step.get("if") == "env.DOCX_CONTENTS_NUMBERED == 'true'"


def test_the_build_reuses_the_last_packs_and_uploads_one_artifact_per_session() -> None:
    uses = [step.get("uses", "").split("@")[0] for step in steps("packs")]
    assert uses.index("actions/cache/restore") < uses.index("actions/cache/save")
    build = next(s for s in steps("packs") if "briefgen build" in s.get("run", ""))
    assert "--force" not in build["run"]
    upload = workflow()["jobs"]["upload"]
    assert upload["strategy"]["matrix"]["session"] == "${{ fromJSON(needs.packs.outputs.built) }}"
    artifact = next(s for s in upload["steps"] if "upload-artifact" in s.get("uses", ""))
    assert artifact["with"]["name"] == "briefing-pack-${{ matrix.session }}"


def test_the_readme_error_example_is_what_briefgen_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("Errors point at the place to fix", 1)[1].split("```text\n", 1)[1]
    example = example.split("```", 1)[0]
    (tmp_path / "inputs").mkdir()
    (tmp_path / "schema").mkdir()
    shutil.copyfile(
        ROOT / "schema" / "briefgen-input.schema.json",
        tmp_path / "schema" / "briefgen-input.schema.json",
    )
    text = ASP23.read_text(encoding="utf-8").replace(
        "# yaml-language-server: $schema=../../schema/",
        "# yaml-language-server: $schema=../schema/",
    )
    assert text.count("        by: hrw\n") == 1
    (tmp_path / "inputs" / "asp23.yaml").write_text(
        text.replace("        by: hrw\n", "        by: hrw2\n")
    )
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(
        cli,
        ["validate", str(Path("inputs", "asp23.yaml"))],  # the copy in tmp_path, as typed
        env={"GITHUB_ACTIONS": None, "NO_COLOR": "1"},
    )

    assert result.exit_code == 1
    assert result.stderr == example
