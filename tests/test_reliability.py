"""Never crash, hang or guess: pathological pages, generated tag soup, metamorphic checks,
the regression corpus, linear-time patterns, concurrent store writers, atomic writes under
kill -9, and address pinning. docs/reliability.md gives the figures behind these."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from site_fixture import COMPLIANT, Site

from compliance.audit.sources import Target
from compliance.audit.store import PageRecord, Store
from compliance.cli.main import app
from compliance.common.textmatch import glob_match
from compliance.engine import Checker
from compliance.errors import REASONS
from compliance.model import Status
from compliance.read.sources import InputRef
from compliance.terms.loading import load_rulesets
from compliance.web.fetch import Fetcher, FetchPolicy
from conftest import EXAMPLES, ROOT

REGRESSIONS = Path(__file__).parent / "regressions"
TAXONOMY = {"pass", "warn", "fail", "unmatched", "error"}
DCNF_BYLINE = (
    '<p class="byline">By <a href="/author/philip-lenczycki">Philip Lenczycki</a>,'
    " Daily Caller News Foundation</p>"
)


def _check(runner, path: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["check", str(path), "--format", "json", *extra])
    assert result.exit_code in (0, 1, 2), result.output  # never 3: no bug, no traceback
    return json.loads(result.stdout)["results"][0]


def _page(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


# ---------------------------------------------------------------- pathological pages

PATHOLOGICAL = {
    "deep-nesting": ("<div>" * 100_000 + "text", "parse-truncated"),
    "byline-at-depth-5000": ("<div>" * 5000 + DCNF_BYLINE, "parse-truncated"),
    "huge-text-node": ("<p>" + "word " * 2_300_000 + "</p>", "parse-truncated"),
    "too-large": ("<p>" + "x" * (21 * 1024 * 1024), "too-large"),
    "200k-attributes": (
        "<p " + " ".join(f'a{i}="1"' for i in range(200_000)) + ">x</p>",
        "too-complex",
    ),
    "empty": ("", "unreadable"),
    "random-binary": (random.Random(7).randbytes(4096), "unreadable"),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_pages_end_unverifiable_with_their_reason(runner, tmp_path, name):
    markup, reason = PATHOLOGICAL[name]
    result = _check(runner, _page(tmp_path, f"{name}.html", markup))
    assert (result["status"], result["reason"]) == ("error", reason), result["error"]
    assert result["findings"] == []  # never "byline missing" on a page not fully read


def test_a_page_that_hangs_the_parser_is_stopped_at_the_budget(runner, tmp_path):
    # Under the pre-screen's limit, but slow enough: lxml is quadratic in attributes.
    markup = "<p " + " ".join(f'a{i}="1"' for i in range(4_900)) + ">" + DCNF_BYLINE
    page = _page(tmp_path, "slow.html", markup * 40)
    result = _check(runner, page, "--page-timeout", "0.05")
    assert (result["status"], result["reason"]) == ("error", "timed-out")


def test_content_after_the_closing_html_tag_is_still_read(runner, tmp_path):
    page = (EXAMPLES / "copies" / "compliant.html").read_text(encoding="utf-8")
    byline_moved = page.replace(DCNF_BYLINE, "") + DCNF_BYLINE
    assert byline_moved != page + DCNF_BYLINE
    result = _check(runner, _page(tmp_path, "after.html", byline_moved))
    assert result["status"] == "pass", [f["message"] for f in result["findings"]]


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.html")), ids=lambda p: p.name)
def test_regression_corpus_gets_an_outcome_from_the_taxonomy(runner, path):
    result = _check(runner, path)
    assert result["status"] in TAXONOMY
    if result["status"] == "error":
        assert result["reason"] in REASONS


# ---------------------------------------------------------------- generated tag soup

TAGS = ["div", "p", "span", "svg", "math", "table", "tr", "td", "template", "a", "img",
        "script", "style", "select", "option", "iframe", "html", "body", "head", "b", "i"]  # fmt: skip
TOKENS = st.one_of(
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(
        [
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "&#xD800;",
            "&amp",
            "\ufeff",
            '<meta charset="utf-16">',
            '<img src="data:,">',
            "By Jane Doe",
            "Daily Caller News Foundation",
            "\x00",
            "<p/>",
            "</>",
            "<",
            ">",
        ]
    ),
    st.text(max_size=12),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(TOKENS, max_size=40), st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_generated_tag_soup_never_crashes(tmp_path_factory, tokens, encoding):
    path = tmp_path_factory.mktemp("soup") / "soup.html"
    path.write_bytes("".join(tokens).encode(encoding, "replace"))
    checker = Checker(load_rulesets(), page_budget=0)
    result = checker.check_input(InputRef(str(path), path=path))
    assert checker.bugs == 0, result.error
    assert result.status in Status
    if result.status is Status.ERROR:
        assert result.reason in REASONS


# ---------------------------------------------------------------- metamorphic properties

COMPLIANT_PAGE = (EXAMPLES / "copies" / "compliant.html").read_text(encoding="utf-8")
CHROME = st.lists(
    st.sampled_from(
        [
            '<nav><a href="/">Home</a> <a href="/news">News</a></nav>',
            '<div class="ad">Advertisement</div>',
            "<aside><h3>Most read</h3><ul><li>Local team wins</li></ul></aside>",
            "<footer><p>Contact us at newsroom@example.com</p></footer>",
            '<div class="newsletter"><p>Sign up for our newsletter</p></div>',
        ]
    ),
    max_size=4,
)


def _verdict(html: str | bytes, name: str = "page.html") -> tuple[str, tuple[str, ...]]:
    checker = Checker(load_rulesets(), page_budget=0)
    page = Path(os.environ["COMPLIANCE_CACHE_DIR"]) / name
    page.write_bytes(html if isinstance(html, bytes) else html.encode("utf-8"))
    result = checker.check_input(InputRef(str(page), path=page))
    return result.status.value, tuple(sorted(f.rule for f in result.findings if not f.passed))


@settings(max_examples=15, deadline=None)
@given(CHROME, CHROME)
def test_wrapping_a_copy_in_site_chrome_keeps_the_verdict(before, after):
    wrapped = COMPLIANT_PAGE.replace("<body>", "<body>" + "".join(before), 1).replace(
        "</body>", "".join(after) + "</body>", 1
    )
    assert _verdict(wrapped, "wrapped.html") == _verdict(COMPLIANT_PAGE, "plain.html")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_re_encoding_a_copy_with_its_declaration_keeps_the_verdict(encoding):
    declared = COMPLIANT_PAGE.replace('<meta charset="utf-8">', f'<meta charset="{encoding}">')
    assert _verdict(declared.encode(encoding), f"{encoding}.html") == _verdict(COMPLIANT_PAGE)


def test_deleting_the_byline_turns_a_pass_into_a_byline_failure():
    assert DCNF_BYLINE in COMPLIANT_PAGE
    status, failed = _verdict(COMPLIANT_PAGE.replace(DCNF_BYLINE, ""), "no-byline.html")
    assert status == "fail" and "dcnf.byline" in failed
    assert _verdict(COMPLIANT_PAGE)[0] == "pass"


# ---------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    ("pattern", "text"),
    [("*a*a*a*a*a*a*a*a*a*a*b", "a" * 100_000), ("*?*?*?*?*?*?*?*x", "y" * 100_000)],
)
def test_rule_patterns_match_in_linear_time(pattern, text):
    # Python's fnmatch translation would backtrack for hours on these; RE2 cannot.
    assert glob_match(text, [pattern]) is None


# ---------------------------------------------------------------- store and files


def _write_pages(db: str, writer: int, count: int) -> None:
    store = Store(Path(db))
    for n in range(count):
        record = PageRecord(
            f"https://w{writer}.example/{n}", n, "example", "pass", "2026-01-01T00:00:00Z", {}
        )
        store.record_page("run", record)
    store.close()


def test_concurrent_writers_lose_nothing_and_never_see_a_locked_database(tmp_path):
    db = tmp_path / "audit.sqlite"
    store = Store(db)
    store.start_run("run", "2026-01-01T00:00:00Z", None, [], "k", [], {}, [Target("x")], [], "t")
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_pages, args=(str(db), w, 250)) for w in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    assert [w.exitcode for w in writers] == [0, 0, 0, 0]
    assert store.count_pages("run") == 1000
    assert store.integrity() == "ok"


WRITER = """
import sys
from pathlib import Path
from compliance.common.files import write_atomic
target, n = Path(sys.argv[1]), 0
while True:
    n += 1
    write_atomic(target, '{"version": %d, "pad": "%s"}' % (n, "x" * 400_000))
