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

import hashlib
import re
import string
from bisect import bisect_left
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from compliance.archive.folding import normalize_bytes
from compliance.archive.interface_text import is_interface_text
from compliance.common.textmatch import glob_set

MIN_WORDS = 8
PARAGRAPH_SCORE = 80  # a paragraph of the original counts as carried at this ratio
CANDIDATE_SCORE = 60  # below this, cdist does not even report a score
MAX_JOINED = 3  # paragraphs a merge or split may span
BOILERPLATE_WORDS = 50  # longer paragraphs are never boilerplate
FURNITURE_SCORE = 85  # a copy paragraph this close to its headline or a credit line is that
# The least a match rests on, in characters of the original's normalised text carried (about
# six to a word): a newsletter plug and an event box two sibling pages share run to about
# 45 words, and are not a copy.
MIN_EVIDENCE = {"three paragraphs": 250, "two paragraphs": 600, "coverage of one": 0.5}
SENTENCE_EVIDENCE = 4  # sentences a sentence alignment needs paired, with 600 characters

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


PROSE_WORDS = 12  # a sentence of the story, not a teaser headline or a menu entry
PROSE_ANY_END = 20  # this long, a paragraph is prose however it ends
_SENTENCE_CLOSE = re.compile(r"[.!?…:;][\"”’»)\]]*\s*$")


def is_prose(text: str) -> bool:
    """Whether a paragraph reads as a story's prose: a sentence of PROSE_WORDS words or more
    that ends as sentences do, or any paragraph of PROSE_ANY_END words."""
    words = text.count(" ") + 1
    return words >= PROSE_ANY_END or (words >= PROSE_WORDS and bool(_SENTENCE_CLOSE.search(text)))


@dataclass(frozen=True)
class Pair:
    """Paragraphs of the original and of the copy that carry the same text."""

    original: tuple[int, ...]
    copy: tuple[int, ...]
    score: float  # fuzz.ratio of the normalised texts, 0-100 (rewritten: word overlap)
    moved: bool = False  # outside the order the other pairs keep
    rewritten: bool = False  # the same place in the story, recast in other words

    @property
    def kind(self) -> str:
        """verbatim, changed, rewritten, merged (two originals in one copy paragraph) or
        split."""
        if self.rewritten:
            return "rewritten"
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
    carried_chars: int = field(default=0)  # of the original's normalised text
    explained_chars: int = field(default=0)  # of the copy's normalised text
    rewritten_chars: int = field(default=0)  # of carried_chars, in rewritten paragraphs
    # Set when the texts were aligned sentence by sentence (align_sentences): the sentences
    # paired verbatim or nearly, not rewritten. The pairs are then regrouped paragraphs.
    sentence_pairs: int | None = None

    @cached_property
    def accepted(self) -> bool:
        """Whether the copy republishes the original, rather than sharing a quote or a
        site's boilerplate with it: the least evidence a match needs (MIN_EVIDENCE).

        At least half of a short original, or three carried paragraphs of prose (is_prose:
        an excerpt), or two that together run to about a hundred words. Only paragraphs of
        MIN_WORDS words or more take part, and none the archive's originals share
        (index_build.py). Aligned by sentences, SENTENCE_EVIDENCE sentences that together
        run to a hundred words.
        """
        # Rewritten paragraphs are paired only once the copy is known to be one: they are
        # never evidence that it is.
        chars = self.carried_chars - self.rewritten_chars
        share = chars / self.carried_chars * self.coverage if self.carried_chars else 0.0
        if self.sentence_pairs is not None:
            return (
                self.sentence_pairs >= SENTENCE_EVIDENCE and chars >= MIN_EVIDENCE["two paragraphs"]
            ) or (self.sentence_pairs >= 1 and share >= MIN_EVIDENCE["coverage of one"])
        if len(self.pairs) - len(self.rewritten) >= 1 and share >= MIN_EVIDENCE["coverage of one"]:
            return True
        # Only the story's prose is evidence: a list of teaser headlines, menu entries or a
        # site's interface lines that a sibling page shares is no copy of it.
        prose = [
            len(normalize_bytes(text))
            for text in (
                " ".join(self.original[i] for i in p.original)
                for p in self.pairs
                if not p.rewritten
            )
            if is_prose(text)
        ]
        return (len(prose) >= 3 and sum(prose) >= MIN_EVIDENCE["three paragraphs"]) or (
            len(prose) >= 2 and sum(prose) >= MIN_EVIDENCE["two paragraphs"]
        )

    @property
    def changed(self) -> tuple[Pair, ...]:
        """Pairs whose words differ (a merge or split of identical text is not a change;
        a rewritten paragraph is counted apart, in `rewritten`)."""
        return tuple(p for p in self.pairs if p.score < 100 and not p.rewritten)

    @property
    def rewritten(self) -> tuple[Pair, ...]:
        """Paragraphs of the original recast in other words at the same place."""
        return tuple(p for p in self.pairs if p.rewritten)

    @property
    def moved(self) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.moved)

    def summary(self) -> dict[str, int]:
        """Counts of paragraphs by fate, for reports."""
        return {
            "verbatim": sum(1 for p in self.pairs if p.kind == "verbatim"),
            "changed": len(self.changed),
            "rewritten": len(self.rewritten),
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
            "rewritten_pairs": [
                {
                    "original_paragraphs": [i + 1 for i in pair.original],
                    "copy_paragraphs": [i + 1 for i in pair.copy],
                    "score": round(pair.score / 100, 3),
                }
                for pair in self.rewritten
            ],
            "moved_paragraphs": [i + 1 for p in self.moved for i in p.original],
            "dropped_paragraphs": [i + 1 for i in self.dropped],
            "added_paragraphs": [i + 1 for i in self.added],
        }


