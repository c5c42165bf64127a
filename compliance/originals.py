"""The newswire's own articles: read from JSON Lines files or directories of article files.

A problem with one original (a bad line, an unreadable file) is reported with its file and
line and skipped; the rest of the archive is still used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.errors import InputError, UserError
from compliance.model import Original
from compliance.sources import PAGE_SUFFIXES, InputRef, load_page

_KNOWN_KEYS = {"id", "url", "title", "authors", "published", "source", "body"}


@dataclass
class Archive:
    """The originals that loaded, and what was wrong with those that did not."""

    originals: list[Original] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _paragraphs(body: str) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in body.split("\n\n") if p.strip())


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(
            str(a["name"] if isinstance(a, dict) and "name" in a else a) for a in value if a
        )
    return ()


def original_from_record(record: dict[str, Any], origin: str) -> Original:
    """An Original from one JSON Lines record; raises ValueError naming what is wrong."""
    missing = [key for key in ("id", "title", "body") if not record.get(key)]
    if missing:
        raise ValueError(
            f"missing required field{'s' if len(missing) > 1 else ''}: " + ", ".join(missing)
        )
    for key in ("id", "title", "body"):
        if not isinstance(record[key], str | int):
            raise ValueError(f"'{key}' must be a string")
    return Original(
        id=str(record["id"]),
        title=str(record["title"]),
        body=_paragraphs(str(record["body"])),
        url=record.get("url") or None,
        authors=_authors(record.get("authors")),
        published=str(record["published"]) if record.get("published") else None,
        source=record.get("source") or None,
        origin=origin,
        extra={k: v for k, v in record.items() if k not in _KNOWN_KEYS},
    )


def _load_jsonl(path: Path, archive: Archive) -> None:
    try:
        handle = path.open("r", encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        archive.problems.append(f"{path}: cannot read it: {exc.strerror or exc}")
        return
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("each line must be one JSON object")
                archive.originals.append(original_from_record(record, where))
            except json.JSONDecodeError as exc:
                archive.problems.append(f"{where}:{exc.colno}: not valid JSON: {exc.msg}")
            except ValueError as exc:
                archive.problems.append(f"{where}: {exc}")


def _load_article_file(path: Path, root: Path, archive: Archive) -> None:
    from compliance.extract import extract  # the extractor is only needed for article files

    try:
        article = extract(load_page(InputRef(str(path), path=path)))
    except InputError as exc:
        archive.problems.append(exc.message)
        return
    front = article.metadata.get("front_matter") or {}
    meta = article.metadata.get("meta") or {}
    identifier = front.get("id") or path.relative_to(root).with_suffix("").as_posix()
    archive.originals.append(
        Original(
            id=str(identifier),
            title=article.title or path.stem,
            body=article.paragraphs,
            url=front.get("url") or article.canonical,
            authors=tuple(b.name for b in article.bylines),
            published=str(
                front.get("published")
                or front.get("date")
                or meta.get("article:published_time")
                or ""
            )
            or None,
            source=front.get("source") or meta.get("syndication-source-id"),
            origin=str(path),
        )
    )


def load_archive(paths: Iterable[Path]) -> Archive:
    """Every original under `paths`: `.jsonl` files and directories of article files."""
    archive = Archive()
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES):
                _load_article_file(file, path, archive)
            for file in sorted(path.rglob("*.jsonl")):
                _load_jsonl(file, archive)
        elif path.suffix.lower() == ".jsonl":
            _load_jsonl(path, archive)
        elif not path.exists():
            raise UserError(f"{path}: no such originals file or directory")
        elif path.suffix.lower() in PAGE_SUFFIXES:
            _load_article_file(path, path.parent, archive)
        else:
            raise UserError(
                f"{path}: originals must be a .jsonl file, an article file or a directory of them"
            )
    seen: dict[str, str] = {}
    unique = []
    for original in archive.originals:
        if original.id in seen:
            archive.problems.append(
                f"{original.origin}: id '{original.id}' was already used"
                f" by {seen[original.id]}; this one is skipped"
            )
            continue
        seen[original.id] = original.origin
        unique.append(original)
    archive.originals = unique
    return archive
