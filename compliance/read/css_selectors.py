"""The page's own CSS selectors, matched without translating them to XPath.

Boundary: this module answers "which elements does this selector list select?" for the
selectors a site's stylesheet is mostly made of (types, `*`, classes and ids, joined by the
four combinators), from one walk of the tree that files every element by tag, class and id.
A selector of a list it cannot read (attribute tests, pseudo-classes, an identifier it does
not read as plainly valid) it hands back for cssselect; a list it cannot split (strings,
escapes, comments) it refuses whole. Its answers are cssselect's: a class is a token of
`class` split on XML whitespace and compared case-sensitively, an id is compared whole, a
type name is read in lower case, siblings are elements (never comments), and the descendant
of `a b` is a proper descendant of an element the selection starts from or under.

Why: cssselect's XPath for a class tests every element of the page, and a page's hiding
rules made that most of the cost of reading a page (4 ms of a 28 ms check); matched from the
subject's own list and up its ancestors, a rule costs microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import lxml.etree

_XML_SPACE = re.compile("[ \t\r\n]+")
_CSS_SPACE = " \t\r\n\f"
_SIMPLE = re.compile(r"[\w\-.#*>+~ \t\r\n\f]+", re.ASCII)
_COMBINATOR = re.compile(r"([ \t\r\n\f]*[>+~][ \t\r\n\f]*|[ \t\r\n\f]+)")
_UNSPLITTABLE = re.compile(r"""["'\\]|/\*""")
_IDENT = r"-?[_a-zA-Z][\w-]*"
_COMPOUND = re.compile(rf"(\*|[a-zA-Z][a-zA-Z0-9-]*)?((?:[.#]{_IDENT})*)", re.ASCII)
_PART = re.compile(rf"([.#])({_IDENT})", re.ASCII)

# (type or None, classes, ids): one compound selector.
Compound = tuple[str | None, tuple[str, ...], tuple[str, ...]]
# The subject compound, then (combinator, compound) leftwards, combinators as _relatives reads.
Complex = tuple[Compound, tuple[tuple[str, Compound], ...]]


class ElementIndex:
    """A tree's elements filed by class and id (read at once, by libxml2's own walk) and by
    tag (on first asking), each in document order."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.by_class: dict[str, list[Any]] = {}
        self.by_id: dict[str, list[Any]] = {}
        self.classes: dict[Any, frozenset[str]] = {}
        self._by_tag: dict[str | None, list[Any]] = {}
        for el in root.xpath("descendant-or-self::*[@class]"):
            tokens = frozenset(_XML_SPACE.split(el.get("class").strip(" \t\r\n"))) - {""}
            if tokens:
                self.classes[el] = tokens
                for token in tokens:
                    self.by_class.setdefault(token, []).append(el)
        for el in root.xpath("descendant-or-self::*[@id]"):
            self.by_id.setdefault(el.get("id"), []).append(el)

    def tagged(self, tag: str | None) -> list[Any]:
        """The elements of a tag (None: every element)."""
        if tag not in self._by_tag:
            # Comments and processing instructions are no elements.
            self._by_tag[tag] = list(self.root.iter(tag or lxml.etree.Element))
        return self._by_tag[tag]

    def names(self) -> set[str]:
        """Every ".class" and "#id" the page's elements carry."""
        return {f".{c}" for c in self.by_class} | {f"#{i}" for i in self.by_id if i}

    def select(self, selectors: str) -> tuple[list[Any], list[str]] | None:
        """The elements a selector list's plain selectors select (in no set order), and the
        selectors of the list it does not read, for cssselect; None when the list cannot be
        split into its selectors here (strings, escapes, comments: ask cssselect)."""
        items = _items(selectors)
        if items is None:
            return None
        found: dict[Any, None] = {}
        unread = []
        for item in items:
            parsed = _parsed(item)
            if parsed is None:
                unread.append(item)
                continue
            subject, leftwards = parsed
            if not all(self._may_hold(c) for _, c in leftwards):
                continue  # a relative no element of the page can be
            for el in self._candidates(subject):
                if self._matches(el, subject) and self._related_match(el, leftwards, 0):
                    found[el] = None
        return list(found), unread

    def _candidates(self, compound: Compound) -> list[Any]:
        tag, classes, ids = compound
        if ids:
            return self.by_id.get(ids[0], [])
        if classes:
            return min((self.by_class.get(c, []) for c in classes), key=len)
        return self.tagged(tag)

    def _may_hold(self, compound: Compound) -> bool:
        tag, classes, ids = compound
        return (
            (tag is None or bool(self.tagged(tag)))
            and all(c in self.by_class for c in classes)
            and all(i in self.by_id for i in ids)
        )

    def _matches(self, el: Any, compound: Compound) -> bool:
        tag, classes, ids = compound
        if tag is not None and el.tag != tag:
            return False
        if ids and any(el.get("id") != i for i in ids):
            return False
        return not classes or self.classes.get(el, frozenset()).issuperset(classes)

    def _related_match(self, el: Any, leftwards: tuple[tuple[str, Compound], ...], at: int) -> bool:
        """Whether `el`'s relatives match the compounds left of the one it matched."""
        if at == len(leftwards):
            return True
        combinator, compound = leftwards[at]
        return any(
            self._matches(other, compound) and self._related_match(other, leftwards, at + 1)
            for other in _relatives(el, combinator)
        )


def _relatives(el: Any, combinator: str) -> Iterator[Any]:
    """The elements a combinator relates `el` to: its parent (">"), ancestors (" "), the
    element just before it ("+") or every element before it ("~")."""
    if combinator in "> ":
        node = el.getparent()
        while node is not None:
            yield node
            if combinator == ">":
                return
            node = node.getparent()
        return
    for node in el.itersiblings(preceding=True):
        if isinstance(node.tag, str):  # comments are no siblings to a selector
            yield node
            if combinator == "+":
                return


def _compound(text: str) -> Compound | None:
    whole = _COMPOUND.fullmatch(text)
    if whole is None or not text:
        return None
    tag = whole.group(1)
    parts = _PART.findall(whole.group(2))
    return (
        None if tag in (None, "*") else tag.lower(),
        tuple(name for mark, name in parts if mark == "."),
        tuple(name for mark, name in parts if mark == "#"),
    )


@lru_cache(maxsize=16_384)
def _items(selectors: str) -> tuple[str, ...] | None:
    """A selector list's selectors, split at the commas outside brackets; None when strings,
    escapes or comments make that a tokenizer's job."""
    if _UNSPLITTABLE.search(selectors):
        return None
    items, depth, start = [], 0, 0
    for at, char in enumerate(selectors):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(selectors[start:at])
            start = at + 1
    return (*items, selectors[start:])


@lru_cache(maxsize=16_384)
def _parsed(selector: str) -> Complex | None:
    """One selector read as compounds and combinators; None when it is not plain."""
    if not _SIMPLE.fullmatch(selector):
        return None
    pieces = _COMBINATOR.split(selector.strip(_CSS_SPACE))
    compounds = [_compound(piece) for piece in pieces[::2]]
    if any(c is None for c in compounds):
        return None  # an empty compound: cssselect's to refuse
    combinators = [mark.strip(_CSS_SPACE) or " " for mark in pieces[1::2]]
    leftwards = tuple(zip(reversed(combinators), reversed(compounds[:-1]), strict=True))
    return compounds[-1], leftwards  # type: ignore[return-value]
