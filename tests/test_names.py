"""Bylines into names, people versus accounts, and matching two spellings of one name."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.read.names import is_person_name, name_score, split_byline


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("By Philip Lenczycki", ["Philip Lenczycki"]),
        ("By Nick Pope, Daily Caller News Foundation", ["Nick Pope"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe, John Roe & Ann Lee", ["Jane Doe", "John Roe", "Ann Lee"]),
        ("BY GILLIAN MOHNEY March 11, 2015 3:46 PM", ["GILLIAN MOHNEY"]),
        ("Philip Lenczycki Investigative Reporter", ["Philip Lenczycki"]),
        ("Par Sébastien Farcis", ["Sébastien Farcis"]),
        ("By Staff", []),
        ("By The Daily Caller", []),
        ("Admin", []),
        ("WND News Services", []),
        ("Daily Caller News Foundation", []),
        ("Sign In", []),
        ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", ["Bradley M. Kuhn"]),
    ],
)
def test_split_byline(byline, people):
    assert [p.name for p in split_byline(byline) if p.is_person] == people


def test_site_name_is_not_a_person():
    assert not any(
        p.is_person for p in split_byline("By Example News Now", site_name="Example News Now")
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Philip Lenczycki", "Philip Lenczycki", True),
        ("Phil Lenczycki", "Philip Lenczycki", True),
        ("Philip J. Lenczycki", "Philip Lenczycki", True),
        ("PHILIP LENCZYCKI", "Philip Lenczycki", True),
        ("Philip Lenczyki", "Philip Lenczycki", True),
        ("Bill Smith", "William Smith", True),
        ("José Núñez", "Jose Nunez", True),
        ("Jane Doe", "John Doe", False),
        ("Philip Lennox", "Philip Lenczycki", False),
        ("Nick Pope", "Philip Lenczycki", False),
    ],
)
def test_name_score(a, b, same):
    assert (name_score(a, b) >= 85) == same


_name = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_name)
def test_split_byline_never_fails_and_people_are_plausible(raw):
    for part in split_byline(raw):
        assert part.name.strip() == part.name
        if part.is_person:
            assert is_person_name(part.name)


@settings(max_examples=300, deadline=None)
@given(_name, _name)
def test_name_score_is_bounded_and_full_for_the_same_name(a, b):
    score = name_score(a, b)
    assert 0 <= score <= 100
    if a.strip() and any(ch.isalnum() for ch in a):
        assert name_score(a, a) in (0, 100)


@given(st.lists(st.text(alphabet="abcdéłšz", min_size=1, max_size=6), unique=True, max_size=40),
       st.text(alphabet="abcdéłšz", min_size=1, max_size=6))  # fmt: skip
def test_the_sorted_name_file_is_searched_like_a_set(names: list[str], probe: str) -> None:
    from compliance.read.given_names import _SortedLines

    listed = _SortedLines("\n".join(sorted(names, key=lambda n: n.encode())).encode())
    assert all(name in listed for name in names)
    assert (probe in listed) == (probe in set(names))


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        # English: handles, roles and titles after the name; interviews credit both.
        ("Sam Ortiz ⋅ Founder", ["Sam Ortiz"]),
        ("Priya Nair @priyawrites", ["Priya Nair"]),
        ("Dana Wells, MD", ["Dana Wells"]),
        ("Jane Doe in conversation with John Roe", ["Jane Doe", "John Roe"]),
        ("Written by Jamie Co", ["Jamie Co"]),
        ("By Sarah E. Needleman and Bruce Y. Lee", ["Sarah E. Needleman", "Bruce Y. Lee"]),
        ("By Kai Miller 12:30 PM", ["Kai Miller"]),
        # German: labels without a colon, run-together text nodes, dates after the name.
        ("VON ANNA BRANDT am 3. Mai 2021", ["ANNA BRANDT"]),
        ("Autor Tom Keller:", ["Tom Keller"]),
        ("Geschrieben vonLena Fuchs", ["Lena Fuchs"]),
        ("Ein Artikel von Jana Roth", ["Jana Roth"]),
        ("Tom Keller, Korrespondent", ["Tom Keller"]),
        ("Lea Berg im Gespräch mit Max Hahn", ["Lea Berg", "Max Hahn"]),
        ("Von Anna Brandt und Jonas Weber, 12:30 Uhr", ["Anna Brandt", "Jonas Weber"]),
        # French and Spanish.
        ("Par Marie Dupont, le 3 mai 2021", ["Marie Dupont"]),
        ("Écrit par Luc Martin, journaliste", ["Luc Martin"]),
        ("Por Juan Pérez | 3 de mayo de 2021", ["Juan Pérez"]),
        ("Escrito por Ana Ruiz, corresponsal", ["Ana Ruiz"]),
        # Korean, Japanese and Chinese sign-offs: a role word and an e-mail beside the name.
        ("김민수 기자 minsu@example.com", ["김민수"]),
        ("이지현 칼럼니스트", ["이지현"]),
        ("山田太郎記者", ["山田太郎"]),
        ("记者 王小明", ["王小明"]),
        ("（记者 王小明）", ["王小明"]),  # a sign-off in brackets
        ("글=이지현 칼럼니스트", ["이지현"]),  # a Korean "writer=" label
        ("Propos recueillis par Marie Dupont", ["Marie Dupont"]),  # the French interviewer
        # A surname spelt like a word, after a given name.
        ("By Emily Post", ["Emily Post"]),
        ("By Glenn Close and Bill Press", ["Glenn Close", "Bill Press"]),
    ],
)
def test_the_name_is_cut_out_of_its_line(byline, people):
    assert [p.name for p in split_byline(byline) if p.is_person] == people


@pytest.mark.parametrize(
    "text",
    [
        "No Author", "Alle Beiträge", "Gesponserte Inhalte", "Acme Co", "JAMIE CO.",
        "Washington Post", "Denver Post", "Close Read", "PMJS - Coordenadoria de TI",
        "Redaktion Zeitung", "Équipe éditoriale",
    ],
)  # fmt: skip
def test_interface_text_and_companies_credit_no_person(text):
    assert [p.name for p in split_byline(text) if p.is_person] == []


@pytest.mark.parametrize(
    ("byline", "person"),
    [
        ("By Los Angeles", False),  # a city as an editorial's author (GeoNames)
        ("By Mount Vernon", False),
        ("By Empire State Building", False),
        ("By Blue Bottle Coffee Roasters", False),
        ("By True Crime", False),  # a podcast's genre, though "True" is a given name
        ("By Hong Kong", False),  # a big city even after a given name ("Hong")
        ("By Jane Park", True),  # a place word as a family name after a given name
        ("By Charlotte Hill", True),
        ("By Kiran Okafor", True),
    ],
)
def test_places_venues_and_genres_are_not_people(byline, person):
    assert [p.is_person for p in split_byline(byline)] == [person]


def test_a_korean_byline_credits_the_writer_and_names_the_photographer():
    parts = split_byline("글=이지현 기자 사진=박영수 기자")
    assert [(p.name, p.is_person, p.role) for p in parts] == [
        ("이지현", True, None),
        ("박영수", True, "사진"),
    ]
