"""canonical: the page names the original as canonical, for search engines.

What it checks: `<link rel="canonical">` (or, with `syndication_source: true`, a
`syndication-source` / `original-source` meta tag) pointing at the matched original's URL,
or at one of the newsroom's `domains` when no original was matched or `require: domain`.

Why: newsrooms' republish buttons (ProPublica, the Republication Tracker Tool's plain-text
mode) add a canonical link so the original, not the copy, ranks in search.

Passes: `<link rel="canonical" href="https://www.propublica.org/article/...">`

Fails: a canonical link pointing at the republisher's own URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compliance.checks.base import CheckContext, Outcome
from compliance.checks.common import domain_matches, original_url
from compliance.read.joins import normalize_url

if TYPE_CHECKING:
    from compliance.terms.check_options import CanonicalOptions as Options


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Pass when any candidate points where it should."""
    meta = ctx.article.metadata.get("meta") or {}
    candidates = [("canonical link", ctx.article.canonical)]
    if options.syndication_source:
        candidates += [(key, meta.get(key)) for key in ("syndication-source", "original-source")]
    present = [(name, url) for name, url in candidates if url]
    url = original_url(ctx) if options.require == "original" else None
    for name, found in present:
        if url and normalize_url(found) == normalize_url(url):
            return Outcome(True, f"the {name} points at the original", found)
        if not url and domain_matches(found, options.domains):
            return Outcome(True, f"the {name} points at the newsroom", found)
    wanted = url or " or ".join(options.domains) or "the original"
    if present:
        name, found = present[0]
        return Outcome(False, f"the {name} points at {found}, not at {wanted}", found)
    return Outcome(False, f"no canonical link to {wanted}")
