"""Where an archive's index lives, and whether it still describes the originals.

By default an index is kept in the user's cache directory (`$COMPLIANCE_CACHE_DIR`, else
`$XDG_CACHE_HOME/compliance`, else `~/.cache/compliance`), under a name derived from the
originals' paths; `--index DIR` puts it anywhere, such as beside the originals. An index is
used again while its source files are unchanged: same files, and for each the same size and
modification time, or, when only the time changed, the same SHA-256 of its contents. Any
other change rebuilds it. Processes that find the index stale at the same time (a CI matrix,
parallel audits) build it once: the others wait on a lock file and then reuse it.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from compliance.archive.index import ArchiveIndex
from compliance.archive.index_build import build_index, file_digest, parameters, source_entries
from compliance.common.cachedir import cache_root
from compliance.common.files import write_atomic
from compliance.errors import UserError


def default_location(paths: Sequence[Path]) -> Path:
    """The cache directory for the index of the archive at `paths`."""
    names = "\n".join(sorted(str(p.resolve()) for p in paths))
    return cache_root() / "index" / hashlib.sha256(names.encode()).hexdigest()[:20]


def staleness(location: Path, paths: Sequence[Path]) -> str | None:
    """Why the index at `location` cannot be used for `paths`, or None when it can."""
    try:
        manifest = json.loads((location / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no index has been built yet"
    if any(manifest.get(key) != value for key, value in parameters().items()):
        return "the index was built by another version of compliance"
    recorded = {entry["path"]: entry for entry in manifest.get("sources", [])}
    current = source_entries(paths, with_digest=False)
    if set(recorded) != {entry["path"] for entry in current}:
        return "originals were added or removed"
    touched = False
    for entry in current:
        old = recorded[entry["path"]]
        if (old["size"], old["mtime_ns"]) == (entry["size"], entry["mtime_ns"]):
            continue
        if old["size"] != entry["size"] or old["sha256"] != file_digest(Path(entry["path"])):
            return f"{entry['path']} changed"
        old["mtime_ns"] = entry["mtime_ns"]
        touched = True
    if touched:  # same contents, newer times: remember them to skip hashing next time
        # A read-only cache still serves; its files are hashed again next time.
        with contextlib.suppress(UserError):
            write_atomic(
                location / "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False)
            )
    return None


@contextlib.contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """One process at a time builds a given index; the others wait, then reuse its work."""
    try:
        import fcntl
    except ImportError:  # not POSIX: concurrent builds each swap in a whole directory
        yield
        return
    with target.with_name(f".{target.name}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Opened:
    """An index ready for matching, and how it was obtained."""

    index: ArchiveIndex
    built: bool  # False when a stored index was reused
    reason: str | None  # why it was (re)built


def open_index(
    paths: Sequence[Path],
    location: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Opened:
    """The index of the archive at `paths`: reused when fresh, else built and stored.

    Raises UserError when `paths` do not name an archive.
    """
    target = location or default_location(paths)
    reason = staleness(target, paths)
    if reason is None:
        try:
            return Opened(ArchiveIndex.open(target), False, None)
        except (OSError, ValueError) as exc:
            reason = f"the stored index could not be opened ({exc})"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(target):
            # Another process may have built it while this one waited for the lock.
            if staleness(target, paths) is None:
                with contextlib.suppress(OSError, ValueError):
                    return Opened(ArchiveIndex.open(target), False, None)
            return Opened(build_index(paths, target, progress), True, reason)
    except OSError:
        if location is not None:
            raise
    # The cache is not writable (a read-only home in CI): keep the index for this run only.
    scratch = Path(tempfile.mkdtemp(prefix="compliance-index-"))
    atexit.register(shutil.rmtree, scratch, True)
    return Opened(build_index(paths, scratch / "index", progress), True, reason)
