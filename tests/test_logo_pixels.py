"""The logo by its pixels, by every address an image has, and never when hidden; an image
the tool could not compare is never called "no logo"."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from site_fixture import Site

from compliance.cli.main import app
from compliance.read.pixels import closeness, pixels_of

sys.path.insert(0, str(Path(__file__).resolve().parent / "logos"))
from draw import dcnf_logo, encoded, other_logos, recoloured, variants

ROOT = Path(__file__).resolve().parent.parent
MAX_DISTANCE = 10  # the logo check's default
STORY = "".join(
    f"<p>China and Iran agreed to strengthen military ties, paragraph {n}, officials said on"
    " Wednesday in Tehran after talks.</p>"
    for n in range(8)
)


def _page(head_image: str, style: str = "") -> str:
    return (
        f"<html><head><title>China Buddies Up</title><style>{style}</style></head><body>"
        f"<article><h1>China Buddies Up To Major American Foe</h1>{head_image}"
        "<p class='byline'>By Philip Lenczycki, Daily Caller News Foundation</p>"
        f"{STORY}<p>Content created by the Daily Caller News Foundation is available without"
        " charge to any eligible news publisher.</p></article></body></html>"
    )


@pytest.fixture
def pixel_rules(tmp_path):
    """The DCNF rule set with a reference logo (the stand-in drawn by tests/logos/draw.py)."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "dcnf-logo.png").write_bytes(encoded(dcnf_logo()))
    text = (ROOT / "rules" / "dcnf.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    clause: All republished articles must include our logo.\n",
        "    clause: All republished articles must include our logo.\n"
        "    images: [dcnf-logo.png]\n",
        1,
    )
    assert "images: [dcnf-logo.png]" in text
    (folder / "dcnf.yaml").write_text(text, encoding="utf-8")
    return folder / "dcnf.yaml"


def test_every_variant_of_the_logo_is_found_and_no_other_logo_is():
    reference = pixels_of(encoded(dcnf_logo()))
    assert not isinstance(reference, str)
    shapes = {**variants(dcnf_logo()), "recoloured": encoded(recoloured(dcnf_logo()))}
    for name, data in shapes.items():
        seen = pixels_of(data)
        assert not isinstance(seen, str), name
        assert closeness(seen, [reference]) <= MAX_DISTANCE - 2, name
    for name, picture in other_logos().items():
        for variant, data in {"as drawn": encoded(picture), **variants(picture)}.items():
            seen = pixels_of(data)
            assert not isinstance(seen, str)
            assert closeness(seen, [reference]) > MAX_DISTANCE + 6, (name, variant)


def _logo(runner, page: Path, rules: Path, *extra: str) -> dict:
    done = runner.invoke(app, ["check", str(page), "--rules", str(rules), "--format", "json",
                               "--page-timeout", "0", *extra])  # fmt: skip
    assert done.exit_code in (0, 1), done.output
    findings = json.loads(done.output)["results"][0]["findings"]
    return next(f for f in findings if f["check"] == "logo")


def test_a_rehosted_unlabelled_logo_is_found_by_its_pixels(runner, tmp_path, pixel_rules):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "12345.png").write_bytes(variants(dcnf_logo())["padded-jpeg"])
    page = tmp_path / "copy.html"
    page.write_text(_page('<img src="img/12345.png" alt="">'), encoding="utf-8")
    logo = _logo(runner, page, pixel_rules)
    assert logo["passed"] and logo["judged"], logo
    assert re.search(r"image img/12345\.png matches the .* logo \(distance \d\)", logo["message"])


def test_an_unlabelled_image_that_cannot_be_compared_is_not_judged(runner, tmp_path):
    # The bundled DCNF rule set ships no reference logo: an unlabelled image at the
    # article's head could be the logo, so the tool does not say there is none.
    page = tmp_path / "copy.html"
    page.write_text(_page('<img src="img/12345.png" alt="">'), encoding="utf-8")
    logo = _logo(runner, page, ROOT / "rules" / "dcnf.yaml")
    assert logo["judged"] is False and logo["passed"]
    assert "img/12345.png (the rule set has no reference logo)" in logo["message"]


