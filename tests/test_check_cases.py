"""Table-driven pass/fail cases for every check type, kept as data in tests/cases/*.yaml.

Each case is a small page (html, markdown or text), optionally the original it copies (then
aligned with the page as the matcher would), optionally option overrides for checks of the
bundled DCNF rule set (`options: {check id: {option: value}}`), and the verdict expected of
named checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance.alignment import align
from compliance.checks import CHECK_TYPES
from compliance.engine import evaluate
from compliance.extract import extract
from compliance.model import Match, Original, Page
from compliance.ruleset import RuleSet, load_rulesets

CASES_DIR = Path(__file__).parent / "cases"


def _cases() -> list:
    params = []
    for file in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(file.read_text(encoding="utf-8"))["cases"]:
            params.append(pytest.param(case, id=f"{file.stem}:{case['name']}"))
    return params


@pytest.fixture(scope="module")
def dcnf():
    return next(r for r in load_rulesets() if r.id == "dcnf")


def test_every_check_type_has_cases():
    covered = {
        check
        for file in CASES_DIR.glob("*.yaml")
        for case in yaml.safe_load(file.read_text(encoding="utf-8"))["cases"]
        for check in case["expect"]
    }
    dcnf = next(r for r in load_rulesets() if r.id == "dcnf")
    types = {c.id: c.type for c in dcnf.checks}
    assert {types[c] for c in covered} == set(CHECK_TYPES)


@pytest.mark.parametrize("case", _cases())
def test_case(case, dcnf):
    page = Page(f"case.{case['kind']}", case["kind"], case["page"])
    article = extract(page)
    match = None
    if "original" in case:
        spec = case["original"]
        original = Original(
            id="case-original",
            title=spec.get("title", "Original"),
            body=tuple(spec.get("body", [])),
            authors=tuple(spec.get("authors", [])),
            source="dcnf",
        )
        alignment = align(original.body, article.paragraphs)
        match = Match(original, alignment.similarity, alignment.coverage, "test", alignment)
    ruleset = dcnf
    if "options" in case:
        checks = [c.model_copy(update=case["options"].get(c.id, {})) for c in dcnf.spec.checks]
        ruleset = RuleSet(dcnf.spec.model_copy(update={"checks": checks}), dcnf.path)
    result = evaluate(article, ruleset, match)
    verdicts = {f.rule.split(".", 1)[1]: f for f in result.findings}
    for check_id, expected in case["expect"].items():
        finding = verdicts[check_id]
        assert finding.passed == (expected == "pass"), f"{check_id}: {finding.message}"
    if "message" in case:
        for check_id, fragment in case["message"].items():
            assert fragment in verdicts[check_id].message
