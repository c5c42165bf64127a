"""The article's bylines, ranked, and the other people a page names.

Candidates come from where bylines live: byline and author markup, "By ..." lines, a name
over a bio or an outlet line, the JSON-LD author of the page's own article, meta author
fields and Markdown front matter. Each is placed on the page (its text block and the page
region it stands in, regions.py) and each name in it is judged a person or not (names.py).

Ranking: people in the site's chrome (menus, sidebars, related stories, comments, footers)
never give the article's byline. Among the rest, the best candidate is the one declared most
plainly (byline markup or a "By" line over loose text), named by the page's own metadata as
the article's author, visible, near the headline and inside the article. The article's
bylines are that candidate's names and its co-authors (the same line, an adjacent byline, or
another author the metadata names and the page shows); everyone else goes to `other_people`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from compliance.common.textmatch import normalize, word_count
from compliance.model import Byline, Location, TextBlock
from compliance.read.htmltree import (
    BLOCK_TAGS,
    HEADING_TAGS,
    SKIP_TAGS,
    element_text,
    is_hidden,
    location_of,
)
from compliance.read.metadata import main_article_authors
from compliance.read.names import (
    ACCOUNT_WORDS,
    BYLINE_LEAD,
    CJK_ROLE,
    DECLARED_ORGANISATION,
    LOOSE_TEXT,
    ROLE_WORDS,
    SINGLE_WORD,
    is_person_name,
    name_score,
    split_byline,
)
from compliance.read.regions import ARTICLE, CHROME, region_of

_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(by-?line|author|authors|writer|reporter|contributor|credit-name)(?:$|[\s_-])",
    re.IGNORECASE,
)

# A link to the writer's author page: "/author/dana-wells/", "/autor/lena", "?author=12".
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|in|es)?|auteurs?|autor[ei]|forfatter|writers?)/[^/?#]+/?(?:[?#]|$)"
    r"|[?&]author=\d+",
    re.IGNORECASE,
)
_BY_LINE = re.compile(
    r"^\s*(?:published|posted|updated)\b.*\bby\s+\S"  # "Published April 28, 2022 by Name"
    # "Text: Ana Gómez", "Autor: Tom Keller", "文：山田太郎", "글=이지현"
    r"|^\s*(?:text|texto|texte|testo|tekst|words|autor(?:in)?|author|auteur|作者|文|글)\s*[:：=]",
    re.IGNORECASE,
)
_CJK_SIGN_OFF_CHARS = 40  # "김민수 기자 minsu@example.com", "（记者 王小明）"

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

# How plainly each kind of candidate declares a byline.
_STRENGTH = {"element": 3, "by-line": 3, "front-matter": 3, "json-ld": 2, "meta": 2}
_LOOSE = 1  # a name-shaped line that only its neighbours make a byline
_NEAR_HEADLINE = 15  # blocks after the headline where a byline stands
_DECLARED = ("json-ld", "meta", "front-matter")


@dataclass(frozen=True)
class Candidate:
    """A place on the page that may credit the article's author."""

    raw: str
    origin: str  # element, text, meta, json-ld, front-matter
    location: Location
    strength: int  # _STRENGTH, or _LOOSE for text that only looks like a byline
    region: str = ""  # regions.py, for elements; text candidates take their block's
    declared_person: bool = True  # false where JSON-LD types the author an Organization


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
            or el.tag == "address"
            or (el.tag == "a" and bool(_AUTHOR_PAGE.search(el.get("href") or "")))
        )
        if not marked or any(is_hidden(a) for a in (el, *el.iterancestors())):
            continue
        if (el.get("itemprop") or "").lower() == "author":
            name_el = el.find(".//*[@itemprop='name']")
            if name_el is not None:
                el = name_el
        text = element_text(el)
        if len(text) > _MAX_BYLINE_CHARS:
            text = _leading_line(el)  # an element left open runs over the story
        if text and len(text) <= _MAX_BYLINE_CHARS:
            yield text, el


_SENTENCE_END = re.compile(r"(?<=[a-z]{2}[.!?])\s+(?=[A-Z\"“])")


