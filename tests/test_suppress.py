"""Waivers and baselines: which failures stop counting, and what stays reported."""

from __future__ import annotations

import json
from datetime import date

import pytest

from compliance.ci.config import Config, ProjectConfig, Waiver
from compliance.ci.suppress import Suppressions, load_baseline
from compliance.errors import UserError
from compliance.model import Finding, Result, RunResult, Severity, Status


def _run(input_name: str) -> RunResult:
    findings = (
        Finding("logo", "dcnf.logo", False, Severity.ERROR, "no logo", fingerprint="f-logo"),
        Finding("byline", "dcnf.byline", False, Severity.ERROR, "no byline", fingerprint="f-by"),
        Finding("notice", "dcnf.notice", True, Severity.WARNING, "notice found", fingerprint="f-n"),
    )
    return RunResult((Result(input_name, Status.FAIL, "dcnf", findings=findings),))


def _config(*waivers: Waiver) -> ProjectConfig:
    return ProjectConfig(
        Config(waivers=list(waivers)), None, tuple(f"c.yaml:{i}" for i in range(len(waivers)))
    )


def test_waiver_by_url_pattern_and_rule_pattern():
    waiver = Waiver(
        rule="dcnf.*", paths=["https://partner.example/*"], reason="deal", expires=date(2030, 1, 1)
    )
    result = (
        Suppressions(_config(waiver), today=date(2030, 1, 1))
        .apply(_run("https://partner.example/a"))
        .results[0]
    )
    assert [f.suppressed for f in result.findings] == ["waived until 2030-01-01: deal"] * 2 + [None]
    assert result.status is Status.PASS


def test_expired_waiver_counts_again_and_is_reported():
    waiver = Waiver(rule="dcnf.logo", paths=["*"], reason="deal", expires=date(2030, 1, 1))
    suppressions = Suppressions(_config(waiver), today=date(2030, 1, 2))
    assert suppressions.apply(_run("page.html")).results[0].status is Status.FAIL
    assert suppressions.expired() == [
        "c.yaml:0: the waiver of dcnf.logo for * expired on 2030-01-01; the check is enforced again"
    ]


def test_baseline_suppresses_only_known_fingerprints():
    result = Suppressions(_config(), frozenset({"f-logo"})).apply(_run("page.html")).results[0]
    assert [f.suppressed for f in result.findings] == ["in the baseline", None, None]
    assert result.status is Status.FAIL  # the byline failure is new


def test_load_baseline_reads_failed_fingerprints(tmp_path):
    report = tmp_path / "base.json"
    report.write_text(
        json.dumps(
            {
                "schema": "compliance-report/1",
                "results": [
                    {
                        "findings": [
                            {"passed": False, "fingerprint": "a"},
                            {"passed": True, "fingerprint": "b"},
                        ]
                    }
                ],
            }
        )
    )
    assert load_baseline(report) == {"a"}


@pytest.mark.parametrize("content", ["not json", '{"schema": "other/1"}', "[]"])
def test_bad_baseline_is_a_user_error(tmp_path, content):
    report = tmp_path / "base.json"
    report.write_text(content)
    with pytest.raises(UserError) as caught:
        load_baseline(report)
    assert str(report) in caught.value.message


def test_a_validated_configuration_is_reused_until_its_file_changes(tmp_path, monkeypatch):
    from compliance.ci.config import load_config
    from compliance.errors import UserError

    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / ".compliance.yaml"
    path.write_text("fail_on: warning\nterms: dcnf\n", encoding="utf-8")
    first = load_config(path)
    assert list((tmp_path / "cache" / "config").iterdir()), "the validated settings were kept"
    assert load_config(path).spec == first.spec
    path.write_text("fail_on: never\nterms: dcnf\n", encoding="utf-8")
    assert load_config(path).spec.fail_on == "never"
    path.write_text("fail_on: nevr\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_config(path)
    assert "did you mean 'never'?" in "\n".join(caught.value.problems)
