"""Addresses, places, phones and emails split into comparable parts, by tables of cases."""

from __future__ import annotations

import pytest

from watchlink.normalize.addresses import address_parts, place_parts
from watchlink.normalize.contacts import email_address, phone_number


@pytest.mark.parametrize(
    ("text", "house", "postcode", "street", "locality", "region"),
    [
        ("7 Wallaby Pl., Cleveland 2119", "7", "2119", ("wallaby", "place"), ("cleveland",), ()),
        ("7 wallaby place, cleveland 2119", "7", "2119", ("wallaby", "place"), ("cleveland",), ()),
        ("177 pridhamstreet, marsden 3165", "177", "3165", ("pridhamstreet",), ("marsden",), ()),
        ("Hauptstraße 12, 10115 Berlin", "12", "10115", ("hauptstrasse",), ("berlin",), ()),
        ("12 rue de la Paix, 75002 Paris", "12", "75002", ("rue", "paix"), ("paris",), ()),
        (
            "Zweierstrasse 35, Zurich CH-8022, Switzerland",
            "35",
            "8022",
            ("zweierstrasse",),
            ("zurich",),
            ("switzerland",),
        ),
        (
            "Avenida de Concha Espina 8, Madrid E-28036, Spain",
            "8",
            "28036",
            ("avenida", "concha", "espina"),
            ("madrid",),
            ("spain",),
        ),
        ("Ibex House, London EC3N 1DY", None, "ec3n1dy", (), ("ibex", "house", "london"), ()),
        ("Damascus, Syria", None, None, (), ("damascus",), ("syria",)),
        ("Syria", None, None, (), (), ("syria",)),  # a country alone is no town
        ("cleveland 2119", None, "2119", (), ("cleveland",), ()),
        ("7 wallaby place 2119", "7", "2119", ("wallaby", "place"), (), ()),
    ],
)
def test_address_parts(
    text: str,
    house: str | None,
    postcode: str | None,
    street: tuple[str, ...],
    locality: tuple[str, ...],
    region: tuple[str, ...],
) -> None:
    parts = address_parts(text)
    assert (parts.house, parts.postcode, parts.street, parts.locality, parts.region) == (
        house,
        postcode,
        street,
        locality,
        region,
    )
    assert parts.original == text


@pytest.mark.parametrize("text", ["", " , ; ", "---"])
def test_an_address_without_parts_is_empty(text: str) -> None:
    assert address_parts(text).empty


@pytest.mark.parametrize(
    ("text", "town", "region"),
    [
        ("Giza, Egypt", ("giza",), ("egypt",)),
        ("Egypt", (), ("egypt",)),
        ("Culiacán, Sinaloa, Mexico", ("culiacan", "sinaloa"), ("mexico",)),
        ("Najf Al Ashraf (Najaf), Iraq", ("najf", "al", "ashraf", "najaf"), ("iraq",)),
    ],
)
def test_place_parts(text: str, town: tuple[str, ...], region: tuple[str, ...]) -> None:
    place = place_parts(text)
    assert (place.town, place.region) == (town, region)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("+33 6 12 34 56 78", "612345678"),
        ("06.12.34.56.78", "612345678"),  # the same number dialled at home
        ("0033 (0)6-12-34-56-78", "612345678"),
        ("12 34", None),  # too short to be a number
        ("call me", None),
    ],
)
def test_phone_number(text: str, number: str | None) -> None:
    assert phone_number(text) == number


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (" Robert.Smith@Example.NET ", "robert.smith@example.net"),
        ("mailto:a@b.org", "a@b.org"),
        ("not an address", None),
        ("a@localhost", None),
        ("@example.net", None),
    ],
)
def test_email_address(text: str, address: str | None) -> None:
    assert email_address(text) == address
