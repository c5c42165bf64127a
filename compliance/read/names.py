"""People's names in bylines: splitting a byline into names, telling people from accounts,
and comparing two spellings of one reporter's name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from compliance.common.textmatch import normalize, strip_accents
from compliance.read.places import big_city, never_a_person, place_or_thing

# Words that introduce a byline, in the languages of the pages we meet.
BYLINE_LEAD = re.compile(
    r"^\s*(?:(?:written|words|story|reporting|text|posted|published)\s+by|by|from|"
    r"(?:ein\s+(?:artikel|beitrag|text|kommentar)|geschrieben|verfasst|text)\s+von|"
    r"(?:un\s+article|une\s+chronique)\s+de|(?:écrit|ecrit|rédigé|redige|texte)\s+par|"
    r"propos\s+recueillis\s+par|"
    r"(?:escrito|texto|redactado|un\s+artículo)\s+(?:por|de)|scritto\s+da|"
    r"geschreven\s+door|skrevet\s+av|"
    r"authors?|autor(?:in|es|a)?|auteur(?:e|s)?|autore|forfatter|byline|"
    r"par|von|por|di|door|av|af)\s*[:\-–—]?\s+",
    re.IGNORECASE,
)
# A lead glued to the name by text nodes joined without their space: "Geschrieben vonLena".
_GLUED_LEAD = re.compile(
    r"^((?:[^\W\d_]+\s+){0,2}(?:by|von|par|por|door|av))(?=[A-ZÀ-ÖØ-Þ][a-zß-ÿ])"
)
# A label before the names in any language: "Author:", "Автор:", "作者：", "Texto:".
_LABEL = re.compile(r"^\s*[^\W\d_]{1,20}\s*[:：=]\s*(?=\S)")  # Korean: "글=이지현"
# A sign-off held in brackets: "（记者 王小明）", "[Jane Doe]".
_BRACKETED = re.compile(r"^\s*[(\[（【〔「]\s*(.+?)\s*[)\]）】〕」]\s*$")
_SPLIT = re.compile(
    r"\s*(?:,|;|\||/|&|\+|•|·|⋅|∙|‧|—|–|\s-\s|\band\b|\bund\b|\bet\b|\by\b|\be\b|"
    r"\bavec\b|(?i:\bim\s+gespräch\s+mit\b|\bin\s+conversation\s+with\b|"
    r"\ben\s+conversation\s+avec\b|\ben\s+conversación\s+con\b|"
    r"\bin\s+conversazione\s+con\b))\s*"
)  # case matters: "y" and "e" join names, "Y." and "E." are initials
# Where a name's line goes on to a date or a time, in the languages of the pages we meet:
# "am 3. Mai 2021", "le 3 mai", "12:30 Uhr", "on Monday". A name holds no digit.
_TAIL_START = re.compile(
    r"\s+(?:(?:am|an|um|le|el|il|op|den|on|at|à|a\s+las|vom|du|del)\s+)?"
    r"(?:\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|heute\b|gestern\b|today\b|"
    r"yesterday\b|updated\b|aktualisiert\b|publié\b|mis\s+à\s+jour\b|actualizado\b)",
    re.IGNORECASE,
)
# A social handle or an e-mail address beside the name: "Priya Nair @priyawrites".
_HANDLE = re.compile(r"(?:^|\s)(?:@[\w.]+|[\w.+-]+@[\w-]+\.[\w.]+)(?=\s|$)")
# Role words of bylines and sign-offs in Korean, Japanese and Chinese, before or after the
# name and often without a space: "김민수 기자", "山田太郎記者", "记者 王小明".
CJK_ROLE = re.compile(
    "(?:칼럼니스트|기자|특파원|논설위원|선임기자|편집위원|記者|记者|特派員|特派员|編集委員|"
    "編集委员|論説委員|コラムニスト|通讯员|通訊員|撰稿人|特约记者|特約記者|本报记者|本報記者)"
)
# "Published April 28, 2022 by Jane Doe": the names follow the last "by".
_INNER_BY = re.compile(r"^.*?\S\s+by\s+(?=\S)", re.IGNORECASE)
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_DATE_TAIL = re.compile(
    r"\s+(?:updated|published|posted|last updated|on)?\s*"
    r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d.*$"
    # "By Louis Jacobson on Monday, November 18th, 2019"
    r"|\s+(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b.*$",
    re.IGNORECASE,
)
_URLISH = re.compile(r"https?://|www\.|@|\.com\b|\.org\b", re.IGNORECASE)

# Words that mark a byline as an organisation, a desk or a site account rather than a person.
ACCOUNT_WORDS = frozenset(
    """
    staff admin administrator editor editors editorial desk team newsroom news newswire wire
    wires service services press associated reuters afp agency agencies foundation daily
    weekly caller times post journal tribune herald gazette chronicle observer guardian
    telegraph magazine media network networks group inc llc ltd co company corp online
    digital report reports contributor contributors writers reporters correspondents board
    bureau office department institute center centre council society association university
    college the a an our your guest anonymous unknown webmaster sponsored partner partners
    content health science tech technology world politics opinion opinions sports business
    redaktion redaction rédaction redacción redação redazione redactie redaksjon zeitung
    verlag agentur amt ministerium ministère ministerio ministério ministero secretaria
    secretaría coordenadoria coordinación coordenação departamento dipartimento prefeitura
    ayuntamiento mairie gemeinde assessoria gabinete equipe équipe equipo
    """.split()
)

# Everyday words that never stand in a name, so that interface text ("Sign In", "Read More",
# "Follow Us") is not taken for a person.
COMMON_WORDS = frozenset(
    """
    in on of for to up out with at by my me us we you it is are be this that all more most
    new top sign log login logout register subscribe subscribed follow share read watch
    listen menu search home back next previous print email comments comment related latest
    popular username password account profile settings skip content close open view show
    hide click here now today update updated photo photos video videos image images
    advertisement font size text high school developers developer monday tuesday wednesday
    thursday friday saturday sunday january february march july september october november
    december no none alle beiträge beitrag gesponserte gesponsert inhalte inhalt anzeige
    werbung mehr artikel tous articles voir plus todos más
    """.split()
)

# Job titles that follow a name on the same line ("Philip Lenczycki Investigative Reporter").
ROLE_WORDS = frozenset(
    """
    founder cofounder co-founder ceo cto md phd rn dds np rd mph lcsw esq
    redakteur redakteurin korrespondent korrespondentin autor autorin journalistin
    journaliste rédacteur rédactrice chroniqueur chroniqueuse periodista redactor redactora
    corresponsal columnista giornalista corrispondente redacteur verslaggever
    reporter reporters writer writers editor editors correspondent correspondents columnist
    contributor contributing investigative senior junior staff chief deputy managing
    political national foreign white house capitol hill congressional economics energy
    health science tech technology education legal justice environment climate business
    culture sports associate assistant executive bureau freelance special guest intern
    fellow producer analyst photographer director journalist journalists
    """.split()
)

_PARTICLES = frozenset(
    """
    de da del della der den di du la le van von y bin ibn al el st st. mc mac o' d'
    """.split()
)

# Common short forms of first names, for matching "Phil" to "Philip" and "Bill" to "William".
_NICKNAMES = {
    "bill": "william",
    "will": "william",
    "bob": "robert",
    "rob": "robert",
    "bobby": "robert",
    "dick": "richard",
    "rick": "richard",
    "jim": "james",
    "jimmy": "james",
    "mike": "michael",
    "tom": "thomas",
    "tony": "anthony",
    "kate": "katherine",
    "katie": "katherine",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "betsy": "elizabeth",
    "peggy": "margaret",
    "maggie": "margaret",
    "jack": "john",
    "johnny": "john",
    "ted": "edward",
    "ed": "edward",
    "chuck": "charles",
    "charlie": "charles",
    "dave": "david",
    "joe": "joseph",
    "sam": "samuel",
    "steve": "steven",
    "chris": "christopher",
    "matt": "matthew",
    "nick": "nicholas",
    "dan": "daniel",
    "danny": "daniel",
    "ben": "benjamin",
    "alex": "alexander",
    "andy": "andrew",
    "drew": "andrew",
    "greg": "gregory",
    "jen": "jennifer",
    "jenny": "jennifer",
    "sue": "susan",
    "pat": "patricia",
    "larry": "lawrence",
    "jerry": "gerald",
    "jeff": "jeffrey",
    "tim": "timothy",
    "pete": "peter",
    "phil": "philip",
    "ron": "ronald",
    "don": "donald",
    "ken": "kenneth",
    "fred": "frederick",
    "hank": "henry",
    "harry": "henry",
}

# A capital inside a word: "AllanProfileFollow" is text run together, but a surname prefix
# ("McDonald", "MacLeod", "DeArdo", "DiMaggio", "LaFleur", "VanDyke", "FitzGerald") is a name.
_GLUED = re.compile(r"\b(\w*?[a-z])(?=[A-Z])")
_NAME_PREFIXES = frozenset("mc mac de da di du la le van von fitz st o d".split())


def _run_together(name: str) -> bool:
    return any(m.group(1).casefold() not in _NAME_PREFIXES for m in _GLUED.finditer(name))


_POSSESSIVE = re.compile(r"['’]s\b")
_CJK_NOT_NAMES = frozenset(
    {"作者", "記者", "记者", "編輯", "编辑", "責任編輯", "责任编辑", "人氣", "个人", "個人"}
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class NamePart:
    """One name taken from a byline, and whether it looks like a person's name."""

    name: str
    is_person: bool
    confirmed: bool = False  # starts with a known given name
    reason: str | None = None  # why it is not a person
    # Credited for something other than writing it ("reviewed by", "photo"): never the
    # article's author, however the page marks the line.
    role: str | None = None


