"""What the page's CSS hides: hiding declarations, and the page's own `<style>` rules.

Boundary: this module reads CSS text (an inline `style` attribute, a `<style>` block) and says
which declarations hide what they style and which elements a stylesheet's rules hide; what
an image's ancestors and attributes hide is images.py's. Only rules that can hide and can
select something on this page are read at all; plain rules (no comment, escape, string,
`url()` or nested block) are read here, the rest by tinycss2, and selectors are matched by
css_selectors.py where it can and by cssselect where it cannot. Both readings agree
(tests/test_style_rules.py holds them to it).
"""

from __future__ import annotations

import hashlib
import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from functools import lru_cache
from typing import Any

import lxml.etree

from compliance.common.scanning import starts
from compliance.read.css_selectors import ElementIndex

TINY = 2.0  # pixels: a 1x1 or 2x2 image is a tracker or a hidden logo, never a shown logo
_OFF_SCREEN = -999.0  # px: "left: -9999px", the classic way to hide from sight only
_PIXELS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(px)?\s*$", re.IGNORECASE)
_IMPORTANT = re.compile(r"\s*!\s*important\s*$", re.IGNORECASE)


def declarations(style: str) -> dict[str, str]:
    """A declaration block's properties, lower-cased, `!important` dropped, the last of a
    name kept (as the cascade keeps it)."""
    found: dict[str, str] = {}
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if value:
            found[name.strip().lower()] = _IMPORTANT.sub("", value.strip().lower()).strip()
    return found


def pixels(value: str | None) -> float | None:
    """A length in pixels ("3", "3px"); None for anything else."""
    match = _PIXELS.match(value or "")
    return float(match.group(1)) if match else None


def hiding(declared: dict[str, str]) -> str | None:
    """Which of these CSS declarations hides what they style, in CSS words; None if none."""
    if not declared:
        return None
    if declared.get("display") == "none":
        return "display: none"
    if declared.get("visibility") in ("hidden", "collapse"):
        return f"visibility: {declared['visibility']}"
    if pixels(declared.get("opacity")) == 0:
        return "opacity: 0"
    for side in ("width", "height", "max-width", "max-height"):
        size = pixels(declared.get(side))
        if size is not None and size <= TINY:
            return f"{side}: {declared[side]}"
    if declared.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right"):
            at = pixels(declared.get(side))
            if at is not None and at <= _OFF_SCREEN:
                return f"position: {declared['position']}; {side}: {declared[side]}"
    indent = pixels(declared.get("text-indent"))
    if indent is not None and indent <= _OFF_SCREEN:
        return f"text-indent: {declared['text-indent']}"
    return None


# What can make a declaration block hide (a superset of `hiding`'s tests): only rules whose
# block holds one of these are parsed, since tinycss2's tokenizer, run over a site's whole
# stylesheet, was two thirds of reading a page. Searched over the whole sheet at once, where a
# block's last declaration ends at its "}".
_MAY_HIDE = (
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*[-+]?[.0]"
    r"|(?:width|height)\s*:\s*(?:-|[0-2](?:\.\d+)?\s*(?:px)?\s*(?:!|;|\}|$))"
    r"|(?:left|top|right|text-indent)\s*:\s*-\d{3}"
)


# The marks of CSS's block structure, with what may hide a bracket: escapes, comments,
# strings. `;` matters only after an at-rule's prelude (_after_statements).
_BRACKETS = r"""\\.|/\*.*?(?:\*/|$)|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|[{}()\[\]"""
_STRUCTURE = re.compile(_BRACKETS + "]", re.S)
_STATEMENTS = re.compile(_BRACKETS + ";]", re.S)
_CLOSES = {"}": "{", ")": "(", "]": "["}
# What only a real CSS tokenizer reads right: comments, escapes, strings, url() (a data: URI
# holds ';'), nested blocks, and the HTML comment marks a stylesheet's top level skips.
_NEEDS_TOKENIZER = re.compile(r"""/\*|\\|["'{}]|url\(|<!--|-->""", re.IGNORECASE)


def _top_level_rules(css: str) -> list[tuple[str, str, int]]:
    """(prelude, block, where the block starts) of each top-level rule of a stylesheet,
    at-rules included, found as CSS Syntax finds them: a `{` opens a rule's block only
    outside any () or [] block, a closing bracket closes only the block it matches, and
    comments, strings and escapes hide brackets (a sheet wrapped in `<![CDATA[ … ]]>` is one
    unterminated rule, as in a browser)."""
    rules = []
    stack: list[str] = []
    start = opened = 0
    for mark in _STRUCTURE.finditer(css):
        token = mark.group()
        if token in "{([":
            if token == "{" and not stack:
                opened = mark.end()
            stack.append(token)
        elif token in _CLOSES and stack and stack[-1] == _CLOSES[token]:
            stack.pop()
            if token == "}" and not stack:
                prelude = css[start : opened - 1]
                if prelude.lstrip().startswith("@"):
                    prelude = _after_statements(prelude)
                rules.append((prelude, css[opened : mark.start()], opened))
                start = mark.end()
    return rules


def _after_statements(prelude: str) -> str:
    """A prelude without the at-rule statements before it (`@import …;`): a `;` outside
    brackets ends a prelude that is an at-rule's; anywhere else it is part of the prelude."""
    stack: list[str] = []
    start = 0
    for mark in _STATEMENTS.finditer(prelude):
        token = mark.group()
        if token in "([":
            stack.append(token)
        elif token in _CLOSES:
            if stack and stack[-1] == _CLOSES[token]:
                stack.pop()
        elif token == ";" and not stack and prelude[start : mark.start()].lstrip()[:1] == "@":
            start = mark.end()
    return prelude[start:]


def style_rules(root: Any, story: frozenset[Any] = frozenset()) -> dict[Any, str]:
    """Elements the page's own `<style>` blocks hide, each with the rule that does it.

    A rule that hides the whole page or the article around its headline (`html`, `body`, the
    headline's ancestors) is an anti-flicker snippet that the page's scripts undo (A/B
    testing, fonts loading), not something readers never see: it is left out."""
    hidden: dict[Any, str] = {}
    index: ElementIndex | None = None
    names: set[str] = set()
    for block in (el.text for el in root.iter("style") if el.text):
        for prelude, content in _rules_that_may_hide(block):
            if index is None:
                index = ElementIndex(root)
                names = index.names()
            if not _may_select(prelude, names):
                continue
            for el, why in hidden_by_rule(root, prelude, content, index):
                if el.tag not in ("html", "body") and el not in story:
                    hidden.setdefault(el, why)
    return hidden


