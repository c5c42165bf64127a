"""Page -> Article: what a page says, read without any rule in mind.

The whole page's visible text is kept as blocks with their positions (attributions sit in
headers, footers and bio boxes that article extractors throw away), while the article's own
paragraphs, used for matching, come from a real article extractor (trafilatura).
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from compliance.errors import InputError
from compliance.model import Article, Byline, Image, Link, Location, Page, TextBlock
from compliance.names import ACCOUNT_WORDS, ROLE_WORDS, is_person_name, split_byline
from compliance.textmatch import normalize, word_count

BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main
    nav ol p pre section summary table tbody td tfoot th thead tr ul
    """.split()
)
SKIP_TAGS = frozenset(
    """
    script style noscript template head svg iframe object embed select option textarea
    """.split()
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(by-?line|author|authors|writer|reporter|contributor|credit-name)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BY_LINE = re.compile(
    r"^\s*(?:by|written by|story by|reporting by|von|par|por)\b"
    r"|^\s*(?:published|posted|updated)\b.*\bby\s+\S",  # "Published April 28, 2022 by Name"
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"originally (?:published|appeared)|first (?:published|appeared)|republish|"
    r"content created by|creative commons|all rights reserved|reprinted (?:with|from)|"
    r"is available without charge|licensing@|syndicat|©|\(c\) \d{4}",
    re.IGNORECASE,
)
_PERSON_META = (
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "citation_author",
)
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "report",
    "scholarlyarticle",
    "techarticle",
    "webpage",
    "backgroundnewsarticle",
}
_MAX_BYLINE_CHARS = 160

# trafilatura logs every page it finds no article in; for us that is an ordinary outcome.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)
_LIMIT_MESSAGES = (
    "Excessive depth",
    "Huge input lookup",
    "Buffer size limit",
    "xmlSAX2Characters: huge text node",
)


def extract(page: Page) -> Article:
    """Read a page into an Article. Raises InputError when the page cannot be read reliably."""
    if page.kind == "html":
        return _extract_html(page, page.text)
    if page.kind == "markdown":
        from compliance.markdown import render_markdown  # only Markdown pages need a renderer

        rendered = render_markdown(page.text, page.source)
        return _extract_html(page, rendered.html, front_matter=rendered.front_matter)
    return _extract_text(page)


# ---------------------------------------------------------------- HTML


_CLOSING_DOCUMENT = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


def _keep_trailing_content(markup: str) -> str:
    """Keep what follows `</html>`, as browsers do; libxml2 drops it without a word.

    CMS plugins inject bylines and credit lines there, and losing them would turn into a
    false "missing" finding.
    """
    closings = list(_CLOSING_DOCUMENT.finditer(markup))
    if closings and markup[closings[-1].end() :].strip():
        return _CLOSING_DOCUMENT.sub("", markup)
    return markup


def _parse_html(markup: str, source: str) -> lxml.html.HtmlElement:
    markup = _keep_trailing_content(markup)
    parser = lxml.html.HTMLParser(encoding="utf-8", collect_ids=False)
    try:
        root = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"{source}: no HTML content could be read ({exc})") from None
    for entry in parser.error_log:
        if any(limit in entry.message for limit in _LIMIT_MESSAGES):
            # lxml drops what lies past its limits without raising: an absence found in such
            # a tree could be a false accusation, so the page is not judged at all.
            raise InputError(
                f"{source}: line {entry.line}: the page is too deeply nested or holds too large"
                f" a text node for the HTML parser to read all of it ({entry.message.strip()})"
            )
    return root


def _is_hidden(el: lxml.html.HtmlElement) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _line_of(el: lxml.html.HtmlElement) -> int | None:
    """The source line of an element; for rendered Markdown, the line in the Markdown file."""
    node: Any = el
    while node is not None:
        mapped = node.get("data-source-line") if isinstance(node.tag, str) else None
        if mapped:
            return int(mapped)
        node = node.getparent()
    return el.sourceline


def _selector(el: lxml.html.HtmlElement) -> str:
    """A short CSS selector for an element: up to three ancestors, stopping at an id."""
    parts: list[str] = []
    node: Any = el
    while node is not None and isinstance(node.tag, str) and len(parts) < 4:
        part = node.tag
        node_id = node.get("id")
        if node_id and re.fullmatch(r"[A-Za-z][\w-]*", node_id):
            parts.append(f"{part}#{node_id}")
            break
        classes = [
            c for c in (node.get("class") or "").split() if re.fullmatch(r"-?[_A-Za-z][\w-]*", c)
        ]
        if classes:
            part += "." + ".".join(classes[:2])
        parent = node.getparent()
        if node is el and parent is not None:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                part += f":nth-of-type({same.index(node) + 1})"
        if node.tag in ("html", "body"):
            break
        parts.append(part)
        node = parent
    return " > ".join(reversed(parts)) or el.tag


