"""The HTML tree: parsing that refuses to judge truncated pages, and where elements are.

Every element can be located by its source line (the Markdown line, for rendered Markdown)
and a short CSS selector, and a page's visible text is split into blocks for searching.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import lxml.etree
import lxml.html

from compliance.common.textmatch import split_paragraphs
from compliance.errors import InputError
from compliance.model import HEADING_TAGS, Location, TextBlock
from compliance.read.regions import PAGE, child_region

BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main
    nav ol p pre section summary table tbody td tfoot th thead tr ul
    """.split()
)


IMAGE_TAGS = frozenset(("img", "svg", "amp-img"))

SKIP_TAGS = frozenset(
    """
    script style noscript template head svg iframe object embed select option textarea
    """.split()
)

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_LIMIT_MESSAGES = (
    "Excessive depth",
    "Huge input lookup",
    "Buffer size limit",
    "xmlSAX2Characters: huge text node",
)

_CLOSING_DOCUMENT = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_CLOSED_AT_END = re.compile(r"</(?:body|html)\s*>\Z", re.IGNORECASE)


def keep_trailing_content(markup: str) -> str:
    """Keep what follows `</html>`, as browsers do; libxml2 drops it without a word.

    CMS plugins inject bylines and credit lines there, and losing them would turn into a
    false "missing" finding.
    """
    if _CLOSED_AT_END.search(markup[-4096:].rstrip()[-256:]):
        return markup  # the page ends at its closing tag, as nearly every page does
    closings = list(_CLOSING_DOCUMENT.finditer(markup))
    if closings and markup[closings[-1].end() :].strip():
        return _CLOSING_DOCUMENT.sub("", markup)
    return markup


MAX_ATTRIBUTES = 5000
# Tags long enough to hold that many attributes; ordinary tags are far shorter (a long one
# is usually a data: URI, which is one attribute).
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{MAX_ATTRIBUTES * 3},}}")
_ATTRIBUTE = re.compile(r"""\s[^\s=<>"'/]+\s*=""")


def prescreen(markup: str, source: str) -> None:
    """Refuse markup that would hang the parser: an element with tens of thousands of
    distinct attributes costs every C HTML parser time quadratic in their number (minutes
    for 200,000), and no C call can be interrupted from inside."""
    if markup.count("=") <= MAX_ATTRIBUTES:
        return  # the whole page has too few attributes for one element to have that many
    for tag in _LONG_TAG.finditer(markup):
        count = len(_ATTRIBUTE.findall(tag.group()))
        if count > MAX_ATTRIBUTES:
            raise InputError(
                f"{source}: an element has {count:,} attributes (at most {MAX_ATTRIBUTES:,}),"
                " too complex to parse safely",
                "too-complex",
            )


# Every element one class, chosen in C: lxml.html's own lookup picks a class per tag (forms,
# inputs) in Python each time an element is touched, a tenth of walking a tree, for form
# methods nothing here calls.
_ONE_CLASS = lxml.etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def parse_html(markup: str, source: str) -> lxml.html.HtmlElement:
    """The page's tree, or an InputError when the parser could not read all of it."""
    prescreen(markup, source)
    markup = keep_trailing_content(markup)
    parser = lxml.etree.HTMLParser(encoding="utf-8", collect_ids=False)
    parser.set_element_class_lookup(_ONE_CLASS)
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
                f" a text node for the HTML parser to read all of it ({entry.message.strip()})",
                "parse-truncated",
            )
    return root


def is_hidden(el: lxml.html.HtmlElement) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


# The mark rendered Markdown's root carries (markdown.py): only its elements map to other
# lines than their own, and walking every element's ancestors to learn so was most of what
# locating an element cost.
SOURCE_MAPPED = "data-source-lines"


def line_of(el: lxml.html.HtmlElement) -> int | None:
    """The source line of an element; for rendered Markdown, the line in the Markdown file."""
    if el.getroottree().getroot().get(SOURCE_MAPPED) is None:
        return el.sourceline
    node: Any = el
    while node is not None:
        mapped = node.get("data-source-line") if isinstance(node.tag, str) else None
        if mapped:
            return int(mapped)
        node = node.getparent()
    return el.sourceline


_SELECTOR_ID = re.compile(r"[A-Za-z][\w-]*")
_SELECTOR_CLASS = re.compile(r"-?[_A-Za-z][\w-]*")


@lru_cache(maxsize=16_384)
def _class_part(classes: str) -> str:
    """ ".a.b" for an element's first two classes a selector can name ("" for none)."""
    usable = [c for c in classes.split() if _SELECTOR_CLASS.fullmatch(c)]
    return "." + ".".join(usable[:2]) if usable else ""


def selector(el: lxml.html.HtmlElement, nth: str | None = None) -> str:
    """A short CSS selector for an element: up to three ancestors, stopping at an id.

    `nth`: the element's `:nth-of-type(k)` suffix ("" for an only child of its tag) when the
    caller already knows it; counting siblings for every block of a long page is quadratic.
    """
    parts: list[str] = []
    node: Any = el
    while node is not None and isinstance(node.tag, str) and len(parts) < 4:
        part = node.tag
        node_id = node.get("id")
        if node_id and _SELECTOR_ID.fullmatch(node_id):
            parts.append(f"{part}#{node_id}")
            break
        part += _class_part(node.get("class") or "")
        parent = node.getparent()
        if node is el and nth is not None:
            part += nth
        elif node is el and parent is not None:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                part += f":nth-of-type({same.index(node) + 1})"
        if node.tag in ("html", "body"):
            break
        parts.append(part)
        node = parent
    return " > ".join(reversed(parts)) or el.tag


