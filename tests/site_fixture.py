"""A fixture web of republishers on 127.0.0.1, for audit tests and the audit benchmark.

Each `Site` is a real HTTP server on its own port (so its own host for politeness), serving
pages from a dict that tests change between runs, plus the hostile routes real crawls meet:
redirects and redirect loops, 404/500, a flaky 503 with Retry-After, a slow drip, headers
that never end (dripped, or `100 Continue` for ever), an oversized
page, a gzip bomb, a non-page content type, and robots.txt rules.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
COPIES = ROOT / "examples" / "copies"
ORIGINALS = ROOT / "examples" / "originals" / "dcnf-originals.jsonl"
COMPLIANT = (COPIES / "compliant.html").read_bytes()
EDITED = (COPIES / "edited.html").read_bytes()
NO_BYLINE = (COPIES / "byline-is-site-account.html").read_bytes()
WRONG_REPORTER = (COPIES / "wrong-reporter.html").read_bytes()
UNRELATED = (COPIES / "unrelated.html").read_bytes()
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
BOMB_DECODED = 256 * 1024 * 1024


def _bomb() -> bytes:
    # Built once: 256 MiB of zeros compress to about 250 KiB.
    buffer = bytearray()
    compressor = gzip.compress(b"\0" * (16 * 1024 * 1024), compresslevel=9)
    for _ in range(BOMB_DECODED // (16 * 1024 * 1024)):
        buffer += compressor  # concatenated gzip members decode as one stream
    return bytes(buffer)


class Site:
    """One republisher: a server on its own port whose pages tests can change."""

    def __init__(self, robots: bytes | None = ROBOTS, delay: float = 0.0) -> None:
        self.pages: dict[str, bytes] = {}
        self.types: dict[str, str] = {}  # a page's Content-Type, when not UTF-8 HTML
        self.robots = robots  # None: robots.txt answers 404
        self.delay = delay  # seconds before each page is served
        self.requests: list[str] = []
        self.agents: set[str] = set()
        self.flaky_seen: set[str] = set()
        self._lock = threading.Lock()
        self._bomb: bytes | None = None
        handler = type("Handler", (_Handler,), {"site": self})
        self.server = _Server(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def bomb(self) -> bytes:
        with self._lock:
            if self._bomb is None:
                self._bomb = _bomb()
            return self._bomb

    def seen(self, path: str) -> int:
        with self._lock:
            return sum(1 for p in self.requests if p == path)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up on a bomb or a drip are expected here, not errors."""


class _Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, a kept-alive
    # connection's second write waits out the client's delayed ACK (40 ms a response), as
    # no real web server makes it.
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass

    def _send(
        self, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        site = self.site
        parts = urlsplit(self.path)
        path = parts.path
        with site._lock:
            site.requests.append(path)
            site.agents.add(self.headers.get("User-Agent", ""))
        if path == "/robots.txt":
            if site.robots is None:
                return self._send(404, b"no robots.txt", "text/plain")
            if site.robots == b"500":
                return self._send(500, b"down", "text/plain")
            return self._send(200, site.robots, "text/plain")
        if path.startswith("/redirect/"):
            return self._send(301, headers={"Location": path.removeprefix("/redirect")})
        if path.startswith("/to"):
            return self._send(302, headers={"Location": parse_qs(parts.query)["url"][0]})
        if path.startswith("/loop/"):
            hop = int(path.rsplit("/", 1)[1])
            return self._send(302, headers={"Location": f"/loop/{hop + 1}"})
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self._send(code, b"<html><body>no</body></html>")
        if path.startswith("/flaky/"):
            with site._lock:
                first = path not in site.flaky_seen
                site.flaky_seen.add(path)
            if first:
                return self._send(503, b"busy", headers={"Retry-After": "0"})
            return self._send(200, COMPLIANT)
        if path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"<p>")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return None
        if path.startswith("/fanout/"):
            # A sitemap index whose every sitemap is an index of 20 new ones, without end.
            number = int(path.rsplit("/", 1)[1].removesuffix(".xml"))
            children = "".join(
                f"<sitemap><loc>{site.url(f'/fanout/{number * 20 + n + 1}.xml')}</loc></sitemap>"
                for n in range(20)
            )
            body = ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9">{children}</sitemapindex>').encode()  # fmt: skip
            return self._send(200, body, "application/xml")
        if path in ("/drip-headers", "/continue"):
            # Headers that never end: a byte at a time, or informational answers for ever.
            self.close_connection = True
            try:
                if path == "/drip-headers":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
                    for _ in range(600):
                        self.wfile.write(b"a")
                        self.wfile.flush()
                        time.sleep(0.2)
                else:
                    for _ in range(3000):
                        self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                        self.wfile.flush()
                        time.sleep(0.04)
            except OSError:
                pass
            return None
        if path == "/big":
            return self._send(200, b"<html><body>" + b"a" * (25 * 1024 * 1024))
        if path == "/bomb":
            return self._send(200, site.bomb(), headers={"Content-Encoding": "gzip"})
        if path == "/image.png":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
        body = site.pages.get(path)
        if body is None:
            return self._send(404, b"<html><body>not found</body></html>")
        if site.delay:
            time.sleep(site.delay)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            # As http.server and most servers answer: no body, and no Content-Type.
            return self._send(304, content_type=None, headers={"ETag": etag})
        kind = site.types.get(path, "text/html; charset=utf-8")
        return self._send(200, body, kind, headers={"ETag": etag})