def _strip_roles(tokens: list[str]) -> list[str]:
    """Drop job-title words trailing a name: "Philip Lenczycki Investigative Reporter"."""
    while len(tokens) > 2 and tokens[-1].casefold().strip(".,") in ROLE_WORDS:
        tokens = tokens[:-1]
    return tokens


# Refusals that mean a byline credits an organisation or an account rather than nobody.
ORGANISATION = "names an organisation, desk or site account"
SITE_NAME = "the site's own name"
DECLARED_ORGANISATION = "declared an organisation by the page's metadata"
READS_AS_ORGANISATION = "reads as an organisation's or a thing's name"
SINGLE_WORD = "a single word: a pen name or an account"
# A capitalised line that no byline markup or "By" declares, and no given name starts.
LOOSE_TEXT = "a name-shaped line outside any byline, not starting with a given name"
ACCOUNT_REASONS = frozenset(
    {ORGANISATION, SITE_NAME, DECLARED_ORGANISATION, READS_AS_ORGANISATION, SINGLE_WORD}
)


@dataclass(frozen=True)
class PersonVerdict:
    """Whether a phrase is a person's name, how sure that is, and why not when it is not.

    `confirmed`: it starts with a known given name (given_names.py). An unconfirmed name is
    name-shaped and not an organisation by probablepeople's trained parser, which is enough
    in a byline's own markup ("By Devindra Hardawar") but not for loose text on a page.
    """

    person: bool
    confirmed: bool = False
    reason: str | None = None


