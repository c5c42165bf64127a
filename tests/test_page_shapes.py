"""The same DCNF copy in the page shapes real sites produce: layout tables (nested too),
headings, paragraphs and list items left open, stray closing tags, upper-case tags, the
story inside <font> or <center>, <br><br> for paragraphs, a <div> or <span> per line, and
plain text as people send it (hard-wrapped, quoted, CRLF, form feeds, a signature). Each
gets the verdict of its clean twin: the same status, the same original, the same findings.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from compliance.archive.match import Matcher
from compliance.engine import evaluate
from compliance.model import Page
from compliance.read.extract import extract
from compliance.terms.loading import load_rulesets
from conftest import SEED

LOGO = '<img src="/uploads/dcnf-logo.png" alt="Daily Caller News Foundation logo">'
BYLINE = "By Philip Lenczycki, Daily Caller News Foundation"


def _story() -> tuple[str, list[str], str]:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    title = lines[1]
    start = next(i for i, line in enumerate(lines) if line.startswith("China and Iran agreed"))
    notice = next(line for line in lines if line.startswith("All content created"))
    body = [p for p in lines[start:] if p != notice and "REUTERS" not in p][:10]
    return title, body, notice


TITLE, BODY, NOTICE = _story()
MENU = "News Sports Obituaries Classifieds"


def _clean() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        f"<html><head><title>{TITLE}</title></head><body><nav>{MENU}</nav><article>"
        f"<h1>{TITLE}</h1><p class='byline'>{BYLINE}</p>{LOGO}{paragraphs}<p>{NOTICE}</p>"
        "</article></body></html>"
    )


def _layout_table(nested: bool) -> str:
    cell = "<br><br>".join(BODY)
    story = (
        f"<font face='Arial' size='2'><b>{TITLE}</b><br>{BYLINE}<br>{LOGO}<br><br>{cell}"
        f"<br><br>{NOTICE}</font>"
    )
    if nested:
        story = f"<table width='100%'><tr><td>{story}</td></tr></table>"
    return (
        f"<html><head><title>{TITLE}</title></head><body><table width='760' border='0'>"
        f"<tr><td colspan='2'><a href='/'>{MENU}</a></td></tr>"
        f"<tr><td width='600' valign='top'>{story}</td>"
        "<td width='160'>Advertise with us. Weather: sunny, 72 degrees.</td></tr>"
        "<tr><td colspan='2'>Copyright 2024 The County Courier. All rights reserved.</td></tr>"
        "</table></body></html>"
    )


def _open_tags() -> str:
    paragraphs = "".join(f"<p>{p}" for p in BODY)
    return (
        f"<html><head><title>{TITLE}</title><body><h1>{TITLE}<p class=byline>{BYLINE}"
        f"{LOGO}{paragraphs}<ul><li>{NOTICE}</ul></body></html>"
    )


def _stray_closers_upper_case() -> str:
    paragraphs = "".join(f"<P>{p}</P></SPAN></DIV>" for p in BODY)
    return (
        f"<HTML><HEAD><TITLE>{TITLE}</TITLE></HEAD><BODY></TD><CENTER><H1>{TITLE}</H1>"
        f"<P CLASS=byline>{BYLINE}</P></B>{LOGO.upper().replace('DCNF', 'dcnf')}"
        f"{paragraphs}<P>{NOTICE}</CENTER></BODY></HTML>"
    )


def _line_per_element(tag: str) -> str:
    def lines(paragraph: str) -> str:
        wrapped = textwrap.wrap(paragraph, 72)
        if tag == "span":
            return "".join(f"<span>{line}</span><br>" for line in wrapped) + "<br>"
        return "".join(f"<div>{line}</div>" for line in wrapped) + "<div>&nbsp;</div>"

    return (
        f"<html><head><title>{TITLE}</title></head><body><div><b>{TITLE}</b></div>"
        f"<div>{BYLINE}</div>{LOGO}{''.join(lines(p) for p in BODY)}<div>{NOTICE}</div>"
        "</body></html>"
    )


HTML_SHAPES = {
    "layout table": _layout_table(nested=False),
    "nested layout tables": _layout_table(nested=True),
    "headings, paragraphs and list items left open": _open_tags(),
    "stray closing tags and upper-case tags in <center>": _stray_closers_upper_case(),
    "a <div> per line": _line_per_element("div"),
    "a <span> per line": _line_per_element("span"),
}


def _plain(wrap: bool = False, quote: bool = False, crlf: bool = False, extras: bool = False):
    def block(paragraph: str) -> str:
        return "\n".join(textwrap.wrap(paragraph, 70)) if wrap else paragraph

    parts = [TITLE, "Daily Caller News Foundation logo", BYLINE, *map(block, BODY), NOTICE]
    text = "\n\n".join(parts) + "\n"
    if extras:
        text = text.replace("\n\n", "\n\f\n", 2) + "\n-- \nSent from the County Courier desk\n"
    if quote:
        text = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
    if crlf:
        text = text.replace("\n", "\r\n")
    return text


TEXT_SHAPES = {
    "hard-wrapped at 70 columns": _plain(wrap=True),
    "hard-wrapped and quoted": _plain(wrap=True, quote=True),
    "CRLF line ends": _plain(wrap=True, crlf=True),
    "form feeds and a signature": _plain(wrap=True, extras=True),
}


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    from compliance.archive.index_cache import open_index

    folder = tmp_path_factory.mktemp("originals")
    archive = folder / "dcnf.jsonl"
    record = {"id": "seed", "title": TITLE, "authors": ["Philip Lenczycki"], "source": "dcnf",
              "body": "\n\n".join([*BODY, NOTICE])}  # fmt: skip
    archive.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return Matcher(open_index([archive], folder / "index").index)


def _verdict(page: Page, matcher: Matcher) -> tuple:
    article = extract(page)
    match = matcher.match(article)
    result = evaluate(article, next(r for r in load_rulesets() if r.id == "dcnf"), match)
    findings = tuple((f.rule, f.passed, f.judged) for f in result.findings)
    return result.status, match.original.id if match else None, findings, match


@pytest.mark.parametrize("shape", HTML_SHAPES)
def test_html_shapes_get_their_clean_twins_verdict(shape, matcher):
    twin = _verdict(Page("clean.html", "html", _clean()), matcher)
    got = _verdict(Page("shape.html", "html", HTML_SHAPES[shape]), matcher)
    assert got[:3] == twin[:3]
    assert got[3].coverage >= 0.95 and got[3].similarity >= 0.95
    # The site's menu and sidebars around the story are not text the copy added.
    assert got[3].alignment.summary()["added"] == 0


@pytest.mark.parametrize("shape", TEXT_SHAPES)
def test_plain_text_as_people_send_it_is_verbatim(shape, matcher):
    twin = _verdict(Page("clean.txt", "text", _plain()), matcher)
    got = _verdict(Page("shape.txt", "text", TEXT_SHAPES[shape]), matcher)
    assert got[:3] == twin[:3]
    summary = got[3].alignment.summary()
    assert got[3].similarity == 1.0, summary
    assert summary["changed"] == 0 and summary["added"] == 0 and summary["reflowed"] == 0
