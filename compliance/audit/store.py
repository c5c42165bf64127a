"""Audit history: every run, every page's result and evidence, in one SQLite file.

Built to lose nothing: WAL journal, a busy timeout, `BEGIN IMMEDIATE` writes (a deferred
transaction that later needs the write lock ignores the busy timeout), one transaction per
page result, and the natural key (run, url) with `ON CONFLICT DO NOTHING`, so a resumed or
repeated write never duplicates a page. Page bodies are kept once per content hash,
compressed: they are the evidence, and what a 304 answer is re-checked from.

Storage sits behind this one class; a server database would be another implementation of it.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from compliance.audit.lease import PROCESS_HOLDER, Claim, new_claim
from compliance.audit.sources import Target
from compliance.audit.store_errors import GuardedConnection, StoreError, store_error
from compliance.ci.config import Waiver
from compliance.errors import UserError
from compliance.model import utc_timestamp

# 2: pages keep the content type and charset they were served with, and what judged them
# 3: targets keep the terms a partner's agreement names
SCHEMA_VERSION = 4
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    label TEXT,
    started TEXT NOT NULL,
    finished TEXT,
    state TEXT NOT NULL,            -- running | complete | empty (checked no page)
    sources_key TEXT NOT NULL,      -- which runs are "over the same sources"
    sources TEXT NOT NULL,          -- JSON list, as given
    rules TEXT NOT NULL,            -- JSON list of {id, path, sha256}
    options TEXT NOT NULL,          -- JSON object
    problems TEXT NOT NULL,         -- JSON list: sources' lines and entries skipped
    tool TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (   -- the process working a run (audit/lease.py)
    run_id TEXT PRIMARY KEY REFERENCES runs(id),
    holder TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    taken REAL NOT NULL,
    renewed REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS targets (
    run_id TEXT NOT NULL REFERENCES runs(id),
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    path TEXT,
    original TEXT,
    source TEXT NOT NULL,
    terms TEXT,                     -- the rule set its partner's agreement names (schema 3)
    PRIMARY KEY (run_id, url)
);
CREATE TABLE IF NOT EXISTS pages (
    run_id TEXT NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    position INTEGER NOT NULL,
    domain TEXT NOT NULL,
    status TEXT NOT NULL,           -- pass | warn | fail | unmatched | unverifiable
    reason TEXT,                    -- why unverifiable
    ruleset TEXT,
    original_id TEXT,
    original_url TEXT,
    final_url TEXT,
    http_status INTEGER,
    fetched_at TEXT NOT NULL,
    content_hash TEXT,
    etag TEXT,
    last_modified TEXT,
    not_modified INTEGER NOT NULL DEFAULT 0,
    result TEXT NOT NULL,           -- the page's compliance-report/1 result
    content_type TEXT,              -- as served: what a 304 re-check reads the body as
    charset TEXT,
    judged_with TEXT,               -- the rules, originals and tool the verdict came from
    PRIMARY KEY (run_id, url)
);
CREATE TABLE IF NOT EXISTS findings (
    run_id TEXT NOT NULL,
    url TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL,
    check_type TEXT NOT NULL,
    passed INTEGER NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    clause TEXT,
    PRIMARY KEY (run_id, url, fingerprint)
);
CREATE INDEX IF NOT EXISTS pages_by_url ON pages (url, fetched_at);
CREATE INDEX IF NOT EXISTS pages_by_body ON pages (url, content_hash);
CREATE TABLE IF NOT EXISTS bodies (hash TEXT PRIMARY KEY, body BLOB NOT NULL);
-- discovery (compliance/discover/memory.py): listings' validators, listed pages' decisions,
-- and the partners a run was over
CREATE TABLE IF NOT EXISTS listings (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, read_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS discovered (
    url TEXT PRIMARY KEY,
    partner TEXT NOT NULL,
    modified TEXT,                  -- what its listing said last time
    step TEXT NOT NULL,             -- triage.py's step, or 'left'
    why TEXT NOT NULL,
    fetched INTEGER NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS run_partners (
    run_id TEXT NOT NULL,
    partner TEXT NOT NULL,
    name TEXT NOT NULL,
    contact TEXT NOT NULL,
    sites TEXT NOT NULL,            -- JSON list, as written
    waivers TEXT NOT NULL DEFAULT '[]',  -- JSON list of {rule, paths, reason, expires}
    PRIMARY KEY (run_id, partner)
);
"""


