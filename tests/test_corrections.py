"""Copies that missed a correction: versions kept by `archive sync` from a WordPress newsroom
on 127.0.0.1, each copy judged against the version it carries."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsroom_fixture import Newsroom
from test_archive_sync import copy_page, records, sync
from typer.testing import CliRunner

from compliance.audit.store import Store
from compliance.cli.main import app

NOTICE = "Correction: An earlier version of this story misstated what the plan costs."


@pytest.fixture
def edited(runner: CliRunner, tmp_path: Path):
    """A post synced, then edited three times with a sync after each: a style edit, a
    changed number (both long past), and a correction notice an hour ago. Yields the room,
    the post, each version's paragraphs, and the archive after the style edit and at the end."""
    with Newsroom(count=5) as room:
        post = room.posts[3]
        post.paragraphs[0] += " The plan costs $4.2 million over five years."
        archive = tmp_path / "newsroom.jsonl"
        versions = [list(post.paragraphs)]
        sync(runner, room.base + "/", archive, "--terms", "dcnf")

        post.paragraphs[1] = post.paragraphs[1].rstrip(".").lower() + "!"  # style only
        post.modified = room.tick()
        versions.append(list(post.paragraphs))
        sync(runner, room.base + "/", archive, "--terms", "dcnf")
        after_style = tmp_path / "after-style.jsonl"
        shutil.copy(archive, after_style)

        post.paragraphs[0] = post.paragraphs[0].replace("$4.2 million", "$2.4 million")
        post.modified = room.tick()
        versions.append(list(post.paragraphs))
        sync(runner, room.base + "/", archive, "--terms", "dcnf")

        room.clock = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
        post.paragraphs.append(NOTICE)
        post.modified = room.tick()
        versions.append(list(post.paragraphs))
        sync(runner, room.base + "/", archive, "--terms", "dcnf")
        yield room, post, versions, after_style, archive


def _judge(runner: CliRunner, tmp_path: Path, post, paragraphs, archive: Path) -> dict:
    post = type(post)(**{**post.__dict__, "paragraphs": paragraphs})
    page = tmp_path / "copy.html"
    page.write_text(copy_page(post), encoding="utf-8")
    run = runner.invoke(app, ["check", str(page), "--originals", str(archive), "-f", "json"])
    assert run.exit_code in (0, 1), run.output
    return json.loads(run.stdout)["results"][0]


def _corrections(result: dict) -> dict:
    return next(f for f in result["findings"] if f["check"] == "corrections")


def test_the_synced_archive_keeps_each_body_it_saw(runner, edited, tmp_path):
    _room, post, versions, _after_style, archive = edited
    record = next(r for r in records(archive).values() if r["url"].endswith(f"/{post.slug}/"))
    kept = [v["body"].split("\n\n") for v in record["versions"]]
    assert kept == versions[:3] and record["body"].split("\n\n") == versions[3]
    assert all(v.get("seen") and v.get("modified") for v in record["versions"])
    # Only bodies are versions: the other posts were never edited.
    assert sum("versions" in r for r in records(archive).values()) == 1
    info = runner.invoke(app, ["archive", "info", str(archive), "--format", "json"])
    assert json.loads(info.stdout)["versions"]["originals"] == 1
    shown = runner.invoke(app, ["archive", "info", str(archive)]).stdout
    assert "1 originals edited since first seen" in shown and "'$4.2' became '$2.4'" in shown


def test_each_copy_is_judged_against_the_version_it_carries(runner, edited, tmp_path):
    _room, post, versions, after_style, archive = edited
    judged = [_judge(runner, tmp_path, post, body, archive) for body in versions]
    assert [r["original"]["version"] for r in judged] == [1, 2, 3, 4]
    assert {r["original"]["latest_version"] for r in judged} == {4}
    first, second, third, latest = map(_corrections, judged)
    # The changed number is long past its grace period: copies of versions 1 and 2 fail.
    for stale in (first, second):
        assert not stale["passed"]
        assert "'$4.2' became '$2.4'" in stale["message"]
        assert "$4.2 million" in stale["evidence"]
        assert "notice" not in stale["message"]  # an hour old: within the 48-hour grace
    # Version 3 carries the number; the notice is within its grace period.
    assert third["passed"] and "1 within the 48-hour grace period" in third["message"]
    assert latest["passed"]
    # The style edit alone never fails anyone.
    before_number = _corrections(_judge(runner, tmp_path, post, versions[0], after_style))
    assert before_number["passed"], before_number["message"]


