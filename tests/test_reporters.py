"""Every reporter against golden files; run with UPDATE_GOLDEN=1 to rewrite them, then review."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.archive.index_cache import open_index
from compliance.archive.match import Matcher
from compliance.cli.main import app
from compliance.engine import Checker
from compliance.read.sources import expand_inputs
from compliance.report import REPORTERS, RenderOptions
from compliance.terms.loading import load_rulesets
from conftest import ROOT, SHARED, assert_golden, needs_shared

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {
    "terminal": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit.xml",
    "github": "github.txt",
    "gitlab": "gitlab.json",
    "markdown": "md",
}


@pytest.fixture(scope="module")
def examples_run():
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)  # relative input paths keep the golden files independent of the checkout
    try:
        index = open_index([Path("examples/originals")]).index
        checker = Checker(load_rulesets(), Matcher(index))
        return checker.run(expand_inputs(["examples/copies"]))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_reporter_matches_golden(examples_run, name):
    rendered = REPORTERS[name](examples_run, RenderOptions(color=False, width=100))
    assert_golden(GOLDEN / f"examples.{SUFFIX[name]}", rendered)


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
        "edited.html": "pass",
        "logo-missing.md": "fail",
        "unrelated.html": "unmatched",
        "wrong-reporter.html": "fail",
    }


def test_colour_is_only_emitted_when_asked(examples_run):
    plain = REPORTERS["terminal"](examples_run, RenderOptions(color=False))
    coloured = REPORTERS["terminal"](examples_run, RenderOptions(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured


@needs_shared(SARIF_SCHEMA)
def test_sarif_validates_against_the_official_schema(examples_run):
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    log = json.loads(REPORTERS["sarif"](examples_run, RenderOptions()))
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {
        "dcnf.logo",
        "dcnf.byline",
        "dcnf.affiliation",
        "dcnf.photo-credits",
    }
    assert all(r["partialFingerprints"]["complianceFinding/v1"] for r in results)
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    rule_ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert rule_ids == sorted(rule_ids) and "dcnf.notice" in rule_ids


def test_sarif_is_cut_to_githubs_limit(monkeypatch, examples_run):
    from compliance.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    log = json.loads(sarif.render(examples_run, RenderOptions()))
    assert len(log["runs"][0]["results"]) == 3
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "5 more results were left out" in notes[-1]["message"]["text"]
    assert {r["level"] for r in log["runs"][0]["results"]} == {"error"}


def test_junit_parses_with_suites_per_rule_set(examples_run):
    root = ET.fromstring(REPORTERS["junit"](examples_run, RenderOptions()))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"dcnf", "unmatched"}
    assert suites["dcnf"].get("tests") == "42" and suites["dcnf"].get("failures") == "8"
    names = [(c.get("classname"), c.get("name")) for c in suites["dcnf"].iter("testcase")]
    assert ("examples/copies/logo-missing.md", "dcnf.logo") in names


def test_outputs_do_not_depend_on_input_order(examples_run):
    from dataclasses import replace

    shuffled = replace(examples_run, results=tuple(reversed(examples_run.results)))
    for name in ("sarif", "junit", "github", "gitlab", "markdown"):
        assert REPORTERS[name](shuffled, RenderOptions()) == REPORTERS[name](
            examples_run, RenderOptions()
        )


HOSTILE = "Staff%0A::error::pwned\r\n::warning file=x::injected"


def test_page_text_cannot_inject_workflow_commands(runner, tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(
        f"<html><head><title>{HOSTILE}</title></head><body>"
        f"<div class='byline'>By {HOSTILE}</div><p>From the Daily Caller News Foundation</p>"
        "<p>Story text.</p></body></html>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", str(page), "--format", "github"])
    lines = result.stdout.splitlines()
    # logo and byline fail, the notice warns; the page's text started no command of its own
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::warning"]
    byline = next(line for line in lines if "dcnf.byline" in line)
    assert "Staff%250A::error::pwned" in byline
    assert "\r" not in result.stdout


def test_annotations_are_capped_with_a_notice(examples_run, monkeypatch):
    from compliance.report import github

    monkeypatch.setattr(github, "MAX_ANNOTATIONS", 2)
    lines = github.render(examples_run, RenderOptions()).splitlines()
    assert len(lines) == 3
    assert (
        lines[-1]
        == "::notice title=compliance::6 more findings are not shown as annotations; see the full report"
    )


def test_github_format_appends_the_step_summary(runner, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    runner.invoke(
        app, ["check", str(ROOT / "examples" / "copies" / "logo-missing.md"), "--format", "github"]
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## Syndication compliance")
    assert "dcnf.logo" in text


def test_markdown_escapes_page_text():
    from compliance.report.markdown import cell

    assert cell("a | b <img src=x>\nnext") == "a \\| b \\<img src=x> next"
    # Read raw as well as rendered: no entities, and "&" escaped only where one would begin.
    assert cell("AT&T &copy; 3 > 2") == "AT&T \\&copy; 3 > 2"


def test_several_outputs_at_once_keep_the_terminal_report(runner, tmp_path):
    sarif_file, junit_file = tmp_path / "out.sarif", tmp_path / "out.xml"
    result = runner.invoke(
        app,
        [
            "check",
            str(ROOT / "examples" / "copies" / "compliant.html"),
            "--output",
            f"sarif={sarif_file}",
            "--output",
            f"junit={junit_file}",
        ],
    )
    assert result.exit_code == 0
    assert "PASS" in result.stdout
    assert json.loads(sarif_file.read_text())["version"] == "2.1.0"
    assert ET.parse(junit_file).getroot().tag == "testsuites"


def test_unknown_output_format_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(
        app,
        [
            "check",
            str(ROOT / "examples" / "copies" / "compliant.html"),
            "--output",
            f"pdf={tmp_path / 'x.pdf'}",
        ],
    )
    assert result.exit_code == 2
    assert "unknown format 'pdf'" in result.stderr


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_annotation_escaping_keeps_text_on_one_line_and_reversible(text):
    from compliance.report.github import escape_data, escape_property

    for escaped in (escape_data(text), escape_property(text)):
        assert "\n" not in escaped and "\r" not in escaped
    unescaped = escape_data(text).replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
    assert unescaped == text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_page_text_gives_well_formed_junit(text):
    from compliance.model import Finding, Result, RunResult, Severity, Status

    finding = Finding("logo", "dcnf.logo", False, Severity.ERROR, text, evidence=text)
    run = RunResult((Result(text or "page", Status.FAIL, "dcnf", findings=(finding,)),))
    root = ET.fromstring(REPORTERS["junit"](run, RenderOptions()))
    assert root.get("failures") == "1"
