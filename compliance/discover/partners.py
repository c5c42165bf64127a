"""The partners file: who republishes the newswire, on which sites, and who hears about it.

    partners:
      - id: river-times
        name: River Times
        sites: [rivertimes.example, news.rivertimes.example]
        contact: editor@rivertimes.example
        terms: dcnf                      # optional: the rule set its agreement names
        waivers:                         # optional: checks its agreement lets it skip
          - rule: dcnf.logo
            reason: "agreement of 2026-10-01: text credit instead of the logo"
            expires: 2027-03-31          # the last day it holds
            pages: ["https://rivertimes.example/opinion/*"]   # optional; all its pages
        discovery:                       # optional hints
          sitemaps: [https://rivertimes.example/news-sitemap.xml]
          feeds: [https://rivertimes.example/feed/]
          skip: [/sports/, /obituaries/]

Validated like rule files: every problem with file:line:column and a did-you-mean for a
misspelt key; the JSON schema is `rules/partners.schema.json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from compliance.errors import UserError

_FORBID_EXTRA = {"extra": "forbid"}
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]+(?::\d+)?$")


@dataclass(frozen=True)
class Hints:
    """Where a partner's site lists its stories, beyond what discovery finds itself."""

    __pydantic_config__ = _FORBID_EXTRA

    sitemaps: list[str] = field(default_factory=list)  # sitemap URLs
    feeds: list[str] = field(default_factory=list)  # RSS/Atom feed URLs
    skip: list[str] = field(default_factory=list)  # path prefixes never fetched


@dataclass(frozen=True)
class PartnerWaiver:
    """A check a partner's agreement lets it skip, until a date (ci.suppress applies it)."""

    __pydantic_config__ = _FORBID_EXTRA

    rule: str  # the rule waived, e.g. 'dcnf.logo'; '*' patterns allowed
    reason: str  # the agreement that allows it
    expires: date  # the last day the waiver holds (YYYY-MM-DD)
    pages: list[str] = field(default_factory=lambda: ["*"])  # URL patterns it covers

    @property
    def patterns(self) -> list[str]:
        return self.pages


@dataclass(frozen=True)
class Partner:
    """One republisher of the newswire: its sites, its contact, its terms."""

    __pydantic_config__ = _FORBID_EXTRA

    id: str
    name: str
    sites: list[str]  # hosts ("example.com"), or origins ("http://example.com:8080")
    contact: str  # where its fix requests go
    terms: str | None = None  # the rule set its agreement names for its copies
    waivers: list[PartnerWaiver] = field(default_factory=list)
    discovery: Hints = field(default_factory=Hints)

    def owns(self, host: str) -> bool:
        """Whether `host` (www. or not) is one of the partner's sites."""
        key = _bare(host)
        return any(_bare(site) == key for site in self.sites)


@dataclass(frozen=True)
class PartnersSpec:
    __pydantic_config__ = _FORBID_EXTRA

    partners: list[Partner]


@dataclass(frozen=True)
class Partners:
    """A loaded partners file."""

    path: Path
    partners: tuple[Partner, ...]

    def of_url(self, url: str) -> Partner | None:
        """The partner whose site published `url`."""
        host = (urlsplit(url).netloc or "").lower()
        return next((p for p in self.partners if p.owns(host)), None)

    def by_id(self, partner_id: str) -> Partner | None:
        return next((p for p in self.partners if p.id == partner_id), None)


def expired_waivers(partners: Partners, today: date) -> list[str]:
    """A warning for each partner's waiver past its date: its check is enforced again."""
    from compliance.ci.suppress import lapsed

    return [
        f"{partners.path}: partner {partner.id}'s waiver of {waiver.rule} {lapsed(waiver)}"
        for partner in partners.partners
        for waiver in partner.waivers
        if waiver.expires < today
    ]


def _bare(host: str) -> str:
    """A site's host[:port] without "www.": "https://www.a.example/" is "a.example"."""
    host = host.lower().strip()
    if "://" in host:
        host = urlsplit(host).netloc
    host = host.rstrip("/.")
    return host[4:] if host.startswith("www.") else host