def test_a_photo_with_its_own_caption_is_no_logo(runner, tmp_path, pixel_rules):
    page = tmp_path / "copy.html"
    page.write_text(_page('<img src="raisi.jpg" alt="Iran\'s president meets China\'s'
                          ' defence minister in Tehran">'), encoding="utf-8")  # fmt: skip
    logo = _logo(runner, page, pixel_rules)
    assert logo["judged"] and not logo["passed"]
    assert logo["message"].startswith("no Daily Caller News Foundation logo on the page")


@pytest.mark.parametrize(
    ("markup", "style"),
    [
        ('<img src="dcnf-logo.png" alt="DCNF">', ""),
        ('<img srcset="/a/dcnf-logo-300.webp 300w, /a/dcnf-logo-600.webp 600w" alt="">', ""),
        ('<picture><source srcset="/media/dcnf-logo.webp" type="image/webp">'
         '<img src="/media/7781.jpg" alt=""></picture>', ""),
        ('<div style="background-image: url(/media/dcnf-logo.png); width: 300px"></div>', ""),
        # An anti-flicker snippet hides the whole page until its scripts run: not hidden.
        ('<img src="dcnf-logo.png" alt="DCNF logo">', "body { visibility: hidden }"),
        ('<img src="dcnf-logo.png" alt="DCNF logo">', "html { display: none }"),
    ],
)  # fmt: skip
def test_a_logo_by_name_any_source_or_background_passes(runner, tmp_path, markup, style):
    page = tmp_path / "copy.html"
    page.write_text(_page(markup, style), encoding="utf-8")
    logo = _logo(runner, page, ROOT / "rules" / "dcnf.yaml")
    assert logo["passed"] and logo["judged"], logo["message"]


@pytest.mark.parametrize(
    ("markup", "style", "hidden_by"),
    [
        ('<img src="dcnf-logo.png" alt="DCNF logo" style="opacity:0">', "", "opacity: 0"),
        ('<img src="dcnf-logo.png" alt="DCNF logo" width="1" height="1">', "", "1x1 pixels"),
        ('<img src="dcnf-logo.png" alt="DCNF logo" class="screen-reader-text">', "",
         "screen-reader-text"),
        ('<img src="dcnf-logo.png" alt="DCNF logo" class="x">', ".x{display:none}",
         "the page's style rule '.x { display: none }'"),
        ('<div id="brand"><img src="dcnf-logo.png" alt="DCNF logo"></div>',
         "#brand { position: absolute; left: -9999px }", "left: -9999px"),
        ('<img src="dcnf-logo.png" alt="DCNF logo" style="width: 2px">', "", "width: 2px"),
    ],
)  # fmt: skip
def test_a_hidden_logo_is_reported_hidden_with_what_hides_it(
    runner, tmp_path, markup, style, hidden_by
):
    page = tmp_path / "copy.html"
    page.write_text(_page(markup, style), encoding="utf-8")
    logo = _logo(runner, page, ROOT / "rules" / "dcnf.yaml")
    assert not logo["passed"] and logo["judged"]
    assert "logo is on the page but hidden from readers" in logo["message"]
    assert hidden_by in logo["message"], logo["message"]


def test_a_logo_hidden_by_its_pixel_size_is_hidden(runner, tmp_path, pixel_rules):
    (tmp_path / "tiny.png").write_bytes(encoded(dcnf_logo(400).resize((2, 1))))
    page = tmp_path / "copy.html"
    page.write_text(_page('<img src="tiny.png" alt="">'), encoding="utf-8")
    logo = _logo(runner, page, pixel_rules)
    # A 2x1 image cannot be compared (it is all blur), and it is no logo a reader sees.
    assert not (logo["passed"] and logo["judged"]), logo["message"]


