"""The newswire's own articles: JSON Lines, article files, RSS/Atom feeds, WordPress exports.

Originals are read as a stream (an archive of 200,000 articles never sits in memory as
objects; the index is built from the stream). A problem with one original (a bad line, an
unreadable file, an entry without text) is reported with its file and line and skipped; the
rest of the archive is still used.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compliance.common.textmatch import split_paragraphs
from compliance.errors import InputError, UserError
from compliance.model import Article, BodyVersion, Original
from compliance.read.sources import PAGE_SUFFIXES, InputRef, load_page

_KNOWN_KEYS = {"id", "url", "title", "authors", "published", "source", "body", "versions"}


@dataclass
class Archive:
    """The originals that loaded, and what was wrong with those that did not."""

    originals: list[Original] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


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
    for key in ("id", "title"):
        if not isinstance(record[key], str | int):
            raise ValueError(f"'{key}' must be a string")
    if not isinstance(record["body"], str):
        raise ValueError(
            f"'body' must be a string (paragraphs separated by a blank line), not"
            f" {type(record['body']).__name__}"
        )
    return Original(
        id=str(record["id"]),
        title=str(record["title"]),
        body=body_paragraphs(record["body"]),
        url=record.get("url") or None,
        authors=_authors(record.get("authors")),
        published=str(record["published"]) if record.get("published") else None,
        source=record.get("source") or None,
        origin=origin,
        extra={k: v for k, v in record.items() if k not in _KNOWN_KEYS},
        versions=_versions(record.get("versions")),
    )


def _versions(value: Any) -> tuple[BodyVersion, ...]:
    """The earlier bodies of a record (`versions`: [{"seen", "modified", "body"}], oldest
    first); raises ValueError naming what is wrong."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError("'versions' must be a list of {seen, modified, body}, oldest first")
    found = []
    for n, entry in enumerate(value):
        body = entry.get("body") if isinstance(entry, dict) else None
        if not isinstance(body, str) or not body.strip():
            raise ValueError(f"versions[{n}] must be an object with its 'body' as a string")
        dates = [entry.get(key) for key in ("seen", "modified")]
        if any(d is not None and not isinstance(d, str) for d in dates):
            raise ValueError(f"versions[{n}]: 'seen' and 'modified' are ISO dates, as strings")
        found.append(BodyVersion(body_paragraphs(body), *[d or None for d in dates]))
    return tuple(found)


def single_newlines(body: str) -> bool:
    """Whether a body of several lines separates its paragraphs with single newlines only
    (a common export): then each line is a paragraph."""
    text = body.strip().replace("\r\n", "\n")
    return "\n" in text and "\n\n" not in text.replace(" \n", "\n").replace("\n ", "\n")


def body_paragraphs(body: str) -> tuple[str, ...]:
    """The paragraphs of a JSON Lines `body`: separated by blank lines, or, when it has none,
    by its single newlines."""
    if single_newlines(body):
        return tuple(line.strip() for line in body.splitlines() if line.strip())
    return split_paragraphs(body)


FEED_SUFFIXES = (".xml", ".rss", ".atom", ".wxr")
ARCHIVE_SUFFIXES = frozenset((*PAGE_SUFFIXES, ".jsonl", *FEED_SUFFIXES))


