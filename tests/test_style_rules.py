"""The page's style rules read rule by rule find what a whole-sheet parse finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.read.htmltree import parse_html
from compliance.read.images import _hidden_by_rule, style_rules

_SELECTORS = [
    ".a", "#b", "div .c", ".d img", "p > .a", ".e:not(.f)", "[data-x='}'] img", ".missing",
    "img.a", ".a, .missing", "body&gt;\nimg", ".c::before", "#b .d", ":is(.a) img",
]  # fmt: skip
_DECLARATIONS = [
    "display:none", "width:1px", "color:red", "opacity:0", "text-indent:-9999px",
    "visibility:hidden !important", "height: 0", "margin:0", "content:'}'",
]  # fmt: skip
_NOISE = ["/* } { */", "@import url(x.css);", "<!--", "-->", "@media (x){.a{display:none}}", ";"]
_rule = st.builds(
    lambda selector, declarations: f"{selector}{{{';'.join(declarations)}}}",
    st.sampled_from(_SELECTORS),
    st.lists(st.sampled_from(_DECLARATIONS), min_size=1, max_size=3),
)
_sheet = st.lists(st.one_of(_rule, st.sampled_from(_NOISE)), max_size=8).map("\n".join)
_PAGE = (
    "<html><head><style>{css}</style></head><body><div id='b'><p><span class='a'>x</span></p>"
    "<div class='c d'><img class='a' src='/l.png'></div><span class='e' data-x='}'>"
    "<img src='/m.png'></span></div></body></html>"
)


def _whole_sheet(root, css: str) -> dict:
    """The reference reading: the whole sheet parsed at once by tinycss2, each hiding rule's
    selector applied over the page (what the page's rules were read as before the screen)."""
    found: dict = {}
    for el, why in _hidden_by_rule(root, css, frozenset()):
        found.setdefault(el, why)
    return found


@settings(max_examples=300, deadline=None)
@given(_sheet, st.booleans())
def test_rule_by_rule_is_the_whole_sheet(css, wrapped):
    css = f"<![CDATA[{css}]]>" if wrapped else css
    root = parse_html(_PAGE.replace("{css}", css), "page.html")
    assert style_rules(root) == _whole_sheet(root, root.find(".//style").text or "")