_WORD_EDGES = string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb"


def _word_key(word: str) -> str:
    """A word as compared: case-folded, without the punctuation around it."""
    return word.casefold().strip(_WORD_EDGES)


def word_ops(original: str, copy: str) -> list[tuple[str, str, str]]:
    """The two paragraphs as (op, original words, copy words) runs, equal runs included.

    Words are compared by their normalised form, so a retyped quote mark or a capital is not
    a change; the runs show the words as written.
    """
    before, after = original.split(), copy.split()
    keys_before = [_word_key(w) for w in before]
    keys_after = [_word_key(w) for w in after]
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


@dataclass(frozen=True)
class Prepared:
    """A text ready for alignment: its paragraphs, and the normalised ones that take part."""

    paragraphs: tuple[str, ...]
    kept: tuple[tuple[int, str], ...]  # (position, normalised text)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Each kept paragraph's text without spaces: identical paragraphs share a key."""
        return tuple(text.replace(" ", "") for _, text in self.kept)

    @cached_property
    def anchors(self) -> dict[str, tuple[int, ...]]:
        """Positions of the kept paragraphs by key."""
        found: dict[str, list[int]] = {}
        for (number, _), key in zip(self.kept, self.keys, strict=True):
            found.setdefault(key, []).append(number)
        return {key: tuple(numbers) for key, numbers in found.items()}

    @cached_property
    def lengths(self) -> dict[int, int]:
        """Length of each kept paragraph's normalised text, by position."""
        return {number: len(text) for number, text in self.kept}


def paragraph_key(normalised: bytes) -> int:
    """A stable 63-bit key of a normalised paragraph, for counting it across an archive."""
    return int.from_bytes(hashlib.blake2b(normalised, digest_size=8).digest(), "big") >> 1


def paragraph_keys(paragraphs: Sequence[str]) -> frozenset[int]:
    """The keys of the paragraphs that could take part in alignment (MIN_WORDS or more)."""
    return frozenset(
        paragraph_key(normalize_bytes(text))
        for text in paragraphs
        if text.count(" ") + 1 >= MIN_WORDS
    )


def prepare(
    paragraphs: Sequence[str],
    boilerplate: Sequence[str] = BOILERPLATE,
    common: Container[int] = frozenset(),
) -> Prepared:
    """Normalise the paragraphs that take part in alignment (done once per text).

    `common`: keys (paragraph_key) of paragraphs many originals of the archive share, such
    as a newsletter plug or a standing notice: they are no one story's text. Neither is a
    site's interface or legal boilerplate (interface_text), left out wherever it stands.
    """
    kept = []
    skip = glob_set(tuple(boilerplate))
    for number, text in enumerate(paragraphs):
        words = text.count(" ") + 1  # paragraphs come with their spaces collapsed
        # Boilerplate is a line or a caption; a long paragraph is the article's own text.
        if words < MIN_WORDS or (words <= BOILERPLATE_WORDS and skip.matches(text)):
            continue
        if is_interface_text(text):  # consent, disclaimers, plugs, bios: no one story's
            continue
        normalised = normalize_bytes(text)
        if normalised and (not common or paragraph_key(normalised) not in common):
            kept.append((number, normalised.decode("utf-8")))
    return Prepared(tuple(paragraphs), tuple(kept))


