"""Synthetic encounters with their ground truth: who the person really is, and how they differ.

Most encounters are innocent travellers. Some are listed subjects presented under one or
more variations (another romanisation, the native script, an alias, swapped name order,
a dropped middle name, a typo, a partial or day/month-swapped birth date, another or a
stolen document); some are namesakes of a subject (same name, another person); some are
unlisted people carrying a passport from a stolen batch. :class:`Truth` says which.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from watchlink.model import (
    DocumentType,
    Encounter,
    EncounterKind,
    IdentityDocument,
    NameKind,
    PartialDate,
    PresentedPerson,
    Subject,
)
from watchlink.world._pick import Weighted
from watchlink.world.names import CULTURES, country_styles
from watchlink.world.people import (
    AS_OF,
    STREAM_ENCOUNTER,
    Identity,
    build_subject,
    rng_for,
    traveller,
)
from watchlink.world.stolen import StolenBatch

__all__ = ["EncounterPlan", "Truth", "Variation", "build_encounter", "typo"]


class Variation(StrEnum):
    """How the person presented at an encounter differs from the listed record."""

    EXACT = "exact"
    TRANSLITERATION = "transliteration"
    NATIVE_SCRIPT = "native_script"
    ALIAS = "alias"
    SWAPPED_ORDER = "swapped_order"
    MISSING_PART = "missing_part"
    TYPO = "typo"
    PARTIAL_DATE = "partial_date"
    SWAPPED_DAY_MONTH = "swapped_day_month"
    NO_DATE = "no_date"
    OTHER_DOCUMENT = "other_document"
    STOLEN_DOCUMENT = "stolen_document"
    NO_DOCUMENT = "no_document"
    NAMESAKE = "namesake"  # same name as a subject, but another person


@dataclass(frozen=True, slots=True)
class Truth:
    """The ground truth of one encounter."""

    encounter_id: str
    subject_id: str | None  # the listed subject it really is, None for anyone else
    variations: tuple[Variation, ...] = ()
    namesake_of: str | None = None
    stolen_document: str | None = None  # the stolen batch number presented, if any
    style: str | None = None  # the spelling of the presented name


@dataclass(frozen=True, slots=True)
class EncounterPlan:
    """What an encounter stream needs: the world's seed, sizes and stolen batches."""

    seed: int
    subjects: int
    prefix: str
    batches: tuple[StolenBatch, ...]
    listed_share: float = 0.1
    namesake_share: float = 0.03
    stolen_share: float = 0.005


_PLACES: tuple[tuple[EncounterKind, str, str, tuple[str, ...]], ...] = (
    (EncounterKind.BORDER_ENTRY, "GR-BORDER", "GR", ("Leros hotspot", "Athens airport", "Evzonoi")),
    (EncounterKind.BORDER_EXIT, "GR-BORDER", "GR", ("Athens airport", "Patras port")),
    (EncounterKind.FLIGHT_BOOKING, "FR-POL", "FR", ("Paris CDG", "Lyon Saint-Exupéry")),
    (EncounterKind.FLIGHT_BOOKING, "DE-BKA", "DE", ("Frankfurt airport", "Berlin BER")),
    (EncounterKind.FERRY_BOOKING, "GR-BORDER", "GR", ("Piraeus", "Igoumenitsa")),
    (EncounterKind.VISA_APPLICATION, "NL-POL", "NL", ("Consulate, Istanbul",)),
    (EncounterKind.ASYLUM_REGISTRATION, "DE-BKA", "DE", ("Registration centre, Passau",)),
    (EncounterKind.POLICE_CHECK, "FR-POL", "FR", ("Paris", "Lille", "Marseille")),
    (EncounterKind.POLICE_CHECK, "NL-POL", "NL", ("Amsterdam", "Rotterdam")),
    (EncounterKind.HOTEL_REGISTRATION, "BE-POL", "BE", ("Hotel, Bruxelles", "Hotel, Charleroi")),
)
_PLACE = Weighted(_PLACES, (25, 10, 15, 10, 5, 5, 5, 10, 5, 10))
_ORIGINS = ("TR", "SY", "MA", "DZ", "TN", "LB", "RU", "UA", "FR", "BE", "DE", "NL", "US")
_NEIGHBOURS = dict(zip("aeioubcdgklmnprstvyz", "eaoiuvxsfjlnmbtrdbut", strict=True))


