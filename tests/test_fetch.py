"""Fetching strangers' pages: address checks, caps, deadlines, retries, robots.txt, pacing.

Every test talks to a real HTTP server on 127.0.0.1 (tests/site.py).
"""

from __future__ import annotations

import time

import pytest
from site_fixture import COMPLIANT, Site

from compliance.web.fetch import Fetcher, FetchError, FetchPolicy, check_url, refusal
from compliance.web.politeness import PoliteFetcher

OPEN = FetchPolicy(allow_private=True, deadline=5.0, attempts=2)


@pytest.fixture
def site():
    with Site() as running:
        running.pages["/story.html"] = COMPLIANT
        yield running


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.1",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "2002:7f00:1::1",
        "2001:db8::1", "ff02::1", "fe80::1%eth0",
    ],
)  # fmt: skip
def test_non_global_addresses_are_refused(address):
    assert refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert refusal(address) is None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/a",
        "data:text/html,<p>x</p>",
        "gopher://example.com/",
        "http://user:pass@example.com/",
        "http://user@example.com/",
        "http:///nohost",
        "http://example.com:99999/",
    ],
)
def test_only_plain_http_urls_are_fetched(url):
    with pytest.raises(FetchError):
        check_url(url)


def test_loopback_in_any_spelling_makes_no_connection(site):
    port = site.server.server_address[1]
    spellings = [
        "127.0.0.1", "2130706433", "0x7f000001", "0x7f.1", "017700000001", "127.1",
        "localhost", "[::ffff:127.0.0.1]",
    ]  # fmt: skip
    with Fetcher(FetchPolicy(attempts=1, deadline=3.0)) as fetcher:
        for host in spellings:
            got = fetcher.fetch(f"http://{host}:{port}/story.html")
            assert not got.ok
            assert "not fetched" in got.error or "resolve" in got.error, (host, got.error)
    assert site.requests == []


def test_a_redirect_to_a_private_address_is_checked_again(site):
    port = site.server.server_address[1]
    trusted = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), attempts=1)
    with Fetcher(trusted) as fetcher:
        assert fetcher.fetch(site.url("/story.html")).ok
        got = fetcher.fetch(site.url(f"/to?url=http://localhost:{port}/secret"))
    assert not got.ok and "--allow-private" in got.error
    assert site.seen("/secret") == 0


def test_conditional_request_gets_304_for_an_unchanged_page(site):
    with Fetcher(OPEN) as fetcher:
        first = fetcher.fetch(site.url("/story.html"))
        again = fetcher.fetch(site.url("/story.html"), etag=first.etag)
        site.pages["/story.html"] = COMPLIANT + b"<!-- edited -->"
        changed = fetcher.fetch(site.url("/story.html"), etag=first.etag)
    assert first.body == COMPLIANT and first.etag
    assert again.not_modified and again.body is None and again.status == 304
    assert not changed.not_modified and changed.body.endswith(b"<!-- edited -->")


def test_redirects_are_followed_and_loops_stopped(site):
    with Fetcher(OPEN) as fetcher:
        moved = fetcher.fetch(site.url("/redirect/story.html"))
        loop = fetcher.fetch(site.url("/loop/0"))
    assert moved.ok and moved.final_url == site.url("/story.html")
    assert loop.error == "more than 5 redirects"
    assert site.seen("/loop/5") == 1 and site.seen("/loop/6") == 0


def test_gzip_bomb_is_stopped_at_the_cap(site):
    policy = FetchPolicy(allow_private=True, max_bytes=5 * 1024 * 1024)
    started = time.monotonic()
    with Fetcher(policy) as fetcher:
        got = fetcher.fetch(site.url("/bomb"))
    assert got.error == "the page is over the 5 MiB limit once decompressed"
    assert time.monotonic() - started < 5


def test_oversized_page_is_refused(site):
    with Fetcher(OPEN) as fetcher:
        got = fetcher.fetch(site.url("/big"))
    assert got.error == "the page is over the 20 MiB limit"


def test_a_slow_drip_is_cut_at_the_deadline(site):
    policy = FetchPolicy(allow_private=True, deadline=1.0)
    started = time.monotonic()
    with Fetcher(policy) as fetcher:
        got = fetcher.fetch(site.url("/slow"))
    assert "deadline" in got.error
    assert time.monotonic() - started < 3


def test_retry_after_503_then_success(site):
    with Fetcher(OPEN) as fetcher:
        got = fetcher.fetch(site.url("/flaky/a"))
    assert got.ok and site.seen("/flaky/a") == 2


def test_server_errors_are_retried_and_client_errors_are_not(site):
    with Fetcher(FetchPolicy(allow_private=True, attempts=3)) as fetcher:
        broken = fetcher.fetch(site.url("/status/500"))
        missing = fetcher.fetch(site.url("/status/404"))
    assert broken.status == 500 and site.seen("/status/500") == 3
    assert missing.status == 404 and site.seen("/status/404") == 1
    assert missing.error == "the server answered HTTP 404"


def test_non_page_content_types_are_refused(site):
    with Fetcher(OPEN) as fetcher:
        got = fetcher.fetch(site.url("/image.png"))
    assert got.error == "not a page: the server sent image/png"


def test_robots_txt_is_obeyed_and_can_be_ignored(site):
    site.pages["/private/copy.html"] = COMPLIANT
    with Fetcher(OPEN) as fetcher:
        polite = PoliteFetcher(fetcher)
        refused = polite.fetch(site.url("/private/copy.html"))
        allowed = polite.fetch(site.url("/story.html"))
        ignoring = PoliteFetcher(fetcher, obey_robots=False).fetch(site.url("/private/copy.html"))
    assert refused.error == "robots.txt disallows fetching this page"
    assert allowed.ok and ignoring.ok
    assert site.seen("/private/copy.html") == 1  # only when told to ignore robots.txt
    assert site.seen("/robots.txt") == 1  # once per host


def test_crawl_delay_paces_requests_to_a_host(site):
    site.robots = b"User-agent: *\nCrawl-delay: 0.3\n"
    with Fetcher(OPEN) as fetcher:
        polite = PoliteFetcher(fetcher, per_host=4)
        started = time.monotonic()
        for _ in range(4):
            assert polite.fetch(site.url("/story.html")).ok
    assert time.monotonic() - started >= 0.9  # three gaps of 0.3 s


def test_unreadable_robots_txt_means_fetch_nothing(site):
    site.robots = b"500"
    with Fetcher(FetchPolicy(allow_private=True, attempts=1)) as fetcher:
        got = PoliteFetcher(fetcher).fetch(site.url("/story.html"))
    assert "robots.txt could not be read" in got.error
    assert site.seen("/story.html") == 0


def test_missing_robots_txt_allows_everything(site):
    site.robots = None  # answered with 404
    with Fetcher(OPEN) as fetcher:
        assert PoliteFetcher(fetcher).fetch(site.url("/story.html")).ok
