"""The editor's terms (`--terms`), pages no rule set applies to, and newsroom requests that
warn rather than fail."""

from __future__ import annotations

import json

import pytest
import yaml

from compliance.cli import app
from compliance.ruleset import bundled_rules_dir, load_rulesets
from conftest import SEED, needs_shared


@pytest.fixture
def stripped(tmp_path):
    """The seed article with every DCNF mark removed: logo line, notice and bio."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if "Daily Caller News Foundation" not in line]
    assert len(kept) == len(lines) - 3
    page = tmp_path / "draft.txt"
    page.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return page


@needs_shared(SEED)
def test_the_editors_terms_judge_a_stripped_copy(runner, stripped):
    result = runner.invoke(app, ["check", str(stripped), "--terms", "dcnf", "--format", "json"])
    assert result.exit_code == 1
    [page] = json.loads(result.stdout)["results"]
    assert page["status"] == "fail" and page["ruleset"] == "dcnf"
    assert "--terms dcnf" in page["detected_by"]
    failed = {f["check"] for f in page["findings"] if not f["passed"]}
    assert {"logo", "affiliation"} <= failed


@needs_shared(SEED)
def test_an_unrecognised_page_says_what_was_tried_and_can_fail_ci(runner, stripped, tmp_path):
    plain = runner.invoke(app, ["check", str(stripped), "--format", "json"])
    assert plain.exit_code == 0  # the contract: unmatched alone is not a failure
    [page] = json.loads(plain.stdout)["results"]
    assert page["status"] == "unmatched"
    [note] = page["notes"]
    assert "no archive of originals was given" in note and "--terms ID" in note
    terminal = runner.invoke(app, ["check", str(stripped)]).stdout
    assert "nothing was checked" in terminal and "✓" not in terminal
    strict = runner.invoke(app, ["check", str(stripped), "--fail-on-unmatched"])
    assert strict.exit_code == 1
    config = tmp_path / "project.yaml"
    config.write_text("terms: dcnf\n", encoding="utf-8")
    configured = runner.invoke(app, ["check", str(stripped), "--config", str(config)])
    assert configured.exit_code == 1


def test_unknown_terms_are_a_clear_error(runner, tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<p>Story.</p>", encoding="utf-8")
    result = runner.invoke(app, ["check", str(page), "--terms", "dcfn"])
    assert result.exit_code == 2 and "did you mean 'dcnf'?" in result.stderr


def test_no_shipped_rule_set_fails_a_copy_on_a_request_unless_its_file_says_so():
    """A `basis: request` check is a warning unless its own rule file (or a base it
    extends) sets its severity."""
    written: dict[str, dict[str, str]] = {}
    for path in bundled_rules_dir().glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        written[data["id"]] = {
            c["id"]: c["severity"] for c in data.get("checks", []) if "severity" in c
        }
    failing_requests = []
    for ruleset in load_rulesets():
        for check in ruleset.checks:
            if check.basis != "request" or check.severity.value != "error":
                continue
            said = any(written.get(rid, {}).get(check.id) == "error" for rid in
                       (ruleset.id, *ruleset.extends))  # fmt: skip
            if not said:
                failing_requests.append(f"{ruleset.id}.{check.id}")
    assert failing_requests == []
    requests = [c for r in load_rulesets() for c in r.checks if c.basis == "request"]
    assert requests and all(c.severity.value in ("warning", "info") for c in requests)