@dataclass(frozen=True)
class Remembered:
    """What discovery decided about a listed page, and what its listing said then."""

    modified: str | None
    step: str
    why: str
    fetched: bool


@dataclass(frozen=True)
class RunPartner:
    """A partner as a run saw it: fix requests go to its contact."""

    id: str
    name: str
    contact: str
    sites: tuple[str, ...]
    waivers: tuple[Waiver, ...] = ()  # the checks its agreement waives, as the run began


@dataclass(frozen=True)
class Run:
    id: str
    label: str | None
    started: str
    finished: str | None
    state: str
    sources_key: str
    sources: list[str]
    rules: list[dict[str, str]]
    options: dict[str, Any]
    problems: list[str]

    @property
    def complete(self) -> bool:
        return self.state == "complete"

    @property
    def originals(self) -> list[str]:
        return list(self.options.get("originals", []))

    @property
    def declared(self) -> list[tuple[str, str, str]]:
        """(resolved path, rule set id, how) of the originals declared with terms."""
        return [tuple(d) for d in self.options.get("declared", [])]  # type: ignore[misc]


@dataclass(frozen=True)
class PageRecord:
    """One audited page as stored: verdict, evidence and findings."""

    url: str
    position: int
    domain: str
    status: str
    fetched_at: str
    result: dict[str, Any]
    reason: str | None = None
    ruleset: str | None = None
    original_id: str | None = None
    original_url: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    body: bytes | None = field(default=None, repr=False)
    content_type: str | None = None
    charset: str | None = None
    judged_with: str | None = None  # audit.judgement_key: equal keys, equal verdicts

    @property
    def violations(self) -> list[dict[str, Any]]:
        """Failed findings that count: errors and warnings, not waived (info is advice)."""
        return [
            f
            for f in self.result.get("findings", [])
            if f["passed"] is False
            and f["severity"] in ("error", "warning")
            and not f.get("suppressed")
        ]


@dataclass(frozen=True)
class Version:
    """What the store knows of a URL's last fetched version, for a conditional request."""

    etag: str | None
    last_modified: str | None
    content_hash: str
    content_type: str | None = None  # as served with the body: a 304 comes without one
    charset: str | None = None


