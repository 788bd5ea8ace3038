"""Text cleaning and romanisation."""

from __future__ import annotations

import pytest

from watchlink.normalize.text import ascii_fold, clean, dominant_script, to_latin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  KARIM   Haddad ", "karim haddad"),
        ("Ｋａｒｉｍ", "karim"),  # NFKC: full-width letters
        ("Straße", "strasse"),  # case folding
        ("HADDAD, Karim (alias)", "haddad karim alias"),
        ("al-Sharif", "al sharif"),
        ("O'Brien", "obrien"),
    ],
)
def test_clean(text: str, expected: str) -> None:
    assert clean(text) == expected


@pytest.mark.parametrize(
    ("text", "script", "expected"),
    [
        ("müller", "latin", "muller"),
        ("владимир", "cyrillic", "vladimir"),
        ("محمد", "arabic", "mhmd"),
        ("فاطمة", "arabic", "fatma"),  # the tā' marbūṭa as the -a Latin writes most
        ("حمزة", "arabic", "hmza"),  # not "hmzh", whose "zh" the skeleton reads as a j
        ("علي", "arabic", "aly"),
    ],
)
def test_to_latin(text: str, script: str, expected: str) -> None:
    assert to_latin(text, script) == expected


def test_mixed_text_takes_the_script_of_most_letters() -> None:
    assert dominant_script("Mohamed محمد عبد") == "arabic"
    assert dominant_script("1234") == "latin"


def test_ascii_text_is_left_alone() -> None:
    assert ascii_fold("plain") == "plain"
