"""Checking time against page length: a page of 800 paragraphs and one of 8,000, and a page
just under the 20 MiB input cap, each checked as an editor would (`compliance check`, the
bundled rules, its original in `--originals`, the default page budget).

The 8,000/800 ratio is the figure: reading a page must grow linearly with it (about 10x;
the target is at most 12x). Each size runs in fresh processes, the median of --runs.

Run: python benchmarks/long_pages.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "The county commission voted to approve the new budget after a long public hearing.",
    "Residents asked about road repairs, the library's hours and the cost of the new jail.",
    "The measure passed four to one, with the chair casting the only vote against it.",
    "Officials said the plan would take effect at the start of the next fiscal year.",
]


def _paragraph(i: int) -> str:
    return f"Paragraph {i}: " + " ".join(SENTENCES[(i + k) % 4] for k in range(3))


def write_page(folder: Path, paragraphs: int) -> tuple[Path, Path]:
    """A DCNF copy of `paragraphs` paragraphs, and its original as JSON Lines."""
    body = [_paragraph(i) for i in range(paragraphs)]
    page = folder / f"page-{paragraphs}.html"
    page.write_text(
        "<html><head><title>Commission votes</title></head><body><article>"
        "<h1>Commission votes</h1><p class='byline'>By Jane Doe, Daily Caller News"
        " Foundation</p><img src='/dcnf-logo.png' alt='Daily Caller News Foundation logo'>"
        + "".join(f"<p>{p}</p>" for p in body)
        + "</article></body></html>",
        encoding="utf-8",
    )
    original = folder / f"original-{paragraphs}.jsonl"
    record = {
        "id": f"o{paragraphs}",
        "title": "Commission votes",
        "authors": ["Jane Doe"],
        "source": "dcnf",
        "body": "\n\n".join(body[:200]),
    }
    original.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return page, original


def timed_check(page: Path, original: Path) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "compliance", "check", str(page), "--originals", str(original),
         "--format", "json", "--no-config", "--fail-on", "never"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    result = json.loads(out.stdout)["results"][0] if out.stdout else {"status": out.stderr}
    return elapsed, f"{result['status']} {result.get('reason') or ''}".strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # About 260 bytes a paragraph: 75,000 paragraphs is just under 19 MiB.
        sizes = {"800 paragraphs": 800, "8,000 paragraphs": 8000, "19 MiB": 75_000}
        medians = {}
        for label, count in sizes.items():
            page, original = write_page(folder, count)
            runs = 1 if count > 8000 else args.runs
            times, status = [], ""
            for _ in range(runs):
                elapsed, status = timed_check(page, original)
                times.append(elapsed)
            medians[label] = statistics.median(times)
            size = page.stat().st_size / 2**20
            print(f"{label:>17}: {medians[label]:6.2f} s  ({size:.1f} MiB, {status})", flush=True)
        ratio = medians["8,000 paragraphs"] / medians["800 paragraphs"]
        print(f"8,000 / 800 paragraphs: {ratio:.1f}x (target: at most 12x)")


if __name__ == "__main__":
    main()
