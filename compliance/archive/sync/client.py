"""The sync's HTTP side: the audit's polite fetcher, with a count of the requests made."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from compliance.web.fetch import PAGE_TYPES, Fetched, Fetcher, FetchPolicy
from compliance.web.politeness import PoliteFetcher


class SyncError(Exception):
    """A source that cannot be synced at all (unreachable, not a known kind)."""


@dataclass
class SyncClient:
    """Fetches for one sync; `requests` counts what was asked of the source's servers."""

    polite: PoliteFetcher
    requests: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(
        cls, policy: FetchPolicy, interval: float = 0.0, obey_robots: bool = True
    ) -> SyncClient:
        """A client fetching under `policy`, at most one request per `interval` seconds."""
        return cls(PoliteFetcher(Fetcher(policy), per_host=2, interval=interval,
                                 obey_robots=obey_robots))  # fmt: skip

    def close(self) -> None:
        self.polite.fetcher.close()

    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] = PAGE_TYPES,
    ) -> Fetched:
        """GET `url` politely (retries included); never raises."""
        with self._lock:
            self.requests += 1
        return self.polite.fetch(url, etag, last_modified, accept)
