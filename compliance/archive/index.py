"""The archive index on disk: fingerprint postings, originals, and URL keys, memory-mapped.

Layout of an index directory (every array a `.npy` file, opened with mmap so a run touches
only the pages it reads and starts matching in milliseconds whatever the archive's size):

- `postings.npy`: one sorted uint64 per (fingerprint, original): the fingerprint's top 40
  bits, then the original's 24-bit number. 8 bytes a posting, about 1.4 KB an original.
  Fingerprints found in more than MAX_DF originals (stock phrases, boilerplate) are dropped:
  they say nothing about which original a copy comes from.
- `directory.npy`: where the postings of each bucket of hash prefixes (their top bits)
  start, so a lookup is one read instead of a binary search.
- `counts.npy`: fingerprints kept per original, for containment (shared / the original's).
- `offsets.npy` + `records.bin`: each original as one JSON record, decoded only when matched.
- `keys.npy` + `key_docs.npy`: sorted hashes of the originals' URLs and tracking-pixel post
  ids, for the exact joins a copy's canonical link or pixel allows.
- `common.npy`: sorted keys of the paragraphs that COMMON_DF or more originals share
  (alignment.paragraph_key): a newsletter plug, an event box, a standing notice. They are
  left out of every alignment, so that no match rests on them.
- `manifest.json`: format, parameters, the source files with their sizes and content
  hashes, counts, and the problems met while building (shown again on every run).
"""

from __future__ import annotations

import hashlib
import json
import mmap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from compliance.model import BodyVersion, Original
from compliance.read.joins import normalize_url

# 3: originals are also found by id; 4: paragraphs many originals share; 5: each original's
# archive file, and which terms the originals name (for the warnings of ungoverned ones);
# 6: earlier versions of originals' bodies, their paragraphs fingerprinted once
FORMAT = 6
DOC_BITS = 24
DOC_MASK = np.uint64((1 << DOC_BITS) - 1)
HASH_MASK = np.uint64(((1 << 64) - 1) ^ ((1 << DOC_BITS) - 1))
MAX_DOCS = 1 << DOC_BITS
MAX_DF = 50
COMMON_DF = 3  # originals sharing a paragraph that make it boilerplate
_SHIFT = np.uint64(DOC_BITS)
_ONE = np.uint64(1)

# Retrieval is permissive: alignment decides, so a candidate needs only a few shared
# fingerprints and 5% of the original's (a three-paragraph excerpt of a long story).
MIN_HITS = 5
FEWEST_HITS = 2  # what a copy of very few fingerprints must share: never fewer
MIN_CONTAINMENT = 0.05
MIN_COPY_SHARE = 0.3
MAX_CANDIDATES = 5

ARRAYS = ("postings", "directory", "counts", "offsets", "keys", "key_docs", "common")


