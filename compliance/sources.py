"""Where inputs come from: files, directories, URLs and standard input, loaded as Pages.

This is the only module that reads inputs; everything after it works on decoded text.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from compliance import __version__
from compliance.encoding import decode
from compliance.errors import InputError
from compliance.model import Page

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
FETCH_TIMEOUT_SECONDS = 20.0
USER_AGENT = f"compliance/{__version__} (syndication licensing checker)"


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


def expand_inputs(args: Iterable[str]) -> list[InputRef]:
    """Each argument as one or more inputs: directories are searched recursively, in order."""
    refs: list[InputRef] = []
    for arg in args:
        if arg == "-":
            refs.append(InputRef("-", stdin=True))
        elif is_url(arg):
            refs.append(InputRef(arg, url=arg))
        else:
            path = Path(arg)
            if path.is_dir():
                found = sorted(
                    p for p in path.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file()
                )
                refs.extend(InputRef(str(p), path=p) for p in found)
            else:
                refs.append(InputRef(arg, path=path, missing=not path.exists()))
    return refs


def sniff_kind(text: str) -> str:
    """Guess a document's kind from its text, for inputs with no file name."""
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head:
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
        raise InputError(_too_large(label, len(data)))
    if not data.strip():
        raise InputError(f"{label}: the input is empty")


def _read_file(ref: InputRef) -> Page:
    assert ref.path is not None
    if ref.missing:
        raise InputError(f"{ref.label}: no such file or directory")
    try:
        size = ref.path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(_too_large(ref.label, size))
        data = ref.path.read_bytes()
    except OSError as exc:
        raise InputError(f"{ref.label}: cannot read it: {exc.strerror or exc}") from None
    _check_size(data, ref.label)
    text, encoding = decode(data, ref.label)
    kind = _kind_for(ref.path)
    return Page(ref.label, kind, text, encoding)


def _read_stdin(ref: InputRef, data: bytes | None) -> Page:
    if data is None:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    _check_size(data, "standard input")
    text, encoding = decode(data, "standard input")
    return Page(ref.label, sniff_kind(text), text, encoding)


def _fetch(ref: InputRef) -> Page:
    import httpx  # imported here: most runs check local files and need no HTTP client

    assert ref.url is not None
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=5,
                timeout=FETCH_TIMEOUT_SECONDS,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", ref.url) as response,
        ):
            if response.status_code >= 400:
                raise InputError(f"{ref.label}: the server answered HTTP {response.status_code}")
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > MAX_INPUT_BYTES:
                    raise InputError(_too_large(ref.label, total))
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            final_url = str(response.url)
            charset = response.charset_encoding
    except httpx.HTTPError as exc:
        raise InputError(f"{ref.label}: could not fetch it: {exc}") from None
    data = b"".join(chunks)
    _check_size(data, ref.label)
    text, encoding = decode(data, ref.label, declared=charset)
    if "html" in content_type:
        kind = "html"
    elif "markdown" in content_type:
        kind = "markdown"
    elif content_type.startswith("text/plain"):
        kind = "text"
    else:
        kind = sniff_kind(text)
    return Page(ref.label, kind, text, encoding, url=final_url)


def load_page(ref: InputRef, stdin_data: bytes | None = None) -> Page:
    """Read one input. Raises InputError, naming the input, when it cannot be read."""
    if ref.stdin:
        return _read_stdin(ref, stdin_data)
    if ref.url:
        return _fetch(ref)
    return _read_file(ref)
