"""Matching real pages against an archive that holds half of their texts.

The 181 pages of the article-extraction benchmark (../shared/corpus) are split in two halves
(alternate ids, so sibling pages of one website fall on both sides). The archive holds the
hand-annotated article texts of one half, without their URLs, so only the text can match;
every page of both halves is then matched against it, and the halves are swapped.

A page whose text is in the archive (100+ words) must be matched to it; a page whose text is
not must match nothing: site boilerplate a sibling shares (newsletter plugs, event boxes,
"leave a comment") is no evidence of a copy.

Run: python benchmarks/corpus_matching.py [--verbose]
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

from compliance.archive.index_cache import open_index
from compliance.archive.match import Matcher
from compliance.model import Page
from compliance.read.extract import extract

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/article-extraction-benchmark"


def _archive(folder: Path, ids: list[str], truth: dict) -> Matcher:
    path = folder / "archive.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for page_id in ids:
            body = truth[page_id]["articleBody"]
            title = body.strip().split("\n")[0][:80]
            record = {"id": page_id, "title": title, "body": body.replace("\n", "\n\n")}
            out.write(json.dumps(record) + "\n")
    return Matcher(open_index([path], folder / "index").index)


def measure(corpus: Path, verbose: bool = False) -> dict[str, str]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    halves = (ids[0::2], ids[1::2])
    pages = {
        page_id: extract(
            Page(
                page_id,
                "html",
                gzip.decompress((corpus / "html" / f"{page_id}.html.gz").read_bytes()).decode(
                    "utf-8", "replace"
                ),
            )
        )
        for page_id in ids
    }
    found = matched = missed_small = stray = 0
    start = time.perf_counter()
    for archived in halves:
        with tempfile.TemporaryDirectory() as tmp:
            matcher = _archive(Path(tmp), archived, truth)
            members = set(archived)
            for page_id in ids:
                match = matcher.match(pages[page_id])
                got = match.original.id if match else None
                if page_id in members:
                    if len(truth[page_id]["articleBody"].split()) < 100:
                        missed_small += got != page_id
                        continue
                    found += 1
                    matched += got == page_id
                    if got != page_id and verbose:
                        print(f"missed {page_id[:12]}: got {got and got[:12]}")
                elif got is not None:
                    stray += 1
                    if verbose:
                        print(
                            f"stray {page_id[:12]} -> {got[:12]} coverage {match.coverage:.2f}"
                            f" {match.alignment.summary() if match.alignment else ''}"
                        )
    return {
        "pages in the archive (100+ words) matched to their text": f"{matched}/{found}",
        "pages not in the archive matched to something": f"{stray}/{len(ids)}",
        "short pages in the archive not matched": str(missed_small),
        "matching time": f"{time.perf_counter() - start:.1f} s for {2 * len(ids)} pages",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    for key, value in measure(args.corpus, args.verbose).items():
        print(f"{key:>56}: {value}")


if __name__ == "__main__":
    main()
