"""`compliance report`: every format against golden files, the HTML in headless Chromium, and
hostile page text kept inert. The store is built through its API with fixed times and ids;
run with UPDATE_GOLDEN=1 to rewrite the golden files, then review them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from compliance.audit.fix_requests import safe_name, write_fix_requests
from compliance.audit.formats import AUDIT_FORMATS
from compliance.audit.report import SCHEMA, build_report
from compliance.audit.sources import Target
from compliance.audit.store import PageRecord, Store
from compliance.cli.main import app
from conftest import ROOT, UPDATE_GOLDEN, assert_golden

GOLDEN = Path(__file__).parent / "golden"
RULES = [
    {
        "id": "dcnf",
        "name": "Daily Caller News Foundation",
        "terms": "All republished articles must include our logo, our reporter's byline and"
        " their DCNF affiliation.",
        "terms_url": "https://dailycallernewsfoundation.org/",
        "contact": "licensing@dailycallernewsfoundation.org",
        "path": "rules/dcnf.yaml",
        "sha256": "0" * 64,
    }
]
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'`|"


def finding(check: str, passed: bool, url: str, severity: str = "error") -> dict:
    return {
        "check": check,
        "rule": f"dcnf.{check}",
        "passed": passed,
        "severity": severity,
        "message": f"{check} found" if passed else f"no {check} on the page",
        "evidence": None,
        "location": None,
        "clause": f"Republished articles must carry the {check}.",
        "fix": None if passed else f"Add the {check}.",
        "fingerprint": f"{check}:{url}",
        "suppressed": None,
    }


def page(url: str, position: int, domain: str, failing: tuple[str, ...] = (), status=None):
    checks = ("logo", "byline", "affiliation")
    findings = [finding(c, c not in failing, url) for c in checks]
    verdict = status or ("fail" if failing else "pass")
    unverifiable = verdict == "unverifiable"
    return PageRecord(
        url=url,
        position=position,
        domain=domain,
        status=verdict,
        fetched_at="2026-11-23T09:00:00Z",
        result={
            "input": url,
            "status": verdict,
            "ruleset": None if unverifiable else "dcnf",
            "original": None
            if unverifiable
            else {
                "id": "dcnf-1",
                "url": "https://dcnf.example/1",
                "similarity": 0.98,
                "coverage": 0.97,
            },
            "findings": [] if unverifiable else findings,
            "error": "the server answered HTTP 500" if unverifiable else None,
        },
        reason="the server answered HTTP 500" if unverifiable else None,
        ruleset=None if unverifiable else "dcnf",
        original_id=None if unverifiable else "dcnf-1",
        original_url=None if unverifiable else "https://dcnf.example/1",
        final_url=url,
        http_status=500 if unverifiable else 200,
        content_hash=None if unverifiable else "ab" * 32,
    )


def record_run(store: Store, run_id: str, started: str, pages: list[PageRecord]) -> None:
    targets = [Target(p.url) for p in pages]
    store.start_run(
        run_id, started, "weekly", ["urls.txt"], "label:weekly", RULES,
        {"obey_robots": True}, targets, ["urls.txt: line 9: 'ftp://x': not http; skipped"],
        "compliance test",
    )  # fmt: skip
    for p in pages:
        store.record_page(run_id, p)
    store.finish_run(run_id, started)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "audit.sqlite")
    a, b, c = "https://a.example/1", "https://www.b.example/2", "https://c.example/3"
    record_run(
        store,
        "week-46",
        "2026-11-16T09:00:00Z",
        [
            page(a, 0, "a.example", ("logo",)),
            page(b, 1, "b.example"),
            page(c, 2, "c.example", ("byline",)),
            page("https://gone.example/4", 3, "gone.example"),
        ],
    )
    record_run(
        store,
        "week-47",
        "2026-11-23T09:00:00Z",
        [
            page(a, 0, "a.example"),
            page(b, 1, "b.example", ("affiliation",)),
            page(c, 2, "c.example", ("byline",)),
            page("https://d.example/5", 3, "d.example", status="unverifiable"),
            page(f"https://e.example/{XSS}", 4, "e.example", ("logo",)),
        ],
    )
    return store


SUFFIX = {"html": "html", "markdown": "md", "json": "json", "csv": "csv"}


@pytest.mark.parametrize("name", sorted(AUDIT_FORMATS))
def test_audit_report_matches_golden_file(store, name):
    rendered = AUDIT_FORMATS[name](build_report(store))
    assert_golden(GOLDEN / f"audit.{SUFFIX[name]}", rendered)


def test_every_audit_format_has_a_golden_file():
    assert set(SUFFIX) == set(AUDIT_FORMATS)


def test_json_report_keeps_the_contract(store):
    report = json.loads(AUDIT_FORMATS["json"](build_report(store)))
    assert report["schema"] == SCHEMA
    assert report["run"]["id"] == "week-47" and report["run"]["pages"] == 5
    assert report["previous_run"] == {"id": "week-46", "started": "2026-11-16T09:00:00Z"}
    domains = {r["domain"]: r for r in report["republishers"]}
    assert domains["b.example"]["compliance_rate"] == 0.0
    assert domains["a.example"]["compliance_rate"] == 1.0
    assert domains["d.example"]["compliance_rate"] is None  # unverifiable does not count
    assert [(v["url"], v["check"]) for v in report["new"]] == [
        ("https://e.example/" + XSS, "logo"),
        ("https://www.b.example/2", "affiliation"),
    ]
    assert [(v["url"], v["check"]) for v in report["resolved"]] == [("https://a.example/1", "logo")]
    assert [p["url"] for p in report["disappeared"]] == ["https://gone.example/4"]
    assert report["checks"][0] == {"check": "affiliation", "failed": 1}
    assert set(report["pages"][0]) >= {"url", "status", "original", "failed_checks"}


def test_csv_has_a_row_per_page_and_check_and_defuses_formulas(store, tmp_path):
    (tmp_path / "sneaky").mkdir()
    rows = list(csv.DictReader(io.StringIO(AUDIT_FORMATS["csv"](build_report(store)))))
    assert len(rows) == 4 * 3 + 1  # four checked pages, one unverifiable row
    unverifiable = [r for r in rows if r["status"] == "unverifiable"]
    assert unverifiable[0]["message"] == "the server answered HTTP 500"
    assert all(not r["message"].startswith(("=", "+", "@")) for r in rows)


def test_html_report_escapes_page_text_and_forbids_scripts(store):
    text = AUDIT_FORMATS["html"](build_report(store))
    tree = lxml_html.fromstring(text)
    assert tree.xpath("//script") == []
    assert not [e for e in tree.iter() if any(a.startswith("on") for a in e.attrib)]
    assert tree.xpath("//img") == []
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert XSS in tree.text_content()  # shown as text, not run


def test_fix_requests_name_articles_and_stay_in_their_directory(store, tmp_path):
    report = build_report(store)
    written = write_fix_requests(report, tmp_path / "fixes")
    assert [p.name for p in written] == ["b.example.txt", "c.example.txt", "e.example.txt"]
    letter = (tmp_path / "fixes" / "b.example.txt").read_text(encoding="utf-8")
    assert "https://www.b.example/2" in letter
    assert "no affiliation on the page" in letter
    assert "To fix: Add the affiliation." in letter
    assert (
        "- The reporter's affiliation (licence condition): Republished articles must carry the"
        in letter
    )
    assert "https://dailycallernewsfoundation.org/" in letter
    assert {p.parent for p in written} == {(tmp_path / "fixes").resolve()}


@pytest.mark.parametrize(
    "domain", ["../../etc/passwd", "/abs", "..", "CON", "a\x00b", "ex ample.com", "É.example"]
)
def test_fix_request_file_names_are_safe(domain):
    name = safe_name(domain)
    assert name and "/" not in name and "\x00" not in name and not name.startswith(".")


def test_report_cli_picks_the_format_from_the_output_name(runner, store, tmp_path):
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--db", str(store.path), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = runner.invoke(app, ["report", "--db", str(tmp_path / "none.sqlite")])
    assert missing.exit_code == 2 and "no such audit database" in missing.stderr
    bad_date = runner.invoke(app, ["report", "--db", str(store.path), "--since", "last week"])
    assert bad_date.exit_code == 2 and "give a date as YYYY-MM-DD" in bad_date.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HEADLESS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_html_report_renders_in_headless_chromium_with_charts(store, tmp_path):
    report_file = tmp_path / "audit.html"
    report_file.write_text(AUDIT_FORMATS["html"](build_report(store)), encoding="utf-8")
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    shot = tmp_path / "audit.png"
    subprocess.run(
        [CHROMIUM, *HEADLESS, *profile, "--window-size=1100,1500", f"--screenshot={shot}",
         report_file.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    dom = subprocess.run(
        [CHROMIUM, *HEADLESS, *profile, "--dump-dom", report_file.as_uri()],
        capture_output=True, timeout=120, check=True, text=True,
    ).stdout  # fmt: skip
    rendered = lxml_html.fromstring(dom)
    charts = rendered.xpath("//figure[contains(@class, 'chart')]")
    assert len(charts) == 3
    assert len(rendered.xpath("//figure[@id='chart-1']//*[local-name()='rect']")) == 5
    assert len(rendered.xpath("//figure[@id='chart-2']//*[local-name()='rect']")) == 2
    assert rendered.xpath("//script") == []
    if UPDATE_GOLDEN:  # the README's picture of a report
        shutil.copy(shot, ROOT / "docs" / "audit-report.png")


def test_each_republisher_shows_its_last_runs_and_failures_link_to_their_evidence(store):
    from compliance.audit.formats import html

    report = build_report(store)
    assert set(report.republisher_trend) == {r.domain for r in report.republishers}
    assert all(len(rates) == len(report.trend) for rates in report.republisher_trend.values())
    page = html.render(report)
    for republisher in report.republishers:
        rates = report.republisher_trend[republisher.domain]
        assert rates[-1] == republisher.compliance_rate  # the last bar is this run
    assert page.count('class="spark"') == len(report.republishers)
    assert "compliance in the last runs, oldest first:" in page
    # Each violation links to its page's evidence: final URL, status, time, body hash.
    import re

    links = re.findall(r'href="#(page-\d+)"', page)
    assert len(links) >= len(report.new)
    assert all(f'id="{anchor}"' in page for anchor in links)