def _location(el: lxml.html.HtmlElement) -> Location:
    return Location(_line_of(el), _selector(el))


class _BlockCollector:
    """Splits the visible text of a tree into blocks at block elements and `<br>`."""

    def __init__(self) -> None:
        self.blocks: list[TextBlock] = []

    def _flush(self, buf: list[str], owner: Any, anchor: Any) -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            line = _line_of(anchor) if anchor is not owner else _line_of(owner)
            self.blocks.append(TextBlock(text, Location(line, _selector(owner)), owner.tag))

    def collect(self, root: Any) -> list[TextBlock]:
        """The blocks of the document's body, in document order."""
        body = root.find("body")
        self._visit_block(body if body is not None else root)
        return self.blocks

    def _visit_block(self, el: Any) -> None:
        state = {"anchor": el}
        buf: list[str] = []
        if el.text:
            buf.append(el.text)
        self._visit_children(el, buf, el, state)
        self._flush(buf, el, state["anchor"])

    def _visit_children(self, el: Any, buf: list[str], owner: Any, state: dict[str, Any]) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is None or tag in SKIP_TAGS or _is_hidden(child):
                pass
            elif tag == "br":
                self._flush(buf, owner, state["anchor"])
                state["anchor"] = child
            elif tag in BLOCK_TAGS:
                self._flush(buf, owner, state["anchor"])
                self._visit_block(child)
                state["anchor"] = child
            else:
                if child.text:
                    buf.append(child.text)
                self._visit_children(child, buf, owner, state)
            if child.tail:
                buf.append(child.tail)


def _images(root: Any, base: str | None) -> list[Image]:
    images = []
    for el in root.iter("img", "svg", "amp-img"):
        if any(_is_hidden(a) for a in (el, *el.iterancestors())):
            continue
        if el.tag == "svg":
            title = el.find(".//title")
            label = el.get("aria-label") or (title.text_content() if title is not None else "")
            if label.strip():
                images.append(Image("(inline svg)", label.strip(), _location(el)))
            continue
        src = el.get("src") or ""
        if not src or src.startswith("data:"):  # lazy loading keeps the real address aside
            src = el.get("data-src") or el.get("data-lazy-src") or src
        if (not src or src.startswith("data:")) and el.get("srcset"):
            src = el.get("srcset").split(",")[0].strip().split(" ")[0]
        if base and src and not src.startswith("data:"):
            src = urljoin(base, src)
        images.append(
            Image(
                src, " ".join((el.get("alt") or "").split()), _location(el), el.get("title") or ""
            )
        )
    return images


def _links(root: Any, base: str | None) -> list[Link]:
    links = []
    for el in root.iter("a"):
        href = el.get("href")
        if href and not href.startswith(("javascript:", "#")):
            links.append(
                Link(
                    urljoin(base, href) if base else href,
                    " ".join(el.text_content().split()),
                    _location(el),
                )
            )
    return links


