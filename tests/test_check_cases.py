"""Table-driven pass/fail cases for every check type, kept as data in tests/cases/*.yaml.

Each case is a small page (html, markdown or text), optionally the original it copies (then
aligned with the page as the matcher would), optionally option overrides for checks
(`options: {check id: {option: value}}`; an original's earlier bodies in `versions`), and the verdict expected of named checks (`pass`,
`fail`, or `not-judged` for a check that could not judge). A cases
file runs against the bundled DCNF rule set, or against its own `checks:` when it has them
(check types no DCNF rule uses).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance.archive.alignment import align
from compliance.checks import CHECK_TYPES
from compliance.engine import evaluate
from compliance.model import BodyVersion, Match, Original, Page
from compliance.read.extract import extract
from compliance.terms.loading import load_rulesets
from compliance.terms.ruleset import RuleSet
from compliance.terms.schema import RuleFile

CASES_DIR = Path(__file__).parent / "cases"


def _files() -> list[tuple[Path, dict]]:
    return [
        (file, yaml.safe_load(file.read_text(encoding="utf-8")))
        for file in sorted(CASES_DIR.glob("*.yaml"))
    ]


def _cases() -> list:
    return [
        pytest.param(file.stem, case, id=f"{file.stem}:{case['name']}")
        for file, data in _files()
        for case in data["cases"]
    ]


@pytest.fixture(scope="module")
def rulesets() -> dict[str, RuleSet]:
    """The rule set each cases file runs against, by file stem."""
    dcnf = next(r for r in load_rulesets() if r.id == "dcnf")
    found = {}
    for file, data in _files():
        if "checks" not in data:
            found[file.stem] = dcnf
            continue
        spec = RuleFile.model_validate(
            {
                "schema": 1,
                "id": "case",
                "name": "Example Newsroom",
                "terms": "Republish with credit.",
                "terms_url": "https://newsroom.example/republish",
                "checks": data["checks"],
            }
        )
        found[file.stem] = RuleSet.from_spec(spec, file)
    return found


def test_every_check_type_has_cases(rulesets):
    covered = set()
    for file, data in _files():
        types = {c.id: c.type for c in rulesets[file.stem].checks}
        covered |= {types[check] for case in data["cases"] for check in case["expect"]}
    assert covered == set(CHECK_TYPES)


def test_every_check_type_has_both_outcomes(rulesets):
    outcomes: dict[str, set[str]] = {}
    for file, data in _files():
        types = {c.id: c.type for c in rulesets[file.stem].checks}
        for case in data["cases"]:
            for check, verdict in case["expect"].items():
                outcomes.setdefault(types[check], set()).add(verdict)
    assert {t: v for t, v in outcomes.items() if not {"pass", "fail"} <= v} == {}


def _original(spec: dict) -> Original:
    extra = {k: spec[k] for k in ("post_id", "links", "images", "modified") if k in spec}
    versions = tuple(
        BodyVersion(tuple(v["body"]), v.get("seen"), v.get("modified"))
        for v in spec.get("versions", [])
    )
    return Original(
        id="case-original",
        title=spec.get("title", "Original"),
        body=tuple(spec.get("body", [])),
        url=spec.get("url"),
        authors=tuple(spec.get("authors", [])),
        published=spec.get("published"),
        source="dcnf",
        extra=extra,
        versions=versions,
    )


@pytest.mark.parametrize(("stem", "case"), _cases())
def test_case(stem, case, rulesets):
    page = Page(f"case.{case['kind']}", case["kind"], case["page"])
    article = extract(page)
    match = None
    if "original" in case:
        original = _original(case["original"])
        alignment = align(original.body, article.paragraphs)
        match = Match(original, alignment.similarity, alignment.coverage, "test", alignment)
    ruleset = rulesets[stem]
    if "options" in case:
        checks = [c.replace(**case["options"].get(c.id, {})) for c in ruleset.spec.checks]
        ruleset = RuleSet(ruleset.spec.replace(checks=checks), ruleset.path)
    result = evaluate(article, ruleset, match)
    verdicts = {f.rule.split(".", 1)[1]: f for f in result.findings}
    for check_id, expected in case["expect"].items():
        finding = verdicts[check_id]
        # "not-judged": the check could not judge, so it passes without claiming a pass.
        assert finding.judged == (expected != "not-judged"), f"{check_id}: {finding.message}"
        assert finding.passed == (expected != "fail"), f"{check_id}: {finding.message}"
    if "message" in case:
        for check_id, fragment in case["message"].items():
            assert fragment in verdicts[check_id].message