def test_remote_images_are_fetched_once_across_pages_and_runs(
    runner, tmp_path, pixel_rules, monkeypatch
):
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    with Site() as site:
        site.pages["/img/12345.png"] = encoded(dcnf_logo())
        site.types["/img/12345.png"] = "image/png"
        for n in range(3):
            site.pages[f"/copy-{n}.html"] = _page('<img src="/img/12345.png" alt="">').encode()
        urls = [site.url(f"/copy-{n}.html") for n in range(3)]
        base = ["check", *urls, "--rules", str(pixel_rules), "--format", "json",
                "--page-timeout", "0"]  # fmt: skip
        without = runner.invoke(app, base)
        results = json.loads(without.output)["results"]
        logos = [next(f for f in r["findings"] if f["check"] == "logo") for r in results]
        assert all(not f["judged"] for f in logos), logos
        assert "--fetch-images reads remote images" in logos[0]["message"]
        assert site.seen("/img/12345.png") == 0
        for _week in range(2):
            done = runner.invoke(app, [*base, "--fetch-images"])
            results = json.loads(done.output)["results"]
            logos = [next(f for f in r["findings"] if f["check"] == "logo") for r in results]
            assert all(f["passed"] and f["judged"] for f in logos), logos
        assert site.seen("/img/12345.png") == 1


def test_logo_hash_prints_the_hash_a_rule_file_takes(runner, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(encoded(dcnf_logo()))
    done = runner.invoke(app, ["rules", "logo-hash", str(logo)])
    assert done.exit_code == 0
    printed = done.output.split()[0]
    reference = pixels_of(encoded(dcnf_logo()))
    assert not isinstance(reference, str) and int(printed, 16) == reference.hash
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    done = runner.invoke(app, ["rules", "logo-hash", str(broken)])
    assert done.exit_code == 2 and "not an image format" in done.output


def test_the_audit_fetches_each_image_once_across_pages_and_weeks(
    runner, tmp_path, pixel_rules, monkeypatch
):
    monkeypatch.setenv("COMPLIANCE_CACHE_DIR", str(tmp_path / "cache"))
    with Site(robots=None) as site:
        site.pages["/img/12345.png"] = encoded(dcnf_logo())
        site.types["/img/12345.png"] = "image/png"
        urls = tmp_path / "urls.txt"
        for n in range(4):
            site.pages[f"/copy-{n}.html"] = _page('<img src="/img/12345.png" alt="">').encode()
        urls.write_text("\n".join(site.url(f"/copy-{n}.html") for n in range(4)))
        db = tmp_path / "audit.sqlite"
        for week in range(2):
            if week:
                for n in range(4):  # the pages changed, the logo did not
                    site.pages[f"/copy-{n}.html"] += b"<!-- week two -->"
            done = runner.invoke(app, ["audit", str(urls), "--rules", str(pixel_rules), "--db",
                                       str(db), "--allow-private", "--delay", "0", "--quiet",
                                       "--jobs", "1"])  # fmt: skip
            assert done.exit_code in (0, 1), done.output
            report = runner.invoke(app, ["report", "--db", str(db), "--format", "json"])
            pages = json.loads(report.output)["pages"]
            assert all("logo" not in p["failed_checks"] for p in pages), pages
        import sqlite3

        with sqlite3.connect(db) as store:
            said = [row[0] for row in store.execute(
                "SELECT message FROM findings WHERE check_type = 'logo'")]  # fmt: skip
        assert len(said) == 8 and all("matches the" in m for m in said), said
        assert site.seen("/img/12345.png") == 1


def test_an_svg_reference_finds_the_logo_inline_and_as_a_rendered_file(runner, tmp_path):
    from draw import DCNF_SVG

    from compliance.read.pixels import rasterised

    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "dcnf-logo.svg").write_text(DCNF_SVG, encoding="utf-8")
    text = (
        (ROOT / "rules" / "dcnf.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "    clause: All republished articles must include our logo.\n",
            "    clause: All republished articles must include our logo.\n"
            "    images: [dcnf-logo.svg]\n",
            1,
        )
    )
    (folder / "dcnf.yaml").write_text(text, encoding="utf-8")
    small = DCNF_SVG.replace('width="400" height="160"', 'width="200" height="80"', 1)
    rendered = rasterised(small.encode())
    assert isinstance(rendered, bytes)
    (tmp_path / "9.png").write_bytes(rendered)
    for markup in (small, '<img src="9.png" alt="">'):
        page = tmp_path / "copy.html"
        page.write_text(_page(markup), encoding="utf-8")
        logo = _logo(runner, page, folder / "dcnf.yaml")
        assert logo["passed"] and logo["judged"], logo["message"]
        assert "matches the Daily Caller News Foundation logo" in logo["message"]
