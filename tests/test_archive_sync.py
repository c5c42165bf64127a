"""`compliance archive sync` and `--originals URL` against a WordPress newsroom on 127.0.0.1."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from newsroom_fixture import Newsroom, Post
from typer.testing import CliRunner

from compliance.cli.main import app
from conftest import write_jsonl

CORRECTION = "Correction: the council vote on the water plan was seven to two, not six to three."
SYNC = ["--delay", "0", "--allow-private", "--format", "json"]


def sync(runner: CliRunner, source: str, into: Path, *extra: str) -> dict:
    result = runner.invoke(app, ["archive", "sync", source, "--into", str(into), *SYNC, *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def records(path: Path) -> dict[str, dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def copy_page(post: Post, outlet: str = "The Valley Ledger") -> str:
    """A republisher's page carrying `post` whole, in its own template."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in post.paragraphs)
    return (
        f"<html><head><title>{html.escape(post.title)} | {outlet}</title></head><body>"
        f'<nav><a href="/">{outlet}</a> <a href="/sports/">Sports</a></nav>'
        f"<article><h1>{html.escape(post.title)}</h1><p>By {post.author}</p>{body}</article>"
        "<footer>Local news since 1921</footer></body></html>"
    )


@pytest.fixture(scope="module")
def newsroom():
    with Newsroom(count=2000) as room:
        yield room


def test_wordpress_site_syncs_whole_then_only_what_changed(
    newsroom: Newsroom, runner: CliRunner, tmp_path: Path
) -> None:
    archive = tmp_path / "newsroom.jsonl"
    newsroom.reset_log()
    newsroom.fail_once.add(
        "/wp-json/wp/v2/posts?per_page=100&page=7&_embed=1&orderby=modified&order=asc"
    )

    first = sync(runner, newsroom.base + "/", archive)

    assert (first["kind"], first["added"], first["complete"]) == ("wordpress", 2000, True)
    listing = "/wp-json/wp/v2/posts?per_page=100&page="
    assert newsroom.served(listing) == 21  # 20 pages, page 7 twice: its 500 was retried
    held = records(archive)
    assert len(held) == 2000
    one = held[next(i for i in held if i.endswith("/?p=123"))]
    post = newsroom.posts[123]
    assert one["title"] == post.title and one["authors"] == [post.author]
    assert one["body"].split("\n\n") == post.paragraphs
    assert one["url"] == f"{newsroom.base}/story-123/" and one["categories"] == ["News"]

    edited = [7 * n for n in range(1, 11)]
    for number in edited:
        newsroom.edit(number, CORRECTION)
    newsroom.reset_log()
    before = archive.read_text(encoding="utf-8").splitlines()

    second = sync(runner, newsroom.base + "/", archive)

    assert (second["added"], second["updated"], second["deleted"]) == (0, 10, 0)
    # One page of changed posts, one of the newest by date and one count of the published
    # posts; no full listing.
    assert newsroom.served("/wp-json/") == 3, newsroom.requests
    after = records(archive)
    assert list(after) == list(held)  # ids stable, order kept
    changed = {i for i in after if after[i] != held[i]}
    assert changed == {i for i in after if int(i.rsplit("=", 1)[1]) in edited}
    assert all(after[i]["body"].endswith(CORRECTION) for i in changed)
    unchanged_lines = [line for line in before if json.loads(line)["id"] not in changed]
    assert set(unchanged_lines) <= set(archive.read_text(encoding="utf-8").splitlines())

    newsroom.delete(500)
    newsroom.publish("A new story on the harbour", [CORRECTION * 3], "Dana Example")
    newsroom.reset_log()

    third = sync(runner, newsroom.base + "/", archive)

    assert (third["added"], third["updated"], third["deleted"]) == (1, 0, 1)
    gone = records(archive)[next(i for i in after if i.endswith("/?p=500"))]
    assert (
        "deleted" in gone
        and gone["title"] == held[next(i for i in held if i.endswith("/?p=500"))]["title"]
    )
    assert newsroom.served("/wp-json/wp/v2/posts?per_page=100&page=1&_fields=id") == 1

    info = runner.invoke(app, ["archive", "info", str(archive), "--format", "json"])
    assert info.exit_code == 0, info.output
    described = json.loads(info.stdout)
    assert (described["articles"], described["deleted"]) == (2001, 1)
    assert described["published"]["first"] == "2025-01-01"
    assert described["sync"]["kind"] == "wordpress" and not described["index"]["current"]
    text = runner.invoke(app, ["archive", "info", str(archive)])
    assert "2,001 (1 deleted at the source)" in text.stdout and "Reporter" in text.stdout


