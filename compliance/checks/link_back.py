"""link_back: the copy links back to the original article or the newsroom.

What it checks: an `<a href>` on the page to the matched original's URL (`to: article`), to
one of the newsroom's `domains` (`to: domain`), or either (`to: either`, the default). With
`keep_links: true` it also compares the original's own links (an original's `links`, from
the archive) with the copy's: every one must still be there.

Why: most terms ask for a link back; ProPublica and The Texas Tribune ask republishers to
keep every link of the story.

Passes: `<a href="https://www.propublica.org/article/...">ProPublica</a>`

Fails: a copy whose only mention of the newsroom is unlinked text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome, not_judged
from compliance.checks.common import links_to, needs_original, original_url
from compliance.read.joins import normalize_url

if TYPE_CHECKING:
    from compliance.terms.check_options import LinkBackOptions as Options


def _kept_links(options: Options, ctx: CheckContext) -> Outcome | None:
    """None when every link of the original is kept (or there is nothing to compare)."""
    if not options.keep_links or ctx.match is None:
        return None
    wanted = ctx.match.original.extra.get("links") or []
    have = {normalize_url(link.href) for link in ctx.article.links}
    missing = [url for url in wanted if isinstance(url, str) and normalize_url(url) not in have]
    if not missing:
        return None
    return Outcome(
        False,
        f"{len(missing)} of the original's {len(wanted)} links are gone from the copy",
        missing[0],
    )


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Pass on the first link to the original (or the newsroom); then check kept links."""
    url = original_url(ctx) if options.to != "domain" else None
    if url is None and (options.to == "article" or not options.domains):
        if ctx.match is not None:  # matched, but the archive gives the original no address
            return not_judged(
                f"the matched original {ctx.match.original.id} has no address (`url`) in the"
                " archive to look for a link to"
            )
        return needs_original("a link to the original article", ctx)
    domains = options.domains if options.to != "article" else []
    link = links_to(ctx.article, url, domains)
    if link is None:
        target = {
            "article": "the original article",
            "domain": " or ".join(options.domains) or "the newsroom",
            "either": "the original article or " + (" or ".join(options.domains) or "the newsroom"),
        }[options.to]
        return Outcome(False, f"no link back to {target}")
    lost = _kept_links(options, ctx)
    if lost is not None:
        return lost
    return Outcome(True, f"links back to {link.href}", link.text or link.href, link.location)
