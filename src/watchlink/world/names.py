"""Multilingual name material for fictional persons: cultures, their spellings and scripts.

A :class:`PersonName` is a choice of rows from a culture's tables (given names and a
family name), so the same person can be spelt in every style of the culture: French,
English, German or Dutch romanisation, or the native script (Arabic, Cyrillic). That
is what lets the synthetic world say "this encounter is subject X, transliterated".
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from watchlink.world import name_data as data

__all__ = [
    "CULTURES",
    "Culture",
    "PersonName",
    "country_styles",
    "kunya",
    "random_name",
]

Row = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Culture:
    """The names of one naming culture, each row spelt in every style of ``styles``."""

    key: str
    styles: tuple[str, ...]
    native: str | None  # the style written in a non-Latin script, if any
    male: tuple[Row, ...]
    female: tuple[Row, ...]
    family: tuple[Row, ...]
    female_family: tuple[Row, ...]
    nationalities: tuple[str, ...]
    nationality_weights: tuple[int, ...]
    middle_name_rate: float  # how often a second given name (or father's name) is used
    has_kunya: bool  # Arabic cultures: "Abou Hamza"-style weak aliases

    @property
    def latin_styles(self) -> tuple[str, ...]:
        """The styles in Latin script."""
        return tuple(style for style in self.styles if style != self.native)

    def style_for(self, preferred: Sequence[str]) -> str:
        """The first of ``preferred`` this culture has, else its first style."""
        for style in preferred:
            if style in self.styles:
                return style
        return self.styles[0]


def _rows(table: str) -> tuple[Row, ...]:
    return tuple(tuple(line.split("|")) for line in table.strip().splitlines())


_TURKISH_ASCII = str.maketrans("ıİşŞçÇğĞöÖüÜâÂ", "iIsScCgGoOuUaA")
_GERMAN = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _germanise(text: str) -> str:
    return _strip_marks("".join(_GERMAN.get(c, c) for c in text))


def _derived(words: str) -> tuple[Row, ...]:
    """Rows (native, plain ASCII, German ae/oe/ue) from a space-separated list."""
    rows = []
    for word in words.split():
        name = word.replace("_", " ")
        plain = _strip_marks(name.translate(_TURKISH_ASCII))
        german = _germanise(name.translate(str.maketrans("ıİşŞçÇğĞ", "iIsScCgG")))
        rows.append((name, plain, german))
    return tuple(rows)


def _slavic_female(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """-ov/-ev/-in family names take -a for women; others do not change."""
    out = []
    for row in rows:
        if row[-1].endswith(("ов", "ев", "ин")):
            out.append((*(form + "a" for form in row[:-1]), row[-1] + "а"))
        else:
            out.append(row)
    return tuple(out)


_ARABIC_MALE = _rows(data.ARABIC_MALE)
_ARABIC_FEMALE = _rows(data.ARABIC_FEMALE)
_SLAVIC_FAMILY = _rows(data.SLAVIC_FAMILY)

CULTURES: dict[str, Culture] = {
    culture.key: culture
    for culture in (
        Culture(
            "maghrebi",
            data.ARABIC_STYLES,
            "ar",
            _ARABIC_MALE,
            _ARABIC_FEMALE,
            _rows(data.MAGHREBI_FAMILY),
            _rows(data.MAGHREBI_FAMILY),
            ("MA", "DZ", "TN", "FR", "BE"),
            (35, 30, 15, 12, 8),
            0.5,
            True,
        ),
        Culture(
            "levantine",
            data.ARABIC_STYLES,
            "ar",
            _ARABIC_MALE,
            _ARABIC_FEMALE,
            _rows(data.LEVANTINE_FAMILY),
            _rows(data.LEVANTINE_FAMILY),
            ("SY", "LB", "JO", "IQ", "TR"),
            (50, 15, 10, 15, 10),
            0.5,
            True,
        ),
        Culture(
            "turkish",
            ("tr", "ascii", "de"),
            None,
            _derived(data.TURKISH_MALE),
            _derived(data.TURKISH_FEMALE),
            _derived(data.TURKISH_FAMILY),
            _derived(data.TURKISH_FAMILY),
            ("TR", "DE", "NL", "BE"),
            (70, 15, 10, 5),
            0.2,
            False,
        ),
        Culture(
            "slavic",
            data.SLAVIC_STYLES,
            "cyr",
            _rows(data.SLAVIC_MALE),
            _rows(data.SLAVIC_FEMALE),
            _SLAVIC_FAMILY,
            _slavic_female(_SLAVIC_FAMILY),
            ("RU", "UA", "RS", "BY", "GE"),
            (50, 20, 15, 10, 5),
            0.1,
            False,
        ),
        Culture(
            "western",
            ("native", "ascii", "de"),
            None,
            _derived(data.WESTERN_MALE),
            _derived(data.WESTERN_FEMALE),
            _derived(data.WESTERN_FAMILY),
            _derived(data.WESTERN_FAMILY),
            ("FR", "BE", "DE", "NL", "GB", "US"),
            (25, 15, 20, 15, 10, 15),
            0.2,
            False,
        ),
    )
}

_COUNTRY_STYLES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("FR", "BE", "MA", "DZ", "TN", "LU"), ("fr", "native", "tr", "en")),
    **dict.fromkeys(("DE", "AT", "CH"), ("de", "native", "tr", "en")),
    "NL": ("nl", "native", "tr", "en"),
    "TR": ("tr", "en", "native"),
}


def country_styles(country: str) -> tuple[str, ...]:
    """The spellings an agency or passport office of ``country`` prefers, best first."""
    return _COUNTRY_STYLES.get(country, ("en", "native", "tr"))


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name as rows of a culture's tables, so it can be spelt in any style."""

    culture: str
    female: bool
    given: tuple[int, ...]  # row indices into the male or female table
    family: int  # row index into the family table

    def parts(self, style: str) -> tuple[str, str]:
        """The given names and the family name, spelt in ``style``."""
        culture = CULTURES[self.culture]
        column = culture.styles.index(style)
        table = culture.female if self.female else culture.male
        families = culture.female_family if self.female else culture.family
        given = " ".join(table[i][column] for i in self.given)
        return given, families[self.family][column]

    def full(self, style: str) -> str:
        """Given names then family name, as most documents print them."""
        given, family = self.parts(style)
        return f"{given} {family}"


def random_name(rng: random.Random, culture: Culture, female: bool) -> PersonName:
    """A random combination of common names of ``culture``."""
    table = culture.female if female else culture.male
    given = [rng.randrange(len(table))]
    # Arabic usage: a man's second name is his father's; women here carry one given name.
    if not (female and culture.has_kunya) and rng.random() < culture.middle_name_rate:
        middle = rng.randrange(len(table))
        if middle != given[0]:
            given.append(middle)
    return PersonName(culture.key, female, tuple(given), rng.randrange(len(culture.family)))


_KUNYA = {"fr": "Abou", "en": "Abu", "de": "Abu", "nl": "Aboe", "ar": "أبو"}


def kunya(culture: Culture, male_row: int, style: str) -> str:
    """An Arabic nickname "father of …" (e.g. Abou Hamza), a common weak alias."""
    column = culture.styles.index(style)
    return f"{_KUNYA.get(style, 'Abu')} {culture.male[male_row][column]}"
