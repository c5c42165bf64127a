"""Building the archive index from the originals, as a stream, into a directory.

Originals are read one at a time and fingerprinted in batches; their records go straight to
disk. What stays in memory while building is the postings (8 bytes each) and the key arrays,
so an archive of 200,000 articles builds in a few hundred megabytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import time
from array import array
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from compliance.archive.alignment import MIN_WORDS, paragraph_key
from compliance.archive.fingerprints import SHINGLE, WINDOW, fingerprint_batch
from compliance.archive.folding import fold_bytes, normalize_bytes
from compliance.archive.index import (
    COMMON_DF,
    DOC_MASK,
    FORMAT,
    HASH_MASK,
    MAX_DF,
    MAX_DOCS,
    ArchiveIndex,
    directory_of,
    original_keys,
    record_of,
)
from compliance.archive.originals import archive_files, iter_originals
from compliance.errors import UserError
from compliance.model import Original
from compliance.read.joins import host_of

BATCH = 256
PARALLEL_AFTER_BATCHES = 8  # archives under about 2,000 originals are indexed in-process
WORKERS = min(2, os.cpu_count() or 1)


def parameters() -> dict[str, int]:
    """What the index's contents depend on besides the originals: a change means a rebuild."""
    return {
        "format": FORMAT,
        "shingle": SHINGLE,
        "window": WINDOW,
        "max_df": MAX_DF,
        "common_df": COMMON_DF,
        "min_words": MIN_WORDS,
    }


class _Common:
    """Counts, per paragraph, the originals that carry it; keeps those COMMON_DF share."""

    def __init__(self) -> None:
        # Each original's distinct paragraph keys, 8 bytes each (a dict of counts held
        # about a hundred bytes a paragraph: 300 MB at 200,000 originals).
        self.seen = array("Q")

    def add(self, body: Sequence[str]) -> None:
        self.seen.extend(
            {
                paragraph_key(normalize_bytes(p))
                for p in body
                if p.count(" ") + 1 >= MIN_WORDS and p.strip()
            }
        )

    def finish(self) -> np.ndarray:
        keys, counts = np.unique(np.frombuffer(self.seen, dtype=np.uint64), return_counts=True)
        self.seen = array("Q")
        return keys[counts >= COMMON_DF]


class _Naming:
    """What the originals say of their terms, grouped by (file, `source`, host): how many,
    and where the first is. A run warns from this of originals no rule
    set governs without reading the archive again."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str | None, str | None], list[Any]] = {}

    def add(self, original: Original) -> None:
        host = host_of(original.url) if original.url else None
        group = self.groups.setdefault((original.file, original.source, host), [0, original.origin])
        group[0] += 1

    def finish(self) -> list[dict[str, Any]]:
        return [
            {"file": file, "source": source, "host": host, "count": count, "first": first}
            for (file, source, host), (count, first) in self.groups.items()
        ]


def indexed_text(original: Original) -> list[str]:
    """The paragraphs fingerprinted for an original: its body, then each paragraph of its
    earlier versions that the body no longer has, once (a copy made before a correction
    carries the text the correction replaced)."""
    seen = set(original.body)
    earlier = [
        p for v in original.versions for p in v.body if not (p in seen or seen.add(p))
    ]  # fmt: skip
    return [*original.body, *earlier]


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def source_entries(paths: Sequence[Path], with_digest: bool) -> list[dict[str, Any]]:
    """The files an archive is read from, with size, modification time and (optionally) hash."""
    entries = []
    for file, _root in archive_files(paths):
        stat = file.stat()
        entry: dict[str, Any] = {
            "path": str(file.resolve()),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
        }
        if with_digest:
            entry["sha256"] = file_digest(file)
        entries.append(entry)
    return entries


def _packed(texts: list[bytes], first: int) -> np.ndarray:
    """Postings of a batch of originals numbered from `first`: hash prefix | number, each
    once (an original repeats most of its winnowed fingerprints' prefixes: kept whole, the
    batches held four and a half times the postings until the end)."""
    values, owners = fingerprint_batch(texts, distinct=False)
    return np.unique((values & HASH_MASK) | (owners.astype(np.uint64) + np.uint64(first)))


class _Postings:
    """Fingerprints of originals, gathered batch by batch into packed postings.

    A large archive is fingerprinted in worker threads while the main one reads the
    originals and writes their records: numpy releases the GIL for the array work, which is
    most of it. A small archive never starts them.
    """

    def __init__(self) -> None:
        self.parts: list[np.ndarray | Future[np.ndarray]] = []
        self.texts: list[bytes] = []
        self.first = 0  # the number of the first original in `texts`
        self.pool: ThreadPoolExecutor | None = None

    def add(self, text: bytes) -> None:
        self.texts.append(text)
        if len(self.texts) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.texts:
            return
        if self.pool is None and len(self.parts) >= PARALLEL_AFTER_BATCHES and WORKERS > 1:
            self.pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="fingerprint")
        if self.pool is not None:
            # Reading outpaces fingerprinting: bound the batches waiting, or their texts pile
            # up in memory (a gigabyte at 200,000 originals).
            waiting = [p for p in self.parts[-4 * WORKERS :] if isinstance(p, Future)]
            if len(waiting) >= 2 * WORKERS:
                waiting[0].result()
            self.parts.append(self.pool.submit(_packed, self.texts, self.first))
        else:
            self.parts.append(_packed(self.texts, self.first))
        self.first += len(self.texts)
        self.texts = []

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def finish(self, originals: int) -> tuple[np.ndarray, np.ndarray]:
        """Sorted postings without over-common fingerprints, and fingerprints per original.

        At 200,000 originals the postings are a quarter of a gigabyte, so they are gathered
        into one array as the batches finish and then filtered in place, chunk by chunk:
        no step holds a second copy of them (the build peaked at 2.7 GB before).
        """
        self.flush()
        total = 0
        for n, part in enumerate(self.parts):
            self.parts[n] = part = part.result() if isinstance(part, Future) else part
            total += len(part)
        self.close()
        postings = np.empty(total, dtype=np.uint64)
        at = 0
        while self.parts:
            part = self.parts.pop(0)
            postings[at : at + len(part)] = part
            at += len(part)
        postings.sort()  # each posting once already: batches number their originals apart
        heavy = _heavy_prefixes(postings)
        if len(heavy):
            postings = _without(postings, lambda part: _among(part & HASH_MASK, heavy))
        counts = np.zeros(originals, dtype=np.uint32)
        for start in range(0, len(postings), CHUNK):
            part = postings[start : start + CHUNK]
            counts += np.bincount((part & DOC_MASK).astype(np.int64), minlength=originals).astype(
                np.uint32
            )
        return postings, counts


CHUNK = 1 << 20  # postings filtered at a time (8 MB)


def _among(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of `values` are in `sorted_set` (np.isin sorts both together: 20x the memory)."""
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def _without(postings: np.ndarray, dropped: Any) -> np.ndarray:
    """`postings` without the entries `dropped(chunk)` marks, moved down in place a chunk at
    a time (each chunk's survivors are copied out before they are written back)."""
    write = 0
    for start in range(0, len(postings), CHUNK):
        kept = postings[start : start + CHUNK][~dropped(postings[start : start + CHUNK])]
        postings[write : write + len(kept)] = kept
        write += len(kept)
    return postings[:write]


