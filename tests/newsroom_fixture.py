"""A newswire's WordPress site on 127.0.0.1, for archive sync tests and the sync benchmark.

`Newsroom` is a real HTTP server emulating what a WordPress newsroom publishes: the REST API
(`/wp-json/wp/v2/posts` with `per_page`, `page`, `orderby=modified`, `modified_after`,
`_fields=id`, `_embed`, and the `X-WP-Total`/`X-WP-TotalPages` headers), the home page that
declares the API, the RSS feed with `?paged=N` history and conditional requests, a news
sitemap, and each post's own page. Tests edit, delete and add posts between syncs, make a
listing page fail once, and read the request log.
"""

from __future__ import annotations

import html
import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_WORDS = (
    "council budget water river school board vote tax mayor plan county road bridge health"
    " clinic nurse farm drought price market energy grid solar wind coal court judge ruling"
    " appeal senate bill law police report audit contract fund grant housing rent tenant"
    " landlord wage worker union strike factory port ship cargo rail station airport flight"
    " storm flood fire smoke air quality study data survey poll voter district map census"
    " library park trail museum festival crop harvest fishery license permit zoning"
).split()
_EPOCH = datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
FEED_PAGE = 10


def story(rng: random.Random, paragraphs: int = 5) -> list[str]:
    """Paragraphs of newsroom-like prose, distinct for each seed."""
    return [
        " ".join(rng.choice(_WORDS) for _ in range(rng.randint(35, 55))).capitalize() + "."
        for _ in range(paragraphs)
    ]


@dataclass
class Post:
    id: int
    title: str
    paragraphs: list[str]
    author: str
    published: datetime
    modified: datetime
    category: str = "News"

    @property
    def slug(self) -> str:
        return f"story-{self.id}"

    def content_html(self) -> str:
        return "".join(f"<p>{html.escape(p)}</p>\n" for p in self.paragraphs)

    def local(self, when: datetime) -> str:
        return when.strftime("%Y-%m-%dT%H:%M:%S")  # the site's clock is UTC


@dataclass
class Newsroom:
    """A WordPress newsroom whose posts tests change between syncs."""

    count: int = 2000
    posts: dict[int, Post] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)  # path?query of every request
    fail_once: set[str] = field(default_factory=set)  # path?query answered 500 once
    fail_always: set[str] = field(default_factory=set)  # path?query answered 500 every time
    clock: datetime = _EPOCH
    # A lying posts listing: "endless" (the same page for every page number, a billion
    # pages claimed), "non-objects", "superscript" (X-WP-TotalPages: ²), "empty-objects".
    hostile: str | None = None
    delay: float = 0.0  # seconds before each posts page is answered

    def __post_init__(self) -> None:
        rng = random.Random(2026)
        for number in range(1, self.count + 1):
            when = _EPOCH + timedelta(hours=number)
            self.posts[number] = Post(
                number,
                f"Story {number}: the {rng.choice(_WORDS)} {rng.choice(_WORDS)} question",
                story(rng),
                f"Reporter {chr(65 + number % 26)}. Example",
                when,
                when,
            )
        self.clock = _EPOCH + timedelta(hours=self.count + 1)
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"room": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Newsroom:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def tick(self) -> datetime:
        self.clock += timedelta(minutes=1)
        return self.clock

    def edit(self, number: int, paragraph: str) -> None:
        """Change a post's last paragraph, as an editor's correction does."""
        post = self.posts[number]
        post.paragraphs = [*post.paragraphs[:-1], paragraph]
        post.modified = self.tick()

    def publish(self, title: str, paragraphs: list[str], author: str) -> Post:
        number = max(self.posts) + 1
        when = self.tick()
        self.posts[number] = Post(number, title, paragraphs, author, when, when)
        return self.posts[number]

    def schedule(self, title: str, paragraphs: list[str], author: str, modified: datetime) -> Post:
        """A post that goes live now, last modified at `modified`: WordPress leaves a
        scheduled post's modification date as it was when it was scheduled."""
        post = self.publish(title, paragraphs, author)
        post.modified = modified
        return post

    def delete(self, number: int) -> None:
        del self.posts[number]

    def served(self, prefix: str) -> int:
        """Requests whose path and query start with `prefix`."""
        with self._lock:
            return sum(1 for r in self.requests if r.startswith(prefix))

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- what the site answers ------------------------------------------------------------

    def rest_post(self, post: Post, embed: bool) -> dict:
        data = {
            "id": post.id,
            "date": post.local(post.published),
            "date_gmt": post.local(post.published),
            "modified": post.local(post.modified),
            "modified_gmt": post.local(post.modified),
            "slug": post.slug,
            "status": "publish",
            "link": f"{self.base}/{post.slug}/",
            "title": {"rendered": html.escape(post.title)},
            "content": {"rendered": post.content_html(), "protected": False},
            "author": post.id % 26,
        }
        if embed:
            data["_embedded"] = {
                "author": [{"id": post.id % 26, "name": post.author}],
                "wp:term": [[{"taxonomy": "category", "name": post.category}], []],
            }
        return data

    def feed(self, page: int) -> bytes | None:
        newest = sorted(self.posts.values(), key=lambda p: p.published, reverse=True)
        chunk = newest[(page - 1) * FEED_PAGE : page * FEED_PAGE]
        if not chunk:
            return None
        items = "".join(
            f"<item><title>{html.escape(p.title)}</title><link>{self.base}/{p.slug}/</link>"
            f'<guid isPermaLink="false">{self.base}/?p={p.id}</guid>'
            f"<dc:creator><![CDATA[{p.author}]]></dc:creator>"
            f"<pubDate>{format_datetime(p.published)}</pubDate>"
            f"<content:encoded><![CDATA[{p.content_html()}]]></content:encoded></item>"
            for p in chunk
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"'
            ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Newsroom</title>'
            f"<link>{self.base}/</link><generator>https://wordpress.org/?v=6.6</generator>"
            f"{items}</channel></rss>"
        ).encode()

    def news_sitemap(self, newest: int = 20) -> bytes:
        posts = sorted(self.posts.values(), key=lambda p: p.published, reverse=True)[:newest]
        urls = "".join(
            f"<url><loc>{self.base}/{p.slug}/</loc><lastmod>{p.modified.isoformat()}</lastmod>"
            "<news:news><news:publication><news:name>Newsroom</news:name>"
            "<news:language>en</news:language></news:publication>"
            f"<news:publication_date>{p.published.isoformat()}</news:publication_date>"
            f"<news:title>{html.escape(p.title)}</news:title></news:news></url>"
            for p in posts
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>"
        ).encode()

    def article_page(self, post: Post) -> bytes:
        return (
            "<!doctype html><html><head>"
            f"<title>{html.escape(post.title)} - Newsroom</title>"
            f'<link rel="canonical" href="{self.base}/{post.slug}/">'
            f'<meta property="article:published_time" content="{post.published.isoformat()}">'
            f'<meta name="author" content="{html.escape(post.author)}">'
            '</head><body><nav><a href="/">Home</a> <a href="/politics/">Politics</a></nav>'
            f"<article><h1>{html.escape(post.title)}</h1>"
            f'<p class="byline">By <a rel="author" href="/author/">{html.escape(post.author)}</a></p>'
            f"{post.content_html()}</article><footer>© Newsroom</footer></body></html>"
        ).encode()


