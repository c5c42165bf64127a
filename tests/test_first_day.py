"""A newcomer's first day (issue 22), as real processes: outputs that once said something
untrue, each kept true by a test that failed on the code before."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_first_hour import compliance

from conftest import ROOT

COPIES = ROOT / "examples" / "copies"


def test_junit_shows_not_judged_as_skipped_never_as_passed(tmp_path):
    # Without originals, integrity cannot judge the copy.
    done = compliance("check", str(COPIES / "compliant.html"), "--format", "junit", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    case = done.stdout.split('name="dcnf.integrity"', 1)[1].split("</testcase>", 1)[0]
    assert '<skipped message="not judged: ' in case


def test_csv_says_not_judged_never_passed_yes(tmp_path):
    saved = tmp_path / "saved" / "example-news.com"
    saved.mkdir(parents=True)
    shutil.copy(COPIES / "compliant.html", saved / "story.html")
    db = tmp_path / "audit.sqlite"
    done = compliance("audit", str(tmp_path / "saved"), "--db", str(db), cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    report = compliance("report", "--db", str(db), "--format", "csv", cwd=tmp_path)
    row = next(line for line in report.stdout.splitlines() if ",dcnf.integrity," in line)
    assert ",not judged," in row


def test_a_timeout_says_what_happened(tmp_path: Path):
    hang = ("<p " + " ".join(f'a{i}="1"' for i in range(4_900)) + ">x</p>") * 200
    page = tmp_path / "slow.html"
    page.write_text(f"<html><body>{hang}</body></html>", encoding="utf-8")
    done = compliance("check", str(page), "--page-timeout", "1", "--format", "json", cwd=tmp_path)
    assert "took longer than the page budget of 1 s" in done.stderr + done.stdout
    assert "too complex" not in done.stderr + done.stdout


def test_an_output_file_named_for_another_format_is_refused(tmp_path):
    page = str(COPIES / "compliant.html")
    done = compliance("check", page, "-o", "report.sarif", "--format", "markdown", cwd=tmp_path)
    assert done.returncode == 2 and "a .sarif file holds a sarif report" in done.stderr
    assert not (tmp_path / "report.sarif").exists()
    done = compliance("check", page, "-o", "report.pdf", "--format", "markdown", cwd=tmp_path)
    assert done.returncode == 0 and "'.pdf' is the extension of no report format" in done.stderr
    done = compliance("check", page, "-o", "quality.json", "--format", "gitlab", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""  # GitLab's report is JSON

    saved = tmp_path / "saved" / "example-news.com"
    saved.mkdir(parents=True)
    shutil.copy(COPIES / "compliant.html", saved / "story.html")
    db = tmp_path / "audit.sqlite"
    compliance("audit", str(tmp_path / "saved"), "--db", str(db), cwd=tmp_path)
    done = compliance(
        "report", "--db", str(db), "--output", "x.csv", "--format", "html", cwd=tmp_path
    )
    assert done.returncode == 2 and "a .csv file holds a csv report" in done.stderr
    done = compliance("report", "--db", str(db), "--output", "x.pdf", cwd=tmp_path)
    assert done.returncode == 0 and "'.pdf' is the extension of no report format" in done.stderr


def test_a_check_without_its_original_says_whether_an_archive_was_given(tmp_path):
    import json

    page = str(COPIES / "unrelated.html")
    without = compliance("check", page, "--terms", "dcnf", "-f", "json", cwd=tmp_path)
    archive = str(ROOT / "examples" / "originals")
    given = compliance("check", page, "--terms", "dcnf", "--originals", archive, "-f", "json",
                       cwd=tmp_path)  # fmt: skip

    def integrity(done) -> str:
        findings = json.loads(done.stdout)["results"][0]["findings"]
        return next(f["message"] for f in findings if f["check"] == "integrity")

    assert "no archive of originals was given" in integrity(without)
    assert "the archive given holds none it copies" in integrity(given)
    assert "--originals" not in integrity(given)


def test_the_distribution_has_its_own_name_everywhere(tmp_path):
    # "compliance" on the package index is an unrelated project: installing it by that
    # name, or sending SARIF readers to its page, points users at someone else's code.
    import tomllib

    from compliance import DISTRIBUTION

    assert DISTRIBUTION != "compliance"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == DISTRIBUTION
    for example in (ROOT / "examples" / "ci").glob("*.yml"):
        text = example.read_text(encoding="utf-8")
        assert f"pip install {DISTRIBUTION}" in text, example.name
        assert "pip install compliance" not in text, example.name
    done = compliance("check", str(COPIES / "compliant.html"), "--format", "sarif", cwd=tmp_path)
    assert f'"informationUri": "https://pypi.org/project/{DISTRIBUTION}/"' in done.stdout


def test_saved_pages_belong_to_their_site_folder_and_robots_txt_is_no_page(tmp_path):
    import json

    sites = tmp_path / "sites"
    for site in ("alpha-news.com", "beta-times.org", "gamma-post.net"):
        year = sites / site / "2024"
        year.mkdir(parents=True)
        shutil.copy(COPIES / "compliant.html", year / "story.html")
        (year / "robots.txt").write_text("User-agent: *\nDisallow: /private\n")
    # A page saved with no site folder is named by the address it gives for itself.
    page = (COPIES / "compliant.html").read_text(encoding="utf-8")
    own = '<head><link rel="canonical" href="https://www.delta-daily.com/2024/story">'
    (sites / "loose.html").write_text(page.replace("<head>", own, 1), encoding="utf-8")
    db = tmp_path / "audit.sqlite"
    done = compliance("audit", str(sites), "--db", str(db), cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(compliance("report", "--db", str(db), "-f", "json", cwd=tmp_path).stdout)
    assert report["summary"]["pages"] == 4
    named = {row["domain"] for row in report["republishers"]}
    assert named == {"alpha-news.com", "beta-times.org", "gamma-post.net", "delta-daily.com"}
    assert "3 site files (robots.txt)" in json.dumps(report)


def test_check_of_a_project_folder_skips_tool_folders_and_what_gitignore_excludes(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("drafts/\n*.bak.html\n")
    for folder in ("content", ".venv/lib", "node_modules/pkg", "drafts", "env"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    for page in ("content/story.html", ".venv/lib/x.html", "node_modules/pkg/README.md",
                 "drafts/wip.html", "content/old.bak.html", "env/y.html"):  # fmt: skip
        shutil.copy(COPIES / "compliant.html", tmp_path / page)
    (tmp_path / "README.md").write_text("# The site\n")
    done = compliance("check", ".", "-f", "json", cwd=tmp_path)
    assert [r["input"] for r in __import__("json").loads(done.stdout)["results"]] == [
        "content/story.html"
    ]
    assert "skipped 3 tool folders (.venv, env, node_modules)" in done.stderr
    assert "2 paths .gitignore excludes" in done.stderr
    assert "1 site file (README.md)" in done.stderr


def test_the_second_week_says_what_changed_as_it_is(tmp_path):
    """A copy replaced by a local story is no longer a copy (never resolved); a finding
    whose severity an edited rule raised is a change; a page new this week is first seen."""
    import json

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    site = tmp_path / "sites" / "news.example"
    site.mkdir(parents=True)
    shutil.copy(COPIES / "byline-is-site-account.html", site / "a.html")
    shutil.copy(COPIES / "affiliation-missing.txt", site / "c.txt")
    db = tmp_path / "audit.sqlite"
    originals = str(ROOT / "examples" / "originals")

    def audit() -> dict:
        args = ("audit", str(tmp_path / "sites"), "--db", str(db), "--rules", str(rules),
                "--originals", originals)  # fmt: skip
        done = compliance(*args, cwd=tmp_path)
        assert done.returncode in (0, 1), done.stderr
        return json.loads(compliance("report", "--db", str(db), "-f", "json", cwd=tmp_path).stdout)

    audit()
    shutil.copy(COPIES / "unrelated.html", site / "a.html")  # now the partner's own story
    shutil.copy(COPIES / "wrong-reporter.html", site / "b.html")
    dcnf = rules / "dcnf.yaml"
    text = dcnf.read_text(encoding="utf-8")
    at = text.index("type: media_credits")
    dcnf.write_text(text[:at] + text[at:].replace("severity: warning", "severity: error", 1))
    report = audit()

    assert not [v for v in report["resolved"] if v["url"].endswith("a.html")]
    [gone] = report["no_longer_copies"]
    assert gone["url"].endswith("a.html") and gone["last_status"] == "fail"
    assert gone["status"] == "unmatched" and "no longer a copy" in gone["why"]
    [raised] = report["changed"]
    assert raised["url"].endswith("c.txt") and raised["check"] == "media_credits"
    assert (raised["severity"], raised["previous_severity"]) == ("error", "warning")
    assert raised["cause"] == "rules-changed"
    fresh = [v for v in report["new"] if v["url"].endswith("b.html")]
    assert fresh and {v["cause"] for v in fresh} == {"first-seen"}
    markdown = compliance("report", "--db", str(db), cwd=tmp_path).stdout
    assert "## Severity changed (1)" in markdown and "(was warning)" in markdown
    assert "## No longer copies (1)" in markdown
    assert "1 finding below changed because of it" in markdown
    (site / "b.html").unlink()
    [left] = audit()["disappeared"]
    assert left["url"].endswith("b.html") and left["why"] == "no source lists it now"


def test_the_html_chart_says_what_its_rate_is_of(tmp_path):
    site = tmp_path / "sites" / "news.example"
    site.mkdir(parents=True)
    for name in ("compliant.html", "logo-missing.md", "unrelated.html"):
        shutil.copy(COPIES / name, site / name)
    db = tmp_path / "audit.sqlite"
    originals = str(ROOT / "examples" / "originals")
    compliance("audit", str(tmp_path / "sites"), "--db", str(db), "--originals", originals,
               cwd=tmp_path)  # fmt: skip
    html = compliance("report", "--db", str(db), "-f", "html", cwd=tmp_path).stdout
    # One of the three pages is the partner's own story: the rate is of the two copies.
    assert "news.example: 50% of 2 judged of 3 pages" in html


def test_terms_are_named_where_they_were_given(tmp_path):
    import json

    (tmp_path / ".compliance.yaml").write_text("terms: dcnf\n", encoding="utf-8")
    done = compliance("check", str(COPIES / "unrelated.html"), "-f", "json", cwd=tmp_path)
    detected = json.loads(done.stdout)["results"][0]["detected_by"]
    assert detected == "the terms were given (`terms: dcnf` in .compliance.yaml), not detected"
    done = compliance("check", str(COPIES / "unrelated.html"), "--terms", "dcnf", "-f", "json",
                      cwd=tmp_path)  # fmt: skip
    assert "(--terms dcnf)" in json.loads(done.stdout)["results"][0]["detected_by"]


def test_an_abstract_base_given_as_terms_names_the_rule_sets_that_extend_it(tmp_path):
    done = compliance("check", str(COPIES / "compliant.html"), "--terms", "cc-by-4.0",
                      cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert "cc-by-4.0 is a base other rule sets extend" in done.stderr
    assert "the-conversation" in done.stderr and "no rule set has this id" not in done.stderr


def test_a_refused_private_address_in_a_sync_names_no_audit(tmp_path):
    done = compliance("archive", "sync", "http://127.0.0.1:9/feed", "--into",
                      str(tmp_path / "a.jsonl"), cwd=tmp_path)  # fmt: skip
    assert done.returncode != 0
    assert "only public addresses are fetched unless given --allow-private" in done.stderr
    assert "audit" not in done.stderr


def test_fix_requests_say_requests_and_places_in_words(tmp_path):
    page = (COPIES / "compliant.html").read_text(encoding="utf-8")
    logo = page[page.index("      <img class=") : page.index("\n", page.index("      <img class="))]
    sites = tmp_path / "sites"
    # Only a warning: a photo credited to an agency the licence does not cover.
    photo = "<p>Recruits train in Hebei province. (REUTERS/China News photo SUN/KY)</p></article>"
    (sites / "warn.example").mkdir(parents=True)
    (sites / "warn.example" / "story.html").write_text(
        page.replace("</article>", photo, 1), encoding="utf-8"
    )
    # The logo only in the sidebar: the letter says where in words, not as a CSS selector.
    moved = page.replace(logo, "").replace("<h2>Related stories</h2>", f"<h2>Related</h2>{logo}")
    (sites / "side.example").mkdir(parents=True)
    (sites / "side.example" / "story.html").write_text(moved, encoding="utf-8")
    db, out = tmp_path / "audit.sqlite", tmp_path / "letters"
    originals = str(ROOT / "examples" / "originals")
    compliance("audit", str(sites), "--db", str(db), "--originals", originals, cwd=tmp_path)
    done = compliance("report", "--db", str(db), "--fix-requests", str(out), cwd=tmp_path)
    assert "2 fix requests written" in done.stderr
    warned = (out / "warn.example.txt").read_text(encoding="utf-8")
    assert "Subject: requests about 1 republished article from" in warned
    assert "found 1 on warn.example that does not yet follow" in warned
    assert "- The photo credits (" in warned and "media_credits" not in warned
    side = (out / "side.example.txt").read_text(encoding="utf-8")
    assert "Subject: attribution needed on 1 republished article from" in side
    assert "the image in the sidebar" in side
    assert "nth-of-type" not in side and "aside" not in side


@given(st.text(alphabet="abdfgilmnoprstvy-_.#:>()[]=0123456789 ", max_size=60))
def test_a_place_in_words_never_shows_selector_syntax(selector):
    from compliance.model import Location

    words = Location(3, selector).in_words()
    assert words.startswith("line 3")
    assert not set(words) & set(">:#()[]=._")


def test_a_rule_file_with_three_mistakes_shows_them_in_one_run(tmp_path):
    rule = tmp_path / "bad.yaml"
    rule.write_text(
        "schema: 1\nid: bad\nname: Bad Wire\nname: Bad Wire Again\nextends: dcnff\n"
        "terms: Credit us.\nterms_url: https://bad.example/terms\nchecks:\n"
        "  - {id: a, type: affiliation, clause: c, where: byline}\n"
        "  - {id: b, type: byline, clause: c, where: top}\n",
        encoding="utf-8",
    )
    done = compliance("rules", "validate", str(rule), cwd=tmp_path)
    assert done.returncode == 2
    assert f"{rule}:4:1: duplicate key 'name' (first given on line 3)" in done.stderr
    assert "extends: no rule set 'dcnff' (did you mean 'dcnf'?)" in done.stderr
    # `where` is what people write for `near`; a check without such a key lists its keys.
    assert "checks[0].where: unknown key 'where' (did you mean 'near'?)" in done.stderr
    assert "checks[1].where: unknown key 'where'; the keys here are: id," in done.stderr


def test_an_unreadable_archive_line_says_what_is_wrong_once(tmp_path):
    archive = tmp_path / "originals.jsonl"
    good = '{"id": "a", "title": "T", "url": "https://x.example/a", "body": "Some text."}'
    archive.write_text(good + '\n{"id": "b", "title": "bad \x01", "body": "x"}\n' + good + "\n",
                       encoding="utf-8")  # fmt: skip
    done = compliance("check", str(COPIES / "compliant.html"), "--originals", str(archive),
                      cwd=tmp_path)  # fmt: skip
    assert f"{archive}:2:" in done.stderr and "a raw control character (U+0001)" in done.stderr
    assert f"{archive}:3: id 'a' was already used by {archive}:1 (skipped)" in done.stderr
    assert "character at" not in done.stderr and "skipped (skipped)" not in done.stderr


def test_the_markdown_report_has_no_html_entities(tmp_path):
    done = compliance("check", str(COPIES / "wrong-reporter.html"), "--originals",
                      str(ROOT / "examples" / "originals"), "-f", "markdown", cwd=tmp_path)  # fmt: skip
    assert "main > article > div.author-box" in done.stdout
    assert "&gt;" not in done.stdout and "&lt;" not in done.stdout


def test_inspect_keeps_the_words_of_separate_blocks_apart(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<article><h1>A headline</h1><p class='byline'>By Jane Doe</p><p>Body text.</p>"
        "<div class='author-box'><h3>About the author</h3><p>Eleanor Rigby writes.</p></div>"
        "</article>",
        encoding="utf-8",
    )
    done = compliance("inspect", str(page), cwd=tmp_path)
    text = " ".join(done.stdout.split())
    assert "About the author Eleanor" in text and "authorEleanor" not in text


def test_an_audit_that_checked_nothing_lists_each_reason_with_its_count(tmp_path):
    listing = tmp_path / "pages.txt"
    listing.write_text("http://127.0.0.1:9/a\nhttp://10.0.0.1/b\nhttp://10.0.0.1/c\n")
    done = compliance("audit", str(listing), "--db", str(tmp_path / "a.db"), "--delay", "0",
                      cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    assert "Most common" not in done.stderr
    assert "\n  2 pages: not fetched: 10.0.0.1, a private address" in done.stderr
    assert "\n  1 page: not fetched: 127.0.0.1, a loopback address" in done.stderr


def test_rule_tests_that_could_not_run_are_not_counted_as_failures(tmp_path):
    shutil.copytree(ROOT / "rules", tmp_path / "rules")  # the rules without their test pages
    done = compliance("rules", "test", "rules", cwd=tmp_path)
    assert done.returncode == 2
    assert "tests could run, each for one reason: the page is missing" in done.stdout
    assert "failed" not in done.stdout


HUGO_COPY = """+++
title = "China Buddies Up To Major American Foe With New Military Agreement"
author = "Phil Lenczycki"
date = 2022-04-29
+++

