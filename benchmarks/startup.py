"""Start-up of an editor's one-file check, against importing typer and rich alone.

    python benchmarks/startup.py [--runs 15] [PAGE]

Both commands run alternately in fresh processes, the same number of times, and the medians
are compared: the ratio is what to track, since the machine's speed varies from run to run.
Byte-code caching is left on (PYTHONDONTWRITEBYTECODE is removed), as in a normal install.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("page", nargs="?", default="examples/copies/compliant.html")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    baseline = [sys.executable, "-c", "import typer, rich"]
    check = [sys.executable, "-m", "compliance", "check", args.page]
    for command in (baseline, check):  # warm the byte-code and file caches
        _time(command, env)
    base_times, check_times = [], []
    for _ in range(args.runs):
        base_times.append(_time(baseline, env))
        check_times.append(_time(check, env))
    base, checked = statistics.median(base_times), statistics.median(check_times)
    print(f"import typer, rich       median {base * 1000:6.0f} ms over {args.runs} runs")
    print(f"compliance check (1 page) median {checked * 1000:6.0f} ms over {args.runs} runs")
    print(f"ratio {checked / base:.2f}x (goal: at most 3x)")


if __name__ == "__main__":
    main()