"""


def test_reports_written_atomically_survive_kill_9(tmp_path):
    target = tmp_path / "report.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for trial in range(12):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], env=env)
        time.sleep(0.15 + random.Random(trial).random() * 0.3)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        if target.exists():
            document = json.loads(target.read_text(encoding="utf-8"))  # never half a file
            assert len(document["pad"]) == 400_000
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "report.json"]
    assert all(name.startswith(".report.json.") for name in leftovers)


# ---------------------------------------------------------------- fetching


def test_the_connection_goes_to_the_address_that_was_checked():
    with Site() as site:
        site.pages["/story.html"] = COMPLIANT
        port = site.server.server_address[1]
        calls: list[str] = []

        def resolver(host: str, _port: int) -> list[str]:
            calls.append(host)  # a rebinding DNS would answer differently the next time
            return ["127.0.0.1"] if len(calls) == 1 else ["10.9.9.9"]

        policy = FetchPolicy(allow_hosts=frozenset({"pinned.test"}), attempts=1)
        with Fetcher(policy, resolver=resolver) as fetcher:
            got = fetcher.fetch(f"http://pinned.test:{port}/story.html")
    assert got.ok and got.body == COMPLIANT
    assert calls == ["pinned.test"]  # resolved once; the connection used that answer


def test_a_name_that_resolves_to_any_private_address_is_refused():
    with Fetcher(FetchPolicy(), resolver=lambda h, p: ["93.184.216.34", "10.0.0.5"]) as fetcher:
        got = fetcher.fetch("http://mixed.test/")
    assert got.error == (
        "not fetched: mixed.test resolves to 10.0.0.5, a private address; only public"
        " addresses are fetched unless given --allow-private (or --allow-host mixed.test)"
    )


def test_sqlite_database_is_not_left_locked_after_a_killed_writer(tmp_path):
    db = tmp_path / "audit.sqlite"
    Store(db).close()
    code = f"""
