"""Finding bylines: in markup (JSON-LD, meta tags, byline elements, front matter) and in
text ("By ...", "Name Role", a name over a bio or an outlet line), tied to visible blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from compliance.htmltree import SKIP_TAGS, is_hidden, location_of
from compliance.metadata import json_ld_authors
from compliance.model import Byline, Location, TextBlock
from compliance.names import ACCOUNT_WORDS, ROLE_WORDS, is_person_name, split_byline
from compliance.textmatch import normalize, word_count

Found = tuple[str, str, Location, bool]  # raw byline, origin, location, declared a person

_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(by-?line|author|authors|writer|reporter|contributor|credit-name)(?:$|[\s_-])",
    re.IGNORECASE,
)

_BY_LINE = re.compile(
    r"^\s*(?:by|written by|story by|reporting by|von|par|por)\b"
    r"|^\s*(?:published|posted|updated)\b.*\bby\s+\S",  # "Published April 28, 2022 by Name"
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

_MAX_BYLINE_CHARS = 160

_HEADLINE_BYLINE = re.compile(r"^([A-Z][A-Z.'’\- ]+[A-Z])\s*:\s+\S")


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
        if not marked or is_hidden(el):
            continue
        if (el.get("itemprop") or "").lower() == "author":
            name_el = el.find(".//*[@itemprop='name']")
            if name_el is not None:
                el = name_el
        text = " ".join(el.text_content().split())
        if text and len(text) <= _MAX_BYLINE_CHARS:
            yield text, el


def _as_names(value: Any) -> list[str]:
    """Author names from a front-matter field: a string, a list, or {name: ...} mappings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _as_names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _as_names(item)]
    return []


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


def _looks_like_outlet(text: str) -> bool:
    """A short line naming an organisation, as under a byline: "Daily Caller News Foundation"."""
    words = text.split()
    return (
        0 < len(words) <= 8
        and not is_person_name(text)
        and any(w.casefold().strip(".,") in ACCOUNT_WORDS for w in words)
        and all(w[:1].isupper() or w.casefold() in ("the", "of", "and", "for") for w in words)
    )


def text_bylines(blocks: list[TextBlock], title: str | None) -> Iterator[Found]:
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


def resolve_bylines(
    found: Iterable[Found],
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


def markup_bylines(root: Any, objects: list[dict[str, Any]], front: dict[str, Any]) -> list[Found]:
    """Bylines the page declares: front matter, JSON-LD authors, meta tags, byline elements."""
    found: list[Found] = []
    for key in ("author", "authors", "byline", "by", "reporter", "reporters"):
        for value in _as_names(front.get(key)):
            found.append((value, "front-matter", Location(1, None), True))
    script = next((s for s in root.iter("script") if s.get("type") == "application/ld+json"), None)
    ld_location = location_of(script) if script is not None else Location()
    for name, person in json_ld_authors(objects):
        found.append((name, "json-ld", ld_location, person))
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or "").lower()
        content = el.get("content") or ""
        if key in _PERSON_META and content and not content.startswith("http"):
            found.append((content, "meta", location_of(el), True))
    for text, el in _element_bylines(root):
        found.append((text, "element", location_of(el), True))
    return found
