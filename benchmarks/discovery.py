"""Discovery against a partner web on loopback: copies found, pages fetched, requests, time.

    python benchmarks/discovery.py [--sites 20] [--pages 2000] [--archive 2000]

Serves `--sites` partner sites on 127.0.0.1 (one port each), each with `--pages` pages:
robots.txt naming a sitemap index over post sitemaps of 1,000 URLs; a news sitemap of the
latest 100 pages on every fourth site; a WordPress feed (100 entries a page, `?paged=N`)
with full content on half the sites and WordPress's excerpts (the first 55 words) on the
others. About 2% of the pages are copies of the synthetic archive's originals
(benchmarks/synthetic.py), in four kinds: headline kept, headline rewritten, every attribution
stripped (headline rewritten too), a three-paragraph excerpt (headline kept).
The rest are the partners' own stories.

In one run, each a fresh `compliance audit --partners` process: discovery as shipped; the
exhaustive baseline (`--discover all`, which the first week fetches every listed page); and
the second week of discovery after 3% new pages. Prints recall per kind, pages fetched,
requests and seconds, and the ratios the issue sets targets for.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import Writer, write_originals

KINDS = ("kept-headline", "rewritten-headline", "stripped", "excerpt")
PER_SITEMAP = 1000
PER_FEED_PAGE = 100


def _slug(title: str, number: int) -> str:
    words = re.sub(r"[^a-z0-9 ]", "", title.lower()).split()[:8]
    return "-".join(words) + f"-{number}"


class PartnerSite:
    """One partner's site: pages, sitemaps and a feed, with ETags, counting requests."""

    def __init__(self, number: int, feed: str | None, news: bool) -> None:
        self.number = number
        self.feed = feed  # "content", "summary" or None
        self.news = news
        self.pages: dict[str, tuple[str, str, str]] = {}  # path: title, html, published
        self.order: list[str] = []
        self.requests: Counter[str] = Counter()
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"site": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, path: str, title: str, page: str, published: str) -> None:
        self.pages[path] = (title, page, published)
        self.order.append(path)

    def body(self, path: str, query: dict[str, list[str]]) -> tuple[bytes, str] | None:
        if path == "/robots.txt":
            return f"User-agent: *\nSitemap: {self.base}/sitemap-index.xml\n".encode(), "text/plain"
        if path == "/":
            link = '<link rel="alternate" type="application/rss+xml" href="/feed/">' * bool(
                self.feed
            )
            return f"<html><head>{link}</head><body>Site {self.number}</body></html>".encode(), (
                "text/html"
            )
        if path == "/sitemap-index.xml":
            count = (len(self.order) + PER_SITEMAP - 1) // PER_SITEMAP
            maps = [f"{self.base}/post-sitemap{n}.xml" for n in range(1, count + 1)]
            if self.news:
                maps.append(f"{self.base}/news-sitemap.xml")
            body = "".join(f"<sitemap><loc>{m}</loc></sitemap>" for m in maps)
            return _xml(f"<sitemapindex {_NS}>{body}</sitemapindex>")
        if path.startswith("/post-sitemap"):
            n = int(path.removeprefix("/post-sitemap").removesuffix(".xml"))
            chunk = self.order[(n - 1) * PER_SITEMAP : n * PER_SITEMAP]
            body = "".join(
                f"<url><loc>{self.base}{p}</loc><lastmod>{self.pages[p][2]}</lastmod></url>"
                for p in chunk
            )
            return _xml(f"<urlset {_NS}>{body}</urlset>")
        if path == "/news-sitemap.xml":
            body = "".join(
                f"<url><loc>{self.base}{p}</loc><news:news><news:publication_date>"
                f"{self.pages[p][2]}</news:publication_date><news:title>"
                f"{html.escape(self.pages[p][0])}</news:title></news:news></url>"
                for p in self.order[-100:]
            )
            return _xml(f"<urlset {_NS} {_NEWS}>{body}</urlset>")
        if path == "/feed/" and self.feed:
            return self._feed(int(query.get("paged", ["1"])[0]))
        found = self.pages.get(path)
        return (found[1].encode(), "text/html; charset=utf-8") if found else None

    def _feed(self, page: int) -> tuple[bytes, str] | None:
        newest = self.order[::-1][(page - 1) * PER_FEED_PAGE : page * PER_FEED_PAGE]
        if not newest:
            return None
        items = []
        for path in newest:
            title, markup, published = self.pages[path]
            text = re.search(r"<article>(.*)</article>", markup, re.S)
            content = text.group(1) if text else ""
            if self.feed == "summary":  # WordPress's excerpt: the first 55 words, then […]
                words = re.sub(r"<[^>]+>", " ", content).split()
                content = f"<p>{' '.join(words[:55])} [&hellip;]</p>"
            items.append(
                f"<item><title>{html.escape(title)}</title><link>{self.base}{path}</link>"
                f"<pubDate>{published}T08:00:00Z</pubDate><content:encoded><![CDATA["
                f"{content}]]></content:encoded></item>"
            )
        return (
            '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/'
            'modules/content/"><channel><title>f</title><generator>https://wordpress.org/'
            "</generator>" + "".join(items) + "</channel></rss>"
        ).encode(), "application/rss+xml"


