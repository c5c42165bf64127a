"""What an archive of originals holds: `compliance archive info`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from compliance.archive.corrections import corrections_of
from compliance.archive.index_cache import default_location, staleness
from compliance.archive.originals import iter_originals
from compliance.archive.sync.archive_file import state_path
from compliance.model import Original


def describe_archive(archive: Path) -> dict[str, Any]:
    """What `archive info` says of an archive, as JSON-ready data."""
    problems: list[str] = []
    articles = deleted = undated = 0
    first = last = None
    authors: Counter[str] = Counter()
    terms: Counter[str] = Counter()
    edited = 0
    recent: list[dict[str, Any]] = []  # the latest corrections, newest first
    for original in iter_originals([archive], problems):
        articles += 1
        if original.versions:
            edited += 1
            recent = _latest_corrections([*recent, *_corrections(original)])
        deleted += "deleted" in original.extra
        authors.update(original.authors)
        terms[original.source or "(none)"] += 1
        day = (original.published or "")[:10]
        if not day:
            undated += 1
            continue
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    sync_state: dict[str, Any] = {}
    if archive.is_file() and state_path(archive).exists():
        try:
            sync_state = json.loads(state_path(archive).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            problems.append(f"{state_path(archive)}: the sync state cannot be read")
    location = default_location([archive])
    reason = staleness(location, [archive])
    return {
        "archive": str(archive),
        "articles": articles,
        "deleted": deleted,
        "published": {"first": first, "last": last, "undated": undated},
        "author_count": len(authors),
        "authors": [{"name": n, "articles": c} for n, c in authors.most_common(20)],
        "terms": dict(terms.most_common()),
        "versions": {"originals": edited, "recent_corrections": recent},
        "sync": {k: sync_state[k] for k in ("source", "kind", "synced", "last") if k in sync_state},
        "index": {"location": str(location), "current": reason is None, "stale_because": reason},
        "problems": problems,
    }


RECENT = 5  # corrections archive info lists


def _corrections(original: Original) -> list[dict[str, Any]]:
    """The edits of `original` that a `corrections` check counts by default."""
    return [
        {
            "id": original.id,
            "title": original.title,
            "when": correction.when.isoformat() if correction.when else None,
            "changes": [c.describe() for c in correction.changes if c.kind in ("notice", "fact")],
        }
        for correction in corrections_of(original)
        if any(c.kind in ("notice", "fact") for c in correction.changes)
    ]


def _latest_corrections(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(found, key=lambda c: c["when"] or "", reverse=True)[:RECENT]
