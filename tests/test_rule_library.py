"""The shipped rule library: self-tests, inheritance, severities, detection, ODRL export."""

from __future__ import annotations

import json
import textwrap

import pytest

from compliance.cli.main import app
from compliance.engine import Checker
from compliance.model import Page
from compliance.read.extract import extract
from compliance.read.sources import InputRef
from compliance.terms.files import bundled_rules_dir
from compliance.terms.loading import load_rulesets
from conftest import EXAMPLES, ROOT

RULESETS = EXAMPLES / "rulesets"
NEWSROOMS = sorted(p.name for p in RULESETS.iterdir() if p.is_dir())


def test_every_shipped_rule_file_passes_its_self_tests(runner):
    # The repository's rule files: their fixtures live beside them, not in an installed wheel.
    result = runner.invoke(app, ["rules", "test", str(ROOT / "rules")])
    assert result.exit_code == 0, result.stdout
    assert "FAIL" not in result.stdout and "ERROR" not in result.stdout
    tested = {line.split(":")[0].split()[-1] for line in result.stdout.splitlines()[:-1]}
    applied = {r.id for r in load_rulesets() if not r.spec.abstract}
    assert tested == applied  # every rule set a page can fall under has self-tests


def test_every_newsroom_has_a_compliant_and_a_non_compliant_example():
    ids = {r.id for r in load_rulesets()}
    for newsroom in NEWSROOMS:
        assert newsroom in ids
        assert {p.name for p in (RULESETS / newsroom).iterdir()} == {
            "compliant.html",
            "non-compliant.html",
        }


def test_a_failing_self_test_is_reported_with_what_differed(runner, tmp_path):
    rule = tmp_path / "strict.yaml"
    page = EXAMPLES / "rulesets" / "calmatters" / "compliant.html"
    rule.write_text(
        textwrap.dedent(
            f"""\
            schema: 1
            id: strict
            name: Strict Newsroom
            terms: Credit us.
            terms_url: https://strict.example/terms
            detect:
              text: ["originally published by CalMatters"]
            checks:
              - id: credit
                type: credit_line
                clause: Credit us.
                text: ["Originally published by Strict Newsroom"]
            tests:
              - page: {page}
                expect: pass
              - page: missing.html
                expect: fail
            """
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "test", str(rule)])
    assert result.exit_code == 2  # one test could not run at all
    assert "expected pass, got fail ['credit']" in result.stdout
    assert "missing.html: the page is missing" in result.stdout


def test_rules_list_shows_verification_and_bases(runner):
    listed = runner.invoke(app, ["rules", "list"]).stdout
    rows = {line.split()[0]: line for line in listed.splitlines()[1:] if line.strip()}
    assert "UNVERIFIED" in rows["propublica"] and "cc-by-nd-4.0" in rows["propublica"]
    assert "verified" in rows["texas-tribune"] and "UNVERIFIED" not in rows["texas-tribune"]
    assert "base" in rows["cc-by-4.0"]
    shown = runner.invoke(app, ["rules", "show", "propublica"]).stdout
    assert "UNVERIFIED" in shown
    assert "Extends: cc-by-nd-4.0 -> cc-by-4.0" in shown
    assert "pixel  tracking_pixel, warning, newsroom request" in shown


def _write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


CHILD = """\
    schema: 1
    id: gazette-wire
    name: Gazette Wire
    extends: {base}
    terms: Republish under CC BY-ND 4.0 with our credit line.
    terms_url: https://gazette.example/republish
    checks:
      - id: licence-notice
        text: ["Republished from Gazette Wire under a Creative Commons license*"]
        severity: warning
      - id: creator
        disabled: true
      - id: pixel
        type: tracking_pixel
        basis: request
        clause: Keep our pixel.
"""


def test_a_rule_set_extends_a_base_and_overrides_its_checks(tmp_path):
    [child] = load_rulesets([_write(tmp_path / "gazette.yaml", CHILD.format(base="cc-by-nd-4.0"))])
    checks = {c.id: c for c in child.checks}
    assert child.extends == ("cc-by-nd-4.0", "cc-by-4.0")
    assert set(checks) == {"licence-notice", "link", "no-adaptation", "pixel"}
    notice = checks["licence-notice"]
    assert notice.severity == "warning" and notice.type == "credit_line"
    assert notice.text == ["Republished from Gazette Wire under a Creative Commons license*"]
    assert notice.clause.startswith("Say that the work is under the licence")  # inherited
    assert checks["pixel"].basis == "request" and checks["link"].basis == "licence"


def test_extending_an_unknown_or_circular_base_is_a_clear_error(runner, tmp_path):
    typo = _write(tmp_path / "typo.yaml", CHILD.format(base="cc-by-nd-40"))
    result = runner.invoke(app, ["rules", "validate", str(typo)])
    assert result.exit_code == 2
    assert "typo.yaml:4:10: extends: no rule set 'cc-by-nd-40' (did you mean 'cc-by-nd-4.0'?)" in (
        result.stderr
    )
    loop = tmp_path / "loop"
    loop.mkdir()
    for me, other in (("a", "b"), ("b", "a")):
        _write(loop / f"{me}.yaml", CHILD.replace("gazette-wire", me).format(base=other))
    result = runner.invoke(app, ["rules", "validate", str(loop)])
    assert "extends: a cycle of rule sets: a -> b -> a" in result.stderr


