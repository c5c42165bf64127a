"""Every reporter against golden files; run with UPDATE_GOLDEN=1 to rewrite them, then review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliance.engine import Checker
from compliance.match import OriginalsIndex
from compliance.originals import load_archive
from compliance.reporters import REPORTERS, RenderOptions
from compliance.ruleset import load_rulesets
from compliance.sources import expand_inputs
from conftest import ROOT, UPDATE_GOLDEN

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {"terminal": "txt", "json": "json"}


@pytest.fixture(scope="module")
def examples_run():
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)  # relative input paths keep the golden files independent of the checkout
    try:
        archive = load_archive([Path("examples/originals")])
        checker = Checker(load_rulesets(), OriginalsIndex(archive.originals))
        return checker.run(expand_inputs(["examples/copies"]))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_reporter_matches_golden(examples_run, name):
    rendered = REPORTERS[name](examples_run, RenderOptions(color=False, width=100))
    golden = GOLDEN / f"examples.{SUFFIX[name]}"
    if UPDATE_GOLDEN:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_every_reporter_has_a_golden_file():
    assert set(SUFFIX) == set(REPORTERS)


def test_json_report_follows_the_contract(examples_run):
    report = json.loads(REPORTERS["json"](examples_run, RenderOptions()))
    assert report["schema"] == "compliance-report/1"
    assert set(report["summary"]) == {"inputs", "pass", "warn", "fail", "unmatched", "error"}
    for result in report["results"]:
        assert {"input", "status", "ruleset", "original", "findings"} <= set(result)
        assert result["status"] in {"pass", "warn", "fail", "unmatched", "error"}
        if result["original"] is not None:
            assert 0 <= result["original"]["similarity"] <= 1
            assert 0 <= result["original"]["coverage"] <= 1
        for finding in result["findings"]:
            assert {
                "check",
                "rule",
                "passed",
                "severity",
                "message",
                "evidence",
                "location",
            } <= set(finding)
            assert finding["rule"].startswith(result["ruleset"] + ".")
    statuses = {Path(r["input"]).name: r["status"] for r in report["results"]}
    assert statuses == {
        "affiliation-missing.txt": "fail",
        "byline-is-site-account.html": "fail",
        "compliant.html": "pass",
        "logo-missing.md": "fail",
        "unrelated.html": "unmatched",
        "wrong-reporter.html": "fail",
    }


def test_colour_is_only_emitted_when_asked(examples_run):
    plain = REPORTERS["terminal"](examples_run, RenderOptions(color=False))
    coloured = REPORTERS["terminal"](examples_run, RenderOptions(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured
