"""A weekly audit of 2,000 republished pages against a local fixture web.

    python benchmarks/audit.py [--pages 2000] [--sites 20]
    python benchmarks/audit.py --cluster 1,2 --runs 5 [--pages 1000]

Starts `--sites` republisher servers on 127.0.0.1 (tests/site_fixture.py, one port each, so
one host each for politeness), each serving its share of the pages: two thirds compliant
copies of the seed story, one third with the byline credited to the site, every page with its
own bytes. Then, each as a fresh `compliance` process, in one run:

- checks only: `compliance audit` over the same pages saved in directories (no HTTP);
- fetch and check: `compliance audit` over the URLs (first audit of the week);
- re-audit: the same URLs a second time (conditional requests: 304s, and each unchanged
  page keeps its stored verdict: same bytes, same rules, same originals);
- baseline: `compliance check --format json` over the saved pages (no store, no fetching).

Pages per second, the ratio to the baseline, and the peak resident memory of the largest
process (the `compliance` process or one of its workers) are printed as Markdown. No delay
between requests (`--delay 0`), so the figures are what the audit itself costs; a real audit
is paced by `--delay` and robots.txt.

With `--cluster 1,2`, the fetch-and-check audit runs `--runs` times on a Dask LocalCluster
of each number of workers (one process, one thread each) instead: each run's seconds, the
slowest run against the median, and what the cluster said it did (chunks, chunks run again,
pages per worker).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_fixture import COMPLIANT, NO_BYLINE, ORIGINALS, Site  # noqa: E402


def _run(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit code, and peak RSS (KiB) of the largest process it started."""
    started = time.perf_counter()
    # A fresh measuring process, so RUSAGE_CHILDREN covers this command alone.
    probe = (
        "import resource, subprocess, sys;"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,"
        " stderr=subprocess.DEVNULL).returncode;"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    return time.perf_counter() - started, int(out[1]), int(out[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--cluster", help="numbers of Dask workers to run on, e.g. 1,2")
    parser.add_argument("--runs", type=int, default=5, help="audits per cluster size")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    env_python = [sys.executable, "-m", "compliance"]
    sites = [Site(robots=b"User-agent: *\nDisallow: /private/\n") for _ in range(args.sites)]
    for site in sites:
        site.__enter__()
    try:
        urls = []
        saved = work / "saved"
        for n in range(args.pages):
            site = sites[n % len(sites)]
            body = (NO_BYLINE if n % 3 == 0 else COMPLIANT) + f"<!-- copy {n} -->".encode()
            path = f"/news/{n}.html"
            site.pages[path] = body
            urls.append(site.url(path))
            folder = saved / f"site{n % len(sites)}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{n}.html").write_bytes(body)
        listing = work / "urls.txt"
        listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
        common = ["--originals", str(ORIGINALS), "--allow-private", "--delay", "0", "--quiet"]
        # Warm the originals' index and the byte-code caches.
        subprocess.run([*env_python, "index", "build", str(ORIGINALS)], capture_output=True)

        if args.cluster:
            _on_clusters(args, env_python, listing, common, work)
            return
        rows = []
        baseline, _, base_rss = _run(
            [*env_python, "check", str(saved), "--originals", str(ORIGINALS), "--format", "json"]
        )
        rows.append(("baseline: `check --format json` on saved pages", baseline, base_rss))
        checks, _, checks_rss = _run(
            [*env_python, "audit", str(saved), *common, "--db", str(work / "saved.sqlite")]
        )
        rows.append(("checks only: `audit` on saved pages", checks, checks_rss))
        db = str(work / "web.sqlite")
        fetched, _, fetched_rss = _run([*env_python, "audit", str(listing), *common, "--db", db])
        rows.append(("fetch and check: `audit` on URLs", fetched, fetched_rss))
        again, _, again_rss = _run([*env_python, "audit", str(listing), *common, "--db", db])
        rows.append(("re-audit: the same URLs a week later (304s)", again, again_rss))
    finally:
        for site in sites:
            site.__exit__()

    print(f"{args.pages:,} pages on {args.sites} hosts, {os.cpu_count()} cores\n")
    print("| run | seconds | pages/s | vs baseline | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, rss in rows:
        print(
            f"| {name} | {seconds:.1f} | {args.pages / seconds:,.0f} | {seconds / baseline:.2f}x"
            f" | {rss / 1024:,.0f} MB |"
        )
    print(f"\nre-audit of the unchanged site: {fetched / again:.1f}x the pages/s of the first")


def _on_clusters(
    args: argparse.Namespace, env_python: list[str], listing: Path, common: list[str], work: Path
) -> None:
    import statistics

    import distributed

    print(f"{args.pages:,} pages on {args.sites} hosts, {os.cpu_count()} cores\n")
    print("| workers | run | seconds | pages/s | workers' memory after | what the cluster did |")
    print("|---:|---:|---:|---:|---|---|")
    for workers in (int(n) for n in args.cluster.split(",")):
        seconds = []
        with distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            for run in range(1, args.runs + 1):
                db = work / f"cluster-{workers}-{run}.sqlite"
                started = time.perf_counter()
                done = subprocess.run(
                    [*env_python, "audit", str(listing), *common[:-1], "--db", str(db),
                     "--cluster", cluster.scheduler_address],
                    capture_output=True, text=True,
                )  # fmt: skip
                seconds.append(time.perf_counter() - started)
                said = next(
                    (line for line in done.stderr.splitlines() if line.startswith("cluster:")),
                    f"exit {done.returncode}",
                )
                with distributed.Client(cluster) as client:
                    memory = ", ".join(f"{mb} MB" for mb in client.run(_resident_mb).values())
                print(
                    f"| {workers} | {run} | {seconds[-1]:.1f} | {args.pages / seconds[-1]:.0f}"
                    f" | {memory} | {said.removeprefix('cluster: ')} |",
                    flush=True,
                )
        median = statistics.median(seconds)
        print(f"| {workers} | median | {median:.1f} | {args.pages / median:.0f} | |"
              f" slowest {max(seconds) / median:.2f}x the median |")  # fmt: skip


def _resident_mb() -> int:
    """A worker's resident memory now (its checking interpreter apart), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) // 1024


if __name__ == "__main__":
    main()
