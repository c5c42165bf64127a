"""Originals from an RSS or Atom feed file, read with feedparser.

A newswire's full-text feed is often the easiest archive to get: each entry gives the link,
the authors, the date and (in `content:encoded` or Atom `content`) the whole article. An entry
with only a summary is still loaded, marked `partial`, since a short excerpt can still be
matched by its first paragraphs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from compliance.errors import InputError
from compliance.model import Original
from compliance.read.htmltree import fragment_paragraphs


def _published(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return entry.get("published") or entry.get("updated") or None


def _authors(entry: Any) -> tuple[str, ...]:
    names = [a.get("name", "") for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [n.strip() for n in names if n and n.strip()]
    if not names and entry.get("author"):
        names = [entry["author"].strip()]
    return tuple(names)


def read_feed(path: Path, problems: list[str]) -> Iterator[Original]:
    """Every entry of the feed at `path` that has an id or link, a title and some text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(f"{path}: cannot read it: {exc.strerror or exc}")
        return
    feed = parse_feed(data)
    if not feed.entries:
        reason = getattr(feed.get("bozo_exception"), "getMessage", lambda: None)() or str(
            feed.get("bozo_exception") or "no entries"
        )
        problems.append(f"{path}: not a readable RSS or Atom feed ({reason})")
        return
    for number, entry in enumerate(feed.entries, start=1):
        try:
            yield original_from_entry(entry, f"{path}: entry {number}")
        except InputError as exc:
            problems.append(exc.message)


def parse_feed(data: bytes) -> Any:
    """feedparser's reading of a feed's bytes (never a path or URL: it must fetch nothing)."""
    import feedparser  # only feeds need it

    return feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)


def feed_fault(feed: Any, where: str) -> str | None:
    """What was wrong with a feed feedparser read only in part (its `bozo` flag), in words
    naming the feed and how much was read; None for a well-formed feed."""
    if not getattr(feed, "bozo", False):
        return None
    fault = getattr(feed, "bozo_exception", None)
    line = getattr(fault, "getLineNumber", lambda: None)()
    at = f" at line {line}" if line else ""
    return (
        f"{where}: a malformed feed{at} ({fault}); the {len(feed.entries):,} entries read"
        " before the fault are used"
    )


def original_from_entry(entry: Any, where: str) -> Original:
    """The original one feed entry holds; InputError (naming `where`) when it lacks an id or
    link, a title or any text."""
    identifier = entry.get("id") or entry.get("link")
    contents = entry.get("content") or []
    markup = contents[0].get("value", "") if contents else entry.get("summary", "")
    body = fragment_paragraphs(markup or "", where)
    missing = [
        name
        for name, value in (("id or link", identifier), ("title", entry.get("title")))
        if not value
    ]
    if not body:
        missing.append("content or summary")
    if missing:
        raise InputError(f"{where}: missing {', '.join(missing)}", "parse-failed")
    return Original(
        id=str(identifier),
        title=" ".join(str(entry["title"]).split()),
        body=body,
        url=entry.get("link") or None,
        authors=_authors(entry),
        published=_published(entry),
        origin=where,
        extra={} if contents else {"partial": True},
    )
