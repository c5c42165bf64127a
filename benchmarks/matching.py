"""Benchmark: finding copies' originals in archives of 1,000 to 200,000 articles.

    python benchmarks/matching.py            # N = 1k, 10k, 50k; 2,000 copies
    python benchmarks/matching.py --full     # adds N = 200k (about 10 minutes more)

Everything is measured in the same run on the same machine, so the ratios hold elsewhere:

- the naive baseline: rapidfuzz `extractOne(token_set_ratio)` of each copy's text over every
  original, on a few copies (it takes seconds each), extrapolated linearly above 10k;
- the index: build time per original, size on disk, time from opening it to the first
  result (what a second run waits), peak memory of building and of a matching run;
- matching on pre-extracted text: copies/s on one process and on all cores, per-copy p50/p95/
  p99, and how per-copy cost grows with N;
- accuracy: recall of the true originals (overall, and on three-paragraph excerpts), precision,
  and pages that are not copies (including pages quoting one paragraph) wrongly matched;
- the whole `compliance check` on HTML copies against reading the same pages alone.

Each stage runs in a fresh process so that its peak memory is its own. The synthetic archive
(`synthetic.py`, fixed seed) is cached under `--work` and reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

NAIVE_COPIES = 5
NAIVE_MAX_N = 10_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _originals_file(work: Path, n: int) -> Path:
    path = work / f"originals-{n}.jsonl"
    if not path.exists():
        synthetic.write_originals(path.with_suffix(".tmp"), n)
        path.with_suffix(".tmp").rename(path)
    return path


def _copies_file(work: Path, count: int) -> Path:
    path = work / f"copies-{count}.json"
    if not path.exists():
        originals = []
        with _originals_file(work, synthetic.COPY_SOURCES).open(encoding="utf-8") as handle:
            originals = [json.loads(line) for line in handle]
        copies = synthetic.make_copies(originals, count)
        html_dir = work / f"html-{count}"
        html_dir.mkdir(exist_ok=True)
        for copy in copies:
            (html_dir / f"{copy.name}.html").write_text(copy.html("Pat Quinn"), encoding="utf-8")
        path.write_text(
            json.dumps(
                [
                    {
                        "name": c.name,
                        "kind": c.kind,
                        "title": c.title,
                        # What an extractor hands over: the article's text with the ads in it.
                        "paragraphs": [
                            *c.paragraphs[:2],
                            "Advertisement - story continues below",
                            *c.paragraphs[2:],
                        ],
                        "sources": sorted(c.sources),
                    }
                    for c in copies
                ]
            ),
            encoding="utf-8",
        )
    return path


# ------------------------------------------------------------------ stages (child processes)


def stage_build(work: Path, n: int) -> dict:
    from compliance.archive.index_build import build_index

    source = _originals_file(work, n)
    target = work / f"index-{n}"
    started = time.perf_counter()
    index = build_index([source], target)
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in target.iterdir())
    postings = int(index.manifest["postings"])
    return {
        "build_s": seconds,
        "build_ms_per_original": seconds / n * 1000,
        "postings": postings,
        "index_mb": size / 1e6,
        "postings_bytes_per_original": postings * 8 / n,
        "build_peak_mb": _peak_mb(),
    }


_matcher = None
_copies: list[dict] = []


def _match_range(bounds: tuple[int, int]) -> list[list[str]]:
    found = []
    for copy in _copies[bounds[0] : bounds[1]]:
        ranked = _matcher.by_text(copy["paragraphs"], [copy["title"]])
        found.append([r.original.id for r in ranked])
    return found


def _cold() -> None:
    """Forget what earlier passes decoded and normalised, so each pass pays for it."""
    _matcher._prepared.clear()
    _matcher.index._decoded.clear()


def _accuracy(copies: list[dict], found: list[list[str]]) -> dict:
    true_pairs = hits = reported = 0
    excerpt_true = excerpt_hits = 0
    flagged = not_copies = 0
    for copy, ids in zip(copies, found, strict=True):
        sources = set(copy["sources"])
        true_pairs += len(sources)
        hits += len(sources & set(ids))
        reported += len(ids)
        if copy["kind"] == "excerpt":
            excerpt_true += 1
            excerpt_hits += len(sources & set(ids))
        if not sources:
            not_copies += 1
            flagged += bool(ids)
    return {
        "recall": hits / true_pairs,
        "precision": hits / reported if reported else 1.0,
        "excerpt_recall": excerpt_hits / excerpt_true if excerpt_true else 1.0,
        "not_copies": not_copies,
        "not_copies_matched": flagged,
    }


def stage_run(work: Path, n: int, copies_count: int, jobs: int) -> dict:
    global _matcher, _copies
    import gc

    started = time.perf_counter()
    from compliance.archive.index import ArchiveIndex
    from compliance.archive.match import Matcher

    _copies = json.loads(_copies_file(work, copies_count).read_text(encoding="utf-8"))
    _matcher = Matcher(ArchiveIndex.open(work / f"index-{n}"))
    _match_range((0, 1))
    first_result_s = time.perf_counter() - started

    _cold()
    gc.freeze()  # the forked workers then share the parent's objects untouched
    latencies = []
    found = []
    t0 = time.perf_counter()
    for i in range(len(_copies)):
        t = time.perf_counter()
        found.extend(_match_range((i, i + 1)))
        latencies.append((time.perf_counter() - t) * 1000)
    single_s = time.perf_counter() - t0

    _cold()  # the workers start from the same state the single pass did
    step = max(1, len(_copies) // (jobs * 8))
    ranges = [(i, min(i + step, len(_copies))) for i in range(0, len(_copies), step)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        t0 = time.perf_counter()
        parallel_found = [ids for part in pool.map(_match_range, ranges) for ids in part]
        parallel_s = time.perf_counter() - t0
    assert parallel_found == found, "parallel matching must give the same answers"

    latencies.sort()
    return {
        "first_result_s": first_result_s,
        "ms_per_copy": single_s / len(_copies) * 1000,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(len(latencies) * 0.95)],
        "p99_ms": latencies[int(len(latencies) * 0.99)],
        "copies_per_s_1": len(_copies) / single_s,
        f"copies_per_s_{jobs}": len(_copies) / parallel_s,
        "run_peak_mb": _peak_mb(),
        **_accuracy(_copies, found),
    }


def stage_naive(work: Path, n: int, copies_count: int) -> dict:
    from rapidfuzz import fuzz, process

    with _originals_file(work, n).open(encoding="utf-8") as handle:
        texts = [json.loads(line)["body"].replace("\n\n", " ") for line in handle]
    copies = json.loads(_copies_file(work, copies_count).read_text(encoding="utf-8"))
    sample = [c for c in copies if c["sources"]][:NAIVE_COPIES]
    right = 0
    t0 = time.perf_counter()
    for copy in sample:
        text = " ".join(copy["paragraphs"])
        best = process.extractOne(text, texts, scorer=fuzz.token_set_ratio)
        right += f"orig-{best[2]:06d}" in copy["sources"]
    return {"naive_s_per_copy": (time.perf_counter() - t0) / len(sample), "naive_right": right}


def stage_check(work: Path, n: int, copies_count: int, pages: int) -> dict:
    """The whole check of HTML copies against reading them alone, alternating page by page."""
    from compliance.archive.index import ArchiveIndex
    from compliance.archive.match import Matcher
    from compliance.engine import Checker
    from compliance.read.extract import extract
    from compliance.read.sources import InputRef, load_page
    from compliance.terms.loading import load_rulesets

    checker = Checker(load_rulesets(), Matcher(ArchiveIndex.open(work / f"index-{n}")))
    files = sorted((work / f"html-{copies_count}").glob("*.html"))[:pages]
    refs = [InputRef(str(f), path=f) for f in files]
    read_s = check_s = 0.0
    statuses: dict[str, int] = {}
    for ref in refs[:5]:  # warm up: imports and first-use caches
        checker.check_input(ref)
    for ref in refs:
        t = time.perf_counter()
        article = extract(load_page(ref))
        article.paragraphs  # noqa: B018 - reading includes the article extractor
        read_s += time.perf_counter() - t
        t = time.perf_counter()
        result = checker.check_input(ref)
        check_s += time.perf_counter() - t
        statuses[result.status.value] = statuses.get(result.status.value, 0) + 1
    return {
        "pages": len(refs),
        "read_ms_per_page": read_s / len(refs) * 1000,
        "check_ms_per_page": check_s / len(refs) * 1000,
        "match_and_checks_overhead": check_s / read_s - 1,
        "statuses": statuses,
    }


# ------------------------------------------------------------------ driver


def _child(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode:
        sys.exit(f"stage {args} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="archive sizes N")
    parser.add_argument("--full", action="store_true", help="also N = 200,000")
    parser.add_argument("--copies", type=int, default=2000, help="copies M")
    parser.add_argument("--pages", type=int, default=300, help="HTML copies fully checked")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    if args.stage:
        stages = {
            "build": lambda: stage_build(args.work, args.n),
            "run": lambda: stage_run(args.work, args.n, args.copies, args.jobs),
            "naive": lambda: stage_naive(args.work, args.n, args.copies),
            "check": lambda: stage_check(args.work, args.n, args.copies, args.pages),
        }
        print(json.dumps(stages[args.stage]()))
        return

    sizes = [int(s) for s in args.sizes.split(",")] + ([200_000] if args.full else [])
    common = ["--copies", str(args.copies), "--work", str(args.work), "--jobs", str(args.jobs)]
    print(f"preparing the synthetic archive (N up to {max(sizes):,}) and {args.copies} copies…")
    for n in sizes:
        _originals_file(args.work, n)
    _copies_file(args.work, args.copies)

    rows = {}
    for n in sizes:
        print(f"N = {n:,}: building the index, matching…", flush=True)
        row = _child(["--stage", "build", "--n", str(n), *common])
        row.update(_child(["--stage", "run", "--n", str(n), *common]))
        if n <= NAIVE_MAX_N:
            row.update(_child(["--stage", "naive", "--n", str(n), *common]))
        rows[n] = row
    measured = [n for n in sizes if n <= NAIVE_MAX_N]
    per_original = rows[max(measured)]["naive_s_per_copy"] / max(measured)
    for n in sizes:
        rows[n].setdefault("naive_s_per_copy_extrapolated", per_original * n)
    middle = 10_000 if 10_000 in sizes else sizes[len(sizes) // 2]
    print(f"N = {middle:,}: the whole check on {args.pages} HTML copies…", flush=True)
    check = _child(["--stage", "check", "--n", str(middle), "--pages", str(args.pages), *common])

    results = {"machine": {"cores": os.cpu_count()}, "sizes": rows, "check": check}
    (args.work / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    _print_report(rows, check, middle, args.jobs)


def _print_report(rows: dict, check: dict, middle: int, jobs: int) -> None:
    sizes = sorted(rows)
    base = rows[sizes[0]]["ms_per_copy"]
    print(f"\nmachine: {os.cpu_count()} cores\n")
    print(
        "| N | build ms/original | index MB | first result s | ms/copy (p50/p99) |"
        f" copies/s 1 proc | copies/s {jobs} procs | cost vs smallest N | naive s/copy |"
        " speed-up vs naive | recall | 3-paragraph recall | precision | not copies matched |"
        " peak MB build/run |"
    )
    print("|" + "---|" * 15)
    for n in sizes:
        r = rows[n]
        naive = r.get("naive_s_per_copy") or r["naive_s_per_copy_extrapolated"]
        mark = "" if "naive_s_per_copy" in r else " (extrap.)"
        print(
            f"| {n:,} | {r['build_ms_per_original']:.3f} | {r['index_mb']:.1f} |"
            f" {r['first_result_s']:.2f} | {r['ms_per_copy']:.3f} ({r['p50_ms']:.3f}/"
            f"{r['p99_ms']:.2f}) | {r['copies_per_s_1']:,.0f} | {r[f'copies_per_s_{jobs}']:,.0f} |"
            f" {r['ms_per_copy'] / base:.2f}x | {naive:.2f}{mark} |"
            f" {naive * 1000 / r['ms_per_copy']:,.0f}x | {r['recall']:.4f} |"
            f" {r['excerpt_recall']:.4f} | {r['precision']:.4f} |"
            f" {r['not_copies_matched']}/{r['not_copies']} |"
            f" {r['build_peak_mb']:.0f}/{r['run_peak_mb']:.0f} |"
        )
    print(
        f"\nwhole check at N = {middle:,} on {check['pages']} HTML copies:"
        f" reading alone {check['read_ms_per_page']:.1f} ms/page, full check"
        f" {check['check_ms_per_page']:.1f} ms/page: matching and checks add"
        f" {check['match_and_checks_overhead']:.0%} ({check['statuses']})"
    )


if __name__ == "__main__":
    main()