def test_the_audit_lists_copies_missing_a_correction_and_asks_for_the_fix(runner, edited, tmp_path):
    from site_fixture import Site

    _room, post, versions, _after_style, archive = edited
    with Site(robots=None) as partner:
        for n, body in enumerate(versions):
            stale = type(post)(**{**post.__dict__, "paragraphs": body})
            partner.pages[f"/v{n + 1}"] = copy_page(stale, "River Times").encode()
        listing = tmp_path / "urls.txt"
        listing.write_text("".join(f"{partner.url(f'/v{n}')}\n" for n in range(1, 5)))
        db = tmp_path / "audit.sqlite"
        done = runner.invoke(
            app,
            ["audit", str(listing), "--originals", str(archive), "--db", str(db),
             "--allow-private", "--delay", "0", "--quiet"],
        )  # fmt: skip
        assert done.exit_code in (0, 1), done.output
    report = json.loads(runner.invoke(app, ["report", "--db", str(db), "-f", "json"]).stdout)
    [group] = report["missing_corrections"]
    assert sorted(c["url"].rsplit("/", 1)[1] for c in group["copies"]) == ["v1", "v2"]
    markdown = runner.invoke(app, ["report", "--db", str(db), "-f", "markdown"]).stdout
    assert "## Copies missing a correction (2)" in markdown
    page = runner.invoke(app, ["report", "--db", str(db), "-f", "html"]).stdout
    assert '<h2 id="missing-corrections">Copies missing a correction (2)</h2>' in page
    letters = tmp_path / "letters"
    runner.invoke(app, ["report", "--db", str(db), "--fix-requests", str(letters)])
    [letter] = [p.read_text() for p in letters.iterdir()]
    assert "'$4.2' became '$2.4'" in letter and "replace the paragraph" in letter


def test_a_verdict_given_within_a_grace_period_is_not_reused_after_it(runner, tmp_path):
    import time

    from site_fixture import COMPLIANT, ORIGINALS, Site

    record = json.loads(ORIGINALS.read_text(encoding="utf-8").splitlines()[0])
    body = record["body"].split("\n\n")
    corrected = [body[0], body[1], body[2].replace("25-Year", "30-Year"), *body[3:]]
    due = datetime.now(UTC) - timedelta(hours=48) + timedelta(seconds=4)
    archive = tmp_path / "originals.jsonl"
    archive.write_text(
        json.dumps({**record, "body": "\n\n".join(corrected), "modified": due.isoformat(),
                    "versions": [{"body": record["body"]}]}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    with Site(robots=None) as partner:
        partner.pages["/copy"] = COMPLIANT  # the text before the correction
        listing = tmp_path / "urls.txt"
        listing.write_text(partner.url("/copy") + "\n")
        db = tmp_path / "audit.sqlite"
        audit = ["audit", str(listing), "--originals", str(archive), "--db", str(db),
                 "--allow-private", "--delay", "0", "--quiet"]  # fmt: skip

        def corrections() -> dict:
            report = runner.invoke(app, ["report", "--db", str(db), "-f", "json"]).stdout
            url = json.loads(report)["pages"][0]["url"]
            page = next(p for p in Store(db).pages(Store(db).runs()[-1].id) if p.url == url)
            return next(f for f in page.result["findings"] if f["check"] == "corrections")

        assert runner.invoke(app, audit).exit_code == 0
        assert (
            corrections()["passed"]
            and "within the 48-hour grace period" in (corrections()["message"])
        )
        time.sleep(max(0.0, (due + timedelta(hours=48) - datetime.now(UTC)).total_seconds()))
        assert runner.invoke(app, audit).exit_code == 0  # a warning: DCNF asks, as a request
        assert not corrections()["passed"], "the same bytes were judged again"
        assert "'25-Year' became '30-Year'" in corrections()["message"]


_WORDS = "council budget water river school board vote mayor plan county road bridge".split()
_paragraph = st.lists(st.sampled_from(_WORDS), min_size=12, max_size=30).map(
    lambda words: " ".join(words).capitalize() + "."
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_paragraph, min_size=1, max_size=6, unique=True), st.data())
def test_style_edits_are_only_ever_style(paragraphs, data):
    from compliance.archive.corrections import changes_between

    restyled = [
        data.draw(st.sampled_from([p.upper(), p.lower(), p.rstrip(".") + "!", f"  {p} "]))
        for p in paragraphs
    ]
    assert changes_between(paragraphs, paragraphs) == []
    assert {c.kind for c in changes_between(paragraphs, restyled)} <= {"style"}


@settings(max_examples=60, deadline=None)
@given(st.lists(_paragraph, min_size=3, max_size=6, unique=True), st.integers(0, 2))
def test_a_copy_of_a_version_is_said_to_carry_it(paragraphs, which):
    from compliance.archive.corrections import carried_version
    from compliance.model import BodyVersion, Original

    edited = [*paragraphs[:-1], paragraphs[-1].replace(".", " 42 million.")]
    noticed = [*edited, NOTICE]
    bodies = [tuple(paragraphs), tuple(edited), tuple(noticed)]
    original = Original("o", "t", bodies[2], versions=tuple(BodyVersion(b) for b in bodies[:2]))
    assert carried_version(original, list(bodies[which])) == which + 1
