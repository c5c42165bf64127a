"""Plain text as people send it: lines, and the paragraphs they were wrapped from.

E-mail newsletters and plain-text feeds hard-wrap paragraphs at 60-80 columns, quote them
with "> ", end with a signature after "-- ", and may carry CRLF line ends or form feeds.
None of that is an edit: a verbatim copy so sent reads as the original's paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_QUOTE = re.compile(r"^(?:[ \t]*>)+[ \t]?")
_SIGNATURE = re.compile(r"^--[ \t]?$")
_TERMINAL = (".", "!", "?", '"', "”", "’", ":", ")")

# A group of lines is hard-wrapped when its longest line is within these columns, and a
# wrapped line is at least this share of the longest (the last line of a paragraph is not).
WRAP_MIN, WRAP_MAX = 50, 100
WRAPPED_SHARE = 0.75


@dataclass(frozen=True)
class Line:
    """One non-blank line: its 1-based number in the file and its text, unquoted."""

    number: int
    text: str
    signature: bool = False  # after the "-- " signature separator


def read_lines(text: str) -> tuple[list[Line], list[list[Line]]]:
    """The file's non-blank lines, and its groups of consecutive lines (blank lines, form
    feeds and the signature separator end a group)."""
    lines: list[Line] = []
    groups: list[list[Line]] = [[]]
    in_signature = False
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if "\f" in raw:
            groups.append([])
            raw = raw.replace("\f", " ")
        unquoted = _QUOTE.sub("", raw)
        if _SIGNATURE.match(unquoted.rstrip(" \t")) and raw.strip():
            in_signature = True
            groups.append([])
            continue
        stripped = " ".join(unquoted.split())
        if not stripped:
            groups.append([])
            continue
        line = Line(number, stripped, in_signature)
        lines.append(line)
        groups[-1].append(line)
    return lines, [g for g in groups if g]


def paragraphs(groups: list[list[Line]]) -> tuple[str, ...]:
    """The text's paragraphs: each group's hard-wrapped lines joined, other lines alone;
    the signature left out."""
    found: list[str] = []
    for group in groups:
        if not group[0].signature:
            found.extend(_join_wrapped([line.text for line in group], min_lines=2))
    return tuple(found)


def rejoin_wrapped(texts: Sequence[str], gaps: Sequence[bool] = ()) -> tuple[str, ...]:
    """Paragraphs that a page broke into one element per line (a `<div>` or `<span>` per
    line of a wrapped e-mail), joined again; every other paragraph as it was. `gaps`: for
    each text, whether a blank line stands before it (it starts a paragraph)."""
    found: list[str] = []
    run: list[str] = []
    for i, text in enumerate(texts):
        if len(text) <= WRAP_MAX and not (i < len(gaps) and gaps[i]):
            run.append(text)
            continue
        found.extend(_join_wrapped(run, min_lines=3))
        run = [text] if len(text) <= WRAP_MAX else []
        if not run:
            found.append(text)
    found.extend(_join_wrapped(run, min_lines=3))
    return tuple(found)


def _join_wrapped(lines: list[str], min_lines: int) -> list[str]:
    """A group's lines as paragraphs: joined where they read as wrapped at a fixed width,
    a line shorter than the width ending its paragraph. A group of fewer than `min_lines`
    is left alone (in a page, two lines are as often a headline over a byline)."""
    if len(lines) < min_lines or not _wrapped(lines):
        return list(lines)
    width = max(len(line) for line in lines)
    found: list[str] = []
    current: list[str] = []
    for line in lines:
        current.append(line)
        if len(line) < WRAPPED_SHARE * width:
            found.append(" ".join(current))
            current = []
    if current:
        found.append(" ".join(current))
    return found


def _wrapped(lines: list[str]) -> bool:
    """Whether lines read as paragraphs wrapped at a fixed width: the longest within the
    wrapping columns, and most of them long and ending mid-sentence."""
    if len(lines) < 2:
        return False
    width = max(len(line) for line in lines)
    if not WRAP_MIN <= width <= WRAP_MAX:
        return False
    inner = lines[:-1]
    long_lines = sum(len(line) >= WRAPPED_SHARE * width for line in inner)
    ended = sum(line.endswith(_TERMINAL) for line in inner)
    return long_lines * 2 >= len(inner) and ended * 2 < len(inner)
