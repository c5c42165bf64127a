"""The reliability figures of docs/reliability.md, measured on this machine.

    python benchmarks/reliability.py [--soup 3000] [--kills 10]

Each part prints one Markdown table row: what was tried, what happened, the target.
Everything runs locally: generated pages, a fixture web on 127.0.0.1, temporary SQLite files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_fixture import COMPLIANT, NO_BYLINE, ORIGINALS, Site  # noqa: E402

from compliance.audit.sources import Target  # noqa: E402
from compliance.audit.store import PageRecord, Store  # noqa: E402
from compliance.common.textmatch import glob_match  # noqa: E402
from compliance.web.fetch import Fetcher, FetchPolicy, _Bounded  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ROWS: list[tuple[str, str, str]] = []


def row(what: str, result: str, target: str) -> None:
    ROWS.append((what, result, target))
    print(f"| {what} | {result} | {target} |", flush=True)


def check_json(paths: list[Path], *extra: str) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "compliance", "check", *map(str, paths), "--format", "json",
         "--no-config", *extra],
        capture_output=True, text=True, env=ENV,
    )  # fmt: skip
    if out.returncode == 3:
        raise SystemExit(f"internal error: {out.stderr}")
    return json.loads(out.stdout)["results"]


def soup(count: int, work: Path) -> None:
    rng = random.Random(2026)
    tags = ["div", "p", "svg", "math", "table", "td", "template", "a", "img", "script", "b",
            "html", "body", "select", "iframe", "style"]  # fmt: skip
    extras = ["<!--", "-->", "<![CDATA[", "&#xD800;", "\ufeff", "\x00", '<meta charset="utf-16">',
              "By Jane Doe", "Daily Caller News Foundation", "<", ">", "</>"]  # fmt: skip
    folder = work / "soup"
    folder.mkdir()
    for n in range(count):
        parts = []
        for _ in range(rng.randrange(60)):
            pick = rng.random()
            tag = rng.choice(tags)
            parts.append(
                f"<{tag}>" if pick < 0.4 else f"</{tag}>" if pick < 0.7 else rng.choice(extras)
            )
        encoding = rng.choice(["utf-8", "utf-16", "latin-1"])
        (folder / f"{n}.html").write_bytes("".join(parts).encode(encoding, "replace"))
    started = time.perf_counter()
    # With originals, every page is also read by the article extractor and matched.
    results = check_json([folder], "--jobs", "2", "--originals", str(ORIGINALS))
    seconds = time.perf_counter() - started
    bugs = sum(1 for r in results if r["status"] == "error" and r["reason"] is None)
    statuses: dict[str, int] = {}
    for r in results:
        key = r["status"] if r["status"] != "error" else f"unverifiable ({r['reason']})"
        statuses[key] = statuses.get(key, 0) + 1
    summary = ", ".join(f"{v} {k}" for k, v in sorted(statuses.items()))
    row(
        f"R1 generated tag soup, {count:,} pages (utf-8/utf-16/latin-1), extracted and matched",
        f"{bugs} crashes; {summary}; {seconds:.1f} s",
        "0 crashes, 0 hangs",
    )


def pathological(work: Path) -> None:
    byline = "<p>By Philip Lenczycki, Daily Caller News Foundation</p>"
    compliant = (ROOT / "examples" / "copies" / "compliant.html").read_text(encoding="utf-8")
    cases = {
        "100k nested divs": "<div>" * 100_000 + "text",
        "byline at depth 5,000": "<div>" * 5000 + byline,
        "11 MB text node": "<p>" + "word " * 2_300_000 + "</p>",
        "21 MB page": "<p>" + "x" * (21 * 1024 * 1024),
        "200k attributes on one element": "<p "
        + " ".join(f'a{i}="1"' for i in range(200_000))
        + ">x</p>",
        "50k unclosed <p><b><i><a>": "<p><b><i><a>" * 50_000,
        "a compliant copy with its byline moved after </html>": compliant.replace(
            '<p class="byline">', '<p class="moved">'
        ).replace("By <a", "<a")
        + byline,
        "empty file": "",
        "BOM only": "\ufeff",
    }
    for name, markup in cases.items():
        path = work / "pathological.html"
        path.write_text(markup, encoding="utf-8")
        started = time.perf_counter()
        [result] = check_json([path])
        seconds = time.perf_counter() - started
        outcome = (
            result["status"] if result["status"] != "error" else f"unverifiable: {result['reason']}"
        )
        row(f"R2 {name}", f"{outcome} in {seconds:.2f} s", "an outcome within the 15 s budget")
    slow = "<p " + " ".join(f'a{i}="1"' for i in range(4_900)) + ">" + byline
    path = work / "slow.html"
    path.write_text(slow * 40, encoding="utf-8")
    started = time.perf_counter()
    [result] = check_json([path], "--page-timeout", "1")
    row(
        "R2 40 elements of 4,900 attributes, --page-timeout 1",
        f"unverifiable: {result['reason']} after {time.perf_counter() - started:.2f} s"
        " (worker killed)",
        "stopped at the budget",
    )


def yaml_hazards(work: Path) -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [{','.join('*' + p for _ in range(9))}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    cases = {
        "billion laughs (9x9, 9 levels, 432 bytes)": bomb,
        "!!python/object/apply:os.system": "a: !!python/object/apply:os.system ['echo hacked']\n",
        "2 MB rule file": "# " + "x" * (2 * 1024 * 1024) + "\n",
        "duplicate keys": "schema: 1\nid: a\nid: b\n",
        "deeply nested flow YAML": "a: " + "[" * 5000 + "]" * 5000 + "\n",
    }
    for name, text in cases.items():
        path = work / "hostile.yaml"
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c",
             "import sys, time; from compliance.terms.loading import load_rulesets;"
             "from compliance.errors import UserError; from pathlib import Path\n"
             "t=time.perf_counter()\ntry: load_rulesets([Path(sys.argv[1])])\n"
             "except UserError as e: print('rejected', round((time.perf_counter()-t)*1000, 1))",
             str(path)],
            capture_output=True, text=True, env=ENV,
        )  # fmt: skip
        verdict = out.stdout.strip() or f"NOT rejected ({out.returncode})"
        total = (time.perf_counter() - started) * 1000
        row(f"R4 {name}", f"{verdict} ms ({total:.0f} ms with start-up)", "rejected, < 50 ms")


def patterns() -> None:
    text = "a" * 100_000
    hostile = ["*a*a*a*a*a*a*a*a*a*a*b", "*?*?*?*?*?*?*?*?*x", "*a*" * 30 + "b", "?" * 500 + "*z"]
    worst = 0.0
    for pattern in hostile:
        started = time.perf_counter()
        glob_match(text, [pattern])
        worst = max(worst, time.perf_counter() - started)
    row(
        f"R5 {len(hostile)} backtracking glob patterns on 100,000 characters (RE2)",
        f"slowest {worst * 1000:.1f} ms",
        "linear time",
    )


def bombs() -> None:
    cap = 20 * 1024 * 1024
    member = gzip.compress(b"\0" * (16 * 1024 * 1024), compresslevel=9)
    bounded = _Bounded("gzip", cap)
    wire = 0
    try:
        while True:
            for start in range(0, len(member), 65536):
                chunk = member[start : start + 65536]
                wire += len(chunk)
                bounded.feed(chunk)
    except Exception as exc:  # the cap is the expected stop
        stop = str(exc)
    row(
        "R6 gzip bomb (16 MiB zeros per 16 KiB member, endless)",
        f"stopped holding {bounded.size / 1048576:.2f} MiB decoded after {wire / 1024:.0f} KiB"
        f" on the wire ({stop})",
        f"decoded bytes <= {cap // 1048576} MiB cap + 1 byte",
    )
    with Site() as site, Fetcher(FetchPolicy(allow_private=True, deadline=2.0)) as fetcher:
        started = time.perf_counter()
        got = fetcher.fetch(site.url("/slow"))
        row(
            "R6 slow drip (3 bytes every 0.2 s), 2 s deadline",
            f"{got.error} after {time.perf_counter() - started:.2f} s",
            "stopped at the deadline",
        )
        got = fetcher.fetch(site.url("/loop/0"))
        row("R6 endless redirects", f"{got.error}; {site.seen('/loop/5')} request to hop 5,"
            f" {site.seen('/loop/6')} to hop 6", "at most 5 redirects")  # fmt: skip


def ssrf() -> None:
    with Site() as site:
        site.pages["/story.html"] = COMPLIANT
        port = site.server.server_address[1]
        hosts = ["127.0.0.1", "2130706433", "0x7f000001", "0x7f.1", "017700000001", "127.1",
                 "localhost", "[::ffff:127.0.0.1]", "[::1]", "0.0.0.0", "127.0.0.2"]  # fmt: skip
        urls = [f"http://{h}:{port}/story.html" for h in hosts]
        urls += [site.url(f"/to?url=http://localhost:{port}/story.html")]
        urls += ["file:///etc/passwd", "ftp://127.0.0.1/", f"http://user@127.0.0.1:{port}/"]
        stub = {"metadata.test": ["169.254.169.254"], "cgnat.test": ["100.64.0.1"],
                "mapped.test": ["::ffff:10.0.0.1"], "sixtofour.test": ["2002:7f00:1::1"],
                "mixed.test": ["93.184.216.34", "192.168.1.1"], "ula.test": ["fd00::1"],
                "linklocal6.test": ["fe80::1"], "multicast.test": ["224.0.0.1"],
                "reserved.test": ["240.0.0.1"], "benchmark.test": ["198.18.0.1"],
                "doc.test": ["192.0.2.1"], "private10.test": ["10.0.0.1"],
                "private172.test": ["172.16.0.1"], "compat.test": ["::127.0.0.1"],
                "teredo.test": ["2001::7f00:1"]}  # fmt: skip
        urls += [f"http://{h}/" for h in stub]

        def resolver(host: str, port_: int) -> list[str]:
            from compliance.web.fetch import system_resolver

            return stub.get(host) or system_resolver(host, port_)

        trusted = FetchPolicy(allow_hosts=frozenset(), attempts=1, deadline=3.0)
        with Fetcher(trusted, resolver=resolver) as fetcher:
            refused = sum(1 for url in urls if not fetcher.fetch(url).ok)
        connections = len(site.requests)
    row(
        f"R7 SSRF: {len(urls)} URLs (loopback spellings, private, metadata, mapped IPv6,"
        " schemes, userinfo)",
        f"{refused} refused, {connections} connections to the local server",
        "0 connections",
    )


def kills(trials: int, work: Path) -> None:
    lost = duplicates = broken = early = 0
    with Site(delay=0.01) as site:
        for n in range(80):
            site.pages[f"/c/{n}.html"] = COMPLIANT if n % 3 else NO_BYLINE
        listing = work / "urls.txt"
        listing.write_text("".join(site.url(f"/c/{n}.html") + "\n" for n in range(80)))
        rng = random.Random(9)
        for trial in range(trials):
            db = work / f"kill{trial}.sqlite"
            command = [sys.executable, "-m", "compliance", "audit", str(listing), "--db", str(db),
                       "--originals", str(ORIGINALS), "--allow-private", "--delay", "0",
                       "--concurrency", "2", "--quiet"]  # fmt: skip
            process = subprocess.Popen(command, env=ENV, start_new_session=True,
                                       stderr=subprocess.DEVNULL)  # fmt: skip
            time.sleep(1.0 + rng.random() * 2.0)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            before, started = {}, False
            if db.exists():
                with sqlite3.connect(db) as con:
                    started = con.execute("SELECT count(*) FROM runs").fetchone()[0] > 0
                    before = dict(con.execute("SELECT url, fetched_at FROM pages"))
            if started:
                again = [*command[:4], "--resume", "--db", str(db), "--quiet"]
            else:  # killed before the run was recorded: nothing to resume, so start again
                early += 1
                again = command
            subprocess.run(again, env=ENV, stderr=subprocess.DEVNULL, check=False)
            with sqlite3.connect(db) as con:
                rows = con.execute("SELECT url, fetched_at FROM pages").fetchall()
                broken += con.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
            after = dict(rows)
            lost += sum(1 for url, when in before.items() if after.get(url) != when)
            duplicates += len(rows) - len(after) + abs(80 - len(after))
    row(
        f"R8 kill -9 of an 80-page audit at a random moment, then --resume, {trials} trials",
        f"{lost} committed results lost, {duplicates} duplicated or missing,"
        f" {broken} failed integrity checks ({early} killed before the run was recorded,"
        " so run again)",
        "0 lost, 0 duplicated",
    )


def _writer(db: str, writer: int, count: int, errors: multiprocessing.Queue) -> None:
    store = Store(Path(db))
    failures = 0
    for n in range(count):
        record = PageRecord(f"https://w{writer}.example/{n}", n, "w", "pass", "t", {})
        try:
            store.record_page("run", record)
        except sqlite3.OperationalError:
            failures += 1
    errors.put(failures)


def writers(work: Path) -> None:
    db = work / "concurrent.sqlite"
    store = Store(db)
    store.start_run("run", "t", None, [], "k", [], {}, [Target("x")], [], "t")
    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    started = time.perf_counter()
    processes = [context.Process(target=_writer, args=(str(db), w, 1000, errors)) for w in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    failures = sum(errors.get() for _ in processes)
    row(
        "R9 4 processes x 1,000 page results into one store",
        f"{store.count_pages('run'):,} rows, {failures} lock errors,"
        f" {time.perf_counter() - started:.1f} s",
        "4,000 rows, 0 errors",
    )


def atomic(work: Path, trials: int = 20) -> None:
    target = work / "report.json"
    code = (
        "import sys\nfrom pathlib import Path\nfrom compliance.common.files import write_atomic\n"
        "n = 0\nwhile True:\n    n += 1\n"
        '    write_atomic(Path(sys.argv[1]), \'{"n": %d, "pad": "%s"}\' % (n, \'x\' * 1_000_000))'
    )
    corrupt = 0
    rng = random.Random(3)
    for _ in range(trials):
        process = subprocess.Popen([sys.executable, "-c", code, str(target)], env=ENV)
        time.sleep(0.2 + rng.random() * 0.4)
        process.send_signal(signal.SIGKILL)
        process.wait()
        try:
            json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            corrupt += 1
    row(f"R10 report rewrite killed, {trials} trials", f"{corrupt} corrupt files", "0 corrupt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soup", type=int, default=3000, help="generated pages")
    parser.add_argument("--kills", type=int, default=10, help="kill -9 trials")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reliability-"))
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("| tried | result | target |\n|---|---|---|")
    soup(args.soup, work)
    pathological(work)
    yaml_hazards(work)
    patterns()
    bombs()
    ssrf()
    kills(args.kills, work)
    writers(work)
    atomic(work)


if __name__ == "__main__":
    main()
