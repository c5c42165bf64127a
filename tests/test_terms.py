"""The editor's terms (`--terms`), pages no rule set applies to, and newsroom requests that
warn rather than fail."""

from __future__ import annotations

import json

import pytest
import yaml

from compliance.cli.main import app
from compliance.terms.files import bundled_rules_dir
from compliance.terms.loading import load_rulesets
from conftest import SEED


@pytest.fixture
def stripped(tmp_path):
    """The seed article with every DCNF mark removed: logo line, notice and bio."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if "Daily Caller News Foundation" not in line]
    assert len(kept) == len(lines) - 3
    page = tmp_path / "draft.txt"
    page.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return page


def test_the_editors_terms_judge_a_stripped_copy(runner, stripped):
    result = runner.invoke(app, ["check", str(stripped), "--terms", "dcnf", "--format", "json"])
    assert result.exit_code == 1
    [page] = json.loads(result.stdout)["results"]
    assert page["status"] == "fail" and page["ruleset"] == "dcnf"
    assert "--terms dcnf" in page["detected_by"]
    failed = {f["check"] for f in page["findings"] if not f["passed"]}
    assert {"logo", "affiliation"} <= failed


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


def _story_page(tmp_path, credit: str, name: str = "story") -> str:
    paragraphs = "".join(
        f"<p>The county board met on Tuesday to weigh the {topic} plan, and residents asked"
        " how the cost would be shared between the towns along the river.</p>"
        for topic in ("water", "bridge", "school", "clinic")
    )
    page = tmp_path / f"{name}.html"
    page.write_text(
        f"<html><body><article><h1>The river plan</h1><p>By Ana Ruiz</p>{paragraphs}"
        f"<p>{credit}</p></article></body></html>",
        encoding="utf-8",
    )
    return str(page)


def test_a_plain_credit_label_is_a_detection_signal_for_every_shipped_newsroom(runner, tmp_path):
    """ "Source: X", "Via X" and "Courtesy of X" name the newsroom as the story's source."""
    newsrooms = [
        r
        for r in load_rulesets([bundled_rules_dir()])
        if not r.spec.abstract and "generic" not in r.spec.name
    ]
    labels = ("Source: {}", "Via {}", "Courtesy of {}.")
    for ruleset in newsrooms:
        names = ruleset.spec.detect.names or [ruleset.spec.name]
        for label in labels:
            page = _story_page(tmp_path, label.format(names[-1]), f"{ruleset.id}-{len(label)}")
            result = runner.invoke(app, ["check", page, "--format", "json"])
            [found] = json.loads(result.stdout)["results"]
            assert found["ruleset"] == ruleset.id, (label, ruleset.id, found["detected_by"])
            assert "credit line reads" in found["detected_by"]
        # A study or a document the story cites is reporting, not a credit.
        cited = _story_page(tmp_path, f"Source: {names[0]} analysis of state budget data", "c")
        [found] = json.loads(runner.invoke(app, ["check", cited, "-f", "json"]).stdout)["results"]
        assert found["status"] == "unmatched", ruleset.id


def test_a_credit_label_counts_as_the_credit_line_only_where_the_terms_accept_it(runner, tmp_path):
    def credit(page: str, terms: str) -> dict:
        result = runner.invoke(app, ["check", page, "--terms", terms, "--format", "json"])
        [found] = json.loads(result.stdout)["results"]
        return next(f for f in found["findings"] if f["check"] == "credit_line")

    kff = _story_page(tmp_path, "Source: KFF Health News", "kff")
    assert credit(kff, "kff-health-news")["passed"]
    # ProPublica prescribes its sentence; a label does not replace it.
    propublica = _story_page(tmp_path, "Source: ProPublica", "pp")
    assert not credit(propublica, "propublica")["passed"]