class _SheetRules:
    """The rules of the sheets met last that may hide, by the sheet's digest: a site's pages
    carry the same sheets, and reading a 50 KB sheet's structure is a millisecond."""

    KEPT = 256

    def __init__(self) -> None:
        self._sheets: OrderedDict[bytes, tuple[tuple[str, str], ...]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, sheet: str) -> tuple[tuple[str, str], ...]:
        """(prelude, block) of the sheet's top-level style rules whose block may hide (not
        at-rules: what @media hides depends on the reader's screen)."""
        digest = hashlib.blake2b(sheet.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        with self._lock:
            if digest in self._sheets:
                self._sheets.move_to_end(digest)
                return self._sheets[digest]
        hits = starts(_MAY_HIDE, sheet, ignore_case=True)
        rules = []
        for prelude, content, at in _top_level_rules(sheet) if hits else ():
            first = bisect_left(hits, at)
            if prelude.lstrip().startswith("@") or first == len(hits):
                continue
            if hits[first] < at + len(content):  # something in its block can hide
                rules.append((prelude, content))
        with self._lock:
            self._sheets[digest] = found = tuple(rules)
            while len(self._sheets) > self.KEPT:
                self._sheets.popitem(last=False)
        return found

    def cache_clear(self) -> None:
        with self._lock:
            self._sheets.clear()


_rules_that_may_hide = _SheetRules()


_BRACKETED = re.compile(r"\[[^\]]*\]|\([^()]*\)")  # attribute tests, pseudo-class arguments
_SELECTOR_COMBINATOR = re.compile(r"\s*[>+~]\s*|\s+")
_NAMED = re.compile(r"([.#])([\w-]+)")


def _may_select(prelude: str, names: set[str]) -> bool:
    """Whether a selector list can select anything on a page whose elements carry `names`:
    some selector's last compound names only classes and ids the page has. Running a
    selector over the whole page is most of what a hiding rule costs, and a site's
    stylesheet hides mostly what this page does not have."""
    subjects = _subject_names(prelude)
    return subjects is None or any(subject <= names for subject in subjects)


@lru_cache(maxsize=16_384)
def _subject_names(prelude: str) -> tuple[frozenset[str], ...] | None:
    """The ".class" and "#id" names of each selector's last compound; None when a selector
    is not read here (escapes, comments, brackets nested deeper), so may select anything."""
    if "\\" in prelude or "/*" in prelude:
        return None
    subjects = []
    for selector in prelude.split(","):
        plain = _BRACKETED.sub("", _BRACKETED.sub("", selector)).strip()
        if "(" in plain or "[" in plain:
            return None
        subject = _SELECTOR_COMBINATOR.split(plain)[-1] if plain else ""
        subjects.append(frozenset("".join(named) for named in _NAMED.findall(subject)))
    return tuple(subjects)


def hidden_by_rule(
    root: Any, prelude: str, content: str, index: ElementIndex | None = None
) -> list[tuple[Any, str]]:
    """The elements one style rule (`prelude { content }`) selects, with what hides them in
    CSS words; none when its declarations hide nothing."""
    if _NEEDS_TOKENIZER.search(prelude) or _NEEDS_TOKENIZER.search(content):
        return _tokenized_rule(root, f"{prelude}{{{content}}}")
    why = hiding(declarations(content))
    if why is None:
        return []
    selector = prelude.strip()
    selection = (index or ElementIndex(root)).select(selector)
    if selection is None:
        elements = _cssselect(root, selector)
    else:
        elements, unread = selection
        paths = [_xpath_of(item) for item in unread]
        if not all(paths):
            return []  # one selector cssselect cannot read voids its whole list
        for path in paths:
            elements = list(dict.fromkeys([*elements, *lxml.etree.XPath(path)(root)]))
    return [(el, _rule_words(selector, why)) for el in elements]


def _rule_words(selector: str, why: str) -> str:
    return f"the page's style rule '{selector} {{ {why} }}'"


def _cssselect(root: Any, selector: str) -> list[Any]:
    path = _xpath_of(selector)
    return list(lxml.etree.XPath(path)(root)) if path else []


@lru_cache(maxsize=8192)
def _xpath_of(selector: str) -> str:
    """cssselect's XPath for a selector ("" for one it cannot apply: pseudo-elements, :has),
    translated once: a site's pages share their stylesheet, and translating is most of what
    applying a selector costs. The XPath is compiled per call, since a compiled XPath may
    not be shared between threads."""
    from cssselect import SelectorError
    from lxml.cssselect import LxmlHTMLTranslator

    try:
        return str(LxmlHTMLTranslator().css_to_xpath(selector))
    except (SelectorError, ValueError, TypeError):
        return ""


def _tokenized_rule(root: Any, text: str) -> list[tuple[Any, str]]:
    """What a rule that only a CSS tokenizer reads right hides, read by tinycss2."""
    import tinycss2

    found = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declared = {
            d.lower_name: tinycss2.serialize(d.value).strip().lower()
            for d in tinycss2.parse_declaration_list(rule.content, True, True)
            if d.type == "declaration"
        }
        why = hiding(declared)
        if why is None:
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        found += [(el, _rule_words(selector, why)) for el in _cssselect(root, selector)]
    return found