def _is_line(text: str, line: str) -> bool:
    # ratio >= 85 needs lengths within a factor of 1.35; most paragraphs fail that at once.
    if not 0.74 * len(line) <= len(text) <= 1.35 * len(line):
        return False
    return bool(fuzz.ratio(text, line, score_cutoff=FURNITURE_SCORE))


def _lines_in(kept: Sequence[tuple[int, str]], lines: Sequence[str]) -> list[tuple[int, str]]:
    """The paragraphs that are one of `lines` (a headline, byline or credit line)."""
    return [(n, text) for n, text in kept if any(_is_line(text, line) for line in lines)]


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
    numbers = [n for n, _ in others]
    ends = list(accumulate((len(t) for _, t in others), initial=0))
    for number, text in singles:
        length = len(text)
        for width in range(2, MAX_JOINED + 1):
            found = None
            for start in range(len(others) - width + 1):
                stop = start + width
                if numbers[stop - 1] - numbers[start] != width - 1:
                    continue  # not consecutive paragraphs
                joined_length = ends[stop] - ends[start] + width - 1
                # ratio >= 80 needs lengths within a factor of 1.5, and a merge or split
                # keeps the start of the text: skip the join when either is not so.
                if not 2 * joined_length <= 3 * length <= 4.5 * joined_length:
                    continue
                if used.intersection(numbers[start:stop]):
                    continue
                if not fuzz.ratio(text[:40], others[start][1][:40], score_cutoff=70):
                    continue
                joined = " ".join(t for _, t in others[start:stop])
                score = fuzz.ratio(text, joined, score_cutoff=PARAGRAPH_SCORE)
                if score:
                    found = (tuple(numbers[start:stop]), score)
                    break
            if found:
                run, score = found
                used.update(run)
                pairs.append(
                    Pair(run, (number,), score) if single_is_copy else Pair((number,), run, score)
                )
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
    return align_prepared(prepare(original, boilerplate), prepare(copy, boilerplate), furniture)


def _pair_anchors(
    original: Prepared, copy: Prepared
) -> tuple[list[Pair], list[tuple[int, str]], list[tuple[int, str]]]:
    """Pairs of identical paragraphs, and the paragraphs of each side left over."""
    pairs: list[Pair] = []
    used: set[int] = set()
    rest_target = []
    for (number, text), key in zip(copy.kept, copy.keys, strict=True):
        candidates = original.anchors.get(key, ())
        match = next((n for n in candidates if n not in used), None)
        if match is None:
            rest_target.append((number, text))
        else:
            used.add(match)
            pairs.append(Pair((match,), (number,), 100.0))
    rest_source = [(n, t) for n, t in original.kept if n not in used]
    return pairs, rest_source, rest_target


def _pair_fuzzy(
    rest_source: list[tuple[int, str]], rest_target: list[tuple[int, str]]
) -> tuple[list[Pair], list[tuple[int, str]], list[tuple[int, str]]]:
    """Pairs of similar paragraphs, best score first, each paragraph used once."""
    scores = process.cdist(
        [t for _, t in rest_source],
        [t for _, t in rest_target],
        scorer=fuzz.ratio,
        score_cutoff=CANDIDATE_SCORE,
        workers=1,
    )
    rows, columns = (scores >= PARAGRAPH_SCORE).nonzero()
    ranked = sorted(
        ((float(scores[i, j]), int(i), int(j)) for i, j in zip(rows, columns, strict=True)),
        reverse=True,
    )
    pairs = []
    taken_i: set[int] = set()
    taken_j: set[int] = set()
    for score, i, j in ranked:
        if i not in taken_i and j not in taken_j:
            taken_i.add(i)
            taken_j.add(j)
            pairs.append(Pair((rest_source[i][0],), (rest_target[j][0],), score))
    return (
        pairs,
        [s for i, s in enumerate(rest_source) if i not in taken_i],
        [t for j, t in enumerate(rest_target) if j not in taken_j],
    )


REWRITE_OVERLAP = 0.5  # least share of words two paragraphs share to be one rewritten
REWRITE_WINDOW = 2  # positions either side of where the original's paragraph should be
_TOKEN = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w for w in _TOKEN.findall(text) if len(w) > 2 or w.isdigit()}


