"""Labelled pairs of subjects for fitting the model, built from public data with a fixed seed.

Names come from real lists (their spelling variants are real); dates, nationalities, genders
and documents are drawn synthetically around them, the way watchlists and encounters differ:
a date known only to the year, day and month swapped, a passport number with an OCR slip.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from watchlink.matching.features import PairKind, compare_names
from watchlink.matching.training_febrl import FEBRL_HINT, febrl_file, febrl_pairs
from watchlink.matching.training_places import add_ofac_places
from watchlink.matching.training_sources import (
    OfacPerson,
    read_ofac_persons,
    read_splink_fake,
    read_wikidata_arabic_tokens,
)
from watchlink.model import (
    BirthDate,
    DocumentType,
    Gender,
    IdentityDocument,
    Name,
    PartialDate,
    Subject,
    Value,
)
from watchlink.normalize.names import name_form

__all__ = ["Pair", "in_training_split", "perturb_name", "training_pairs"]

SEED = 20151113
_COUNTRIES = [
    "DZ",
    "MA",
    "TN",
    "EG",
    "SY",
    "IQ",
    "AF",
    "PK",
    "SA",
    "YE",
    "LY",
    "SO",
    "FR",
    "BE",
    "DE",
    "GB",
    "RU",
    "TR",
    "IR",
    "NG",
]
_OCR = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"}


@dataclass(slots=True)
class Pair:
    """Two subjects and whether they are the same person."""

    left: Subject
    right: Subject
    match: bool
    source: str
    left_entry: int | None = None  # the OFAC entries behind each side (None: a made-up person)
    right_entry: int | None = None


def in_training_split(entry: int) -> bool:
    """OFAC entries used for training (even numbers); the benchmark uses the others."""
    return entry % 2 == 0


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = rng.choice("aeioulnrstmhkd")
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + letter + word[i:]
    if kind == 2:
        return word[:i] + letter + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def perturb_name(rng: random.Random, name: str) -> str:
    """A plausible other writing of ``name``: a typo, another order, a dropped or initial part."""
    words = name.split()
    kind = rng.randrange(5)
    if kind == 0 or len(words) < 2:
        i = rng.randrange(len(words))
        words[i] = _typo(rng, words[i])
    elif kind == 1:
        words = words[1:] + words[:1]
    elif kind == 2 and len(words) >= 3:
        del words[rng.randrange(1, len(words) - 1)]
    elif kind == 3:
        words[0] = words[0][:1] + "."
    else:
        words = [w.upper() if rng.random() < 0.5 else w.lower() for w in words]
    return " ".join(words)


def _date_variant(rng: random.Random, date: PartialDate) -> PartialDate | None:
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.3:
        return PartialDate(date.year)
    if roll < 0.36 and date.day is not None and date.month is not None and date.day <= 12:
        return PartialDate(date.year, date.day, date.month)
    if roll < 0.4:
        return PartialDate(date.year + rng.choice((-1, 1)), date.month, date.day)
    return date


def _random_date(rng: random.Random) -> PartialDate:
    return PartialDate(rng.randrange(1940, 2005), rng.randrange(1, 13), rng.randrange(1, 29))


def _number(rng: random.Random) -> str:
    return rng.choice("ABCEFGHKLMNPRTX") + "".join(rng.choice("0123456789") for _ in range(7))


def _slip(rng: random.Random, number: str) -> str:
    digits = [i for i, c in enumerate(number) if c in _OCR]
    if digits and rng.random() < 0.6:
        i = rng.choice(digits)
        return number[:i] + _OCR[number[i]] + number[i + 1 :]
    i = rng.randrange(1, len(number))
    return number[:i] + rng.choice("0123456789") + number[i + 1 :]


def _maybe(rng: random.Random, country: str | None) -> str | None:
    return country if rng.random() < 0.7 else None


class _Builder:
    """Turns names plus drawn facts into subject pairs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0

    def subject(
        self,
        name: str,
        date: PartialDate | None,
        country: str | None,
        gender: Gender | None,
        document: str | None,
    ) -> Subject:
        self.count += 1
        return Subject(
            id=f"t{self.count}",
            agency="TRAIN",
            names=[Name(name)],
            birth_dates=[BirthDate(date)] if date is not None else [],
            nationalities=[Value(country)] if country is not None else [],
            gender=gender,
            documents=[IdentityDocument(document, DocumentType.PASSPORT, country)]
            if document is not None
            else [],
        )

    def pair(
        self,
        left_name: str,
        right_name: str,
        match: bool,
        source: str,
        *,
        hard: bool,
        namesake: bool = False,
    ) -> Pair:
        """Draw the other fields: shared for a match, independent (or shared by chance) if not."""
        rng = self.rng
        date = _random_date(rng)
        country: str | None = rng.choice(_COUNTRIES)
        gender: Gender | None = Gender.MALE if rng.random() < 0.8 else Gender.FEMALE
        if match:
            right_date = _date_variant(rng, date)
            right_country = country if rng.random() < 0.9 else rng.choice(_COUNTRIES)
            right_gender = gender if rng.random() < 0.98 else None
        else:
            right_date = _random_date(rng)
            roll = rng.random()
            if hard and roll < 0.1:
                right_date = date  # born the same day: it happens in a list of a million
            elif hard and roll < 0.5:
                right_date = PartialDate(date.year, right_date.month, right_date.day)
            right_country = country if rng.random() < (0.5 if hard else 0.1) else None
            right_country = right_country or rng.choice(_COUNTRIES)
            right_gender = Gender.MALE if rng.random() < 0.8 else Gender.FEMALE
        left_date: PartialDate | None = date if rng.random() < 0.85 else None
        right_date = right_date if rng.random() < 0.85 else None
        if left_date is not None and rng.random() < 0.15:
            left_date = PartialDate(left_date.year)  # lists often know only the year
        if not match and right_date is not None and rng.random() < 0.15:
            right_date = PartialDate(right_date.year)
        if namesake:  # two people of one name, told apart by their dates of birth
            left_date, right_date = date, _random_date(rng)
        elif rng.random() < 0.3:  # names only, as in a name check without other facts
            left_date = right_date = None
            country = right_country = None
            gender = right_gender = None
        left_doc = right_doc = None
        if country is not None and rng.random() < 0.3:
            left_doc = _number(rng)
            if match:  # the same passport, one read with a slip, or a renewed one
                roll = rng.random()
                right_doc = (
                    left_doc
                    if roll < 0.6
                    else _slip(rng, left_doc)
                    if roll < 0.95
                    else _number(rng)
                )
            else:
                right_doc = _number(rng)
        return Pair(
            self.subject(
                left_name, left_date, country if rng.random() < 0.7 else None, gender, left_doc
            ),
            self.subject(
                right_name,
                right_date,
                right_country if rng.random() < 0.7 else None,
                right_gender,
                right_doc,
            ),
            match,
            source,
        )