def _row_to_page(row: sqlite3.Row) -> PageRecord:
    return PageRecord(
        url=row["url"],
        position=row["position"],
        domain=row["domain"],
        status=row["status"],
        fetched_at=row["fetched_at"],
        result=json.loads(row["result"]),
        reason=row["reason"],
        ruleset=row["ruleset"],
        original_id=row["original_id"],
        original_url=row["original_url"],
        final_url=row["final_url"],
        http_status=row["http_status"],
        content_hash=row["content_hash"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        not_modified=bool(row["not_modified"]),
        content_type=row["content_type"],
        charset=row["charset"],
        judged_with=row["judged_with"],
    )


def _row_to_run(row: sqlite3.Row) -> Run:
    return Run(
        row["id"],
        row["label"],
        row["started"],
        row["finished"],
        row["state"],
        row["sources_key"],
        json.loads(row["sources"]),
        json.loads(row["rules"]),
        json.loads(row["options"]),
        json.loads(row["problems"]),
    )


def _connect(uri: str, path: Path) -> GuardedConnection:
    try:
        db = sqlite3.connect(
            uri, timeout=30.0, isolation_level=None, uri=True, factory=GuardedConnection
        )
    except sqlite3.Error as exc:
        raise store_error(path, exc) from None
    db.store_path = path
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA busy_timeout=30000")
    return db


def _connect_read_only(path: Path) -> GuardedConnection:
    """A connection that cannot write; on media where even the WAL's shared memory cannot be
    made, the file is read as immutable (no other process can be writing it there)."""
    uri = f"file:{quote(str(path.resolve()))}"
    db = _connect(uri + "?mode=ro", path)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except StoreError:
        db.close()
        db = _connect(uri + "?mode=ro&immutable=1", path)
    return db


def store_path(db: str) -> Path:
    """The SQLite file a --db value names (a path, or a sqlite:/// URL)."""
    if db.startswith("sqlite:///"):
        return Path(db.removeprefix("sqlite:///"))
    if "://" in db:
        scheme = db.split("://", 1)[0]
        raise UserError(f"--db {db}: only SQLite files are supported so far, not {scheme}://")
    return Path(db)


def _waivers(stored: str) -> tuple[Waiver, ...]:
    return tuple(
        Waiver(w["rule"], w["paths"], w["reason"], date.fromisoformat(w["expires"]))
        for w in json.loads(stored)
    )


class Store:
    """An audit history in one SQLite file. Use from one thread; open one per process."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        """Open (creating unless `read_only`) the store at `path`. Read-only, nothing is
        written, not even the journal mode: a store on read-only media is read as it is."""
        self.path = path
        try:
            if read_only:
                self.db = _connect_read_only(path)
            else:
                if path.parent != Path(""):
                    path.parent.mkdir(parents=True, exist_ok=True)
                self.db = _connect(f"file:{quote(str(path.resolve()))}", path)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_SCHEMA)  # idempotent: every statement is IF NOT EXISTS
                with self._write():
                    self.db.execute(
                        "INSERT INTO meta VALUES ('schema', ?) ON CONFLICT DO NOTHING",
                        (str(SCHEMA_VERSION),),
                    )
            found = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if found is None:
                raise StoreError(f"{path}: not an audit database (it records no schema)")
            version = found[0]
            if int(version) < SCHEMA_VERSION and read_only:
                # An older store is brought up to date once, then read: the only write a
                # report ever makes, and only where the file can be written.
                self.db.close()
                self.__init__(path)  # type: ignore[misc]
                return
            if int(version) < SCHEMA_VERSION:
                version = self._upgrade(int(version))
        except StoreError as exc:
            if "unable to open" in exc.message or "not a database" in exc.message:
                raise StoreError(f"{path}: not a usable audit database: {exc.message}") from None
            raise
        except OSError as exc:
            raise UserError(f"{path}: cannot open it: {exc.strerror or exc}") from None
        if int(version) > SCHEMA_VERSION:
            raise UserError(
                f"{path}: written by a newer compliance (store schema {version}); upgrade"
            )

    def _upgrade(self, version: int) -> str:
        """Bring an older store to this schema in place; its history is kept."""
        with self._write():
            columns = {row["name"] for row in self.db.execute("PRAGMA table_info(pages)")}
            for column in ("content_type", "charset", "judged_with"):
                if column not in columns:
                    self.db.execute(f"ALTER TABLE pages ADD COLUMN {column} TEXT")
            listed = {row["name"] for row in self.db.execute("PRAGMA table_info(targets)")}
            if "terms" not in listed:
                self.db.execute("ALTER TABLE targets ADD COLUMN terms TEXT")
            partnered = {row["name"] for row in self.db.execute("PRAGMA table_info(run_partners)")}
            if "waivers" not in partnered:
                self.db.execute(
                    "ALTER TABLE run_partners ADD COLUMN waivers TEXT NOT NULL DEFAULT '[]'"
                )
            self.db.execute("UPDATE meta SET value=? WHERE key='schema'", (str(SCHEMA_VERSION),))
        return str(SCHEMA_VERSION)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            # SQLite may have rolled back already (a full disk at COMMIT): the first error
            # is the one to tell.
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    # Runs

    def start_run(
        self,
        run_id: str,
        started: str,
        label: str | None,
        sources: Sequence[str],
        sources_key: str,
        rules: list[dict[str, str]],
        options: dict[str, Any],
        targets: Sequence[Target],
        problems: Sequence[str],
        tool: str,
    ) -> Run:
        """Record a new run and the pages it will audit, in one transaction."""
        with self._write():
            self.db.execute(
                "INSERT INTO runs VALUES (?, ?, ?, NULL, 'running', ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    label,
                    started,
                    sources_key,
                    json.dumps(list(sources)),
                    json.dumps(rules),
                    json.dumps(options, sort_keys=True),
                    json.dumps(list(problems)),
                    tool,
                ),
            )
            self.db.executemany(
                "INSERT INTO targets (run_id, position, url, path, original, source, terms)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [
                    (run_id, n, t.url, t.path, t.original, t.source, t.terms)
                    for n, t in enumerate(targets)
                ],
            )
            self._put_claim(run_id, new_claim())  # claimed as it is recorded: no gap to race
        return self.run(run_id)

    # Claims: one process works a run at a time

    def claim_run(self, run_id: str) -> None:
        """Claim the run for this process; UserError when another process still works it."""
        with self._write():
            held = self.claim(run_id)
            if held is not None and held.holds():
                raise UserError(f"{self.path}: {held.in_words(run_id)}")
            self._put_claim(run_id, new_claim())

    def claim(self, run_id: str) -> Claim | None:
        """The claim on the run, if any process has one."""
        row = self.db.execute(
            "SELECT holder, host, pid, taken, renewed FROM claims WHERE run_id=?", (run_id,)
        ).fetchone()
        return Claim(*row) if row else None

    def release_run(self, run_id: str) -> None:
        """Give up this process's claim on the run (another's is left alone)."""
        with self._write():
            self.db.execute(
                "DELETE FROM claims WHERE run_id=? AND holder=?", (run_id, PROCESS_HOLDER)
            )

    def _put_claim(self, run_id: str, claim: Claim) -> None:
        self.db.execute(
            "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET"
            " holder=excluded.holder, host=excluded.host, pid=excluded.pid,"
            " taken=excluded.taken, renewed=excluded.renewed",
            (run_id, claim.holder, claim.host, claim.pid, claim.taken, claim.renewed),
        )

    def finish_run(self, run_id: str, finished: str, state: str = "complete") -> None:
        """Mark a run done: `complete`, or `empty` when it checked no page (every page
        unverifiable), which no later run is ever compared with."""
        with self._write():
            self.db.execute(
                "UPDATE runs SET state=?, finished=? WHERE id=?", (state, finished, run_id)
            )
            self.db.execute("DELETE FROM claims WHERE run_id=?", (run_id,))

    def run(self, run_id: str) -> Run:
        row = self.db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise UserError(f"{self.path}: no run {run_id!r}")
        return _row_to_run(row)

    def runs(self) -> list[Run]:
        """Every run, oldest first (runs begun in the same second, in the order begun)."""
        rows = self.db.execute("SELECT * FROM runs ORDER BY started, rowid").fetchall()
        return [_row_to_run(row) for row in rows]

    def unfinished(self) -> Run | None:
        """The latest run that was interrupted before it finished."""
        row = self.db.execute(
            "SELECT * FROM runs WHERE state='running' ORDER BY started DESC, rowid DESC LIMIT 1"
        ).fetchone()
        return _row_to_run(row) if row else None

    def targets(self, run_id: str, pending_only: bool = False) -> list[tuple[int, Target]]:
        """The run's pages in order, with their positions; only those with no result yet."""
        query = "SELECT * FROM targets t WHERE run_id=?"
        if pending_only:
            query += (
                " AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.run_id=t.run_id AND p.url=t.url)"
            )
        rows = self.db.execute(query + " ORDER BY position", (run_id,)).fetchall()
        return [
            (
                row["position"],
                Target(row["url"], row["path"], row["original"], row["source"], row["terms"]),
            )
            for row in rows
        ]

    # Pages

    def record_page(self, run_id: str, page: PageRecord) -> bool:
        """Store one page result with its findings and body; False if it was already stored."""
        return self.record_pages(run_id, [page]) == 1

    def record_pages(self, run_id: str, pages: Sequence[PageRecord]) -> int:
        """Store page results in one transaction (all or none); how many were new."""
        with self._write():
            self.db.execute(
                "UPDATE claims SET renewed=? WHERE run_id=? AND holder=?",
                (time.time(), run_id, PROCESS_HOLDER),
            )
            return sum(self._insert_page(run_id, page) for page in pages)

    def replace_pages(self, run_id: str, pages: Sequence[PageRecord]) -> None:
        """Store new verdicts in place of the run's first ones on the same pages (a page
        judged again once the run knew its site's boilerplate), in one transaction."""
        with self._write():
            for page in pages:
                for table in ("findings", "pages"):
                    self.db.execute(
                        f"DELETE FROM {table} WHERE run_id=? AND url=?", (run_id, page.url)
                    )
                self._insert_page(run_id, page)

    def _insert_page(self, run_id: str, page: PageRecord) -> bool:
        # A 304's body came from this table: no need to compress it again.
        if page.body is not None and page.content_hash and not page.not_modified:
            self.db.execute(
                "INSERT INTO bodies VALUES (?, ?) ON CONFLICT DO NOTHING",
                (page.content_hash, zlib.compress(page.body, 6)),
            )
        inserted = self.db.execute(
            "INSERT INTO pages (run_id, url, position, domain, status, reason, ruleset,"
            " original_id, original_url, final_url, http_status, fetched_at, content_hash,"
            " etag, last_modified, not_modified, result, content_type, charset, judged_with)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            (
                run_id,
                page.url,
                page.position,
                page.domain,
                page.status,
                page.reason,
                page.ruleset,
                page.original_id,
                page.original_url,
                page.final_url,
                page.http_status,
                page.fetched_at,
                page.content_hash,
                page.etag,
                page.last_modified,
                int(page.not_modified),
                json.dumps(page.result, ensure_ascii=False),
                page.content_type,
                page.charset,
                page.judged_with,
            ),
        ).rowcount
        if inserted:
            self.db.executemany(
                "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                [
                    (
                        run_id,
                        page.url,
                        f["fingerprint"],
                        f["rule"],
                        f["check"],
                        int(f["passed"]),
                        f["severity"],
                        f["message"],
                        f.get("clause"),
                    )
                    for f in page.result.get("findings", [])
                ],
            )
        return bool(inserted)

    def pages(self, run_id: str, status: str | None = None) -> list[PageRecord]:
        """The run's page results (only those of `status`, when given), in the order its
        sources listed them."""
        query = "SELECT * FROM pages WHERE run_id=?" + (" AND status=?" if status else "")
        params = (run_id, status) if status else (run_id,)
        rows = self.db.execute(query + " ORDER BY position", params).fetchall()
        return [_row_to_page(row) for row in rows]

    def judged(self, url: str, content_hash: str, judged_with: str) -> PageRecord | None:
        """The latest verdict on these very bytes of `url` under the same rules, originals
        and tool (judged_with), if a checked one is stored: it is this week's verdict too."""
        row = self.db.execute(
            "SELECT * FROM pages WHERE url=? AND content_hash=? AND judged_with=?"
            " AND status != 'unverifiable' ORDER BY fetched_at DESC LIMIT 1",
            (url, content_hash, judged_with),
        ).fetchone()
        return _row_to_page(row) if row else None

    def status_counts(self, run_id: str) -> dict[str, int]:
        """How many of the run's pages ended in each status."""
        rows = self.db.execute(
            "SELECT status, count(*) FROM pages WHERE run_id=? GROUP BY status", (run_id,)
        ).fetchall()
        return {row[0]: row[1] for row in rows}

    def domain_counts(self, run_id: str) -> dict[str, dict[str, int]]:
        """How many of the run's pages ended in each status, per republisher domain."""
        found: dict[str, dict[str, int]] = {}
        rows = self.db.execute(
            "SELECT domain, status, count(*) FROM pages WHERE run_id=? GROUP BY domain, status",
            (run_id,),
        ).fetchall()
        for domain, status, count in rows:
            found.setdefault(domain, {})[status] = count
        return found

    def listing_validators(self) -> dict[str, tuple[str | None, str | None]]:
        """Each listing's ETag and Last-Modified, as its last answer gave them."""
        rows = self.db.execute("SELECT url, etag, last_modified FROM listings")
        return {r[0]: (r[1], r[2]) for r in rows}

    # Discovery (compliance/discover): listings' validators, decisions, partners of a run

    def remember_listings(self, rows: Sequence[tuple[str, str | None, str | None]]) -> None:
        """(url, etag, last_modified) of each listing read with a new answer."""
        stamp = utc_timestamp()
        with self._write():
            self.db.executemany(
                "INSERT INTO listings VALUES (?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                " etag=excluded.etag, last_modified=excluded.last_modified,"
                " read_at=excluded.read_at",
                [(*row, stamp) for row in rows],
            )

    def discovery_decisions(self) -> dict[str, Remembered]:
        """Each page discovery decided on in an earlier run, by URL."""
        rows = self.db.execute("SELECT url, modified, step, why, fetched FROM discovered")
        return {r[0]: Remembered(r[1], r[2], r[3], bool(r[4])) for r in rows}

    def remember_decisions(self, rows: list[tuple[str, str, str | None, str, str, bool]]) -> None:
        """(url, partner, modified, step, why, fetched) for each page decided this run."""
        stamp = utc_timestamp()
        with self._write():
            self.db.executemany(
                "INSERT INTO discovered VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE"
                " SET partner=excluded.partner, modified=excluded.modified, step=excluded.step,"
                " why=excluded.why, fetched=excluded.fetched, decided_at=excluded.decided_at",
                [(*row[:5], int(row[5]), stamp) for row in rows],
            )

    def known_copies(self) -> set[str]:
        """Discovered pages a stored run judged a copy: re-checked every week."""
        rows = self.db.execute(
            "SELECT DISTINCT p.url FROM pages p JOIN discovered d ON d.url = p.url"
            " WHERE p.status IN ('pass', 'warn', 'fail')"
        )
        return {r[0] for r in rows}

    def record_partners(self, run_id: str, partners: Sequence[Any]) -> None:
        """The partners (discover.partners.Partner) a run is over, with their waivers: a
        resumed run judges by the agreements it began with."""

        def waivers(partner: Any) -> str:
            return json.dumps(
                [
                    {"rule": w.rule, "paths": list(w.patterns), "reason": w.reason,
                     "expires": w.expires.isoformat()}
                    for w in partner.waivers
                ]
            )  # fmt: skip

        with self._write():
            self.db.executemany(
                "INSERT OR REPLACE INTO run_partners VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (run_id, p.id, p.name, p.contact, json.dumps(p.sites), waivers(p))
                    for p in partners
                ],
            )

    def partners(self, run_id: str) -> list[RunPartner]:
        """The partners a run was over; none for a run over plain sources."""
        try:
            rows = self.db.execute(
                "SELECT partner, name, contact, sites, waivers FROM run_partners WHERE run_id=?"
                " ORDER BY partner",
                (run_id,),
            ).fetchall()
        except sqlite3.OperationalError:  # an older store read where it cannot be written
            return []
        return [RunPartner(r[0], r[1], r[2], tuple(json.loads(r[3])), _waivers(r[4])) for r in rows]

    def count_pages(self, run_id: str) -> int:
        return self.db.execute("SELECT count(*) FROM pages WHERE run_id=?", (run_id,)).fetchone()[0]

    def versions(self, urls: Sequence[str]) -> dict[str, Version]:
        """The latest stored version of each URL whose body is kept."""
        found: dict[str, Version] = {}
        for url in urls:
            row = self.db.execute(
                "SELECT etag, last_modified, content_hash, content_type, charset FROM pages p"
                " WHERE url=? AND content_hash IS NOT NULL"
                " AND EXISTS (SELECT 1 FROM bodies b WHERE b.hash=p.content_hash)"
                " ORDER BY fetched_at DESC LIMIT 1",
                (url,),
            ).fetchone()
            if row and (row["etag"] or row["last_modified"]):
                found[url] = Version(
                    row["etag"],
                    row["last_modified"],
                    row["content_hash"],
                    row["content_type"],
                    row["charset"],
                )
        return found

    def body(self, content_hash: str) -> bytes | None:
        row = self.db.execute("SELECT body FROM bodies WHERE hash=?", (content_hash,)).fetchone()
        return zlib.decompress(row[0]) if row else None

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])
