"""Being a good guest on republishers' servers: robots.txt, and a pace per host.

Politeness is per host (scheme, name and port), so an audit shards by host with no
coordination between shards. robots.txt follows RFC 9309: a 4xx means no rules, a server
error or an unreachable file means "crawl nothing" until it can be read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from compliance.web.fetch import NOT_FETCHED, PAGE_TYPES, Fetched, Fetcher

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
ROBOTS_TYPES = ("text/plain", "text/html", "application/octet-stream")
MAX_CRAWL_DELAY = 30.0  # a robots.txt asking for more is honoured at this pace


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL: the unit of politeness."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2].lower()}"


@dataclass(frozen=True)
class Robots:
    """One host's robots.txt as it applies to us."""

    rules: Protego | None  # None: no rules (a 4xx), everything allowed
    refused: str | None = None  # why nothing may be fetched (robots.txt unreachable)

    def allows(self, url: str, agent: str) -> bool:
        if self.refused:
            return False
        return self.rules is None or self.rules.can_fetch(url, agent)

    def delay(self, agent: str) -> float:
        if self.rules is None:
            return 0.0
        delay = self.rules.crawl_delay(agent)
        rate = self.rules.request_rate(agent)
        if rate is not None and rate.requests:
            delay = max(delay or 0.0, rate.seconds / rate.requests)
        return min(float(delay or 0.0), MAX_CRAWL_DELAY)


class _Host:
    def __init__(self, concurrency: int) -> None:
        self.slots = threading.BoundedSemaphore(concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.robots: Robots | None = None


class PoliteFetcher:
    """Fetches through a Fetcher, obeying each host's robots.txt and pacing requests to it.

    `interval` is the least time between two requests to one host (robots.txt `Crawl-delay`
    raises it); `per_host` caps the requests in flight to one host.
    """

    def __init__(
        self,
        fetcher: Fetcher,
        per_host: int = 2,
        interval: float = 0.0,
        obey_robots: bool = True,
    ) -> None:
        self.fetcher = fetcher
        self.per_host = max(1, per_host)
        self.interval = max(0.0, interval)
        self.obey_robots = obey_robots
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def _host(self, origin: str) -> _Host:
        with self._lock:
            host = self._hosts.get(origin)
            if host is None:
                host = self._hosts[origin] = _Host(self.per_host)
            return host

    def robots(self, url: str) -> Robots:
        """The robots.txt of `url`'s host, fetched once per host."""
        origin = origin_of(url)
        host = self._host(origin)
        with host.lock:
            if host.robots is None:
                host.robots = self._load_robots(origin)
            return host.robots

    def _load_robots(self, origin: str) -> Robots:
        # RFC 9309: a crawler reads at least the first 500 KiB and may ignore the rest; a
        # larger file is not a reason to crawl nothing.
        got = self.fetcher.fetch(
            f"{origin}/robots.txt", accept=ROBOTS_TYPES, first_bytes=ROBOTS_MAX_BYTES
        )
        if got.ok and got.body is not None:
            text = got.body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
            return Robots(Protego.parse(text))
        if got.status is not None and 400 <= got.status < 500 and got.status != 429:
            return Robots(None)
        if got.error and got.error.startswith(NOT_FETCHED):
            return Robots(None, refused=got.error)  # the address, not robots.txt, is the reason
        return Robots(None, refused=f"its site's robots.txt could not be read: {got.error}")

    @contextmanager
    def _turn(self, url: str, delay: float) -> Iterator[None]:
        host = self._host(origin_of(url))
        with host.slots:
            with host.lock:
                now = time.monotonic()
                start = max(now, host.next_start)
                host.next_start = start + max(self.interval, delay)
            if start > now:
                time.sleep(start - now)
            yield

    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] = PAGE_TYPES,
    ) -> Fetched:
        """Fetch `url` when its host's robots.txt allows it, at the host's pace."""
        agent = self.fetcher.policy.user_agent
        delay = 0.0
        if self.obey_robots:
            try:
                robots = self.robots(url)
            except ValueError:  # a URL with no host; the fetcher says why
                robots = Robots(None)
            if not robots.allows(url, agent):
                return Fetched(
                    url, error=robots.refused or "robots.txt disallows fetching this page"
                )
            delay = robots.delay(agent)
        with self._turn(url, delay):
            return self.fetcher.fetch(url, etag, last_modified, accept)
