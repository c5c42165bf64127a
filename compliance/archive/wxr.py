"""Originals from a WordPress export (WXR), read as a stream.

A newsroom's whole archive can be one WXR file of several gigabytes, so it is parsed with
lxml's iterparse and each `<item>` is dropped once read. Only published posts are originals;
pages, attachments, drafts and revisions are skipped. `dc:creator` holds an author's login,
which the export's `<wp:author>` entries (written before the items) turn into the name readers
see. The post id is kept: republication tracking pixels name it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from compliance.errors import InputError
from compliance.model import Original
from compliance.read.htmltree import fragment_paragraphs


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _fields(item: Any) -> dict[str, str]:
    """The item's child elements by local name (the first of each), as text."""
    found: dict[str, str] = {}
    for child in item:
        name = _local(child.tag)
        if name == "category" and child.get("domain") == "author":
            # Co-Authors Plus lists each co-author as an `author` category.
            found.setdefault("coauthors", "")
            found["coauthors"] += (child.text or "").strip() + "\n"
        elif name not in found:
            found[name] = child.text or ""
    return found


def _published(fields: dict[str, str]) -> str | None:
    gmt = fields.get("post_date_gmt", "").strip()
    if gmt and not gmt.startswith("0000"):
        return gmt.replace(" ", "T") + "Z"
    return fields.get("post_date", "").strip() or fields.get("pubDate", "").strip() or None


def _original(fields: dict[str, str], names: dict[str, str], where: str) -> Original:
    post_id = fields.get("post_id", "").strip()
    title = " ".join(fields.get("title", "").split())
    body = fragment_paragraphs(fields.get("encoded", ""), where)
    missing = [
        name
        for name, value in (("post id", post_id), ("title", title), ("content", body))
        if not value
    ]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    authors = [line for line in fields.get("coauthors", "").splitlines() if line]
    if not authors and fields.get("creator", "").strip():
        login = fields["creator"].strip()
        authors = [names.get(login, login)]
    return Original(
        id=post_id,
        title=title,
        body=body,
        url=fields.get("link", "").strip() or None,
        authors=tuple(authors),
        published=_published(fields),
        origin=where,
        extra={"post_id": post_id},
    )


def read_wxr(path: Path, problems: list[str]) -> Iterator[Original]:
    """Every published post of the WordPress export at `path`."""
    names: dict[str, str] = {}
    items = 0
    events = etree.iterparse(
        str(path), events=("end",), resolve_entities=False, no_network=True, huge_tree=False
    )
    try:
        for _event, element in events:
            name = _local(element.tag)
            if name == "author":
                fields = {_local(c.tag): (c.text or "").strip() for c in element}
                if fields.get("author_login"):
                    names[fields["author_login"]] = (
                        fields.get("author_display_name") or fields["author_login"]
                    )
            if name != "item":
                continue
            items += 1
            fields = _fields(element)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
            if fields.get("post_type", "post") != "post" or fields.get("status") != "publish":
                continue
            where = f"{path}: item {items}"
            try:
                yield _original(fields, names, where)
            except (ValueError, InputError) as exc:
                problems.append(f"{where}: {getattr(exc, 'message', exc)}")
    except etree.XMLSyntaxError as exc:
        problems.append(f"{path}:{exc.lineno}: not well-formed XML, reading stopped: {exc.msg}")
    except OSError as exc:
        problems.append(f"{path}: cannot read it: {exc.strerror or exc}")
