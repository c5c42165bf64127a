"""Who published a page: the republisher a page counts for in the audit's report, from its
address, its site folder, or the partner whose site it is.

Depends on nothing of the audit but its targets and the stored partners: the runner, the
report and the waivers all ask it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from compliance.audit.sources import Target
from compliance.audit.store import RunPartner
from compliance.model import Result
from compliance.web.politeness import origin_of


@cache
def _suffixes() -> Callable[[str], Any]:
    """The public suffix list as shipped with tldextract: never fetched, loaded once."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def republisher(url: str, path: str | None = None, source: str = "") -> str:
    """Who published a page: its registrable domain (www.news.example.co.uk: example.co.uk).

    An address or a single-label host is kept whole, with its port. A saved page belongs to
    its site folder, the first level under the audited directory `source`; a page saved
    directly in that directory, to the directory (see `saved_page_republisher`).
    """
    if path is not None:
        try:
            inside = Path(path).relative_to(source).parts if source else ()
        except ValueError:
            inside = ()
        return inside[0] if len(inside) > 1 else Path(path).parent.name or "."
    parts = _suffixes()(url)
    registrable = parts.top_domain_under_public_suffix
    if registrable:
        return registrable
    return origin_of(url).split("://", 1)[1]


def saved_page_republisher(target: Target, result: Result | None, before: str | None = None) -> str:
    """The republisher of a saved page: its site folder; a page saved with no site folder,
    the site of the address it gives for itself, unless that is its original's (a copy's
    canonical link may rightly name the original); else the folder it is in.

    `before`: the republisher named when these bytes were judged, for a verdict reused
    without reading the page again."""
    assert target.path is not None
    folder = republisher(target.url, target.path, target.source)
    try:
        in_site_folder = len(Path(target.path).relative_to(target.source).parts) > 1
    except ValueError:
        in_site_folder = False
    if in_site_folder:
        return folder
    if result is None:
        return before or folder
    declared = result.page_url
    if not declared or not declared.startswith(("http://", "https://")):
        return folder
    own = republisher(declared)
    original = result.match.original.url if result is not None and result.match else None
    return folder if original and republisher(original) == own else own


def partner_domains(partners: list[RunPartner]) -> dict[str, tuple[str, RunPartner]]:
    """Each partner site's republisher key (its registrable domain), and the row it counts
    in: the partner's first site's key, and the partner."""
    found: dict[str, tuple[str, RunPartner]] = {}
    for partner in partners:
        keys = [republisher(s if "://" in s else f"https://{s}") for s in partner.sites]
        for key in keys:
            found.setdefault(key, (keys[0], partner))
    return found
