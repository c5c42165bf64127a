"""A newcomer's first day (issue 22), as real processes: outputs that once said something
untrue, each kept true by a test that failed on the code before."""

from __future__ import annotations

import shutil
from pathlib import Path

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
