"""Paragraph alignment of a copy with its original: what was kept, changed, dropped, moved, added.

Paragraphs are compared with `fuzz.ratio` (an edit-distance similarity), never with
`token_set_ratio`, which scores a copy with an added paragraph 100. Identical paragraphs are
paired first through a dictionary; the rest go through one `process.cdist` matrix and are
paired greedily from the best score down. A copy paragraph that joins two or three of the
original's (or the reverse) is paired as a merge or split. The order the pairs keep is the
longest increasing run of the original's positions; pairs outside it were moved.

Short paragraphs (under MIN_WORDS words: datelines, bylines, "Advertisement") and the
boilerplate a newswire or a site inserts (`(RELATED: ...)` links, photo captions) are left
out on both sides, and so are the copy's headline, byline and credit lines, so none of them
counts as dropped or added.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from compliance.fingerprints import normalize_bytes
from compliance.textmatch import glob_union, normalize

MIN_WORDS = 8
PARAGRAPH_SCORE = 80  # a paragraph of the original counts as carried at this ratio
CANDIDATE_SCORE = 60  # below this, cdist does not even report a score
MAX_JOINED = 3  # paragraphs a merge or split may span
FURNITURE_SCORE = 85  # a copy paragraph this close to its headline or a credit line is that

# What newswires and sites put between paragraphs that is not the article's text.
BOILERPLATE = (
    "(RELATED*)",
    "RELATED:*",
    "READ MORE:*",
    "*(Photo by *)",
    "*(Photo: *)",
    "*(Photo credit*)",
    "Photo: *",
    "(Photo *)",
    "(Screenshot*)",
    "*Getty Images)",
    "*(AP Photo*)",
    "Advertisement*",
    "Sign up for*newsletter*",
    "Subscribe to*",
)


@dataclass(frozen=True)
class Pair:
    """Paragraphs of the original and of the copy that carry the same text."""

    original: tuple[int, ...]
    copy: tuple[int, ...]
    score: float  # fuzz.ratio of the normalised texts, 0-100
    moved: bool = False  # outside the order the other pairs keep

    @property
    def kind(self) -> str:
        """verbatim, changed, merged (two originals in one copy paragraph) or split."""
        if len(self.original) > 1:
            return "merged"
        if len(self.copy) > 1:
            return "split"
        return "verbatim" if self.score >= 100 else "changed"


@dataclass(frozen=True)
class Alignment:
    """How a copy's paragraphs line up with its original's."""

    furniture: tuple[str, ...]  # headline and credit lines left out of the copy's text
    original: tuple[str, ...]  # the original's paragraphs, as written
    copy: tuple[str, ...]  # the copy's paragraphs, as written
    pairs: tuple[Pair, ...]  # in the copy's order
    dropped: tuple[int, ...]  # paragraphs of the original the copy does not carry
    added: tuple[int, ...]  # paragraphs of the copy that are not from the original
    similarity: float  # 0-1, how faithfully the carried paragraphs follow the original
    coverage: float  # 0-1, share of the original's text the copy carries
    copy_share: float  # 0-1, share of the copy's text that comes from the original
    carried_chars: int = field(default=0)

    @property
    def accepted(self) -> bool:
        """Whether the copy republishes the original, rather than sharing a quote with it.

        Two carried paragraphs of some length, or at least half of a short original.
        """
        return (len(self.pairs) >= 2 and self.carried_chars >= 250) or (
            bool(self.pairs) and self.coverage >= 0.5
        )

    @property
    def changed(self) -> tuple[Pair, ...]:
        """Pairs whose words differ (a merge or split of identical text is not a change)."""
        return tuple(p for p in self.pairs if p.score < 100)

    @property
    def moved(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.moved)

    def summary(self) -> dict[str, int]:
        """Counts of paragraphs by fate, for reports."""
        return {
            "verbatim": sum(1 for p in self.pairs if p.kind == "verbatim"),
            "changed": len(self.changed),
            "reflowed": sum(1 for p in self.pairs if p.kind in ("merged", "split")),
            "moved": len(self.moved),
            "dropped": len(self.dropped),
            "added": len(self.added),
        }

    def to_json(self) -> dict[str, Any]:
        """The changes as lists of paragraphs; changed ones carry their word-level spans."""
        return {
            **self.summary(),
            "changes": [
                {
                    "kind": pair.kind,
                    "original_paragraphs": [i + 1 for i in pair.original],
                    "copy_paragraphs": [i + 1 for i in pair.copy],
                    "score": round(pair.score / 100, 3),
                    "spans": word_diff(
                        " ".join(self.original[i] for i in pair.original),
                        " ".join(self.copy[i] for i in pair.copy),
                    ),
                }
                for pair in self.changed
            ],
            "moved_paragraphs": [i + 1 for p in self.moved for i in p.original],
            "dropped_paragraphs": [i + 1 for i in self.dropped],
            "added_paragraphs": [i + 1 for i in self.added],
        }


def word_ops(original: str, copy: str) -> list[tuple[str, str, str]]:
    """The two paragraphs as (op, original words, copy words) runs, equal runs included.

    Words are compared by their normalised form, so a retyped quote mark or a capital is not
    a change; the runs show the words as written.
    """
    before, after = original.split(), copy.split()
    keys_before = [normalize_bytes(w) for w in before]
    keys_after = [normalize_bytes(w) for w in after]
    return [
        (
            op.tag,
            " ".join(before[op.src_start : op.src_end]),
            " ".join(after[op.dest_start : op.dest_end]),
        )
        for op in Levenshtein.opcodes(keys_before, keys_after)
    ]


def word_diff(original: str, copy: str) -> list[dict[str, str]]:
    """The words that differ between two paragraphs: [{"op", "original", "copy"}]."""
    return [
        {"op": op, "original": old, "copy": new}
        for op, old, new in word_ops(original, copy)
        if op != "equal"
    ]


def _kept(
    paragraphs: Sequence[str], boilerplate: Sequence[str], furniture: Sequence[str] = ()
) -> list[tuple[int, str]]:
    """(position, normalised text) of the paragraphs that take part in the alignment."""
    kept = []
    skip = glob_union(tuple(boilerplate))
    lines = [normalize_bytes(t).decode("utf-8") for t in furniture if t]
    for number, text in enumerate(paragraphs):
        words = len(text.split())
        # Boilerplate is a line or a caption; a long paragraph is the article's own text.
        if words < MIN_WORDS or (words <= 80 and skip.match(normalize(text))):
            continue
        normalised = normalize_bytes(text).decode("utf-8")
        if normalised and not any(
            fuzz.ratio(normalised, line, score_cutoff=FURNITURE_SCORE) for line in lines
        ):
            kept.append((number, normalised))
    return kept


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence of `values`."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(values)
    for i, value in enumerate(values):
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[at] = value
            tail_at[at] = i
        parent[i] = tail_at[at - 1] if at else -1
    chosen: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        chosen.add(i)
        i = parent[i]
    return chosen


def _join_runs(
    singles: list[tuple[int, str]], others: list[tuple[int, str]], single_is_copy: bool
) -> list[Pair]:
    """Pairs where one paragraph carries a run of 2-3 consecutive paragraphs of the other side."""
    pairs: list[Pair] = []
    used: set[int] = set()
    for number, text in singles:
        for width in range(2, MAX_JOINED + 1):
            for start in range(len(others) - width + 1):
                run = others[start : start + width]
                if any(n in used for n, _ in run) or run[-1][0] - run[0][0] != width - 1:
                    continue
                score = fuzz.ratio(text, " ".join(t for _, t in run), score_cutoff=PARAGRAPH_SCORE)
                if score:
                    numbers = tuple(n for n, _ in run)
                    used.update(numbers)
                    pairs.append(
                        Pair(numbers, (number,), score)
                        if single_is_copy
                        else Pair((number,), numbers, score)
                    )
                    break
            else:
                continue
            break
    return pairs


def align(
    original: Sequence[str],
    copy: Sequence[str],
    boilerplate: Sequence[str] = BOILERPLATE,
    furniture: Sequence[str] = (),
) -> Alignment:
    """Align the copy's paragraphs with the original's.

    `furniture` (headlines, byline and credit lines) is left out of both texts: an article
    extractor may keep it as a paragraph, and a newswire's closing notice is in its original.
    """
    source, target = _kept(original, boilerplate, furniture), _kept(copy, boilerplate, furniture)
    pairs: list[Pair] = []

    # Identical paragraphs first: cheap, and most of a faithful copy.
    waiting: dict[str, list[int]] = {}
    for number, text in source:
        waiting.setdefault(text.replace(" ", ""), []).append(number)
    rest_target = []
    for number, text in target:
        queue = waiting.get(text.replace(" ", ""))
        if queue:
            pairs.append(Pair((queue.pop(0),), (number,), 100.0))
        else:
            rest_target.append((number, text))
    paired_source = {n for p in pairs for n in p.original}
    rest_source = [(n, t) for n, t in source if n not in paired_source]

    if rest_source and rest_target:
        scores = process.cdist(
            [t for _, t in rest_source],
            [t for _, t in rest_target],
            scorer=fuzz.ratio,
            score_cutoff=CANDIDATE_SCORE,
            workers=1,
        )
        ranked = sorted(
            (
                (float(scores[i, j]), i, j)
                for i, j in zip(*(scores >= PARAGRAPH_SCORE).nonzero(), strict=True)
            ),
            reverse=True,
        )
        taken_i: set[int] = set()
        taken_j: set[int] = set()
        for score, i, j in ranked:
            if i not in taken_i and j not in taken_j:
                taken_i.add(i)
                taken_j.add(j)
                pairs.append(Pair((rest_source[i][0],), (rest_target[j][0],), score))
        rest_source = [s for i, s in enumerate(rest_source) if i not in taken_i]
        rest_target = [t for j, t in enumerate(rest_target) if j not in taken_j]
        if rest_source and rest_target:
            merged = _join_runs(rest_target, rest_source, single_is_copy=True)
            done_s = {n for p in merged for n in p.original}
            done_t = {n for p in merged for n in p.copy}
            rest_source = [s for s in rest_source if s[0] not in done_s]
            rest_target = [t for t in rest_target if t[0] not in done_t]
            split = _join_runs(rest_source, rest_target, single_is_copy=False)
            pairs.extend(merged + split)

    pairs.sort(key=lambda p: p.copy[0])
    in_order = _longest_increasing([p.original[0] for p in pairs])
    pairs = [
        p if i in in_order else Pair(p.original, p.copy, p.score, moved=True)
        for i, p in enumerate(pairs)
    ]

    source_len = {n: len(t) for n, t in source}
    target_len = {n: len(t) for n, t in target}
    carried = {n for p in pairs for n in p.original}
    explained = {n for p in pairs for n in p.copy}
    carried_chars = sum(source_len[n] for n in carried)
    weighted = sum(p.score * sum(source_len[n] for n in p.original) for p in pairs)
    total_source = sum(source_len.values())
    total_target = sum(target_len.values())
    return Alignment(
        furniture=tuple(furniture),
        original=tuple(original),
        copy=tuple(copy),
        pairs=tuple(pairs),
        dropped=tuple(n for n, _ in source if n not in carried),
        added=tuple(n for n, _ in target if n not in explained),
        similarity=weighted / carried_chars / 100 if carried_chars else 0.0,
        coverage=carried_chars / total_source if total_source else 0.0,
        copy_share=sum(target_len[n] for n in explained) / total_target if total_target else 0.0,
        carried_chars=carried_chars,
    )
