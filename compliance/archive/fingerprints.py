"""Text fingerprints for finding a copy's original: winnowed, hashed word 5-grams.

Everything runs on normalised UTF-8 bytes with numpy, so no Python object is made per word:
an archive of 200,000 articles is fingerprinted in well under a minute and a copy in about a
tenth of a millisecond. Hashes are computed from the bytes alone (never Python's salted
`hash`), so fingerprints stored in an index on disk stay valid in every later process.

Winnowing keeps the minimum hash of every window of `WINDOW` consecutive 5-grams: any run of
at least WINDOW + SHINGLE - 1 = 12 words that a copy shares with its original is guaranteed
to produce a shared fingerprint, with about a quarter of the 5-grams stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SHINGLE = 5
WINDOW = 8

# ------------------------------------------------------------------ hashing

_MASK = (1 << 64) - 1
_BASE = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2**64
_BASE_INVERSE = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_GRAM_WEIGHTS = [
    np.uint64(w)
    for w in (
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
    )
]
# BASE**i and BASE**-i, one tuple replaced whole: threads (discovery triages sites on
# threads) never see a grown table beside the old one.
_tables = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))


def _power_tables(length: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i modulo 2**64 for i < length, grown on demand and kept."""
    global _tables
    tables = _tables
    if len(tables[0]) < length:
        size = max(length, 2 * len(tables[0]), 1 << 16)
        with np.errstate(over="ignore"):
            powers = np.cumprod(np.full(size, _BASE, dtype=np.uint64), dtype=np.uint64)
            powers = np.concatenate(([np.uint64(1)], powers[:-1]))
            inverse = np.cumprod(np.full(size, _BASE_INVERSE, dtype=np.uint64), dtype=np.uint64)
            inverse = np.concatenate(([np.uint64(1)], inverse[:-1]))
        tables = _tables = (powers, inverse)
    return tables


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads a polynomial hash's weak low bits over all 64."""
    # Array arithmetic on uint64 wraps modulo 2**64 silently, which is what a hash wants.
    values = values ^ (values >> _S30)
    values *= _M1
    values ^= values >> _S27
    values *= _M2
    values ^= values >> _S31
    return values


def _word_edges(codes: np.ndarray, single_spaced: bool) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the words (runs of bytes other than a space)."""
    if single_spaced:  # normalised text: one space between words, none at the ends
        spaces = np.flatnonzero(codes == 0x20)
        starts = np.empty(len(spaces) + 1, dtype=np.int64)
        starts[0] = 0
        starts[1:] = spaces + 1
        ends = np.empty(len(spaces) + 1, dtype=np.int64)
        ends[:-1] = spaces
        ends[-1] = len(codes)
        return starts, ends
    is_word = np.empty(len(codes) + 2, dtype=np.int8)
    is_word[0] = is_word[-1] = 0
    np.not_equal(codes, 0x20, out=is_word[1:-1])
    edges = np.diff(is_word)
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _word_hashes(data: bytes, single_spaced: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A 64-bit hash of every word in folded `data`, and the byte offset it starts at."""
    codes = np.frombuffer(data, dtype=np.uint8)
    starts, ends = _word_edges(codes, single_spaced)
    powers, inverse = _power_tables(len(codes) + 1)
    prefix = np.empty(len(codes) + 1, dtype=np.uint64)
    prefix[0] = 0
    np.cumsum(codes * powers[: len(codes)], dtype=np.uint64, out=prefix[1:])
    hashes = (prefix[ends] - prefix[starts]) * inverse[starts]
    return _mix(hashes), starts


def _gram_hashes(words: np.ndarray) -> np.ndarray:
    count = len(words) - SHINGLE + 1
    grams = words[:count] * _GRAM_WEIGHTS[0]
    for offset in range(1, SHINGLE):
        grams += words[offset : offset + count] * _GRAM_WEIGHTS[offset]
    return _mix(grams)


def _window_minima(grams: np.ndarray) -> np.ndarray:
    """The minimum of every run of WINDOW consecutive grams, by doubling (WINDOW is 8)."""
    minima = grams
    width = 1
    while width < WINDOW:
        minima = np.minimum(minima[:-width], minima[width:])
        width *= 2
    return minima


def fingerprint_batch(
    texts: Sequence[bytes], distinct: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Winnowed 5-gram fingerprints of several folded texts at once.

    Returns (fingerprints, text numbers): with `distinct`, one entry per distinct fingerprint
    of a text, sorted by text; without, in text order with repeats (the index builder sorts
    and de-duplicates everything once at the end). Batching saves numpy's per-call overhead
    when indexing an archive; neither a 5-gram nor a window spans two texts, and a text too
    short for one window keeps all its 5-grams.
    """
    numbers = [n for n, text in enumerate(texts) if text]
    empty = np.empty(0, np.uint64), np.empty(0, np.int64)
    if not numbers:
        return empty
    joined = b" ".join(texts[n] for n in numbers)
    bounds = np.cumsum([len(texts[n]) + 1 for n in numbers])
    words, starts = _word_hashes(joined)
    if len(words) < SHINGLE:
        return empty
    owner = np.searchsorted(bounds, starts, side="right")
    grams = _gram_hashes(words)
    same = owner[: len(grams)] == owner[SHINGLE - 1 :]
    grams, gram_owner = grams[same], owner[: len(grams)][same]
    if len(grams) >= WINDOW:
        minima = _window_minima(grams)
        whole = gram_owner[: len(minima)] == gram_owner[WINDOW - 1 :]
        values, owners = minima[whole], gram_owner[: len(minima)][whole]
        per_text = np.bincount(gram_owner, minlength=len(numbers))
        short = per_text[gram_owner] < WINDOW
        if short.any():
            values = np.concatenate((values, grams[short]))
            owners = np.concatenate((owners, gram_owner[short]))
    else:
        values, owners = grams, gram_owner
    if not distinct:
        return values, np.asarray(numbers, dtype=np.int64)[owners]
    # One entry per (text, fingerprint): sort by text, then hash, and drop repeats.
    if len(numbers) == 1:
        values = np.sort(values)
    else:
        order = np.lexsort((values, owners))
        values, owners = values[order], owners[order]
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = (values[1:] != values[:-1]) | (owners[1:] != owners[:-1])
    return values[keep], np.asarray(numbers, dtype=np.int64)[owners[keep]]


def fingerprints(text: bytes) -> np.ndarray:
    """The distinct winnowed 5-gram fingerprints of one folded text, sorted."""
    if not text:
        return np.empty(0, np.uint64)
    single_spaced = b"  " not in text and text[:1] != b" " and text[-1:] != b" "
    words, _ = _word_hashes(text, single_spaced)
    if len(words) < SHINGLE:
        return np.empty(0, np.uint64)
    grams = _gram_hashes(words)
    values = np.sort(_window_minima(grams) if len(grams) >= WINDOW else grams)
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]
