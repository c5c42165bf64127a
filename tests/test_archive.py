"""Originals from feeds and WordPress exports, and the index cache that keeps them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from compliance.archive.index_cache import open_index
from compliance.archive.originals import load_archive
from compliance.cli.main import app
from conftest import EXAMPLES, write_jsonl

ARCHIVES = Path(__file__).parent / "archives"


def test_rss_feed_gives_full_text_authors_link_and_date():
    archive = load_archive([ARCHIVES / "wire.rss"])
    budget, library = archive.originals
    assert budget.id == "wire-1001"
    assert budget.url == "https://wire.example.org/2026/11/02/county-budget/"
    assert budget.authors == ("Maria Lopez",)
    assert budget.published == "2026-11-02T14:30:00Z"
    assert len(budget.body) == 2 and budget.body[0].startswith("The county approved")
    assert "partial" not in budget.extra
    assert library.extra == {"partial": True}  # only a summary: still matchable by its start
    assert archive.problems == [f"{ARCHIVES / 'wire.rss'}: entry 3: missing id or link, title"]


def test_atom_feed_reads_every_author():
    (entry,) = load_archive([ARCHIVES / "wire.atom"]).originals
    assert entry.id == "urn:wire:2001"
    assert entry.authors == ("Sam Okafor", "Lee Chen")
    assert entry.body[1].startswith("Riders had asked")


def test_wordpress_export_reads_published_posts_with_display_names():
    archive = load_archive([ARCHIVES / "newsroom.wxr.xml"])
    water, two = archive.originals
    assert (water.id, water.authors, water.extra) == ("311", ("Jane Doe",), {"post_id": "311"})
    assert water.published == "2026-10-30T12:00:00Z"
    assert water.url == "https://newsroom.example.org/2026/10/30/water-rates/"
    assert two.authors == ("Jane Doe", "Ali Khan")  # Co-Authors Plus categories
    # The draft and the attachment are not originals; the empty post is reported.
    assert len(archive.problems) == 1 and "item 5: missing content" in archive.problems[0]


def test_xml_that_is_neither_feed_nor_export_is_reported(tmp_path):
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>')
    archive = load_archive([sitemap])
    assert archive.originals == []
    assert archive.problems == [f"{sitemap}: not an RSS or Atom feed nor a WordPress export"]


def test_truncated_wordpress_export_keeps_what_was_read(tmp_path):
    text = (ARCHIVES / "newsroom.wxr.xml").read_text()
    broken = tmp_path / "broken.xml"
    broken.write_text(text[: text.index("<title>Two Reporters")])
    archive = load_archive([broken])
    assert [o.id for o in archive.originals] == ["311"]
    assert "not well-formed XML" in archive.problems[0]


def _story(ident: str, words: str) -> dict:
    body = "\n\n".join(f"{words} paragraph {n} of the story about {ident}." for n in range(4))
    return {"id": ident, "title": ident, "body": body}


def test_index_is_reused_until_an_original_changes(tmp_path):
    archive = write_jsonl(tmp_path / "originals.jsonl", [_story("a", "one two three four")])
    location = tmp_path / "index"
    first = open_index([archive], location)
    assert first.built and len(first.index) == 1
    assert not open_index([archive], location).built

    # Touched but not changed: the content hash says it is the same archive.
    stat = archive.stat()
    os.utime(archive, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))
    assert not open_index([archive], location).built

    write_jsonl(archive, [_story("a", "one two three four"), _story("b", "five six seven")])
    again = open_index([archive], location)
    assert again.built and again.reason == f"{archive.resolve()} changed"
    assert len(again.index) == 2


def test_index_of_a_directory_is_rebuilt_when_a_file_is_added(tmp_path):
    folder = tmp_path / "originals"
    shutil.copytree(EXAMPLES / "originals", folder)
    location = tmp_path / "index"
    count = len(open_index([folder], location).index)
    shutil.copy(ARCHIVES / "wire.atom", folder / "wire.atom")
    rebuilt = open_index([folder], location)
    assert rebuilt.reason == "originals were added or removed"
    assert len(rebuilt.index) == count + 1


def test_stored_index_answers_in_a_new_process_shape(tmp_path):
    """What a worker process gets: the index re-opened from disk, not a copy of it."""
    import pickle

    archive = write_jsonl(tmp_path / "originals.jsonl", [_story("a", "one two three four")])
    index = open_index([archive], tmp_path / "index").index
    reopened = pickle.loads(pickle.dumps(index))
    assert reopened.path == index.path
    assert reopened.original(0).id == "a"
    assert len(pickle.dumps(index)) < 1000


def test_index_build_and_info_commands(runner, tmp_path):
    location = tmp_path / "index"
    originals = str(EXAMPLES / "originals")
    built = runner.invoke(app, ["index", "build", originals, "--index", str(location)])
    assert built.exit_code == 0, built.output
    assert built.stdout.startswith("indexed 2 originals from 1 files")
    again = runner.invoke(app, ["index", "build", originals, "--index", str(location)])
    assert again.stdout.startswith("already current: 2 originals")
    info = runner.invoke(
        app, ["index", "info", originals, "--index", str(location), "--format", "json"]
    )
    data = json.loads(info.stdout)
    assert data["current"] is True and data["originals"] == 2 and data["postings"] > 0


def test_index_info_without_an_index_says_how_to_build_it(runner, tmp_path):
    result = runner.invoke(
        app, ["index", "info", str(EXAMPLES / "originals"), "--index", str(tmp_path / "none")]
    )
    assert result.exit_code == 2
    assert "compliance index build" in result.stderr


def test_check_warns_about_broken_originals_and_checks_the_rest(runner, tmp_path):
    archive = tmp_path / "originals.jsonl"
    good = (EXAMPLES / "originals" / "dcnf-originals.jsonl").read_text().splitlines()[0]
    archive.write_text(good + "\n{not json\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "check",
            str(EXAMPLES / "copies" / "compliant.html"),
            "--originals",
            str(archive),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 2
    assert f"{archive}:2:2: not valid JSON" in result.stderr
    (only,) = json.loads(result.stdout)["results"]
    assert only["status"] == "pass" and only["original"]["id"] == "dcnf-2022-04-28-china-iran"


RULES = """\
schema: 1
id: wire
name: Example Wire
terms: Republish our stories in full, without edits.
terms_url: https://wire.example.org/terms
checks:
  - id: integrity
    type: integrity
    clause: Stories must be republished without changes.
    allow_changes: false
    allow_drop: false
