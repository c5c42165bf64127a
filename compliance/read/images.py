"""The page's images as a reader sees them: every address an image can be drawn from, and
whether it is shown at all.

Candidates: `img` and `amp-img` (with `src`, lazy-loading attributes, every `srcset`
candidate and the `source` elements of an enclosing `picture`), elements drawn with a CSS
`background-image` in their style attribute, and inline `svg` with a label.

Hidden: the `hidden` attribute; inline styles with `display: none`, `visibility: hidden`,
`opacity: 0`, a width or height of 2 pixels or less, or an off-screen position; a width or
height attribute of 2 or less; the screen-reader classes (`sr-only`, `screen-reader-text`,
`visually-hidden`); `aria-hidden="true"` on a zero-sized image; and the page's own `<style>`
rules that hide an element by any selector (style_rules.py reads them), on the image or an
ancestor. Each hidden image says what hides it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import lxml.html

from compliance.model import Image
from compliance.read.htmltree import location_of
from compliance.read.regions import region_of
from compliance.read.style_rules import TINY, declarations, hiding, pixels, style_rules

_SR_CLASSES = frozenset({"sr-only", "screen-reader-text", "visually-hidden", "visuallyhidden"})
_BACKGROUND = re.compile(r"background(?:-image)?\s*:[^;]*?url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)
MAX_INLINE_SVG = 200_000  # characters: a drawing larger than this is no logo


def _hiding(el: Any, whole: bool = False) -> str | None:
    """What hides `el` itself; `whole`: only what hides an element and all it holds (a
    width on a wrapper hides none of its images)."""
    if el.get("hidden") is not None:
        return "the hidden attribute"
    declared = declarations(el.get("style") or "")
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
    sizes = [pixels(el.get(side)) for side in ("width", "height")]
    if any(size is not None and size <= TINY for size in sizes):
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
    picture = next(el.iterancestors("picture"), None)
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
    declared = declarations(el.get("style") or "")
    sizes = []
    for side in ("width", "height"):
        size = pixels(declared.get(side)) or pixels(el.get(side))
        sizes.append(int(size) if size and size > 0 else 0)
    return sizes[0], sizes[1]


_DRAWN = frozenset(("img", "amp-img", "svg"))  # and anything with a style may draw one


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
    for el in (e for e in root.iter() if e.tag in _DRAWN or e.get("style")):
        if el.tag == "svg":
            if next(el.iterancestors("svg"), None) is not None:
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
