"""A publisher's repository (tests/sample-site) run end to end through the real command.

It has a `.compliance.yaml` with include/exclude patterns, an archive, a SARIF output, a
baseline holding one known violation, a live waiver and an expired one.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SAMPLE = Path(__file__).parent / "sample-site"


@pytest.fixture
def site(tmp_path) -> Path:
    copy = tmp_path / "site-repo"
    shutil.copytree(SAMPLE, copy)
    (copy / ".git").mkdir()  # the repository root: configuration is not searched above it
    return copy


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(ROOT)!r});"
            " from compliance.cli.main import main; main()",
            "check",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_configured_run_passes_with_waiver_and_baseline(site):
    result = run(site, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    inputs = [r["input"] for r in report["results"]]
    assert inputs == ["site/good.html", "site/legacy/old-byline.html", "site/partner/no-logo.html"]
    suppressed = {
        (r["input"], f["rule"]): f["suppressed"]
        for r in report["results"]
        for f in r["findings"]
        if f["suppressed"]
    }
    assert suppressed == {
        ("site/legacy/old-byline.html", "dcnf.byline"): "in the baseline",
        ("site/partner/no-logo.html", "dcnf.logo"): "waived until 2099-12-31: Partner agreement"
        " of 2024 puts the DCNF logo in the site header instead.",
    }
    assert [r["status"] for r in report["results"]] == ["pass", "pass", "pass"]
    assert (
        ".compliance.yaml:13:5: the waiver of dcnf.byline for site/* expired on 2020-01-31"
        in result.stderr
    )


def test_configured_sarif_output_marks_suppressions(site):
    run(site)
    log = json.loads((site / "reports" / "compliance.sarif").read_text(encoding="utf-8"))
    results = log["runs"][0]["results"]
    assert {r["ruleId"]: r["suppressions"][0]["kind"] for r in results} == {
        "dcnf.byline": "external",
        "dcnf.logo": "external",
    }


def test_a_new_violation_fails_the_build(site):
    shutil.copy(site / "site" / "legacy" / "old-byline.html", site / "site" / "new-story.html")
    result = run(site, "--format", "json")
    assert result.returncode == 1
    failing = [r["input"] for r in json.loads(result.stdout)["results"] if r["status"] == "fail"]
    assert failing == ["site/new-story.html"]


def test_flags_override_the_configuration(site):
    result = run(site, "site/drafts/unfinished.md")
    assert result.returncode == 0  # named on the command line, but still excluded
    assert "nothing to check" in result.stderr
    result = run(
        site, "site/legacy/old-byline.html", "--no-config", "--originals", "originals.jsonl"
    )
    assert result.returncode == 1  # no baseline without the configuration


def test_configuration_is_found_from_a_subdirectory(site):
    result = run(site / "site" / "partner", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["results"]) == 3


def test_invalid_configuration_names_file_and_line(site):
    config = site / ".compliance.yaml"
    config.write_text(
        config.read_text().replace("fail_on: error", "fail_on: sometimes\nformats: [sarif]")
    )
    result = run(site)
    assert result.returncode == 2
    assert (
        f"{config}:5:10: fail_on: unknown value 'sometimes'; one of: error, warning, never"
        in result.stderr
    )
    assert f"{config}:6:1: formats: unknown key 'formats' (did you mean 'format'?)" in result.stderr


def test_pyproject_configuration(site):
    (site / ".compliance.yaml").unlink()
    (site / "pyproject.toml").write_text(
        '[project]\nname = "site"\n\n[tool.compliance]\ninclude = ["site/**/*.html"]\n'
        'originals = ["originals.jsonl"]\nfail_on = "warnings"\n'
    )
    result = run(site)
    assert result.returncode == 2
    assert (
        f"{site / 'pyproject.toml'}:7: fail_on: unknown value 'warnings' (did you mean"
        " 'warning'?); one of: error, warning, never" in result.stderr
    )
    (site / "pyproject.toml").write_text(
        (site / "pyproject.toml").read_text().replace("warnings", "error")
    )
    result = run(site, "--format", "json")
    assert result.returncode == 1  # without the waiver and baseline the two known failures count
    statuses = [r["status"] for r in json.loads(result.stdout)["results"]]
    assert statuses == ["pass", "fail", "fail"]
