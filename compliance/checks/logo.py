"""logo: the newswire's logo image is on the page.

What it checks: an image whose alt text (or title) reads like one of `alt` (or is the
newswire's name those alt texts give, "DCNF"), whose address (any `srcset` or `picture`
source) matches one of the `src` patterns, or whose pixels look like one of the reference
logos (`images`, `hashes`: a perceptual hash within `max_distance`, read/pixels.py),
standing with the article: in its region, at its head or closing it (read/placement.py).
The same logo in the site's sidebar, partner box or footer is the site's and does not count.
In a plain-text copy, where images are gone, a line that is the logo's alt text stands for
the image. Hidden images (read/images.py says what hides them) do not count.

It says only what it knows: when no image is the logo by label or pixels but an unlabelled
image at the article's head could not be compared (not fetched, unreadable, or the
rule set has no reference logo), the logo is not judged, naming those images.

Why: newswires ask for their logo so readers see where the story comes from, and scrapers
strip it first.

Passes: `<img src="/uploads/dcnf-logo.png" alt="Daily Caller News Foundation logo">`

Fails: a page whose only images are the story's photos.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from compliance.checks.base import CheckContext, Outcome, not_judged
from compliance.common.textmatch import contains_phrase, glob_match, normalize
from compliance.model import Article, Image
from compliance.read.placement import image_with_story, where_shown

if TYPE_CHECKING:
    from compliance.read.pixels import Pixels
    from compliance.terms.check_options import LogoOptions as Options

_TEXT_LINE_SCORE = 95


def _describe(image: Image) -> str:
    alt = f' alt="{image.alt}"' if image.alt else ""
    return f'<img src="{image.src}"{alt}>'


_LOGO_WORD = re.compile(r"\s+(?:logo|logotype|emblem)$", re.IGNORECASE)
_FILE_NAME_ALT = re.compile(r"^[\w.-]*\d[\w.-]*$|^(?:image|img|photo|picture|logo|icon)?$", re.I)
_HEAD_BLOCKS = 3  # blocks from the story's start where a logo stands
_ICON_PIXELS = 32


def _labels(options: Options) -> list[str]:
    """The alt texts, and the names they give without the word "logo" ("DCNF logo": "DCNF")."""
    names = [_LOGO_WORD.sub("", alt) for alt in options.alt]
    return list(dict.fromkeys([*options.alt, *(n for n in names if n)]))


def _labelled(image: Image, options: Options) -> bool:
    for label in (image.alt, image.title):
        if not label:
            continue
        for alt in options.alt:
            if contains_phrase(label, alt, options.min_score) >= options.min_score:
                return True
        key = normalize(_LOGO_WORD.sub("", label))
        if any(fuzz.ratio(key, normalize(name)) >= options.min_score for name in _labels(options)):
            return True
    if options.src:
        for address in image.sources or (image.src,):
            name = address.split("?")[0]
            if glob_match(name, options.src) or glob_match(name.rsplit("/", 1)[-1], options.src):
                return True
    return False


def _unlabelled(image: Image) -> bool:
    """An image whose label says nothing of what it shows: it could be the logo."""
    return not image.alt or bool(_FILE_NAME_ALT.match(image.alt.strip()))


def _at_head(article: Article, image: Image) -> bool:
    """Whether an image stands at the article's head, where a newswire's logo is put: by
    the headline and the byline, before the story's first paragraphs."""
    if image.block is None:
        return False
    span = article.story_span
    return image.block <= (span[0] if span else 0) + _HEAD_BLOCKS


def _icon(image: Image) -> bool:
    """A declared size no logo has: share buttons and avatars."""
    return 0 < image.width <= _ICON_PIXELS and 0 < image.height <= _ICON_PIXELS


@dataclass(frozen=True)
class _Seen:
    image: Image
    distance: int | None = None  # to the nearest reference logo, when it was read
    unread: str | None = None  # why it could not be read
    tiny: bool = False  # 2 pixels or less once read


def _references(options: Options, ctx: CheckContext) -> tuple[list[Pixels | int], list[str]]:
    """The reference logos (read from their files, or hashes as the rule file gives them),
    and the problems reading them."""
    from compliance.read.pixels import reference_pixels

    hashes: list[Pixels | int] = [int(value, 16) for value in options.hashes]
    problems = []
    for name in options.images:
        path = Path(name) if Path(name).is_absolute() else ctx.ruleset.path.parent / name
        found = reference_pixels(path)
        if isinstance(found, str):
            problems.append(f"reference logo {name}: {found}")
        else:
            hashes.append(found)
    return hashes, problems


