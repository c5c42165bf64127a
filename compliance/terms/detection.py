"""Which newsroom's copy is this? The rule sets' detection signals, weighed, where they stand.

Used when no original names the rule set. Only the article's own marks count: a
credit-line phrase, a whole credit line, a plain credit label naming the newsroom ("Source:
ProPublica", "Via The Conversation"), the logo, the notice at the end of the story, each in
the article rather than the site's menus, sidebars, partner boxes or footer (regions.py),
and the exact joins that name the newsroom wherever they stand (its tracking pixel, a
canonical link to it). Each scores two, and a rule set needs two. A partner's own local
story with the newswire's logo in a "news partners" box, its notice in the site footer or
a "(RELATED: ...)" link to one of its stories is no copy: links to the newsroom's articles
and phrases that ordinary reporting has too (DCNF's "(RELATED:") are citations, and only
break ties between rule sets that the article's marks already name. A page that merely
mentions a newsroom ("told the Daily Caller News Foundation") is not taken for its copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from compliance.common.textmatch import contains_phrase, glob_match, names_credited, word_count
from compliance.model import Article
from compliance.read.placement import block_with_story, image_with_story
from compliance.terms.ruleset import RuleSet

if TYPE_CHECKING:
    from compliance.terms.schema import Detect

STRONG, WEAK, NEEDED = 2, 1, 2


@dataclass(frozen=True)
class Detection:
    ruleset: RuleSet
    score: int
    reason: str  # the strongest signal, for the report


def _signals(detect: Detect, article: Article, name: str) -> Iterator[tuple[int, str]]:
    blocks = [b for i, b in enumerate(article.blocks) if block_with_story(article, i)]
    for phrase in detect.text:
        if any(contains_phrase(b.text, phrase) for b in blocks):
            yield STRONG, f"the page carries '{phrase}'"
    short = [b.text for b in blocks if word_count(b.text) <= 16]
    for pattern in detect.lines:
        line = next((text for text in short if glob_match(text, [pattern])), None)
        if line:
            yield STRONG, f"a line reads '{line}'"
    names = detect.names or [name]
    label = next((text for text in short if names_credited(text, names)), None)
    if label:
        yield STRONG, f"a credit line reads '{label}'"
    for image in (i for i in article.images if image_with_story(article, i)):
        alt_hit = any(contains_phrase(image.alt, alt, 90) >= 90 for alt in detect.images.alt)
        if alt_hit or (image.src and glob_match(image.src, detect.images.src)):
            yield STRONG, f"the page shows the image {image.alt or image.src!r}"
            break
    trackers = article.metadata.get("trackers") or []
    hit = next((t["src"] for t in trackers if glob_match(t["src"], detect.pixels)), None)
    if hit:
        yield STRONG, f"the page carries the tracking pixel {hit}"
    if article.canonical and glob_match(article.canonical, detect.canonical):
        yield STRONG, f"the canonical link points at {article.canonical}"
    link = next((a.href for a in article.links if glob_match(a.href, detect.links)), None)
    if link:  # ordinary reporting links to its sources too: a citation, never a copy
        yield WEAK, f"the page links to {link}"
    for phrase in detect.weak:
        if any(phrase.lower() in b.text.lower() for b in blocks):
            yield WEAK, f"the page carries '{phrase}'"


def detect(rulesets: Sequence[RuleSet], article: Article) -> Detection | None:
    """The rule set with the most evidence on the page, if any has enough; ties go to the
    rule set loaded first."""
    best: Detection | None = None
    for ruleset in rulesets:
        signals = _signals(ruleset.spec.detect, article, ruleset.spec.name)
        found = sorted(signals, key=lambda s: -s[0])
        strong = sum(weight for weight, _ in found if weight >= STRONG)
        score = sum(weight for weight, _ in found)
        if strong >= NEEDED and (best is None or score > best.score):
            best = Detection(ruleset, score, found[0][1])
    return best
