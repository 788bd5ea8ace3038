"""The feature vector of a pair of prepared records: names, dates, nationality, gender, documents,
addresses, places of birth, phones and emails.

Every feature is a number in 0..1 the model weighs; :data:`FEATURES` names them in order, and
the docstring of each is the sentence an analyst reads (see ``explain.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from rapidfuzz.distance import OSA

from watchlink.matching.dates import DateAgreement, compare_dates
from watchlink.matching.features import NameComparison, PairKind, compare_names
from watchlink.matching.features_address import (
    AddressComparison,
    AddressLevel,
    PlaceComparison,
    compare_addresses,
    compare_places,
)
from watchlink.matching.record import PreparedDocument, PreparedRecord
from watchlink.matching.tokens import dropped_head
from watchlink.normalize.names import NameForm

__all__ = [
    "ALARM_PROBABILITY",
    "FEATURES",
    "DocumentMatch",
    "NameMemo",
    "PairFeatures",
    "pair_features",
    "probability_of",
]

ALARM_PROBABILITY: Final = 0.99
"""A document reported stolen, lost or forged that matches the query's is a hit on its own:
its pair's probability is raised to at least this."""

NameMemo = dict[tuple[int, int], tuple[NameForm, NameForm, NameComparison]]
"""Name comparisons made while one query is scored against many candidates, by the identity
of the two name forms: a list keeps each name once, so its namesakes share one form and are
compared to the query's name once. Each entry holds its two forms, so no form it was made for
is freed (and its identity given to another) while the memo lives."""

FEATURES: Final[tuple[str, ...]] = (
    "name_cover_min",  # the less covered name's share found in the other
    "name_cover_max",  # the better covered name's share (one name inside the other)
    "name_whole",  # whole-name similarity, order-free, on skeletons
    "name_exact",  # the same name tokens
    "name_clean",  # every part of the shorter name found, as itself, a variant, typo or initial
    "name_alike_share",  # share of the shorter name's parts that are merely alike
    "name_alike",  # aligned parts that are alike but no known kind of variant (count, ≤ 3)
    "name_unmatched_min",  # parts without partner on the side that has fewer, or a mark (≤ 3)
    "name_unmatched_max",  # parts without partner on the other side (count, ≤ 3)
    "name_typos",  # parts matched with a typo (count, ≤ 3)
    "name_initials",  # parts matched by an initial (count, ≤ 3)
    "name_single",  # one of the names is a single part
    "name_order_swapped",  # "A bin B" against "B bin A": father and son are not the same
    "family_conflict",  # both family names known and they differ
    "dob_day",
    "dob_month",
    "dob_year",
    "dob_swapped",
    "dob_near",
    "dob_conflict",
    "nationality_match",
    "nationality_conflict",
    "gender_conflict",
    "doc_exact",
    "doc_fuzzy",
    "doc_conflict",
    "address_area",  # same postcode or town at least (neighbours share it: weak on its own)
    "address_street",  # same street at least
    "address_same",  # same street and house number (or postcode where a number is missing)
    "address_conflict",  # both give an address and no part of it agrees
    "birth_place_match",  # same town of birth
    "birth_country_match",  # same country (or state) of birth, the town not given on both
    "birth_place_conflict",  # different places of birth
    "phone_match",  # a phone number in common
    "email_match",  # an email address in common
)
_DOB: Final = {
    DateAgreement.SAME_DAY: "dob_day",
    DateAgreement.SAME_MONTH: "dob_month",
    DateAgreement.SAME_YEAR: "dob_year",
    DateAgreement.SWAPPED: "dob_swapped",
    DateAgreement.NEAR: "dob_near",
    DateAgreement.CONFLICT: "dob_conflict",
}
_INDEX: Final = {name: i for i, name in enumerate(FEATURES)}
# Cumulative: a closer grade also fires the looser ones, so its weight is never the smaller.
_ADDRESS_LEVELS: Final = {
    AddressLevel.SAME: ("address_area", "address_street", "address_same"),
    AddressLevel.STREET: ("address_area", "address_street"),
    AddressLevel.AREA: ("address_area",),
    AddressLevel.CONFLICT: ("address_conflict",),
}


# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, and
# one is made for many pairs scored. None is changed once made.
@dataclass(slots=True)
class DocumentMatch:
    """Two documents that carry the same number (exactly, or but for one slip or OCR)."""

    left: PreparedDocument
    right: PreparedDocument
    exact: bool

    @property
    def alarm(self) -> bool:
        """Either side reports the document stolen, lost or forged."""
        return self.left.status.is_alarm or self.right.status.is_alarm


