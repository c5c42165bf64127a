"""headline: the copy keeps the original's headline.

What it checks: the page's headline (its title, with any " | Site" suffix removed, or an
`<h1>`) against the matched original's title, fuzzily at `min_score`, so retyped quotes and
a house-style capitalisation still count as the same headline.

Why: some terms (The Texan, ND-licensed work) forbid rewriting headlines; others allow it
(Covering Climate Now, Global Voices), so it is a check a rule set opts into.

Passes: the original's headline, in title case.

Fails: "Study: schools lose teachers" for "Texas schools lost 10,000 teachers last year".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from compliance.checks.base import CheckContext, Outcome
from compliance.checks.common import needs_original
from compliance.common.textmatch import normalize

if TYPE_CHECKING:
    from compliance.terms.check_options import HeadlineOptions as Options


_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]{1,60}$")


def _candidates(ctx: CheckContext) -> list[str]:
    found = []
    if ctx.article.title:
        found += [ctx.article.title, _SUFFIX.sub("", ctx.article.title)]
    found += [b.text for b in ctx.article.blocks if b.tag == "h1"]
    return found


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Pass when any headline candidate reads as the original's title."""
    if ctx.match is None:
        return needs_original("comparing headlines", ctx)
    wanted = normalize(ctx.match.original.title)
    scored = [(fuzz.ratio(normalize(c), wanted), c) for c in _candidates(ctx)]
    if not scored:
        return Outcome(False, "the page has no headline to compare")
    score, best = max(scored)
    if score >= options.min_score:
        return Outcome(True, "headline unchanged", best)
    return Outcome(
        False, f"the headline was changed (the original: '{ctx.match.original.title}')", best
    )
