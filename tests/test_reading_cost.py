"""What reading a page costs is what its verdict needs: a page no terms govern is judged
without its bylines or its article being read, and the shortcuts that make reading cheap
read what the long way reads."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from compliance.archive.index_build import build_index
from compliance.archive.match import Matcher
from compliance.common.scanning import lines_matching
from compliance.engine import Checker
from compliance.model import Page, RunResult, Status, StoredResults
from compliance.read.extract import extract
from compliance.read.htmltree import line_of, parse_html
from compliance.read.markdown import render_markdown
from compliance.read.sources import InputRef
from compliance.report import REPORTERS, RenderOptions
from compliance.report.json_report import report_to_json
from compliance.terms.loading import load_rulesets

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LOCAL = (
    "<html><body><article><h1>Library hours extended</h1><p>By Ann Local</p>"
    "<p>The city council voted on Monday to extend library opening hours after a survey"
    " of residents found strong support for the change.</p></article></body></html>"
)


def _refused():
    raise AssertionError("read, though no verdict needed it")


def test_a_page_no_terms_govern_is_judged_without_its_bylines_or_article():
    article = replace(
        extract(Page("local.html", "html", LOCAL)),
        read_bylines=_refused,
        read_paragraphs=_refused,
    )
    result = Checker(load_rulesets(), None, page_budget=0).check_article(article)
    assert result.status is Status.UNMATCHED


def test_bylines_are_read_when_asked_for():
    article = extract(Page("local.html", "html", LOCAL))
    assert [b.name for b in article.bylines] == ["Ann Local"]


def test_an_html_pages_lines_are_its_own_even_where_it_says_otherwise():
    root = parse_html('<html><body>\n\n<p data-source-line="40">x</p></body></html>', "p.html")
    assert line_of(root.find(".//p")) == 3


def test_rendered_markdown_maps_its_elements_to_the_files_lines():
    rendered = render_markdown("---\ntitle: T\n---\n\nFirst.\n\n*Second* line.\n", "a.md")
    root = parse_html(rendered.html, "a.md")
    paragraphs = root.findall(".//p")
    assert [line_of(p) for p in paragraphs] == [5, 7]
    assert line_of(paragraphs[1].find("em")) == 7  # inline elements: their block's line


_NOTICE = r"originally published|republish|©|\(c\) \d{4}"
_line = st.text(st.sampled_from("ab ©()c1920 RePublish"), max_size=30)


@given(st.lists(_line, max_size=8))
def test_lines_scanned_at_once_are_the_lines_matched_one_by_one(lines):
    one_by_one = [i for i, line in enumerate(lines) if re.search(_NOTICE, line, re.IGNORECASE)]
    assert lines_matching(_NOTICE, lines, ignore_case=True) == one_by_one


def test_a_run_keeps_what_its_reports_show_and_no_more(tmp_path):
    index = build_index([EXAMPLES / "originals" / "dcnf-originals.jsonl"], tmp_path / "index")
    checker = Checker(load_rulesets(), Matcher(index), page_budget=0)
    refs = [InputRef(str(p), path=p) for p in sorted((EXAMPLES / "copies").iterdir())]
    whole = RunResult(tuple(checker.check_input(ref) for ref in refs), ())
    kept = checker.run(refs)
    assert isinstance(kept.results, StoredResults)
    matched = [r for r in kept.results if r.match is not None]
    assert matched and all(not r.match.original.body for r in matched)
    kept = RunResult(kept.results, ())  # the rules' table is the same either way
    for name, render in REPORTERS.items():
        assert render(kept, RenderOptions()) == render(whole, RenderOptions()), name
    # the JSON report, written a result at a time, is the whole document's dump
    written = json.dumps(report_to_json(whole), indent=2, ensure_ascii=False) + "\n"
    assert REPORTERS["json"](whole, RenderOptions()) == written