class PairFeatures:
    """The feature values of one pair, with what produced them (for the explanation); a
    plain class, as :class:`~watchlink.matching.tokens.TokenPair`, for the same reason."""

    values: list[float]
    names: NameComparison | None
    dates: DateAgreement
    document: DocumentMatch | None
    address: AddressComparison | None
    place: PlaceComparison | None
    phone: str | None  # the number in common (last nine digits)
    email: str | None  # the address in common

    def __init__(
        self,
        values: list[float],
        names: NameComparison | None,
        dates: DateAgreement,
        document: DocumentMatch | None,
    ) -> None:
        self.values = values
        self.names = names
        self.dates = dates
        self.document = document
        self.address = None
        self.place = None
        self.phone = None
        self.email = None


def _compared(a: NameForm, b: NameForm, memo: NameMemo | None) -> NameComparison:
    if memo is None:
        return compare_names(a, b)
    key = (id(a), id(b))
    kept = memo.get(key)
    if kept is None:
        kept = memo[key] = (a, b, compare_names(a, b))
    return kept[2]


def _best_names(
    left: PreparedRecord, right: PreparedRecord, memo: NameMemo | None
) -> NameComparison | None:
    best: NameComparison | None = None
    for a in left.names:
        for b in right.names:
            comparison = _compared(a.form, b.form, memo)
            if comparison.exact:
                return comparison
            if best is None or comparison.strength > best.strength:
                best = comparison
    return best


def _headless(names: NameComparison) -> int:
    """Pairs that are one name but for a compound head ("Abdul Mohammed" / "Mohammed"): no
    typo, and the head is counted on its own (as a part the other name lacks)."""
    return sum(
        1
        for p in names.pairs
        if p.kind == PairKind.TYPO
        and (dropped_head(p.left, p.right) is not None or dropped_head(p.right, p.left) is not None)
    )


def _documents(left: PreparedRecord, right: PreparedRecord) -> tuple[DocumentMatch | None, bool]:
    """The best matching document pair, and whether comparable documents conflict."""
    best: DocumentMatch | None = None
    conflict = False
    for a in left.documents:
        number, folded = a.number, a.folded
        long = len(folded) >= 6
        for b in right.documents:
            if number == b.number:
                return DocumentMatch(a, b, exact=True), False
            other = b.folded
            if folded == other or (long and _one_slip(folded, other)):
                best = DocumentMatch(a, b, exact=False)
            elif a.type == b.type and a.country is not None and a.country == b.country:
                conflict = True
    return best, conflict and best is None


def _one_slip(folded: str, other: str) -> bool:
    """Whether two document numbers of six characters or more are one edit apart. One edit
    leaves the length within one, and the first or the last character where it was (a
    transposition moves two neighbours): most numbers compared differ at both ends."""
    if not other or abs(len(folded) - len(other)) > 1:
        return False
    if folded[0] != other[0] and folded[-1] != other[-1]:
        return False
    return OSA.distance(folded, other, score_cutoff=1) <= 1