def _leading_line(el: Any) -> str:
    """The text a byline element starts with, up to its first line break, block or
    sentence end: what a reader sees as the byline when the element was never closed."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in BLOCK_TAGS or tag == "br":
            break
        if tag and tag not in SKIP_TAGS:  # comments and processing instructions hold none
            parts.append(child.text_content())
        parts.append(child.tail or "")
    lines = [line for line in "".join(parts).split("\n") if line.strip()]
    if not lines:
        return ""
    return " ".join(_SENTENCE_END.split(lines[0].strip())[0].split())


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


_BIO_WORDS = frozenset(
    "reporter writer editor journalist correspondent columnist contributor covers reports".split()
)


_BIO_SENTENCE = re.compile(
    r"\b(?:is|was|serves as|works as)\s+(?:a|an|the)\b[^.]{0,60}\b(?:reporter|writer|"
    r"editor|correspondent|journalist|columnist|contributor|fellow)\b|\b(?:covers|reports on|"
    r"writes (?:about|for))\b|^about the author",
    re.IGNORECASE,
)


def reads_as_bio(text: str) -> bool:
    """Whether a line is an author's bio ("Lee Morgan is a reporter for ..."), not a byline."""
    return bool(_BIO_SENTENCE.search(text))


def _looks_like_bio(text: str) -> bool:
    return any(w.casefold().strip(".,") in _BIO_WORDS for w in text.split()[:14])


def _looks_like_outlet(text: str) -> bool:
    """A short line naming an organisation, as under a byline: "Daily Caller News Foundation"."""
    words = text.split()
    return (
        0 < len(words) <= 8
        and not is_person_name(text)
        and any(w.casefold().strip(".,") in ACCOUNT_WORDS for w in words)
        and all(w[:1].isupper() or w.casefold() in ("the", "of", "and", "for") for w in words)
    )


def _declares_a_byline(text: str) -> bool:
    """A line a reader takes for a byline by its wording: "By …", "Von …", "Words by …",
    "Text: …", or a Korean, Japanese or Chinese sign-off with its role word ("기자")."""
    lead = BYLINE_LEAD.match(text)
    if lead and not lead.group().strip().casefold().startswith("from"):
        return True  # "From the archive …" opens sentences more often than bylines
    if _BY_LINE.match(text):
        return True
    return len(text) <= _CJK_SIGN_OFF_CHARS and bool(CJK_ROLE.search(text))


def text_bylines(blocks: list[TextBlock], title: str | None) -> Iterator[Candidate]:
    """Bylines written as plain text: "By Name", "Name Role", or a name over a bio."""
    title_key = normalize(title) if title else None
    for i, block in enumerate(blocks):
        headline = _HEADLINE_BYLINE.match(block.text)
        in_headline = block.tag in ("h1", "h2") or normalize(block.text) == title_key
        # Opinion columns name their author in the headline: "DAVID BLACKMON: ...".
        if headline and in_headline and is_person_name(headline.group(1)):
            yield Candidate(headline.group(1), "text", block.location, _STRENGTH["by-line"])
            continue
        words = word_count(block.text)
        if words > 20:
            continue
        if words <= 16 and _declares_a_byline(block.text):
            yield Candidate(block.text, "text", block.location, _STRENGTH["by-line"])
            continue
        if _role_line_name(block.text):
            yield Candidate(block.text, "text", block.location, _LOOSE + 1)
            continue
        # A heading naming someone is the story's subject ("Lupita Nyong'o"), not its byline.
        if words <= 5 and block.tag not in HEADING_TAGS and is_person_name(block.text):
            after_title = (
                i > 0 and title_key is not None and normalize(blocks[i - 1].text) == title_key
            )
            following = blocks[i + 1].text if i + 1 < len(blocks) else ""
            if after_title or _looks_like_bio(following) or _looks_like_outlet(following):
                yield Candidate(block.text, "text", block.location, _LOOSE)


def markup_bylines(
    root: Any,
    objects: list[dict[str, Any]],
    front: dict[str, Any],
    page_url: str | None = None,
    story: frozenset[Any] = frozenset(),
) -> list[Candidate]:
    """Bylines the page declares: front matter, its article's JSON-LD authors, meta tags,
    byline elements (placed in their page region; `story` is the headline's path)."""
    found: list[Candidate] = []
    for key in ("author", "authors", "byline", "by", "reporter", "reporters"):
        for value in _as_names(front.get(key)):
            found.append(
                Candidate(value, "front-matter", Location(1, None), _STRENGTH["front-matter"])
            )
    script = next((s for s in root.iter("script") if s.get("type") == "application/ld+json"), None)
    ld_location = location_of(script) if script is not None else Location()
    for name, person in main_article_authors(objects, page_url):
        found.append(Candidate(name, "json-ld", ld_location, _STRENGTH["json-ld"], "", person))
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or "").lower()
        content = el.get("content") or ""
        if key in _PERSON_META and content and not content.startswith("http"):
            found.append(Candidate(content, "meta", location_of(el), _STRENGTH["meta"]))
    for text, el in _element_bylines(root):
        found.append(
            Candidate(text, "element", location_of(el), _STRENGTH["element"], region_of(el, story))
        )
    return found