def _read_jsonl(
    path: Path, problems: list[str], notes: list[str] | None = None
) -> Iterator[Original]:
    try:
        handle = path.open("r", encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        problems.append(f"{path}: cannot read it: {exc.strerror or exc}")
        return
    single: list[str] = []
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("each line must be one JSON object")
                original = original_from_record(record, where)
                if single_newlines(record["body"]):
                    single.append(where)
                yield original
            except json.JSONDecodeError as exc:
                problems.append(f"{where}:{exc.colno}: not valid JSON: {json_error_in_words(exc)}")
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
    if single and notes is not None:
        many = f"{len(single):,} originals" if len(single) > 1 else "1 original"
        notes.append(
            f"{single[0]}: paragraphs separated by single newlines in {many} of this file:"
            " each line is read as a paragraph (separate paragraphs with a blank line)"
        )


def json_error_in_words(exc: json.JSONDecodeError) -> str:
    """The decoder's complaint as a sentence: its own ends in a dangling "at" for some
    errors, and a raw control character is invisible in the line the user opens."""
    message = exc.msg.removesuffix(" at").removesuffix(":")
    if message.startswith("Invalid control character") and exc.pos < len(exc.doc):
        code = ord(exc.doc[exc.pos])
        return (
            f"a raw control character (U+{code:04X}) inside a string;"
            f" write it escaped as \\u{code:04x} or remove it"
        )
    return message


def _read_article_file(path: Path, root: Path, problems: list[str]) -> Iterator[Original]:
    from compliance.read.extract import extract  # the extractor is only needed for article files

    try:
        article = extract(load_page(InputRef(str(path), path=path)))
        yield original_from_article(
            article, path.relative_to(root).with_suffix("").as_posix(), str(path), path.stem
        )
    except InputError as exc:
        problems.append(exc.message)


def original_from_article(
    article: Article, default_id: str, origin: str, default_title: str | None = None
) -> Original:
    """The original a read page holds (an article file, or a page a sitemap lists): its
    front matter and metadata say its id, address, date and terms where they can."""
    front = article.metadata.get("front_matter") or {}
    meta = article.metadata.get("meta") or {}
    title = article.title or default_title
    body = article.paragraphs
    if body and title and " ".join(body[0].split()) == " ".join(title.split()):
        body = body[1:]  # the headline, read as the story's first paragraph
    if not title or not body:
        raise InputError(f"{origin}: no {'title' if not title else 'article text'} found")
    return Original(
        id=str(front.get("id") or default_id),
        title=title,
        body=body,
        url=front.get("url") or article.canonical,
        authors=tuple(b.name for b in article.bylines),
        published=str(
            front.get("published") or front.get("date") or meta.get("article:published_time") or ""
        )
        or None,
        source=front.get("source") or meta.get("syndication-source-id"),
        origin=origin,
    )


def _xml_kind(path: Path) -> str | None:
    """ "wxr" for a WordPress export, "feed" for RSS or Atom, None for other XML."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).lower()
    except OSError:
        return "feed"  # the feed reader reports the error with the file's name
    if b"wordpress.org/export" in head:
        return "wxr"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    return None


def _read_file(
    path: Path, root: Path, problems: list[str], notes: list[str] | None = None
) -> Iterator[Original]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, problems, notes)
    elif suffix in FEED_SUFFIXES:
        kind = _xml_kind(path)
        if kind == "wxr":
            from compliance.archive.wxr import read_wxr

            yield from read_wxr(path, problems)
        elif kind == "feed":
            from compliance.archive.feeds import read_feed

            yield from read_feed(path, problems)
        else:
            problems.append(f"{path}: not an RSS or Atom feed nor a WordPress export")
    else:
        yield from _read_article_file(path, root, problems)


def archive_files(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """Every (file, root) the archive at `paths` is read from, in a stable order.

    Raises UserError for a path that does not exist or is not a kind of archive.
    """
    files: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix.lower() in ARCHIVE_SUFFIXES)
            files.extend((file, path) for file in sorted(found) if file.is_file())
        elif not path.exists():
            raise UserError(f"{path}: no such originals file or directory")
        elif path.suffix.lower() in ARCHIVE_SUFFIXES:
            files.append((path, path.parent))
        else:
            raise UserError(
                f"{path}: originals must be a .jsonl file, an RSS/Atom feed or WordPress export"
                " (.xml), an article file, or a directory of them"
            )
    return files


def iter_originals(
    paths: Iterable[Path], problems: list[str], notes: list[str] | None = None
) -> Iterator[Original]:
    """Every original under `paths`, each id once; what could not be read goes to `problems`,
    how something was read that a user should know (`notes`), once a file, to `notes`."""
    seen: dict[str, str] = {}
    for file, root in archive_files(paths):
        resolved = str(file.resolve())
        for original in _read_file(file, root, problems, notes):
            original = replace(original, file=resolved)
            if original.id in seen:
                problems.append(
                    f"{original.origin}: id '{original.id}' was already used by {seen[original.id]}"
                )
                continue
            seen[original.id] = original.origin
            yield original


def load_archive(paths: Iterable[Path]) -> Archive:
    """Every original under `paths`, in memory: for small archives and tests."""
    archive = Archive()
    archive.originals = list(iter_originals(paths, archive.problems))
    return archive