def _recognisable(left: str, right: str) -> bool:
    """An alias a name matcher can be asked to find: it shares a name part, give or take."""
    comparison = compare_names(name_form(left), name_form(right))
    return comparison.whole >= 0.6 or any(p.kind >= PairKind.TYPO for p in comparison.pairs)


def _near_other_name(rng: random.Random, name: str, vocabulary: list[str]) -> str | None:
    """``name`` with one part replaced by another, similar-looking real name (Luxon/Luxford)."""
    words = name.split()
    if len(words) < 2:
        return None
    i = rng.randrange(len(words))
    word = name_form(words[i]).tokens
    if len(word) != 1 or len(word[0]) < 4:
        return None
    form = name_form(word[0])
    found = process.extract(word[0], vocabulary, scorer=Levenshtein.normalized_similarity, limit=12)
    for other, _, _ in found:
        other_form = name_form(other)
        comparison = compare_names(form, other_form)
        if comparison.pairs and comparison.pairs[0].kind == PairKind.ALIKE:
            words[i] = other.title()
            return " ".join(words)
    return None


def _patronymic_reversed(name: str) -> str | None:
    """``"Ahmad bin Hasan X"`` → ``"Hasan bin Ahmad X"``: the father, not the son."""
    words = name.split()
    for i, word in enumerate(words[1:-1], 1):
        if word.lower() in ("bin", "ibn", "ben"):
            words[i - 1], words[i + 1] = words[i + 1], words[i - 1]
            return " ".join(words)
    return None


def _entries(pair: Pair, left: OfacPerson, right: OfacPerson | None) -> None:
    pair.left_entry = left.entry
    pair.right_entry = None if right is None else right.entry