_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_NEWS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def _xml(text: str) -> tuple[bytes, str]:
    return ('<?xml version="1.0"?>' + text).encode(), "application/xml"


class _Handler(BaseHTTPRequestHandler):
    site: PartnerSite
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        import hashlib

        parts = urlsplit(self.path)
        with self.site.lock:
            self.site.requests[parts.path] += 1
        found = self.site.body(parts.path, parse_qs(parts.query))
        if found is None:
            body, kind, status = b"not found", "text/plain", 404
        else:
            (body, kind), status = found, 200
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)


def _page(title: str, paragraphs: list[str], byline: str, credit: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}</h1>"
        f"<p class='byline'>By {html.escape(byline)}</p>{body}{credit}</article></body></html>"
    )


def build_web(sites: int, pages: int, originals: list[dict], seed: int = 3):
    """The partner web, and the truth: each copy's URL and kind."""
    rng = random.Random(seed)
    writer = Writer(seed + 100)
    web = [PartnerSite(n, ("content", "summary")[n % 2], news=n % 4 == 0) for n in range(sites)]
    copies: dict[str, str] = {}
    carried: set[str] = set()  # copies whose listing (a full-content feed) holds their text
    for site in web:
        for n in range(pages):
            day = f"2026-11-{1 + n * 28 // pages:02d}"
            if rng.random() < 0.02:
                kind = KINDS[len(copies) % len(KINDS)]
                original = rng.choice(originals)
                body = original["body"].split("\n\n")
                title = original["title"]
                credit = "<p>This article first appeared at the Daily Caller News Foundation.</p>"
                if kind in ("rewritten-headline", "stripped"):
                    title = writer.article("x")["title"]
                if kind == "stripped":
                    credit = ""
                if kind == "excerpt":
                    body = body[:3]
                path = f"/2026/11/{_slug(title, n)}/"
                site.add(path, title, _page(title, body, "Staff", credit), day)
                copies[f"{site.base}{path}"] = kind
                if site.feed == "content":
                    carried.add(f"{site.base}{path}")
            else:
                story = writer.article(f"local-{site.number}-{n}")
                path = f"/2026/11/{_slug(story['title'], n)}/"
                page = _page(story["title"], story["body"].split("\n\n"), "Local Writer", "")
                site.add(path, story["title"], page, day)
    return web, copies, carried


