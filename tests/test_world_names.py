"""The name material: one person, every spelling of its culture."""

from __future__ import annotations

import random

import pytest

from watchlink.world.names import CULTURES, PersonName, country_styles, kunya, random_name


def _row(table: tuple[tuple[str, ...], ...], column: int, value: str) -> int:
    return next(i for i, row in enumerate(table) if row[column] == value)


def test_one_arabic_name_in_french_english_dutch_and_arabic_script() -> None:
    culture = CULTURES["maghrebi"]
    given = (_row(culture.male, 0, "Mohamed"), _row(culture.male, 0, "Abdelhamid"))
    name = PersonName("maghrebi", False, given, _row(culture.family, 0, "Ben Youssef"))
    assert name.full("fr") == "Mohamed Abdelhamid Ben Youssef"
    assert name.full("en") == "Muhammad Abd al-Hamid bin Yusuf"
    assert name.full("nl") == "Mohammed Abdoelhamied Ben Joessef"
    assert name.full("ar") == "محمد عبد الحميد بن يوسف"
    assert name.parts("de") == ("Mohammed Abdulhamid", "Ben Jussuf")


def test_slavic_family_names_take_the_feminine_ending_in_every_script() -> None:
    culture = CULTURES["slavic"]
    ivanov = _row(culture.family, 0, "Ivanov")
    anna = _row(culture.female, 0, "Anna")
    name = PersonName("slavic", True, (anna,), ivanov)
    assert [name.full(s) for s in culture.styles] == [
        "Anna Ivanova",
        "Anna Ivanova",
        "Anna Iwanowa",
        "Анна Иванова",
    ]


@pytest.mark.parametrize(
    ("culture", "native", "plain", "german"),
    [("turkish", "Öztürk", "Ozturk", "Oeztuerk"), ("western", "Müller", "Muller", "Mueller")],
)
def test_derived_spellings(culture: str, native: str, plain: str, german: str) -> None:
    table = CULTURES[culture].family
    assert table[_row(table, 0, native)] == (native, plain, german)


def test_every_row_has_one_spelling_per_style_and_no_blank() -> None:
    for culture in CULTURES.values():
        for table in (culture.male, culture.female, culture.family, culture.female_family):
            for row in table:
                assert len(row) == len(culture.styles), row
                assert all(form.strip() == form and form for form in row), row


def test_random_names_are_reproducible_and_varied() -> None:
    culture = CULTURES["levantine"]
    first = [random_name(random.Random(5), culture, False) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    many = {random_name(random.Random(i), culture, False) for i in range(200)}
    assert len(many) > 150


def test_kunya_and_country_styles() -> None:
    culture = CULTURES["maghrebi"]
    hamza = _row(culture.male, 0, "Hamza")
    assert kunya(culture, hamza, "fr") == "Abou Hamza"
    assert kunya(culture, hamza, "ar") == "أبو حمزة"
    assert culture.style_for(country_styles("NL")) == "nl"
    assert culture.style_for(country_styles("US")) == "en"
    assert CULTURES["western"].style_for(country_styles("US")) == "native"
