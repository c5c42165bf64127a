"""A new user's first hour, as real processes in a temporary directory: the Quick start, and
each place where the tool once said something untrue, so that they stay fixed."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

COPIES = ROOT / "examples" / "copies"
ORIGINALS = ROOT / "examples" / "originals"


def compliance(*args: str, cwd: Path, umask: int | None = None) -> subprocess.CompletedProcess:
    """`compliance ARGS` as a user runs it, in `cwd`, with no terminal."""

    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "compliance", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
        preexec_fn=set_umask if umask is not None else None,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A publisher's site: pages, and a configuration that writes SARIF and JUnit reports."""
    pages = tmp_path / "pages"
    shutil.copytree(COPIES, pages)
    (tmp_path / ".compliance.yaml").write_text(
        "include: ['pages/*.html']\n"
        'output: ["sarif=reports/compliance.sarif", "junit=reports/compliance.xml"]\n',
        encoding="utf-8",
    )
    return tmp_path


def test_the_quick_start_exits_1_for_its_four_failures(tmp_path):
    done = compliance("check", str(COPIES), "--originals", str(ORIGINALS), cwd=tmp_path)
    assert done.returncode == 1
    assert "7 inputs checked: 2 pass, 0 warn, 4 fail, 1 not a copy, 0 error" in done.stdout


def test_format_on_stdout_whatever_the_configuration_writes(site):
    sarif = compliance("check", "--format", "sarif", cwd=site)
    assert json.loads(sarif.stdout)["version"] == "2.1.0"  # was empty
    assert (site / "reports" / "compliance.sarif").is_file()
    junit = compliance("check", "--format", "junit", "--output", "junit=x.xml", cwd=site)
    assert junit.stdout.startswith("<?xml") and (site / "x.xml").is_file()


def test_output_file_alone_takes_its_format_from_its_extension(site):
    done = compliance("check", "pages/compliant.html", "--output", "report.json", cwd=site)
    assert done.stdout == ""  # the report went to the file
    assert json.loads((site / "report.json").read_text())["schema"] == "compliance-report/1"


def test_a_misspelt_type_is_named_and_hides_nothing(tmp_path):
    rules = tmp_path / "bad.yaml"
    rules.write_text(
        "schema: 1\nid: bad\nname: Bad\nterms: Credit us.\nterms_url: https://e.example/t\n"
        "checks:\n  - id: logo\n    tpye: logo\n    severity: eror\n    clause: Logo.\n"
        "    alt: [Example logo]\n",
        encoding="utf-8",
    )
    done = compliance("rules", "validate", str(rules), cwd=tmp_path)
    assert done.returncode == 2
    assert "unknown key 'tpye' (did you mean 'type'?)" in done.stderr
    assert "unknown value 'eror' (did you mean 'error'?)" in done.stderr
    assert "logo, byline" in done.stderr  # the types are listed, not an empty list


def test_a_word_in_a_caption_is_not_a_photo_credit(tmp_path):
    page = (COPIES / "compliant.html").read_text(encoding="utf-8")
    caption = (
        "<figure><img src='/exam.jpg' alt='Students sit the AP exam'><figcaption>Students sit"
        " the AP exam in Springfield. (Photo: Jane Doe/Springfield Ledger)</figcaption></figure>"
    )
    (tmp_path / "copy.html").write_text(page.replace("</body>", caption + "</body>"))
    done = compliance("check", "copy.html", "--format", "json", cwd=tmp_path)
    credits = next(
        f
        for f in json.loads(done.stdout)["results"][0]["findings"]
        if f["check"] == "media_credits"
    )
    assert credits["passed"], credits["message"]
    assert "Getty Images, AFP, EPA" in credits["message"]  # every agency checked is named


def test_a_hidden_logo_is_said_to_be_hidden(tmp_path):
    page = (COPIES / "compliant.html").read_text(encoding="utf-8")
    hidden = page.replace('alt="Daily Caller News Foundation logo"', 'alt="Daily Caller News'
                          ' Foundation logo" style="display: none"')  # fmt: skip
    assert hidden != page
    (tmp_path / "copy.html").write_text(hidden)
    done = compliance("check", "copy.html", "--format", "json", cwd=tmp_path)
    logo = next(
        f for f in json.loads(done.stdout)["results"][0]["findings"] if f["check"] == "logo"
    )
    assert not logo["passed"] and "logo is on the page but hidden from readers" in logo["message"]
    assert logo["location"]["line"]  # with its line