class _Searchable:
    """The page's blocks with their normalised text and word counts, computed once: a long
    page has tens of thousands of blocks, and every candidate's names are looked up."""

    def __init__(self, blocks: list[TextBlock]) -> None:
        self.blocks = blocks
        self.keys = [normalize(b.text) for b in blocks]
        self.words = [word_count(b.text) for b in blocks]


def _find_block(
    name: str, page: _Searchable, near_line: int | None, max_words: int | None
) -> int | None:
    """The visible block that shows `name`, closest to `near_line` when known; the article's
    blocks before the chrome's."""
    key = normalize(name)
    blocks = page.blocks
    candidates = [
        i
        for i, text in enumerate(page.keys)
        if (max_words is None or page.words[i] <= max_words) and key in text
    ]
    if not candidates:
        return None
    if near_line is None:
        return min(candidates, key=lambda i: (blocks[i].region in CHROME, i))
    return min(candidates, key=lambda i: abs((blocks[i].location.line or 0) - near_line))


def _headline_block(page: _Searchable, title: str | None) -> int | None:
    title_key = normalize(title) if title else None
    for i, block in enumerate(page.blocks):
        if block.tag == "h1" or (title_key and page.keys[i] == title_key):
            return i
    return None


@dataclass
class _Named:
    """One name of one candidate, placed and judged."""

    byline: Byline
    strength: int
    order: int
    corroborated: bool = False
    role: str | None = None  # credited for other than the writing: never the author

    @property
    def chrome(self) -> bool:
        return self.byline.where in CHROME


_NEAR_LINES = 20  # how far (in source lines) from its element a name's block may stand


def _shown_at(name: str, page: _Searchable, candidate: Candidate) -> int | None:
    """The block that shows one name of a candidate."""
    blocks = page.blocks
    if candidate.origin in _DECLARED:
        block = _find_block(name, page, None, 24)
        if block is not None and blocks[block].region in CHROME:
            return None  # shown only in a sidebar or menu: not where the article credits it
        return block
    line = candidate.location.line
    # The name as split may not stand in the text as such ("Richard (R.J.) Eskow"): then the
    # block that shows the candidate's own text is where it is.
    block = _find_block(name, page, line, None)
    if block is None:
        block = _find_block(candidate.raw, page, line, None)
    if block is None or line is None or blocks[block].location.line is None:
        return block
    return block if abs(blocks[block].location.line - line) <= _NEAR_LINES else None


def _expand(found: Iterable[Candidate], page: _Searchable, site_name: str | None) -> list[_Named]:
    named: list[_Named] = []
    blocks = page.blocks
    for order, candidate in enumerate(found):
        for part in split_byline(candidate.raw, site_name):
            person, reason = part.is_person and candidate.declared_person, part.reason
            if not candidate.declared_person:
                reason = DECLARED_ORGANISATION
            elif person and candidate.strength <= _LOOSE and not part.confirmed:
                person = False
                reason = LOOSE_TEXT
            block = _shown_at(part.name, page, candidate)
            if candidate.origin in _DECLARED:
                region = "metadata" if block is None else blocks[block].region
            else:
                region = candidate.region or (blocks[block].region if block is not None else "page")
            byline = Byline(
                part.name,
                " ".join(candidate.raw.split()),
                candidate.origin,
                blocks[block].location if block is not None else candidate.location,
                person,
                block,
                where=region,
                reason=None if person else reason,
            )
            named.append(_Named(byline, candidate.strength, order, role=part.role))
    return _pen_names_declared_twice(named, site_name)


def _reads_as_outlet_word(word: str, site_name: str | None) -> bool:
    """A one-word credit that is an outlet's, not a pen name: a wire or desk word
    ("Reuters", "Editorial"), an acronym ("PTI"), or the site's own name ("LinkNaija")."""
    key = normalize(word).replace(" ", "")
    site = normalize(site_name or "").replace(" ", "")
    return (
        key in ACCOUNT_WORDS
        or (word.isupper() and len(word) > 1)
        or bool(site and (key in site or site in key))
    )