from pathlib import Path
from compliance.audit.store import Store
s = Store(Path({str(db)!r}))
s.db.execute("BEGIN IMMEDIATE")
s.db.execute("INSERT INTO meta VALUES ('x', 'y')")
import time; time.sleep(30)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", code], env=env)
    time.sleep(1.0)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with sqlite3.connect(db, timeout=5) as con:
        con.execute("INSERT INTO meta VALUES ('after', 'kill')")
        assert con.execute("SELECT value FROM meta WHERE key='x'").fetchone() is None


def test_a_page_that_needs_more_memory_than_a_page_may_have_is_too_large(tmp_path, monkeypatch):
    """The checking worker's heap is capped: a page that needs more is unverifiable, not an
    internal error and not a worker the system kills. The cap is set here just above what
    the worker holds already, so a 10 MB page exceeds it. Where the allocation fails decides
    the reason: `too-large` when it surfaces as an error, `timed-out` when the parser spins at
    the limit until the page budget stops it, `too-complex` when the worker dies of it (all
    seen on this machine)."""
    import compliance.common.budget as budget
    from compliance.engine import Checker
    from compliance.read.sources import expand_inputs
    from compliance.terms.loading import load_rulesets

    page = tmp_path / "big.html"
    paragraph = "<p>By Jane Doe of the Daily Caller News Foundation, words words words.</p>"
    page.write_text(f"<html><body>{paragraph * 150_000}</body></html>", encoding="utf-8")
    with open("/proc/self/status", encoding="ascii") as status:
        held = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmData:"))
    monkeypatch.setattr(budget, "PAGE_MEMORY", held + 40 * 2**20)
    run = Checker(load_rulesets(), None, page_budget=10).run(expand_inputs([str(page)]))
    [result] = run.results
    assert result.status.value == "error", result
    # A worker killed by the allocator at the cap (seen once a full suite loads the machine)
    # is the third outcome: still unverifiable, never an internal error.
    assert result.reason in ("too-large", "timed-out", "too-complex"), result.error
