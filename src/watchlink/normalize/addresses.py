"""Addresses and places in comparable parts: house number, postcode, street and locality words.

Watchlists and encounters write an address as one line of free text
(``"7 Wallaby Pl., Cleveland 2119"``, ``"Zweierstrasse 35, Zurich CH-8022, Switzerland"``).
:func:`address_parts` splits it once, so that comparing two addresses is a few string
equalities: the house number and the postcode exactly, the street and the locality by words.
Street types are written one way (``st`` → ``street``); letters are folded to ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rigour.territories import get_territories

from watchlink.normalize.text import ascii_fold, clean

__all__ = ["AddressParts", "PlaceParts", "address_parts", "place_parts"]

# Street types and their usual abbreviations, each written one way.
_STREET_TYPES = {
    "st": "street",
    "str": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "pl": "place",
    "cres": "crescent",
    "cr": "crescent",
    "dr": "drive",
    "ln": "lane",
    "ct": "court",
    "hwy": "highway",
    "pde": "parade",
    "tce": "terrace",
    "blvd": "boulevard",
    "bd": "boulevard",
    "sq": "square",
    "cct": "circuit",
    "cl": "close",
    "gr": "grove",
    "esp": "esplanade",
    "strasse": "strasse",
}
_HOUSE = re.compile(r"^\d{1,5}[a-z]?$|^\d{1,5}-\d{1,5}$")
_POSTCODE = re.compile(r"^\d{4,6}$")
# A postcode with a country prefix (``CH-8022``, ``E-28036``) or in the British form.
_PREFIXED = re.compile(r"\b[a-z]{1,2}-(\d{4,6})\b")
_BRITISH = re.compile(r"\b([a-z]{1,2}\d[a-z\d]?) ?(\d[a-z]{2})\b")
_STREET_WORDS = frozenset(_STREET_TYPES.values()) | {
    "way",
    "walk",
    "row",
    "rue",
    "via",
    "calle",
    "avenida",
    "rua",
    "weg",
    "gasse",
    "platz",
    "ulitsa",
}
# Words that say nothing about where a place is.
_NOISE = frozenset({"and", "of", "the", "de", "la", "le", "du", "des", "del", "di", "po", "box"})


@dataclass(frozen=True, slots=True)
class AddressParts:
    """One address in comparable parts (each may be missing)."""

    original: str
    house: str | None  # ``"12"``, ``"12a"``, ``"10-2"``
    postcode: str | None  # digits or letters and digits, no spaces: ``"2119"``, ``"ec3n1dy"``
    street: tuple[str, ...]  # words of the street line, street types written out
    locality: tuple[str, ...]  # words of the suburb, town or city
    region: tuple[str, ...] = ()  # words of the state, province or country

    @property
    def empty(self) -> bool:
        """Nothing comparable was found (only punctuation, or an unreadable line)."""
        return not (self.house or self.postcode or self.street or self.locality or self.region)


@dataclass(frozen=True, slots=True)
class PlaceParts:
    """A place as written (a place of birth), with its town words and its region words."""

    original: str
    town: tuple[str, ...]
    region: tuple[str, ...]


@lru_cache(maxsize=1)
def _regions() -> frozenset[tuple[str, ...]]:
    """Countries, states and provinces by name (rigour's territories), as folded words."""
    names: set[tuple[str, ...]] = set()
    for territory in get_territories():
        for name in (territory.name, territory.full_name):
            words = tuple(_words(clean(name)))
            if words:
                names.add(words)
    return frozenset(names)


def _is_region(words: list[str], position: int, alone: bool) -> bool:
    """A country, state or province: a later segment, or the only one (``"Syria"``).

    The first place after a street, or of several, is the town even when a region has its
    name (Zurich, Berlin).
    """
    return (position > 0 or alone) and tuple(words) in _regions()


def _words(text: str) -> list[str]:
    return [w for w in ascii_fold(text).lower().split() if w.isascii() and w.isalnum()]


def _street_word(word: str) -> str:
    if word.endswith("str") and len(word) > 5:
        return word + "asse"  # Zweierstr. → Zweierstrasse: the type is part of the name
    return _STREET_TYPES.get(word, word)


def _split_postcode(folded: str) -> tuple[str, str | None]:
    """The text without its postcode, and the postcode when written in a recognisable form."""
    for pattern, groups in ((_BRITISH, (1, 2)), (_PREFIXED, (1,))):
        found = pattern.search(folded)
        if found is not None:
            code = "".join(found.group(g) for g in groups)
            return folded[: found.start()] + " " + folded[found.end() :], code
    return folded, None


def _is_street(words: list[str]) -> bool:
    return any(_street_word(w) in _STREET_WORDS or w.endswith(("strasse", "street")) for w in words)


@lru_cache(maxsize=1 << 16)  # housemates and relatives share an address
def address_parts(text: str) -> AddressParts:
    """Split a written address into house number, postcode, street words and locality words.

    The first comma-separated segment is the street line when it holds a house number or a
    street word (road, rue, strasse...); otherwise the address names only a place
    (``"Kabul, Afghanistan"``).
    """
    folded, postcode = _split_postcode(ascii_fold(text).lower())
    segments = [s for s in (_words(clean(part)) for part in re.split(r"[,;\n]", folded)) if s]
    house: str | None = None
    street: list[str] = []
    first = segments[0] if segments else []
    if len(first) > 1 and _HOUSE.match(first[0]):
        house, first = first[0], first[1:]  # 7 Wallaby Place
    elif len(first) > 1 and _HOUSE.match(first[-1]) and not _POSTCODE.match(first[-1]):
        house, first = first[-1], first[:-1]  # Hauptstrasse 12
    places = segments
    if house is not None or (len(segments) > 1 and _is_street(first)):
        places = segments[1:]
        if postcode is None and house is not None and _POSTCODE.match(first[-1]):
            postcode, first = first[-1], first[:-1]  # "7 wallaby place 2119"
        street = [_street_word(w) for w in first if w not in _NOISE and not w[0].isdigit()]
    locality: list[str] = []
    region: list[str] = []
    for i, words in enumerate(places):
        kept: list[str] = []
        for word in words:
            if postcode is None and _POSTCODE.match(word):
                postcode = word
            elif not word[0].isdigit() and word not in _NOISE:
                kept.append(word)
        (region if _is_region(kept, i, len(segments) == 1) else locality).extend(kept)
    return AddressParts(text, house, postcode, tuple(street), tuple(locality), tuple(region))


@lru_cache(maxsize=1 << 16)  # a list of people names the same towns again and again
def place_parts(text: str) -> PlaceParts:
    """A place name split into town and region words: ``"Giza, Egypt"`` → giza / egypt."""
    town: list[str] = []
    region: list[str] = []
    parts = [_words(clean(part)) for part in re.split(r"[,;\n]", ascii_fold(text).lower())]
    parts = [p for p in parts if p]
    for i, part in enumerate(parts):
        words = [w for w in part if w not in _NOISE and not w.isdigit()]
        (region if _is_region(words, i, len(parts) == 1) else town).extend(words)
    return PlaceParts(text, tuple(town), tuple(region))