def _look(image: Image, hashes: list[Pixels | int], ctx: CheckContext) -> _Seen:
    from compliance.read.pixels import closeness

    assert ctx.images is not None
    reasons = []
    for address in (image.sources or (image.src,))[:3]:
        got = ctx.images.read(address, ctx.article.source, image.inline)
        if isinstance(got, str):
            reasons.append(got)
            continue
        tiny = min(got.width, got.height) <= 2
        return _Seen(image, closeness(got, hashes), tiny=tiny)
    return _Seen(image, unread=reasons[0] if reasons else "no address")


def _describe(image: Image) -> str:
    if image.kind == "background":
        return f'background-image: url("{image.src}")'
    alt = f' alt="{image.alt}"' if image.alt else ""
    return f'<img src="{image.src}"{alt}>'


def _hidden(ctx: CheckContext, image: Image, how: str = "") -> Outcome:
    where = image.location.in_words()
    return Outcome(
        False,
        f"the {ctx.ruleset.name} logo is on the page but hidden from readers by"
        f" {image.hidden_by}{f', {where}' if where else ''}{f' ({how})' if how else ''}",
        _describe(image),
        image.location,
    )


def run(options: Options, ctx: CheckContext) -> Outcome:
    """Pass on the first image (or, in text, the alt-text line) that is the logo."""
    article = ctx.article
    name = ctx.ruleset.name
    elsewhere = None
    for image in article.images:
        if _labelled(image, options):
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
    hashes, problems = _references(options, ctx) if options.images or options.hashes else ([], [])
    unknown: list[tuple[Image, str]] = []
    if article.kind != "text":
        budget = ctx.images.per_page if ctx.images is not None else 0
        # Images at the head first: where a logo stands, and what the budget is for.
        ordered = sorted(article.images, key=lambda image: not _at_head(article, image))
        for image in ordered:
            if not _unlabelled(image) or not image.src:
                continue
            if image.kind == "svg" and not image.inline:
                continue  # a drawing too large to be a logo
            if _icon(image):
                continue
            with_story = image_with_story(article, image)
            # Only an image at the head that could not be compared leaves the logo unknown;
            # not an inline SVG, which at an article's head is a share or menu icon.
            could_be = with_story and _at_head(article, image) and image.kind != "svg"
            if not hashes or ctx.images is None or budget <= 0:
                if could_be:
                    why = "the rule set has no reference logo" if not hashes else "not read"
                    unknown.append((image, why))
                continue
            budget -= 1
            seen = _look(image, hashes, ctx)
            if seen.unread is not None:
                if could_be:
                    unknown.append((image, seen.unread))
                continue
            if seen.distance is None or seen.distance > options.max_distance:
                continue
            how = f"image {image.src} matches the {name} logo (distance {seen.distance})"
            if seen.tiny:
                hidden = replace(image, hidden_by="its size (2 pixels or less)")
                return _hidden(ctx, hidden, how)
            if with_story:
                return Outcome(True, how, _describe(image), image.location)
            elsewhere = elsewhere or image
        for image in article.hidden_images:
            if _labelled(image, options):
                return _hidden(ctx, image)
            if hashes and ctx.images is not None and image.src and budget > 0:
                budget -= 1
                seen = _look(image, hashes, ctx)
                if seen.distance is not None and seen.distance <= options.max_distance:
                    how = f"image {image.src} matches it, distance {seen.distance}"
                    return _hidden(ctx, image, how)
    if elsewhere is not None:
        where = elsewhere.location.in_words()
        return Outcome(
            False,
            f"the {name} logo is shown only in {where_shown(elsewhere.region)}"
            f"{f' ({where})' if where else ''}, not with the article",
            _describe(elsewhere),
            elsewhere.location,
        )
    if unknown:
        listed = "; ".join(f"{image.src} ({why})" for image, why in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        hint = (
            " --fetch-images reads remote images"
            if any(why.startswith("not fetched") for _i, why in unknown)
            else " a reference logo in the rule file (logo check `images:`) lets it compare"
        )
        return not_judged(
            f"no image is labelled as the {name} logo, and {len(unknown)} unlabelled"
            f" image{'s' * (len(unknown) != 1)} at the article's head could not be"
            f" compared with it: {listed}{more};{hint}"
            + (f" ({'; '.join(problems)})" if problems else "")
        )
    wanted = [f"alt text '{options.alt[0]}'"] if options.alt else []
    wanted += [f"a file name like '{options.src[0]}'"] if options.src else []
    wanted += ["the look of its reference logo"] if hashes else []
    return Outcome(False, f"no {name} logo on the page (no image with {' or '.join(wanted)})")
