"""The page's images as a reader sees them: every address an image can be drawn from, and
whether it is shown at all.

Candidates: `img` and `amp-img` (with `src`, lazy-loading attributes, every `srcset`
candidate and the `source` elements of an enclosing `picture`), elements drawn with a CSS
`background-image` in their style attribute, and inline `svg` with a label.

Hidden: the `hidden` attribute; inline styles with `display: none`, `visibility: hidden`,
`opacity: 0`, a width or height of 2 pixels or less, or an off-screen position; a width or
height attribute of 2 or less; the screen-reader classes (`sr-only`, `screen-reader-text`,
`visually-hidden`); `aria-hidden="true"` on a zero-sized image; and the page's own `<style>`
rules that hide an element by any selector (tinycss2 parses them, cssselect applies them),
on the image or an ancestor. Each hidden image says what hides it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import lxml.html

from compliance.model import Image
from compliance.read.htmltree import location_of
from compliance.read.regions import region_of

_SR_CLASSES = frozenset({"sr-only", "screen-reader-text", "visually-hidden", "visuallyhidden"})
_BACKGROUND = re.compile(r"background(?:-image)?\s*:[^;]*?url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)
_PIXELS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(px)?\s*$", re.IGNORECASE)
MAX_INLINE_SVG = 200_000  # characters: a drawing larger than this is no logo
_TINY = 2.0  # pixels: a 1x1 or 2x2 image is a tracker or a hidden logo, never a shown logo
_OFF_SCREEN = -999.0  # px: "left: -9999px", the classic way to hide from sight only


def _declarations(style: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in style.split(";"):
        name, _, value = part.partition(":")
        if value:
            found[name.strip().lower()] = value.strip().lower().removesuffix("!important").strip()
    return found


def _number(value: str | None) -> float | None:
    match = _PIXELS.match(value or "")
    return float(match.group(1)) if match else None


def hiding(declarations: dict[str, str]) -> str | None:
    """Which of these CSS declarations hides what they style, in CSS words; None if none."""
    if declarations.get("display") == "none":
        return "display: none"
    if declarations.get("visibility") in ("hidden", "collapse"):
        return f"visibility: {declarations['visibility']}"
    if _number(declarations.get("opacity")) == 0:
        return "opacity: 0"
    for side in ("width", "height", "max-width", "max-height"):
        size = _number(declarations.get(side))
        if size is not None and size <= _TINY:
            return f"{side}: {declarations[side]}"
    if declarations.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right"):
            at = _number(declarations.get(side))
            if at is not None and at <= _OFF_SCREEN:
                return f"position: {declarations['position']}; {side}: {declarations[side]}"
    indent = _number(declarations.get("text-indent"))
    if indent is not None and indent <= _OFF_SCREEN:
        return f"text-indent: {declarations['text-indent']}"
    return None


# What can make a declaration block hide (a superset of `hiding`'s tests): only rules whose
# block holds one of these are parsed, since tinycss2's tokenizer, run over a site's whole
# stylesheet, was two thirds of reading a page.
_MAY_HIDE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*[-+]?[.0]"
    r"|(?:width|height)\s*:\s*(?:-|[0-2](?:\.\d+)?\s*(?:px)?\s*(?:!|;|$))"
    r"|(?:left|top|right|text-indent)\s*:\s*-\d{3}",
    re.IGNORECASE,
)
# The marks of CSS's block structure, with what may hide a bracket: escapes, comments,
# strings.
_STRUCTURE = re.compile(
    r"""\\.|/\*.*?(?:\*/|$)|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|[{}()\[\];]""", re.S
)
_CLOSES = {"}": "{", ")": "(", "]": "["}


def _top_level_rules(css: str) -> list[tuple[str, str]]:
    """(prelude, block) of each top-level rule of a stylesheet, at-rules included, found as
    CSS Syntax finds them: a `{` opens a rule's block only outside any () or [] block, a
    closing bracket closes only the block it matches, and comments, strings and escapes hide
    brackets (a sheet wrapped in `<![CDATA[ … ]]>` is one unterminated rule, as in a
    browser)."""
    rules = []
    stack: list[str] = []
    start = opened = 0
    for mark in _STRUCTURE.finditer(css):
        token = mark.group()
        if token in "{([":
            if token == "{" and not stack:
                opened = mark.end()
            stack.append(token)
        elif token in _CLOSES:
            if stack and stack[-1] == _CLOSES[token]:
                stack.pop()
                if token == "}" and not stack:
                    rules.append((css[start : opened - 1], css[opened : mark.start()]))
                    start = mark.end()
        elif token == ";" and not stack and css[start : mark.start()].lstrip().startswith("@"):
            start = mark.end()  # an at-rule statement (@import …;); elsewhere ';' is prelude
    return rules


def style_rules(root: Any, story: frozenset[Any] = frozenset()) -> dict[Any, str]:
    """Elements the page's own `<style>` blocks hide, each with the rule that does it.

    A rule that hides the whole page or the article around its headline (`html`, `body`, the
    headline's ancestors) is an anti-flicker snippet that the page's scripts undo (A/B
    testing, fonts loading), not something readers never see: it is left out."""
    blocks = [el.text or "" for el in root.iter("style") if (el.text or "").strip()]
    if not blocks:
        return {}
    hidden: dict[Any, str] = {}
    names: set[str] | None = None
    for block in blocks:
        for prelude, content in _top_level_rules(block):
            if prelude.lstrip().startswith("@") or not _MAY_HIDE.search(content):
                continue  # @media and others: what they hide depends on the reader's screen
            if names is None:
                names = _names_on(root)
            if not _may_select(prelude, names):
                continue
            for el, why in _hidden_by_rule(root, f"{prelude}{{{content}}}", story):
                hidden.setdefault(el, why)
    return hidden


_BRACKETED = re.compile(r"\[[^\]]*\]|\([^()]*\)")  # attribute tests, pseudo-class arguments
_COMBINATOR = re.compile(r"\s*[>+~]\s*|\s+")
_NAMED = re.compile(r"([.#])([\w-]+)")


def _names_on(root: Any) -> set[str]:
    """Every ".class" and "#id" the page's elements carry."""
    found: set[str] = set()
    for el in root.iter():
        if isinstance(el.tag, str):
            found.update(f".{c}" for c in (el.get("class") or "").split())
            if el.get("id"):
                found.add(f"#{el.get('id')}")
    return found


def _may_select(prelude: str, names: set[str]) -> bool:
    """Whether a selector list can select anything on a page whose elements carry `names`:
    some selector's last compound names only classes and ids the page has. Running a
    selector over the whole page is most of what a hiding rule costs, and a site's
    stylesheet hides mostly what this page does not have."""
    if "\\" in prelude or "/*" in prelude:
        return True  # escapes and comments: leave it to the parser
    for selector in prelude.split(","):
        plain = _BRACKETED.sub("", _BRACKETED.sub("", selector)).strip()
        if "(" in plain or "[" in plain:
            return True  # nested deeper than read here
        subject = _COMBINATOR.split(plain)[-1] if plain else ""
        if all("".join(named) in names for named in _NAMED.findall(subject)):
            return True
    return False


def _hidden_by_rule(root: Any, text: str, story: frozenset[Any]) -> list[tuple[Any, str]]:
    """The elements one style rule hides, with the rule in CSS words."""
    import tinycss2
    from cssselect import SelectorError

    found = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = {
            d.lower_name: tinycss2.serialize(d.value).strip().lower()
            for d in tinycss2.parse_declaration_list(rule.content, True, True)
            if d.type == "declaration"
        }
        why = hiding(declarations)
        if why is None:
            continue
        selector = tinycss2.serialize(rule.prelude).strip()
        try:
            elements = root.cssselect(selector)
        except (SelectorError, ValueError, TypeError):
            continue  # a selector cssselect cannot apply (pseudo-elements, :has)
        found += [
            (el, f"the page's style rule '{selector} {{ {why} }}'")
            for el in elements
            if el.tag not in ("html", "body") and el not in story
        ]
    return found


def _hiding(el: Any, whole: bool = False) -> str | None:
    """What hides `el` itself; `whole`: only what hides an element and all it holds (a
    width on a wrapper hides none of its images)."""
    if el.get("hidden") is not None:
        return "the hidden attribute"
    declared = _declarations(el.get("style") or "")
    if whole:
        declared = {k: v for k, v in declared.items() if "width" not in k and "height" not in k}
    why = hiding(declared)
    if why:
        return f"its style '{why}'"
    classes = set((el.get("class") or "").lower().split())
    if classes & _SR_CLASSES:
        return f"the class '{sorted(classes & _SR_CLASSES)[0]}' (read to screen readers only)"
    if whole:
        return None
    sizes = [_number(el.get(side)) for side in ("width", "height")]
    if any(size is not None and size <= _TINY for size in sizes):
        return f"its size ({el.get('width') or '?'}x{el.get('height') or '?'} pixels)"
    if el.get("aria-hidden") == "true" and any(size == 0 for size in sizes):
        return "aria-hidden on a zero-sized image"
    return None


def hidden_by(el: Any, rules: dict[Any, str], around: dict[Any, str] | None = None) -> str:
    """What hides `el` from readers (on it or an ancestor), or "" when it is shown.
    `around`: what hides each ancestor with all it holds, kept across a page's images (they
    share their ancestors)."""
    why = rules.get(el) or _hiding(el)
    if why:
        return why
    parent = el.getparent()
    while parent is not None and not isinstance(parent.tag, str):
        parent = parent.getparent()
    if parent is None:
        return ""
    above = _hidden_around(parent, rules, {} if around is None else around)
    return f"{above}, on an element around it" if above else ""


def _hidden_around(node: Any, rules: dict[Any, str], around: dict[Any, str]) -> str:
    """What hides `node` or an ancestor with all it holds ("" for nothing), remembered."""
    chain = []
    while node is not None and node not in around:
        if isinstance(node.tag, str):
            chain.append(node)
        node = node.getparent()
    found = around.get(node, "") if node is not None else ""
    for node in reversed(chain):  # from the outermost not yet known, inwards
        # The nearest hiding element is the one named, as a walk up from the image finds.
        found = rules.get(node) or _hiding(node, whole=True) or found
        around[node] = found
    return found


def _addresses(el: Any, base: str | None) -> tuple[str, ...]:
    found = [el.get(name) or "" for name in ("src", "data-src", "data-lazy-src", "data-original")]
    srcsets = [el.get("srcset") or "", el.get("data-srcset") or ""]
    # libxml2 does not know <source> is empty, so the <img> may sit inside the last one.
    picture = next((a for a in el.iterancestors() if a.tag == "picture"), None)
    if picture is not None:
        srcsets += [source.get("srcset") or "" for source in picture.iter("source")]
    for srcset in srcsets:
        found += [item.strip().split(" ")[0] for item in srcset.split(",") if item.strip()]
    kept = [a.strip() for a in found if a.strip() and not a.strip().startswith("data:")]
    return tuple(dict.fromkeys(urljoin(base, a) if base else a for a in kept))


# The HTML parser lower-cases attribute names; SVG's own are case-sensitive.
_SVG_CASE = {
    name.lower(): name
    for name in ("viewBox", "preserveAspectRatio", "gradientUnits", "gradientTransform",
                 "patternUnits", "clipPathUnits", "textLength", "stdDeviation")
}  # fmt: skip
_SVG_ATTRIBUTE = re.compile(r"(?<=\s)(" + "|".join(_SVG_CASE) + r")(?==)")


def _as_svg(markup: str) -> str:
    """An inline SVG as the HTML parser kept it, made a standalone SVG document again."""
    markup = _SVG_ATTRIBUTE.sub(lambda m: _SVG_CASE[m.group(1)], markup)
    if "xmlns=" not in markup[: markup.find(">")]:
        markup = markup.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return markup


def _declared_size(el: Any) -> tuple[int, int]:
    declared = _declarations(el.get("style") or "")
    sizes = []
    for side in ("width", "height"):
        size = _number(declared.get(side)) or _number(el.get(side))
        sizes.append(int(size) if size and size > 0 else 0)
    return sizes[0], sizes[1]


def page_images(
    root: Any,
    base: str | None,
    story: frozenset[Any] = frozenset(),
    positions: dict[Any, int] | None = None,
) -> tuple[list[Image], list[Image]]:
    """The page's images, each with its page region and every address it can be drawn
    from: those readers see, and those hidden (with what hides them), kept so that a check
    can say the logo is there but hidden rather than missing."""
    rules = style_rules(root, story)
    around: dict[Any, str] = {}  # what hides each ancestor met, for the next image
    regions: dict[Any, str] = {}
    images: list[Image] = []
    hidden: list[Image] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "svg":
            if any(a.tag == "svg" for a in el.iterancestors()):
                continue  # a nested drawing is part of its outer one
            title = el.find(".//title")
            label = el.get("aria-label") or (title.text_content() if title is not None else "")
            markup = _as_svg(lxml.html.tostring(el, encoding="unicode"))
            found = Image("(inline svg)", label.strip(), location_of(el), "", kind="svg",
                          inline=markup if len(markup) <= MAX_INLINE_SVG else "")  # fmt: skip
        elif el.tag in ("img", "amp-img"):
            sources = _addresses(el, base)
            alt = " ".join((el.get("alt") or "").split())
            found = Image(sources[0] if sources else "", alt, location_of(el),
                          el.get("title") or "", sources=sources)  # fmt: skip
        else:
            drawn = _BACKGROUND.search(el.get("style") or "")
            if drawn is None:
                continue
            src = urljoin(base, drawn.group(1).strip()) if base else drawn.group(1).strip()
            label = el.get("aria-label") or el.get("title") or ""
            found = Image(src, label, location_of(el), "", sources=(src,), kind="background")
        why = hidden_by(el, rules, around)
        region = region_of(el, story, regions)
        width, height = _declared_size(el)
        placed = Image(
            found.src, found.alt, found.location, found.title, region,
            (positions or {}).get(el), found.sources, why, found.kind, width, height,
            found.inline,
        )  # fmt: skip
        (hidden if why else images).append(placed)
    return images, hidden