class _Handler(BaseHTTPRequestHandler):
    room: Newsroom
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, a kept-alive
    # connection's second write waits out the client's delayed ACK (40 ms a response), as
    # no real web server makes it.
    disable_nagle_algorithm = True

    def log_message(self, *_args: object) -> None:  # keep test output quiet
        pass

    def _send(
        self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _conditional(self, body: bytes, kind: str) -> None:
        tag = f'"{abs(hash(body)):x}"'
        if self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(200, body, kind, {"ETag": tag})

    def do_GET(self) -> None:
        room = self.room
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with room._lock:
            room.requests.append(self.path)
            failing = self.path in room.fail_once or self.path in room.fail_always
            room.fail_once.discard(self.path)
        if failing:
            self._send(500, b"busy", "text/plain")
            return
        with room._lock:
            self._route(room, parts.path, query)

    def _route(self, room: Newsroom, path: str, query: dict[str, str]) -> None:
        api = f"{room.base}/wp-json/"
        if path == "/":
            page = f'<html><head><link rel="https://api.w.org/" href="{api}"></head><body>Home</body></html>'
            self._send(200, page.encode(), "text/html; charset=UTF-8",
                       {"Link": f'<{api}>; rel="https://api.w.org/"'})  # fmt: skip
        elif path == "/wp-json/wp/v2/posts":
            self._posts(room, query)
        elif path == "/feed/":
            body = room.feed(int(query.get("paged", "1")))
            if body is None:
                self._send(404, b"<html>Page not found</html>", "text/html")
            else:
                self._conditional(body, "application/rss+xml; charset=UTF-8")
        elif path == "/news-sitemap.xml":
            self._send(200, room.news_sitemap(), "application/xml")
        elif path.startswith("/story-"):
            number = int(path.strip("/").split("-")[1])
            post = room.posts.get(number)
            if post is None:
                self._send(404, b"gone", "text/html")
            else:
                self._conditional(room.article_page(post), "text/html; charset=UTF-8")
        else:
            self._send(404, b"not found", "text/html")

    def _hostile_posts(self, room: Newsroom, query: dict[str, str]) -> None:
        pages, data = "1000000000", None
        if room.hostile == "endless":
            first = sorted(room.posts.values(), key=lambda p: p.id)[:100]
            data = [room.rest_post(p, True) for p in first]
        elif room.hostile == "non-objects":
            data, pages = [1, "two", None, [3]], "1"
        elif room.hostile == "superscript":
            data, pages = [room.rest_post(room.posts[1], True)], "\u00b2"
        elif room.hostile == "empty-objects":
            data, pages = [{}] * 100_000, "1"
        body = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-WP-TotalPages", pages)
        self.end_headers()
        self.wfile.write(body)

    def _posts(self, room: Newsroom, query: dict[str, str]) -> None:
        if room.delay:
            time.sleep(room.delay)
        if room.hostile:
            return self._hostile_posts(room, query)
        posts = sorted(room.posts.values(), key=lambda p: (p.modified, p.id))
        if query.get("orderby") != "modified":
            posts = sorted(room.posts.values(), key=lambda p: p.published, reverse=True)
        if "include" in query:
            wanted = set(query["include"].split(","))
            posts = [p for p in posts if str(p.id) in wanted]
        if "modified_after" in query:
            after = datetime.fromisoformat(query["modified_after"]).replace(tzinfo=UTC)
            posts = [p for p in posts if p.modified > after]
        per_page = min(100, int(query.get("per_page", "10")))
        page = int(query.get("page", "1"))
        total_pages = max(1, -(-len(posts) // per_page))
        if page > total_pages:
            body = json.dumps({"code": "rest_post_invalid_page_number"}).encode()
            self._send(400, body, "application/json")
            return
        chunk = posts[(page - 1) * per_page : page * per_page]
        if query.get("_fields") == "id":
            data = [{"id": p.id} for p in chunk]
        else:
            data = [room.rest_post(p, "_embed" in query) for p in chunk]
        self._send(
            200,
            json.dumps(data).encode(),
            "application/json; charset=UTF-8",
            {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(total_pages)},
        )
