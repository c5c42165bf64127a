"""What a site repeats on its pages, found in an audit: never evidence that a page copies.

A paragraph that stands on SITE_RECURRENCE or more of one republisher's pages checked in a
run (a plugin's consent text, a disclaimer, the newsletter box, a teaser) is that site's
boilerplate, whatever it says. An archive that holds a sibling page's text (or a newswire
story that quotes the site's standing text) then matches such a page on that boilerplate
alone; so once the run's pages are checked, each page judged a copy on its text whose
paragraphs include the site's boilerplate is judged again with those paragraphs left out.

Boundary: this module counts paragraph keys per republisher and says which pages to judge
again, with which keys; the runner fetches nothing for it (the bodies are the ones just
checked, read back from the store by their hash: held until the run's end, every copy's body
made the audit grow with its pages) and stores the new verdicts in place of the first.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from compliance.model import Result, Status

SITE_RECURRENCE = 3  # pages of one site with their own text that share a paragraph
# A page most of whose paragraphs recur is another copy of the same text (an AMP or print
# version, a story republished twice), not a page with its own story: it shows no boilerplate.
OWN_TEXT = 0.5


@dataclass
class Suspect:
    """A page judged a copy on its text, kept until the run knows its site's boilerplate."""

    site: str
    keys: frozenset[int]
    job: Any  # the runner's job and what was fetched (its body left out), to judge it again
    loaded: Any
    body_hash: str  # the body's SHA-256, as the store keeps it


@dataclass
class SiteBoilerplate:
    """Each site's checked pages' paragraph keys over one run, and the copies to recheck."""

    pages: dict[str, list[frozenset[int]]] = field(default_factory=dict)
    suspects: list[Suspect] = field(default_factory=list)

    def add(self, site: str, result: Result, job: Any, loaded: Any) -> None:
        """Keep a checked page's paragraph keys; keep the page if it was matched on its text."""
        if not result.paragraph_keys:
            return
        self.pages.setdefault(site, []).append(result.paragraph_keys)
        matched = result.match is not None and result.match.method == "text"
        body = loaded.fetched.body
        if matched and body and result.status in (Status.PASS, Status.WARN, Status.FAIL):
            without = replace(loaded, fetched=replace(loaded.fetched, body=None))
            digest = hashlib.sha256(body).hexdigest()
            self.suspects.append(Suspect(site, result.paragraph_keys, job, without, digest))

    def boilerplate(self, site: str) -> frozenset[int]:
        """The paragraphs that SITE_RECURRENCE or more of the site's pages carry beside a text
        of their own."""
        pages = self.pages.get(site, [])
        counts = Counter(k for keys in pages for k in keys)
        recurring = {k for k, n in counts.items() if n >= SITE_RECURRENCE}
        if not recurring:
            return frozenset()
        own = Counter(
            k
            for keys in pages
            if len(keys & recurring) < OWN_TEXT * len(keys)
            for k in keys & recurring
        )
        return frozenset(k for k, n in own.items() if n >= SITE_RECURRENCE)

    def to_recheck(self) -> list[tuple[Suspect, frozenset[int]]]:
        """Copies whose paragraphs include their site's boilerplate, with those paragraphs."""
        found = []
        by_site: dict[str, frozenset[int]] = {}
        for suspect in self.suspects:
            if suspect.site not in by_site:
                by_site[suspect.site] = self.boilerplate(suspect.site)
            shared = suspect.keys & by_site[suspect.site]
            if shared:
                found.append((suspect, shared))
        return found