def typo(rng: random.Random, text: str) -> str:
    """``text`` with one keying error: a dropped, doubled, swapped or mistyped letter."""
    positions = [i for i, c in enumerate(text) if c.isalpha()]
    for _ in range(10):
        i = rng.choice(positions)
        op = rng.randrange(4)
        if op == 0:
            out = text[:i] + text[i + 1 :]
        elif op == 1:
            out = text[:i] + text[i] + text[i:]
        elif op == 2 and i + 1 < len(text) and text[i + 1].isalpha():
            out = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        else:
            low = text[i].lower()
            swap = _NEIGHBOURS.get(low, "e")
            out = text[:i] + (swap.upper() if text[i].isupper() else swap) + text[i + 1 :]
        if out != text and out.strip() == out and "  " not in out:
            return out
    return text + "e"


def _name_variations(who: Identity, subject: Subject) -> list[Variation]:
    culture = CULTURES[who.name.culture]
    listed = {name.full for name in subject.names}
    options = [Variation.EXACT, Variation.SWAPPED_ORDER, Variation.TYPO]
    if any(who.name.full(s) not in listed for s in culture.latin_styles):
        options.append(Variation.TRANSLITERATION)
    if culture.native is not None and who.name.full(culture.native) not in listed:
        options.append(Variation.NATIVE_SCRIPT)
    if any(n.kind is not NameKind.PRIMARY and n.family is not None for n in subject.names):
        options.append(Variation.ALIAS)
    if len(who.name.given) > 1:
        options.append(Variation.MISSING_PART)
    return options


def _presented_name(
    rng: random.Random, who: Identity, subject: Subject, variation: Variation
) -> tuple[str, str, str]:
    """(given, family, style) of the name as presented under one name variation."""
    culture = CULTURES[who.name.culture]
    primary = subject.names[0]
    own_style = next(s for s in culture.styles if who.name.full(s) == primary.full)
    if variation is Variation.TRANSLITERATION:
        listed = {name.full for name in subject.names}
        styles = [s for s in culture.latin_styles if who.name.full(s) not in listed]
        style = rng.choice(styles)
        return (*who.name.parts(style), style)
    if variation is Variation.NATIVE_SCRIPT:
        assert culture.native is not None
        return (*who.name.parts(culture.native), culture.native)
    if variation is Variation.ALIAS:
        aliases = [n for n in subject.names[1:] if n.family is not None and n.given is not None]
        alias = rng.choice(aliases)
        return alias.given or "", alias.family or "", "alias"
    given, family = who.name.parts(own_style)
    if variation is Variation.MISSING_PART:  # the father's or middle name is dropped
        table = culture.female if who.name.female else culture.male
        given = table[who.name.given[0]][culture.styles.index(own_style)]
    return given, family, own_style


def _presented_date(rng: random.Random, birth: date) -> tuple[PartialDate | None, Variation]:
    roll = rng.random()
    if roll < 0.1:
        return PartialDate(birth.year), Variation.PARTIAL_DATE
    if roll < 0.18 and birth.day <= 12 and birth.day != birth.month:
        return PartialDate(birth.year, birth.day, birth.month), Variation.SWAPPED_DAY_MONTH
    if roll < 0.25:
        return None, Variation.NO_DATE
    return PartialDate(birth.year, birth.month, birth.day), Variation.EXACT


def _stolen(rng: random.Random, plan: EncounterPlan) -> IdentityDocument:
    batch = rng.choice(plan.batches)
    number = batch.number(rng.randrange(batch.count))
    return IdentityDocument(number, DocumentType.PASSPORT, batch.country)