def _overlap(a: set[str], b: set[str]) -> float:
    """Word overlap of two paragraphs (Dice): 1 for the same words in any order."""
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _pair_rewritten(
    pairs: list[Pair], rest_source: list[tuple[int, str]], rest_target: list[tuple[int, str]]
) -> list[Pair]:
    """The original's unaligned paragraphs paired, in order, with the copy's unaligned ones
    that stand where they should (between the same aligned neighbours, give or take
    REWRITE_WINDOW) and share REWRITE_OVERLAP of their words: sentences recast, a quote
    turned into indirect speech. What pairs with nothing stays dropped or added."""
    anchors = sorted((p.original[0], p.copy[0]) for p in pairs)
    sources = [n for n, _ in anchors]

    def expected(number: int) -> int:
        """The copy position the original's paragraph `number` should be near: as far past
        the copy paragraph of its last aligned predecessor as it is past that predecessor."""
        at = bisect_left(sources, number)
        before_original, before_copy = anchors[at - 1] if at else (-1, -1)
        return before_copy + (number - before_original)

    targets = [n for n, _ in rest_target]
    words_target = [_words(t) for _, t in rest_target]
    taken: set[int] = set()
    last = -1
    found = []
    for number, text in rest_source:
        words = _words(text)
        home = bisect_left(targets, expected(number))
        best, best_score = None, REWRITE_OVERLAP
        for j in range(max(0, home - REWRITE_WINDOW), min(len(targets), home + REWRITE_WINDOW + 1)):
            if j in taken or targets[j] <= last:
                continue
            score = _overlap(words, words_target[j])
            if score >= best_score:
                best, best_score = j, score
        if best is not None:
            taken.add(best)
            last = targets[best]
            # Paired by shared words; scored, like every pair, by how much of the wording is
            # the original's, so that similarity says how far the text was recast.
            score = fuzz.ratio(text, rest_target[best][1])
            found.append(Pair((number,), (targets[best],), score, rewritten=True))
    return found


def _unpaired(
    found: list[Pair], rest_source: list[tuple[int, str]], rest_target: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """What is left of each side once the `found` pairs are taken out."""
    done_s = {n for p in found for n in p.original}
    done_t = {n for p in found for n in p.copy}
    return (
        [s for s in rest_source if s[0] not in done_s],
        [t for t in rest_target if t[0] not in done_t],
    )


def align_prepared(original: Prepared, copy: Prepared, furniture: Sequence[str] = ()) -> Alignment:
    """align() for texts prepared beforehand (the matcher prepares each text once)."""
    # Identical paragraphs first: cheap, and most of a faithful copy.
    pairs, rest_source, rest_target = _pair_anchors(original, copy)
    if rest_source and rest_target:
        fuzzy, rest_source, rest_target = _pair_fuzzy(rest_source, rest_target)
        pairs.extend(fuzzy)
    if rest_source and rest_target:
        merged = _join_runs(rest_target, rest_source, single_is_copy=True)
        rest_source, rest_target = _unpaired(merged, rest_source, rest_target)
        split = _join_runs(rest_source, rest_target, single_is_copy=False)
        rest_source, rest_target = _unpaired(split, rest_source, rest_target)
        pairs.extend([*merged, *split])
    if rest_source and rest_target and pairs:
        pairs.extend(_pair_rewritten(pairs, rest_source, rest_target))

    # Headline and credit lines are not text: they neither go missing nor count as added.
    lines = [normalize_bytes(t).decode("utf-8") for t in furniture if t]
    carried = {n for p in pairs for n in p.original}
    explained = {n for p in pairs for n in p.copy}
    ignored_source = {n for n, t in _lines_in(rest_source, lines) if n not in carried}
    ignored_target = {n for n, t in _lines_in(rest_target, lines) if n not in explained}

    pairs.sort(key=lambda p: p.copy[0])
    in_order = _longest_increasing([p.original[0] for p in pairs])
    pairs = [
        p if i in in_order else Pair(p.original, p.copy, p.score, moved=True)
        for i, p in enumerate(pairs)
    ]

    source_len, target_len = original.lengths, copy.lengths
    carried_chars = sum(source_len[n] for n in carried)
    rewritten_chars = sum(source_len[n] for p in pairs if p.rewritten for n in p.original)
    weighted = sum(p.score * sum(source_len[n] for n in p.original) for p in pairs)
    total_source = sum(source_len.values()) - sum(source_len[n] for n in ignored_source)
    explained_chars = sum(target_len[n] for n in explained)
    return Alignment(
        furniture=tuple(furniture),
        original=original.paragraphs,
        copy=copy.paragraphs,
        pairs=tuple(pairs),
        dropped=tuple(n for n, _ in original.kept if n not in carried and n not in ignored_source),
        added=tuple(n for n, _ in copy.kept if n not in explained and n not in ignored_target),
        similarity=weighted / carried_chars / 100 if carried_chars else 0.0,
        coverage=carried_chars / total_source if total_source else 0.0,
        carried_chars=carried_chars,
        explained_chars=explained_chars,
        rewritten_chars=rewritten_chars,
    )


# A sentence ends at . ! ? or … (after any closing quote or bracket) before a capital, a
# digit or an opening quote: "Mr." and "U.S." before a lower-case word do not end one. Run
# together with no space ("media.China's", paragraphs a page separates by styled empty
# spans), a word's end and a capital still make the break.
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"”’»)\]]*\s+(?=[\"“‘«(\[]?[A-ZÀ-ÖØ-Þ0-9])"
    r"|(?<=[a-zà-ÿ]{2}[.!?])(?=[“\"]?[A-ZÀ-ÖØ-Þ][a-zà-ÿ])"
)


