"""Fetching pages written by strangers: bounded, pinned to checked addresses, retried politely.

One `Fetcher.fetch` is one page: every hop's host is resolved once and each address checked
(loopback, private, link-local, CGNAT, mapped IPv6 ... are refused unless `allow_private`),
then the connection goes to the checked address, so a DNS answer that changes between the
check and the connection (rebinding) cannot send it elsewhere. Redirects are followed by hand
so each hop is checked again. Bodies are read raw and decompressed here with a bound, because
a small gzip body can decode to gigabytes. A whole request, redirects included, has one
deadline: a server that drips a byte a second is cut off, not waited for.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from compliance import __version__
from compliance.model import utc_timestamp
from compliance.web.deadline import deadline_transport, request_deadline

USER_AGENT = f"compliance/{__version__} (syndication licensing checker)"
PAGE_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "text/x-markdown",
)
# Sitemaps and feeds: XML, possibly gzipped (the sitemap reader decompresses those itself).
LIST_TYPES = (
    *PAGE_TYPES,
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",
)
LIST_MAX_BYTES = 50 * 1024 * 1024  # the sitemaps protocol's limit, decoded
# An API's answers (a WordPress site's REST API, when its archive is synced).
API_TYPES = ("application/json",)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_RETRY_AFTER = 60.0  # seconds; a server asking for longer is treated as down


@dataclass(frozen=True)
class FetchPolicy:
    """Limits on one request. The defaults suit an unattended weekly audit."""

    allow_private: bool = False
    allow_hosts: frozenset[str] = frozenset()  # hosts trusted even at private addresses
    max_bytes: int = 20 * 1024 * 1024  # decoded body
    deadline: float = 30.0  # seconds for one attempt, redirects included
    max_redirects: int = 5
    attempts: int = 3
    user_agent: str = USER_AGENT
    # How to fetch a refused address anyway, said after the refusal.
    allow_hint: str = (
        "only public addresses are fetched unless given --allow-private (or --allow-host {host})"
    )

    @classmethod
    def for_named(cls, url: str, **limits: Any) -> FetchPolicy:
        """The policy for an address the user named (`check URL`, `--originals URL`): its own
        host may be on their private network, but where it redirects was not named, so a
        redirect to another host must be public (the cloud's metadata service is private)."""
        host = (urlsplit(url).hostname or "").lower()
        hint = (
            "an address named is fetched on a private network, but its redirects only go to"
            " public addresses or the same host: name the address it redirects to, to check it"
        )
        return cls(
            allow_hosts=frozenset({host}) if host else frozenset(), allow_hint=hint, **limits
        )


@dataclass(frozen=True)
class Fetched:
    """What one fetch produced: a body, a 304 for a known version, or the reason it failed."""

    url: str
    final_url: str | None = None
    status: int | None = None
    body: bytes | None = None
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None
    fetched_at: str = field(default_factory=utc_timestamp)
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    @property
    def ok(self) -> bool:
        return self.error is None


class FetchError(Exception):
    """A fetch that cannot succeed as asked; `retryable` for network trouble, 429 and 5xx."""

    def __init__(
        self,
        reason: str,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}", retryable=False) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


# How a refused address begins its error: callers tell it from a failure of the site.
NOT_FETCHED = "not fetched:"


def refusal(address: str) -> str | None:
    """Why a connection to `address` is refused by default, or None for a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip.packed[:12] == bytes(12) and int(ip) > 1:
            embedded = ipaddress.IPv4Address(ip.packed[12:])  # IPv4-compatible (deprecated)
        if embedded is not None:
            return refusal(str(embedded))
    if ip.is_global and not ip.is_multicast:
        return None
    kind = (
        "loopback"
        if ip.is_loopback
        else "link-local"
        if ip.is_link_local
        else "private"
        if ip.is_private
        else "reserved"
    )
    return f"a {kind} address"


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL we may fetch; FetchError for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {scheme or 'this'}")
    if parts.username is not None or parts.password is not None:
        raise FetchError("URLs with a user name or password are not fetched")
    host = parts.hostname
    if not host:
        raise FetchError("the URL has no host")
    return scheme, host, port or (443 if scheme == "https" else 80)


class _Bounded:
    """Decodes a body's content-encoding without ever holding more than `limit` bytes."""

    def __init__(self, encoding: str, limit: int, truncate: bool = False) -> None:
        self.limit = limit
        self.truncate = truncate  # keep the first `limit` bytes rather than refuse the body
        self.full = False
        self.size = 0
        self.parts: list[bytes] = []
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            # 47 = 32 + 15: zlib detects a gzip or zlib header itself; some servers send raw
            # deflate for "deflate", handled when the header is missing.
            self._inflater = zlib.decompressobj(47)
            self._raw_deflate = encoding == "deflate"
        else:
            raise FetchError(f"the server used an unsupported content encoding '{encoding}'")

    def feed(self, chunk: bytes) -> None:
        if self._inflater is None:
            self._keep(chunk)
            return
        data = chunk
        while data and not self.full:
            try:
                out = self._inflater.decompress(data, self.limit - self.size + 1)
            except zlib.error:
                if self._raw_deflate and self.size == 0:
                    self._inflater, self._raw_deflate = zlib.decompressobj(-15), False
                    continue
                raise FetchError("the compressed body is corrupt") from None
            self._keep(out)
            if self._inflater.eof:  # gzip allows several members, one after another
                data = self._inflater.unused_data
                if data:
                    self._inflater = zlib.decompressobj(47)
            else:
                data = self._inflater.unconsumed_tail

    def _keep(self, data: bytes) -> None:
        if self.truncate and self.size + len(data) >= self.limit:
            data, self.full = data[: self.limit - self.size], True
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError(
                f"the page is over the {self.limit // 1048576} MiB limit once decompressed"
            )
        self.parts.append(data)

    def body(self) -> bytes:
        return b"".join(self.parts)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Fetcher:
    """An HTTP client for pages on other people's servers. Thread-safe."""

    def __init__(
        self,
        policy: FetchPolicy = FetchPolicy(),
        resolver: Resolver = system_resolver,
        connections: int = 32,
    ) -> None:
        self.policy = policy
        self.resolver = resolver
        self._backoff = wait_exponential_jitter(multiplier=0.5, max=8.0, jitter=0.5)
        per_phase = min(10.0, policy.deadline)
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self.client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(per_phase),
            transport=deadline_transport(limits=limits, trust_env=False),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,  # an audit's destinations are the ones it checked, not a proxy's
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] = PAGE_TYPES,
        first_bytes: int | None = None,
    ) -> Fetched:
        """GET `url`, retrying network errors, 408, 429 and 5xx; never raises FetchError.
        `first_bytes`: read only that much of the body (robots.txt: the rest is not read)."""

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            after = getattr(exc, "retry_after", None)
            if after is not None:
                return min(after, MAX_RETRY_AFTER)
            return self._backoff(state)

        retrying = Retrying(
            stop=stop_after_attempt(self.policy.attempts)
            | stop_after_delay(self.policy.deadline * self.policy.attempts),
            wait=wait,
            retry=retry_if_exception(lambda e: isinstance(e, FetchError) and e.retryable),
            reraise=True,
        )
        try:
            return retrying(self._attempt, url, etag, last_modified, accept, first_bytes)
        except FetchError as exc:
            return Fetched(url, status=exc.status, error=exc.reason)

    def _attempt(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        accept: tuple[str, ...],
        first_bytes: int | None = None,
    ) -> Fetched:
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        started = time.monotonic()
        with request_deadline(started + self.policy.deadline):
            return self._follow(url, conditional, accept, started, etag, last_modified, first_bytes)

    def _follow(
        self,
        url: str,
        conditional: dict[str, str],
        accept: tuple[str, ...],
        started: float,
        etag: str | None,
        last_modified: str | None,
        first_bytes: int | None,
    ) -> Fetched:
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            with self._open(current, conditional, started) as response:
                status = response.status_code
                if status in REDIRECT_STATUSES and "location" in response.headers:
                    current = urljoin(current, response.headers["location"])
                    continue
                if status == 304 and conditional:
                    return Fetched(
                        url, current, status, not_modified=True, etag=etag,
                        last_modified=last_modified,
                    )  # fmt: skip
                if status in RETRY_STATUSES:
                    raise FetchError(
                        f"the server answered HTTP {status}",
                        status,
                        retryable=True,
                        retry_after=_retry_after(response.headers.get("retry-after")),
                    )
                if status >= 400:
                    raise FetchError(f"the server answered HTTP {status}", status)
                if not 200 <= status < 300:
                    raise FetchError(f"the server answered HTTP {status} with no page", status)
                content_type = response.headers.get("content-type", "")
                mime = content_type.split(";", 1)[0].strip().lower()
                if mime and mime not in accept:
                    raise FetchError(f"not a page: the server sent {mime}", status)
                body = self._read(response, started, accept, first_bytes)
                return Fetched(
                    url,
                    current,
                    status,
                    body,
                    content_type=mime,
                    charset=response.charset_encoding,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    headers={k.lower(): v for k, v in response.headers.items()},
                )
        raise FetchError(f"more than {self.policy.max_redirects} redirects")

    def _open(self, url: str, headers: dict[str, str], started: float) -> _Response:
        _scheme, host, port = check_url(url)
        addresses = self.resolver(host, port)
        if not addresses:
            raise FetchError(f"cannot resolve {host}")
        if not self.policy.allow_private and host.lower() not in self.policy.allow_hosts:
            for address in addresses:
                reason = refusal(address)
                if reason:
                    at = address if address == host else f"{host} resolves to {address}"
                    hint = self.policy.allow_hint.format(host=host)
                    raise FetchError(f"{NOT_FETCHED} {at}, {reason}; {hint}")
        pinned = httpx.URL(url).copy_with(host=addresses[0])
        authority = urlsplit(url).netloc.rpartition("@")[2]
        request = self.client.build_request(
            "GET",
            pinned,
            headers={**headers, "Host": authority},
            extensions={
                "sni_hostname": host,
                "timeout": self._timeouts(started),
            },
        )
        try:
            return _Response(self.client.send(request, stream=True))
        except httpx.TimeoutException:
            raise self._timed_out(started, "no answer") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"could not connect: {exc}", retryable=True) from None

    def _timed_out(self, started: float, what: str) -> FetchError:
        """A timeout said as what happened: the request's deadline used up (not tried again:
        a server that drips its answer would do so again), or one wait that ran out."""
        if time.monotonic() - started >= self.policy.deadline - 0.05:
            return FetchError(f"{what} within the {self.policy.deadline:g} s deadline")
        return FetchError(f"{what}: the server stopped sending (timed out)", retryable=True)

    def _timeouts(self, started: float) -> dict[str, float]:
        left = self.policy.deadline - (time.monotonic() - started)
        if left <= 0:
            raise FetchError(f"no answer within the {self.policy.deadline:g} s deadline")
        phase = min(10.0, left)
        return {"connect": phase, "read": phase, "write": phase, "pool": phase}

    def _read(
        self,
        response: httpx.Response,
        started: float,
        accept: tuple[str, ...],
        first_bytes: int | None = None,
    ) -> bytes:
        most = self.policy.max_bytes
        if "application/xml" in accept:  # a sitemap may be 50 MB, as the protocol allows
            most = max(most, LIST_MAX_BYTES)
        encoding = response.headers.get("content-encoding", "")
        bounded = _Bounded(encoding, first_bytes or most, truncate=first_bytes is not None)
        raw = 0
        try:
            for chunk in response.iter_raw():  # as they arrive: a drip must meet the deadline
                raw += len(chunk)
                if raw > most and first_bytes is None:
                    raise FetchError(f"the page is over the {most // 1048576} MiB limit")
                bounded.feed(chunk)
                if bounded.full:
                    break
                if time.monotonic() - started > self.policy.deadline:
                    raise FetchError(
                        f"the page did not arrive within the {self.policy.deadline:g} s deadline"
                    )
        except httpx.TimeoutException:
            raise self._timed_out(started, "the page did not arrive") from None
        except httpx.HTTPError as exc:
            reason = f"the connection failed while reading: {exc}"
            raise FetchError(reason, retryable=True) from None
        return bounded.body()


class _Response:
    """A streamed response closed on leaving the `with` block, whatever happens inside."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def __enter__(self) -> httpx.Response:
        return self.response

    def __exit__(self, *_exc: object) -> None:
        response = self.response
        try:
            # A 304 or a redirect with a short, declared body is read to its end, so that its
            # connection goes back to the pool: a re-audit is mostly 304s, and a new
            # connection for each cost three quarters of its time.
            length = response.headers.get("content-length", "")
            if (
                not response.is_stream_consumed
                and (response.status_code == 304 or response.status_code in REDIRECT_STATUSES)
                and (response.status_code == 304 or (length.isdigit() and int(length) <= 65536))
            ):
                response.read()
        except httpx.HTTPError:
            pass  # the connection is dropped instead, as before
        finally:
            response.close()