def pair_features(
    left: PreparedRecord, right: PreparedRecord, memo: NameMemo | None = None
) -> PairFeatures:
    """Compute every feature of the pair (query ``left``, candidate ``right``); ``memo``
    reuses the name comparisons of earlier pairs of the same query (see :data:`NameMemo`)."""
    values = [0.0] * len(FEATURES)
    names = _best_names(left, right, memo)
    if names is not None:
        values[0] = min(names.left_coverage, names.right_coverage)
        values[1] = max(names.left_coverage, names.right_coverage)
        values[2] = names.whole
        values[3] = 1.0 if names.exact else 0.0
        alike = names.count(PairKind.ALIKE)
        unmatched = sorted((len(names.left_unmatched), len(names.right_unmatched)))
        unmatched[0] = names.conflicts  # a distinguishing mark counts as a part on each side
        shorter = max(1, min(len(names.left.tokens), len(names.right.tokens)))
        strong = sum(1 for p in names.pairs if p.kind >= PairKind.TYPO)
        clean = (
            alike == 0
            and unmatched[0] == 0
            and values[0] >= 0.8
            and (strong >= 2 or unmatched[1] == 0)
        )
        values[4] = 1.0 if clean else 0.0
        values[5] = alike / shorter
        values[6] = min(3, alike)
        values[7] = min(3, unmatched[0])
        values[8] = min(3, unmatched[1])
        values[9] = min(3, names.count(PairKind.TYPO) - _headless(names))
        values[10] = min(3, names.count(PairKind.INITIAL))
        sizes = (len(names.left.tokens), len(names.right.tokens))
        values[11] = 1.0 if min(sizes) == 1 and not names.native else 0.0
        values[12] = 1.0 if names.order_swapped else 0.0
        lf, rf = names.left.family, names.right.family
        if lf and rf and not any(p.left in lf and p.right in rf for p in names.pairs):
            values[13] = 1.0
    dates = compare_dates(left.birth_dates, right.birth_dates)
    if dates in _DOB:
        values[_INDEX[_DOB[dates]]] = 1.0
    if left.nationalities and right.nationalities:
        common = left.nationalities & right.nationalities
        values[_INDEX["nationality_match" if common else "nationality_conflict"]] = 1.0
    if left.gender is not None and right.gender is not None and left.gender != right.gender:
        values[_INDEX["gender_conflict"]] = 1.0
    document, conflict = _documents(left, right)
    if document is not None:
        values[_INDEX["doc_exact" if document.exact else "doc_fuzzy"]] = 1.0
    elif conflict:
        values[_INDEX["doc_conflict"]] = 1.0
    found = PairFeatures(values, names, dates, document)
    if left.addresses or left.birth_places or left.phones or left.emails:
        _place_features(values, found, left, right)
    return found


def _place_features(
    values: list[float], found: PairFeatures, left: PreparedRecord, right: PreparedRecord
) -> None:
    """Addresses, places of birth and contacts: they corroborate a name, never replace it.

    Two people of different names at one address, born in one town or sharing a phone are
    housemates or associates, not one person, and so are "Karim Haddad" and "Leila Haddad" at
    one address (a family). These features count only when the names share a part (the
    same, a variant or a typo) and, where each name has a part the other lacks, the dates
    of birth agree to the day; the comparison stays in the explanation.
    """
    names = found.names
    corroborates = (
        names is not None
        and any(p.kind >= PairKind.TYPO for p in names.pairs)
        and (
            not (names.left_unmatched and names.right_unmatched)
            or found.dates is DateAgreement.SAME_DAY
        )
    )
    mark = values if corroborates else [0.0] * len(values)
    if left.addresses and right.addresses:
        _address_features(mark, found, left, right)
    if left.birth_places and right.birth_places:
        found.place = compare_places(left.birth_places, right.birth_places)
        place = found.place
        if place is not None:
            agree = "birth_place_match" if place.town else "birth_country_match"
            mark[_INDEX[agree if place.same else "birth_place_conflict"]] = 1.0
    if left.phones and right.phones:  # sorted: the first shared is the least
        phones = [p for p in left.phones if p in right.phones]
        if phones:
            found.phone = phones[0]
            mark[_INDEX["phone_match"]] = 1.0
    if left.emails and right.emails:
        emails = [e for e in left.emails if e in right.emails]
        if emails:
            found.email = emails[0]
            mark[_INDEX["email_match"]] = 1.0


def _address_features(
    values: list[float], found: PairFeatures, left: PreparedRecord, right: PreparedRecord
) -> None:
    address = compare_addresses(left.addresses, right.addresses)
    found.address = address
    if address is None or address.level is None:
        return
    for feature in _ADDRESS_LEVELS[address.level]:
        values[_INDEX[feature]] = 1.0


def probability_of(features: PairFeatures, weights: tuple[float, ...], intercept: float) -> float:
    """The calibrated probability of a pair's features for the model's ``weights`` and
    ``intercept`` (the scoring model's, see ``scoring.py``): the intercept, then each value
    times its weight, added in order, through the logistic function; raised to
    :data:`ALARM_PROBABILITY` for a document alarm. Compiled with the features, as it is
    asked of every pair scored."""
    values = features.values
    total = intercept
    for i in range(len(values)):
        total += values[i] * weights[i]
    if total >= 0:
        probability = 1.0 / (1.0 + math.exp(-total))
    else:
        e = math.exp(total)
        probability = e / (1.0 + e)
    document = features.document
    if document is not None and document.alarm:
        return max(probability, ALARM_PROBABILITY)
    return probability
