"""Which edits of an original are corrections, and whether a copy carries them.

Between two versions of an original's body the paragraphs are aligned as a copy is with its
original (alignment.align), and each difference is classified:

- `notice`: a correction notice was added ("Correction:", "Editor's note:", "An earlier
  version of this story …"; a rule set may give its own wordings);
- `fact`: a paired paragraph changed a number, a date, a name or a quote;
- `wording`: a paired paragraph changed other words;
- `added` / `removed`: a paragraph appeared or went;
- `style`: the paragraphs differ only in punctuation, case or spacing. Style never counts.

A copy applies a change when it carries the later text: the changed paragraph closer to its
new words than to its old ones (a copy that cut the paragraph has nothing stale), the notice,
the added paragraph, and not the removed one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from compliance.archive.alignment import align, word_ops
from compliance.archive.folding import normalize_bytes
from compliance.common.dates import parse_date
from compliance.common.textmatch import excerpt, glob_set
from compliance.model import Original

# Compared as rule files' patterns are (case and quote marks folded: textmatch.normalize).
NOTICES = (
    "Correction:*",
    "Corrections:*",
    "Correction - *",
    "Correction (*",
    "Clarification:*",
    "Editor's note*",
    "*An earlier version of this *",
    "*A previous version of this *",
    "*This story has been updated*",
    "*This article has been updated*",
    "*This story was updated*",
    "*This story was corrected*",
    "*This article was corrected*",
    "Update:*",
    "Updated:*",
)
CARRIED = 80  # fuzz.ratio at which a copy's paragraph carries a notice or paragraph
_FACT = re.compile(r"\d|[\"“”‘’«»]|\b(?:January|February|March|April|May|June|July|August"
                   r"|September|October|November|December|Monday|Tuesday|Wednesday|Thursday"
                   r"|Friday|Saturday|Sunday)\b")  # fmt: skip
_EXCERPT = 90  # characters of a paragraph quoted in a message
# Capitalised words that begin sentences rather than name anyone.
_NOT_NAMES = frozenset(
    "a an the he she it they we i you this that these those in on at but and or so as if"
    " when while after before".split()
)


@dataclass(frozen=True)
class Change:
    """One difference between two versions of an original."""

    kind: str  # notice, fact, wording, added, removed or style
    paragraph: int  # 1-based, in the later version (in the earlier one for "removed")
    before: str | None  # the earlier paragraph (None when added)
    after: str | None  # the later paragraph (None when removed)
    words: tuple[tuple[str, str], ...] = ()  # (old words, new words) for a changed paragraph

    def describe(self) -> str:
        """The change in words: "paragraph 4: '$4.2 million' became '$2.4 million'"."""
        if self.kind == "notice":
            return f"correction notice added: '{_short(self.after)}'"
        if self.kind == "added":
            return f"paragraph {self.paragraph} added: '{_short(self.after)}'"
        if self.kind == "removed":
            return f"paragraph {self.paragraph} removed: '{_short(self.before)}'"
        if self.kind == "style":
            return f"paragraph {self.paragraph}: punctuation, case or spacing"
        return f"paragraph {self.paragraph}: " + "; ".join(map(_word_change, self.words[:3]))


@dataclass(frozen=True)
class Correction:
    """The edits that made version `version` (1-based) of an original, and when."""

    version: int
    when: datetime | None
    changes: tuple[Change, ...]


def changes_between(
    before: Sequence[str], after: Sequence[str], notices: Sequence[str] = NOTICES
) -> list[Change]:
    """The differences between two bodies, in the later body's order."""
    is_notice = glob_set(tuple(notices)).matches
    old_keys = {_key(p) for p in before}
    found: list[Change] = []
    for n, paragraph in enumerate(after, start=1):
        if is_notice(paragraph.strip()) and _key(paragraph) not in old_keys:
            found.append(Change("notice", n, None, paragraph))
    noticed = {c.paragraph for c in found}
    alignment = align(before, after, boilerplate=())
    for pair in alignment.pairs:
        if len(pair.original) != 1 or len(pair.copy) != 1:
            continue  # merged or split: a restructuring, not a fact edited in place
        old, new = before[pair.original[0]], after[pair.copy[0]]
        if old == new:
            continue
        words = tuple((o, c) for op, o, c in word_ops(old, new) if op != "equal")
        kind = "style" if not words else "fact" if _is_fact(words) else "wording"
        found.append(Change(kind, pair.copy[0] + 1, old, new, words))
    paired_new = {n for pair in alignment.pairs for n in pair.copy}
    paired_old = {n for pair in alignment.pairs for n in pair.original}
    for n in alignment.added:
        if n + 1 not in noticed and n not in paired_new:
            found.append(Change("added", n + 1, None, after[n]))
    for n in alignment.dropped:
        if n not in paired_old:
            found.append(Change("removed", n + 1, before[n], None))
    return sorted(found, key=lambda c: c.paragraph)


