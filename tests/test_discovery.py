"""Discovery over a partners file, against real servers on 127.0.0.1: sitemaps named by
robots.txt, feeds announced on home pages, a robots.txt that forbids its sitemap, a feed that
pages for ever, and the second week asking only what changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from site_fixture import COMPLIANT, ORIGINALS, WRONG_REPORTER, Site

from compliance.cli.main import app

ORIGINAL = json.loads(ORIGINALS.read_text(encoding="utf-8").splitlines()[0])
LOCAL_WORDS = (
    "county fair library council school board bridge river harvest parade budget vote"
    " storm market festival museum trail hospital airport highway"
).split()


def _local_story(n: int) -> tuple[str, bytes]:
    """A partner's own story: its own words, its own title."""
    words = [LOCAL_WORDS[(n * 7 + i * 3) % len(LOCAL_WORDS)] for i in range(120)]
    title = f"Local {LOCAL_WORDS[n % len(LOCAL_WORDS)]} news number {n} from the valley"
    body = "".join(f"<p>{' '.join(words[i : i + 30])} {n}.</p>" for i in range(0, 120, 30))
    page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
    return title, (page + "</article></body></html>").encode()


def _sitemap(site: Site, entries: list[tuple[str, str | None]]) -> bytes:
    urls = "".join(
        f"<url><loc>{site.url(path)}</loc>"
        + (
            "<news:news><news:publication><news:name>x</news:name></news:publication>"
            f"<news:publication_date>2022-04-29</news:publication_date>"
            f"<news:title>{title}</news:title></news:news>"
            if title
            else ""
        )
        + "<lastmod>2022-04-29</lastmod></url>"
        for path, title in entries
    )
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>"
    ).encode()


def _feed(site: Site, items: list[tuple[str, str, str]]) -> bytes:
    """RSS with full content (content:encoded), as WordPress writes it."""
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link>"
        "<pubDate>Fri, 29 Apr 2022 10:00:00 GMT</pubDate>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
        for path, title, content in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>'
        "<generator>https://wordpress.org/?v=6.4</generator>" + entries + "</channel></rss>"
    ).encode()


@pytest.fixture
def partner_web(tmp_path):
    """Two partners: River Times on two sites (a news sitemap; a full-content feed), Hill
    Post on one (robots.txt forbids its sitemap; a summary feed linking to the newswire)."""
    with Site(robots=None) as river, Site(robots=None) as river_feed, Site() as hill:
        # River's first site: 30 local stories and one copy keeping the original's headline.
        river.robots = f"User-agent: *\nSitemap: {river.url('/news-sitemap.xml')}\n".encode()
        entries: list[tuple[str, str | None]] = []
        for n in range(30):
            title, page = _local_story(n)
            river.pages[f"/local/{n}"] = page
            entries.append((f"/local/{n}", title))
        river.pages["/2022/04/china-pact"] = COMPLIANT
        entries.append(("/2022/04/china-pact", ORIGINAL["title"]))
        river.pages["/news-sitemap.xml"] = _sitemap(river, entries)
        river.types["/news-sitemap.xml"] = "application/xml"
        river.pages["/"] = b"<html><body>River Times</body></html>"
        # River's second site: a feed with full content, one copy under a new headline.
        feed_items = []
        for n in range(30, 40):
            title, page = _local_story(n)
            river_feed.pages[f"/story/{n}"] = page
            feed_items.append((f"/story/{n}", title, page.decode()))
        river_feed.pages["/story/defence-pact"] = WRONG_REPORTER
        copied = "".join(f"<p>{p}</p>" for p in ORIGINAL["body"].split("\n\n"))
        feed_items.append(("/story/defence-pact", "Beijing and Tehran sign a pact", copied))
        river_feed.pages["/feed/"] = _feed(river_feed, feed_items)
        river_feed.types["/feed/"] = "application/rss+xml"
        river_feed.pages["/"] = (
            b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed/">'
            b"</head><body>River Times, valley edition</body></html>"
        )
        # Hill Post: robots.txt forbids the sitemap; the feed's summaries link to the story.
        hill.robots = (
            f"User-agent: *\nDisallow: /sitemap.xml\nSitemap: {hill.url('/sitemap.xml')}\n"
        ).encode()
        hill.pages["/sitemap.xml"] = _sitemap(hill, [("/hidden", None)])
        hill.pages["/hidden"] = COMPLIANT
        summary_items = []
        for n in range(40, 45):
            title, page = _local_story(n)
            hill.pages[f"/p/{n}"] = page
            summary_items.append((f"/p/{n}", title, "<p>A short teaser.</p>"))
        # WordPress's excerpt of a copy under a new headline: the first 55 words.
        hill.pages["/p/excerpt"] = WRONG_REPORTER
        excerpt = " ".join(ORIGINAL["body"].split()[:55])
        summary_items.append(("/p/excerpt", "Tehran talks", f"<p>{excerpt} [&hellip;]</p>"))
        hill.pages["/p/grid"] = COMPLIANT
        summary_items.append(
            ("/p/grid", "Our take on the grid",
             f'<p>Read more at <a href="{ORIGINAL["url"]}">the Daily Caller News Foundation</a>'
             "</p>")
        )  # fmt: skip
        hill.pages["/rss"] = _feed(hill, summary_items)
        hill.types["/rss"] = "application/rss+xml"
        hill.pages["/"] = (
            b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss">'
            b"</head><body>Hill Post</body></html>"
        )
        partners = tmp_path / "partners.yaml"
        partners.write_text(
            "partners:\n"
            "  - id: river-times\n    name: River Times\n"
            f"    sites: ['{river.base}', '{river_feed.base}']\n"
            "    contact: editor@river.example\n"
            "  - id: hill-post\n    name: Hill Post\n"
            f"    sites: ['{hill.base}']\n    contact: desk@hill.example\n",
            encoding="utf-8",
        )
        yield partners, river, river_feed, hill


