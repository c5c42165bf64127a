"""A synced archive on disk: the JSON Lines originals and, beside them, what the sync knows.

`ARCHIVE.jsonl` holds one record per article in the contract's originals format, so any
`--originals` reader uses it as it is. `ARCHIVE.jsonl.sync.json` holds the sync's own state:
the source, the cursor of the last complete sync, and the validators (ETag, Last-Modified,
sitemap lastmod) of what was fetched. Both are rewritten atomically, the records first: a
crash between the two leaves an older cursor, so the next sync fetches a little more, never
less.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.common.files import write_atomic
from compliance.errors import UserError
from compliance.model import Original

STATE_SCHEMA = "compliance-archive-sync/1"
# Keys the sync writes for its own bookkeeping: a change in them alone is not an edit.
# `seen` and `body_modified` date the current body (when the sync first saw it, and the
# source's date then); `versions` are the earlier bodies, oldest first, as originals carry them.
BOOKKEEPING = frozenset({"deleted", "synced", "seen", "body_modified", "versions"})


def state_path(path: Path) -> Path:
    """Where the sync state of the archive at `path` is kept."""
    return path.with_name(path.name + ".sync.json")


def record_from_original(original: Original) -> dict[str, Any]:
    """The JSON Lines record of `original` (the inverse of reading one)."""
    record: dict[str, Any] = {
        "id": original.id,
        "url": original.url,
        "title": original.title,
        "authors": list(original.authors),
        "published": original.published,
        "source": original.source,
    }
    record.update(original.extra)
    record["body"] = "\n\n".join(original.body)
    if original.versions:
        record["versions"] = [
            {k: v for k, v in (("seen", old.seen), ("modified", old.modified)) if v}
            | {"body": "\n\n".join(old.body)}
            for old in original.versions
        ]
    return {k: v for k, v in record.items() if v not in (None, [], "")}


@dataclass
class SyncedArchive:
    """The records of an archive being synced, by id, in the order first seen."""

    path: Path
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, path: Path) -> SyncedArchive:
        """The archive at `path`, or an empty one when the file does not exist yet."""
        archive = cls(path)
        if path.exists():
            archive.records = _read_records(path)
        state_file = state_path(path)
        if state_file.exists():
            try:
                state = json.loads(state_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise UserError(f"{state_file}: cannot read the sync state: {exc}") from None
            if isinstance(state, dict) and state.get("schema") == STATE_SCHEMA:
                archive.state = state
        return archive

    def apply(self, record: dict[str, Any], now: str) -> str:
        """Add or replace one record: says "added", "updated" or "unchanged".

        A record whose body changed keeps the body it replaces as its latest earlier
        version, dated; a change of metadata alone (a title, a category) adds none."""
        old = self.records.get(record["id"])
        record = {**record, "synced": now}
        if old is None:
            self.records[record["id"]] = _dated(record, now)
            self.changed = True
            return "added"
        if _content(old) == _content(record):
            if "deleted" in old:  # it came back
                del old["deleted"]
                self.changed = True
                return "updated"
            return "unchanged"
        if old.get("body") != record.get("body"):
            earlier = {
                "seen": old.get("seen") or old.get("synced"),
                "modified": old.get("body_modified") or old.get("modified"),
                "body": old.get("body"),
            }
            versions = [*old.get("versions", []), {k: v for k, v in earlier.items() if v}]
            record = {**_dated(record, now), "versions": versions}
        else:
            record.update({k: old[k] for k in ("seen", "body_modified", "versions") if k in old})
        self.records[record["id"]] = record
        self.changed = True
        return "updated"

    def mark_deleted(self, ids: set[str], now: str) -> int:
        """Mark the records `ids` as deleted at the source (kept: copies of them still need
        credit); says how many were newly marked."""
        marked = 0
        for identifier in ids:
            record = self.records.get(identifier)
            if record is not None and "deleted" not in record:
                record["deleted"] = now
                marked += 1
        self.changed = self.changed or marked > 0
        return marked

    def save(self) -> None:
        """Write the records (when changed) and the state, each atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.changed or not self.path.exists():
            lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in self.records.values())
            write_atomic(self.path, "".join(lines))
            self.changed = False
        self.state["schema"] = STATE_SCHEMA
        write_atomic(state_path(self.path), json.dumps(self.state, indent=1) + "\n")


def _dated(record: dict[str, Any], now: str) -> dict[str, Any]:
    """`record` with its body dated: first seen now, at the source's modification date."""
    dates = {"seen": now, "body_modified": record.get("modified")}
    return {**record, **{k: v for k, v in dates.items() if v}}


def _content(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in BOOKKEEPING}


def _read_records(path: Path) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise UserError(
                    f"{path}:{number}: not valid JSON ({exc}); a synced archive is rewritten"
                    " whole, so fix or remove the line first"
                ) from None
            if not isinstance(record, dict) or not record.get("id"):
                raise UserError(f"{path}:{number}: a record without an id")
            records[str(record["id"])] = record
    return records