def corrections_of(original: Original, notices: Sequence[str] = NOTICES) -> list[Correction]:
    """Each edit of `original` the archive saw, as a Correction, oldest first."""
    bodies = original.version_bodies()
    return [
        Correction(
            number + 1,
            parse_date(bodies[number].when),
            tuple(changes_between(bodies[number - 1].body, bodies[number].body, notices)),
        )
        for number in range(1, len(bodies))
    ]


def carried_version(original: Original, copy: Sequence[str]) -> int:
    """Which of the original's bodies (1: the oldest) the copy's paragraphs follow best.

    Only the paragraphs that are not in every body can tell them apart: each body is scored
    by how closely the copy carries its own such paragraphs (the mean of each one's best
    fuzz.ratio with a copy paragraph), and the best wins, the latest on a tie. A copy that
    carries none of them (an excerpt that stops before the edit) shows no stale text: the
    latest. Bodies that differ in style only are told apart by the paragraphs written as the
    copy writes them."""
    bodies = [version.body for version in original.version_bodies()]
    if len(bodies) == 1:
        return 1
    shared = set.intersection(*(set(body) for body in bodies))
    written = set(copy)
    keys = [_key(p) for p in copy]
    scores = []
    for number, body in enumerate(bodies, start=1):
        own = [p for p in body if p not in shared]
        best = [_best(_key(p), keys) for p in own]
        mean = sum(best) / len(best) if best else 0.0
        # Bodies that differ in style only score alike; the one written as the copy is wins.
        exact = sum(p in written for p in own) / len(own) if own else 0.0
        scores.append((mean, exact, number, max(best, default=0.0)))
    if max(score[-1] for score in scores) < CARRIED - 20:
        return len(bodies)
    return max(scores)[2]


def copy_keys(copy: Sequence[str]) -> list[bytes]:
    """A copy's paragraphs and lines as `applied` compares them (normalised once)."""
    return [_key(text) for text in copy]


def applied(change: Change, copy: Sequence[bytes]) -> bool:
    """Whether a copy whose text is `copy` (copy_keys of its paragraphs and the page's other
    lines) carries the later side of `change`."""
    if change.kind in ("notice", "added"):
        return _best(_key(change.after or ""), copy) >= CARRIED
    if change.kind == "removed":
        return _best(_key(change.before or ""), copy) < CARRIED
    old, new = _key(change.before or ""), _key(change.after or "")
    # (to the old words, to the new) of the copy's paragraph closest to either
    closest = max(((fuzz.ratio(p, old), fuzz.ratio(p, new)) for p in copy), key=max, default=None)
    if closest is None or max(closest) < CARRIED - 20:
        return True  # the copy cut the paragraph: nothing stale is shown
    return closest[1] >= closest[0]


def _word_change(words: tuple[str, str]) -> str:
    old, new = words
    if old and new:
        return f"'{old}' became '{new}'"
    return f"'{old}' removed" if old else f"'{new}' added"


def _is_fact(words: Sequence[tuple[str, str]]) -> bool:
    """Whether the changed words hold a number, a date, a quote or a name."""
    for old, new in words:
        for text in (old, new):
            names = [w for w in text.split() if w[:1].isupper() and w.lower() not in _NOT_NAMES]
            if _FACT.search(text) or names:
                return True
    return False


def _key(paragraph: str) -> bytes:
    return normalize_bytes(paragraph)


def similarity(a: str, b: str) -> float:
    """fuzz.ratio of two paragraphs' normalised texts, 0-100."""
    return fuzz.ratio(_key(a), _key(b))


def _best(key: bytes, keys: Sequence[bytes]) -> float:
    """The best fuzz.ratio of a normalised paragraph with any of `keys`."""
    return max((fuzz.ratio(key, other) for other in keys), default=0.0)


def _short(text: str | None) -> str:
    return excerpt(text or "", _EXCERPT)
