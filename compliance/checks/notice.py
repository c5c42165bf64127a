"""notice: the newswire's licensing or credit notice is reproduced.

Any one of `text` counts; the match is fuzzy (`min_score`) so a retyped quote mark or a
small rewording still counts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compliance.checks.base import CheckContext, CheckOptions, Outcome
from compliance.textmatch import excerpt, find_phrases


class Options(CheckOptions):
    """The newswire's licensing or credit notice is reproduced."""

    type: Literal["notice"]
    text: list[str] = Field(min_length=1, description="Accepted wordings of the notice.")
    min_score: int = Field(default=85, ge=50, le=100, description="Fuzzy match threshold, 0-100.")


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Pass on the block that carries a wording best."""
    blocks = ctx.article.blocks
    hits = find_phrases(blocks, options.text, options.min_score)
    if hits:
        best = max(hits, key=lambda h: h.score)
        block = blocks[best.block]
        how = "verbatim" if best.score >= 100 else f"{best.score:.0f}% match"
        return Outcome(
            True,
            f"notice found ({how})",
            excerpt(block.text),
            block.location,
            frozenset(h.block for h in hits),
        )
    return Outcome(False, "the notice is missing", None, None)