_NOT_A_NAME = PersonVerdict(False, reason="not a name")


@lru_cache(maxsize=32_768)
def judge_name(name: str) -> PersonVerdict:
    """Whether `name` reads as a person's name rather than an organisation, a site account
    or interface text, with the reason when it does not. Remembered: a site's pages offer
    the same lines ("Sign In", its writers' names) page after page."""
    name = name.strip()
    if not name:
        return _NOT_A_NAME
    if _URLISH.search(name):
        return PersonVerdict(False, reason="a web or e-mail address")
    if any(ch.isdigit() or ch in ":：" for ch in name):
        return PersonVerdict(False, reason="holds digits or a colon: a date, time or count")
    if _CJK.search(name):
        if name in _CJK_NOT_NAMES:
            return PersonVerdict(False, reason="a word for 'author' or 'reporter', not a name")
        # Capitalisation says nothing here, and no name list covers these scripts: a short
        # run without spaces is taken as a name, unconfirmed.
        if 2 <= len(name) <= 4 and " " not in name:
            return PersonVerdict(True)
        return PersonVerdict(False, reason="too long for a name in this script")
    tokens = name.split()
    if len(tokens) < 2:
        return PersonVerdict(False, reason=SINGLE_WORD)
    if len(tokens) > 5:
        return PersonVerdict(False, reason="too many words for a name")
    lowered = [strip_accents(t).casefold().strip(".,'’") for t in tokens]
    # A surname spelt like a word is still a surname after a given name, written as a name
    # ("Jamie Co", "Emily Post"); "Acme Co", "JAMIE CO." and "Sign In" are not.
    surname_like = (
        len(tokens) == 2
        and lowered[1] in _WORD_SURNAMES
        and tokens[1][:1].isupper()
        and not tokens[1].isupper()
        and not tokens[1].endswith(".")
        and _starts_with_given_name(tokens)
        and not big_city(tokens[0])  # "Washington Post", "Denver Post": outlets
    )
    words = lowered[:1] if surname_like else lowered
    if any(t in ACCOUNT_WORDS for t in words):
        return PersonVerdict(False, reason=ORGANISATION)
    if any(t in COMMON_WORDS for t in words):
        return PersonVerdict(False, reason="interface text, not a name")
    if _run_together(name) or _POSSESSIVE.search(name):
        # "Patrick AllanProfileFollow", "Patrick Allan's Discussions"
        return PersonVerdict(False, reason="a name run together with other text")
    shouted = [t.isupper() for t in tokens if len(t) > 2]
    if any(shouted) and not all(shouted):
        return PersonVerdict(False, reason="an acronym beside ordinary words")  # "ACLU Speech"
    capitalised = 0
    for position, (token, low) in enumerate(zip(tokens, lowered, strict=True)):
        # A particle inside a name ("Ludwig van Beethoven"); first, it is a given name ("Al").
        if low in _PARTICLES and position > 0:
            continue
        first = token.lstrip("'\"(")[:1]
        if not first.isalpha() or not first.isupper():
            return PersonVerdict(False, reason="not written as a name")
        capitalised += 1
    if capitalised < 2:
        return PersonVerdict(False, reason="not written as a name")
    never = never_a_person(name) or ("the name of a city" if big_city(name) else None)
    if never:
        return PersonVerdict(False, reason=never)
    if _starts_with_given_name(tokens):
        return PersonVerdict(True, confirmed=True)

    place = place_or_thing(name)
    if place:
        return PersonVerdict(False, reason=place)
    # probablepeople was trained on names in Latin letters: elsewhere it says nothing.
    if name.isascii() and _parsed_as_organisation(name):
        return PersonVerdict(False, reason=READS_AS_ORGANISATION)
    return PersonVerdict(True)


