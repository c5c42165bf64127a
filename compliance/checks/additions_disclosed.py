"""additions_disclosed: text the republisher added is disclosed as theirs.

What it checks: when the copy adds paragraphs of its own to the original's (per the
alignment with the matched original) totalling at least `min_words` words, one of the
`text` disclosure wordings must be on the page ("Additional reporting by ...").

Why: The Texas Tribune, The Texan and others allow a local quote or paragraph only with a
note saying who added it.

Passes: an added local paragraph and "Additional reporting by The Example Gazette."

Fails: an added paragraph with no such note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.checks.common import needs_original
from compliance.checks.credit_line import credit_hits
from compliance.common.textmatch import excerpt, word_count

_DISCLOSURE_SCORE = 85  # as a credit line is found

if TYPE_CHECKING:
    from compliance.terms.check_options import AdditionsDisclosedOptions as Options


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Sum the added paragraphs' words; look for a disclosure when they are enough."""
    alignment = ctx.match.alignment if ctx.match else None
    if alignment is None:
        return needs_original("finding added text", ctx)
    added = [alignment.copy[i] for i in alignment.added]
    words = sum(word_count(p) for p in added)
    if words < options.min_words:
        return Outcome(True, f"nothing of substance added ({words} words)")
    blocks = ctx.article.blocks
    hits = credit_hits(blocks, options.text, _DISCLOSURE_SCORE)
    if hits:
        _, index = max(hits)
        note = blocks[index]
        return Outcome(
            True, f"{len(added)} added paragraphs, disclosed", excerpt(note.text), note.location
        )
    return Outcome(
        False,
        f"{len(added)} added paragraphs ({words} words) without an 'Additional reporting by' note",
        added[0][:160],
    )
