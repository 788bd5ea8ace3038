"""Places of birth, addresses and phones on the OFAC training pairs, drawn from the list itself.

An OFAC entry gives its person's real places of birth (``POB Giza, Egypt``) and addresses;
on a pair of one person's names both sides take them from that entry, on a pair of two
people each side from its own entry (a made-up person borrows a random entry's), so how
often strangers share a town or a country of birth is the list's own. Each side gives a fact
only some of the time, as watchlists and encounters do; a person has moved now and then.
Phones have no public labelled source: a few pairs carry one, the same number on most pairs
of one person. A separate seeded generator leaves the draws of the other fields unchanged.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from watchlink.matching.training_sources import OfacPerson
from watchlink.model import Subject, Value

if TYPE_CHECKING:  # training_pairs calls this module
    from watchlink.matching.training_pairs import Pair

__all__ = ["add_ofac_places"]

_GIVES_BIRTH_PLACE = 0.5
_GIVES_ADDRESS = 0.4
_MOVED = 0.2  # a person's address on the other side is another (unlisted) one
_ONLY_COUNTRY = 0.2  # the place of birth written as its country alone
_GIVES_PHONE = 0.08


def _birth_place(rng: random.Random, place: str) -> str:
    if "," in place and rng.random() < _ONLY_COUNTRY:
        return place.rsplit(",", 1)[1].strip()
    return place


def _phone(rng: random.Random) -> str:
    return "+" + rng.choice(("33", "32", "30", "90", "1")) + str(rng.randrange(10**8, 10**9))


def _national(number: str) -> str:
    """The same number as dialled at home: trunk 0 instead of the country code."""
    return "0" + number[-9:]


def _give(
    rng: random.Random, subject: Subject, person: OfacPerson, lives: OfacPerson | None = None
) -> None:
    """The person's place of birth and an address (of ``lives``, someone else's, if moved)."""
    if person.birth_places and rng.random() < _GIVES_BIRTH_PLACE:
        subject.birth_places.append(Value(_birth_place(rng, person.birth_places[0])))
    home = person if lives is None else lives
    if home.addresses and rng.random() < _GIVES_ADDRESS:
        subject.addresses.append(Value(rng.choice(home.addresses)))


def add_ofac_places(pairs: list[Pair], persons: list[OfacPerson], seed: int) -> None:
    """Give the OFAC pairs' subjects places of birth, addresses and a few phones."""
    rng = random.Random(seed)
    by_entry = {p.entry: p for p in persons}
    pool = sorted(by_entry)
    for pair in pairs:
        if pair.left_entry is None:
            continue
        left = by_entry[pair.left_entry]
        if pair.match:
            right = left
        elif pair.right_entry is not None:
            right = by_entry[pair.right_entry]
        else:
            right = by_entry[rng.choice(pool)]
        _give(rng, pair.left, left)
        moved = by_entry[rng.choice(pool)] if pair.match and rng.random() < _MOVED else None
        _give(rng, pair.right, right, moved)
        if rng.random() < _GIVES_PHONE:
            number = _phone(rng)
            pair.left.phones.append(Value(number))
            same = pair.match and rng.random() < 0.7
            pair.right.phones.append(Value(_national(number) if same else _phone(rng)))
