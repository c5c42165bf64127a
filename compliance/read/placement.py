"""Whether a mark (a logo, a credit line, a notice) stands with the story or is the site's.

Boundary: this module places what was read; it knows no rule set. A mark stands with the
story when it is in the page's article region, or just before it (the story's head: a logo
over the headline) or just after it (the notice closing the story). Marks in menus,
sidebars, partner boxes, newsletter plugs or the site's footer (regions.CHROME) are the
site's, and so is unmarked page text far from the article when the page marks one. A page
that marks no article region is read whole, as before regions.
"""

from __future__ import annotations

from compliance.model import Article, Image
from compliance.read.regions import ARTICLE, CHROME

HEAD_BLOCKS = 3  # unmarked blocks before the article that are still its head
TAIL_BLOCKS = 2  # unmarked blocks after it that still close it (a notice, a credit)
HEAD_LINES = 6  # the same for images, in source lines
TAIL_LINES = 6


def block_with_story(article: Article, index: int) -> bool:
    """Whether block `index` stands with the story."""
    region = article.blocks[index].region
    if region in CHROME:
        return False
    span = article.story_span
    if region == ARTICLE or span is None:
        return True
    return span[0] - HEAD_BLOCKS <= index <= span[1] + TAIL_BLOCKS


def image_with_story(article: Article, image: Image) -> bool:
    """Whether an image stands with the story (at its head, in it, or closing it)."""
    if image.region in CHROME:
        return False
    span = article.story_span
    if image.region == ARTICLE or span is None:
        return True
    line = image.location.line
    first = article.blocks[span[0]].location.line
    last = article.blocks[span[1]].location.line
    if line is None or first is None or last is None:
        return True
    return first - HEAD_LINES <= line <= last + TAIL_LINES


def where_shown(region: str) -> str:
    """A region in words, for messages: "the sidebar", "the site's footer"."""
    words = {
        "navigation": "the site's menu",
        "sidebar": "the sidebar",
        "related": "a list of related stories",
        "comments": "the comments",
        "header": "the site's header",
        "footer": "the site's footer",
        "form": "a form",
        "promo": "a promotional or partner box",
    }
    return words.get(region, "the page outside the article")