def _listed(
    rng: random.Random, plan: EncounterPlan, encounter_id: str
) -> tuple[PresentedPerson, IdentityDocument | None, Truth]:
    who, subject = build_subject(plan.seed, rng.randrange(plan.subjects), plan.prefix)
    variation = rng.choice(_name_variations(who, subject))
    given, family, style = _presented_name(rng, who, subject, variation)
    variations = [variation]
    if variation is Variation.SWAPPED_ORDER:
        given, family = family, given
    if variation is not Variation.TYPO and style != "ar" and rng.random() < 0.15:
        variations.append(Variation.TYPO)
        variation = Variation.TYPO
    if variation is Variation.TYPO:
        if rng.random() < 0.6:
            family = typo(rng, family)
        else:
            given = typo(rng, given)
    birth, date_variation = _presented_date(rng, who.birth)
    variations.append(date_variation)
    document: IdentityDocument | None = IdentityDocument(who.passport, country=who.passport_country)
    roll, stolen = rng.random(), None
    if roll < 0.12:
        document = IdentityDocument(f"{rng.choice('ABCDEFGHJK')}{rng.randrange(10**8):08d}")
        variations.append(Variation.OTHER_DOCUMENT)
    elif roll < 0.17 and plan.batches:
        document = _stolen(rng, plan)
        stolen = document.number
        variations.append(Variation.STOLEN_DOCUMENT)
    elif roll < 0.3:
        document = None
        variations.append(Variation.NO_DOCUMENT)
    person = PresentedPerson(
        [f"{given} {family}"], given, family, birth, who.nationality, who.gender
    )
    kept = tuple(v for v in variations if v is not Variation.EXACT) or (Variation.EXACT,)
    return person, document, Truth(encounter_id, subject.id, kept, None, stolen, style)


def _unlisted(
    rng: random.Random, plan: EncounterPlan, index: int, encounter_id: str
) -> tuple[PresentedPerson, IdentityDocument | None, Truth]:
    who = traveller(plan.seed, index)
    roll = rng.random()
    namesake_of: str | None = None
    variations: tuple[Variation, ...] = ()
    stolen: str | None = None
    if roll < plan.namesake_share and plan.subjects > 0:
        other, subject = build_subject(plan.seed, rng.randrange(plan.subjects), plan.prefix)
        who = Identity(
            other.name, who.birth, who.nationality, other.gender, who.passport, who.nationality
        )
        namesake_of, variations = subject.id, (Variation.NAMESAKE,)
    culture = CULTURES[who.name.culture]
    style = culture.style_for(country_styles(who.passport_country))
    given, family = who.name.parts(style)
    document: IdentityDocument | None = IdentityDocument(who.passport, country=who.passport_country)
    if plan.namesake_share <= roll < plan.namesake_share + plan.stolen_share and plan.batches:
        document = _stolen(rng, plan)
        stolen, variations = document.number, (Variation.STOLEN_DOCUMENT,)
    birth = PartialDate(who.birth.year, who.birth.month, who.birth.day)
    person = PresentedPerson(
        [f"{given} {family}"], given, family, birth, who.nationality, who.gender
    )
    return person, document, Truth(encounter_id, None, variations, namesake_of, stolen, style)


def build_encounter(plan: EncounterPlan, index: int) -> tuple[Encounter, Truth]:
    """The encounter at ``index`` of the world, with its ground truth."""
    rng = rng_for(plan.seed, STREAM_ENCOUNTER, index)
    encounter_id = f"{plan.prefix}enc-{index:08d}"
    if plan.subjects > 0 and rng.random() < plan.listed_share:
        person, document, truth = _listed(rng, plan, encounter_id)
    else:
        person, document, truth = _unlisted(rng, plan, index, encounter_id)
    kind, agency, country, sites = _PLACE.pick(rng)
    origin = rng.choice(_ORIGINS)
    destination = rng.choice(("FR", "BE", "DE", "NL", "GR", country))
    at = AS_OF - timedelta(days=rng.randrange(365), seconds=rng.randrange(86400))
    group = f"{plan.prefix}grp-{index // 4:07d}" if rng.random() < 0.15 else None
    encounter = Encounter(
        encounter_id, kind, agency, at, country, person, document, rng.choice(sites),
        origin, destination, group,
    )  # fmt: skip
    return encounter, truth