{{< figure src="/images/dcnf-logo.png" alt="Daily Caller News Foundation logo" >}}
"""


def test_a_hugo_page_gives_its_byline_by_toml_and_its_logo_by_a_shortcode(tmp_path):
    import json

    body = (COPIES / "logo-missing.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    (tmp_path / "copy.md").write_text(HUGO_COPY + body, encoding="utf-8")
    done = compliance("check", "copy.md", "--originals", str(ROOT / "examples" / "originals"),
                      "-f", "json", cwd=tmp_path)  # fmt: skip
    findings = {f["check"]: f for f in json.loads(done.stdout)["results"][0]["findings"]}
    assert findings["byline"]["passed"] and findings["byline"]["evidence"] == "Phil Lenczycki"
    assert findings["logo"]["passed"]
    assert findings["logo"]["location"]["line"] == 7  # the shortcode's line in the file


def test_bad_toml_front_matter_names_its_line(tmp_path):
    (tmp_path / "copy.md").write_text('+++\ntitle = "A"\nauthor = \n+++\nText.\n')
    done = compliance("check", "copy.md", cwd=tmp_path)
    assert "copy.md:3: invalid TOML front matter" in done.stdout + done.stderr


def test_a_synced_archive_is_made_with_the_umask_as_reports_are(tmp_path):
    from newsroom_fixture import Newsroom

    with Newsroom(count=3) as room:
        done = compliance("archive", "sync", room.base + "/", "--into", "wire.jsonl",
                          "--delay", "0", "--allow-private", cwd=tmp_path, umask=0o022)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "wire.jsonl").stat().st_mode & 0o777 == 0o644


def test_inspect_reads_a_folder_in_one_process_as_json_lines(tmp_path):
    import json

    shutil.copytree(COPIES, tmp_path / "copies")
    (tmp_path / "copies" / "broken.html").write_bytes(b"\x00\x01\x02")
    done = compliance("inspect", "copies", "--format", "jsonl", cwd=tmp_path)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == len(list(COPIES.iterdir())) + 1  # every page, the broken one too
    assert all("input" in line for line in lines)
    broken = next(line for line in lines if line["input"].endswith("broken.html"))
    assert broken["reason"] == "unreadable"
    assert done.returncode == 2 and "broken.html" in done.stderr
    single = compliance("inspect", str(COPIES / "compliant.html"), "-f", "json", cwd=tmp_path)
    assert json.loads(single.stdout)["title"]  # one page: one object, as before