def test_a_synced_archive_matches_copies_as_a_hand_made_one_does(
    newsroom: Newsroom, runner: CliRunner, tmp_path: Path
) -> None:
    synced = tmp_path / "synced.jsonl"
    sync(runner, newsroom.base + "/", synced, "--terms", "dcnf")
    chosen = [newsroom.posts[n] for n in (3, 400, 1999)]
    hand_made = write_jsonl(
        tmp_path / "hand.jsonl",
        [
            {"id": f"story-{p.id}", "url": f"{newsroom.base}/{p.slug}/", "title": p.title,
             "authors": [p.author], "source": "dcnf", "body": "\n\n".join(p.paragraphs)}
            for p in newsroom.posts.values()
        ],
    )  # fmt: skip
    for post in chosen:
        page = tmp_path / f"copy-{post.id}.html"
        page.write_text(copy_page(post), encoding="utf-8")
        reports = []
        for originals in (synced, hand_made):
            run = runner.invoke(
                app, ["check", str(page), "--originals", str(originals), "-f", "json"]
            )
            assert run.exit_code in (0, 1), run.output
            reports.append(json.loads(run.stdout)["results"][0])
        by_sync, by_hand = reports
        assert (
            by_sync["original"]["url"]
            == by_hand["original"]["url"]
            == f"{newsroom.base}/{post.slug}/"
        )
        assert by_sync["ruleset"] == by_hand["ruleset"] == "dcnf"
        assert by_sync["original"]["coverage"] == by_hand["original"]["coverage"] == 1.0
        assert [f["passed"] for f in by_sync["findings"]] == [
            f["passed"] for f in by_hand["findings"]
        ]


def test_a_feed_syncs_its_history_pages_then_asks_conditionally(
    runner: CliRunner, tmp_path: Path
) -> None:
    archive = tmp_path / "feed.jsonl"
    with Newsroom(count=35) as room:
        first = sync(runner, room.base + "/feed/", archive)
        assert (first["kind"], first["added"]) == ("feed", 35)
        # Pages 1-4 of ten entries, then the 404 that ends the history.
        assert room.served("/feed/") == 5 and room.served("/feed/?paged=5") == 1
        room.reset_log()

        again = sync(runner, room.base + "/feed/", archive)
        assert (again["added"], again["updated"], again["requests"]) == (0, 0, 1)
        assert room.requests[-1] == "/feed/"  # answered 304

        room.edit(35, CORRECTION)
        room.reset_log()
        edited = sync(runner, room.base + "/feed/", archive)
        # Page 1 changed; page 2 added nothing, so the walk stops there.
        assert (edited["updated"], room.served("/feed/")) == (1, 2)
        assert records(archive)[f"{room.base}/?p=35"]["body"].endswith(CORRECTION)


def test_a_news_sitemap_fetches_and_reads_only_new_or_changed_pages(
    runner: CliRunner, tmp_path: Path
) -> None:
    archive = tmp_path / "news.jsonl"
    with Newsroom(count=30) as room:
        first = sync(runner, room.base + "/news-sitemap.xml", archive)
        assert (first["kind"], first["added"]) == ("sitemap", 20)
        record = records(archive)[f"{room.base}/story-25/"]
        post = room.posts[25]
        assert record["title"] == post.title and record["authors"] == [post.author]
        assert record["body"].split("\n\n") == post.paragraphs  # no headline, no menu
        room.reset_log()

        room.edit(25, CORRECTION)
        again = sync(runner, room.base + "/news-sitemap.xml", archive)
        assert (again["updated"], again["unchanged"]) == (1, 19)
        assert room.served("/story-") == 1


def test_check_takes_a_feed_address_as_its_originals(runner: CliRunner, tmp_path: Path) -> None:
    with Newsroom(count=25) as room:
        page = tmp_path / "draft.html"
        page.write_text(copy_page(room.posts[20]), encoding="utf-8")
        feed = room.base + "/feed/"
        run = runner.invoke(app, ["check", str(page), "--originals", feed, "-f", "json"])
        assert run.exit_code in (0, 1), run.output
        result = json.loads(run.stdout)["results"][0]
        assert result["original"]["url"] == f"{room.base}/story-20/"
        room.reset_log()

        run = runner.invoke(app, ["check", str(page), "--originals", feed, "-f", "json"])
        assert json.loads(run.stdout)["results"][0]["original"]["url"] == f"{room.base}/story-20/"
        assert room.requests == ["/robots.txt", "/feed/"]  # the feed answered 304

    # The site is gone: the copy synced before is used, with a warning.
    run = runner.invoke(app, ["check", str(page), "--originals", feed, "-f", "json"])
    assert json.loads(run.stdout)["results"][0]["original"]["url"].endswith("/story-20/")
    assert "using the copy synced before" in run.stderr


