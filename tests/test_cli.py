"""The command line: exit codes, messages without tracebacks, and the rules/inspect commands."""

from __future__ import annotations

import json

import pytest

from compliance import checks
from compliance.cli.main import app
from conftest import EXAMPLES

COPIES = EXAMPLES / "copies"
ORIGINALS = EXAMPLES / "originals"


def test_clean_input_exits_0(runner):
    result = runner.invoke(
        app, ["check", str(COPIES / "compliant.html"), "--originals", str(ORIGINALS)]
    )
    assert result.exit_code == 0, result.output
    assert "PASS" in result.stdout


def test_failing_input_exits_1(runner):
    result = runner.invoke(app, ["check", str(COPIES / "logo-missing.md")])
    assert result.exit_code == 1
    assert "FAIL" in result.stdout


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("never", 0)])
def test_fail_on_level(runner, tmp_path, fail_on, code):
    # Compliant but for a Reuters photo credit, which DCNF's rules flag as a warning.
    page = (COPIES / "compliant.html").read_text(encoding="utf-8")
    page = page.replace("</article>", "<p>Troops drill. (REUTERS/Jane Doe)</p></article>")
    path = tmp_path / "warned.html"
    path.write_text(page, encoding="utf-8")
    result = runner.invoke(
        app, ["check", str(path), "--originals", str(ORIGINALS), "--fail-on", fail_on]
    )
    assert result.exit_code == code, result.output


def test_exit_zero_is_never(runner):
    result = runner.invoke(app, ["check", str(COPIES / "logo-missing.md"), "--exit-zero"])
    assert result.exit_code == 0


def test_missing_input_exits_2_and_others_are_still_reported(runner, tmp_path):
    result = runner.invoke(
        app,
        ["check", str(tmp_path / "nope.html"), str(COPIES / "compliant.html"), "--format", "json"],
    )
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [r["status"] for r in report["results"]] == ["error", "pass"]
    assert report["results"][0]["error"] == f"{tmp_path / 'nope.html'}: no such file or directory"
    assert report["summary"]["error"] == 1
    assert "no such file or directory" in result.stderr
    assert "Traceback" not in result.output


def test_invalid_rule_file_exits_2_with_position(runner, tmp_path):
    rules = tmp_path / "bad.yaml"
    rules.write_text(
        "schema: 1\nid: x\nname: X\nterms: t\nterms_url: https://x.org\nchecks:\n  - {id: a, type: nope, clause: c}\n"
    )
    result = runner.invoke(app, ["check", str(COPIES / "compliant.html"), "--rules", str(rules)])
    assert result.exit_code == 2
    assert f"{rules}:7:19: checks[0].type: unknown check type 'nope'" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error(runner):
    result = runner.invoke(app, ["check", str(COPIES / "compliant.html"), "--format", "pdf"])
    assert result.exit_code == 2


def test_bug_exits_3_without_traceback(runner, monkeypatch):
    def broken(options, ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(checks.check_module("logo"), "run", broken)
    result = runner.invoke(app, ["check", str(COPIES / "compliant.html"), "--format", "json"])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert "ZeroDivisionError: boom" in report["results"][0]["error"]
    assert "Traceback" not in result.output


def test_stdin_input(runner):
    page = (COPIES / "compliant.html").read_bytes()
    result = runner.invoke(app, ["check", "-", "--format", "json"], input=page)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"][0]["input"] == "-"


def test_directory_input_is_searched_recursively_in_order(runner):
    result = runner.invoke(
        app, ["check", str(COPIES), "--originals", str(ORIGINALS), "--format", "json"]
    )
    inputs = [r["input"] for r in json.loads(result.stdout)["results"]]
    assert inputs == sorted(inputs)
    assert len(inputs) == 7


def test_output_file_is_written(runner, tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(
        app, ["check", str(COPIES / "compliant.html"), "--format", "json", "--output", str(out)]
    )
    assert result.exit_code == 0
    assert json.loads(out.read_text())["schema"] == "compliance-report/1"


def test_output_directories_are_created(runner, tmp_path):
    out = tmp_path / "reports" / "ci" / "report.json"
    result = runner.invoke(
        app, ["check", str(COPIES / "compliant.html"), "-f", "json", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert json.loads(out.read_text())["summary"]["pass"] == 1


def test_output_under_a_file_is_a_user_error(runner, tmp_path):
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "report.json"
    result = runner.invoke(app, ["check", str(COPIES / "compliant.html"), "--output", str(out)])
    assert result.exit_code == 2
    assert "cannot create its directory" in result.stderr


def test_bad_originals_line_is_reported_and_skipped(runner, tmp_path):
    archive = tmp_path / "o.jsonl"
    good = (ORIGINALS / "dcnf-originals.jsonl").read_text(encoding="utf-8").splitlines()[0]
    archive.write_text('{"id": "x"}\nnot json\n' + good + "\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["check", str(COPIES / "compliant.html"), "--originals", str(archive), "--format", "json"],
    )
    assert result.exit_code == 2
    assert f"{archive}:1: missing required fields: title, body" in result.stderr
    assert f"{archive}:2:1: not valid JSON" in result.stderr
    assert json.loads(result.stdout)["results"][0]["original"]["id"] == "dcnf-2022-04-28-china-iran"


def test_rules_list_show_validate_schema(runner):
    listed = runner.invoke(app, ["rules", "list"])
    assert listed.exit_code == 0 and "dcnf" in listed.stdout
    shown = runner.invoke(app, ["rules", "show", "dcnf"])
    assert shown.exit_code == 0
    assert "All republished articles must include our logo." in shown.stdout
    validated = runner.invoke(app, ["rules", "validate"])
    assert validated.exit_code == 0 and "dcnf (7 checks)" in validated.stdout
    schema = runner.invoke(app, ["rules", "schema"])
    assert json.loads(schema.stdout)["properties"]["checks"]["type"] == "array"


def test_rules_show_unknown_id_suggests(runner):
    result = runner.invoke(app, ["rules", "show", "dcfn"])
    assert result.exit_code == 2
    assert "did you mean 'dcnf'?" in result.stderr


def test_inspect_json_has_the_contract_fields(runner):
    result = runner.invoke(
        app, ["inspect", str(COPIES / "byline-is-site-account.html"), "--format", "json"]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"input", "title", "bylines", "images", "canonical", "paragraphs"} <= set(data)
    assert data["bylines"] == []  # "The Daily Caller" is an account, not a person
    assert data["title"] == "China Buddies Up To Major American Foe With New Military Agreement"
    assert {
        "src": "https://cdn.example-news.com/uploads/dcnf-logo.png",
        "alt": "Daily Caller News Foundation logo",
    }.items() <= data["images"][0].items()


def test_inspect_text(runner):
    result = runner.invoke(app, ["inspect", str(COPIES / "compliant.html")])
    assert result.exit_code == 0
    assert "Philip Lenczycki" in result.stdout


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("compliance ")


def test_parallel_check_gives_the_same_report_in_input_order(runner, tmp_path):
    for index, page in enumerate(sorted(COPIES.iterdir()) * 2):
        (tmp_path / f"{index:02d}-{page.name}").write_bytes(page.read_bytes())
    (tmp_path / "99-broken.html").write_bytes(b"")
    args = ["check", str(tmp_path), "--originals", str(ORIGINALS), "--format", "json"]
    one = runner.invoke(app, [*args, "--jobs", "1"])
    two = runner.invoke(app, [*args, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 2  # the empty page is an input error
    assert one.stdout == two.stdout
    assert len(json.loads(two.stdout)["results"]) == 15
