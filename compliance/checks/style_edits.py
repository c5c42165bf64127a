"""style_edits: the copy changes the original's words only for style and time.

What it checks: every changed paragraph of the alignment with the matched original, word
span by word span. A change of case, punctuation or a house-style spelling ("percent" for
"%", "U.S." for "US"), and (with `allow_time`) a changed time reference ("Tuesday" to "last
week"), is allowed; a changed number, a changed quotation, a changed name, or other changed
words are substantive edits and fail. A whole paragraph recast in other words (a rewrite)
always fails: that is adaptation. With `allow_cuts: false`, cut paragraphs fail too. Added
paragraphs are left to `additions_disclosed` and `integrity`.

Why: "No edits except to reflect relative changes in time, location and editorial style"
is in the terms of ProPublica, The Conversation, City Desk ABQ and most CC BY-ND newsrooms.

Passes: "said Tuesday" became "said last week"; "10 percent" became "10%".

Fails: "10 percent" became "12 percent"; a quotation reworded; "Smith" became "Jones".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.checks.common import needs_original

if TYPE_CHECKING:
    from compliance.terms.check_options import StyleEditsOptions as Options

_TIME_WORDS = frozenset(
    """
    today tonight yesterday tomorrow now recently earlier later ago last this next past
    coming week weeks month months year years day days morning afternoon evening night
    weekend on in at the of monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
# House-style spellings that mean the same word.
_STYLE = {
    "percent": "%", "pct": "%", "u.s.": "us", "u.s": "us", "u.k.": "uk", "st.": "street",
    "ave.": "avenue", "dr.": "doctor", "tex.": "texas", "calif.": "california",
}  # fmt: skip


_WORD = re.compile(r"\w+(?:['\u2019.]\w+)*\.?|%")
_QUOTE_MARKS = '"\u201c\u201d'


@dataclass(frozen=True)
class _Token:
    key: str  # as compared: case-folded, house style folded
    raw: str
    quoted: bool  # inside a quotation
    capital: bool  # capitalised, and not the first word of a sentence


def _tokens(text: str, allow_time: bool) -> list[_Token]:
    found = []
    for match in _WORD.finditer(text):
        raw = match.group()
        key = _STYLE.get(raw.casefold(), raw.casefold().rstrip("."))
        if allow_time and key in _TIME_WORDS:
            continue  # relative time references may be updated
        before = text[: match.start()].rstrip()
        found.append(
            _Token(
                key,
                raw,
                sum(before.count(q) for q in _QUOTE_MARKS) % 2 == 1,
                raw[:1].isupper() and bool(before) and before[-1] not in '.!?"\u201d',
            )
        )
    return found


def _kind(old: list[_Token], new: list[_Token]) -> str:
    """What a substantive edit changed, in the words a report uses."""
    both = old + new
    if any(t.quoted for t in both):
        return "a quotation"
    if any(any(c.isdigit() for c in t.raw) for t in both):
        return "a number"
    if any(t.capital for t in both):
        return "a name"
    return "the wording"


def substantive_edits(original: str, copy: str, allow_time: bool) -> list[tuple[str, str, str]]:
    """(kind, original words, copy words) of each change that is not style or time."""
    before, after = _tokens(original, allow_time), _tokens(copy, allow_time)
    matcher = SequenceMatcher(None, [t.key for t in before], [t.key for t in after], False)
    edits = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            old, new = before[i1:i2], after[j1:j2]
            edits.append(
                (_kind(old, new), " ".join(t.raw for t in old), " ".join(t.raw for t in new))
            )
    return edits


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Classify every changed span; fail on the first substantive one, with the count."""
    alignment = ctx.match.alignment if ctx.match else None
    if alignment is None:
        return needs_original("judging edits", ctx)
    edits = []
    for pair in alignment.changed:
        original = " ".join(alignment.original[i] for i in pair.original)
        copy = " ".join(alignment.copy[i] for i in pair.copy)
        for kind, old, new in substantive_edits(original, copy, options.allow_time):
            edits.append((kind, old, new, pair.original[0]))
    if not options.allow_cuts and alignment.dropped:
        count = len(alignment.dropped)
        return Outcome(False, f"{count} paragraph{'s' * (count != 1)} of the original cut")
    if alignment.rewritten:
        # A paragraph recast in other words is an adaptation, never an edit for style.
        rewritten = alignment.rewritten
        first = rewritten[0]
        shown = ", ".join(str(p.original[0] + 1) for p in rewritten[:6])
        return Outcome(
            False,
            f"{len(rewritten)} of {len(alignment.original)} paragraphs rewritten"
            f" (paragraph {shown}{', …' if len(rewritten) > 6 else ''})",
            f"[-{alignment.original[first.original[0]]}-]{{+{alignment.copy[first.copy[0]]}+}}",
            details={
                "rewritten": [
                    {
                        "original_paragraph": p.original[0] + 1,
                        "copy_paragraph": p.copy[0] + 1,
                        "score": round(p.score / 100, 3),
                    }
                    for p in rewritten
                ]
            },
        )
    if not edits:
        changed = len(alignment.changed)
        return Outcome(True, f"{changed} paragraphs changed, for style or time only")
    kind, old, new, paragraph = edits[0]
    more = f" ({len(edits)} substantive edits in all)" if len(edits) > 1 else ""
    return Outcome(
        False,
        f"{kind} was changed in paragraph {paragraph + 1}: '{old}' became '{new}'{more}",
        f"[-{old}-]{{+{new}+}}",
        details={
            "edits": [
                {"kind": k, "original": o, "copy": n, "paragraph": p + 1} for k, o, n, p in edits
            ]
        },
    )
