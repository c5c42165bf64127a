"""affiliation: the reporter is tied to the newswire where the byline is.

What it checks: one of `text` in the article's byline itself ("By Name, DCNF"), in a credit
line within `distance` lines or blocks of it ("From the Daily Caller News Foundation" over
the byline, the newswire's name under it), or in the reporter's bio (in the article, or an
author box beside it that names the article's reporter). Only attributions count: the
newswire named in the story ("a Pentagon official told the Daily Caller News Foundation", a
sentence of the matched original, a quote), in a licensing notice, a logo's alt text or the
site's menus and sidebars is not an affiliation. When the page has no reporter byline but the
matched original names its reporter, the check is judged all the same: the page must tie
that reporter to the newswire, and the fix names the line to write. Only when no one knows
who the reporter is is it not judged.

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
from compliance.model import Article, Byline
from compliance.read.bylines import reads_as_bio
from compliance.read.names import LOOSE_TEXT
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


def slot_bylines(article: Article) -> list[Byline]:
    """Visible byline lines of the article that credit no person ("By Metro Desk")."""
    return [
        b
        for b in article.byline_candidates
        if not b.is_person
        and b.block is not None
        and b.where not in CHROME
        and b.reason != LOOSE_TEXT
    ]


def _bio_beside(text: str, region: str, names: set[str]) -> bool:
    """An author widget beside the story ("Lee Morgan is a reporter for ..."): a bio of the
    article's reporter in the sidebar counts as the bio; the sidebar's other text never."""
    if region != "sidebar":
        return False
    key = normalize(text)
    return any(n and n in key for n in names) and reads_as_bio(text)


def _suggested(name: str, ctx: CheckContext, options: Options) -> str:
    """The byline line that would carry the affiliation, to write in a fix."""
    outlet = ctx.ruleset.name if ctx.ruleset.name in options.text else options.text[0]
    return f"By {name}, {outlet}"


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Look for the newswire's name where the page credits the reporter: the byline, a
    credit line beside it, the reporter's bio (in the article or an author box beside it).
    With no byline on the page, a reporter known from the matched original is still tied
    (or not) to the newswire wherever the page names them."""
    article = ctx.article
    blocks = article.blocks
    credited, _missing = byline_check.credited(ctx)
    # A byline naming the wrong reporter is the byline check's failure; the affiliation is
    # still judged where that byline stands.
    bylines = credited or [b for b in article.bylines if b.visible]
    if options.near == "byline" and not bylines and not ctx.reporters:
        return not_judged(
            "no one knows who the reporter is: the page has no reporter byline and no"
            " original was matched (see the byline finding)"
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
    names = {normalize(b.name) for b in bylines} or {normalize(r) for r in ctx.reporters}
    eligible = [
        i
        for i, blk in enumerate(blocks)
        if i not in excluded
        and (blk.region not in CHROME or _bio_beside(blk.text, blk.region, names))
        and word_count(blk.text) <= _MAX_WORDS
        and not _reporting_mention(blk.text, options.text)
    ]

    if options.near == "byline":
        who = bylines[0].name if bylines else ctx.reporters[0]
        anchors = {
            i
            for i, blk in enumerate(blocks)
            if word_count(blk.text) <= _MAX_WORDS and any(n in normalize(blk.text) for n in names)
        }
        # A byline from Markdown front matter is rendered above the article's first line.
        anchors |= {-1 if b.block is None else b.block for b in bylines}
        named = set(anchors)
        if not bylines:
            # The byline slot holds an account ("By Metro Desk"): the affiliation written
            # there is in place, and only the byline needs the reporter's name.
            anchors |= {b.block for b in slot_bylines(article) if b.block is not None}
        near = {i for a in anchors for i in range(a - options.distance, a + options.distance + 1)}
        hits = find_phrases(
            blocks, options.text, options.min_score, [i for i in eligible if i in near]
        )
        if hits:
            hit = blocks[hits[0].block]
            by_name = any(abs(hits[0].block - a) <= options.distance for a in named)
            return Outcome(
                True,
                f"affiliation stands with the byline of {who}"
                if bylines
                else f"affiliation stands with {who}'s name"
                if by_name
                else "affiliation stands at the byline (which does not name the reporter:"
                " see the byline finding)",
                excerpt(hit.text),
                hit.location,
                frozenset({hits[0].block}),
            )
        elsewhere = find_phrases(blocks, options.text, options.min_score)
        line = _suggested(who, ctx, options)
        if bylines:
            message = (
                f"'{options.text[0]}' is not given as {who}'s affiliation"
                " next to the byline or in the reporter's bio"
            )
        else:
            message = (
                f"the page never ties the original's reporter {who} to"
                f" {ctx.ruleset.name}: there is no byline naming them"
            )
        # Pointed at the byline, where the affiliation belongs: annotations and fix
        # requests show that line, not the notice that happens to name the newswire.
        at = (excerpt(bylines[0].raw), bylines[0].location) if bylines else (None, None)
        if elsewhere:
            places = ", ".join(blocks[h.block].location.in_words() for h in elsewhere[:3])
            message += f"; the name appears only elsewhere ({places})"
        return Outcome(False, f'{message}; write "{line}"', *at)

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