def test_a_bad_override_is_reported_in_the_file_that_wrote_it(runner, tmp_path):
    bad = _write(
        tmp_path / "bad.yaml",
        CHILD.format(base="cc-by-nd-4.0").replace("severity: warning", "severity: loud"),
    )
    result = runner.invoke(app, ["rules", "validate", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml:10:15: checks[0].severity: unknown value 'loud'; one of: info" in result.stderr


def test_findings_say_licence_condition_or_newsroom_request(runner):
    page = str(RULESETS / "propublica" / "non-compliant.html")
    originals = str(RULESETS / "originals.jsonl")
    report = json.loads(
        runner.invoke(app, ["check", page, "--originals", originals, "--format", "json"]).stdout
    )
    basis = {f["rule"]: f["basis"] for f in report["results"][0]["findings"]}
    assert basis["propublica.credit-line"] == "licence"
    assert basis["propublica.pixel"] == "request"
    terminal = runner.invoke(app, ["check", page, "--originals", originals]).stdout
    assert "Violates the licence: Credit ProPublica at the top" in terminal
    assert "The newsroom asks: Keep the PixelPing tracking code" in terminal


def _detected(html: str) -> str | None:
    checker = Checker(load_rulesets())
    result = checker.check_article(extract(Page("page.html", "html", html)))
    return result.ruleset


@pytest.mark.parametrize("newsroom", NEWSROOMS)
def test_each_newsroom_s_copy_is_recognised_without_originals(newsroom):
    checker = Checker(load_rulesets())
    for name in ("compliant.html", "non-compliant.html"):
        path = RULESETS / newsroom / name
        result = checker.check_input(InputRef(str(path), path=path))
        if name == "compliant.html" or result.ruleset is not None:
            assert result.ruleset == newsroom, (name, result.detected_by)


def test_a_propublica_copy_is_not_reported_under_dcnf_and_the_reverse():
    checker = Checker(load_rulesets())
    propublica = RULESETS / "propublica" / "compliant.html"
    dcnf = EXAMPLES / "copies" / "compliant.html"
    pro = checker.check_input(InputRef(str(propublica), path=propublica))
    dc = checker.check_input(InputRef(str(dcnf), path=dcnf))
    assert (pro.ruleset, pro.status.value) == ("propublica", "pass")
    assert (dc.ruleset, dc.status.value) == ("dcnf", "pass")
    assert not any(f.rule.startswith("dcnf.") for f in pro.findings)
    assert not any(f.rule.startswith("propublica.") for f in dc.findings)


@pytest.mark.parametrize(
    "text",
    [
        "Officials told the Daily Caller News Foundation that the plan was on hold.",
        "ProPublica reported last year that the contract was renewed twice.",
        "The findings were first reported by The Texas Tribune and CalMatters.",
        "Lawmakers met on Tuesday. (RELATED: Senate passes budget)",
    ],
)
def test_a_page_that_only_mentions_a_newsroom_is_not_its_copy(text):
    html = f"<html><body><h1>Local news</h1><p>{text}</p><p>More local reporting follows here.</p></body></html>"
    assert _detected(html) is None


def test_citations_of_the_newswire_are_never_a_copy_signal():
    # A local story citing a DCNF story, in DCNF's own "(RELATED: ...)" style: citations.
    html = (
        "<p>By Jane Roe, staff</p><p>The plan stalled. (RELATED: Senate passes budget)</p>"
        '<p>Read more at <a href="https://dailycallernewsfoundation.org/2026/01/02/plan/">the'
        " source</a>.</p>"
    )
    assert _detected(html) is None
    # With the newswire's own mark in the article, they only add to its evidence.
    assert _detected(html + "<p>From the Daily Caller News Foundation</p>") == "dcnf"


def test_odrl_export_maps_duties_prohibitions_and_constraints(runner, tmp_path):
    out = tmp_path / "city-desk.jsonld"
    result = runner.invoke(app, ["rules", "export", "--odrl", "city-desk-abq", "-o", str(out)])
    assert result.exit_code == 0, result.output
    policy = json.loads(out.read_text(encoding="utf-8"))
    assert policy["@context"][0] == "http://www.w3.org/ns/odrl.jsonld"
    assert policy["@type"] == "Offer" and policy["profile"].startswith(
        "http://iptc.org/std/RightsML"
    )
    [permission] = policy["permission"]
    assert {d["action"] for d in permission["duty"]} == {"attribute"}
    assert [c["rightOperand"]["@value"] for c in permission["constraint"]] == ["P90D"]
    assert [p["action"] for p in policy["prohibition"]] == ["modify"]
    clauses = [d["compliance:clause"] for d in permission["duty"]]
    assert 'Put "This story was originally published by City Desk ABQ." at the top.' in clauses
    missing = runner.invoke(app, ["rules", "export", "--odrl", "nope"])
    assert missing.exit_code == 2 and "no rule set 'nope'" in missing.stderr
    no_format = runner.invoke(app, ["rules", "export", "dcnf"])
    assert no_format.exit_code == 2 and "choose the format, --odrl" in no_format.stderr


def test_every_bundled_rule_set_exports(runner):
    for path in sorted(bundled_rules_dir().glob("*.yaml")):
        ruleset_id = load_rulesets([path])[0].id
        result = runner.invoke(app, ["rules", "export", "--odrl", ruleset_id])
        assert result.exit_code == 0, ruleset_id
        assert json.loads(result.stdout)["uid"].endswith(f"#compliance-{ruleset_id}")