def key_hash(kind: str, value: str) -> int:
    """A stable 64-bit hash naming an original: ("id", its id), ("url", normalised URL) or
    ("post", host#post id)."""
    digest = hashlib.blake2b(f"{kind}\x1f{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def original_keys(original: Original) -> list[int]:
    """The exact-join keys of an original: its id, its URL, and its post id on its host."""
    keys = [key_hash("id", original.id)]
    if original.url:
        keys.append(key_hash("url", normalize_url(original.url)))
    post_id = original.extra.get("post_id")
    if original.url and post_id:
        host = urlsplit(original.url).netloc.lower().removeprefix("www.")
        keys.append(key_hash("post", f"{host}#{post_id}"))
    return keys


def record_of(original: Original) -> bytes:
    """An original as the JSON record the index stores."""
    return json.dumps(
        {
            "id": original.id,
            "title": original.title,
            "body": original.body,
            "url": original.url,
            "authors": original.authors,
            "published": original.published,
            "source": original.source,
            "origin": original.origin,
            "extra": original.extra,
            "file": original.file,
            "versions": [[v.body, v.seen, v.modified] for v in original.versions],
        },
    ).encode("ascii")


def _original_of(record: bytes) -> Original:
    data = json.loads(record)
    return Original(
        id=data["id"],
        title=data["title"],
        body=tuple(data["body"]),
        url=data["url"],
        authors=tuple(data["authors"]),
        published=data["published"],
        source=data["source"],
        origin=data["origin"],
        extra=data["extra"],
        file=data["file"],
        versions=tuple(BodyVersion(tuple(b), seen, mod) for b, seen, mod in data["versions"]),
    )


@dataclass
class ArchiveIndex:
    """An archive's originals, findable by text fingerprints and by URL or post id."""

    postings: np.ndarray
    directory: np.ndarray
    counts: np.ndarray
    offsets: np.ndarray
    records: bytes | mmap.mmap
    keys: np.ndarray
    key_docs: np.ndarray
    common: np.ndarray
    manifest: dict[str, Any]
    path: Path  # the directory it is stored in

    def __post_init__(self) -> None:
        self._decoded: dict[int, Original] = {}

    def __len__(self) -> int:
        return len(self.counts)

    def __reduce__(self) -> Any:
        # Worker processes re-open the stored index (sharing the page cache) instead of
        # being sent a copy of every array.
        return (ArchiveIndex.open, (self.path,))

    @property
    def problems(self) -> list[str]:
        """What could not be read when the index was built."""
        return list(self.manifest.get("problems", []))

    @property
    def notes(self) -> list[str]:
        """How originals were read that their author should know (one line a file)."""
        return list(self.manifest.get("notes", []))

    @classmethod
    def open(cls, path: Path) -> ArchiveIndex:
        """The index stored in directory `path`, memory-mapped."""
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"index format {manifest.get('format')}, expected {FORMAT}")
        arrays = {name: _load_array(path / f"{name}.npy") for name in ARRAYS}
        records_path = path / "records.bin"
        records: bytes | mmap.mmap = b""
        if records_path.stat().st_size:
            with records_path.open("rb") as handle:
                records = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return cls(records=records, manifest=manifest, path=path, **arrays)

    def original(self, number: int) -> Original:
        """Original number `number`, decoded from its record on first use."""
        found = self._decoded.get(number)
        if found is None:
            start, end = int(self.offsets[number]), int(self.offsets[number + 1])
            found = self._decoded[number] = _original_of(self.records[start:end])
            if len(self._decoded) > 4096:  # keep memory flat over a long run
                self._decoded.pop(next(iter(self._decoded)), None)
        return found

    @cached_property
    def common_paragraphs(self) -> frozenset[int]:
        """Keys of the paragraphs many originals share: boilerplate, not a story's text."""
        return frozenset(int(k) for k in self.common)

    def find(self, kind: str, value: str) -> int | None:
        """The original with this URL (`"url"`, normalised) or post id (`"post"`, host#id)."""
        key = np.uint64(key_hash(kind, value))
        at = int(np.searchsorted(self.keys, key))
        if at < len(self.keys) and self.keys[at] == key:
            return int(self.key_docs[at])
        return None

    def candidates(self, fingerprints: np.ndarray) -> list[tuple[int, int]]:
        """Originals sharing enough fingerprints with a copy: (number, shared), most first."""
        prefixes = fingerprints & HASH_MASK
        numbers, hits = self._shared(prefixes)
        if not len(numbers):
            return []
        enough = min(MIN_HITS, max(FEWEST_HITS, len(prefixes) // 2))
        containment = hits / np.maximum(self.counts[numbers], 1)
        # An excerpt of a very long story holds little of it, but is mostly made of it.
        share_of_copy = hits / len(prefixes)
        keep = (hits >= enough) & (
            (containment >= MIN_CONTAINMENT) | (share_of_copy >= MIN_COPY_SHARE)
        )
        numbers, hits = numbers[keep], hits[keep]
        order = np.argsort(-hits, kind="stable")[:MAX_CANDIDATES]
        return [(int(numbers[i]), int(hits[i])) for i in order]

    def most_shared(self, fingerprints: np.ndarray) -> int:
        """The most fingerprints any one original shares with a text (0 for none)."""
        _numbers, hits = self._shared(fingerprints & HASH_MASK)
        return int(hits.max()) if len(hits) else 0

    def _shared(self, prefixes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The originals sharing any of these fingerprint prefixes, and how many each."""
        none = np.empty(0, np.int64)
        if not len(prefixes) or not len(self.postings):
            return none, none
        # The directory gives each prefix's bucket of postings in one lookup (a binary search
        # over the whole array costs a cache miss per step); buckets hold a few postings.
        buckets = prefixes >> self._bucket_shift
        low = self.directory[buckets]
        sizes = self.directory[buckets + _ONE] - low
        total = int(sizes.sum())
        if not total:
            return none, none
        at = np.repeat(low - (np.cumsum(sizes) - sizes), sizes)
        found = self.postings[at + np.arange(total)]
        found = found[(found & HASH_MASK) == np.repeat(prefixes, sizes)]
        if not len(found):
            return none, none
        docs = np.sort((found & DOC_MASK).astype(np.int64))
        edges = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1], [True])))
        return docs[edges[:-1]], np.diff(edges)

    @cached_property
    def _bucket_shift(self) -> np.uint64:
        return np.uint64(64 - (len(self.directory) - 1).bit_length() + 1)


def directory_of(postings: np.ndarray) -> np.ndarray:
    """Where each bucket of postings (by the top bits of the hash) starts, plus the end.

    About four postings a bucket: 2**bits + 1 offsets for 4 * 2**bits postings.
    """
    bits = min(26, max(8, (max(1, len(postings)) // 4).bit_length()))
    sizes = np.zeros(1 << bits, dtype=np.int64)
    for start in range(0, len(postings), 1 << 22):  # a chunk at a time: no copy of them all
        tops = (postings[start : start + (1 << 22)] >> np.uint64(64 - bits)).astype(np.int64)
        sizes += np.bincount(tops, minlength=1 << bits)
    directory = np.zeros((1 << bits) + 1, dtype=np.int64)
    np.cumsum(sizes, out=directory[1:])
    return directory


def _load_array(path: Path) -> np.ndarray:
    try:
        # A plain ndarray view of the map: np.memmap's subclass hooks cost microseconds on
        # every operation, and lookups make dozens of them per copy.
        return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
    except ValueError:  # numpy cannot map an empty array; it is tiny anyway
        return np.load(path, allow_pickle=False)
