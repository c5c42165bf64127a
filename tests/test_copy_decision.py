"""The decision before every check: is this page the newswire's copy, and whose terms judge it?

A partner's own local story is never a copy, whatever its furniture shows of the newswire
(logos in partner boxes, notices in the footer, RELATED links, citations), with or without an
archive. A stripped copy (every attribution removed) is judged under the right terms against
an archive in every format the newswire keeps: its feed, a WordPress export, a folder of
article files, JSON Lines without `source`, a synced site.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from newsroom_fixture import Newsroom
from partner_pages import CHROME_SHAPES, local_story, marks_of, stripped_copy

from compliance.archive.index_build import build_index
from compliance.archive.match import Matcher
from compliance.cli.main import app
from compliance.engine import Checker
from compliance.model import Page, Status
from compliance.read.extract import extract
from compliance.terms.loading import load_rulesets
from conftest import EXAMPLES, write_jsonl

RULESETS = load_rulesets()
APPLICABLE = [r for r in RULESETS if not r.spec.abstract]
WITH_MARKS = [r for r in APPLICABLE if marks_of(r)]
ARCHIVES = [
    EXAMPLES / "originals" / "dcnf-originals.jsonl",
    EXAMPLES / "rulesets" / "originals.jsonl",
]
DCNF = json.loads((EXAMPLES / "originals" / "dcnf-originals.jsonl").read_text().splitlines()[0])
STORY = DCNF["body"].split("\n\n")
STRIPPED = [p for p in STORY if "All content created" not in p]


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    return Matcher(build_index(ARCHIVES, tmp_path_factory.mktemp("index") / "index"))


def _judge(markup: str, matcher: Matcher | None):
    article = extract(Page("local.html", "html", markup))
    return Checker(RULESETS, matcher, page_budget=0).check_article(article)


@pytest.mark.parametrize("ruleset", WITH_MARKS, ids=lambda r: r.id)
@pytest.mark.parametrize("shape", [*CHROME_SHAPES, "all"])
def test_a_partners_local_story_is_no_copy(ruleset, shape, matcher):
    shapes = CHROME_SHAPES if shape == "all" else (shape,)
    markup = local_story(ruleset, shapes, seed=len(shape))
    for archive in (None, matcher):
        result = _judge(markup, archive)
        assert result.status is Status.UNMATCHED, (ruleset.id, shape, result.detected_by)


@pytest.mark.parametrize("ruleset", WITH_MARKS, ids=lambda r: r.id)
def test_the_same_marks_in_the_story_make_it_a_copy(ruleset):
    # The generator's marks are the rule set's own: moved into the article, they are a copy's.
    from partner_pages import logo_img, notice_text

    marks = (logo_img(ruleset) or "") + f"<p>{html.escape(notice_text(ruleset) or '')}</p>"
    markup = local_story(ruleset, ()).replace("</article>", marks + "</article>")
    assert _judge(markup, None).ruleset == ruleset.id


def _rss(path: Path) -> Path:
    content = "".join(f"<p>{html.escape(p)}</p>" for p in STORY)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>DCNF</title>'
        f"<item><title>{html.escape(DCNF['title'])}</title><link>{DCNF['url']}</link>"
        f"<guid>{DCNF['url']}</guid><dc:creator>Philip Lenczycki</dc:creator>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item></channel></rss>",
        encoding="utf-8",
    )
    return path


def _wxr(path: Path) -> Path:
    content = "\n\n".join(f"<p>{html.escape(p)}</p>" for p in STORY)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>DCNF</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>"
        f"<item><title>{html.escape(DCNF['title'])}</title><link>{DCNF['url']}</link>"
        "<dc:creator>Philip Lenczycki</dc:creator>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded><wp:post_id>7</wp:post_id>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    body = "".join(f"<p>{html.escape(p)}</p>" for p in STORY)
    (path / "china-iran.html").write_text(
        f'<html><head><title>{html.escape(DCNF["title"])}</title><link rel="canonical"'
        f' href="{DCNF["url"]}"></head><body><article><h1>{html.escape(DCNF["title"])}</h1>'
        f"<p>By Philip Lenczycki</p>{body}</article></body></html>",
        encoding="utf-8",
    )
    return path


def _jsonl(path: Path, **changes: object) -> Path:
    record = {k: v for k, v in DCNF.items() if k != "source"} | changes
    return write_jsonl(path, [{k: v for k, v in record.items() if v is not None}])


def _check(runner, page: Path, *originals: str) -> tuple[dict, str]:
    args = ["check", str(page), "-f", "json"]
    for entry in originals:
        args += ["--originals", entry]
    run = runner.invoke(app, args)
    assert run.exit_code in (0, 1), run.output
    return json.loads(run.stdout)["results"][0], run.stderr


def _assert_stripped_copy_fails(result: dict) -> None:
    assert result["status"] == "fail", result.get("notes", result)
    assert result["ruleset"] == "dcnf"
    failed = {f["check"] for f in result["findings"] if not f["passed"]}
    assert {"logo", "byline", "affiliation"} <= failed
    affiliation = next(f for f in result["findings"] if f["check"] == "affiliation")
    assert (
        affiliation["judged"]
        and "By Philip Lenczycki, Daily Caller News Foundation" in (affiliation["message"])
    )


@pytest.mark.parametrize("kind", ["feed", "wxr", "folder", "jsonl-without-source"])
def test_a_stripped_copy_is_judged_against_the_newswires_own_archive(runner, tmp_path, kind):
    archive = {
        "feed": lambda: _rss(tmp_path / "dcnf.rss"),
        "wxr": lambda: _wxr(tmp_path / "dcnf.wxr"),
        "folder": lambda: _folder(tmp_path / "articles"),
        "jsonl-without-source": lambda: _jsonl(tmp_path / "dcnf.jsonl"),
    }[kind]()
    page = tmp_path / "copy.html"
    page.write_text(stripped_copy(DCNF["title"], STRIPPED), encoding="utf-8")
    result, _ = _check(runner, page, str(archive))  # governed by DCNF's domains
    _assert_stripped_copy_fails(result)
    assert "dailycallernewsfoundation.org" in result["detected_by"]


def test_an_archive_declared_with_its_terms_governs_originals_on_any_host(runner, tmp_path):
    archive = _jsonl(tmp_path / "mirror.jsonl", url="https://mirror.example.net/china-iran/")
    page = tmp_path / "copy.html"
    page.write_text(stripped_copy(DCNF["title"], STRIPPED), encoding="utf-8")

    result, stderr = _check(runner, page, str(archive))
    assert result["status"] == "unmatched"
    assert result["original"]["coverage"] > 0.8  # what matched is said …
    note = " ".join(result["notes"])
    assert "carries the text of original" in note and "copies none" not in note
    assert f"{archive.name}:1: 1 original on mirror.example.net" in stderr  # … and warned

    result, stderr = _check(runner, page, f"dcnf={archive}")
    _assert_stripped_copy_fails(result)
    assert "governed by no rule set" not in stderr

    config = tmp_path / ".compliance.yaml"
    config.write_text(f"originals:\n  - path: {archive.name}\n    terms: dcnf\n", encoding="utf-8")
    run = runner.invoke(app, ["check", str(page), "-f", "json", "--config", str(config)])
    _assert_stripped_copy_fails(json.loads(run.stdout)["results"][0])

    run = runner.invoke(app, ["check", str(page), "--originals", f"dcfn={archive}"])
    assert run.exit_code == 2 and "did you mean 'dcnf'" in run.stderr


def test_a_misspelt_source_is_warned_with_its_line_and_a_suggestion(runner, tmp_path):
    archive = _jsonl(tmp_path / "dcnf.jsonl", source="dcfn")
    page = tmp_path / "copy.html"
    page.write_text(stripped_copy(DCNF["title"], STRIPPED), encoding="utf-8")
    result, stderr = _check(runner, page, str(archive))
    assert f"{archive}:1: source 'dcfn' names no rule set (did you mean 'dcnf'?)" in stderr
    _assert_stripped_copy_fails(result)  # its address is on DCNF's domain all the same


def test_a_stripped_copy_is_judged_against_a_synced_site(runner, tmp_path):
    with Newsroom(count=6) as room:
        post = room.posts[3]
        page = tmp_path / "copy.html"
        page.write_text(stripped_copy(post.title, post.paragraphs), encoding="utf-8")
        synced = tmp_path / "synced.jsonl"
        run = runner.invoke(
            app, ["archive", "sync", room.base + "/", "--into", str(synced), "--allow-private",
                  "--delay", "0", "--terms", "dcnf"],
        )  # fmt: skip
        assert run.exit_code == 0, run.output
        # Without `source` in the records, the sync's recorded terms govern them.
        records = [json.loads(line) for line in synced.read_text().splitlines()]
        write_jsonl(synced, [{k: v for k, v in r.items() if k != "source"} for r in records])
        for originals in (str(synced), f"dcnf={room.base}/feed/"):
            result, _ = _check(runner, page, originals)
            assert result["status"] == "fail" and result["ruleset"] == "dcnf", originals
            assert result["original"]["url"] == f"{room.base}/{post.slug}/"
            failed = {f["check"] for f in result["findings"] if not f["passed"]}
            assert {"logo", "byline", "affiliation"} <= failed


def test_a_manifest_names_a_candidate_and_the_text_decides(matcher):
    ruleset = next(r for r in APPLICABLE if r.id == "dcnf")
    local = extract(Page("local.html", "html", local_story(ruleset, ())))
    result = Checker(RULESETS, matcher, page_budget=0).check_article(local, known=DCNF["url"])
    assert result.status is Status.UNMATCHED
    assert f"the manifest names {DCNF['url']}, but the page does not carry its text" in (
        result.notes
    )
    # A copy the manifest names rightly is its copy.
    copy = extract(Page("copy.html", "html", stripped_copy(DCNF["title"], STRIPPED)))
    result = Checker(RULESETS, matcher, page_budget=0).check_article(copy, known=DCNF["url"])
    assert result.ruleset == "dcnf" and result.match.original.url == DCNF["url"]


def _copy_with(byline_html: str, after: str = "", aside: str = "") -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in STORY)
    return (
        f"<html><head><title>{html.escape(DCNF['title'])}</title></head><body><main><article>"
        f"<h1>{html.escape(DCNF['title'])}</h1>{byline_html}"
        '<img src="/up/dcnf-logo.png" alt="Daily Caller News Foundation logo">'
        f"{body}{after}</article>{aside}</main></body></html>"
    )


def _findings(markup: str, matcher: Matcher) -> dict[str, tuple[bool, str]]:
    result = _judge(markup, matcher)
    return {f.check: (f.passed, f.message) for f in result.findings}


def test_the_reporters_bio_after_the_story_is_not_the_byline_but_is_the_affiliation(matcher):
    bio = (
        "<p>Philip Lenczycki is an investigative reporter for the Daily Caller News Foundation.</p>"
    )
    found = _findings(_copy_with("", after=bio), matcher)
    assert not found["byline"][0]
    assert found["affiliation"][0], found["affiliation"]


def test_an_author_widget_beside_the_story_is_the_reporters_bio(matcher):
    widget = (
        '<aside class="sidebar"><div class="author-box"><p>Philip Lenczycki is a reporter for'
        " the Daily Caller News Foundation.</p></div></aside>"
    )
    found = _findings(
        _copy_with('<p class="byline">By Philip Lenczycki</p>', aside=widget), matcher
    )
    assert found["byline"][0] and found["affiliation"][0], found["affiliation"]
    # The sidebar's other text is not an affiliation.
    other = '<aside class="sidebar"><p>Daily Caller News Foundation</p></aside>'
    found = _findings(_copy_with('<p class="byline">By Philip Lenczycki</p>', aside=other), matcher)
    assert not found["affiliation"][0]


def test_a_logo_only_in_the_sidebar_is_not_the_articles(matcher):
    markup = _copy_with('<p class="byline">By Philip Lenczycki, Daily Caller News Foundation</p>')
    markup = markup.replace(
        '<img src="/up/dcnf-logo.png" alt="Daily Caller News Foundation logo">', ""
    ).replace(
        "</main>",
        '<aside class="partners"><img src="/up/dcnf-logo.png" alt="Daily Caller News'
        ' Foundation logo"></aside></main>',
    )
    passed, message = _findings(markup, matcher)["logo"]
    assert not passed and "shown only in" in message


def test_a_byline_element_left_open_is_read_to_its_line_end(matcher):
    body = "<br><br>\n".join(html.escape(p) for p in STORY)
    markup = (
        f"<html><head><title>{html.escape(DCNF['title'])}</title></head><body><article>"
        f"<h1>{html.escape(DCNF['title'])}</h1>\n"
        f"<div class=byline>By Philip Lenczycki, Daily Caller News Foundation\n{body}"
        "</article></body></html>"
    )
    found = _findings(markup, matcher)
    assert found["byline"][0] and found["affiliation"][0], found


def test_originals_that_cannot_be_what_they_say(runner, tmp_path):
    page = tmp_path / "copy.html"
    page.write_text(stripped_copy(DCNF["title"], STRIPPED), encoding="utf-8")
    numbers = write_jsonl(tmp_path / "numbers.jsonl", [DCNF | {"body": 123}])
    run = runner.invoke(app, ["check", str(page), "--originals", str(numbers)])
    assert f"{numbers}:1: 'body' must be a string" in run.stderr

    lines = write_jsonl(tmp_path / "lines.jsonl", [DCNF | {"body": "\n".join(STORY)}])
    result, stderr = _check(runner, page, str(lines))
    assert stderr.count("paragraphs separated by single newlines in 1 original") == 1
    assert result["original"]["paragraphs"]["verbatim"] >= len(STRIPPED)


FAST = ["--allow-private", "--delay", "0", "--timeout", "5"]


def _audit_and_fix_requests(runner, tmp_path: Path, urls: list[str], originals: str) -> tuple:
    listing = tmp_path / "urls.txt"
    listing.write_text("".join(u + "\n" for u in urls), encoding="utf-8")
    db = tmp_path / "audit.sqlite"
    run = runner.invoke(
        app, ["audit", str(listing), "--db", str(db), "--originals", originals, *FAST]
    )
    assert run.exit_code in (0, 1), run.output
    fixes = tmp_path / "fixes"
    shown = runner.invoke(
        app, ["report", "--db", str(db), "--format", "json", "--fix-requests", str(fixes)]
    )
    assert shown.exit_code == 0, shown.output
    letters = "".join(p.read_text(encoding="utf-8") for p in sorted(fixes.glob("*")))
    return json.loads(shown.stdout), letters


def test_an_audit_of_a_partners_local_stories_accuses_none(runner, tmp_path):
    from site_fixture import COMPLIANT, NO_BYLINE, Site

    dcnf = next(r for r in APPLICABLE if r.id == "dcnf")
    with Site() as site:
        locals_ = [f"/local/{n}.html" for n in range(4)]
        for n, path in enumerate(locals_):
            site.pages[path] = local_story(dcnf, CHROME_SHAPES, seed=n).encode()
        site.pages["/copy/ok.html"] = COMPLIANT
        site.pages["/copy/bad.html"] = NO_BYLINE
        urls = [site.url(p) for p in [*locals_, "/copy/ok.html", "/copy/bad.html"]]
        report, letters = _audit_and_fix_requests(
            runner, tmp_path, urls, str(EXAMPLES / "originals" / "dcnf-originals.jsonl")
        )
    statuses = {p["url"]: p["status"] for p in report["pages"]}
    assert [statuses[site.url(p)] for p in locals_] == ["unmatched"] * 4
    assert statuses[site.url("/copy/bad.html")] == "fail"
    assert site.url("/copy/bad.html") in letters
    assert not any(site.url(p) in letters for p in locals_)
    assert "1 republished article" in letters


def test_an_audit_finds_a_stripped_copy_in_a_synced_archive(runner, tmp_path):
    from site_fixture import Site

    dcnf = next(r for r in APPLICABLE if r.id == "dcnf")
    with Newsroom(count=8) as room, Site() as partner:
        synced = tmp_path / "newsroom.jsonl"
        run = runner.invoke(
            app, ["archive", "sync", room.base + "/", "--into", str(synced), "--allow-private",
                  "--delay", "0", "--terms", "dcnf"],
        )  # fmt: skip
        assert run.exit_code == 0, run.output
        post = room.posts[5]
        partner.pages["/news/stripped.html"] = stripped_copy(post.title, post.paragraphs).encode()
        partner.pages["/news/local.html"] = local_story(dcnf, CHROME_SHAPES, seed=9).encode()
        urls = [partner.url("/news/stripped.html"), partner.url("/news/local.html")]
        report, letters = _audit_and_fix_requests(runner, tmp_path, urls, str(synced))
    statuses = {p["url"]: p["status"] for p in report["pages"]}
    assert statuses == {urls[0]: "fail", urls[1]: "unmatched"}
    assert urls[0] in letters and urls[1] not in letters
    assert "Daily Caller News Foundation" in letters


def test_an_audit_never_takes_what_a_site_repeats_for_evidence(runner, tmp_path):
    """An archive holding a sibling page's whole visible text matches the site's other pages
    on the standing paragraphs they all carry; those recur on 3+ pages, so they are the
    site's boilerplate, and only real copies stay copies."""
    import random

    from partner_pages import local_text
    from site_fixture import NO_BYLINE, Site

    standing = local_text(random.Random(99), 3)  # the site's own standing paragraphs

    def page(seed: int) -> bytes:
        story = local_text(random.Random(seed), 5)
        body = "".join(f"<p>{p}</p>" for p in [*story, *standing])
        return (
            f"<html><head><title>Local story {seed}</title></head><body><article>"
            f"<h1>Local story {seed}</h1><p>By Dana Whitfield</p>{body}</article></body></html>"
        ).encode()

    sibling = local_text(random.Random(1), 5) + standing
    archive = write_jsonl(
        tmp_path / "archive.jsonl",
        [DCNF, {"id": "sibling", "title": "Local story 1", "source": "dcnf",
                "body": "\n\n".join(sibling)}],
    )  # fmt: skip
    with Site() as site:
        for seed in range(2, 6):
            site.pages[f"/local/{seed}.html"] = page(seed)
        site.pages["/copy.html"] = NO_BYLINE
        urls = [site.url(f"/local/{n}.html") for n in range(2, 6)] + [site.url("/copy.html")]
        report, letters = _audit_and_fix_requests(runner, tmp_path, urls, str(archive))
    statuses = {p["url"]: p["status"] for p in report["pages"]}
    assert [statuses[u] for u in urls] == ["unmatched"] * 4 + ["fail"]
    assert urls[-1] in letters and not any(u in letters for u in urls[:4])


def test_a_link_back_to_an_original_without_an_address_says_so(tmp_path):
    from compliance.archive.index_build import build_index as build

    voices = next(r for r in APPLICABLE if r.id == "global-voices")  # links to the article
    lines = (EXAMPLES / "rulesets" / "originals.jsonl").read_text().splitlines()
    record = next(json.loads(line) for line in lines if '"global-voices"' in line)
    archive = write_jsonl(tmp_path / "pp.jsonl", [{k: v for k, v in record.items() if k != "url"}])
    matcher = Matcher(build([archive], tmp_path / "index"))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in record["body"].split("\n\n"))
    page = f"<html><body><article><h1>{html.escape(record['title'])}</h1>{body}</article></body></html>"
    result = Checker([voices], matcher, page_budget=0).check_article(
        extract(Page("copy.html", "html", page))
    )
    link = next(f for f in result.findings if f.check == "link_back")
    assert (
        not link.judged and "has no address" in link.message and "--originals" not in link.message
    )
