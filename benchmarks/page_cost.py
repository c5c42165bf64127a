"""Benchmark: what one page costs, against the cost of parsing it.

    python benchmarks/page_cost.py [--rounds 3] [--archive 10000] [--corpus ../shared/corpus]

The real pages of the corpus (`../shared/corpus`: the article-extraction benchmark's and
Readability's test pages) are read in one process, stage by stage, each over every page in
turn: lxml's parse alone (the floor), trafilatura's extraction alone (as the tool calls it),
`compliance check` without an archive, with an archive of synthetic originals
(`synthetic.py`, indexed once under `--work`: no page is a copy of any), and with the
corpus's own articles as the archive (its ground truth: every page is a copy). CPU time per
page, the median of `--rounds` rounds (each stage begun with the tool's page caches empty),
and each stage's ratio to the floor measured just before it; then where a check's time
goes, by cProfile's cumulative time of the tool's own stages.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

# The tool's stages, by the file and function whose cumulative time is theirs.
STAGES = {
    "parsing": ("read/htmltree.py", "parse_html"),
    "blocks": ("read/htmltree.py", "collect"),
    "markup bylines": ("read/bylines.py", "markup_bylines"),
    "text bylines": ("read/bylines.py", "text_bylines"),
    "rule-set detection": ("terms/detection.py", "detect"),
    "article extraction (trafilatura)": ("trafilatura/core.py", "bare_extraction"),
    "matching": ("archive/match.py", "match"),
    "checks": ("compliance/engine.py", "evaluate"),
}


def corpus_pages(root: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every page of the corpus."""
    pages = []
    for path in sorted((root / "article-extraction-benchmark" / "html").glob("*.html.gz")):
        pages.append((path.name, gzip.decompress(path.read_bytes())))
    for path in sorted((root / "readability-test-pages").glob("*/source.html")):
        pages.append((path.parent.name, path.read_bytes()))
    return pages


def corpus_originals(root: Path, target: Path) -> Path:
    """The corpus's own articles as originals (its ground truth), under made-up addresses so
    that each page is matched by its text: an archive of which every page is a copy."""
    import lxml.html

    records = []
    truth = json.loads((root / "article-extraction-benchmark" / "ground-truth.json").read_text())
    for key, entry in truth.items():
        records.append((key[:12], entry["articleBody"]))
    for page in sorted((root / "readability-test-pages").glob("*/expected.html")):
        tree = lxml.html.fromstring(page.read_bytes())
        paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
        records.append((f"rd-{page.parent.name}", "\n\n".join(p for p in paragraphs if p)))
    with target.open("w", encoding="utf-8") as out:
        for ident, body in records:
            if body.strip():
                url = f"https://wire.example.org/{ident}/"
                record = {"id": ident, "url": url, "title": ident, "source": "dcnf", "body": body}
                out.write(json.dumps(record) + "\n")
    return target


def _index(work: Path, n: int) -> Path:
    from compliance.archive.index_build import build_index

    originals = work / f"originals-{n}.jsonl"
    if not originals.exists():
        synthetic.write_originals(originals, n)
    target = work / f"page-cost-index-{n}"
    if not (target / "manifest.json").exists():
        build_index([originals], target)
    return target


def _forget_pages() -> None:
    """Empty the caches the tool keeps of what pages held (sheets, selectors, regions, names):
    a site's pages share them, but a round repeating the same 256 pages would find them all,
    so each round pays for them as a first reading of 256 different pages does."""
    for name, module in list(sys.modules.items()):
        if name.startswith("compliance.read."):
            for value in vars(module).values():
                if not isinstance(value, type) and callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def _per_page(pages: list[tuple[str, bytes]], run: Callable[[str, bytes], object]) -> float:
    """CPU milliseconds per page of one pass over `pages`."""
    started = time.process_time()
    for name, body in pages:
        run(name, body)
    return (time.process_time() - started) / len(pages) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--archive", type=int, default=10_000, help="synthetic originals")
    parser.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    pages = corpus_pages(args.corpus)
    if not pages:
        sys.exit(f"no pages under {args.corpus}")

    import lxml.html

    from compliance.archive.index import ArchiveIndex
    from compliance.archive.index_build import build_index
    from compliance.archive.match import Matcher
    from compliance.engine import Checker
    from compliance.read.extract import _extracted_article, extract
    from compliance.read.sources import page_from_bytes
    from compliance.terms.loading import load_rulesets

    rulesets = load_rulesets()
    alone = Checker(rulesets, None)
    archived = Checker(rulesets, Matcher(ArchiveIndex.open(_index(args.work, args.archive))))
    own = corpus_originals(args.corpus, args.work / "corpus-originals.jsonl")
    copies = Checker(rulesets, Matcher(build_index([own], args.work / "corpus-index")))

    def check(checker: Checker) -> Callable[[str, bytes], object]:
        def run(name: str, body: bytes) -> object:
            try:
                article = extract(page_from_bytes(f"{name}.html", body, "html", None, None))
            except Exception:  # an unreadable page costs what it cost
                return None
            return checker.check_article(article)

        return run

    stages: dict[str, Callable[[str, bytes], object]] = {
        "lxml parse (floor)": lambda _n, body: lxml.html.document_fromstring(body),
        "trafilatura extraction": lambda _n, body: _extracted_article(
            body.decode("utf-8", "replace")
        ),
        "check, no archive": check(alone),
        f"check, {args.archive:,} originals": check(archived),
        "check, the corpus's own originals": check(copies),
    }
    for run in stages.values():  # warm caches and imports once, outside the timing
        for name, body in pages[:5]:
            run(name, body)
    floor_stage = "lxml parse (floor)"
    timings: dict[str, list[float]] = {stage: [] for stage in stages}
    ratios: dict[str, list[float]] = {stage: [] for stage in stages}
    for _round in range(args.rounds):
        for stage, run in stages.items():
            # The floor is measured again just before each stage: a shared machine's speed
            # drifts over a run, and a ratio is only fair to a baseline taken beside it.
            floor = _per_page(pages, stages[floor_stage])
            _forget_pages()
            timings[stage].append(_per_page(pages, run))
            ratios[stage].append(timings[stage][-1] / floor)
    print(f"{len(pages)} pages, {args.rounds} rounds, CPU ms per page (median; range)\n")
    print("| stage | ms/page | range | x parse (median; range) |")
    print("|---|---:|---|---:|")
    for stage, values in timings.items():
        ratio = ratios[stage]
        print(
            f"| {stage} | {statistics.median(values):.1f} | {min(values):.1f}-{max(values):.1f}"
            f" | {statistics.median(ratio):.1f}x ({min(ratio):.1f}-{max(ratio):.1f}) |"
        )
    for label, checker in (("no archive", alone), ("archive", archived), ("copies", copies)):
        profile = cProfile.Profile()
        profile.enable()
        _per_page(pages, check(checker))
        profile.disable()
        stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
        spent: dict[str, float] = {}
        for (file, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
            for stage, (where, name) in STAGES.items():
                if function == name and file.endswith(where):
                    spent[stage] = spent.get(stage, 0.0) + cumulative
        shown = ", ".join(
            f"{stage} {seconds / len(pages) * 1000:.1f}"
            for stage, seconds in sorted(spent.items(), key=lambda kv: -kv[1])
        )
        print(f"\nwhere a check's time goes ({label}, ms/page under cProfile): {shown}")
    medians = {k: [statistics.median(v), statistics.median(ratios[k])] for k, v in timings.items()}
    print(json.dumps(medians))


if __name__ == "__main__":
    main()
