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

from compliance.common.textmatch import contains_phrase
from compliance.model import Article, Image
from compliance.read.placement import image_with_story
from compliance.terms.ruleset import RuleSet
from compliance.terms.signals import PageSignals, signal_index

STRONG, WEAK, NEEDED = 2, 1, 2


@dataclass(frozen=True)
class Detection:
    ruleset: RuleSet
    score: int
    reason: str  # the strongest signal, for the report


def _signals(
    number: int,
    ruleset: RuleSet,
    article: Article,
    images: Sequence[tuple[Image, set[tuple[int, str]]]],
    page: PageSignals,
) -> Iterator[tuple[int, str]]:
    detect = ruleset.spec.detect
    for phrase in detect.text:
        if (number, phrase) in page.phrases:
            yield STRONG, f"the page carries '{phrase}'"
    for pattern in detect.lines:
        line = page.lines.get((number, pattern))
        if line:
            yield STRONG, f"a line reads '{line}'"
    label = page.credit_label(detect.names or [ruleset.spec.name])
    if label:
        yield STRONG, f"a credit line reads '{label}'"
    for image, owners in images:
        alt_hit = any(contains_phrase(image.alt, alt, 90) >= 90 for alt in detect.images.alt)
        src_hit = any(n == number for n, _ in owners)
        if alt_hit or src_hit:
            yield STRONG, f"the page shows the image {image.alt or image.src!r}"
            break
    hit = page.first_address("pixels", number)
    if hit:
        yield STRONG, f"the page carries the tracking pixel {hit}"
    if page.first_address("canonical", number):
        yield STRONG, f"the canonical link points at {article.canonical}"
    link = page.first_address("links", number)
    if link:  # ordinary reporting links to its sources too: a citation, never a copy
        yield WEAK, f"the page links to {link}"
    for phrase in detect.weak:
        if (number, phrase) in page.weak:
            yield WEAK, f"the page carries '{phrase}'"


def detect(rulesets: Sequence[RuleSet], article: Article) -> Detection | None:
    """The rule set with the most evidence on the page, if any has enough; ties go to the
    rule set loaded first."""
    index = signal_index(rulesets)
    page = index.read(article)
    # The story's images and the rule sets whose logo addresses each matches, read once.
    images = [
        (image, index.image_src(image.src) if image.src else set())
        for image in article.images
        if image_with_story(article, image)
    ]
    best: Detection | None = None
    for number, ruleset in enumerate(rulesets):
        signals = _signals(number, ruleset, article, images, page)
        found = sorted(signals, key=lambda s: -s[0])
        strong = sum(weight for weight, _ in found if weight >= STRONG)
        score = sum(weight for weight, _ in found)
        if strong >= NEEDED and (best is None or score > best.score):
            best = Detection(ruleset, score, found[0][1])
    return best
