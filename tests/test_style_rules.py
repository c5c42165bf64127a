"""The page's style rules, read rule by rule and matched without XPath, hide what tinycss2
and cssselect, reading the whole sheet, say they hide."""

from __future__ import annotations

from cssselect import SelectorError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compliance.read.css_selectors import ElementIndex
from compliance.read.htmltree import parse_html
from compliance.read.style_rules import _tokenized_rule, hidden_by_rule, style_rules

_SELECTORS = [
    ".a", "#b", "div .c", ".d img", "p > .a", ".e:not(.f)", "[data-x='}'] img", ".missing",
    "img.a", ".a, .missing", "body&gt;\nimg", ".c::before", "#b .d", ":is(.a) img",
    "span + div", "p ~ .e img", "*", "div > *", ".a,", "#b.c", "DIV.C IMG", ".c:after, .a",
    "div .d > img, [hidden]", "span.a.a", ".a .a", "#b > p > span",
]  # fmt: skip
_DECLARATIONS = [
    "display:none", "width:1px", "color:red", "opacity:0", "text-indent:-9999px",
    "visibility:hidden !important", "height: 0", "margin:0", "content:'}'",
    "DISPLAY : NONE", "display:none ! important", "width:0}", "*display:none", "display none",
    "background:url(data:image/png;base64,x);display:none", "opacity:.0",
]  # fmt: skip
_NOISE = ["/* } { */", "@import url(x.css);", "<!--", "-->", "@media (x){.a{display:none}}", ";"]
_rule = st.builds(
    lambda selector, declarations: f"{selector}{{{';'.join(declarations)}}}",
    st.sampled_from(_SELECTORS),
    st.lists(st.sampled_from(_DECLARATIONS), min_size=1, max_size=3),
)
_sheet = st.lists(st.one_of(_rule, st.sampled_from(_NOISE)), max_size=8).map("\n".join)
_PAGE = (
    "<html><head><style>{css}</style></head><body><div id='b' class='c'><p><span class='a'>x"
    "</span></p><!-- a comment --><div class='c d'><img class='a' src='/l.png'></div>"
    "<span class='e' data-x='}'><img src='/m.png'></span><div hidden>y</div></div></body></html>"
)


def _whole_sheet(root, css: str) -> dict:
    """The reference reading: the whole sheet parsed at once by tinycss2, each hiding rule's
    selector applied over the page by cssselect."""
    found: dict = {}
    for el, why in _tokenized_rule(root, css):
        if el.tag not in ("html", "body"):
            found.setdefault(el, why)
    return found


@settings(max_examples=400, deadline=None)
@given(_sheet, st.booleans())
def test_rule_by_rule_is_the_whole_sheet(css, wrapped):
    css = f"<![CDATA[{css}]]>" if wrapped else css
    root = parse_html(_PAGE.replace("{css}", css), "page.html")
    assert style_rules(root) == _whole_sheet(root, root.find(".//style").text or "")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_SELECTORS), st.lists(st.sampled_from(_DECLARATIONS), min_size=1))
def test_plain_rules_read_as_the_tokenizer_reads_them(selector, declarations):
    root = parse_html(_PAGE.replace("{css}", ""), "page.html")
    content = ";".join(declarations)
    plain = sorted(hidden_by_rule(root, selector, content), key=repr)
    tokenized = sorted(_tokenized_rule(root, f"{selector}{{{content}}}"), key=repr)
    assert plain == tokenized


_compound = st.builds(
    lambda tag, names: tag + "".join(names),
    st.sampled_from(["", "*", "div", "span", "img", "p", "DIV"]),
    st.lists(st.sampled_from([".a", ".c", ".d", ".e", "#b", ".missing", ".-x", ".5"]), max_size=2),
).filter(bool)
_selector = st.builds(
    lambda first, rest: first + "".join(f"{mark}{c}" for mark, c in rest),
    _compound,
    st.lists(
        st.tuples(st.sampled_from([" ", " > ", ">", " + ", "~", "\n"]), _compound), max_size=3
    ),
)
_list = st.lists(st.one_of(_selector, st.sampled_from([":not(.a)", "[hidden]", "", "a::x"])),
                 min_size=1, max_size=3).map(", ".join)  # fmt: skip
_TREE = (
    "<html><body><div id='b' class='a c'><p class='a'>x<span class='c  d'>y</span></p>"
    "<!-- c --><img class='e'><div class='d'><span class='a'>z</span><img class='a e'></div>"
    "</div><span class='-x e'>w</span><p><img></p></body></html>"
)


@settings(max_examples=500, deadline=None)
@given(_list)
@example("p + div")  # the element just before, not any before
@example("p + img, p ~ div")  # a comment between is no sibling
@example("div > span.a")  # a parent, not any ancestor
@example("div.d img.a.e")
def test_selectors_select_what_cssselect_selects(selectors):
    root = parse_html(_TREE, "page.html")
    try:
        expected = set(root.cssselect(selectors))
    except (SelectorError, ValueError, TypeError):
        expected = None
    selection = ElementIndex(root).select(selectors)
    assert selection is not None  # no strings, escapes or comments here
    elements, unread = selection
    if expected is None:  # only cssselect can refuse a list: one of its selectors is unread
        assert unread
        return
    for item in unread:
        elements = [*elements, *root.cssselect(item)]
    assert set(elements) == expected
