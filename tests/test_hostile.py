"""Hostile servers and archives (issue 23), each run bounded: no hang past the deadline, no
crash, no escape sequence or markup from a server reaching a person's screen, no request to an
address that was not allowed."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from site_fixture import COMPLIANT, ORIGINALS, Site
from test_first_hour import compliance

from compliance.common.printable import printable
from compliance.web.fetch import Fetcher, FetchPolicy
from conftest import ROOT

HOSTILE_TITLE = "\x1b]0;owned\x07\x1b[2J\x1b[31m [/x] [link=http://evil.example]click[/link] "


@pytest.mark.parametrize("path", ["/drip-headers", "/continue"])
def test_headers_that_never_end_meet_the_deadline(path):
    with Site() as site, Fetcher(FetchPolicy(allow_private=True, deadline=2.0)) as fetcher:
        began = time.monotonic()
        fetched = fetcher.fetch(site.url(path))
        took = time.monotonic() - began
    assert fetched.error and "within the 2 s deadline" in fetched.error
    assert took < 2.0 + 1.5, took  # one deadline, not one per byte, and no retry of it


def test_an_audit_of_servers_that_drip_headers_ends_at_its_timeout(tmp_path):
    with Site() as site:
        listing = tmp_path / "urls.txt"
        listing.write_text(f"{site.url('/drip-headers')}\n{site.url('/continue')}\n")
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "compliance", "audit", str(listing), "--db",
             str(tmp_path / "a.db"), "--allow-private", "--delay", "0", "--timeout", "3"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        took = time.monotonic() - began
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "within the 3 s deadline" in done.stderr
    assert took < 3 + 3 + 8, took  # both pages at once, plus the interpreter's start


def _hostile_archive(tmp_path: Path) -> Path:
    rows = [json.loads(line) for line in ORIGINALS.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["title"] = HOSTILE_TITLE + row["title"]
        row["authors"] = [HOSTILE_TITLE + a for a in row.get("authors", [])]
    archive = tmp_path / "hostile.jsonl"
    archive.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return archive


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "github"])
def test_control_characters_and_markup_from_an_archive_are_shown_as_written(tmp_path, fmt):
    archive = _hostile_archive(tmp_path)
    copy = ROOT / "examples" / "copies" / "wrong-reporter.html"
    done = compliance("check", str(copy), "--originals", str(archive), "-f", fmt, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    for output in (done.stdout, done.stderr):
        assert "\x1b" not in output and "\x07" not in output
    if fmt == "terminal":
        assert "\\x1b]0;owned" in done.stdout  # shown, escaped
        assert "[link=http://evil.example]click[/link]" in done.stdout  # text, not a link


def test_archive_info_shows_a_hostile_author_escaped(tmp_path):
    done = compliance("archive", "info", str(_hostile_archive(tmp_path)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\\x1b[2J" in done.stdout


def test_server_text_that_looks_like_markup_crashes_nothing_and_loses_no_page(tmp_path):
    with Site() as site:
        site.pages["/odd.html"] = COMPLIANT
        site.types["/odd.html"] = "text/[/x]"
        site.pages["/good.html"] = COMPLIANT
        done = compliance("check", site.url("/good.html"), site.url("/odd.html"), "-f", "json",
                          cwd=tmp_path)  # fmt: skip
    assert done.returncode in (0, 1, 2) and "Traceback" not in done.stderr
    results = json.loads(done.stdout)["results"]
    assert results[0]["status"] in ("pass", "warn", "fail", "unmatched")
    assert "text/[/x]" in results[1]["error"]


def test_an_audit_report_and_fix_requests_show_no_control_character(tmp_path):
    with Site() as site:
        site.pages["/a.html"] = (ROOT / "examples/copies/wrong-reporter.html").read_bytes()
        listing = tmp_path / "urls.txt"
        listing.write_text(site.url("/a.html") + "\n")
        db = str(tmp_path / "a.db")
        audited = compliance("audit", str(listing), "--originals",
                             str(_hostile_archive(tmp_path)), "--db", db, "--allow-private",
                             "--delay", "0", cwd=tmp_path)  # fmt: skip
    assert audited.returncode == 1, audited.stderr
    report = compliance("report", "--db", db, "-f", "markdown", "--fix-requests", "letters",
                        cwd=tmp_path)  # fmt: skip
    letters = [p.read_text(encoding="utf-8") for p in (tmp_path / "letters").iterdir()]
    assert letters
    for text in (report.stdout, report.stderr, *letters):
        assert "\x1b" not in text


@pytest.mark.parametrize(
    "text", ["\x1b[2J", "a\u202eb", "\x9b31m", "tab\tand\nline", "plain", "\x00\x7f"]
)
def test_printable_writes_out_every_control_but_line_breaks_and_tabs(text):
    shown = printable(text)
    assert all(ch in "\n\t" or (ch.isprintable() and ch not in "\u202e") for ch in shown)
    assert printable(shown) == shown  # written out once: a second pass changes nothing


def test_the_deadline_transport_still_reaches_httpcores_pool():
    from compliance.web.deadline import DeadlineBackend, deadline_transport

    assert isinstance(deadline_transport()._pool._network_backend, DeadlineBackend)


@pytest.fixture
def connections(monkeypatch):
    """Every address this process connects to: a guard that also refuses the link-local
    range, so a test that would reach the metadata service fails instead of trying."""
    import ipaddress
    import socket

    seen: list[str] = []
    connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        seen.append(host)
        if isinstance(address, tuple) and ipaddress.ip_address(host).is_link_local:
            raise OSError("the connect guard refused a link-local address")
        return connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return seen


def test_a_named_url_redirecting_to_the_metadata_service_is_refused(connections, tmp_path):
    from typer.testing import CliRunner

    from compliance.cli.main import app

    metadata = "http://169.254.169.254/latest/meta-data/"
    with Site() as site:
        site.pages["/a.html"] = COMPLIANT
        runner = CliRunner()
        named = runner.invoke(app, ["check", site.url(f"/to?url={metadata}"), "--page-timeout",
                                    "0", "-f", "json"])  # fmt: skip
        same_host = runner.invoke(app, ["check", site.url("/redirect/a.html"), "--page-timeout",
                                        "0", "-f", "json"])  # fmt: skip
        originals = runner.invoke(app, ["check", str(ROOT / "examples/copies/compliant.html"),
                                        "--originals", site.url(f"/to?url={metadata}")])  # fmt: skip
    error = json.loads(named.stdout)["results"][0]["error"]
    assert "169.254.169.254, a link-local address" in error
    assert "its redirects only go to public addresses or the same host" in error
    assert json.loads(same_host.stdout)["results"][0]["status"] == "pass"  # its own host: fine
    assert originals.exit_code == 2 and "169.254.169.254" in originals.stderr
    assert "169.254.169.254" not in connections and "127.0.0.1" in connections


@pytest.mark.parametrize("mode", ["endless", "non-objects", "superscript", "empty-objects"])
def test_a_lying_wordpress_listing_ends_crashes_nothing_and_keeps_what_it_read(tmp_path, mode):
    from newsroom_fixture import Newsroom

    with Newsroom(count=150, hostile=mode) as room:
        done = compliance("archive", "sync", room.base + "/", "--into", "wire.jsonl",
                          "--delay", "0", "--allow-private", cwd=tmp_path)  # fmt: skip
        requests = len(room.requests)
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert requests < 10, requests  # a billion claimed pages are not asked for
    assert len(done.stderr.splitlines()) < 40  # problems summarised, not one line each
    state = tmp_path / "wire.jsonl.state.json"
    assert not state.exists() or state.stat().st_size < 20_000
    if mode == "endless":
        assert (
            "the listing repeated itself at page 2 of the 1,000,000,000 it claimed" in done.stderr
        )
        assert len((tmp_path / "wire.jsonl").read_text().splitlines()) == 100
    if mode == "empty-objects":
        assert "and 99,980 more of the same kinds (skipped)" in done.stderr


def test_a_sync_stopped_midway_keeps_what_it_read_and_the_next_finishes(tmp_path):
    import os
    import signal

    from newsroom_fixture import Newsroom

    with Newsroom(count=1000, delay=0.4) as room:
        command = [sys.executable, "-m", "compliance", "archive", "sync", room.base + "/",
                   "--into", "wire.jsonl", "--delay", "0", "--allow-private"]  # fmt: skip
        process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE,
                                   start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and room.served("/wp-json/wp/v2/posts?") < 4:
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)
        _, errors = process.communicate(timeout=60)
        kept = (tmp_path / "wire.jsonl").read_text(encoding="utf-8").splitlines()
        room.delay = 0.0
        again = compliance(*command[3:], cwd=tmp_path)
    assert process.returncode == 130 and b"Traceback" not in errors
    assert 300 <= len(kept) < 1000  # the pages read before the stop were saved
    assert again.returncode == 0, again.stderr
    assert len((tmp_path / "wire.jsonl").read_text(encoding="utf-8").splitlines()) == 1000


def _audited_store(tmp_path: Path) -> Path:
    with Site() as site:
        for n in range(3):
            site.pages[f"/{n}.html"] = COMPLIANT
        listing = tmp_path / "urls.txt"
        listing.write_text("".join(site.url(f"/{n}.html") + "\n" for n in range(3)))
        db = tmp_path / "audit.sqlite"
        done = compliance("audit", str(listing), "--originals", str(ORIGINALS), "--db", str(db),
                          "--allow-private", "--delay", "0", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as con:  # one file, as a copy to other media would be
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    return db


def test_a_damaged_store_is_named_as_such_and_left_untouched(tmp_path):
    db = _audited_store(tmp_path)
    data = bytearray(db.read_bytes())
    data[4096 : 4096 * 3] = bytes([0xA5]) * (4096 * 2)  # garbage over pages 2 and 3
    db.write_bytes(bytes(data))
    done = compliance("report", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "the audit database is damaged" in done.stderr and ".recover" in done.stderr
    assert "internal error" not in done.stderr
    assert db.read_bytes() == bytes(data)


def test_a_report_reads_a_store_it_cannot_write(tmp_path):
    import os
    import shutil

    db = _audited_store(tmp_path)
    media = Path("/tmp") / f"read-only-media-{os.getpid()}"
    shutil.rmtree(media, ignore_errors=True)
    media.mkdir()
    shutil.copy(db, media / "audit.sqlite")
    (media / "audit.sqlite").chmod(0o444)
    media.chmod(0o555)
    command = [sys.executable, "-m", "compliance", "report", "--db", str(media / "audit.sqlite")]
    if os.geteuid() == 0:
        # root writes anywhere; without the capabilities that override file modes it obeys them
        # as any owner does, and still reads a checkout that only root may read
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop the file-mode override")
        drop = "--bounding-set=-dac_override,-dac_read_search,-fowner"
        command = ["setpriv", drop, *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd="/tmp", env={**os.environ, "HOME": "/tmp"})  # fmt: skip
        audit = subprocess.run(
            [*command[: command.index("report")], "audit", "--resume", "--db",
             str(media / "audit.sqlite")],
            capture_output=True, text=True, timeout=120, cwd="/tmp",
            env={**os.environ, "HOME": "/tmp"},
        )  # fmt: skip
    finally:
        media.chmod(0o755)
        shutil.rmtree(media, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    assert "3 pages" in done.stdout or "3 pass" in done.stdout.replace("**", "")
    assert audit.returncode == 2 and "internal error" not in audit.stderr


def test_a_full_disk_mid_audit_is_a_clear_error_and_loses_nothing(tmp_path):
    from compliance.audit.runner import Audit, AuditOptions, begin
    from compliance.audit.sources import Target
    from compliance.audit.store import Store
    from compliance.audit.store_errors import StoreError
    from compliance.terms.loading import load_rulesets

    with Site() as site:
        for n in range(40):
            site.pages[f"/{n}.html"] = COMPLIANT
        store = Store(tmp_path / "audit.sqlite")
        options = AuditOptions(allow_private=True, interval=0.0, deadline=5.0)
        rulesets = load_rulesets()
        targets = [Target(site.url(f"/{n}.html"), None, None, "list") for n in range(40)]
        run = begin(store, ["list"], targets, [], rulesets, options, [], None,
                    lambda: datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up
        with pytest.raises(StoreError, match="the disk holding the audit database is full"):
            Audit(store, rulesets, None, options, 1).execute(run)
    kept = store.db.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert kept < 40
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_sitemap_index_that_fans_out_is_read_within_bounds(monkeypatch):
    from compliance.audit.sources import expand_sources
    from compliance.web import sitemaps
    from compliance.web.politeness import PoliteFetcher

    monkeypatch.setattr(sitemaps, "MAX_SITEMAPS", 60)  # 1,000 in use: the same code path
    with Site() as site, Fetcher(FetchPolicy(allow_private=True, deadline=5.0)) as fetcher:
        found = expand_sources([site.url("/fanout/0.xml")], PoliteFetcher(fetcher, 1, 0.0))
        fetched = sum(1 for p in site.requests if p.startswith("/fanout/"))
    assert fetched == 60 and found.targets == []
    assert any("more sub-sitemaps not read (at most 60 sitemaps, 5 levels deep" in p
               for p in found.problems)  # fmt: skip


def test_a_sitemap_of_a_million_addresses_is_cut_and_said_to_be(tmp_path):
    import gzip

    urls = "".join(f"<url><loc>https://news.example/{n}</loc></url>" for n in range(1_000_000))
    body = gzip.compress(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + urls.encode() + b"</urlset>", compresslevel=6,
    )  # fmt: skip
    (tmp_path / "huge.xml.gz").write_bytes(body)
    code = (
        "import sys\n"
        "from compliance.audit.sources import expand_sources\n"
        "found = expand_sources([sys.argv[1]], None)\n"
        # VmHWM, not ru_maxrss: that one keeps the forking test runner's size across exec.
        "peak = next(l for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
        "print(len(found.targets), peak.split()[1])\n"
        "print('\\n'.join(found.problems))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "huge.xml.gz")],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    count, peak_kib = map(int, done.stdout.splitlines()[0].split())
    assert count == 50_000  # the per-host bound: one host lists them all
    assert "over 50,000 pages on news.example; the first are used" in done.stdout
    assert peak_kib < 600_000, peak_kib  # was 1.1 GB holding every address


class _NoFetch:
    """A fetcher that answers nothing: sub-sitemaps of fuzzed input are not fetched."""

    def fetch(self, url: str, *args: object, **kwargs: object):
        from compliance.web.fetch import Fetched

        return Fetched(url, error="not fetched in this test")


_XMLISH = st.text(alphabet=st.sampled_from(list("<>/=\"' \n&;!?[]-urlsetlocmapindexhtp:.")),
                  max_size=300)  # fmt: skip


@given(st.one_of(_XMLISH, st.binary(max_size=300)))
def test_the_sitemap_reader_reads_any_bytes_without_raising(data):
    from compliance.web.sitemaps import listed_pages

    raw = data.encode() if isinstance(data, str) else data
    said: list[str] = []
    pages = list(listed_pages(raw, _NoFetch(), said.append, "https://x.example/s.xml"))
    assert all(p.url for p in pages) and all(isinstance(s, str) for s in said)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
_POST_KEYS = ["id", "title", "content", "_embedded", "link", "date", "date_gmt", "modified",
              "yoast_head_json"]  # fmt: skip


@given(st.dictionaries(st.sampled_from(_POST_KEYS), _JSON, max_size=9))
def test_a_wordpress_post_of_any_shape_is_a_record_or_a_reason(post):
    from compliance.archive.sync.wordpress import WordPressSite
    from compliance.errors import InputError

    site = WordPressSite("https://x.example/wp-json/", None, None)  # type: ignore[arg-type]
    try:
        record = site.record(post)
    except InputError as exc:
        assert exc.reason in ("protected", "empty")
        return
    assert record["title"] and record["body"]


def test_a_huge_robots_txt_is_read_to_500_kib_not_taken_as_crawl_nothing():
    from compliance.web.politeness import PoliteFetcher

    rules = b"User-agent: *\nDisallow: /private/\n"
    policy = FetchPolicy(allow_private=True, deadline=10.0)
    with Site(robots=rules + b"# padding\n" * 5_000_000) as site, Fetcher(policy) as fetcher:
        polite = PoliteFetcher(fetcher, 1, 0.0)
        site.pages["/a.html"] = COMPLIANT
        allowed = polite.fetch(site.url("/a.html"))
        refused = polite.fetch(site.url("/private/b.html"))
    assert allowed.ok, allowed.error
    assert not refused.ok and "robots.txt" in (refused.error or "")


def test_a_sitemap_over_20_mib_is_read_as_the_protocol_allows():
    from compliance.audit.sources import expand_sources
    from compliance.web.politeness import PoliteFetcher

    path = "/" + "p" * 200
    urls = "".join(f"<url><loc>https://news.example{path}/{n}</loc></url>" for n in range(100_000))
    body = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urls}</urlset>").encode()  # fmt: skip
    assert len(body) > 21 * 1024 * 1024
    with Site() as site, Fetcher(FetchPolicy(allow_private=True, deadline=30.0)) as fetcher:
        site.pages["/sitemap.xml"] = body
        site.types["/sitemap.xml"] = "application/xml"
        found = expand_sources([site.url("/sitemap.xml")], PoliteFetcher(fetcher, 1, 0.0))
    assert len(found.targets) == 50_000  # the per-host bound, said
    assert any("over 50,000 pages on news.example" in p for p in found.problems)


def test_malformed_sitemaps_and_feeds_say_which_and_how_much_was_read(tmp_path):
    from compliance.audit.sources import expand_sources

    sitemap = tmp_path / "broken-sitemap.xml"
    sitemap.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       "<url><loc>https://a.example/1</loc></url>\n"
                       "<url><loc>https://a.example/2</loc></url>\n<url><loc>oops</url>")  # fmt: skip
    feed = tmp_path / "broken-feed.xml"
    feed.write_text('<rss version="2.0"><channel><item><link>https://a.example/3</link></item>'
                    "<item><link>https://a.example/4</link></item><item>&bad <</channel>")  # fmt: skip
    found = expand_sources([str(sitemap), str(feed)], None)  # type: ignore[arg-type]
    said = "\n".join(found.problems)
    assert f"sitemap {sitemap}: malformed XML at line 3" in said
    assert "the 2 entries before it are used" in said
    assert f"{feed}: a malformed feed" in said and "entries read before the fault" in said
    assert [t.url for t in found.targets][:4] == [f"https://a.example/{n}" for n in (1, 2, 3, 4)]


def test_temporary_files_of_killed_writers_are_cleaned_up_once_stale(tmp_path):
    import os

    from compliance.common.files import write_atomic

    old = tmp_path / ".wire.jsonl.abc123.tmp"
    fresh = tmp_path / ".wire.jsonl.def456"
    old.write_text("half a file")
    fresh.write_text("another process's write in progress")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    write_atomic(tmp_path / "wire.jsonl", "{}\n")
    assert not old.exists() and fresh.exists()
    assert (tmp_path / "wire.jsonl").read_text() == "{}\n"


def test_a_stalled_server_is_reported_as_a_stall_not_as_a_complex_page(tmp_path):
    with Site() as site:
        done = compliance("check", site.url("/drip-headers"), "-f", "json", cwd=tmp_path)
    error = json.loads(done.stdout)["results"][0]["error"]
    assert "within the 10 s deadline" in error and "page budget" not in error


def test_a_feed_whose_history_never_ends_says_where_it_stopped(tmp_path):
    from newsroom_fixture import Newsroom

    from compliance.archive.sync.archive_file import SyncedArchive
    from compliance.archive.sync.client import SyncClient
    from compliance.archive.sync.feed import sync_feed
    from compliance.archive.sync.result import SyncResult, no_progress

    with Newsroom(count=200) as room:
        client = SyncClient.open(FetchPolicy(allow_private=True), 0.0, False)
        result = SyncResult(room.base + "/feed/", "feed")
        archive = SyncedArchive.open(tmp_path / "feed.jsonl")
        sync_feed(room.base + "/feed/", archive, client, result, "2026-12-01T00:00:00Z", None,
                  no_progress, max_pages=2)  # fmt: skip
        client.close()
    assert result.notes == [
        f"{room.base}/feed/: the feed's history pages did not end: read 2 pages and stopped there"
    ]
