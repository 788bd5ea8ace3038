"""Synthetic persons, listed subjects and innocent travellers: pure functions of (seed, index).

Every person is drawn from its own ``random.Random`` seeded by (seed, stream, index), so
any subject can be rebuilt on demand without holding the others: that keeps a world of
a million subjects streaming in constant memory and lets encounters refer to subjects
at random. Consecutive indices form households of up to three siblings (same family
name, culture and nationality), which gives the world its family links.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from watchlink.model import (
    ActionOnHit,
    BirthDate,
    ConcernLevel,
    Distribution,
    DocumentStatus,
    DocumentType,
    Gender,
    HandlingCode,
    IdentityDocument,
    Name,
    NameKind,
    PartialDate,
    Provenance,
    Sharing,
    Subject,
    SubjectStatus,
    Value,
)
from watchlink.world._pick import Weighted
from watchlink.world.agencies import CT_GROUP, OWNER_WEIGHTS, agency
from watchlink.world.names import CULTURES, PersonName, country_styles, kunya, random_name

__all__ = [
    "AS_OF",
    "HOUSE_SIZE",
    "Household",
    "Identity",
    "build_subject",
    "household",
    "rng_for",
    "subject_id",
    "traveller",
]

AS_OF = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # the synthetic world's "now", fixed
HOUSE_SIZE = 3
STREAM_HOUSE, STREAM_PERSON, STREAM_ENCOUNTER, STREAM_TRAVELLER = 1, 2, 3, 4

_CULTURES = Weighted(
    ("maghrebi", "levantine", "turkish", "slavic", "western"), (35, 25, 12, 13, 15)
)
_OWNERS = Weighted(tuple(OWNER_WEIGHTS), tuple(OWNER_WEIGHTS.values()))
_SIBLINGS = Weighted((1, 2, 3), (84, 12, 4))
_DOCUMENT_STATUS = Weighted(tuple(DocumentStatus), (92, 2, 3, 1, 2))  # valid … revoked
_DISTRIBUTION = Weighted(tuple(Distribution), (30, 25, 25, 20))
_HANDLING = Weighted(tuple(HandlingCode), (20, 45, 25, 10))
_PHONES = Weighted((0, 1, 2), (30, 50, 20))
_CONCERN = Weighted(tuple(ConcernLevel), (30, 35, 25, 10))
_ACTIONS = tuple(ActionOnHit)
_STATUS = Weighted(tuple(SubjectStatus), (80, 12, 8))
_NATIONALITIES = {
    key: Weighted(c.nationalities, c.nationality_weights) for key, c in CULTURES.items()
}
_LETTERS = "ABCDEFGHJKLMNPRSTUVW"  # no X: X-prefixed numbers belong to stolen batches
_CITIES = {
    "MA": ("Casablanca", "Rabat", "Tanger", "Fès"),
    "DZ": ("Alger", "Oran", "Constantine", "Annaba"),
    "TN": ("Tunis", "Sfax", "Sousse"),
    "FR": ("Paris", "Lyon", "Marseille", "Lille", "Toulouse"),
    "BE": ("Bruxelles", "Antwerpen", "Liège", "Charleroi"),
    "SY": ("Aleppo", "Homs", "Damascus", "Latakia"),
    "LB": ("Beirut", "Tripoli", "Sidon"),
    "JO": ("Amman", "Zarqa", "Irbid"),
    "IQ": ("Baghdad", "Mosul", "Basra"),
    "TR": ("İstanbul", "Ankara", "Gaziantep", "İzmir"),
    "DE": ("Berlin", "Hamburg", "Köln", "Frankfurt am Main"),
    "NL": ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag"),
    "RU": ("Kazan", "Makhachkala", "Saint Petersburg", "Moscow"),
    "UA": ("Kyiv", "Kharkiv", "Odesa"),
    "RS": ("Belgrade", "Novi Sad", "Niš"),
    "BY": ("Minsk", "Brest"),
    "GE": ("Tbilisi", "Batumi"),
    "GB": ("London", "Birmingham", "Leeds"),
    "US": ("New York", "Chicago", "Houston"),
}
_DIAL = {"MA": 212, "DZ": 213, "TN": 216, "FR": 33, "BE": 32, "SY": 963, "LB": 961, "JO": 962}
_DIAL |= {"IQ": 964, "TR": 90, "DE": 49, "NL": 31, "RU": 7, "UA": 380, "RS": 381, "GB": 44}
_STREETS = ("rue des Lilas", "Station Street", "Hauptstraße", "Kerkstraat", "Atatürk Caddesi")
_EU = ("FR", "BE", "DE", "NL")


def rng_for(seed: int, stream: int, index: int) -> random.Random:
    """The random source of one item of one stream of a seeded world."""
    return random.Random(((seed & 0xFFFFFFFF) << 40) ^ (stream << 36) ^ index)


def subject_id(prefix: str, index: int) -> str:
    """The id of the listed subject at ``index``."""
    return f"{prefix}{index:07d}"


@dataclass(frozen=True, slots=True)
class Identity:
    """The truth about one synthetic person, from which every spelling and document derives."""

    name: PersonName
    birth: date
    nationality: str
    gender: Gender
    passport: str
    passport_country: str


@dataclass(frozen=True, slots=True)
class Household:
    """Up to three consecutive subjects who are siblings: one family name and nationality."""

    size: int
    culture: str
    family: int
    nationality: str
    owner: str


def household(seed: int, house: int) -> Household:
    """The household of subjects ``house * HOUSE_SIZE`` … ``+ HOUSE_SIZE - 1``."""
    rng = rng_for(seed, STREAM_HOUSE, house)
    size = _SIBLINGS.pick(rng)
    culture = CULTURES[_CULTURES.pick(rng)]
    nationality = _NATIONALITIES[culture.key].pick(rng)
    owner = _OWNERS.pick(rng)
    return Household(size, culture.key, rng.randrange(len(culture.family)), nationality, owner)


def _birth(rng: random.Random, low: int = 1960, high: int = 2004) -> date:
    return date(rng.randint(low, high), 1, 1) + timedelta(days=rng.randrange(365))


def _scramble(index: int) -> int:
    """A bijection of 0 … 9,999,999 onto itself, so passport numbers never collide."""
    return (index * 3_141_593 + 2_718_281) % 10_000_000


def _identity(seed: int, index: int, rng: random.Random) -> tuple[Identity, Household, bool]:
    """The listed person at ``index``, and whether they belong to a sibling group."""
    house = household(seed, index // HOUSE_SIZE)
    related = index % HOUSE_SIZE < house.size
    female = rng.random() < 0.2
    if related:
        culture = CULTURES[house.culture]
        name = random_name(rng, culture, female)
        name = PersonName(name.culture, female, name.given, house.family)
        nationality = house.nationality
    else:
        culture = CULTURES[_CULTURES.pick(rng)]
        name = random_name(rng, culture, female)
        nationality = _NATIONALITIES[culture.key].pick(rng)
    letters = rng.choice(_LETTERS) + rng.choice(_LETTERS)
    passport = f"{letters}{_scramble(index):07d}"
    gender = Gender.FEMALE if female else Gender.MALE
    identity = Identity(name, _birth(rng), nationality, gender, passport, nationality)
    return identity, house, related


def traveller(seed: int, index: int) -> Identity:
    """An innocent traveller: a random person, not on any list (passports L + 8 digits)."""
    rng = rng_for(seed, STREAM_TRAVELLER, index)
    culture = CULTURES[_CULTURES.pick(rng)]
    female = rng.random() < 0.45
    nationality = _NATIONALITIES[culture.key].pick(rng)
    passport = f"{rng.choice(_LETTERS)}{rng.randrange(100_000_000):08d}"
    gender = Gender.FEMALE if female else Gender.MALE
    name = random_name(rng, culture, female)
    return Identity(name, _birth(rng, 1940, 2010), nationality, gender, passport, nationality)


def _seen(rng: random.Random, owner: str) -> Provenance:
    first = AS_OF - timedelta(days=rng.randint(30, 3000), seconds=rng.randrange(86400))
    last = first + (AS_OF - first) * rng.random()
    return Provenance(owner, first, last)


def _names(rng: random.Random, who: Identity, owner_country: str, prov: Provenance) -> list[Name]:
    culture = CULTURES[who.name.culture]
    style = culture.style_for(country_styles(owner_country))
    given, family = who.name.parts(style)
    names = [Name(f"{given} {family}", NameKind.PRIMARY, given, family, prov)]
    if culture.native is not None and rng.random() < 0.5:
        given, family = who.name.parts(culture.native)
        names.append(Name(f"{given} {family}", NameKind.ALIAS, given, family, prov))
    if rng.random() < 0.3:  # an assumed identity of the same culture
        alias = random_name(rng, culture, who.name.female)
        given, family = alias.parts(style)
        names.append(Name(f"{given} {family}", NameKind.ALIAS, given, family, prov))
    if culture.has_kunya and not who.name.female and rng.random() < 0.25:
        nick = kunya(culture, rng.randrange(len(culture.male)), style)
        names.append(Name(nick, NameKind.WEAK_ALIAS, provenance=prov))
    if who.name.female and not culture.has_kunya and rng.random() < 0.3:
        born = PersonName(culture.key, True, who.name.given, rng.randrange(len(culture.family)))
        given, family = born.parts(style)
        names.append(Name(f"{given} {family}", NameKind.BIRTH_NAME, given, family, prov))
    return names


def _known_birth(rng: random.Random, birth: date) -> PartialDate:
    roll = rng.random()
    if roll < 0.8:
        return PartialDate(birth.year, birth.month, birth.day)
    return PartialDate(birth.year, birth.month) if roll < 0.92 else PartialDate(birth.year)


def _documents(
    rng: random.Random, who: Identity, index: int, prov: Provenance
) -> list[IdentityDocument]:
    status = _DOCUMENT_STATUS.pick(rng)
    passport = IdentityDocument(
        who.passport, DocumentType.PASSPORT, who.passport_country, status, prov
    )
    documents = [passport]
    if rng.random() < 0.4:
        number = f"ID{_scramble(index):07d}{rng.randrange(100):02d}"
        documents.append(
            IdentityDocument(number, DocumentType.ID_CARD, who.nationality, provenance=prov)
        )
    return documents


def _sharing(rng: random.Random) -> Sharing:
    distribution = _DISTRIBUTION.pick(rng)
    group = CT_GROUP if distribution is Distribution.PARTNER_GROUP else None
    handling = _HANDLING.pick(rng)
    return Sharing(distribution, group, handling)


def build_subject(seed: int, index: int, prefix: str) -> tuple[Identity, Subject]:
    """The listed subject at ``index``: the person's truth and the record the owner keeps."""
    rng = rng_for(seed, STREAM_PERSON, index)
    who, house, related = _identity(seed, index, rng)
    owner = house.owner if related and rng.random() < 0.7 else _OWNERS.pick(rng)
    owner_country = agency(owner).country
    prov = _seen(rng, owner)
    nationalities = [Value(who.nationality, prov)]
    if rng.random() < 0.15 and who.nationality not in _EU:
        nationalities.append(Value(rng.choice(_EU), prov))
    cities = _CITIES.get(who.nationality, ("unknown",))
    latin = who.name.parts(CULTURES[who.name.culture].latin_styles[-1])
    phones = [
        Value(f"+{_DIAL.get(owner_country, 30)} {rng.randrange(10**8, 10**9)}", prov)
        for _ in range(_PHONES.pick(rng))
    ]
    emails = []
    if rng.random() < 0.3:
        local = f"{latin[0].split()[0]}.{latin[1].replace(' ', '')}{rng.randrange(100)}".lower()
        emails.append(Value(f"{local}@example.net", prov))
    addresses = []
    if rng.random() < 0.5:
        town = rng.choice(_CITIES.get(owner_country, cities))
        addresses.append(Value(f"{rng.randint(1, 180)} {rng.choice(_STREETS)}, {town}", prov))
    concern = _CONCERN.pick(rng)
    action = _ACTIONS[min(4, max(0, concern - 1 + rng.choice((-1, 0, 0, 1))))]
    status = _STATUS.pick(rng)
    subject = Subject(
        id=subject_id(prefix, index),
        agency=owner,
        names=_names(rng, who, owner_country, prov),
        birth_dates=[BirthDate(_known_birth(rng, who.birth), prov)],
        birth_places=[Value(rng.choice(cities), prov)],
        nationalities=nationalities,
        gender=who.gender,
        documents=_documents(rng, who, index, prov),
        phones=phones,
        emails=emails,
        addresses=addresses,
        concern=concern,
        action_on_hit=action,
        status=status,
        legal_basis=f"{owner_country} security act, art. {rng.randint(2, 40)} (synthetic)",
        review_date=(AS_OF + timedelta(days=rng.randint(-60, 730))).date(),
        sharing=_sharing(rng),
        notes=f"Synthetic subject {index} of a seeded world.",
    )
    return who, subject
