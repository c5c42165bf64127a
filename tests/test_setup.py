"""What a newcomer meets first: the README's commands, CI running them, the installed package."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

from conftest import ROOT


def _quick_start() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.DOTALL).group(1)
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_readme_quick_start_has_two_commands_and_ci_runs_the_test_one():
    install_and_run, install_and_test = _quick_start()
    assert "pip install" in install_and_run and "compliance check" in install_and_run
    assert "pip install" in install_and_test and "pytest" in install_and_test
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_quick_start_check_runs_as_a_real_process(tmp_path):
    command = _quick_start()[0].split("&&", 1)[1].split()
    assert command[0] == "compliance"
    result = subprocess.run(
        [sys.executable, "-m", "compliance", *command[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr  # four of the examples fail, as they should
    assert "7 inputs checked: 2 pass, 0 warn, 4 fail, 1 not a copy, 0 error" in result.stdout
    assert "Traceback" not in result.stderr


def test_installed_package_ships_its_rules(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "compliance", "rules", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "dcnf" in result.stdout
    assert "Daily Caller News Foundation" in result.stdout


def test_every_package_directory_is_in_the_wheel():
    # Tests import the checkout, so a sub-package missing from pyproject's list passes them
    # all and fails only for users who install the wheel.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(path.relative_to(ROOT).parts)
        for path in (ROOT / "compliance").rglob("*")
        if path.is_dir() and path.name != "__pycache__"
    } | {"compliance"}
    assert on_disk - listed == set()


def test_readme_check_reference_is_the_check_documentation():
    from compliance.terms.explain import reference_markdown

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(
        r"<!-- check-reference:start[^\n]*-->\n(.*?)<!-- check-reference:end -->", text, re.DOTALL
    )
    assert section.group(1) == reference_markdown()


def test_explain_prints_the_same_documentation(runner):
    from compliance.cli.main import app
    from compliance.terms.explain import check_documentation

    result = runner.invoke(app, ["explain", "dcnf.byline"])
    assert result.exit_code == 0
    assert "Clause: All republished articles must include our reporter's byline." in result.stdout
    assert check_documentation("byline") in result.stdout
    assert runner.invoke(app, ["explain", "media_credits"]).stdout.startswith("media_credits: ")
    unknown = runner.invoke(app, ["explain", "dcnf.bylin"])
    assert unknown.exit_code == 2 and "did you mean 'dcnf.byline'?" in unknown.stderr


def test_the_suite_collects_without_the_shared_folder(tmp_path):
    """A fresh clone has no ../shared: every test module still imports, and only the
    tests over the real-page corpora skip."""
    env = {**os.environ, "COMPLIANCE_SHARED_DIR": str(tmp_path / "no-shared")}
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-2000:]
    assert "error" not in collected.stdout.lower()
    # The tests that stand on the seed article collect: it is kept with the tests.
    assert "tests/test_page_shapes.py: " in collected.stdout
    assert "tests/test_rewrites.py: " in collected.stdout


def test_every_file_the_readme_names_is_in_the_repository():
    """A newcomer follows the README's links and names from a clone, which has no ../shared."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\(([^)#\s]+)\)", text)
    named = re.findall(r"\b([A-Z]+\.md)\b", text)
    missing = [
        target
        for target in [*linked, *named]
        if "://" not in target
        and not (ROOT / target).exists()
        and not (ROOT / "docs" / target).exists()
    ]
    assert linked and not missing, missing