def _starts_with_given_name(tokens: list[str]) -> bool:
    from compliance.read.given_names import is_given_name

    for token in tokens[:-1]:
        bare = token.strip(".,")
        if len(bare) == 1 or token.casefold().rstrip(".") in _TITLES:
            continue  # an initial ("J. Smith") or a title ("Dr."): the given name may follow
        return any(is_given_name(part) for part in bare.split("-"))
    return False


_TITLES = frozenset({"dr", "mr", "mrs", "ms", "prof", "sir", "dame", "rev", "sen", "rep"})
# Company suffixes that are also family names ("Co" in Vietnamese and Chinese, "Inc" rarely).
# Surnames spelt like a company suffix, an outlet word or an everyday word: "Jamie Co",
# "Emily Post", "Bill Press", "Christopher Guest", "Robert Service", "Glenn Close", "Piers Read".
_WORD_SURNAMES = frozenset("co inc corp post press guest daily service close read".split())


def _parsed_as_organisation(name: str) -> bool:
    """probablepeople's reading: a company or a thing rather than a person or household."""
    import probablepeople  # a trained parser: loaded only for names no list confirms

    try:
        _parsed, kind = probablepeople.tag(name.title() if name.isupper() else name)
    except probablepeople.RepeatedLabelError:
        return False
    return kind == "Corporation"


def is_person_name(name: str) -> bool:
    """Whether `name` reads as a person's name rather than an organisation or site account."""
    return judge_name(name).person


