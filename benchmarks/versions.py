"""Benchmark: what earlier versions of originals cost the archive index and matching.

    python benchmarks/versions.py            # 10,000 originals, one in five edited twice
    python benchmarks/versions.py --n 50000

The same synthetic archive (`synthetic.py`) is indexed twice in this run: as it is, and with
every fifth original carrying two earlier bodies (a paragraph whose figure was later
corrected, then the corrected text without its notice; the current body adds the notice).
Reported: build time, size on disk and postings of each index; the per-copy time of finding
the original (`Matcher.by_text`) plus, with versions, telling which version a copy carries
(`corrections.carried_version`); recall of the original, and of the version, for copies of
the current text and copies of the first, stale one.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

NOTICE = "Correction: An earlier version of this story gave the wrong figure for the program."
COPIES = 1_000


def _versioned(record: dict, rng: random.Random) -> dict:
    """`record` edited twice since it was first published: version 1 had a wrong figure,
    version 2 fixed it, the current body adds the correction notice."""
    body = record["body"].split("\n\n")
    at = rng.randrange(1, len(body))
    wrong, right = rng.randint(2, 9), rng.randint(10, 99)
    first = [*body[:at], f"{body[at]} The program costs {wrong}.5 million.", *body[at + 1 :]]
    fixed = [*body[:at], f"{body[at]} The program costs {right}.5 million.", *body[at + 1 :]]
    return {
        **record,
        "body": "\n\n".join([*fixed, NOTICE]),
        "modified": "2026-11-20T10:00:00Z",
        "versions": [
            {"seen": "2026-11-01T08:00:00Z", "body": "\n\n".join(first)},
            {"seen": "2026-11-10T08:00:00Z", "body": "\n\n".join(fixed)},
        ],
    }


def _archives(work: Path, n: int) -> tuple[Path, Path, list[dict]]:
    plain = work / f"originals-{n}.jsonl"
    if not plain.exists():
        synthetic.write_originals(plain, n)
    rng = random.Random(5)
    versioned_path = work / f"originals-{n}-versions.jsonl"
    edited = []
    with plain.open(encoding="utf-8") as source, versioned_path.open("w") as out:
        for number, line in enumerate(source):
            record = json.loads(line)
            if number % 5 == 0:
                record = _versioned(record, rng)
                edited.append(record)
            out.write(json.dumps(record) + "\n")
    return plain, versioned_path, edited


def _build(source: Path, target: Path) -> dict:
    from compliance.archive.index_build import build_index

    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    index = build_index([source], target)
    seconds = time.perf_counter() - started
    return {
        "build_s": round(seconds, 2),
        "index_mb": round(sum(f.stat().st_size for f in target.iterdir()) / 1e6, 2),
        "postings": int(index.manifest["postings"]),
    }


def _match(target: Path, copies: list[tuple[str, list[str], int]], versions: bool) -> dict:
    from compliance.archive.corrections import carried_version
    from compliance.archive.index import ArchiveIndex
    from compliance.archive.match import Matcher

    matcher = Matcher(ArchiveIndex.open(target))
    times, found, right_version = [], 0, 0
    for original_id, paragraphs, version in copies:
        started = time.perf_counter()
        ranked = matcher.by_text(paragraphs)
        carried = carried_version(ranked[0].original, paragraphs) if ranked and versions else 0
        times.append(time.perf_counter() - started)
        if ranked and ranked[0].original.id == original_id:
            found += 1
            right_version += carried == version
    times.sort()
    return {
        "ms_per_copy_p50": round(statistics.median(times) * 1000, 2),
        "ms_per_copy_p95": round(times[int(len(times) * 0.95)] * 1000, 2),
        "recall": round(found / len(copies), 3),
        **({"version_right": round(right_version / len(copies), 3)} if versions else {}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    plain, versioned, edited = _archives(args.work, args.n)
    rng = random.Random(9)
    chosen = rng.sample(edited, min(COPIES // 2, len(edited)))
    current = [(r["id"], r["body"].split("\n\n"), 3) for r in chosen]
    stale = [(r["id"], r["versions"][0]["body"].split("\n\n"), 1) for r in chosen]
    results = {
        "originals": args.n,
        "edited": len(edited),
        "plain": _build(plain, args.work / f"index-{args.n}-plain"),
        "versions": _build(versioned, args.work / f"index-{args.n}-versions"),
    }
    plain_index = args.work / f"index-{args.n}-plain"
    versions_index = args.work / f"index-{args.n}-versions"
    results["plain"]["current copies"] = _match(plain_index, current, versions=False)
    results["plain"]["stale copies"] = _match(plain_index, stale, versions=False)
    results["versions"]["current copies"] = _match(versions_index, current, versions=True)
    results["versions"]["stale copies"] = _match(versions_index, stale, versions=True)
    plain_row, versions_row = results["plain"], results["versions"]
    results["ratios"] = {
        "index_size": round(versions_row["index_mb"] / plain_row["index_mb"], 3),
        "postings": round(versions_row["postings"] / plain_row["postings"], 3),
        "match_time_stale": round(
            versions_row["stale copies"]["ms_per_copy_p50"]
            / plain_row["stale copies"]["ms_per_copy_p50"],
            2,
        ),
        "match_time_current": round(
            versions_row["current copies"]["ms_per_copy_p50"]
            / plain_row["current copies"]["ms_per_copy_p50"],
            2,
        ),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
