"""excerpt_limit: a copy that may only excerpt stays within the limit and links onward.

What it checks: the copy carries at most `max_paragraphs` paragraphs or `max_words` words
of the story (of the matched original, when there is one; else the article's own text),
and, with `require_link`, a link to the original or the newsroom's `domains` ("Read the
full story").

Why: some newsrooms allow only excerpts online: PublicSource the first three paragraphs,
The Texan the first 250 words, The Conversation's extracts.

Passes: three paragraphs and "Read the full story at PublicSource" linked.

Fails: the whole story, or an excerpt with no link to the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.checks.common import links_to, original_url
from compliance.common.textmatch import normalize, word_count

if TYPE_CHECKING:
    from compliance.terms.check_options import ExcerptLimitOptions as Options


def _carried(ctx: CheckContext) -> list[str]:
    """The copy's paragraphs that are the story's text."""
    alignment = ctx.match.alignment if ctx.match else None
    if alignment is not None:
        numbers = sorted({i for pair in alignment.pairs for i in pair.copy})
        return [alignment.copy[i] for i in numbers]
    title = normalize(ctx.article.title or "")
    return [p for p in ctx.article.paragraphs if word_count(p) >= 8 and normalize(p) != title]


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Count the story's paragraphs and words in the copy; then look for the onward link."""
    carried = _carried(ctx)
    words = sum(word_count(p) for p in carried)
    over = []
    if options.max_paragraphs is not None and len(carried) > options.max_paragraphs:
        over.append(f"{len(carried)} paragraphs (at most {options.max_paragraphs})")
    if options.max_words is not None and words > options.max_words:
        over.append(f"{words} words (at most {options.max_words})")
    if over:
        return Outcome(False, "the copy is more than an excerpt: " + " and ".join(over))
    if options.require_link:
        link = links_to(ctx.article, original_url(ctx), options.domains)
        if link is None:
            return Outcome(False, "the excerpt has no link to the full story")
        return Outcome(
            True,
            f"an excerpt of {len(carried)} paragraphs, linking to the full story",
            link.href,
            link.location,
        )
    return Outcome(True, f"an excerpt of {len(carried)} paragraphs")
