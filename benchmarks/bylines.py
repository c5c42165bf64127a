"""Byline accuracy on the Readability test pages (../shared/corpus/readability-test-pages)
and on 155 hand-labelled pages of Zyte's benchmark (byline-labels-zyte.json); peers on
the same pages and metric: bylines_peers.py.

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
import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from compliance.model import Page
from compliance.read.extract import extract
from compliance.read.names import name_score

_HERE = Path(__file__).resolve().parent
_DEFAULT = _HERE.parents[1] / "shared/corpus/readability-test-pages"
_LABELS = json.loads((_HERE / "byline-labels.json").read_text(encoding="utf-8"))
_ZYTE = _HERE.parents[1] / "shared/corpus/article-extraction-benchmark"
_ZYTE_LABELS = json.loads((_HERE / "byline-labels-zyte.json").read_text(encoding="utf-8"))["pages"]


def _pinned_people(page: str, pin: str) -> list[str]:
    """The people Readability's pin names, read as written."""
    if page in _LABELS["not_a_person"]:
        return []
    first = re.sub(r"^\s*(?:by|par)\s+", "", pin, flags=re.IGNORECASE).strip().splitlines()[0]
    first = re.sub(r"\([^)]*\)", " ", first)
    first = re.split(r"\d", first)[0]  # "Lucas Nolan22 Dec 2016"
    return [p.strip() for p in re.split(r",|\band\b", first) if p.strip()]


def right(expected: list[str], found: list[str]) -> bool:
    """The first name listed is one of the credited people; with none credited, no one listed."""
    if not expected:
        return not found
    return bool(found) and any(name_score(e, found[0]) >= 85 for e in expected)


def hand_checked(corpus: Path) -> dict[str, list[str]]:
    """Per page folder: the people it credits (Readability's pin with the hand corrections);
    pages with neither are left out."""
    truths: dict[str, list[str]] = {}
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        correction = _LABELS["corrections"].get(folder.name)
        if correction is not None:
            truths[folder.name] = correction["people"]
        elif meta.get("byline"):
            truths[folder.name] = _pinned_people(folder.name, meta["byline"])
    return truths


def measure(corpus: Path, verbose: bool = False) -> dict[str, str]:
    """The byline figures over every page folder of `corpus`."""
    pinned = pinned_right = pinned_listed = 0
    checked = checked_right = checked_listed = nobody = nobody_named = 0
    misses: list[str] = []
    truths = hand_checked(corpus)
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        found = [b.name for b in extract(Page(str(folder), "html", html)).bylines]
        pin = meta.get("byline")
        if pin:
            pinned += 1
            pinned_listed += len(found)
            pinned_right += right(_pinned_people(folder.name, pin), found)
        if folder.name not in truths:
            continue
        truth = truths[folder.name]
        checked += 1
        checked_listed += len(found)
        is_right = right(truth, found)
        checked_right += is_right
        if not truth:
            nobody += 1
            nobody_named += bool(found)
        if not is_right:
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


def zyte_pages(corpus: Path) -> Iterator[tuple[str, str, str, list[str]]]:
    """(page id, html, url, the people it credits) for the hand-labelled Zyte pages."""
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id, label in sorted(_ZYTE_LABELS.items()):
        with gzip.open(corpus / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as handle:
            yield page_id, handle.read(), truth[page_id]["url"], label["people"]


def measure_zyte(corpus: Path, verbose: bool = False) -> dict[str, str]:
    """The same metric on the hand-labelled pages of Zyte's benchmark."""
    person = person_right = nobody = nobody_right = 0
    for page_id, html, url, expected in zyte_pages(corpus):
        found = [b.name for b in extract(Page(url, "html", html, url=url)).bylines]
        is_right = right(expected, found)
        if expected:
            person, person_right = person + 1, person_right + is_right
        else:
            nobody, nobody_right = nobody + 1, nobody_right + is_right
        if verbose and not is_right:
            print(f"{page_id}: expected {expected or 'no person'}, got {found}", file=sys.stderr)
    return {
        "Zyte, hand labels: first byline right": f"{person_right}/{person}",
        "Zyte, hand labels: no person, no one listed": f"{nobody_right}/{nobody}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=_DEFAULT)
    parser.add_argument("--verbose", action="store_true", help="list every miss on stderr")
    args = parser.parse_args()
    figures = measure(args.corpus, args.verbose)
    if (_ZYTE / "ground-truth.json").exists():
        figures |= measure_zyte(_ZYTE, args.verbose)
    for key, value in figures.items():
        print(f"{key:>44}: {value}")


if __name__ == "__main__":
    main()
