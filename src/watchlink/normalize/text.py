"""Text cleaning, script detection and transliteration to Latin (ICU), shared by every field."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

__all__ = ["ascii_fold", "clean", "dominant_script", "to_latin"]

_TRANSLIT = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")

# Arabic-script letters whose ICU romanisation misleads name comparison: the tā' marbūṭa
# ends feminine names (Fatima, Osama) and is written -a, -ah or -at, most often -a: read as
# an h, it made "zh" of Hamza's حمزة (a j to the skeleton); alif maqṣūra is -a. The ʿayn
# (ع) is dropped by ICU but written as a vowel in Latin (Ali, Omar, Abd): make it one.
_ARABIC_FIX = str.maketrans({"ة": "ا", "ى": "ا", "ـ": None, "ٱ": "ا", "ع": "ا"})
# A letter ICU writes as one Latin letter that makes a digraph with the h of a following hāʾ
# (ه): سهيل is "shyl", whose "sh" the skeleton reads as ش, where Suhail has "s", "h". A
# vowel between them keeps the two apart, as Latin spells them (Zuhair, Suhail, Kahlan).
_BEFORE_HA = re.compile("([كتدزسصضطظپگ])ه")
_SEPARATORS = frozenset('-‐‑‒–—_/\\.,;:()[]{}"«»“”·|+&*#@!?')
_APOSTROPHES = frozenset("'`‘’ʿʾʼ")
_CLEANING = str.maketrans({**dict.fromkeys(_SEPARATORS, " "), **dict.fromkeys(_APOSTROPHES)})
_NOT_LATIN = re.compile(r"[^a-z0-9 ]+")


def _script_of_char(char: str) -> str | None:
    """The Unicode script of a letter, from its character name (``ARABIC LETTER ...``)."""
    if not char.isalpha():
        return None
    if char.isascii():
        return "latin"
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0].lower()
    if first in ("cjk", "hiragana", "katakana"):
        return "han" if first == "cjk" else "japanese"
    if first == "hangul":
        return "hangul"
    return first or None


def dominant_script(text: str) -> str:
    """The script most letters of ``text`` are in (``latin``, ``arabic``, ``cyrillic``...)."""
    if text.isascii():
        return "latin"
    counts: dict[str, int] = {}
    for char in text:
        script = _script_of_char(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "latin"
    return max(sorted(counts), key=lambda s: counts[s])


@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    """Latin letters without accents (``é`` → ``e``, ``ß`` → ``ss``); other scripts romanised."""
    if text.isascii():
        return text
    return str(_TRANSLIT.transliterate(text))


def clean(text: str) -> str:
    """NFKC, case folding, punctuation and separators turned into single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_CLEANING)
    return " ".join(text.split())


def to_latin(text: str, script: str) -> str:
    """Romanise cleaned text to lower-case ASCII, with Arabic-script letters prepared first."""
    if script == "arabic":
        text = _BEFORE_HA.sub("\\1اه", text.translate(_ARABIC_FIX))
    latin = _NOT_LATIN.sub("", ascii_fold(text).lower())
    return " ".join(latin.split())
