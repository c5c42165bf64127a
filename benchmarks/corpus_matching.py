"""Matching real pages against an archive that holds half of their texts.

The 181 pages of the article-extraction benchmark (../shared/corpus) are split in two halves
(alternate ids, so sibling pages of one website fall on both sides). The archive holds the
hand-annotated article texts of one half, without their URLs, so only the text can match;
every page of both halves is then matched against it, and the halves are swapped.

A page whose text is in the archive (100+ words) must be matched to it; a page whose text is
not must match nothing: site boilerplate a sibling shares (newsletter plugs, event boxes,
"leave a comment") is no evidence of a copy.

Three archives of the same pages (`--archive`):
- `texts`: the annotated article texts, a paragraph a line;
- `merged`: the same texts exported without paragraph breaks, as at most two huge
  paragraphs (paragraph alignment pairs nothing; alignment by sentences must find them);
- `visible`: each page's whole visible text, a block a paragraph, menus, cookie notices
  and footers included (a sibling page's boilerplate is in the archive as its "story").

Run: python benchmarks/corpus_matching.py [--archive texts|merged|visible|all] [--verbose]
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
from compliance.model import Article, Page
from compliance.read.extract import extract

CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/article-extraction-benchmark"
ARCHIVES = ("texts", "merged", "visible")


def _body(kind: str, text: str, page: Article) -> str:
    lines = [line for line in text.split("\n") if line.strip()]
    if kind == "merged":
        half = (len(lines) + 1) // 2
        return " ".join(lines[:half]) + "\n\n" + " ".join(lines[half:])
    if kind == "visible":
        return "\n\n".join(b.text for b in page.blocks)
    return "\n\n".join(lines)


def _archive(folder: Path, ids: list[str], truth: dict, kind: str, pages: dict) -> Matcher:
    path = folder / "archive.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for page_id in ids:
            text = truth[page_id]["articleBody"]
            title = text.strip().split("\n")[0][:80]
            body = _body(kind, text, pages[page_id])
            out.write(json.dumps({"id": page_id, "title": title, "body": body}) + "\n")
    return Matcher(open_index([path], folder / "index").index)


def read_pages(corpus: Path) -> tuple[dict, dict[str, Article]]:
    """The ground truth and every page, read once."""
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
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
        for page_id in sorted(truth)
    }
    return truth, pages


def measure(truth: dict, pages: dict, kind: str, verbose: bool = False) -> dict[str, str]:
    ids = sorted(truth)
    halves = (ids[0::2], ids[1::2])
    found = matched = missed_small = stray = 0
    coverages: list[float] = []
    start = time.perf_counter()
    for archived in halves:
        with tempfile.TemporaryDirectory() as tmp:
            matcher = _archive(Path(tmp), archived, truth, kind, pages)
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
                    if match is not None and got == page_id:
                        coverages.append(match.coverage)
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
        "matched pages whose coverage is under 0.8": str(sum(c < 0.8 for c in coverages)),
        "matching time": f"{time.perf_counter() - start:.1f} s for {2 * len(ids)} pages",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--archive", choices=[*ARCHIVES, "all"], default="all")
    args = parser.parse_args()
    truth, pages = read_pages(args.corpus)
    for kind in ARCHIVES if args.archive == "all" else (args.archive,):
        print(f"archive of {kind}:")
        for key, value in measure(truth, pages, kind, args.verbose).items():
            print(f"{key:>56}: {value}")


if __name__ == "__main__":
    main()