def _meta(root: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and key not in meta:
            meta[key] = " ".join(content.split())
    return meta


def _json_ld(root: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(el.text or "")
        except (ValueError, RecursionError):
            continue  # malformed JSON-LD is common on real pages and says nothing reliable
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    objects.extend(g for g in graph if isinstance(g, dict))
    return objects


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _json_ld_authors(objects: list[dict[str, Any]]) -> Iterator[tuple[str, bool]]:
    """(name, declared a person?) for each author of an article object."""
    for obj in objects:
        if not _types(obj) & _ARTICLE_TYPES:
            continue
        authors = obj.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, str):
                yield author, True
            elif isinstance(author, dict) and isinstance(author.get("name"), str):
                yield author["name"], "organization" not in _types(author)


def _site_name(meta: dict[str, str], objects: list[dict[str, Any]]) -> str | None:
    if meta.get("og:site_name"):
        return meta["og:site_name"]
    for obj in objects:
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return publisher["name"]
    return None


def _title(
    root: Any, meta: dict[str, str], objects: list[dict[str, Any]], declared: str | None
) -> str | None:
    """The headline: declared by front matter, JSON-LD or Open Graph, else the page's h1."""
    if declared:
        return declared
    for obj in objects:
        headline = obj.get("headline")
        if _types(obj) & _ARTICLE_TYPES and isinstance(headline, str) and headline.strip():
            return " ".join(headline.split())
    if meta.get("og:title"):
        return meta["og:title"]
    h1 = next(root.iter("h1"), None)
    if h1 is not None and h1.text_content().strip():
        return " ".join(h1.text_content().split())
    title = root.find(".//title")
    return " ".join(title.text_content().split()) if title is not None else None


def _canonical(root: Any, meta: dict[str, str], base: str | None) -> str | None:
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            return urljoin(base, el.get("href")) if base else el.get("href")
    return meta.get("og:url")


def _element_bylines(root: Any) -> Iterator[tuple[str, Any]]:
    """(text, element) for elements marked as a byline or author by markup."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS or el.tag in ("html", "body"):
            continue
        marked = (
            "author" in (el.get("rel") or "").lower()
            or (el.get("itemprop") or "").lower() == "author"
            or _BYLINE_CLASS.search(el.get("class") or "")
            or _BYLINE_CLASS.search(el.get("id") or "")
        )
        if not marked or _is_hidden(el):
            continue
        if (el.get("itemprop") or "").lower() == "author":
            name_el = el.find(".//*[@itemprop='name']")
            if name_el is not None:
                el = name_el
        text = " ".join(el.text_content().split())
        if text and len(text) <= _MAX_BYLINE_CHARS:
            yield text, el


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
    root = _parse_html(markup, page.source)
    base = page.url
    blocks = _BlockCollector().collect(root)
    meta = _meta(root)
    objects = _json_ld(root)
    site_name = _site_name(meta, objects)
    front = front_matter or {}

    title = _title(root, meta, objects, _str(front.get("title")))

    found: list[tuple[str, str, Location, bool]] = []  # raw, origin, location, declared person
    for key in ("author", "authors", "byline", "by", "reporter", "reporters"):
        for value in _as_names(front.get(key)):
            found.append((value, "front-matter", Location(1, None), True))
    script = next((s for s in root.iter("script") if s.get("type") == "application/ld+json"), None)
    ld_location = _location(script) if script is not None else Location()
    for name, person in _json_ld_authors(objects):
        found.append((name, "json-ld", ld_location, person))
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or "").lower()
        content = el.get("content") or ""
        if key in _PERSON_META and content and not content.startswith("http"):
            found.append((content, "meta", _location(el), True))
    for text, el in _element_bylines(root):
        found.append((text, "element", _location(el), True))
    found.extend(_text_bylines(blocks, title))

    return Article(
        source=page.source,
        kind=page.kind,
        title=title,
        byline_candidates=tuple(_resolve_bylines(found, blocks, site_name)),
        images=tuple(_images(root, base)),
        links=tuple(_links(root, base)),
        canonical=_canonical(root, meta, base) or _str(front.get("canonical")),
        metadata={"meta": meta, "json_ld": objects, "front_matter": front},
        blocks=tuple(blocks),
        read_paragraphs=partial(
            _article_paragraphs, markup if page.kind == "html" else None, tuple(blocks)
        ),
        site_name=site_name,
        notices=_notices(blocks),
    )


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int | float) and str(value).strip() else None


def _as_names(value: Any) -> list[str]:
    """Author names from a front-matter field: a string, a list, or {name: ...} mappings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _as_names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _as_names(item)]
    return []


