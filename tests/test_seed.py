"""The seed article: a real, compliant DCNF copy. It must pass, and each removal must show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance.cli.main import app
from conftest import SEED, SHARED_SEED, needs_shared


def _check(runner, path: Path) -> tuple[int, dict]:
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _failed_errors(report: dict) -> list[str]:
    return [
        f["check"]
        for f in report["results"][0]["findings"]
        if not f["passed"] and f["severity"] == "error"
    ]


def test_seed_passes_with_bundled_rules(runner, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    code, report = _check(runner, path)
    assert code == 0
    result = report["results"][0]
    assert result["ruleset"] == "dcnf"
    assert result["status"] in ("pass", "warn")
    assert _failed_errors(report) == []
    passed = {f["check"] for f in result["findings"] if f["passed"]}
    assert {"logo", "byline", "affiliation", "notice"} <= passed


@pytest.mark.parametrize(
    ("drop", "failing"),
    [
        (lambda line: line == "Daily Caller News Foundation logo", ["logo"]),
        (lambda line: line.startswith("Philip Lenczycki"), ["byline"]),
        (
            lambda line: line.startswith("Daily Caller News Foundation investigative"),
            ["affiliation"],
        ),
    ],
    ids=["logo-removed", "byline-removed", "affiliation-removed"],
)
def test_seed_with_a_requirement_removed_fails_on_it_alone(
    runner, seed_text, tmp_path, drop, failing
):
    kept = [line for line in seed_text.splitlines() if not drop(line.strip())]
    assert len(kept) < len(seed_text.splitlines())
    path = tmp_path / "copy.txt"
    path.write_text("\n".join(kept), encoding="utf-8")
    code, report = _check(runner, path)
    assert code == 1
    assert report["results"][0]["status"] == "fail"
    assert _failed_errors(report) == failing


def test_seed_matched_to_its_original_confirms_the_reporter(runner, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    originals = Path(__file__).resolve().parent.parent / "examples" / "originals"
    result = runner.invoke(
        app, ["check", str(path), "--originals", str(originals), "--format", "json"]
    )
    assert result.exit_code == 0
    entry = json.loads(result.stdout)["results"][0]
    assert entry["original"]["id"] == "dcnf-2022-04-28-china-iran"
    assert entry["original"]["coverage"] > 0.95
    byline = next(f for f in entry["findings"] if f["check"] == "byline")
    assert "original's reporter" in byline["message"]


@needs_shared(SHARED_SEED)
def test_the_tests_seed_is_the_shared_seed():
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()