def location_of(el: lxml.html.HtmlElement) -> Location:
    return Location(line_of(el), selector(el))


class BlockCollector:
    """Splits the visible text of a tree into blocks at block elements and `<br>`, each with
    the page region (regions.py) it stands in."""

    def __init__(self, headline_path: frozenset[Any] = frozenset()) -> None:
        self.blocks: list[TextBlock] = []
        self.headline_path = headline_path
        # Where each image stands among the blocks: the index of the block it is in or
        # before (lines say nothing on a page written on one line).
        self.image_blocks: dict[Any, int] = {}
        # A blank line on screen (`<br><br>`, an empty `<div>&nbsp;</div>`) was met since the
        # last block: pages that put each line in its own element separate paragraphs so.
        self._gap = False

    def _flush(self, buf: list[str], owner: Any, anchor: Any, region: str, nth: str) -> None:
        if not buf:
            return
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            line = line_of(anchor) if anchor is not owner else line_of(owner)
            where = Location(line, selector(owner, nth))
            self.blocks.append(TextBlock(text, where, owner.tag, region, self._gap))
            self._gap = False

    def collect(self, root: Any) -> list[TextBlock]:
        """The blocks of the document's body, in document order (in time linear in the page:
        each element is visited once, and its position among siblings counted as it is)."""
        body = root.find("body")
        start = body if body is not None else root
        self._visit_block(start, child_region(PAGE, start, self.headline_path), "")
        return self.blocks

    def _visit_block(self, el: Any, region: str, nth: str) -> None:
        state = {"anchor": el}
        buf: list[str] = []
        if el.text:
            buf.append(el.text)
        self._visit_children(el, buf, (el, nth), state, region)
        self._flush(buf, el, state["anchor"], region, nth)

    def _visit_children(
        self,
        el: Any,
        buf: list[str],
        owner: tuple[Any, str],
        state: dict[str, Any],
        region: str,
    ) -> None:
        children = list(el)
        if not children:
            return  # a leaf: nothing below its text
        totals: dict[Any, int] = {}
        for child in children:
            totals[child.tag] = totals.get(child.tag, 0) + 1
        seen: dict[Any, int] = {}
        for child in children:
            tag = child.tag if isinstance(child.tag, str) else None
            seen[child.tag] = seen.get(child.tag, 0) + 1
            if tag in IMAGE_TAGS:
                self.image_blocks[child] = len(self.blocks)
            if tag is None or tag in SKIP_TAGS or is_hidden(child):
                pass
            elif tag == "br":
                if state["anchor"].tag == "br" and not "".join(buf).strip():
                    self._gap = True
                self._flush(buf, owner[0], state["anchor"], region, owner[1])
                state["anchor"] = child
            elif tag == "tr" and _simple_row(child):
                # A data table's row reads as one line ("DL Larry Ogunjobi 63 85% 1 tackle"),
                # as it does on screen; a layout table's cells hold blocks and stay apart.
                self._flush(buf, owner[0], state["anchor"], region, owner[1])
                row = [
                    " ".join(cell.text_content().split())
                    for cell in child
                    if isinstance(cell.tag, str)  # comments and processing instructions
                ]
                nth = f":nth-of-type({seen[tag]})" if totals[tag] > 1 else ""
                row_region = child_region(region, child, self.headline_path)
                self._flush([" ".join(row)], child, child, row_region, nth)
                state["anchor"] = child
            elif tag in BLOCK_TAGS:
                self._flush(buf, owner[0], state["anchor"], region, owner[1])
                nth = f":nth-of-type({seen[tag]})" if totals[tag] > 1 else ""
                before = len(self.blocks)
                self._visit_block(child, child_region(region, child, self.headline_path), nth)
                if len(self.blocks) == before and tag != "hr":
                    self._gap = True
                state["anchor"] = child
            else:
                if child.text:
                    buf.append(child.text)
                # Inline elements share their block's text and so its region.
                self._visit_children(child, buf, owner, state, region)
            if child.tail:
                buf.append(child.tail)


def element_text(el: lxml.html.HtmlElement) -> str:
    """The words of `el` as a reader sees them: blocks and line breaks inside it part words
    ("About the author" then "Eleanor", never "authorEleanor"), and scripts and styles hold
    none. `text_content()` joins every text node as it is."""
    if not len(el):
        return " ".join((el.text or "").split())  # most links and labels hold text alone
    parts: list[str] = []

    def visit(node: Any) -> None:
        parts.append(node.text or "")
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is not None and tag not in SKIP_TAGS:
                apart = tag in BLOCK_TAGS or tag == "br"
                parts.append(" " if apart else "")
                visit(child)
                parts.append(" " if apart else "")
            parts.append(child.tail or "")

    visit(el)
    return " ".join("".join(parts).split())


def _simple_row(row: Any) -> bool:
    """A table row of plain cells: no block, line break or hidden cell inside."""
    for el in row.iterdescendants():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("td", "th"):
            if is_hidden(el):
                return False
        elif tag in BLOCK_TAGS or tag == "br" or tag in SKIP_TAGS:
            return False
    return True


def fragment_paragraphs(markup: str, source: str) -> tuple[str, ...]:
    """The text paragraphs of an HTML fragment (a feed entry's or a CMS post's content).

    Headings are left out: they are the article's furniture, not its text.
    """
    if not markup.strip():
        return ()
    if "<" not in markup:  # plain text with blank lines between paragraphs
        return split_paragraphs(markup)
    blocks = BlockCollector().collect(parse_html(markup, source))
    return tuple(b.text for b in blocks if b.tag not in HEADING_TAGS)