def _ofac_pairs(b: _Builder, persons: list[OfacPerson]) -> list[Pair]:
    rng = b.rng
    persons = [p for p in persons if in_training_split(p.entry)]
    by_token: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(persons):
        for token in {t.lower() for t in person.names[0].split() if len(t) > 2}:
            by_token[token].append(i)
    vocabulary = sorted({t for p in persons for n in p.names for t in name_form(n).tokens})
    vocabulary = [t for t in vocabulary if len(t) >= 4]
    pairs: list[Pair] = []
    for i, person in enumerate(persons):
        primary = person.names[0]
        for alias in person.names[1:5]:
            if _recognisable(primary, alias):
                pairs.append(b.pair(primary, alias, True, "ofac-alias", hard=False))
                _entries(pairs[-1], person, person)
        near = _near_other_name(rng, primary, vocabulary)
        if near is not None:
            pairs.append(b.pair(primary, near, False, "ofac-near-name", hard=True))
            _entries(pairs[-1], person, None)
        if rng.random() < 0.3:
            namesake = primary if rng.random() < 0.5 else perturb_name(rng, primary)
            pairs.append(b.pair(primary, namesake, False, "namesake", hard=True, namesake=True))
            _entries(pairs[-1], person, None)
        reversed_name = _patronymic_reversed(primary)
        if reversed_name is not None:
            pairs.append(b.pair(primary, reversed_name, False, "ofac-father-son", hard=True))
            _entries(pairs[-1], person, None)
        words = primary.split()
        if len(words) >= 2:
            other = persons[rng.randrange(len(persons))].names[0].split()
            words[rng.randrange(len(words))] = rng.choice(other)
            swapped = " ".join(words)
            if swapped.lower() != primary.lower():
                pairs.append(b.pair(primary, swapped, False, "ofac-swapped-part", hard=True))
                _entries(pairs[-1], person, None)
        pairs.append(b.pair(primary, perturb_name(rng, primary), True, "ofac-variant", hard=False))
        _entries(pairs[-1], person, person)
        tokens = sorted({t.lower() for t in primary.split() if len(t) > 2})
        sharing = sorted({j for t in tokens for j in by_token[t] if j != i})
        for j in rng.sample(sharing, min(3, len(sharing))):
            pairs.append(
                b.pair(primary, persons[j].names[0], False, "ofac-shared-token", hard=True)
            )
            _entries(pairs[-1], person, persons[j])
        j = rng.randrange(len(persons))
        if j != i:
            pairs.append(b.pair(primary, persons[j].names[0], False, "ofac-random", hard=False))
            _entries(pairs[-1], person, persons[j])
    return pairs


def _arabic_pairs(b: _Builder, tokens: list[tuple[str, str, int]], count: int) -> list[Pair]:
    rng = b.rng
    pairs: list[Pair] = []
    for _ in range(count):
        chosen = rng.sample(tokens, rng.choice((2, 2, 3)))
        latin = " ".join(t[0].title() for t in chosen)
        arabic = " ".join(t[1] for t in chosen)
        pairs.append(b.pair(latin, arabic, True, "wikidata-arabic", hard=False))
        other = list(chosen)
        other[rng.randrange(len(other))] = rng.choice(tokens)
        if rng.random() < 0.5:
            other = rng.sample(tokens, len(chosen))
        pairs.append(
            b.pair(latin, " ".join(t[1] for t in other), False, "wikidata-arabic", hard=True)
        )
    return pairs


def _splink_pairs(b: _Builder, data_dir: Path) -> list[Pair]:
    records, labels = read_splink_fake(data_dir)
    pairs: list[Pair] = []
    for left_id, right_id, label in labels:
        if 0.2 < label < 0.8:
            continue
        left, right = records[left_id], records[right_id]
        subjects = []
        # The city is left out: the clerical non-matches are mostly people of other names,
        # so a shared city there would read as near-proof instead of a neighbour's hint.
        for first, surname, dob, _city, email in (left, right):
            date = None
            try:
                date = PartialDate.parse(dob) if dob else None
            except ValueError:
                date = None
            subject = b.subject(f"{first} {surname}".strip(), date, None, None, None)
            subject.emails.extend([Value(email)] if email else [])
            subjects.append(subject)
        pairs.append(Pair(subjects[0], subjects[1], label >= 0.8, "splink-fake"))
    return pairs


def training_pairs(data_dir: Path) -> list[Pair]:
    """Every labelled pair, in a fixed order (the same on every run)."""
    b = _Builder(random.Random(SEED))
    persons = read_ofac_persons(data_dir)
    pairs = _ofac_pairs(b, persons)
    add_ofac_places(pairs, persons, SEED + 1)
    pairs += _arabic_pairs(b, read_wikidata_arabic_tokens(data_dir), 3000)
    pairs += _splink_pairs(b, data_dir)
    febrl = febrl_file("dataset3.csv")
    if febrl is None:
        raise FileNotFoundError(f"FEBRL3 not found; {FEBRL_HINT}")
    pairs += [Pair(left, right, match, "febrl3") for left, right, match in febrl_pairs(febrl, SEED)]
    return [p for p in pairs if p.left.names and p.right.names]
