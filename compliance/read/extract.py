"""Page -> Article: what a page says, read without any rule in mind.

The whole page's visible text is kept as blocks with their positions (attributions sit in
headers, footers and bio boxes that article extractors throw away), while the article's own
paragraphs, used for matching, come from a real article extractor (trafilatura).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Sequence
from functools import partial
from typing import Any
from urllib.parse import urljoin

from compliance.common.scanning import lines_matching
from compliance.common.textmatch import normalize, word_count
from compliance.model import Article, Byline, Link, Location, Page, TextBlock
from compliance.read.bylines import markup_bylines, rank_bylines, text_bylines
from compliance.read.htmltree import (
    HEADING_TAGS,
    BlockCollector,
    element_text,
    is_hidden,
    line_of,
    location_of,
    parse_html,
    selector,
)
from compliance.read.images import page_images
from compliance.read.metadata import (
    canonical_of,
    headline_element,
    json_ld,
    meta_tags,
    published_of,
    site_name_of,
    title_of,
)
from compliance.read.plaintext import paragraphs as text_paragraphs
from compliance.read.plaintext import read_lines, rejoin_wrapped
from compliance.read.regions import ARTICLE, CHROME, headline_path

# Scanned over the page's lines at once (common/scanning.py): none of it spans a line break.
_NOTICE = (
    r"originally (?:published|appeared)|first (?:published|appeared)|republish|"
    r"content created by|creative commons|all rights reserved|reprinted (?:with|from)|"
    r"is available without charge|licensing@|syndicat|©|\(c\) \d{4}"
)


# trafilatura logs every page it finds no article in; for us that is an ordinary outcome.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def extract(page: Page) -> Article:
    """Read a page into an Article. Raises InputError when the page cannot be read reliably."""
    if page.kind == "html":
        return _extract_html(page, page.text)
    if page.kind == "markdown":
        from compliance.read.markdown import render_markdown  # only Markdown pages need a renderer

        rendered = render_markdown(page.text, page.source)
        return _extract_html(page, rendered.html, front_matter=rendered.front_matter)
    return _extract_text(page)


_TRACKER = re.compile(r"pixel|republication|count\.gif|counter|tracker|beacon", re.IGNORECASE)
_LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-srcset")


# A republication plugin's own images (the licence badge of its "Republish" box) and the box
# itself (often a hidden dialog holding the code to paste) are the newsroom's page furniture.
_PLUGIN_ASSET = re.compile(
    r"/plugins/[^/?#]+/(?:assets|images?|img)/[^?#]+\.(?:png|svg|jpe?g|gif|webp)$"
)
_REPUBLISH_BOX = re.compile(
    r"\brepublish\b|republication-(?:modal|box|button|widget)|license-badge|licen[cs]e-button"
)


def _in_republish_box(el: Any) -> bool:
    for node in (el, *el.iterancestors()):
        if node.tag == "dialog":
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if _REPUBLISH_BOX.search(marks):
            return True
    return False


def _trackers(root: Any, base: str | None) -> list[dict[str, Any]]:
    """Tracking images and scripts as written, hidden or not: what republication pixels look
    like on the page (a lazy-loading plugin that blanks `src` stops them counting). A
    newsroom's own republish box and its plugin's images are not pixels."""
    found = []
    for el in root.iter("img", "script"):
        src = el.get("src") or ""
        lazy = next((el.get(a) for a in _LAZY_SRC if el.get(a)), None)
        marks = " ".join((src, lazy or "", el.get("id") or "", el.get("class") or ""))
        if not _TRACKER.search(marks) or not (src or lazy):
            continue
        if _PLUGIN_ASSET.search((src or lazy or "").split("?")[0]) or _in_republish_box(el):
            continue
        address = src if src and not src.startswith("data:") else (lazy or src)
        found.append(
            {
                "tag": el.tag,
                "src": urljoin(base, address) if base else address,
                "id": el.get("id") or "",
                "hidden": any(is_hidden(a) for a in (el, *el.iterancestors())),
                "lazy_blanked": bool(lazy) and (not src or src.startswith("data:")),
                "line": line_of(el),
                "selector": selector(el),
            }
        )
    return found


def _links(root: Any, base: str | None) -> list[Link]:
    links = []
    for el in root.iter("a"):
        href = el.get("href")
        if href and not href.startswith(("javascript:", "#")):
            links.append(
                Link(
                    urljoin(base, href) if base else href,
                    element_text(el),
                    location_of(el),
                )
            )
    return links


def _extracted_article(markup: str) -> Any:
    """trafilatura's reading of the article body, or None when it finds none.

    Its metadata step is left off: title and bylines are read here from the page itself, and
    that step (htmldate) is slow to start and crashes on some malformed markup.
    """
    import trafilatura  # heavy import, needed only for HTML pages

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return trafilatura.bare_extraction(
                markup, favor_recall=True, include_comments=False, include_tables=True
            )
        except Exception:
            return None  # the page's own blocks stand in for the article text


def _extract_html(page: Page, markup: str, front_matter: dict[str, Any] | None = None) -> Article:
    root = parse_html(markup, page.source)
    base = page.url
    meta = meta_tags(root)
    objects = json_ld(root)
    site_name = site_name_of(meta, objects)
    front = front_matter or {}

    title = title_of(root, meta, objects, _str(front.get("title")))
    canonical = canonical_of(root, meta, base) or _str(front.get("canonical"))
    story = headline_path(headline_element(root, title))
    collector = BlockCollector(story)
    blocks = collector.collect(root)

    def bylines() -> tuple[Byline, ...]:
        found = markup_bylines(root, objects, front, base or canonical, story)
        found.extend(text_bylines(blocks, title))
        return tuple(rank_bylines(found, blocks, site_name, title))

    trackers = _trackers(root, base)
    images, hidden_images = page_images(root, base, story, collector.image_blocks)

    return Article(
        source=page.source,
        kind=page.kind,
        title=title,
        read_bylines=bylines,
        images=tuple(images),
        hidden_images=tuple(hidden_images),
        links=tuple(_links(root, base)),
        canonical=canonical,
        metadata={
            "meta": meta,
            "json_ld": objects,
            "front_matter": front,
            "trackers": trackers,
            "published": published_of(meta, objects, front),
        },
        blocks=tuple(blocks),
        read_paragraphs=partial(
            _article_paragraphs, markup if page.kind == "html" else None, tuple(blocks), title
        ),
        site_name=site_name,
        notices=_notices(blocks),
        read_all_text=partial(_body_text, root),
    )


def _body_text(root: Any) -> str:
    """Every text of the page's body, hidden or not: scripts and styles hold no reader's
    words, and article extractors drop them."""
    return " ".join(root.xpath("//body//text()[not(parent::script or parent::style)]"))


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int | float) and str(value).strip() else None


# Past this many characters of markup the extractor is not run: it costs about 0.2 ms a
# paragraph (14 s for a 19 MiB page), and the page's own blocks read the same text.
EXTRACTOR_MAX_CHARS = 2_000_000


def _article_paragraphs(
    markup: str | None, blocks: tuple[TextBlock, ...], title: str | None
) -> tuple[str, ...]:
    """The article's paragraphs: the extractor's reading of an HTML page, unless that reading
    is not the article (extractor_misread), else the page's own reading (block_reading)."""
    if markup is None or len(markup) > EXTRACTOR_MAX_CHARS:
        return block_reading(blocks, title)
    extracted = _extracted_article(markup)
    text = getattr(extracted, "text", None)
    paragraphs = tuple(line.strip() for line in (text or "").split("\n") if line.strip())
    if not paragraphs or extractor_misread(paragraphs, blocks):
        return block_reading(blocks, title)
    return rejoin_wrapped(paragraphs)