def sentences_of(paragraphs: Sequence[tuple[int, str]]) -> tuple[list[str], list[int]]:
    """The sentences of numbered paragraphs, and the paragraph each came from."""
    found: list[str] = []
    owners: list[int] = []
    for number, text in paragraphs:
        for sentence in _SENTENCE_END.split(text):
            if sentence.strip():
                found.append(sentence.strip())
                owners.append(number)
    return found, owners


def align_sentences(
    original: Prepared, copy: Prepared, boilerplate: Sequence[str] = BOILERPLATE,
    furniture: Sequence[str] = (),
) -> Alignment:  # fmt: skip
    """The copy aligned with its original sentence by sentence, then regrouped into their
    paragraphs: for texts whose paragraph breaks do not line up (an original exported as
    a few huge paragraphs, a page whose paragraphs are separated by styled empty spans).

    Only the paragraphs that take part in paragraph alignment are cut (no boilerplate, none
    the archive's originals share). Paragraphs joined by paired sentences become one pair,
    so coverage and similarity are the sentences' and the report still speaks of paragraphs.
    """
    kept_original = [(n, original.paragraphs[n]) for n, _ in original.kept]
    kept_copy = [(n, copy.paragraphs[n]) for n, _ in copy.kept]
    source, source_owner = sentences_of(kept_original)
    target, target_owner = sentences_of(kept_copy)
    by_sentence = align_prepared(
        prepare(source, boilerplate), prepare(target, boilerplate), furniture
    )
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for pair in by_sentence.pairs:
        nodes = [("o", source_owner[i]) for i in pair.original]
        nodes += [("c", target_owner[j]) for j in pair.copy]
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
    groups: dict[tuple[str, int], list[Pair]] = {}
    for pair in by_sentence.pairs:
        groups.setdefault(root(("o", source_owner[pair.original[0]])), []).append(pair)
    lengths = [len(normalize_bytes(t)) for t in source]
    pairs = []
    for members in groups.values():
        weights = [sum(lengths[i] for i in p.original) for p in members]
        score = sum(p.score * w for p, w in zip(members, weights, strict=True)) / max(
            1, sum(weights)
        )
        pairs.append(
            Pair(
                tuple(sorted({source_owner[i] for p in members for i in p.original})),
                tuple(sorted({target_owner[j] for p in members for j in p.copy})),
                round(score, 1),
                moved=all(p.moved for p in members),
                rewritten=all(p.rewritten for p in members),
            )
        )
    pairs.sort(key=lambda p: p.copy[0])
    carried = {n for p in pairs for n in p.original}
    explained = {n for p in pairs for n in p.copy}
    return Alignment(
        furniture=tuple(furniture),
        original=original.paragraphs,
        copy=copy.paragraphs,
        pairs=tuple(pairs),
        dropped=tuple(n for n, _ in original.kept if n not in carried),
        added=tuple(n for n, _ in copy.kept if n not in explained),
        similarity=by_sentence.similarity,
        coverage=by_sentence.coverage,
        carried_chars=by_sentence.carried_chars,
        explained_chars=by_sentence.explained_chars,
        rewritten_chars=by_sentence.rewritten_chars,
        # Evidence, as for paragraphs, is the story's prose: no teaser or interface line.
        sentence_pairs=sum(
            1
            for p in by_sentence.pairs
            if not p.rewritten and is_prose(" ".join(source[i] for i in p.original))
        ),
    )
