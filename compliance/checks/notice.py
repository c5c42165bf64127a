"""notice: the newswire's licensing or credit notice is reproduced.

What it checks: any one of the `text` wordings appears in the page, matched fuzzily
(`min_score`) so retyped quote marks or a small rewording still count.

Why: the notice tells readers, and other republishers, the terms the story came under.

Passes: "All content created by the Daily Caller News Foundation, an independent and
nonpartisan newswire service, is available without charge ..."

Fails: a copy whose closing notice was cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.common.textmatch import excerpt, find_phrases

if TYPE_CHECKING:
    from compliance.terms.check_options import NoticeOptions as Options


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
