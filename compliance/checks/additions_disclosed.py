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

from typing import Literal

from pydantic import Field

from compliance.checks.base import CheckContext, CheckOptions, Outcome
from compliance.checks.common import needs_original
from compliance.checks.credit_line import Options as CreditOptions
from compliance.checks.credit_line import run as find_credit
from compliance.textmatch import word_count


class Options(CheckOptions):
    """Text the republisher added is disclosed as theirs."""

    type: Literal["additions_disclosed"]
    text: list[str] = Field(
        default_factory=lambda: [
            "Additional reporting by *",
            "* contributed to this report",
            "This story includes additional reporting by *",
        ],
        min_length=1,
        description="Accepted disclosure wordings; '*' stands for any words.",
    )
    min_words: int = Field(
        default=15, ge=1, description="Added words below this need no disclosure."
    )


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Sum the added paragraphs' words; look for a disclosure when they are enough."""
    alignment = ctx.match.alignment if ctx.match else None
    if alignment is None:
        return needs_original("finding added text")
    added = [alignment.copy[i] for i in alignment.added]
    words = sum(word_count(p) for p in added)
    if words < options.min_words:
        return Outcome(True, f"nothing of substance added ({words} words)")
    note = find_credit(
        CreditOptions(id=options.id, clause=options.clause, type="credit_line", text=options.text),
        ctx,
    )
    if note.passed:
        return Outcome(
            True, f"{len(added)} added paragraphs, disclosed", note.evidence, note.location
        )
    return Outcome(
        False,
        f"{len(added)} added paragraphs ({words} words) without an 'Additional reporting by' note",
        added[0][:160],
    )