def _partners(web: list[PartnerSite], path: Path) -> None:
    lines = ["partners:"]
    for site in web:
        lines += [
            f"  - id: partner-{site.number:02d}",
            f"    name: Partner {site.number}",
            f"    sites: ['{site.base}']",
            f"    contact: editor@partner{site.number}.example",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _audit(work: Path, db: Path, *extra: str) -> float:
    command = [
        sys.executable, "-m", "compliance", "audit", "--partners", str(work / "partners.yaml"),
        "--originals", str(work / "originals.jsonl"), "--index", str(work / "index"),
        "--db", str(db), "--allow-private", "--delay", "0", "--quiet", "--per-host", "4",
        *extra,
    ]  # fmt: skip
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"audit failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - began


def _fetched(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        run = conn.execute("SELECT id FROM runs ORDER BY started DESC LIMIT 1").fetchone()[0]
        return {r[0] for r in conn.execute("SELECT url FROM pages WHERE run_id=?", (run,))}


def _requests(web: list[PartnerSite]) -> int:
    return sum(sum(site.requests.values()) for site in web)


def _reset(web: list[PartnerSite]) -> None:
    for site in web:
        site.requests.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--archive", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="discovery-") as tmp:
        work = Path(tmp)
        write_originals(work / "originals.jsonl", args.archive)
        originals = [json.loads(line) for line in (work / "originals.jsonl").open()]
        web, copies, carried = build_web(args.sites, args.pages, originals)
        _partners(web, work / "partners.yaml")
        listed = sum(len(s.pages) for s in web)
        print(f"{args.sites} sites, {listed:,} pages, {len(copies):,} copies", flush=True)
        rows = []
        for name, db, extra in (
            ("discovery", work / "discovery.sqlite", ()),
            ("exhaustive (--discover all)", work / "all.sqlite", ("--discover", "all")),
        ):
            _reset(web)
            seconds = _audit(work, db, *extra)
            fetched = _fetched(db)
            found = Counter(copies[u] for u in fetched if u in copies)
            eligible = {u for u, k in copies.items() if k in ("kept-headline", "excerpt")}
            eligible |= carried
            rows.append((name, seconds, len(fetched), _requests(web), found,
                         len(eligible & fetched) / max(len(eligible), 1)))  # fmt: skip
            print(f"  {name}: {seconds:.0f} s", flush=True)
        # The second week: 3% new pages on every site, 2% of them copies as before.
        rng = random.Random(5)
        writer = Writer(999)
        new = 0
        for site in web:
            for n in range(args.pages, args.pages + args.pages * 3 // 100):
                story = writer.article(f"new-{site.number}-{n}")
                if rng.random() < 0.02:
                    original = rng.choice(originals)
                    story = {"title": original["title"], "body": original["body"]}
                path = f"/2026/12/{_slug(story['title'], n)}/"
                page = _page(story["title"], story["body"].split("\n\n"), "Staff", "")
                site.add(path, story["title"], page, "2026-12-01")
                new += 1
        _reset(web)
        seconds = _audit(work, work / "discovery.sqlite")
        week_two = _requests(web)
        listings = sum(
            n for s in web for path, n in s.requests.items() if not path.startswith("/2026/")
        )
    print()
    print("| run | seconds | pages fetched | requests | " + " | ".join(KINDS) + " | all |")
    print("|---|---:|---:|---:|" + "---:|" * (len(KINDS) + 1))
    total = Counter(copies.values())
    for name, seconds, fetched, requests, found, _eligible in rows:
        recall = [f"{found[k] / max(total[k], 1):.3f}" for k in KINDS]
        overall = sum(found.values()) / max(len(copies), 1)
        print(f"| {name} | {seconds:.0f} | {fetched:,} | {requests:,} | {' | '.join(recall)}"
              f" | {overall:.3f} |")  # fmt: skip
    ours, every = rows[0], rows[1]
    print()
    print(
        f"pages fetched: {ours[2] / max(every[2], 1):.1%} of the exhaustive run's (target <= 10%)"
    )
    print(f"recall, copies keeping their headline or carried by their listing: {ours[5]:.3f}"
          " (target >= 0.98)")  # fmt: skip
    print(f"recall, all copies: {sum(ours[4].values()) / max(len(copies), 1):.3f} (target >= 0.9)")
    print(
        f"second week: {new:,} new pages, {week_two:,} requests ({listings:,} of them listings),"
        f" {week_two / max(new + listings, 1):.2f}x (new pages + listings) (target <= 1.2x),"
        f" {seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