def _article_paragraphs(markup: str | None, blocks: tuple[TextBlock, ...]) -> tuple[str, ...]:
    """The extractor's paragraphs for an HTML page; else the page's non-heading blocks."""
    extracted = _extracted_article(markup) if markup is not None else None
    text = getattr(extracted, "text", None)
    if text:
        return tuple(line.strip() for line in text.split("\n") if line.strip())
    return tuple(b.text for b in blocks if b.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"))


def _notices(blocks: list[TextBlock]) -> tuple[int, ...]:
    return tuple(i for i, b in enumerate(blocks) if _NOTICE.search(b.text))


# ---------------------------------------------------------------- bylines


def _role_line_name(text: str) -> str | None:
    """The name in "Philip Lenczycki Investigative Reporter"-style lines."""
    tokens = text.split()
    if not 3 <= len(tokens) <= 8 or tokens[-1].casefold().strip(".,") not in ROLE_WORDS:
        return None
    while tokens and tokens[-1].casefold().strip(".,|-") in ROLE_WORDS:
        tokens.pop()
    name = " ".join(tokens).strip(" ,|-")
    return name if is_person_name(name) else None


def _looks_like_bio(text: str) -> bool:
    head = [w.casefold().strip(".,") for w in text.split()[:14]]
    return any(
        w
        in {
            "reporter",
            "writer",
            "editor",
            "journalist",
            "correspondent",
            "columnist",
            "contributor",
            "covers",
            "reports",
        }
        for w in head
    )


_HEADLINE_BYLINE = re.compile(r"^([A-Z][A-Z.'’\- ]+[A-Z])\s*:\s+\S")


def _looks_like_outlet(text: str) -> bool:
    """A short line naming an organisation, as under a byline: "Daily Caller News Foundation"."""
    words = text.split()
    return (
        0 < len(words) <= 8
        and not is_person_name(text)
        and any(w.casefold().strip(".,") in ACCOUNT_WORDS for w in words)
        and all(w[:1].isupper() or w.casefold() in ("the", "of", "and", "for") for w in words)
    )


def _text_bylines(
    blocks: list[TextBlock], title: str | None
) -> Iterator[tuple[str, str, Location, bool]]:
    """Bylines written as plain text: "By Name", "Name Role", or a name over a bio."""
    title_key = normalize(title) if title else None
    for i, block in enumerate(blocks):
        headline = _HEADLINE_BYLINE.match(block.text)
        in_headline = block.tag in ("h1", "h2") or normalize(block.text) == title_key
        # Opinion columns name their author in the headline: "DAVID BLACKMON: ...".
        if headline and in_headline and is_person_name(headline.group(1)):
            yield headline.group(1), "text", block.location, True
            continue
        words = word_count(block.text)
        if words > 20:
            continue
        if _BY_LINE.match(block.text) and words <= 16:
            yield block.text, "text", block.location, True
            continue
        role_name = _role_line_name(block.text)
        if role_name:
            yield block.text, "text", block.location, True
            continue
        if words <= 5 and is_person_name(block.text):
            after_title = (
                i > 0 and title_key is not None and normalize(blocks[i - 1].text) == title_key
            )
            following = blocks[i + 1].text if i + 1 < len(blocks) else ""
            if after_title or _looks_like_bio(following) or _looks_like_outlet(following):
                yield block.text, "text", block.location, True


def _find_block(name: str, blocks: list[TextBlock], near_line: int | None) -> int | None:
    """The short visible block that shows `name`, closest to `near_line` when known."""
    key = normalize(name)
    candidates = [
        i for i, b in enumerate(blocks) if word_count(b.text) <= 24 and key in normalize(b.text)
    ]
    if not candidates:
        return None
    if near_line is None:
        return candidates[0]
    return min(candidates, key=lambda i: abs((blocks[i].location.line or 0) - near_line))


def _resolve_bylines(
    found: Iterable[tuple[str, str, Location, bool]],
    blocks: list[TextBlock],
    site_name: str | None,
) -> list[Byline]:
    """Split raw bylines into names, tie each to the block that shows it, drop repeats."""
    bylines: dict[str, Byline] = {}
    for raw, origin, location, declared_person in found:
        for part in split_byline(raw, site_name):
            key = normalize(part.name).replace(".", "")
            block = _find_block(part.name, blocks, location.line)
            loc = blocks[block].location if block is not None else location
            byline = Byline(
                part.name,
                " ".join(raw.split()),
                origin,
                loc,
                part.is_person and declared_person,
                block,
            )
            previous = bylines.get(key)
            if previous is None or (not previous.visible and byline.visible):
                bylines[key] = byline
    return list(bylines.values())


# ---------------------------------------------------------------- plain text


def _extract_text(page: Page) -> Article:
    blocks = [
        TextBlock(" ".join(line.split()), Location(number, None), "line")
        for number, line in enumerate(page.text.splitlines(), start=1)
        if line.strip()
    ]
    title = next((b.text for b in blocks if word_count(b.text) >= 3), None)
    found = list(_text_bylines(blocks, title))
    return Article(
        source=page.source,
        kind=page.kind,
        title=title,
        byline_candidates=tuple(_resolve_bylines(found, blocks, None)),
        images=(),
        links=(),
        canonical=None,
        metadata={},
        blocks=tuple(blocks),
        read_paragraphs=partial(tuple, [b.text for b in blocks]),
        notices=_notices(blocks),
    )
