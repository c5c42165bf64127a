"""affiliation: the reporter is tied to the newswire where the byline is.

What it checks: one of `text` in the article's byline itself ("By Name, DCNF"), in a credit
line within `distance` lines or blocks of it ("From the Daily Caller News Foundation" over
the byline, the newswire's name under it), or in the reporter's bio. Only attributions
count: the newswire named in the story ("a Pentagon official told the Daily Caller News
Foundation", a sentence of the matched original, a quote), in a licensing notice, a logo's
alt text or the site's menus and sidebars is not an affiliation. With no reporter byline on
the page there is no one to tie it to, and the check is not judged.

Why: a byline alone reads as the republisher's own staff; the affiliation says whose
reporter it is.

Passes: `By Nick Pope<br>Daily Caller News Foundation`

Fails: `By Nick Pope` with the newswire named only in the closing notice or in the story.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from compliance.checks import byline as byline_check
from compliance.checks.base import CheckContext, Outcome, not_judged
from compliance.common.textmatch import (
    contains_phrase,
    excerpt,
    find_phrases,
    normalize,
    word_count,
)
from compliance.read.regions import CHROME

if TYPE_CHECKING:
    from compliance.terms.check_options import AffiliationOptions as Options

# Run after the checks whose evidence (logo lines, notices) must not count as an affiliation.
PHASE = 1
_MAX_WORDS = 40  # longer blocks are running text or notices, not an affiliation line


# Words that make a mention of the newswire part of the reporting, not a credit:
# "told the Daily Caller News Foundation", "documents reviewed by DCNF".
_REPORTING = re.compile(
    r"\b(?:told|tells|telling|according\s+to|reviewed\s+by|obtained\s+by|seen\s+by|"
    r"confirmed\s+to|said\s+to|says\s+to|statement\s+to|spoke\s+(?:to|with)|"
    r"interview\s+with|asked\s+by|reached\s+by|contacted\s+by|provided\s+to|shared\s+with|"
    r"sent\s+to|emailed|request\s+from|inquiry\s+from|questions?\s+from|responded\s+to|"
    r"first\s+reported|reported\s+(?:by|that)|investigation\s+by|analysis\s+by)"
    r"(?:\W+\w+){0,3}\W*$",
    re.IGNORECASE,
)


def _reporting_mention(text: str, names: list[str]) -> bool:
    """Whether the newswire is named as part of a sentence of reporting or inside a quote."""
    folded = normalize(text)  # curly quotes folded to '"'
    for name in names:
        key = normalize(name)
        at = folded.find(key)
        while at >= 0:
            before = folded[:at]
            quoted = before.count('"') % 2 == 1 or before.count("«") > before.count("»")
            if quoted or _REPORTING.search(before):
                return True
            at = folded.find(key, at + 1)
    return False


def _story_blocks(ctx: CheckContext) -> set[int]:
    """Blocks that are sentences of the matched original's story."""
    if ctx.match is None:
        return set()
    story = [normalize(p) for p in ctx.match.original.body]
    found = set()
    for i, block in enumerate(ctx.article.blocks):
        key = normalize(block.text)
        if word_count(block.text) >= 6 and any(key in p or p in key for p in story if p):
            found.add(i)
    return found


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Look for the newswire's name where the page credits the reporter: the byline, a
    credit line beside it, the reporter's bio."""
    article = ctx.article
    blocks = article.blocks
    credited, _missing = byline_check.credited(ctx)
    # A byline naming the wrong reporter is the byline check's failure; the affiliation is
    # still judged where that byline stands.
    bylines = credited or [b for b in article.bylines if b.visible]
    if options.near == "byline" and not bylines:
        return not_judged(
            "there is no reporter byline on the page to tie the affiliation to"
            " (see the byline finding)"
        )
    for b in bylines:
        if any(
            contains_phrase(b.raw, t, options.min_score) >= options.min_score for t in options.text
        ):
            return Outcome(
                True, f"affiliation is in the byline of {b.name}", excerpt(b.raw), b.location
            )
    excluded = ctx.claimed_blocks() | _story_blocks(ctx)
    excluded -= {b.block for b in bylines}
    eligible = [
        i
        for i, blk in enumerate(blocks)
        if i not in excluded
        and blk.region not in CHROME
        and word_count(blk.text) <= _MAX_WORDS
        and not _reporting_mention(blk.text, options.text)
    ]

    if options.near == "byline":
        names = {normalize(b.name) for b in bylines}
        anchors = {
            i
            for i, blk in enumerate(blocks)
            if word_count(blk.text) <= _MAX_WORDS and any(n in normalize(blk.text) for n in names)
        }
        # A byline from Markdown front matter is rendered above the article's first line.
        anchors |= {-1 if b.block is None else b.block for b in bylines}
        near = {i for a in anchors for i in range(a - options.distance, a + options.distance + 1)}
        hits = find_phrases(
            blocks, options.text, options.min_score, [i for i in eligible if i in near]
        )
        if hits:
            hit = blocks[hits[0].block]
            return Outcome(
                True,
                f"affiliation stands with the byline of {bylines[0].name}",
                excerpt(hit.text),
                hit.location,
                frozenset({hits[0].block}),
            )
        elsewhere = find_phrases(blocks, options.text, options.min_score)
        message = (
            f"'{options.text[0]}' is not given as {bylines[0].name}'s affiliation"
            " next to the byline or in the reporter's bio"
        )
        # Pointed at the byline, where the affiliation belongs: annotations and fix
        # requests show that line, not the notice that happens to name the newswire.
        if not elsewhere:
            return Outcome(False, message, excerpt(bylines[0].raw), bylines[0].location)
        places = ", ".join(blocks[h.block].location.describe() for h in elsewhere[:3])
        return Outcome(
            False,
            f"{message}; the name appears only elsewhere ({places})",
            excerpt(bylines[0].raw),
            bylines[0].location,
        )

    hits = find_phrases(blocks, options.text, options.min_score, eligible)
    if hits:
        hit = blocks[hits[0].block]
        return Outcome(
            True,
            "affiliation line found",
            excerpt(hit.text),
            hit.location,
            frozenset({hits[0].block}),
        )
    return Outcome(False, f"no '{options.text[0]}' affiliation for the reporter")