def _pen_names_declared_twice(named: list[_Named], site_name: str | None) -> list[_Named]:
    """A one-word name ("by Marlo") is a person's when the page declares it its author in two
    independent places, a byline element and its metadata, and it reads as no organisation:
    one such place could be an account, two agreeing are a pen name."""
    single = [
        n
        for n in named
        if n.byline.reason == SINGLE_WORD and not _reads_as_outlet_word(n.byline.name, site_name)
    ]
    if not single:
        return named
    marked = {normalize(n.byline.name) for n in single if n.byline.origin not in _DECLARED}
    declared = {normalize(n.byline.name) for n in single if n.byline.origin in _DECLARED}
    both = marked & declared
    for item in single:
        if normalize(item.byline.name) in both:
            item.byline = replace(item.byline, is_person=True, reason=None)
    return named


def _score(item: _Named, headline: int | None) -> tuple[float, int]:
    byline = item.byline
    score = float(item.strength)
    score += 3 if item.corroborated else 0
    score += 2 if byline.visible else 0
    score += 1 if byline.where == ARTICLE else 0
    if headline is not None and byline.block is not None:
        if headline <= byline.block <= headline + _NEAR_HEADLINE:
            score += 2
        elif headline - 3 <= byline.block < headline:
            score += 1
    return score, -item.order


def _same_person(a: str, b: str) -> bool:
    return name_score(a, b) >= 90


def rank_bylines(
    found: Iterable[Candidate],
    blocks: list[TextBlock],
    site_name: str | None,
    title: str | None,
) -> list[Byline]:
    """Every name the candidates give, judged and placed: the article's bylines first, best
    first, then the other people, then the names refused as not people (with the reason)."""
    page = _Searchable(blocks)
    named = _expand(found, page, site_name)
    declared = [n.byline.name for n in named if n.byline.origin in _DECLARED and n.byline.is_person]
    people = [n for n in named if n.byline.is_person]
    credited = [n for n in people if n.role]  # reviewers, photographers: others, by role
    people = [n for n in people if not n.role]
    for item in people:
        item.corroborated = item.byline.origin not in _DECLARED and any(
            _same_person(item.byline.name, d) for d in declared
        )
    headline = _headline_block(page, title)
    eligible = [n for n in people if not n.chrome]
    group: list[_Named] = []
    if eligible:
        top = max(eligible, key=lambda n: _score(n, headline))
        group = [n for n in eligible if _co_author(n, top, declared)]
    chosen = _unique([n.byline for n in sorted(group, key=_document_order)])
    article = [replace(b, where=ARTICLE) for b in chosen]
    others = _unique(
        [
            replace(n.byline, where=_elsewhere(n.byline))
            for n in people
            if not any(_same_person(n.byline.name, b.name) for b in article)
        ]
    )
    others += _unique([replace(n.byline, where=n.role or "elsewhere") for n in credited])
    refused = [n.byline for n in named if not n.byline.is_person]
    return [*article, *others, *refused]


def _document_order(item: _Named) -> tuple[int, int]:
    block = item.byline.block
    return (block if block is not None else 1 << 30, item.order)


def _co_author(item: _Named, top: _Named, declared: list[str]) -> bool:
    """Whether `item` credits the article alongside the best candidate `top`."""
    if item is top or item.order == top.order:
        return True  # the same byline: "By Jane Doe and John Roe"
    a, b = item.byline, top.byline
    if a.block is not None and b.block is not None:
        if a.block == b.block:
            return True
        if item.strength >= _STRENGTH["element"] and abs(a.block - b.block) <= 2:
            return True  # one byline line split over adjacent elements
    if item.corroborated and a.visible:
        return True  # another author the page's metadata names, shown outside the chrome
    # With nothing visible, the page's declared authors are its byline.
    return not b.visible and a.origin in _DECLARED and not a.visible and bool(declared)


def _unique(bylines: list[Byline]) -> list[Byline]:
    """One entry per person, the first kept but a visible one preferred; a name run into
    further words ("Ben Silverman Games") gives way to the plain name beside it."""
    kept: list[Byline] = []
    for byline in bylines:
        same = next((k for k in kept if _same_key(k.name, byline.name)), None)
        if same is None:
            kept.append(byline)
        elif not same.visible and byline.visible:
            kept[kept.index(same)] = byline
    return [b for b in kept if not any(_extends(b.name, k.name) for k in kept if k is not b)]


def _same_key(a: str, b: str) -> bool:
    return normalize(a).replace(".", "") == normalize(b).replace(".", "")


def _extends(longer: str, shorter: str) -> bool:
    long_words, short_words = normalize(longer).split(), normalize(shorter).split()
    return len(long_words) > len(short_words) >= 2 and long_words[: len(short_words)] == short_words


def _elsewhere(byline: Byline) -> str:
    return byline.where if byline.where in CHROME else "elsewhere"
