"""`compliance audit` end to end: a real server on 127.0.0.1, a real SQLite file."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from site_fixture import COMPLIANT, NO_BYLINE, ORIGINALS, UNRELATED, WRONG_REPORTER, Site

from compliance.audit.report import build_report
from compliance.audit.runner import Audit, AuditOptions, begin
from compliance.audit.sources import expand_sources
from compliance.audit.store import Store
from compliance.cli.main import app
from compliance.terms.loading import load_rulesets
from compliance.web.fetch import Fetcher
from compliance.web.politeness import PoliteFetcher

FAST = ["--allow-private", "--delay", "0", "--timeout", "5"]


@pytest.fixture
def web():
    with Site() as site:
        for n in range(3):
            site.pages[f"/pass/{n}.html"] = COMPLIANT
            site.pages[f"/fail/{n}.html"] = NO_BYLINE
        site.pages["/other.html"] = UNRELATED
        yield site


def url_list(tmp_path: Path, site: Site, paths: list[str], extra: str = "") -> Path:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# republished copies\n" + "".join(site.url(p) + "\n" for p in paths) + extra,
        encoding="utf-8",
    )
    return listing


def pages(db: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT url, status, reason FROM pages").fetchall()
    return {url: (status, reason) for url, status, reason in rows}


def test_audit_checks_every_page_and_records_why_some_could_not_be(runner, tmp_path, web):
    listing = url_list(
        tmp_path,
        web,
        [*web.pages, "/status/404", "/status/500", "/private/x.html", "/bomb", "/image.png"],
        extra="not a url\n",
    )
    db = tmp_path / "audit.sqlite"
    result = runner.invoke(
        app, ["audit", str(listing), "--originals", str(ORIGINALS), "--db", str(db), *FAST]
    )
    assert result.exit_code == 1, result.output  # pages fail an error-level requirement
    assert "line 14: 'not a url'" in result.stderr
    stored = pages(db)
    assert len(stored) == 12
    statuses = {url.split(web.base)[1]: status for url, (status, _) in stored.items()}
    assert [statuses[f"/pass/{n}.html"] for n in range(3)] == ["pass"] * 3
    assert [statuses[f"/fail/{n}.html"] for n in range(3)] == ["fail"] * 3
    assert statuses["/other.html"] == "unmatched"
    reasons = {url.split(web.base)[1]: reason for url, (_, reason) in stored.items() if reason}
    assert reasons == {
        "/status/404": "the server answered HTTP 404",
        "/status/500": "the server answered HTTP 500",
        "/private/x.html": "robots.txt disallows fetching this page",
        "/bomb": "the page is over the 20 MiB limit once decompressed",
        "/image.png": "not a page: the server sent image/png",
    }
    assert "12 pages: 3 pass, 0 warn, 3 fail, 1 unmatched, 5 unverifiable" in result.stderr
    [agent] = web.agents
    assert agent.startswith("compliance/") and "syndication licensing checker" in agent


def test_ignoring_robots_is_explicit_and_recorded(runner, tmp_path, web):
    web.pages["/private/copy.html"] = COMPLIANT
    listing = url_list(tmp_path, web, ["/private/copy.html"])
    db = tmp_path / "audit.sqlite"
    args = ["audit", str(listing), "--originals", str(ORIGINALS), "--db", str(db), *FAST]
    runner.invoke(app, [*args, "--ignore-robots"])
    assert set(pages(db).values()) == {("pass", None)}
    report = runner.invoke(app, ["report", "--db", str(db), "--format", "markdown"])
    assert "robots.txt was ignored for this run (--ignore-robots)." in report.stdout


def test_private_addresses_are_refused_without_the_flag(runner, tmp_path, web):
    """An audit that could fetch nothing says why, names the flag, exits 2, and is never the
    run the next one is compared with."""
    listing = url_list(tmp_path, web, ["/pass/0.html", "/fail/0.html"])
    db = tmp_path / "audit.sqlite"
    result = runner.invoke(app, ["audit", str(listing), "--db", str(db), "--delay", "0"])
    assert result.exit_code == 2, result.output
    assert "2 unverifiable" in result.stderr and "2 fetch-failed" in result.stderr
    assert "no page could be checked" in result.stderr
    assert "--allow-private" in result.stderr and "a loopback address" in result.stderr
    assert "robots.txt" not in result.stderr  # the robots check is not what failed
    assert {status for status, _ in pages(db).values()} == {"unverifiable"}
    assert web.requests == []

    # The next, working run has nothing to be compared with: no violation is "new".
    good = runner.invoke(app, ["audit", str(listing), "--db", str(db), *FAST])
    assert good.exit_code == 1
    report = runner.invoke(app, ["report", "--db", str(db), "--format", "json"])
    data = json.loads(report.stdout)
    assert data["previous_run"] is None and data["new"] == []


def test_a_url_list_is_a_url_list_whatever_its_lines(runner, tmp_path, web):
    """The five-line list of a new user: one good URL, four bad lines, each reported with
    its number; the good one audited."""
    listing = tmp_path / "copies.txt"
    listing.write_text(
        f"{web.url('/pass/0.html')}\nhttp://unresolvable.invalid/story\nftp://example.com/a\n"
        "example.com:8080/path\nnot a url\n",
        encoding="utf-8",
    )
    db = tmp_path / "audit.sqlite"
    result = runner.invoke(app, ["audit", str(listing), "--db", str(db), *FAST])
    assert result.exit_code in (0, 1), result.output
    for number in (3, 4, 5):
        assert f"copies.txt: line {number}:" in result.stderr
    found = pages(db)
    assert web.url("/pass/0.html") in found and found[web.url("/pass/0.html")][0] == "pass"
    assert str(listing) not in found  # the list itself is never taken for a page
    assert found.get("http://unresolvable.invalid/story", ("unverifiable",))[0] == "unverifiable"


def test_sitemaps_feeds_manifests_and_saved_pages_are_sources(runner, tmp_path, web):
    web.pages["/sitemap-a.xml"] = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{web.url('/pass/0.html')}</loc></url></urlset>"
    ).encode()
    web.pages["/sitemap-index.xml"] = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{web.url('/sitemap-a.xml')}</loc></sitemap></sitemapindex>"
    ).encode()
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>a</title><link>{web.url('/fail/0.html')}</link></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    manifest = tmp_path / "platform.csv"
    manifest.write_text(
        "copy_url,original_id\n"
        f"{web.url('/fail/1.html')},dcnf-2022-04-28-china-iran\n"
        "ftp://nope,\n",
        encoding="utf-8",
    )
    saved = tmp_path / "saved" / "news.example"
    saved.mkdir(parents=True)
    (saved / "copy.html").write_bytes(WRONG_REPORTER)
    db = tmp_path / "audit.sqlite"
    result = runner.invoke(
        app,
        [
            "audit", web.url("/sitemap-index.xml"), str(feed), str(manifest),
            str(tmp_path / "saved"), "--originals", str(ORIGINALS), "--db", str(db), *FAST,
        ],
    )  # fmt: skip
    assert "platform.csv: line 3: only http and https URLs are fetched" in result.stderr
    stored = pages(db)
    assert {url: status for url, (status, _) in stored.items()} == {
        web.url("/pass/0.html"): "pass",
        web.url("/fail/0.html"): "fail",
        web.url("/fail/1.html"): "fail",
        str(saved / "copy.html"): "fail",
    }
    with sqlite3.connect(db) as con:
        found = dict(con.execute("SELECT url, result FROM pages").fetchall())
        domains = dict(con.execute("SELECT url, domain FROM pages").fetchall())
    manifest_match = json.loads(found[web.url("/fail/1.html")])["original"]
    assert manifest_match["method"] == "manifest"
    assert domains[str(saved / "copy.html")] == "news.example"


def test_a_manifest_without_a_url_column_is_a_clear_error(runner, tmp_path):
    manifest = tmp_path / "bad.csv"
    manifest.write_text("page,story\nx,y\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(manifest), "--db", str(tmp_path / "a.sqlite")])
    assert result.exit_code == 2
    assert "bad.csv: line 1: a manifest needs a column of copy URLs" in result.stderr


def test_a_missing_source_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(app, ["audit", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "a")])
    assert result.exit_code == 2
    assert "nope.txt: no such file or directory" in result.stderr


def test_resume_without_an_interrupted_run_says_so(runner, tmp_path):
    db = tmp_path / "a.sqlite"
    Store(db).close()
    result = runner.invoke(app, ["audit", "--resume", "--db", str(db)])
    assert result.exit_code == 2 and "no interrupted audit to resume" in result.stderr


def _audit_once(
    store: Store, sources: list[str], when: datetime, options: AuditOptions, jobs: int = 1,
    cluster: str | None = None,
) -> str:  # fmt: skip
    rulesets = load_rulesets()
    from compliance.archive.index_build import build_index
    from compliance.archive.match import Matcher

    matcher = Matcher(build_index([ORIGINALS], store.path.parent / "index"))
    with Fetcher(options.policy()) as fetcher:
        expanded = expand_sources(sources, PoliteFetcher(fetcher, obey_robots=False))
    run = begin(
        store, sources, expanded.targets, expanded.problems, rulesets, options, [ORIGINALS],
        None, lambda: when,
    )  # fmt: skip
    Audit(store, rulesets, matcher, options, jobs, cluster).execute(run)
    store.finish_run(run.id, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return run.id


OPTIONS = AuditOptions(allow_private=True, interval=0.0, deadline=5.0)


def test_week_over_week_new_persisting_resolved_and_disappeared(tmp_path, web):
    listing = url_list(
        tmp_path, web, ["/fail/0.html", "/fail/1.html", "/pass/0.html", "/pass/1.html"]
    )
    store = Store(tmp_path / "audit.sqlite")
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    first = _audit_once(store, [str(listing)], monday, OPTIONS)

    web.pages["/fail/0.html"] = COMPLIANT  # fixed
    web.pages["/pass/0.html"] = WRONG_REPORTER  # broken since
    del web.pages["/pass/1.html"]  # taken down
    second = _audit_once(store, [str(listing)], monday + timedelta(days=7), OPTIONS)

    report = build_report(store)
    assert (report.run.id, report.previous.id) == (second, first)
    by = lambda items: sorted((v.url.split(web.base)[1], v.check) for v in items)  # noqa: E731
    assert by(report.new) == [("/pass/0.html", "byline"), ("/pass/0.html", "media_credits")]
    assert by(report.resolved) == [("/fail/0.html", "byline"), ("/fail/0.html", "media_credits")]
    assert by(report.persisting) == [("/fail/1.html", "byline"), ("/fail/1.html", "media_credits")]
    assert [p.url for p in report.disappeared] == [web.url("/pass/1.html")]
    assert [round(t.compliance_rate, 3) for t in report.trend] == [0.5, 0.333]

    # --since compares with the state at a date; --until reports the run current then.
    older = build_report(store, until="2026-11-20")
    assert older.run.id == first and older.previous is None


def test_a_weekly_re_audit_does_not_refetch_unchanged_pages(tmp_path, web):
    listing = url_list(tmp_path, web, ["/pass/0.html", "/fail/0.html"])
    store = Store(tmp_path / "audit.sqlite")
    monday = datetime(2026, 11, 16, tzinfo=UTC)
    first = _audit_once(store, [str(listing)], monday, OPTIONS)
    second = _audit_once(store, [str(listing)], monday + timedelta(days=7), OPTIONS)
    again = {p.url: p for p in store.pages(second)}
    before = {p.url: p for p in store.pages(first)}
    assert all(p.not_modified and p.http_status == 304 for p in again.values())
    assert {u: p.status for u, p in again.items()} == {u: p.status for u, p in before.items()}
    assert {u: p.content_hash for u, p in again.items()} == {
        u: p.content_hash for u, p in before.items()
    }


def test_a_cluster_audit_reads_robots_once_a_worker_and_says_what_it_ran(runner, tmp_path):
    distributed = pytest.importorskip("distributed")
    with Site() as site:
        for n in range(50):  # three chunks of one republisher, run one after another
            site.pages[f"/copy/{n}.html"] = COMPLIANT
        listing = url_list(tmp_path, site, [f"/copy/{n}.html" for n in range(50)])
        with distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None
        ) as cluster:
            done = runner.invoke(
                app,
                ["audit", str(listing), "--db", str(tmp_path / "audit.sqlite"), "--originals",
                 str(ORIGINALS), "--cluster", cluster.scheduler_address, *FAST],
            )  # fmt: skip
            with distributed.Client(cluster) as client:
                profiling = client.run(
                    lambda dask_worker: dask_worker.periodic_callbacks["profile"].is_running()
                )
        assert done.exit_code == 0, done.output
        # The worker kept its fetcher from chunk to chunk: robots.txt read once, not three times.
        assert site.seen("/robots.txt") == 1
    assert "cluster: 3 chunks, 0 run again; pages per worker: tcp://" in done.output
    assert "50 (" in done.output
    assert set(profiling.values()) == {False}  # the sampling profiler that can deadlock


def test_a_local_cluster_gives_the_same_results_as_the_local_run(tmp_path):
    distributed = pytest.importorskip("distributed")
    with Site() as one, Site() as two:
        for site in (one, two):
            site.pages["/a.html"] = COMPLIANT
            site.pages["/b.html"] = NO_BYLINE
        listing = tmp_path / "urls.txt"
        listing.write_text(
            "".join(s.url(p) + "\n" for s in (one, two) for p in ("/a.html", "/b.html", "/c"))
        )
        local = Store(tmp_path / "local.sqlite")
        local_run = _audit_once(local, [str(listing)], datetime.now(UTC), OPTIONS, jobs=2)
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            remote = Store(tmp_path / "cluster.sqlite")
            remote_run = _audit_once(
                remote,
                [str(listing)],
                datetime.now(UTC),
                OPTIONS,
                cluster=cluster.scheduler_address,
            )
    summary = lambda store, run: [  # noqa: E731
        (p.url, p.status, p.reason, [f["passed"] for f in p.result["findings"]])
        for p in store.pages(run)
    ]
    assert summary(remote, remote_run) == summary(local, local_run)
    assert len(summary(local, local_run)) == 6


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_stopped_mid_audit_then_resumed_loses_and_duplicates_nothing(tmp_path, stop):
    with Site(delay=0.02) as site:
        for n in range(120):
            site.pages[f"/copy/{n}.html"] = COMPLIANT if n % 3 else NO_BYLINE
        listing = url_list(tmp_path, site, [f"/copy/{n}.html" for n in range(120)])
        db = tmp_path / "audit.sqlite"
        command = [
            sys.executable, "-m", "compliance", "audit", str(listing), "--originals",
            str(ORIGINALS), "--db", str(db), "--concurrency", "2", "--jobs", "2", *FAST,
        ]  # fmt: skip
        environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
        process = subprocess.Popen(
            command, env=environment, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + 60
        committed: dict[str, str] = {}
        while time.monotonic() < deadline and len(committed) < 30:
            time.sleep(0.1)
            if db.exists():
                try:
                    with sqlite3.connect(db) as con:
                        committed = dict(con.execute("SELECT url, fetched_at FROM pages"))
                except sqlite3.OperationalError:
                    continue
        os.killpg(process.pid, stop)  # the whole group, as a terminal's Ctrl-C does
        _, errors = process.communicate(timeout=60)
        if stop == signal.SIGINT:
            assert process.returncode == 130
            assert b"finish the run with `compliance audit --resume" in errors
            assert b"Traceback" not in errors
        assert 30 <= len(committed) < 120, "the audit finished before it could be killed"
        with sqlite3.connect(db) as con:
            after_kill = dict(con.execute("SELECT url, fetched_at FROM pages"))
        assert committed.items() <= after_kill.items()  # nothing committed was lost

        resumed = subprocess.run(
            [*command[:4], "--resume", "--db", str(db)], env=environment, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        assert resumed.returncode == 1, resumed.stderr  # some copies fail: that is exit 1
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT url, fetched_at FROM pages").fetchall()
        state = con.execute("SELECT state FROM runs").fetchall()
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert len(rows) == len({url for url, _ in rows}) == 120
    assert after_kill.items() <= dict(rows).items()  # earlier results untouched
    assert state == [("complete",)]


def test_a_second_resume_is_refused_while_the_run_is_being_worked(tmp_path):
    """Two processes on one run would check its pages twice: the run is claimed by the
    process working it, the claim is given up when it stops, and --resume then takes it."""
    with Site(delay=0.05) as site:
        for n in range(200):
            site.pages[f"/copy/{n}.html"] = COMPLIANT
        listing = url_list(tmp_path, site, [f"/copy/{n}.html" for n in range(200)])
        db = tmp_path / "audit.sqlite"
        command = [
            sys.executable, "-m", "compliance", "audit", str(listing), "--originals",
            str(ORIGINALS), "--db", str(db), "--concurrency", "1", *FAST,
        ]  # fmt: skip
        process = subprocess.Popen(command, stderr=subprocess.PIPE, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not _pages_recorded(db):
                time.sleep(0.1)
            second = subprocess.run([*command[:4], "--resume", "--db", str(db)],
                                    capture_output=True, text=True, timeout=120)  # fmt: skip
            assert process.poll() is None, "the first audit finished before the test could race it"
        finally:
            os.killpg(process.pid, signal.SIGINT)
            process.communicate(timeout=60)
        assert second.returncode == 2
        assert f"is being worked by process {process.pid} on this machine" in second.stderr
        assert "Traceback" not in second.stderr
        with sqlite3.connect(db) as con:
            assert con.execute("SELECT count(*) FROM claims").fetchone()[0] == 0  # given up
        site.delay = 0.0
        resumed = subprocess.run([*command[:4], "--resume", "--db", str(db)],
                                 capture_output=True, text=True, timeout=120)  # fmt: skip
        assert resumed.returncode == 0, resumed.stderr


@pytest.mark.parametrize(("quiet_for", "taken_over"), [(30, False), (3600, True)])
def test_a_claim_from_another_machine_lapses_once_it_is_not_renewed(tmp_path, quiet_for,
                                                                  taken_over):  # fmt: skip
    from compliance.errors import UserError

    store = Store(tmp_path / "audit.sqlite")
    store.db.execute(
        "INSERT INTO runs VALUES ('r1', NULL, '2026-12-01T00:00:00Z', NULL, 'running', 'k',"
        " '[]', '[]', '{}', '[]', 'test')"
    )
    last = time.time() - quiet_for
    store.db.execute(
        "INSERT INTO claims VALUES ('r1', 'elsewhere:7:abc', 'elsewhere', 7, ?, ?)", (last, last)
    )
    if taken_over:
        store.claim_run("r1")
        assert store.claim("r1").is_mine()
    else:
        with pytest.raises(UserError, match=r"process 7 on elsewhere .*its claim lapses in 2"):
            store.claim_run("r1")


def _pages_recorded(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT count(*) FROM pages").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_a_cluster_audit_outlives_a_page_that_hangs_the_parser(tmp_path):
    """On a Dask cluster each page is checked under the page budget too: the page that
    hangs lxml ends unverifiable (timed-out), and every other page is stored. The budget is
    4 s: a good page takes a tenth of it, even on a loaded machine; the hanging one about 11 s
    here (each element's attributes cost the parser quadratic time), under the input cap."""
    distributed = pytest.importorskip("distributed")
    hang = ("<p " + " ".join(f'a{i}="1"' for i in range(4_900)) + ">x</p>") * 400
    with Site() as site:
        for n in range(4):
            site.pages[f"/ok/{n}.html"] = COMPLIANT
        site.pages["/hang.html"] = f"<html><body>{hang}</body></html>".encode()
        listing = url_list(tmp_path, site, ["/hang.html", *(f"/ok/{n}.html" for n in range(4))])
        options = AuditOptions(allow_private=True, interval=0.0, deadline=20.0, page_timeout=4.0)
        with distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            store = Store(tmp_path / "cluster.sqlite")
            run = _audit_once(store, [str(listing)], datetime.now(UTC), options,
                              cluster=cluster.scheduler_address)  # fmt: skip
    stored = {p.url.split(site.base)[1]: p for p in store.pages(run)}
    assert len(stored) == 5
    hung = stored["/hang.html"]
    assert (hung.status, hung.result["reason"]) == ("unverifiable", "timed-out")
    assert {stored[f"/ok/{n}.html"].status for n in range(4)} == {"pass"}


def test_a_manifests_unknown_original_is_shown_in_the_reports(runner, tmp_path, web):
    manifest = tmp_path / "platform.csv"
    manifest.write_text(
        f"url,original_id\n{web.url('/pass/0.html')},no-such-original\n", encoding="utf-8"
    )
    db = tmp_path / "audit.sqlite"
    audited = runner.invoke(
        app, ["audit", str(manifest), "--db", str(db), "--originals", str(ORIGINALS), *FAST]
    )
    assert audited.exit_code in (0, 1), audited.output
    note = "the manifest names no-such-original as the original; no original has it"
    for fmt in ("markdown", "html", "json"):
        shown = runner.invoke(app, ["report", "--db", str(db), "--format", fmt])
        assert note in shown.stdout.replace("&#39;", "'"), fmt
