"""credit_line: a required credit sentence is on the page, where the terms want it.

What it checks: one of the `text` wordings appears in a block of the page (fuzzily, at
`min_score`; `*` stands for any words, such as the site's name), or, when the terms accept
it, a plain label naming the newsroom (`labels`: "Source: KFF Health News"), where asked
for: `anywhere`, `top` or `bottom` of the article (within `within` blocks of its first or
last paragraph), or at the `byline` (within `within` blocks of a byline).

Why: most newsrooms ask for a sentence naming them as the source, often in a set place:
"This story was originally published by ProPublica." at the top, or the Republication
Tracker Tool's "This article first appeared on SITE and is republished here under a
Creative Commons license." at the bottom.

Passes: `<p><em>This story was originally published by ProPublica.</em></p>` above the
first paragraph.

Fails: the same sentence moved below the story when the terms ask for it at the top, or
no such sentence at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from compliance.checks.base import CheckContext, Outcome
from compliance.checks.common import article_span
from compliance.common.textmatch import (
    contains_phrase,
    excerpt,
    linear_regex,
    names_credited,
    normalize,
)
from compliance.model import TextBlock

if TYPE_CHECKING:
    from compliance.terms.check_options import CreditLineOptions as Options


@lru_cache(maxsize=256)
def _wildcard(pattern: str) -> Any:
    """`*` as up to a dozen words (a site or an author's name), compiled for linear time."""
    parts = [re.escape(p) for p in normalize(pattern).split("*")]
    return linear_regex(r"(?:\S+(?: \S+){0,12})?".join(parts))


def credit_hits(
    blocks: Sequence[TextBlock], wordings: Sequence[str], min_score: int, labels: Sequence[str] = ()
) -> list[tuple[float, int]]:
    """(score, block index) of every block carrying one of `wordings` at `min_score`, or a
    plain credit label naming one of `labels`."""
    hits = []
    for index, block in enumerate(blocks):
        score = max(_wording_score(block, w, min_score) for w in wordings)
        if score < min_score and labels and names_credited(block.text, labels):
            score = 100.0
        if score >= min_score:
            hits.append((score, index))
    return hits


def _wording_score(block: TextBlock, wording: str, min_score: int) -> float:
    if "*" in wording:
        return 100.0 if _wildcard(wording).search(normalize(block.text)) else 0.0
    return contains_phrase(block.text, wording, min_score)


def _allowed(options: Options, ctx: CheckContext) -> tuple[set[int], str]:
    """The block indices where the credit may stand, and how to name that place."""
    blocks = ctx.article.blocks
    every = set(range(len(blocks)))
    if options.placement == "anywhere":
        return every, ""
    if options.placement == "byline":
        near = {b.block for b in ctx.article.byline_candidates if b.block is not None}
        places = {i for b in near for i in range(b - options.within, b + options.within + 1)}
        return places & every, " at the byline"
    first, last = article_span(ctx.article)
    if options.placement == "top":
        return set(range(0, first + options.within + 1)) & every, " at the top of the story"
    return set(range(last - options.within, len(blocks))) & every, " at the end of the story"


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Pass on the best-matching block in the allowed place; say where it is otherwise."""
    blocks = ctx.article.blocks
    hits = credit_hits(blocks, options.text, options.min_score, options.labels)
    allowed, where = _allowed(options, ctx)
    if not hits:
        return Outcome(False, f"no credit line such as '{options.text[0]}'")
    placed = [h for h in hits if h[1] in allowed]
    _, i = max(placed or hits)
    message = (
        f"credit line found{where}" if placed else f"the credit line is on the page but not{where}"
    )
    claimed = frozenset({i}) if placed else frozenset()
    return Outcome(bool(placed), message, excerpt(blocks[i].text), blocks[i].location, claimed)
