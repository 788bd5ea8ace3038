"""Where a person lives, was born and can be reached: addresses, places of birth, phones, emails.

Comparisons of the parts :func:`watchlink.matching.record.prepare` computed once per record:
an address agrees part by part (house number and postcode exactly, street and locality by
words, a typo allowed), so an analyst reads "same street and house number, other postcode".
A shared postcode or town is weak evidence (neighbours share it); a shared house number
counts only on the same street.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rapidfuzz.distance import OSA

from watchlink.normalize.addresses import AddressParts, PlaceParts

__all__ = [
    "AddressComparison",
    "AddressLevel",
    "PlaceComparison",
    "compare_addresses",
    "compare_places",
    "words_agree",
]


def _word_alike(a: str, b: str) -> bool:
    """The same word, or one slip apart (two in a long word): ``pzrk`` / ``park``."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    return OSA.distance(a, b, score_cutoff=2) <= (2 if shorter >= 9 else 1)


def words_agree(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Every word of the shorter side is in the other, or the words written together agree."""
    if not left or not right:
        return False
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    if all(any(_word_alike(w, v) for v in long) for w in short):
        return True
    return len(short) != len(long) and _word_alike("".join(left), "".join(right))  # pridhamstreet


def _agree(left: object, right: object) -> bool | None:
    if left is None or right is None or left == () or right == ():
        return None
    return left == right


class AddressLevel(Enum):
    """How far two addresses agree, as an analyst grades it."""

    SAME = "same address"  # same street and house number (or postcode, no number given)
    STREET = "same street"  # another or no house number
    AREA = "same area"  # same postcode or town, another street: neighbours
    CONFLICT = "different addresses"  # nothing agrees


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, and
# one is made for many pairs scored. None is changed once made.
@dataclass(slots=True)
class AddressComparison:
    """Two addresses part by part: ``True`` agrees, ``False`` differs, ``None`` not on both."""

    left: AddressParts
    right: AddressParts
    house: bool | None
    street: bool | None
    postcode: bool | None
    locality: bool | None

    @property
    def parts(self) -> tuple[bool | None, ...]:
        """The four parts, house number first."""
        return (self.house, self.street, self.postcode, self.locality)

    @property
    def agreements(self) -> int:
        """How many parts both sides give and agree on."""
        return sum(1 for p in self.parts if p is True)

    @property
    def conflicts(self) -> int:
        """How many parts both sides give and differ on."""
        return sum(1 for p in self.parts if p is False)

    @property
    def same(self) -> bool:
        """The same address: street and house number (or postcode) agree, nothing differs."""
        return self.conflicts == 0 and self.level is AddressLevel.SAME

    @property
    def level(self) -> AddressLevel | None:
        """The grade of agreement, or ``None`` when no part is given on both sides."""
        if self.street is True:
            if self.house is True or (self.house is None and self.postcode is True):
                return AddressLevel.SAME
            return AddressLevel.STREET
        if self.postcode is True or self.locality is True:
            return AddressLevel.AREA
        return AddressLevel.CONFLICT if self.conflicts else None


def _compare(left: AddressParts, right: AddressParts) -> AddressComparison:
    street = words_agree(left.street, right.street) if left.street and right.street else None
    locality = (
        words_agree(left.locality, right.locality) if left.locality and right.locality else None
    )
    return AddressComparison(
        left,
        right,
        _agree(left.house, right.house),
        street,
        _agree(left.postcode, right.postcode),
        locality,
    )


def compare_addresses(
    left: tuple[AddressParts, ...], right: tuple[AddressParts, ...]
) -> AddressComparison | None:
    """The best agreeing pair of addresses (most parts agreeing, then fewest differing)."""
    best: AddressComparison | None = None
    for a in left:
        for b in right:
            found = _compare(a, b)
            if best is None or (found.agreements, -found.conflicts) > (
                best.agreements,
                -best.conflicts,
            ):
                best = found
    return best


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, and
# one is made for many pairs scored. None is changed once made.
@dataclass(slots=True)
class PlaceComparison:
    """Two places of birth compared at the finest level both give (town, else region)."""

    left: PlaceParts
    right: PlaceParts
    town: bool  # compared by town (else only by country, state or province)
    same: bool


def _compare_place(left: PlaceParts, right: PlaceParts) -> PlaceComparison | None:
    if left.town and right.town:
        same = words_agree(left.town, right.town)
        if same and left.region and right.region and not words_agree(left.region, right.region):
            same = False  # a town of that name, in another country
        return PlaceComparison(left, right, True, same)
    if left.region and right.region:
        return PlaceComparison(left, right, False, words_agree(left.region, right.region))
    return None


def compare_places(
    left: tuple[PlaceParts, ...], right: tuple[PlaceParts, ...]
) -> PlaceComparison | None:
    """The best pair of places: the same town, else the same region, else a differing pair."""
    best: PlaceComparison | None = None
    for a in left:
        for b in right:
            found = _compare_place(a, b)
            if found is not None and (
                best is None or (found.same, found.town) > (best.same, best.town)
            ):
                best = found
    return best