def _audit(runner, partners: Path, db: Path, *extra: str):
    return runner.invoke(
        app,
        ["audit", "--partners", str(partners), "--originals", str(ORIGINALS), "--db", str(db),
         "--allow-private", "--delay", "0", "--quiet", *extra],
    )  # fmt: skip


def test_discovery_fetches_the_copies_and_leaves_the_local_stories(runner, tmp_path, partner_web):
    partners, river, river_feed, hill = partner_web
    db = tmp_path / "audit.sqlite"
    done = _audit(runner, partners, db)
    assert done.exit_code in (0, 1), done.output
    # The copies were fetched: by their news title, by their feed text, by a link.
    assert river.seen("/2022/04/china-pact") == 1
    assert river_feed.seen("/story/defence-pact") == 1
    assert hill.seen("/p/grid") == 1 and hill.seen("/p/excerpt") == 1
    # No local story was fetched, and robots.txt kept the sitemap (and what it lists) unread.
    assert not [p for p in river.requests if p.startswith("/local/")]
    assert not [p for p in river_feed.requests if p.startswith("/story/3")]
    assert not [p for p in hill.requests if p.startswith("/p/4")]
    assert hill.seen("/sitemap.xml") == 0 and hill.seen("/hidden") == 0
    # The feed that answers every ?paged= with the same page was read twice, not for ever.
    assert river_feed.seen("/feed/") == 2

    report = runner.invoke(app, ["report", "--db", str(db), "--format", "json"])
    rows = json.loads(report.output)["republishers"]
    assert [(r["partner"]["id"], r["pages"]) for r in rows] == [
        ("hill-post", 2), ("river-times", 2)
    ]  # fmt: skip
    river_row = rows[1]
    assert len(river_row["sites"]) == 2 and {s["pages"] for s in river_row["sites"]} == {1}

    letters = tmp_path / "letters"
    report = runner.invoke(app, ["report", "--db", str(db), "--fix-requests", str(letters)])
    assert report.exit_code == 0, report.output
    written = sorted(p.name for p in letters.iterdir())
    assert written == ["hill-post.txt", "river-times.txt"]  # the wrong reporters' partners
    assert (
        (letters / "river-times.txt")
        .read_text()
        .startswith("To: River Times <editor@river.example>")
    )


