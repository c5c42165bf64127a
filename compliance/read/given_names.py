"""Given names people are called by, in the languages Faker knows (86 locales, ~31,000 names).

A two-word phrase is a person's name when it starts with a given name ("Dan Goodin"), not
when it is merely capitalised ("Desktop Site", "Parental Guidance"). Faker (MIT) keeps these
lists per locale; gender-guesser's larger list was measured too, but it is GPL-3.0 and this
project is MIT. The merged set is cached as one text file beside the archive indexes, keyed by
the installed Faker, so a page costs one file read rather than 86 module imports.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import sys
from functools import cache
from pathlib import Path

from compliance.common.cachedir import cache_root
from compliance.common.textmatch import strip_accents

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


def _faker_stamp() -> str:
    """Which Faker the lists come from: its package file's size and time, found without
    importing Faker or reading package metadata (both cost more than the list itself)."""
    for entry in sys.path:
        with contextlib.suppress(OSError):
            stat = (Path(entry or ".") / "faker" / "__init__.py").stat()
            return f"{stat.st_size}-{stat.st_mtime_ns}"
    return "unknown"


class _SortedLines:
    """A sorted file of one name a line, searched in place: a page asks about a handful of
    words, so reading 31,000 names into a set would cost more than every lookup together."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __contains__(self, key: str) -> bool:
        wanted = key.encode("utf-8")
        data = self.data
        low, high = 0, len(data)
        while low < high:  # the first line starting at or after `middle`, compared
            middle = (low + high) // 2
            start = data.rfind(b"\n", 0, middle) + 1
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            line = data[start:end]
            if line == wanted:
                return True
            if line < wanted:
                low = end + 1
            else:
                high = start
        return False


@cache
def given_names() -> _SortedLines:
    """Every given name known, accents folded and lower-cased (sorted by their UTF-8 bytes)."""
    path = cache_root() / f"given-names-{_faker_stamp()}.txt"
    with contextlib.suppress(OSError):
        return _SortedLines(path.read_bytes())
    text = "\n".join(sorted(_from_faker(), key=lambda n: n.encode("utf-8")))
    with contextlib.suppress(OSError):  # a read-only cache only costs the next run the build
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    return _SortedLines(text.encode("utf-8"))


def is_given_name(word: str) -> bool:
    """Whether `word` is a given name in some locale ("Phil", "Aleš", "Nikhil")."""
    key = _key(word.strip(".,'’\"()"))
    return len(key) > 1 and key in given_names()
