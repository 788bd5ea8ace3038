"""Address, place of birth, phone and email features of a pair, by tables of cases.

Hard negatives included: neighbours share a postcode and a town, a house number recurs on
every street, and none of that makes two different people one.
"""

from __future__ import annotations

import math

import pytest

from watchlink.matching.features_record import FEATURES, pair_features
from watchlink.matching.record import prepare
from watchlink.matching.scoring import load_model, score
from watchlink.matching.training import SIGNS
from watchlink.model import BirthDate, Name, PartialDate, Subject, Value


def person(
    name: str = "Karim Haddad",
    *,
    born: str | None = None,
    address: str | None = None,
    birth_place: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Subject:
    return Subject(
        id=name,
        agency="TEST",
        names=[Name(name)],
        birth_dates=[] if born is None else [BirthDate(PartialDate.parse(born))],
        addresses=[] if address is None else [Value(address)],
        birth_places=[] if birth_place is None else [Value(birth_place)],
        phones=[] if phone is None else [Value(phone)],
        emails=[] if email is None else [Value(email)],
    )


def fired(left: Subject, right: Subject) -> set[str]:
    found = pair_features(prepare(left), prepare(right))
    return {
        n for n, v in zip(FEATURES, found.values, strict=True) if v and not n.startswith("name")
    }


HOME = "7 Wallaby Place, Cleveland 2119"
SAME = {"address_area", "address_street", "address_same"}  # cumulative grades
STREET = {"address_area", "address_street"}


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (person(address=HOME), person(address="7 wallaby pl, cleveland 2119"), SAME),
        (  # a typo in the street and the town, a slip in the postcode
            person(address=HOME),
            person(address="7 wallabx place, clevelnad 2191"),
            SAME,
        ),
        (  # the street written without its space
            person(address="177 Pridham Street, Marsden 3165"),
            person(address="177 pridhamstreet, marsden 3165"),
            SAME,
        ),
        (  # a postcode stands in for a missing house number
            person(address="Wallaby Place, Cleveland 2119"),
            person(address="7 Wallaby Place, Cleveland 2119"),
            SAME,
        ),
        (person(address=HOME), person(address="9 Wallaby Place, Cleveland 2119"), STREET),
        (  # neighbours: same postcode and town, another street
            person(address=HOME),
            person(address="24 Bourne Street, Cleveland 2119"),
            {"address_area"},
        ),
        (  # number 7 of another street, in another town, is no shared house
            person(address=HOME),
            person(address="7 Bourne Street, Penshurst 2283"),
            {"address_conflict"},
        ),
        (person(address=HOME), person(address="Cleveland"), {"address_area"}),
        (person(address="Damascus, Syria"), person(address="Damascus"), {"address_area"}),
        (person(address="Syria"), person(address="Damascus, Syria"), set()),  # no town in both
        (
            person(address="Zweierstrasse 35, Zurich CH-8022, Switzerland"),
            person(address="Zweierstr. 35, 8022 Zürich"),
            SAME,
        ),
        # another person's name: an address, a birth place or a phone says nothing of identity
        (person("Olga Ivanova", address=HOME), person(address=HOME), set()),
        (person("Olga Ivanova", phone="0612345678"), person(phone="0612345678"), set()),
        (person(address=HOME), person(), set()),  # a missing address is no evidence
        (person(birth_place="Giza, Egypt"), person(birth_place="Giza"), {"birth_place_match"}),
        (person(birth_place="Giza, Egypt"), person(birth_place="Egypt"), {"birth_country_match"}),
        (
            person(birth_place="Giza, Egypt"),
            person(birth_place="Cairo, Egypt"),
            {"birth_place_conflict"},
        ),
        (person(birth_place="Egypt"), person(birth_place="Iraq"), {"birth_place_conflict"}),
        (person(birth_place="Giza, Egypt"), person(), set()),
        (person(phone="+33 6 12 34 56 78"), person(phone="06 12 34 56 78"), {"phone_match"}),
        (person(phone="+33 6 12 34 56 78"), person(phone="+33 6 98 76 54 32"), set()),
        (
            person(email="K.Haddad@example.org"),
            person(email="k.haddad@example.org"),
            {"email_match"},
        ),
        (person(email="k.haddad@example.org"), person(email="karim@example.org"), set()),
    ],
)
def test_features_fired(left: Subject, right: Subject, expected: set[str]) -> None:
    assert fired(left, right) == expected
    assert fired(right, left) == expected  # the same whichever side is the query


NEW = [f for f in FEATURES if f.startswith(("address", "birth_", "phone", "email"))]


@pytest.mark.parametrize("feature", NEW)
def test_every_new_feature_is_sign_constrained(feature: str) -> None:
    sign = SIGNS[feature]
    weight = dict(zip(FEATURES, load_model().weights, strict=True))[feature]
    assert sign == (-1 if feature.endswith("conflict") else 1)
    assert weight * sign >= 0