def _problems(spec: PartnersSpec) -> list[Any]:
    from compliance.common.validation import Problem

    found = []
    ids: dict[str, int] = {}
    hosts: dict[str, str] = {}
    for n, partner in enumerate(spec.partners):
        if not _ID.match(partner.id):
            message = (
                f"partners[{n}].id: '{partner.id}' is not an id (lower-case letters, digits,"
                " '.', '_' and '-')"
            )
            found.append(Problem(("partners", n, "id"), False, message))
        if partner.id in ids:
            message = f"partners[{n}].id: '{partner.id}' is already partners[{ids[partner.id]}]'s"
            found.append(Problem(("partners", n, "id"), False, message))
        ids.setdefault(partner.id, n)
        if not partner.sites:
            message = f"partners[{n}].sites: give at least one host"
            found.append(Problem(("partners", n, "sites"), False, message))
        for s, site in enumerate(partner.sites):
            key = _bare(site)
            scheme, _, rest = site.partition("://") if "://" in site else ("https", "", site)
            if scheme not in ("http", "https") or "/" in rest.rstrip("/") or not _HOST.match(key):
                message = (
                    f"partners[{n}].sites[{s}]: '{site}' is not a host name"
                    " (write example.com, or an origin such as http://example.com:8080)"
                )
                found.append(Problem(("partners", n, "sites", s), False, message))
            elif key in hosts and hosts[key] != partner.id:
                message = f"partners[{n}].sites[{s}]: '{site}' is partner '{hosts[key]}''s site too"
                found.append(Problem(("partners", n, "sites", s), False, message))
            hosts.setdefault(key, partner.id)
        if not partner.contact.strip():
            message = f"partners[{n}].contact: must not be empty"
            found.append(Problem(("partners", n, "contact"), False, message))
        for w, waiver in enumerate(partner.waivers):
            for key in ("rule", "reason"):
                if not getattr(waiver, key).strip():
                    message = f"partners[{n}].waivers[{w}].{key}: must not be empty"
                    found.append(Problem(("partners", n, "waivers", w, key), False, message))
            if not waiver.pages:
                message = f"partners[{n}].waivers[{w}].pages: give at least one URL pattern"
                found.append(Problem(("partners", n, "waivers", w, "pages"), False, message))
        for kind in ("sitemaps", "feeds"):
            for h, url in enumerate(getattr(partner.discovery, kind)):
                if urlsplit(url).scheme not in ("http", "https"):
                    message = f"partners[{n}].discovery.{kind}[{h}]: '{url}' is not an http(s) URL"
                    found.append(Problem(("partners", n, "discovery", kind, h), False, message))
    return found


def load_partners(path: Path) -> Partners:
    """Read and validate a partners file; UserError lists every problem with file:line."""
    from pydantic import TypeAdapter, ValidationError

    from compliance.common.validation import problems
    from compliance.common.yamlsafe import YamlProblem, key_node_at, load_yaml, node_at

    try:
        loaded = load_yaml(path.read_text(encoding="utf-8"))
    except YamlProblem as exc:
        raise UserError(f"{path}:{exc.line}:{exc.column}: {exc.message}") from None
    except FileNotFoundError:
        raise UserError(f"{path}: no such partners file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise UserError(f"{path}: cannot read it: {reason}") from None
    data, node = loaded.data, loaded.node

    def where(at: tuple[str | int, ...], at_key: bool = False) -> str:
        target = key_node_at(node, at) if at_key else node_at(node, at)
        if target is None:
            return str(path)
        return f"{path}:{target.start_mark.line + 1}:{target.start_mark.column + 1}"

    if not isinstance(data, dict) or "partners" not in data:
        raise UserError(f"{path}: a partners file is a mapping with a 'partners' list")
    try:
        spec = TypeAdapter(PartnersSpec).validate_python(data)
    except ValidationError as exc:
        found = problems(exc, PartnersSpec, data)
    else:
        found = _problems(spec)
    if found:
        raise UserError(
            f"{path}: invalid partners file",
            [f"{where(p.path, p.at_key)}: {p.message}" for p in found],
        )
    return Partners(path, tuple(spec.partners))