def block_reading(blocks: Sequence[TextBlock], title: str | None = None) -> tuple[str, ...]:
    """The page's own reading of its text: its visible blocks outside the site's chrome
    (menus, sidebars, related stories, comments, footers), headings and the headline left
    out, lines a page set one per element joined into their paragraphs."""
    headline = normalize(title) if title else None
    kept = [
        b
        for b in blocks
        if b.tag not in HEADING_TAGS and b.region not in CHROME and normalize(b.text) != headline
    ]
    return rejoin_wrapped([b.text for b in kept], [b.gap for b in kept])


_TABLE_ROW = re.compile(r"^\|.*\|$")
# The extractor's reading is not the article when (on the 181 pages of the extraction
# benchmark, 21 fall back so, and the mean word recall of the annotated articles goes from
# 0.984 (the extractor alone, as measured before) to 0.990):
MISREAD_TABLE_SHARE = 0.3  # this share of its words sits in table rows ("| News | Story |")
MISREAD_ONE_PARAGRAPH = 0.7  # one paragraph holds this share of 150+ words (a cell's story)
MISREAD_SHORT = 0.5  # it holds under half the words of the page's marked article region


def extractor_misread(paragraphs: Sequence[str], blocks: Sequence[TextBlock]) -> bool:
    """Whether the extractor's paragraphs are not the page's article (see MISREAD_*)."""
    counts = [word_count(p) for p in paragraphs]
    total = sum(counts)
    if not total:
        return True
    in_rows = sum(c for p, c in zip(paragraphs, counts, strict=True) if _TABLE_ROW.match(p))
    if in_rows >= MISREAD_TABLE_SHARE * total:
        return True
    if total >= 150 and max(counts) >= MISREAD_ONE_PARAGRAPH * total and len(paragraphs) > 1:
        return True
    region = sum(
        word_count(b.text) for b in blocks if b.region == ARTICLE and b.tag not in HEADING_TAGS
    )
    return region >= 150 and total < MISREAD_SHORT * region


def _notices(blocks: list[TextBlock]) -> tuple[int, ...]:
    return tuple(lines_matching(_NOTICE, [b.text for b in blocks], ignore_case=True))


def _text_bylines(blocks: list[TextBlock], title: str | None) -> tuple[Byline, ...]:
    return tuple(rank_bylines([*text_bylines(blocks, title)], blocks, None, title))


def _extract_text(page: Page) -> Article:
    lines, groups = read_lines(page.text)
    blocks = [TextBlock(line.text, Location(line.number, None), "line") for line in lines]
    title = next((b.text for b in blocks if word_count(b.text) >= 3), None)
    return Article(
        source=page.source,
        kind=page.kind,
        title=title,
        read_bylines=partial(_text_bylines, blocks, title),
        images=(),
        links=(),
        canonical=None,
        metadata={},
        blocks=tuple(blocks),
        read_paragraphs=partial(text_paragraphs, groups),
        notices=_notices(blocks),
    )