def _heavy_prefixes(postings: np.ndarray) -> np.ndarray:
    """The hash prefixes more than MAX_DF originals share (sorted postings: a run of more
    than MAX_DF equal prefixes has the same prefix MAX_DF entries on)."""
    found = []
    for start in range(0, max(0, len(postings) - MAX_DF), CHUNK):
        window = postings[start : start + CHUNK + MAX_DF] & HASH_MASK
        same = window[MAX_DF:] == window[:-MAX_DF]
        found.append(np.unique(window[:-MAX_DF][same]))
    return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.uint64)


def _replace_directory(built: Path, target: Path) -> None:
    """Put the directory `built` at `target`, replacing an older index there."""
    retired = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(retired)
    try:
        built.rename(target)
    except OSError:
        # Another process put its index there first; it was built from the same files.
        shutil.rmtree(built, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)


def build_index(
    paths: Sequence[Path], target: Path, progress: Callable[[int], None] | None = None
) -> ArchiveIndex:
    """Read every original under `paths` and store their index in the directory `target`.

    `progress` is called with the number of originals read so far, every batch.
    """
    started = time.perf_counter()
    sources = source_entries(paths, with_digest=True)
    problems: list[str] = []
    notes: list[str] = []
    building = target.with_name(f".{target.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    postings = _Postings()
    common = _Common()
    naming = _Naming()
    try:
        offsets = array("q", [0])
        keys = array("Q")
        key_docs = array("I")
        with (building / "records.bin").open("wb") as records:
            for number, original in enumerate(iter_originals(paths, problems, notes)):
                if number >= MAX_DOCS:
                    raise UserError(f"the archive holds more than {MAX_DOCS:,} originals")
                record = record_of(original)
                records.write(record)
                offsets.append(offsets[-1] + len(record))
                for key in original_keys(original):
                    keys.append(key)
                    key_docs.append(number)
                postings.add(fold_bytes(" ".join(indexed_text(original))))
                common.add(original.body)
                naming.add(original)
                if progress and number % BATCH == 0:
                    progress(number)
        count = len(offsets) - 1
        packed, counts = postings.finish(count)
        key_array = np.frombuffer(keys, dtype=np.uint64)
        order = np.argsort(key_array, kind="stable")
        arrays = {
            "postings": packed,
            "directory": directory_of(packed),
            "counts": counts,
            "offsets": np.frombuffer(offsets, dtype=np.int64),
            "keys": key_array[order],
            "key_docs": np.frombuffer(key_docs, dtype=np.uint32)[order],
            "common": common.finish(),
        }
        for name, values in arrays.items():
            np.save(building / f"{name}.npy", values)
        manifest = {
            **parameters(),
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.perf_counter() - started, 3),
            # The building process's peak, all it held before included (Linux: KiB).
            "build_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "originals": count,
            "postings": len(packed),
            "common_paragraphs": len(arrays["common"]),
            "sources": sources,
            "naming": naming.finish(),
            "problems": problems,
            "notes": notes,
        }
        (building / "manifest.json").write_text(
            json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8"
        )
        _replace_directory(building, target)
    finally:
        postings.close()
        shutil.rmtree(building, ignore_errors=True)
    return ArchiveIndex.open(target)