def test_rules_test_from_the_checkout(tmp_path):
    done = compliance("rules", "test", cwd=ROOT)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "0 failed" in done.stdout
    assert "test" in compliance("rules", "--help", cwd=tmp_path).stdout
    assert "export" in compliance("rules", "--help", cwd=tmp_path).stdout


def test_reports_honour_the_umask(site):
    compliance("check", "--format", "json", "--output", "report.json", cwd=site, umask=0o022)
    compliance("check", cwd=site, umask=0o022)  # the configuration's reports
    for report in (site / "report.json", site / "reports" / "compliance.sarif"):
        assert stat.S_IMODE(report.stat().st_mode) == 0o644, report


def test_baselines_say_what_they_do(site):
    written = compliance("check", "--write-baseline", "baseline.json", cwd=site)
    assert written.returncode == 0  # writing the baseline was the job
    passing = compliance("check", "--baseline", "baseline.json", "--format", "terminal", cwd=site)
    assert passing.returncode == 0
    assert "PASS (" in passing.stdout and "suppressed)" in passing.stdout  # not a clean pass
    other = compliance(
        "check", str(COPIES / "compliant.html"), "--baseline", "baseline.json", cwd=site
    )
    assert "match none of this run's" in other.stderr


def test_small_untruths(site, tmp_path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where a directory should be")
    unwritable = compliance("check", "pages/compliant.html", "--output", f"{blocked}/r.json",
                            cwd=site)  # fmt: skip
    assert unwritable.returncode == 2 and str(blocked) in unwritable.stderr
    assert "internal error" not in unwritable.stderr
    rules = str(ROOT / "rules" / "dcnf.yaml")
    twice = compliance("check", "pages/compliant.html", "--rules", rules, "--rules", rules,
                       cwd=site)  # fmt: skip
    assert "already used" not in twice.stderr and twice.returncode in (0, 1)
    explained = compliance("explain", "dcnf", cwd=site)
    assert "compliance rules show dcnf" in explained.stderr
    assert explained.stderr.count("dcnf.") < 10  # no list of sixty rule ids
    one = compliance("check", "pages/compliant.html", "--format", "markdown", cwd=site)
    assert "1 input:" in one.stdout and "1 inputs" not in one.stdout
    annotations = compliance(
        "check", "pages/affiliation-missing.txt", "--originals", str(ORIGINALS), "--format",
        "github", cwd=site,
    )  # fmt: skip
    affiliation = next(
        line for line in annotations.stdout.splitlines() if "dcnf.affiliation" in line
    )
    assert ",line=4," in affiliation  # the byline's line, where the affiliation belongs
    assert "--jobs" in compliance("check", "--help", cwd=site).stdout


def test_the_weekly_audit_says_what_it_found(tmp_path):
    """The audit's reports: a manifest's unknown original is shown, the run's label is in
    the Markdown report, an empty section says None, counts are singular when they are one,
    and fix requests quote the terms, not the rule author's notes."""
    sys.path.insert(0, str(ROOT / "tests"))
    from site_fixture import COMPLIANT, NO_BYLINE, Site

    with Site() as served:
        served.pages["/a.html"] = COMPLIANT
        served.pages["/b.html"] = NO_BYLINE
        manifest = tmp_path / "platform.csv"
        manifest.write_text(
            f"url,original_id\n{served.url('/a.html')},no-such-original\n"
            f"{served.url('/b.html')},\n",
            encoding="utf-8",
        )
        flags = ["--db", "audit.sqlite", "--label", "weekly", "--originals", str(ORIGINALS),
                 "--allow-private", "--delay", "0", "--quiet"]  # fmt: skip
        first = compliance("audit", str(manifest), *flags, cwd=tmp_path)
        assert first.returncode == 1, first.stderr
        served.pages["/a.html"] = NO_BYLINE  # broken since
        compliance("audit", str(manifest), *flags, cwd=tmp_path)
    markdown = compliance("report", "--db", "audit.sqlite", cwd=tmp_path).stdout
    assert "(weekly)" in markdown.splitlines()[0]
    assert "no-such-original as the original; no original has it" in markdown
    assert "## Disappeared copies (0)\n\nNone." in markdown
    html = compliance("report", "--db", "audit.sqlite", "--format", "html", cwd=tmp_path).stdout
    assert "new violations</div>" in html or "new violation</div>" in html
    letters = tmp_path / "letters"
    compliance("report", "--db", "audit.sqlite", "--fix-requests", str(letters), cwd=tmp_path)
    text = "".join(p.read_text() for p in letters.iterdir())
    assert "so its absence is a warning" not in text and "To fix:" in text