# What a line credits other than the writing, in the languages of the pages we meet:
# "Medically reviewed by", "Fact-checked by", "Photos by", "Geprüft von", "Relu par".
_ROLE_CLAUSE = re.compile(
    r"(?:^|(?<=[,;|·•])|(?<=\s))\s*("
    r"(?:medically\s+|medizinisch\s+)?(?:reviewed|fact[- ]checked|edited|photos?|photography|"
    r"illustrations?|video|graphics|interviewed)\s+by|"
    r"(?:medizinisch\s+)?(?:geprüft|überprüft|lektoriert|fotografiert)\s+von|fotos?\s*:|"
    r"photos?\s*:|(?:relu|vérifié|photographié)\s+par|(?:revisado|verificado)\s+por|"
    r"fotografía\s*:|사진\s*[=:]|写真\s*[:：=]|摄影\s*[:：])\s*",
    re.IGNORECASE,
)


def split_byline(raw: str, site_name: str | None = None) -> list[NamePart]:
    """The names a byline credits, in order: "By Jane Doe and John Roe, Example News".

    Parts that are not people (the outlet, a job title, a site account) come back with
    `is_person=False`, so a caller can tell "no byline" from "a byline that names no one".
    Names a clause credits for something else ("reviewed by Dr. Amy Chen") carry its role.
    """
    line = " ".join(raw.split())
    line = _BRACKETED.sub(r"\1", line)
    pieces = _ROLE_CLAUSE.split(line)
    parts = _names_in(pieces[0], site_name, None)
    for clause, names in zip(pieces[1::2], pieces[2::2], strict=True):
        role = " ".join(clause.casefold().replace("medically", "").split()).strip(" :：=")
        parts += _names_in(names, site_name, role)
    return parts


def _names_in(text: str, site_name: str | None, role: str | None) -> list[NamePart]:
    text = _INNER_BY.sub("", text, count=1)
    text = _GLUED_LEAD.sub(r"\1 ", text)
    text = _DATE_TAIL.sub("", text)
    text = _PAREN.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = CJK_ROLE.sub(" ", text)
    text = BYLINE_LEAD.sub("", _LABEL.sub("", text))
    parts: list[NamePart] = []
    seen: set[str] = set()
    site = normalize(site_name) if site_name else None
    for chunk in _SPLIT.split(text):
        chunk = _TAIL_START.split(" " + BYLINE_LEAD.sub("", chunk), maxsplit=1)[0]
        chunk = chunk.strip(" .:-–—'\"")
        if not chunk:
            continue
        tokens = _strip_roles(chunk.split())
        if all(t.casefold().strip(".,") in ROLE_WORDS for t in tokens):
            continue  # a bare job title ("Staff Writer", "MD", "Founder") names nobody
        name = " ".join(tokens)
        key = normalize(name)
        if key in seen:
            continue
        seen.add(key)
        verdict = judge_name(name)
        # A site named like its owner ("Haki Benita", a personal blog) still credits a person.
        if verdict.person and key == site and not verdict.confirmed:
            verdict = PersonVerdict(False, reason=SITE_NAME)
        parts.append(NamePart(name, verdict.person, verdict.confirmed, verdict.reason, role))
    return parts


def _name_tokens(name: str) -> list[str]:
    cleaned = re.sub(r"[^\w\s'-]", " ", strip_accents(name).casefold())
    return [t for t in cleaned.split() if len(t) > 1 and t not in _PARTICLES]


def _same_first_name(a: str, b: str) -> bool:
    a, b = _NICKNAMES.get(a, a), _NICKNAMES.get(b, b)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 3 and long_.startswith(short)


def name_score(a: str, b: str) -> float:
    """How likely two spellings name the same person, 0-100.

    Tolerates a short first name ("Phil" for "Philip"), a dropped middle name or initial,
    a misspelt surname and a different case; "Jane Doe" is not "John Doe".
    """
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 100.0
    surname = fuzz.ratio(ta[-1], tb[-1])
    if len(ta) == 1 or len(tb) == 1:
        return surname * 0.9
    first_same = _same_first_name(ta[0], tb[0])
    first = 100.0 if first_same else fuzz.ratio(ta[0], tb[0])
    whole = fuzz.token_sort_ratio(" ".join(ta), " ".join(tb))
    return max(whole, min(surname, first) if first_same else (surname + first) / 2)