"""


def test_check_reports_reworded_paragraphs_as_a_diff_and_json_spans(runner, tmp_path):
    body = [
        "The transit agency will add night buses on four routes starting next month, officials said.",
        "Riders had asked for later service for years, according to a survey the agency published.",
        "The new buses will run every thirty minutes until two in the morning on weekdays and weekends.",
    ]
    write_jsonl(
        tmp_path / "wire.jsonl",
        [{"id": "buses", "title": "Night Buses", "body": "\n\n".join(body), "source": "wire"}],
    )
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    copy = tmp_path / "copy.html"
    edited = [body[0].replace("four routes", "five routes"), body[1]]
    copy.write_text(
        "<html><body><article>"
        + "".join(f"<p>{p}</p>" for p in edited)
        + "</article></body></html>"
    )
    args = ["check", str(copy), "--originals", str(tmp_path / "wire.jsonl")]
    args += ["--rules", str(tmp_path / "rules.yaml")]
    terminal = runner.invoke(app, args)
    assert terminal.exit_code == 1
    assert "[-four-]{+five+}" in terminal.stdout
    assert "1 paragraph(s) reworded" in terminal.stdout
    assert "1 paragraph(s) of the original dropped (paragraph 3)" in terminal.stdout

    report = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    (finding,) = report["results"][0]["findings"]
    assert finding["details"]["changes"][0]["spans"] == [
        {"op": "replace", "original": "four", "copy": "five"}
    ]
    assert finding["details"]["dropped_paragraphs"] == [3]
    assert report["results"][0]["original"]["paragraphs"]["changed"] == 1


def test_inspect_json_of_markdown_with_a_date_in_front_matter(runner, tmp_path):
    page = tmp_path / "post.md"
    page.write_text("---\ntitle: A Post\ndate: 2026-11-02\n---\n\nSome words here.\n")
    result = runner.invoke(app, ["inspect", str(page), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "A Post"


def test_concurrent_runs_build_a_stale_index_once(tmp_path):
    """Three processes find no index at once: one builds it, the others wait and reuse it."""
    import subprocess
    import sys

    archive = write_jsonl(
        tmp_path / "originals.jsonl",
        [_story(f"s{n}", f"story {n} words about things") for n in range(3000)],
    )
    command = [sys.executable, "-m", "compliance", "index", "build", str(archive)]
    command += ["--index", str(tmp_path / "index")]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert sum(out.startswith("indexed 3,000 originals") for out in outputs) == 1
    assert sum(out.startswith("already current: 3,000") for out in outputs) == 2
