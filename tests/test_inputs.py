"""Reading inputs: encodings, Markdown, URLs and bad input that must never crash the run."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.cli.main import app
from compliance.errors import InputError
from compliance.model import Page
from compliance.read.extract import extract
from compliance.read.sources import InputRef, expand_inputs, load_page
from conftest import EXAMPLES

COMPLIANT = (EXAMPLES / "copies" / "compliant.html").read_text(encoding="utf-8")
NO_LOGO = re.sub(r"<img[^>]*dcnf-logo[^>]*>", "", COMPLIANT)


def _article(path):
    return extract(load_page(expand_inputs([str(path)])[0]))


def _check_json(runner, *args):
    result = runner.invoke(app, ["check", *map(str, args), "--format", "json"])
    return result, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.html", b"", "the input is empty"),
        ("blank.txt", b"  \n\n ", "the input is empty"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file"),
        ("nul.txt", b"abc\x00def" * 100, "binary file"),
        (
            "deep.html",
            b"<html><body>"
            + b"<div>" * 3000
            + b"By Jane Doe"
            + b"</div>" * 3000
            + b"</body></html>",
            "too deeply nested",
        ),
        ("front.md", b"---\ntitle: [unclosed\n---\nText\n", "invalid front matter"),
    ],
)
def test_bad_input_is_an_error_result_and_the_rest_is_checked(
    runner, tmp_path, name, content, message
):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.html"
    good.write_text(COMPLIANT, encoding="utf-8")
    result, report = _check_json(runner, bad, good)
    assert result.exit_code == 2
    first, second = report["results"]
    assert first["status"] == "error"
    assert message in first["error"]
    assert first["error"].startswith(str(bad))
    assert second["status"] == "pass"
    assert "Traceback" not in result.output


def test_huge_input_is_refused_without_reading_it_all(runner, tmp_path):
    big = tmp_path / "big.html"
    with big.open("wb") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse: the size is real, nothing is written
    result, report = _check_json(runner, big)
    assert result.exit_code == 2
    assert (
        report["results"][0]["error"]
        == f"{big}: the input is 25.0 MiB, over the 20 MiB limit for one page"
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_reencoded_page_reads_the_same(tmp_path, encoding):
    page = COMPLIANT.replace('<meta charset="utf-8">', f'<meta charset="{encoding}">')
    page = page.replace("China’s", "China’s")  # keeps a character outside ASCII in the page
    path = tmp_path / f"page-{encoding}.html"
    path.write_bytes(page.encode(encoding))
    article = _article(path)
    reference = _article(EXAMPLES / "copies" / "compliant.html")
    assert article.title == reference.title
    assert [b.name for b in article.bylines] == ["Philip Lenczycki"]
    assert article.paragraphs == reference.paragraphs


def test_misdeclared_encoding_falls_back_to_detection(tmp_path):
    path = tmp_path / "wrong.html"
    path.write_bytes(
        '<meta charset="utf-8"><p>By José Núñez</p><p>Café society</p>'.encode("cp1252")
    )
    article = _article(path)
    assert any("Caf" in b.text for b in article.blocks)


def test_markdown_findings_point_at_markdown_lines(tmp_path):
    path = tmp_path / "copy.md"
    path.write_text(
        "---\ntitle: A story\n---\n\nIntro paragraph here.\n\n![Daily Caller News Foundation logo](/img/dcnf-logo.png)\n\nBy Jane Doe\n",
        encoding="utf-8",
    )
    article = _article(path)
    assert article.images[0].location.line == 7
    assert article.bylines[0].name == "Jane Doe"
    assert article.bylines[0].location.line == 9


def test_markdown_keeps_embedded_html(tmp_path):
    path = tmp_path / "copy.md"
    path.write_text(
        'Text.\n\n<img src="/x.png" alt="Daily Caller News Foundation logo">\n', encoding="utf-8"
    )
    assert _article(path).images[0].alt == "Daily Caller News Foundation logo"


def test_directory_expansion_finds_only_pages(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("a/one.html", "two.md", "three.txt", "skip.png", "four.htm", "a/five.markdown"):
        (tmp_path / name).write_text("x")
    labels = [ref.label for ref in expand_inputs([str(tmp_path)])]
    assert [label.removeprefix(str(tmp_path) + "/") for label in labels] == [
        "a/five.markdown",
        "a/one.html",
        "four.htm",
        "three.txt",
        "two.md",
    ]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes = {
            "/copy": (200, "text/html; charset=utf-8", COMPLIANT.encode()),
            "/nologo": (200, "text/html; charset=utf-8", NO_LOGO.encode()),
            "/moved": (301, "text/html", b""),
            "/missing": (404, "text/html", b"not here"),
        }
        status, kind, body = routes.get(self.path, (404, "text/plain", b""))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if status == 301:
            self.send_header("Location", "/copy")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_input_is_fetched_and_checked(runner, server):
    result, report = _check_json(runner, f"{server}/moved", f"{server}/missing")
    assert result.exit_code == 2
    fetched, missing = report["results"]
    assert fetched["input"] == f"{server}/moved"
    assert fetched["status"] == "pass"
    assert missing["status"] == "error"
    assert "HTTP 404" in missing["error"]


def test_fetched_page_records_its_final_url(server):
    page = load_page(InputRef(f"{server}/moved", url=f"{server}/moved"))
    assert page.url == f"{server}/copy"
    assert page.kind == "html"


def test_unreachable_url_is_an_error(runner):
    result, report = _check_json(runner, "http://127.0.0.1:9/nothing")
    assert result.exit_code == 2
    assert "could not fetch it" in report["results"][0]["error"]


_TAGS = [
    "p",
    "div",
    "span",
    "a",
    "img",
    "br",
    "svg",
    "title",
    "script",
    "article",
    "h1",
    "li",
    "meta",
]
_fragment = st.one_of(
    st.sampled_from([f"<{t}>" for t in _TAGS] + [f"</{t}>" for t in _TAGS]),
    st.sampled_from(
        [
            '<img alt="Daily Caller News Foundation logo">',
            '<p class="byline">By ',
            "<!--",
            "-->",
            "<![CDATA[",
            "&#xD800;",
            "\ufeff",
            '<meta charset="utf-16">',
            "</html>",
            "\x00",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_fragment, max_size=40), st.sampled_from(["html", "markdown", "text"]))
def test_any_markup_is_read_or_refused_cleanly(fragments, kind):
    page = Page("fuzz", kind, "".join(fragments))
    try:
        article = extract(page)
    except InputError as exc:
        assert exc.message.startswith("fuzz")
        return
    assert all(block.text.strip() for block in article.blocks)
    assert all(b.name for b in article.byline_candidates)


def test_sarif_for_a_url_input_validates(runner, server):
    import jsonschema

    from conftest import SHARED

    schema_file = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_file.exists():
        pytest.skip("the SARIF schema is not available")
    page = f"{server}/nologo"
    result = runner.invoke(app, ["check", page, "--format", "sarif", "--no-config"])
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(schema_file.read_text(encoding="utf-8")))
    assert result.exit_code == 1
    [finding] = log["runs"][0]["results"]
    assert finding["ruleId"] == "dcnf.logo"
    assert finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == page


@pytest.mark.parametrize(
    ("markdown", "src", "alt"),
    [
        ('{{< figure src="/i/logo.png" alt="The logo" >}}', "/i/logo.png", "The logo"),
        ("{{% img src='/i/logo.png' alt='The logo' %}}", "/i/logo.png", "The logo"),
        ('{{< img "/i/logo.png" "The logo" >}}', "/i/logo.png", "The logo"),
        (
            '{% include figure.html image_path="/i/logo.png" alt="The logo" %}',
            "/i/logo.png",
            "The logo",
        ),
        ('{% include image.html url="/i/logo.png" alt="The logo" %}', "/i/logo.png", "The logo"),
        ("{% picture jpt-webp /i/logo.png --alt The logo %}", "/i/logo.png", "The logo"),
        ("![The logo]({{ site.baseurl }}/i/logo.png)", "/i/logo.png", "The logo"),
        ('![The logo]({{ "/i/logo.png" | relative_url }})', "/i/logo.png", "The logo"),
    ],
)
def test_site_generator_image_tags_are_images(markdown, src, alt):
    page = Page("copy.md", "markdown", f"Some text first.\n\n{markdown}\n")
    images = extract(page).images
    assert [(i.src, i.alt) for i in images] == [(src, alt)]


def test_image_tags_in_code_blocks_and_other_tags_stay_text():
    from compliance.read.shortcodes import expand_image_tags

    text = '```\n{{< figure src="/a.png" >}}\n```\n{{< youtube abc >}}\n{% include nav.html %}\n'
    assert expand_image_tags(text) == text


@given(st.text(alphabet=st.sampled_from(list('{}<>%"= \n/figure.pngsrcalt-')), max_size=120))
def test_expanding_image_tags_keeps_every_line_where_it_was(text):
    from compliance.read.shortcodes import expand_image_tags

    expanded = expand_image_tags(text)
    assert expanded.count("\n") == text.count("\n")
    assert "\n\n" not in expanded or "\n\n" in text  # no blank line made: paragraphs stay
