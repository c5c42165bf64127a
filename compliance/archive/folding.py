"""Text folded to comparable words: lower case, punctuation and typography gone, as bytes.

Kept apart from the fingerprints (which need numpy) because alignment and the checks use it
on every run, and an editor's one-page check must not pay for importing numpy.
"""

from __future__ import annotations

import unicodedata

# Punctuation outside ASCII that NFKC leaves alone; typed and typographic quotes must agree.
_WIDE_PUNCTUATION = str.maketrans(
    dict.fromkeys(
        "\u00a0\u00ab\u00bb\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201b"
        "\u201c\u201d\u201e\u201f\u2026\u2032\u2033\u2039\u203a\u00b7\u00bf\u00a1",
        " ",
    )
)


def _byte_table() -> bytes:
    table = bytearray(b" " * 256)
    for byte in range(256):
        char = chr(byte)
        if byte >= 0x80:
            table[byte] = byte  # part of a UTF-8 letter: NFKC and casefold already ran
        elif char.isalnum():
            table[byte] = ord(char.lower())
    return bytes(table)


_TABLE = _byte_table()


def fold_bytes(text: str) -> bytes:
    """Lower-case words as UTF-8, punctuation turned into spaces (runs of spaces left)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).casefold().translate(_WIDE_PUNCTUATION)
    return text.encode("utf-8").translate(_TABLE)


def normalize_bytes(text: str) -> bytes:
    """Lower-case words separated by single spaces, as UTF-8; punctuation becomes a space."""
    return b" ".join(fold_bytes(text).split())
