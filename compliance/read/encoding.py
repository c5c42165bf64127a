"""Turning an input's bytes into text: BOM first, then the declared charset, then detection."""

from __future__ import annotations

import codecs
import re

from compliance.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_BINARY_SIGNATURES = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
)


def _known(name: str) -> str | None:
    """The codec's name, if `name` is a text encoding Python knows. A page may declare a
    bytes-to-bytes codec ("uu", "zlib", "base64"), which cannot decode text (found by
    fuzzing: tests/regressions/charset-uu.html)."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a `<meta>` tag within its first 4 KiB."""
    found = _META_CHARSET.search(data[:4096])
    return _known(found.group(1).decode("ascii", "replace")) if found else None


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Decode an input's bytes; returns (text, encoding used).

    Raises InputError for content that is not text at all (images, archives, binaries).
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise InputError(f"{source}: this is a binary file, not a page of text")
    for name in (declared, declared_charset(data)):
        encoding = _known(name) if name else None
        if encoding:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break  # the declaration is wrong; fall through to detection
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # needed only for pages that are not UTF-8 and say nothing

    best = charset_normalizer.from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    return data.decode(encoding, errors="replace"), encoding
