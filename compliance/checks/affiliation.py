"""affiliation: the reporter is tied to the newswire where the byline is.

What it checks: one of `text` in the byline itself ("By Name, DCNF"), within `distance`
lines or blocks of it ("From the Daily Caller News Foundation" over the byline, the
newswire's name under it), or in the reporter's bio. The newswire's name inside a licensing
notice or a logo's alt text is not an affiliation.

Why: a byline alone reads as the republisher's own staff; the affiliation says whose
reporter it is.

Passes: `By Nick Pope<br>Daily Caller News Foundation`

Fails: `By Nick Pope` with the newswire named only in the closing notice.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compliance.checks import byline as byline_check
from compliance.checks.base import CheckContext, CheckOptions, Outcome
from compliance.textmatch import contains_phrase, excerpt, find_phrases, normalize, word_count

# Run after the checks whose evidence (logo lines, notices) must not count as an affiliation.
PHASE = 1
_MAX_WORDS = 40  # longer blocks are running text or notices, not an affiliation line


class Options(CheckOptions):
    """The reporter is tied to the newswire where the byline is."""

    type: Literal["affiliation"]
    text: list[str] = Field(min_length=1, description="Names of the newswire that count.")
    near: Literal["byline", "anywhere"] = Field(
        default="byline", description="Where the name must be: with the byline, or anywhere."
    )
    distance: int = Field(
        default=2,
        ge=0,
        le=10,
        description="How many lines or blocks from the byline the name may stand.",
    )
    min_score: int = Field(default=90, ge=50, le=100, description="Fuzzy match threshold, 0-100.")


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Look for the newswire's name with the byline, then anywhere outside notices and logos."""
    article = ctx.article
    blocks = article.blocks
    credited, _missing = byline_check.credited(ctx)
    # A byline naming the wrong reporter is the byline check's failure; the affiliation is
    # still judged where that byline stands.
    bylines = credited or [b for b in article.bylines if b.visible]
    for b in bylines:
        if any(
            contains_phrase(b.raw, t, options.min_score) >= options.min_score for t in options.text
        ):
            return Outcome(
                True, f"affiliation is in the byline of {b.name}", excerpt(b.raw), b.location
            )
    claimed = ctx.claimed_blocks() - {b.block for b in bylines}
    eligible = [
        i for i, blk in enumerate(blocks) if i not in claimed and word_count(blk.text) <= _MAX_WORDS
    ]

    if options.near == "byline" and bylines:
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
        if not elsewhere:
            return Outcome(False, message)
        places = ", ".join(blocks[h.block].location.describe() for h in elsewhere[:3])
        first = blocks[elsewhere[0].block]
        return Outcome(
            False,
            f"{message}; the name appears only elsewhere ({places})",
            excerpt(first.text),
            first.location,
        )

    hits = find_phrases(blocks, options.text, options.min_score, eligible)
    if hits:
        hit = blocks[hits[0].block]
        message = "affiliation line found"
        if options.near == "byline":
            message += ", though there is no reporter byline to tie it to"
        return Outcome(True, message, excerpt(hit.text), hit.location, frozenset({hits[0].block}))
    return Outcome(False, f"no '{options.text[0]}' affiliation for the reporter")