def test_values_stay_between_zero_and_one() -> None:
    found = pair_features(
        prepare(person(address=HOME, birth_place="Giza", phone="0612345678", email="a@b.org")),
        prepare(person(address=HOME, birth_place="Giza", phone="0612345678", email="a@b.org")),
    )
    new = [v for n, v in zip(FEATURES, found.values, strict=True) if not n.startswith("name_")]
    assert all(0.0 <= v <= 1.0 for v in new)


THRESHOLD = load_model().threshold("default")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # neighbours: same postcode, town and street, different people
        (
            person("Karim Haddad", address=HOME),
            person("Olga Ivanova", address="9 Wallaby Place, Cleveland 2119"),
        ),
        (
            person("Karim Haddad", born="1981-04-02", address=HOME),
            person("Omar Mansour", born="1962-11-20", address="24 Bourne Street, Cleveland 2119"),
        ),
        # one household: the same address, another person of another name
        (person("Karim Haddad", address=HOME), person("Leila Mansour", address=HOME)),
        # one family: the same address and family name, another given name
        (person("Karim Haddad", address=HOME), person("Leila Haddad", address=HOME)),
        (
            person("Karim Haddad", born="1981-04-02", address=HOME, phone="0612345678"),
            person("Omar Haddad", born="2005-06-07", address=HOME, phone="+33612345678"),
        ),
        # born in the same city
        (
            person("Karim Haddad", birth_place="Damascus, Syria"),
            person("Yusuf Omar", birth_place="Damascus, Syria"),
        ),
    ],
)
def test_an_address_or_a_birth_place_alone_makes_no_match(left: Subject, right: Subject) -> None:
    assert score(prepare(left), prepare(right)).probability < THRESHOLD


def test_an_agreeing_address_lifts_a_weak_name_match() -> None:
    left = person("Charlotte Bishop", born="1981-04-02", address=HOME)
    moved = person("Charlotte Bisjop", born="1981-04-02", address="48 Park Road, Penshurst 2283")
    home = person("Charlotte Bisjop", born="1981-04-02", address="7 wallaby pl, cleveland 2119")
    assert (
        score(prepare(left), prepare(home)).probability
        > score(prepare(left), prepare(moved)).probability
    )


def test_an_address_is_explained_part_by_part() -> None:
    scored = score(
        prepare(person(address=HOME)), prepare(person(address="7 wallaby place, cleveland 2191"))
    )
    text = next(c.text for c in scored.contributions if c.feature == "address")
    assert text == (
        'address "7 Wallaby Place, Cleveland 2119" / "7 wallaby place, cleveland 2191": '
        "same house number, street, town; different postcode"
    )
    neighbours = score(
        prepare(person(address=HOME)), prepare(person(address="24 Bourne St, Cleveland 2119"))
    )
    text = next(c.text for c in neighbours.contributions if c.feature == "address")
    assert "same postcode, town; different house number, street" in text


@pytest.mark.parametrize(
    ("left", "right", "feature", "words"),
    [
        (person(address=HOME), person(address=HOME), "address", "same address"),
        (
            person(birth_place="Giza, Egypt"),
            person(birth_place="Giza"),
            "birth_place_match",
            'born in "Giza, Egypt" / "Giza": same place of birth',
        ),
        (
            person(birth_place="Giza, Egypt"),
            person(birth_place="Cairo, Egypt"),
            "birth_place_conflict",
            "different places of birth",
        ),
        (person(phone="+33612345678"), person(phone="0612345678"), "phone_match", "…345678"),
        (person(email="a@b.org"), person(email="A@B.org"), "email_match", '"a@b.org"'),
    ],
)
def test_explanations_in_analyst_words(
    left: Subject, right: Subject, feature: str, words: str
) -> None:
    scored = score(prepare(left), prepare(right))
    texts = [c.text for c in scored.contributions if c.feature == feature]
    assert texts and words in texts[0]


def test_an_address_shared_by_other_names_is_shown_but_not_counted() -> None:
    scored = score(
        prepare(person("Karim Haddad", address=HOME)),
        prepare(person("Leila Mansour", address=HOME)),
    )
    address = next(c for c in scored.contributions if c.feature == "address")
    assert address.weight == 0.0
    assert address.text.endswith(
        "not counted: the names differ (a relative, housemate or associate?)"
    )


def test_contributions_add_up_with_addresses() -> None:
    model = load_model()
    scored = score(
        prepare(person(born="1981", address=HOME, birth_place="Giza", phone="0612345678")),
        prepare(person("Kareem Hadad", born="1981", address="7 wallaby pl, cleveland 2191")),
    )
    logit = model.intercept + sum(c.value * c.weight for c in scored.contributions)
    assert 1 / (1 + math.exp(-logit)) == pytest.approx(scored.probability)
