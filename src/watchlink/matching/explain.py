"""Explanations: each feature's contribution to a score, in words an analyst reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from watchlink.matching.contribution import Contribution
from watchlink.matching.dates import DateAgreement
from watchlink.matching.features import NameComparison, PairKind, TokenPair
from watchlink.matching.features_address import AddressComparison
from watchlink.matching.tokens import joined_patronymic
from watchlink.normalize.given_names import equivalent_given_names
from watchlink.normalize.korean_spellings import one_family_name, same_syllable
from watchlink.normalize.skeletons import skeleton

if TYPE_CHECKING:
    from watchlink.matching.features_record import PairFeatures

__all__ = ["describe_address", "describe_names", "explain"]

_DATES = {
    DateAgreement.SAME_DAY: "same date of birth",
    DateAgreement.SAME_MONTH: "same year and month of birth",
    DateAgreement.SAME_YEAR: "same year of birth (one side gives the year only)",
    DateAgreement.SWAPPED: "date of birth with day and month swapped",
    DateAgreement.NEAR: "date of birth close but not equal",
    DateAgreement.CONFLICT: "different dates of birth",
}
_PLAIN = {
    "nationality_match": "a nationality in common",
    "nationality_conflict": "no nationality in common",
    "gender_conflict": "different gender",
    "doc_conflict": "different document numbers of the same type and country",
    "family_conflict": "different family names",
    "name_single": "one of the names is a single word (weak evidence)",
    "birth_place_match": "same place of birth",
    "birth_country_match": "born in the same country",
    "birth_place_conflict": "different places of birth",
    "phone_match": "same phone number",
    "email_match": "same email address",
}
_ADDRESS_PARTS = ("house number", "street", "postcode", "town")


_KIND_WORDS = {
    PairKind.VARIANT: "spelling variant",
    PairKind.TYPO: "typo",
    PairKind.INITIAL: "initial",
}


def _patronymic(left: str, right: str) -> bool:
    return joined_patronymic(left, right, skeleton(right)) or joined_patronymic(
        right, left, skeleton(left)
    )


def _pair_word(pair: TokenPair) -> str:
    left, right = pair.left, pair.right
    if pair.kind == PairKind.SAME:
        return f'"{left}" = "{right}"'
    if pair.kind == PairKind.VARIANT and equivalent_given_names(left, right):
        return f'"{left}" ≈ "{right}" (one given name: a nickname, or another language\'s form)'
    if pair.kind == PairKind.VARIANT and one_family_name(left, right):
        return f'"{left}" ≈ "{right}" (one Korean family name, another romanisation)'
    if pair.kind == PairKind.VARIANT and same_syllable(left, right):
        return f'"{left}" ≈ "{right}" (one Korean syllable, another romanisation)'
    if pair.kind == PairKind.TYPO and _patronymic(left, right):
        return f'"{left}" ≈ "{right}" (the particle of descent joined: bin, ben, ould)'
    if pair.kind in _KIND_WORDS:
        return f'"{left}" ≈ "{right}" ({_KIND_WORDS[pair.kind]})'
    return f'"{left}" ~ "{right}" (only {pair.similarity:.0%} alike: likely another name)'


def describe_names(names: NameComparison) -> str:
    """One sentence on how two names compare (cross-script, variants, missing parts)."""
    left, right = names.left, names.right
    head = f'"{left.original}" ≈ "{right.original}"'
    if names.exact and names.distinct:
        return f"{head}: same name but for {'; '.join(names.distinct)}"
    if names.exact:
        if left.script != right.script:
            script = right.script if left.script == "latin" else left.script
            return f"{head}: same name in {script.title()} script"
        if names.pairs and names.pairs[0].kind == PairKind.VARIANT:
            return f"{head}: same name, written differently"
        return f'"{left.original}" = "{right.original}": same name'
    parts = [_pair_word(p) for p in names.pairs]
    if names.order_swapped:
        parts.append("first names in other places (father and son?)")
    if left.script != right.script:
        script = right.script if left.script == "latin" else left.script
        variants = all(p.kind >= PairKind.VARIANT for p in names.pairs)
        if variants and names.pairs and not names.left_unmatched and not names.right_unmatched:
            return f"{head}: same name in {script.title()} script"
        head += f" ({script.title()} script, romanised)"
    detail = "; ".join(parts) if parts else "no name part in common"
    if names.left_unmatched:
        detail += "; only in query: " + ", ".join(names.left_unmatched)
    if names.right_unmatched:
        detail += "; only in candidate: " + ", ".join(names.right_unmatched)
    if names.distinct:
        detail += "; told apart by " + "; ".join(names.distinct)
    return f"{head}: {detail}"


def describe_address(address: AddressComparison) -> str:
    """One sentence on how two addresses compare, part by part (same street, other postcode)."""
    head = f'address "{address.left.original}" / "{address.right.original}"'
    if address.same:
        return f"{head}: same address"
    same = [w for w, p in zip(_ADDRESS_PARTS, address.parts, strict=True) if p is True]
    other = [w for w, p in zip(_ADDRESS_PARTS, address.parts, strict=True) if p is False]
    if not same:
        return f"{head}: different addresses ({', '.join(other)} differ)"
    detail = "same " + ", ".join(same)
    if other:
        detail += "; different " + ", ".join(other)
    if same in (["postcode"], ["town"], ["postcode", "town"]):
        detail += " (neighbours share that)"
    return f"{head}: {detail}"


def _plain(feature: str, features: PairFeatures) -> str:
    """The sentence of a feature outside names, dates, documents and addresses."""
    place = features.place
    if feature.startswith("birth_") and place is not None:
        how = "different places of birth"
        if place.same:
            how = "same place of birth" if place.town else "same country of birth"
        return f'born in "{place.left.original}" / "{place.right.original}": {how}'
    if feature == "phone_match" and features.phone is not None:
        return f"same phone number (…{features.phone[-6:]})"
    if feature == "email_match" and features.email is not None:
        return f'same email address "{features.email}"'
    return _PLAIN.get(feature, feature)


def explain(
    features: PairFeatures, names: tuple[str, ...], weights: tuple[float, ...]
) -> list[Contribution]:
    """Contributions of the features that fired, strongest (by absolute log-odds) first."""
    out: list[Contribution] = []
    name_total = 0.0
    address_total = 0.0
    for feature, value, weight in zip(names, features.values, weights, strict=True):
        if value == 0.0:
            continue
        if feature.startswith("name_"):
            name_total += value * weight
            continue
        if feature.startswith("address_"):
            address_total += value * weight
            continue
        if feature.startswith("dob_"):
            text = _DATES[features.dates]
        elif feature.startswith("doc_") and features.document is not None:
            doc = features.document
            how = "same" if doc.exact else "nearly the same (one character or OCR slip)"
            text = f'document "{doc.left.original}" / "{doc.right.original}": {how} number'
        else:
            text = _plain(feature, features)
        out.append(Contribution(feature, value, weight, text))
    if features.names is not None:
        out.append(Contribution("name", 1.0, name_total, describe_names(features.names)))
    address = features.address
    if address is not None and (address.agreements or address.conflicts):
        text = describe_address(address)
        if address.agreements and not any(
            v and f.startswith("address_") for f, v in zip(names, features.values, strict=True)
        ):
            text += " — not counted: the names differ (a relative, housemate or associate?)"
        out.append(Contribution("address", 1.0, address_total, text))
    document = features.document
    if document is not None and document.alarm:
        status = document.right.status if document.right.status.is_alarm else document.left.status
        text = f'document "{document.right.original}" is reported {status.value}: a hit on its own'
        out.append(Contribution("document_alarm", 1.0, 10.0, text))
    out.sort(key=lambda c: -abs(c.value * c.weight))
    return out
