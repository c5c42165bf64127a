"""Given names people are called by, in the languages Faker knows (86 locales, ~31,000 names).

A two-word phrase is a person's name when it starts with a given name ("Dan Goodin"), not
when it is merely capitalised ("Desktop Site", "Parental Guidance"). Faker (MIT) keeps these
lists per locale; gender-guesser's larger list was measured too, but it is GPL-3.0 and this
project is MIT. The merged set is cached as one text file beside the archive indexes, keyed by
Faker's version, so a page costs one file read rather than 86 module imports.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from compliance.cachedir import cache_root
from compliance.textmatch import strip_accents

_ATTRIBUTES = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def _from_faker() -> set[str]:
    import faker.providers.person as people

    names: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        for attribute in _ATTRIBUTES:
            listed = provider.__dict__.get(attribute)
            if isinstance(listed, list | tuple | dict | set | frozenset):
                names.update(_key(str(name)) for name in listed)
    names.discard("")
    return names


def _key(name: str) -> str:
    return strip_accents(name).casefold().strip()


@cache
def given_names() -> frozenset[str]:
    """Every given name known, accents folded and lower-cased."""
    try:
        stamp = version("faker")
    except PackageNotFoundError:
        stamp = "unknown"
    path = cache_root() / f"given-names-{stamp}.txt"
    with contextlib.suppress(OSError):
        return frozenset(path.read_text(encoding="utf-8").split("\n"))
    names = _from_faker()
    with contextlib.suppress(OSError):  # a read-only cache only costs the next run the build
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{id(names)}.tmp")
        temporary.write_text("\n".join(sorted(names)), encoding="utf-8")
        temporary.replace(path)
    return frozenset(names)


def is_given_name(word: str) -> bool:
    """Whether `word` is a given name in some locale ("Phil", "Aleš", "Nikhil")."""
    key = _key(word.strip(".,'’\"()"))
    return len(key) > 1 and key in given_names()