def test_sync_failures_are_reported_and_lose_nothing(runner: CliRunner, tmp_path: Path) -> None:
    archive = tmp_path / "a.jsonl"
    with Newsroom(count=250) as room:
        base = [*SYNC]
        base.remove("--allow-private")
        refused = runner.invoke(
            app, ["archive", "sync", room.base + "/", "--into", str(archive), *base]
        )
        assert refused.exit_code == 2 and "--allow-private" in refused.stderr
        assert not archive.exists()

        page_1 = "/wp-json/wp/v2/posts?per_page=100&page=1&_embed=1&orderby=modified&order=asc"
        room.fail_always.add(page_1)
        closed = runner.invoke(
            app, ["archive", "sync", room.base + "/", "--into", str(archive), *SYNC]
        )
        assert closed.exit_code == 2 and "sync its feed instead" in closed.stderr
        room.fail_always.clear()

        page_3 = "/wp-json/wp/v2/posts?per_page=100&page=3&_embed=1&orderby=modified&order=asc"
        room.fail_always.add(page_3)
        broken = runner.invoke(
            app, ["archive", "sync", room.base + "/", "--into", str(archive), *SYNC]
        )
        assert broken.exit_code == 2 and "HTTP 500" in broken.stderr
        assert len(records(archive)) == 200  # the pages read are kept
        room.fail_always.clear()
        healed = sync(runner, room.base + "/", archive)
        assert (healed["added"], len(records(archive))) == (50, 250)

        other = runner.invoke(
            app, ["archive", "sync", room.base + "/feed/", "--into", str(archive), *SYNC]
        )
        assert other.exit_code == 2 and "was synced from" in other.stderr

        home_only = runner.invoke(
            app,
            ["archive", "sync", room.base + "/missing", "--into", str(tmp_path / "b.jsonl"), *SYNC],
        )
        assert home_only.exit_code == 2 and "HTTP 404" in home_only.stderr


def test_an_audit_takes_a_feed_address_as_its_originals(runner: CliRunner, tmp_path: Path) -> None:
    with Newsroom(count=12) as room:
        listing = tmp_path / "pages.txt"
        listing.write_text(f"{room.base}/story-4/\n", encoding="utf-8")
        db = tmp_path / "audit.sqlite"
        args = ["audit", str(listing), "--originals", room.base + "/feed/", "--db", str(db)]
        refused = runner.invoke(app, [*args, "--delay", "0"])
        assert refused.exit_code == 2 and "--allow-private" in refused.stderr
        result = runner.invoke(app, [*args, "--delay", "0", "--allow-private"])
        assert result.exit_code in (0, 1), result.output
        report = runner.invoke(app, ["report", "--db", str(db), "--format", "json"])
        [page] = json.loads(report.stdout)["pages"]
        assert page["original"] == f"{room.base}/story-4/"


def test_scheduled_posts_that_go_live_unmodified_are_fetched(runner: CliRunner, tmp_path: Path):
    """WordPress does not touch a scheduled post's modification date when it goes live, so
    no `modified_after` listing returns it: the ids the site publishes and the archive does
    not hold are fetched by id, whether the count of posts changed or not."""
    with Newsroom(count=300) as room:
        archive = tmp_path / "room.jsonl"
        sync(runner, room.base + "/", archive)
        long_ago = room.posts[1].modified
        early = [room.schedule(f"Scheduled story {n}", [CORRECTION], "Sam Example", long_ago)
                 for n in range(3)]  # fmt: skip
        second = sync(runner, room.base + "/", archive)
        # One deleted and one scheduled: the count is the same as the archive's.
        room.delete(7)
        swapped = room.schedule("A swapped-in story", [CORRECTION], "Sam Example", long_ago)
        third = sync(runner, room.base + "/", archive)
    held = records(archive)
    assert second["added"] == 3 and third["added"] == 1
    for post in [*early, swapped]:
        assert held[f"{room.base.split('//')[1]}/?p={post.id}"]["title"] == post.title
    assert sum(1 for r in held.values() if "deleted" not in r) == 300 + 3
