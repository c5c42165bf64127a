"""Byline accuracy on the Readability test pages (../shared/corpus/readability-test-pages).

Two truths, reported side by side:

- Readability's: the 64 pages whose `expected-metadata.json` pins a byline. The pin is read
  as written (its first line, "By"/"Par" and asides in parentheses removed); pins that name
  no person (an organisation, a date, an account: `not_a_person` in byline-labels.json) are
  right when nothing is listed.
- Hand-checked: Readability's truth with the corrections in `byline-labels.json`, each read
  from the page, where the pin is missing, not a byline, or someone else's byline.

For each: the first name `inspect` lists under `bylines` is the expected person (first
right), the names listed per page, and on pages crediting no person, how often one is named.

Run: python benchmarks/bylines.py [--corpus DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from compliance.model import Page
from compliance.read.extract import extract
from compliance.read.names import name_score

_HERE = Path(__file__).resolve().parent
_DEFAULT = _HERE.parents[1] / "shared/corpus/readability-test-pages"
_LABELS = json.loads((_HERE / "byline-labels.json").read_text(encoding="utf-8"))


def _pinned_people(page: str, pin: str) -> list[str]:
    """The people Readability's pin names, read as written."""
    if page in _LABELS["not_a_person"]:
        return []
    first = re.sub(r"^\s*(?:by|par)\s+", "", pin, flags=re.IGNORECASE).strip().splitlines()[0]
    first = re.sub(r"\([^)]*\)", " ", first)
    first = re.split(r"\d", first)[0]  # "Lucas Nolan22 Dec 2016"
    return [p.strip() for p in re.split(r",|\band\b", first) if p.strip()]


def _right(expected: list[str], found: list[str]) -> bool:
    if not expected:
        return not found
    return bool(found) and any(name_score(e, found[0]) >= 85 for e in expected)


def measure(corpus: Path, verbose: bool = False) -> dict[str, str]:
    """The byline figures over every page folder of `corpus`."""
    pinned = pinned_right = pinned_listed = 0
    checked = checked_right = checked_listed = nobody = nobody_named = 0
    misses: list[str] = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        found = [b.name for b in extract(Page(str(folder), "html", html)).bylines]
        pin = meta.get("byline")
        if pin:
            pinned += 1
            pinned_listed += len(found)
            pinned_right += _right(_pinned_people(folder.name, pin), found)
        correction = _LABELS["corrections"].get(folder.name)
        if correction is not None:
            truth = correction["people"]
        elif pin:
            truth = _pinned_people(folder.name, pin)
        else:
            continue
        checked += 1
        checked_listed += len(found)
        right = _right(truth, found)
        checked_right += right
        if not truth:
            nobody += 1
            nobody_named += bool(found)
        if not right:
            misses.append(f"{folder.name}: expected {truth or 'no person'}, got {found}")
    if verbose:
        print("\n".join(misses), file=sys.stderr)
    return {
        "Readability's pins: first byline right": f"{pinned_right}/{pinned}",
        "Readability's pins: names listed per page": f"{pinned_listed / max(pinned, 1):.2f}",
        "hand-checked: first byline right": f"{checked_right}/{checked}",
        "hand-checked: names listed per page": f"{checked_listed / max(checked, 1):.2f}",
        "pages crediting no person given one": f"{nobody_named}/{nobody}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=_DEFAULT)
    parser.add_argument("--verbose", action="store_true", help="list every miss on stderr")
    args = parser.parse_args()
    for key, value in measure(args.corpus, args.verbose).items():
        print(f"{key:>44}: {value}")


if __name__ == "__main__":
    main()
