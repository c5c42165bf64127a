"""Where inputs come from: files, directories, URLs and standard input, loaded as Pages.

This is the only module that reads inputs; everything after it works on decoded text.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from compliance.errors import InputError
from compliance.model import Page
from compliance.read.encoding import decode
from compliance.read.walk import walk_pages

PAGE_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
MAX_INPUT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class InputRef:
    """One input to check, named as the user will see it in the report."""

    label: str
    path: Path | None = None
    url: str | None = None
    stdin: bool = False
    missing: bool = False


def is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def expand_inputs(args: Iterable[str], skipped: list[str] | None = None) -> list[InputRef]:
    """Each argument as one or more inputs: directories are walked for their pages, in
    order (`read.walk`); what a walk leaves out is said in `skipped`, one line a directory."""
    refs: list[InputRef] = []
    for arg in args:
        if arg == "-":
            refs.append(InputRef("-", stdin=True))
        elif is_url(arg):
            refs.append(InputRef(arg, url=arg))
        else:
            path = Path(arg)
            if path.is_dir():
                walk = walk_pages(path, frozenset(PAGE_SUFFIXES))
                refs.extend(InputRef(str(p), path=p) for p in walk.pages)
                summary = walk.summary(arg)
                if summary and skipped is not None:
                    skipped.append(summary)
            else:
                refs.append(InputRef(arg, path=path, missing=not path.exists()))
    return refs


def sniff_kind(text: str) -> str:
    """Guess a document's kind from its text, for inputs with no file name."""
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml", "<!--", "<head", "<meta")) or any(
        tag in head for tag in ("<body", "<p>", "<head>", "<title>", "<div")
    ):
        return "html"
    if head.startswith("---\n") or head.startswith("# "):
        return "markdown"
    return "text"


def _kind_for(path: Path) -> str:
    return PAGE_SUFFIXES.get(path.suffix.lower(), "text")


def _too_large(label: str, size: int) -> str:
    return (
        f"{label}: the input is {size / 1048576:.1f} MiB, over the"
        f" {MAX_INPUT_BYTES // 1048576} MiB limit for one page"
    )


def _check_size(data: bytes, label: str) -> None:
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(_too_large(label, len(data)), "too-large")
    if not data.strip():
        raise InputError(f"{label}: the input is empty")


def _read_file(ref: InputRef) -> Page:
    assert ref.path is not None
    if ref.missing:
        raise InputError(f"{ref.label}: no such file or directory")
    try:
        size = ref.path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(_too_large(ref.label, size), "too-large")
        data = ref.path.read_bytes()
    except OSError as exc:
        raise InputError(f"{ref.label}: cannot read it: {exc.strerror or exc}") from None
    return page_from_bytes(ref.label, data, _kind_for(ref.path))


def _read_stdin(ref: InputRef, data: bytes | None) -> Page:
    if data is None:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    return page_from_bytes(ref.label, data, where="standard input")


def kind_of_type(content_type: str) -> str | None:
    """The document kind an HTTP content type announces, or None to sniff it."""
    if "html" in content_type:
        return "html"
    if "markdown" in content_type:
        return "markdown"
    if content_type.startswith("text/plain"):
        return "text"
    return None


def page_from_bytes(
    label: str,
    data: bytes,
    kind: str | None = None,
    declared: str | None = None,
    url: str | None = None,
    where: str | None = None,
) -> Page:
    """A Page from raw bytes; InputError (naming `where`, else `label`) when they are empty,
    too large or not text."""
    _check_size(data, where or label)
    text, encoding = decode(data, where or label, declared=declared)
    return Page(label, kind or sniff_kind(text), text, encoding, url=url)


def _fetch(ref: InputRef) -> Page:
    from compliance.web.fetch import Fetcher, FetchPolicy  # HTTP only for URL inputs

    assert ref.url is not None
    # The user named this URL: no robots.txt, and their own host is theirs to check.
    # Its deadline sits inside the page budget (15 s by default), so that a server that
    # stalls is reported as such, not as a page that took too long to check.
    policy = FetchPolicy.for_named(ref.url, max_bytes=MAX_INPUT_BYTES, attempts=1, deadline=10.0)
    with Fetcher(policy, connections=1) as fetcher:
        got = fetcher.fetch(ref.url)
    if not got.ok or got.body is None:
        error = (got.error or "no page").replace(" MiB limit", " MiB limit for one page")
        raise InputError(f"{ref.label}: could not fetch it: {error}", "fetch-failed")
    return page_from_bytes(
        ref.label, got.body, kind_of_type(got.content_type), got.charset, got.final_url
    )


def load_page(ref: InputRef, stdin_data: bytes | None = None) -> Page:
    """Read one input. Raises InputError, naming the input, when it cannot be read."""
    if ref.stdin:
        return _read_stdin(ref, stdin_data)
    if ref.url:
        return _fetch(ref)
    return _read_file(ref)