def test_the_second_week_asks_only_what_changed(runner, tmp_path, partner_web):
    partners, river, river_feed, hill = partner_web
    db = tmp_path / "audit.sqlite"
    assert _audit(runner, partners, db).exit_code in (0, 1)
    for site in (river, river_feed, hill):
        site.requests.clear()
    title, page = _local_story(99)
    river.pages["/local/99"] = page
    entries = [(f"/local/{n}", _local_story(n)[0]) for n in range(30)]
    entries += [("/2022/04/china-pact", ORIGINAL["title"]), ("/local/99", title)]
    river.pages["/news-sitemap.xml"] = _sitemap(river, entries)
    done = _audit(runner, partners, db)
    assert done.exit_code in (0, 1), done.output
    # The unchanged feeds answered 304; the new local story was judged from its listing and
    # left; the three known copies were checked again.
    assert river_feed.seen("/feed/") == 1 and hill.seen("/rss") == 1
    pages = [p for s in (river, river_feed, hill) for p in s.requests
             if p not in ("/", "/robots.txt") and not p.endswith((".xml", "/feed/", "/rss"))]  # fmt: skip
    assert sorted(pages) == ["/2022/04/china-pact", "/p/excerpt", "/p/grid", "/story/defence-pact"]


def test_discover_all_fetches_every_new_page(runner, tmp_path, partner_web):
    partners, river, _river_feed, _hill = partner_web
    done = _audit(runner, partners, tmp_path / "audit.sqlite", "--discover", "all")
    assert done.exit_code in (0, 1), done.output
    assert all(river.seen(f"/local/{n}") == 1 for n in range(30))


