"""logo: the newswire's logo image is on the page.

What it checks: an image whose alt text (or title) reads like one of `alt`, or whose address
matches one of the `src` patterns, standing with the article: in its region, at its head or
closing it (read/placement.py). The same logo in the site's sidebar, partner box or footer
is the site's and does not count. In a plain-text copy, where images are gone, a line that
is the logo's alt text stands for the image. Images hidden with CSS do not count.

Why: newswires ask for their logo so readers see where the story comes from, and scrapers
strip it first.

Passes: `<img src="/uploads/dcnf-logo.png" alt="Daily Caller News Foundation logo">`

Fails: a page whose only images are the story's photos.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from compliance.checks.base import CheckContext, Outcome
from compliance.common.textmatch import contains_phrase, glob_match, normalize
from compliance.model import Image
from compliance.read.placement import image_with_story, where_shown

if TYPE_CHECKING:
    from compliance.terms.check_options import LogoOptions as Options

_TEXT_LINE_SCORE = 95


def _describe(image: Image) -> str:
    alt = f' alt="{image.alt}"' if image.alt else ""
    return f'<img src="{image.src}"{alt}>'


def _image_matches(image: Image, options: Options) -> bool:
    labels = [label for label in (image.alt, image.title) if label]
    if any(
        contains_phrase(label, alt, options.min_score) >= options.min_score
        for label in labels
        for alt in options.alt
    ):
        return True
    if options.src and image.src:
        name = image.src.split("?")[0]
        return (
            glob_match(name, options.src) is not None
            or glob_match(name.rsplit("/", 1)[-1], options.src) is not None
        )
    return False


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Pass on the first image (or, in text, the alt-text line) that is the logo."""
    article = ctx.article
    elsewhere = None
    for image in article.images:
        if _image_matches(image, options):
            if image_with_story(article, image):
                return Outcome(True, "logo image found", _describe(image), image.location)
            elsewhere = elsewhere or image
    if article.kind == "text":
        # A whole line must read as the alt text: the newswire's bare name on a line is an
        # affiliation, not the logo, so the bar is higher than for an image's alt attribute.
        line_score = max(options.min_score, _TEXT_LINE_SCORE)
        for i, block in enumerate(article.blocks):
            if any(
                fuzz.ratio(normalize(block.text), normalize(alt)) >= line_score
                for alt in options.alt
            ):
                return Outcome(
                    True,
                    "logo found (its alt-text line stands for the image)",
                    block.text,
                    block.location,
                    frozenset({i}),
                )
    hidden = next((i for i in article.hidden_images if _image_matches(i, options)), None)
    if hidden is not None:
        where = hidden.location.in_words()
        return Outcome(
            False,
            f"the {ctx.ruleset.name} logo is on the page but hidden from readers"
            f" (display: none, visibility: hidden or the hidden attribute"
            f"{', on it or a parent' if where else ''}){f', {where}' if where else ''}",
            _describe(hidden),
            hidden.location,
        )
    if elsewhere is not None:
        where = elsewhere.location.in_words()
        return Outcome(
            False,
            f"the {ctx.ruleset.name} logo is shown only in {where_shown(elsewhere.region)}"
            f"{f' ({where})' if where else ''}, not with the article",
            _describe(elsewhere),
            elsewhere.location,
        )
    wanted = [f"alt text '{options.alt[0]}'"] if options.alt else []
    wanted += [f"a file name like '{options.src[0]}'"] if options.src else []
    return Outcome(
        False, f"no {ctx.ruleset.name} logo on the page (no image with {' or '.join(wanted)})"
    )
