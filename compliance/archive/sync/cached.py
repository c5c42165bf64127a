"""`--originals URL`: a feed or site synced into the cache, then read like any archive file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from compliance.archive.sync.archive_file import state_path
from compliance.archive.sync.client import SyncError
from compliance.archive.sync.result import Progress, SyncResult, no_progress
from compliance.archive.sync.runner import sync
from compliance.common.cachedir import cache_root
from compliance.errors import UserError
from compliance.web.fetch import FetchPolicy


def cached_archive(url: str) -> Path:
    """Where the archive synced from `url` is kept in the cache."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]
    return cache_root() / "archives" / f"{digest}.jsonl"


def synced_originals(
    url: str,
    policy: FetchPolicy,
    warn: Callable[[str], None],
    progress: Progress = no_progress,
) -> tuple[Path, SyncResult | None]:
    """The cached archive of `url`, brought up to date (conditional requests: an unchanged
    feed costs a 304). When the source cannot be reached, an earlier copy is used with a
    warning; with none, UserError."""
    path = cached_archive(url)
    try:
        return path, sync(url, path, policy, progress=progress)
    except SyncError as exc:
        if path.exists() and state_path(path).exists():
            warn(f"--originals {url}: could not sync it ({exc}); using the copy synced before")
            return path, None
        raise UserError(f"--originals {url}: cannot sync it: {exc}") from None