def test_partners_check_validates_and_says_what_discovery_reads(runner, partner_web):
    partners, river, river_feed, _hill = partner_web
    done = runner.invoke(app, ["partners", "check", str(partners), "--allow-private",
                               "--delay", "0"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert f"{river.base}: 31 pages listed" in done.output
    assert f"read {river_feed.url('/feed/')}" in done.output
    assert "robots.txt disallows" in done.output


def test_a_partners_file_with_mistakes_names_each_with_its_line(runner, tmp_path):
    bad = tmp_path / "partners.yaml"
    bad.write_text(
        "partners:\n  - id: River Times\n    name: River\n    sites: [https://a.example/x]\n"
        "    contat: x\n",
        encoding="utf-8",
    )
    done = runner.invoke(app, ["partners", "check", str(bad), "--offline"])
    assert done.exit_code == 2
    assert f"{bad}:5:5: partners[0].contat: unknown key 'contat' (did you mean 'contact'?)" in (
        done.output
    )
    assert "Traceback" not in done.output


def test_an_access_log_names_the_copies_its_pixel_counted(tmp_path):
    import gzip

    from compliance.audit.sources import expand_sources

    lines = [
        # vhost_combined: the pixel's host, so the post id names its original
        'news.example:443 203.0.113.9 - - [01/Dec/2026:10:00:00 +0000] "GET /wp-content/plugins/'
        'republication-tracker-tool/includes/pixel.php?post=123 HTTP/1.1" 200 43'
        ' "https://partner.example/2026/12/story/?utm_source=x&page=2" "Mozilla/5.0"',
        'news.example:443 203.0.113.9 - - [01/Dec/2026:10:01:00 +0000] "GET /wp-content/plugins/'
        'republication-tracker-tool/includes/pixel.php?post=123 HTTP/1.1" 200 43'
        ' "https://partner.example/2026/12/story/?page=2&fbclid=abc" "Mozilla/5.0"',
        'news.example:443 66.249.66.1 - - [01/Dec/2026:10:02:00 +0000] "GET /pixel.php?post=9'
        ' HTTP/1.1" 200 43 "https://other.example/a" "Googlebot/2.1 (+http://www.google.com/bot.html)"',
        'news.example:443 198.51.100.7 - - [01/Dec/2026:10:03:00 +0000] "GET /pixel.php?post=9'
        ' HTTP/1.1" 200 43 "-" "Mozilla/5.0"',
        'news.example:443 198.51.100.7 - - [01/Dec/2026:10:04:00 +0000] "GET /pixel.php?post=7'
        ' HTTP/1.1" 200 43 "https://news.example/2026/12/own-story/" "Mozilla/5.0"',
        "a line that is not a log line",
        '198.51.100.8 - - [01/Dec/2026:10:05:00 +0000] "GET /pixel.gif HTTP/1.1" 200 43'
        ' "http://third.example/copy" "Mozilla/5.0"',
    ]
    log = tmp_path / "pixel.log.gz"
    log.write_bytes(gzip.compress("\n".join(lines).encode()))
    found = expand_sources([str(log)], None, "access-log")  # type: ignore[arg-type]
    assert [(t.url, t.original) for t in found.targets] == [
        ("https://partner.example/2026/12/story/?page=2", "post:news.example#123"),
        ("http://third.example/copy", None),
    ]
    said = "\n".join(found.problems)
    assert "line 6: not a Common/Combined Log line" in said
    assert "1 hits from bots and link previews left out" in said


def test_a_looping_sitemap_and_a_feed_that_lies_about_dates(runner, tmp_path):
    with Site(robots=None) as site:
        site.robots = f"User-agent: *\nSitemap: {site.url('/index.xml')}\n".encode()
        index = (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/'
            f'0.9"><sitemap><loc>{site.url("/index.xml")}</loc></sitemap><sitemap><loc>'
            f"{site.url('/posts.xml')}</loc></sitemap></sitemapindex>"
        )
        site.pages["/index.xml"] = index.encode()
        site.pages["/posts.xml"] = index.replace("sitemapindex", "sitemapindex").encode()
        for path in ("/index.xml", "/posts.xml"):
            site.types[path] = "application/xml"
        # Every entry stamped 1970: the copy's date cannot rule it out.
        feed = _feed(site, [("/copy", ORIGINAL["title"], "<p>teaser</p>")])
        site.pages["/feed"] = feed.replace(b"Fri, 29 Apr 2022", b"Thu, 01 Jan 1970")
        site.types["/feed"] = "application/rss+xml"
        site.pages["/"] = (
            b'<html><head><link rel="alternate" type="application/atom+xml" href="/feed"></head></html>'
        )
        site.pages["/copy"] = COMPLIANT
        partners = tmp_path / "partners.yaml"
        partners.write_text(
            f"partners:\n  - {{id: loop, name: Loop, sites: ['{site.base}'], contact: a@b.example}}\n",
            encoding="utf-8",
        )
        done = _audit(runner, partners, tmp_path / "audit.sqlite")
        assert done.exit_code in (0, 1), done.output
        assert site.seen("/index.xml") == 1 and site.seen("/posts.xml") == 1
        assert site.seen("/copy") == 1


def _one_copy(site: Site, page: bytes) -> None:
    """A partner site whose sitemap lists one page, /copy, under the original's headline."""
    site.robots = f"User-agent: *\nSitemap: {site.url('/sitemap.xml')}\n".encode()
    site.pages["/sitemap.xml"] = _sitemap(site, [("/copy", ORIGINAL["title"])])
    site.types["/sitemap.xml"] = "application/xml"
    site.pages["/"] = b"<html><body>home</body></html>"
    site.pages["/copy"] = page


def test_a_partners_agreement_names_the_terms_its_copies_are_judged_by(runner, tmp_path):
    with Site(robots=None) as site:
        _one_copy(site, COMPLIANT)
        partners = tmp_path / "partners.yaml"

        def entry(terms: str) -> str:
            return (
                f"partners:\n  - {{id: p, name: P, sites: ['{site.base}'],"
                f" contact: a@b.example, terms: {terms}}}\n"
            )

        partners.write_text(entry("propublica"))
        db = tmp_path / "audit.sqlite"
        done = _audit(runner, partners, db)
        assert done.exit_code in (0, 1), done.output
        import sqlite3

        with sqlite3.connect(db) as store:
            judged = store.execute("SELECT url, ruleset FROM pages").fetchall()
        assert judged == [(site.url("/copy"), "propublica")]
        partners.write_text(entry("propublika"))
        done = _audit(runner, partners, tmp_path / "other.sqlite")
        assert done.exit_code == 2
        assert "partner p: no rule set has this id (did you mean 'propublica'?)" in done.output


def _waiving_partner(partners: Path, site: Site, waivers: str) -> None:
    partners.write_text(
        "partners:\n  - id: p\n    name: P\n"
        f"    sites: ['{site.base}']\n    contact: a@b.example\n" + waivers,
        encoding="utf-8",
    )


def test_a_partners_waiver_leaves_its_failure_out_until_it_expires(runner, tmp_path):
    with Site(robots=None) as site:
        _one_copy(site, WRONG_REPORTER)  # fails dcnf.byline, warns dcnf.photo-credits
        partners, db = tmp_path / "partners.yaml", tmp_path / "audit.sqlite"
        _waiving_partner(
            partners, site,
            "    waivers:\n"
            "      - {rule: dcnf.byline, reason: 'agreement of 2026-10-01', expires: 2099-12-31,"
            f" pages: ['{site.url('/co*')}']}}\n"
            "      - {rule: 'dcnf.photo-*', reason: 'trial month', expires: 2020-01-31}\n",
        )  # fmt: skip
        checked = runner.invoke(app, ["partners", "check", str(partners), "--offline"])
        assert "waives dcnf.byline until 2099-12-31" in checked.output
        assert "waiver of dcnf.photo-* expired on 2020-01-31" in checked.output

        done = _audit(runner, partners, db)
        # The byline's failure is waived; the photo credits' waiver has lapsed: a warning.
        assert done.exit_code == 0, done.output
        assert "partner p's waiver of dcnf.photo-* expired on 2020-01-31" in done.output
        page = json.loads(runner.invoke(app, ["report", "--db", str(db), "--format", "json"]).output)["pages"][0]  # fmt: skip
        assert page["status"] == "warn" and page["failed_checks"] == ["media_credits"]
        assert "dcnf.byline waived until 2099-12-31: agreement of 2026-10-01" in page["notes"]
        letters = tmp_path / "letters"
        runner.invoke(app, ["report", "--db", str(db), "--fix-requests", str(letters)])
        letter = (letters / "p.txt").read_text()
        assert "The photo credits" in letter and "The byline" not in letter

        # Next week the agreement is over: the same bytes keep their verdict, not the waiver.
        _waiving_partner(partners, site, "")
        site.requests.clear()
        done = _audit(runner, partners, db)
        assert done.exit_code == 1, done.output
        page = json.loads(runner.invoke(app, ["report", "--db", str(db), "--format", "json"]).output)["pages"][0]  # fmt: skip
        assert page["status"] == "fail" and page["failed_checks"] == ["byline", "media_credits"]
        assert not [n for n in page["notes"] if "waived" in n]


def test_a_store_from_before_partners_waivers_is_upgraded(tmp_path):
    import sqlite3

    from compliance.audit.store import Store
    from compliance.discover.partners import Partner

    db = tmp_path / "audit.sqlite"
    Store(db).close()
    with sqlite3.connect(db) as old:  # schema 3: partners had no waivers
        old.execute("ALTER TABLE run_partners DROP COLUMN waivers")
        old.execute("UPDATE meta SET value='3' WHERE key='schema'")
        old.execute("INSERT INTO run_partners VALUES ('r1', 'p', 'P', 'a@b', '[\"p.example\"]')")
    store = Store(db, read_only=True)
    assert [(p.id, p.waivers) for p in store.partners("r1")] == [("p", ())]
    store = Store(db)
    store.record_partners("r2", [Partner("q", "Q", ["q.example"], "c@d")])
    assert [p.sites for p in store.partners("r2")] == [("q.example",)]


def test_discovery_on_a_dask_cluster_reads_each_site_as_a_local_run_does(
    runner, tmp_path, partner_web
):
    distributed = pytest.importorskip("distributed")
    partners, river, river_feed, hill = partner_web
    db = tmp_path / "audit.sqlite"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None
    ) as cluster:
        on = ("--cluster", cluster.scheduler_address)
        done = _audit(runner, partners, db, *on)
        assert done.exit_code in (0, 1), done.output
        # The same pages as the local run fetches (the first test): the copies, no local story.
        assert river.seen("/2022/04/china-pact") == 1
        assert river_feed.seen("/story/defence-pact") == 1
        assert hill.seen("/p/grid") == 1 and hill.seen("/p/excerpt") == 1
        assert not [p for s in (river, river_feed, hill) for p in s.requests
                    if p.startswith(("/local/", "/story/3", "/p/4"))]  # fmt: skip
        assert hill.seen("/sitemap.xml") == 0
        # Week two: the workers ask with the validators the store kept (304s).
        for site in (river, river_feed, hill):
            site.requests.clear()
        assert _audit(runner, partners, db, *on).exit_code in (0, 1)
        assert river_feed.seen("/feed/") == 1 and hill.seen("/rss") == 1
        # Each site was read as one task on the workers, in each of the two runs.
        assert cluster.scheduler.task_prefixes["read_site"].state_counts["memory"] == 6
    report = json.loads(runner.invoke(app, ["report", "--db", str(db), "--format", "json"]).output)
    assert [(r["partner"]["id"], r["pages"]) for r in report["republishers"]] == [
        ("hill-post", 2), ("river-times", 2)
    ]  # fmt: skip
