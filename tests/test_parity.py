"""One verdict per page, whatever path brought its bytes: `compliance check FILE`,
`compliance check URL`, an audit's first fetch, its re-check of the stored body after a 304,
an audit of saved pages, and a Dask shard. Pages come in the shapes servers send: varied
encodings, content types with and without a charset, HTML that does not start with a tag,
Markdown and plain text; the 304s carry no Content-Type, as most servers send them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from site_fixture import COMPLIANT, EDITED, NO_BYLINE, ORIGINALS, WRONG_REPORTER, Site

from compliance.archive.index_build import build_index
from compliance.archive.match import Matcher
from compliance.audit.runner import Audit, AuditOptions, begin
from compliance.audit.sources import expand_sources
from compliance.audit.store import Store
from compliance.engine import Checker
from compliance.read.sources import expand_inputs
from compliance.terms.loading import load_rulesets
from compliance.web.fetch import Fetcher
from compliance.web.politeness import PoliteFetcher

OPTIONS = AuditOptions(allow_private=True, interval=0.0, deadline=5.0)

_LOGO_TEXT = "Daily Caller News Foundation logo"


def _legacy(page: bytes) -> bytes:
    """The compliant copy in windows-1252, declared in the page, with typographic quotes."""
    text = page.decode("utf-8").replace("<head>", '<head><meta charset="windows-1252">', 1)
    return text.encode("cp1252", "replace")


def _late_tags(page: bytes) -> bytes:
    """HTML whose first 2 KB are a comment and scripts: no tag a sniffer knows up front."""
    return b"<!-- cached " + b"x" * 3000 + b" -->\n" + page


def _markdown() -> bytes:
    return (
        "---\ntitle: China Buddies Up To Major American Foe\nauthor: Philip Lenczycki\n---\n\n"
        f"![{_LOGO_TEXT}](/dcnf-logo.png)\n\n"
        "China and Iran agreed to strengthen military ties during talks in Tehran on"
        " Wednesday, according to Chinese state-run media.\n"
    ).encode()


def _text() -> bytes:
    return (
        "China Buddies Up To Major American Foe\n\n"
        f"{_LOGO_TEXT}\n\nBy Philip Lenczycki, Daily Caller News Foundation\n\n"
        "China and Iran agreed to strengthen military ties during talks in Tehran on\n"
        "Wednesday, according to Chinese state-run media.\n"
    ).encode()


# name: (bytes, Content-Type served, file suffix)
PAGES = {
    "compliant": (COMPLIANT, "text/html; charset=utf-8", ".html"),
    "edited": (EDITED, "text/html", ".html"),
    "no-byline": (NO_BYLINE, "text/html; charset=UTF-8", ".html"),
    "wrong-reporter": (WRONG_REPORTER, "application/xhtml+xml", ".html"),
    "windows-1252": (_legacy(COMPLIANT), "text/html; charset=windows-1252", ".html"),
    "utf-8 with a BOM": (b"\xef\xbb\xbf" + NO_BYLINE, "text/html", ".html"),
    "late tags": (_late_tags(COMPLIANT), "text/html; charset=utf-8", ".html"),
    "markdown": (_markdown(), "text/markdown; charset=utf-8", ".md"),
    "plain text": (_text(), "text/plain; charset=utf-8", ".txt"),
}


def _slug(name: str) -> str:
    return name.replace(" ", "-")


def _verdicts(results, base: str = "") -> dict[str, tuple]:
    """Per page: status, rule set, original and every finding (without the input's name).

    `base`: the address pages were fetched from; a relative image address reads as absolute
    under it, and that is the only difference the evidence may show.
    """
    return {
        _slug_of(r["input"]): (
            r["status"],
            r.get("ruleset"),
            (r.get("original") or {}).get("id"),
            tuple(
                (
                    f["rule"],
                    f["passed"],
                    f.get("judged", True),
                    f["message"],
                    f["evidence"].replace(base, "") if base and f["evidence"] else f["evidence"],
                )
                for f in r["findings"]
            ),
        )
        for r in results
    }


def _slug_of(name: str) -> str:
    return Path(name.split("?")[0]).stem


def _fingerprints(results) -> dict[str, list[str]]:
    return {_slug_of(r["input"]): [f["fingerprint"] for f in r["findings"]] for r in results}


@pytest.fixture(scope="module")
def site():
    with Site() as served:
        for name, (body, kind, suffix) in PAGES.items():
            path = f"/{_slug(name)}{suffix}"
            served.pages[path] = body
            served.types[path] = kind
        yield served


def _audit(store: Store, sources: list[str], when: datetime, cluster: str | None = None):
    rulesets = load_rulesets()
    matcher = Matcher(build_index([ORIGINALS], store.path.parent / "index"))
    with Fetcher(OPTIONS.policy()) as fetcher:
        expanded = expand_sources(sources, PoliteFetcher(fetcher, obey_robots=False))
    run = begin(store, sources, expanded.targets, expanded.problems, rulesets, OPTIONS,
                [ORIGINALS], None, lambda: when)  # fmt: skip
    Audit(store, rulesets, matcher, OPTIONS, 1, cluster).execute(run)
    store.finish_run(run.id, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return store.pages(run.id)


def test_every_path_gives_the_same_verdict_finding_by_finding(site, tmp_path):
    from compliance.report.json_report import result_to_json

    saved = tmp_path / "saved"
    saved.mkdir()
    for name, (body, _kind, suffix) in PAGES.items():
        (saved / f"{_slug(name)}{suffix}").write_bytes(body)
    urls = [site.url(f"/{_slug(n)}{s}") for n, (_b, _k, s) in PAGES.items()]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")

    index = build_index([ORIGINALS], tmp_path / "index")
    checker = Checker(load_rulesets(), Matcher(index), page_budget=0)
    by_file = checker.run(expand_inputs([str(saved)]))
    by_url = checker.run(expand_inputs(urls))
    store = Store(tmp_path / "audit.sqlite")
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    first = _audit(store, [str(listing)], monday)
    again = _audit(store, [str(listing)], monday + timedelta(days=7))
    from_disk = _audit(Store(tmp_path / "saved.sqlite"), [str(saved)], monday)

    assert all(p.not_modified for p in again), "the second audit was answered with 304s"
    expected = _verdicts(result_to_json(r) for r in by_file.results)
    assert len(expected) == len(PAGES)
    assert _verdicts((result_to_json(r) for r in by_url.results), site.base) == expected
    for run in (first, again):
        assert _verdicts((p.result for p in run), site.base) == expected
    assert _verdicts(p.result for p in from_disk) == expected
    # Over the same URL, findings keep their identity from week to week.
    assert _fingerprints(p.result for p in again) == _fingerprints(p.result for p in first)


def test_a_dask_shard_gives_the_same_verdicts(site, tmp_path):
    distributed = pytest.importorskip("distributed")
    urls = [site.url(f"/{_slug(n)}{s}") for n, (_b, _k, s) in PAGES.items()]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    local_store = Store(tmp_path / "local.sqlite")
    local = _audit(local_store, [str(listing)], monday)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote_store = Store(tmp_path / "cluster.sqlite")
        first = _audit(remote_store, [str(listing)], monday, cluster.scheduler_address)
        again = _audit(remote_store, [str(listing)], monday + timedelta(days=7),
                       cluster.scheduler_address)  # fmt: skip
    expected = _verdicts(p.result for p in local)
    assert _verdicts(p.result for p in first) == expected
    assert _verdicts(p.result for p in again) == expected
    assert _fingerprints(p.result for p in again) == _fingerprints(p.result for p in local)


def test_an_unchanged_site_is_judged_once_and_a_rule_change_judges_it_again(site, tmp_path):
    from compliance.audit.report import build_report

    urls = [site.url(f"/{_slug(n)}{s}") for n, (_b, _k, s) in PAGES.items()]
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    store = Store(tmp_path / "audit.sqlite")
    rulesets = load_rulesets()
    matcher = Matcher(build_index([ORIGINALS], tmp_path / "index"))
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)

    def audit(when: datetime, rules) -> Audit:
        with Fetcher(OPTIONS.policy()) as fetcher:
            expanded = expand_sources([str(listing)], PoliteFetcher(fetcher, obey_robots=False))
        run = begin(store, [str(listing)], expanded.targets, [], rules, OPTIONS, [ORIGINALS],
                    None, lambda: when)  # fmt: skip
        audit = Audit(store, rules, matcher, OPTIONS)
        audit.execute(run)
        store.finish_run(run.id, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        return audit

    assert audit(monday, rulesets).reused == 0
    second = audit(monday + timedelta(days=7), rulesets)
    assert second.reused == len(PAGES)  # every verdict reused: same bytes, same rules
    report = build_report(store)
    assert report.new == [] and report.resolved == []

    # A rule set edited (the logo's alt text changed): nothing is reused, and what fails
    # because of it is new under the rules, not a change the republisher made.
    from compliance.terms.ruleset import RuleSet

    dcnf = next(r for r in rulesets if r.id == "dcnf")
    logo = next(c for c in dcnf.spec.checks if c.type == "logo")
    stricter = logo.replace(alt=["An alt text no page has"], src=["nomatch*"])
    checks = [stricter if c is logo else c for c in dcnf.spec.checks]
    edited = [
        RuleSet(dcnf.spec.replace(checks=checks), dcnf.path) if r is dcnf else r for r in rulesets
    ]
    third = audit(monday + timedelta(days=14), edited)
    assert third.reused == 0
    report = build_report(store)
    assert report.new and all(v.check == "logo" for v in report.new)
    assert all(v.cause == "rules-changed" for v in report.new)
    assert [c["id"] for c in report.rules_changed] == ["dcnf"]
    assert report.rules_changed[0]["before"] != report.rules_changed[0]["after"]
    from compliance.audit.fix_requests import letter
    from compliance.audit.formats import markdown

    assert "Rules changed since the previous run (1)" in markdown.render(report)
    assert "(rules changed: the page is unchanged)" in markdown.render(report)
    assert all(v["cause"] == "rules-changed" for v in report.to_json()["new"])
    newly = {v.url for v in report.new}
    some = next(p for p in report.pages if p.url in newly)
    assert "our checks changed since the last audit" in letter(report, some.domain, [some])
