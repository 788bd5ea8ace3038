"""The consonant skeleton of a name part, and the letters it keeps whatever their neighbours.

The skeleton maps every romanisation of a name to one key: vowels dropped, digraphs folded
(kh/ch → k, sh → s, dj → j, q → k, ph → f), doubled letters collapsed, so that Mohamed,
Mohammed, Muhammad and محمد all become ``mhmd`` and Youssef, Yusuf and يوسف become ``sf``.

Some letters come through whatever surrounds them: no digraph takes them away (``kh``,
``gh`` and ``ck`` keep their ``k``) and none writes l, m, n or r. What a part holds of them
tells, without joining it to another and folding the whole, that two parts cannot together
have a given skeleton (:func:`kept_letters`, :func:`may_have_skeleton`).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

__all__ = [
    "kept_letters",
    "may_have_skeleton",
    "skeleton",
    "skeleton_collapse",
    "skeleton_letters",
]

_DIGRAPHS = (
    # German and Dutch write the English j and ch (and Dutch the sh) with more letters:
    # Dschamal / Jamal, Tschernow / Tsjernov / Chernov, Darwiesj / Darwish.
    ("dsch", "j"),
    ("tsch", "k"),
    ("tsj", "k"),
    ("sj", "s"),
    ("sch", "s"),
    ("tsh", "k"),
    ("dzh", "j"),
    ("tch", "c"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "k"),
    ("gh", "k"),
    ("ch", "k"),
    ("sh", "s"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("ce", "se"),  # French c before e/i is s: Youcef, Mouncif
    ("ci", "si"),
    ("ts", "s"),
    ("tz", "s"),
)
_ANY_DIGRAPH = re.compile("|".join(re.escape(digraph) for digraph, _ in _DIGRAPHS))
_LETTERS = str.maketrans(
    {
        "q": "k",
        "c": "k",
        "g": "k",
        "x": "k",
        "z": "s",  # Arabic script writes the s of foreign names with zay (Joseph, Jones)
        "p": "b",
        "a": None,
        "e": None,
        "i": None,
        "o": None,
        "u": None,
        "y": None,
        "w": None,
        "v": None,
    }
)


@lru_cache(maxsize=1 << 16)
def skeleton(token: str) -> str:
    """The consonant skeleton of a lower-case ASCII token (``mohammed`` → ``mhmd``).

    Cached: a watchlist repeats the same name parts endlessly (Mohamed, Ali, Kim...).
    """
    text = token
    if _ANY_DIGRAPH.search(text) is not None:  # most parts hold none: one search, not 22
        for digraph, single in _DIGRAPHS:
            if digraph in text:
                text = text.replace(digraph, single)
    text = text.translate(_LETTERS)
    if len(text) > 1 and text.endswith("h"):
        text = text[:-1]
    return sys.intern(skeleton_collapse(text))


def skeleton_collapse(text: str) -> str:
    """Doubled letters as one (``mm`` → ``m``)."""
    out: list[str] = []
    for char in text:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


# Each letter a skeleton is written in, as one bit of a set.
_BITS = {letter: 1 << n for n, letter in enumerate("bdfhjklmnrst")}
# The letters that come through every digraph and fold, as the letter they are written in.
_KEPT_BITS = {
    letter: _BITS[written] for letter, written in zip("bfgklmnqrx", "bfkklmnkrk", strict=True)
}
# Letters no other letter or digraph is written as: a skeleton holds one only from itself.
_OWN = _BITS["l"] | _BITS["m"] | _BITS["n"] | _BITS["r"]
_kept_cache: dict[str, int] = {}


def kept_letters(token: str) -> int:
    """The letters of ``token`` its skeleton keeps whatever stands before or after it, as a
    set of bits (:func:`skeleton_letters`'s): ``kept_letters(a) | kept_letters(b)`` is
    then kept by the skeleton of ``a + b``."""
    kept = _kept_cache.get(token)
    if kept is None:
        kept = 0
        for letter in token:
            kept |= _KEPT_BITS.get(letter, 0)
        if len(_kept_cache) >= 1 << 16:  # parts recur; a bound, not a policy
            _kept_cache.clear()
        _kept_cache[token] = kept
    return kept


def skeleton_letters(skeleton_text: str) -> int:
    """The letters a skeleton is written in, as a set of bits."""
    letters = 0
    for letter in skeleton_text:
        letters |= _BITS.get(letter, 0)
    return letters


def may_have_skeleton(kept: int, letters: int) -> bool:
    """Whether a token keeping ``kept`` (:func:`kept_letters`) may have a skeleton written
    in ``letters`` (:func:`skeleton_letters`): every letter it keeps is there, and every l,
    m, n or r there is one it holds. A necessary test, never a sufficient one."""
    return kept & ~letters == 0 and kept & _OWN == letters & _OWN
