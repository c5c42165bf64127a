"""Whether a mark (a logo, a credit line, a notice) stands with the story or is the site's.

Boundary: this module places what was read; it knows no rule set. A mark stands with the
story when it lies within the story's span (`Article.story_span`: from just before the
headline to just after the last paragraph, up to the first heading there) and outside the
site's chrome (regions.CHROME: menus, sidebars, partner boxes, newsletter plugs, the site's
footer). The newswire's logo in a "news partners" box after the story, or its notice in the
footer, is the site's. A page with no story text is read whole.
"""

from __future__ import annotations

from compliance.model import Article, Image
from compliance.read.regions import CHROME

TAIL_LINES = 4  # source lines after the story's last block where a closing logo may stand


def block_with_story(article: Article, index: int) -> bool:
    """Whether block `index` stands with the story."""
    if article.blocks[index].region in CHROME:
        return False
    span = article.story_span
    return span is None or span[0] <= index <= span[1]


def image_with_story(article: Article, image: Image) -> bool:
    """Whether an image stands with the story (at its head, in it, or closing it)."""
    if image.region in CHROME:
        return False
    span = article.story_span
    if span is None:
        return True
    if image.block is not None:
        # In or before the block at `image.block`: up to the block that follows the story's
        # end (its footer, or the heading of a partners box), but not past it.
        return span[0] <= image.block <= span[1] + 1
    line = image.location.line
    if line is None:
        return True
    blocks = article.blocks
    first, last = blocks[span[0]].location.line, blocks[span[1]].location.line
    if first is None or last is None:
        return True
    # Up to the block that follows the story's end (a heading opening the site's boxes).
    after = blocks[span[1] + 1].location.line if span[1] + 1 < len(blocks) else None
    end = last + TAIL_LINES if after is None else min(last + TAIL_LINES, max(after - 1, last))
    return first <= line <= end


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
        "promo": "a promotional, partner or republish box",
    }
    return words.get(region, "the page, away from the story")
