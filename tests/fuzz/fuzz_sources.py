"""Coverage-guided fuzzing of what the audit and the archive sync read from servers: a
sitemap's bytes and a WordPress posts list, with atheris.

Not part of the test suite (it runs until stopped; the suite's hypothesis tests in
tests/test_hostile.py run the same properties briefly). From the repository root:

    pip install atheris
    mkdir -p tests/fuzz/corpus-sources
    python tests/fuzz/fuzz_sources.py -max_total_time=3600 tests/fuzz/corpus-sources

A sitemap must yield pages or say what it could not read; a posts list must give records or
problems. Anything raised is a bug: atheris saves the input, which belongs in a test.
"""

from __future__ import annotations

import contextlib
import json
import sys

import atheris

with atheris.instrument_imports():
    from compliance.archive.sync.wordpress import WordPressSite
    from compliance.errors import InputError
    from compliance.web.fetch import Fetched
    from compliance.web.sitemaps import listed_pages


class NoFetch:
    def fetch(self, url: str, *args: object, **kwargs: object) -> Fetched:
        return Fetched(url, error="not fetched while fuzzing")


SITE = WordPressSite("https://x.example/wp-json/", None, None)  # type: ignore[arg-type]


def one_input(data: bytes) -> None:
    """Half the inputs as a sitemap, half as a posts list (by the first byte)."""
    if not data:
        return
    if data[0] % 2:
        said: list[str] = []
        for _page in listed_pages(data[1:], NoFetch(), said.append, "https://x.example/s.xml"):
            pass
        return
    try:
        posts = json.loads(data[1:])
    except ValueError:
        return
    for post in posts if isinstance(posts, list) else [posts]:
        if isinstance(post, dict):
            with contextlib.suppress(InputError):
                SITE.record(post)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
