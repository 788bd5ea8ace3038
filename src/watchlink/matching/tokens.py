"""Name tokens compared two by two: the token level of name matching.

Two tokens are the same, a romanisation variant (same consonant skeleton), a typo (one
edit, two in long names), an initial, or merely alike (:func:`token_kind`). Between two
names written as Korean names are, the romanisations of one Korean family name or syllable
are variants and two Korean family names are not (Pak / Park, Song / Sung). Token lists
are aligned in ``alignment.py``.

Everything here is a pure function of strings, and a watchlist repeats the same name parts
endlessly (Mohamed, Ali, Kim...): the kind of a token pair is cached, so a query meeting
the common names of a list again pays for them once.
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA, Levenshtein

from watchlink.normalize.given_names import given_name_groups
from watchlink.normalize.korean_spellings import (
    korean_family,
    one_family_name,
    other_family_names,
    same_syllable,
)
from watchlink.normalize.skeletons import skeleton

__all__ = [
    "PAIR_FLOOR",
    "PairKind",
    "TokenPair",
    "dropped_head",
    "family_place",
    "joined_patronymic",
    "lacking",
    "letter_set",
    "met_kind",
    "opens_head",
    "token_kind",
    "token_similarity",
    "token_weight",
]

_LEV: Final = Levenshtein.normalized_similarity
# One given name in several writings (equivalent_given_names, looked up here directly: asked
# of every token pair not yet met, a call into the uncompiled module cost more than the rest).
_GIVEN_NAMES: Final = given_name_groups()
PAIR_FLOOR: Final = 0.55  # below this two tokens are different names, not variants


class PairKind(IntEnum):
    """How two aligned tokens relate, strongest first."""

    SAME = 5
    VARIANT = 4  # same consonant skeleton: Mohamed / Muhammad, Youssef / يوسف
    TYPO = 3  # one edit (two in long names), transpositions included
    INITIAL = 2  # "J" against "John"
    ALIKE = 1  # similar but not a known kind of variant: likely another name


_VOWELS: Final = frozenset("aeiouyw")
# Compound heads of Arabic names; the part after them is the distinctive one.
_HEADS: Final = re.compile(r"^(?:abd(?:ul|el|al|ol|ou|u)?|abu|abou)")


def dropped_head(a: str, b: str) -> str | None:
    """The compound head ``a`` has and ``b`` lacks when they are otherwise one name
    ("abdulabbas" / "abbas" → "abdul"), else None."""
    if not a.startswith("ab") or len(b) < 4 or not a.endswith(b):
        return None
    head = _HEADS.match(a)
    if head is not None and a[head.end() :] == b:
        return a[: head.end()]
    return None


def _bare_head(a: str, b: str) -> tuple[PairKind, float] | None:
    """A compound head written alone (``abd``, ``abdul``, ``abu``) against the same head
    written otherwise or with one slip (a variant), or a compound it opens (``abdullah``: as
    an initial is)."""
    if not a.startswith("ab") or _HEADS.fullmatch(a) is None:
        return None
    if _HEADS.fullmatch(b) is not None:  # Abd / Abdul one head, Abd / Abu two
        return (PairKind.VARIANT, 0.92) if a[:3] == b[:3] else None
    if len(b) >= 3 and OSA.distance(a, b, score_cutoff=1) <= 1:
        return PairKind.VARIANT, 0.92  # "Adb al-Hamid": the head with a slip
    if a[:3] != b[:3]:
        return None
    return (PairKind.INITIAL, 0.85) if _HEADS.match(b) is not None else None


def _short_variant(a: str, b: str, lev: float, same_script: bool) -> bool:
    """Short skeletons (Omar ``mr``, Ali ``l``) need more: written in one script on both sides the
    same first letter (Omar ≠ Amir), across scripts at least the same kind of first letter
    (Ayman ≠ Mun), and never too far apart in spelling."""
    if lev < 0.34:
        return False
    if same_script:
        return a[0] == b[0]
    return (a[0] in _VOWELS) == (b[0] in _VOWELS)


def _token_kind(
    a: str,
    a_skel: str,
    b: str,
    b_skel: str,
    same_script: bool = True,
    korean: bool = False,
    family: bool = False,
) -> tuple[PairKind, float] | None:
    """How token ``a`` (skeleton ``a_skel``) relates to ``b``, with a similarity 0..1, or None
    when they are different names. With ``korean`` (both names written as Korean names are)
    the romanisations of one Korean family name or syllable are variants (Pak / Park, Eun /
    Un); with ``family`` too (both tokens stand where a Korean name puts its family name:
    first or last) two Korean family names are two names, whatever their skeleton or a typo
    would say (Song / Sung). In a given name "Yong" / "Jong" may still be a slip."""
    if a == b:
        return PairKind.SAME, 1.0
    if korean:
        if one_family_name(a, b) or same_syllable(a, b):  # Pak / Park, Eun / Un
            return PairKind.VARIANT, max(0.92, _LEV(a, b))
        if family and other_family_names(a, b):  # Song / Sung, Cho / Choi: two names
            lev = _LEV(a, b)
            return (PairKind.ALIKE, lev) if lev >= PAIR_FLOOR else None
    if len(a) == 1 or len(b) == 1:
        return (PairKind.INITIAL, 0.7) if a[0] == b[0] else None
    groups = _GIVEN_NAMES.get(a)  # Ted / Theodore, John / Juan, Ibrahim / Abraham
    if groups is not None:
        others = _GIVEN_NAMES.get(b)
        if others is not None and not groups.isdisjoint(others):
            return PairKind.VARIANT, 0.9
    otherwise = _written_otherwise(a, b, b_skel, same_script) or _written_otherwise(
        b, a, a_skel, same_script
    )
    if otherwise is not None:
        return otherwise
    said = _article_said(a, b, b_skel, same_script) or _article_said(b, a, a_skel, same_script)
    if said is not None:
        return said
    if joined_patronymic(a, b, b_skel) or joined_patronymic(b, a, a_skel):
        return PairKind.TYPO, 0.85  # "Benali" / "bin Ali": the particle joined to the name
    if _far_apart(a, a_skel, b, b_skel):
        return None  # most pairs a query meets: told apart by the letters they lack
    return _spelled_alike(a, a_skel, b, b_skel, same_script)


token_kind = lru_cache(maxsize=1 << 18)(_token_kind)  # token pairs repeat: names meet again

_Met = tuple[str, str, tuple[PairKind, float] | None]
# Pairs met, by the first token then the second, written in one script or across scripts.
# Final: compiled, a static rather than a lookup in the module's dict at every call.
_MET_SAME: Final[dict[str, dict[str, _Met]]] = {}
_MET_ACROSS: Final[dict[str, dict[str, _Met]]] = {}
_MET_ROWS: Final = 1 << 16  # first tokens remembered, and second tokens for each
_MET_ROW: Final = 1 << 10  # (a bound on memory, not a policy)


def met_kind(
    a: str, a_skel: str, b: str, b_skel: str, same_script: bool
) -> tuple[PairKind, float] | None:
    """:func:`token_kind` of two tokens without Korean rules, remembered by the two tokens
    themselves: the tokens of a query meet those of each candidate, and two lookups by a
    token (whose hash a string keeps) cost a fraction of hashing all seven arguments."""
    rows = _MET_SAME if same_script else _MET_ACROSS
    row = rows.get(a)
    if row is not None:
        met = row.get(b)
        if met is not None and met[0] == a_skel and met[1] == b_skel:
            return met[2]
        if len(row) >= _MET_ROW:  # a token met with very many: the general cache answers
            return token_kind(a, a_skel, b, b_skel, same_script)
    else:
        if len(rows) >= _MET_ROWS:
            rows.clear()
        row = rows[a] = {}
    found = _token_kind(a, a_skel, b, b_skel, same_script)
    row[b] = (a_skel, b_skel, found)
    return found


# Letters one language writes for a sound another writes otherwise, where the skeleton
# reads them as the English do: German and Dutch write as "j" the English "y" (Jasmin /
# Yasmin, Soefjan / Sufyan, Sergej / Sergey), French as "ch" the English "sh" and German
# "sch" (Chamseddine / Shamsaldin, Rachid / Rashid, Chaoui / Schawi). Each with the
# shortest skeleton it is trusted in: in short ones these letters tell apart Chinese
# names (Jun / Yun, Jiang / Yang, Chen / Shen).
_WRITTEN_OTHERWISE: Final = (("j", "y", 3), ("ch", "sh", 3), ("ch", "sch", 1))


def _written_otherwise(
    a: str, b: str, b_skel: str, same_script: bool
) -> tuple[PairKind, float] | None:
    """``a`` and ``b`` as spelling variants once ``a`` is written with the letters ``b``
    uses for one sound (only when ``b`` has them: "Jamal" is not read "Yamal" against
    "Amal"), by the rules of one spelling (:func:`_spelled_alike`), else None."""
    for theirs, ours, shortest in _WRITTEN_OTHERWISE:
        if theirs in a and ours in b and len(b_skel) >= shortest:
            respelled = a.replace(theirs, ours)
            found = _spelled_alike(respelled, skeleton(respelled), b, b_skel, same_script)
            if found is not None and found[0] == PairKind.VARIANT:
                return found
    return None


# The Arabic article inside a compound, before a sun letter (t, d, r, z, s, n): spoken, its
# l becomes that letter, which French and English spellings then write twice.
_ARTICLE_BEFORE_SUN: Final = re.compile(r"[aeuo]l([tdrzsn])")


def _article_said(a: str, b: str, b_skel: str, same_script: bool) -> tuple[PairKind, float] | None:
    """``a`` a compound written with the article (Izz al-Din, "izzaldin") and ``b`` the
    same as said, the sun letter doubled ("ezzeddine", "chamseddine"): a variant when ``a``
    spelled so is one of ``b``, else None."""
    if len(a) < 7:
        return None
    for found in _ARTICLE_BEFORE_SUN.finditer(a, 2):
        letter = found.group(1)
        if letter * 2 not in b:
            continue
        said = a[: found.start()] + "e" + letter + a[found.start() + 2 :]
        kind = _token_kind(said, skeleton(said), b, b_skel, same_script)
        if kind is not None and kind[0] >= PairKind.VARIANT:
            return PairKind.VARIANT, max(0.92, kind[1])
    return None


# The particles of descent that North African family names join to the father's name:
# Benali is "bin Ali", Benyoussef "ben Youssef", Ouldali "ould Ali".
_PATRONYMIC: Final = re.compile(r"^(?:ben|bin|ibn|ould)")


def joined_patronymic(a: str, b: str, b_skel: str) -> bool:
    """``a`` is a particle of descent joined to a name that ``b`` spells (the same or
    with the same skeleton and first letter): the particle, dropped from the other name's
    parts as every particle is, was written apart there ("Mohamed bin Ali"), or left out.
    Not a given name of the table that opens so (Binyamin, Benjamin)."""
    head = _PATRONYMIC.match(a) if a[:1] in "bio" else None
    if head is None or len(b) < 3 or a in _GIVEN_NAMES:
        return False
    rest = a[head.end() :]
    return rest == b or (rest[:1] == b[:1] and len(rest) >= 3 and skeleton(rest) == b_skel)


def _spelled_alike(
    a: str, a_skel: str, b: str, b_skel: str, same_script: bool
) -> tuple[PairKind, float] | None:
    """:func:`token_kind`'s rules of spelling: the same skeleton, a compound head, a typo,
    or merely alike."""
    lev = _LEV(a, b)
    if (
        a_skel == b_skel
        and (lev >= 0.4 or not same_script)  # across scripts only the skeleton counts
        and (len(a_skel) >= 3 or _short_variant(a, b, lev, same_script))
    ):
        return PairKind.VARIANT, max(0.92, lev)
    if dropped_head(a, b) is not None or dropped_head(b, a) is not None:
        return PairKind.TYPO, 0.85  # "Abdul Abbas" / "Abbas": the compound head dropped
    bare = _bare_head(a, b) or _bare_head(b, a)
    if bare is not None:
        return bare
    # Every compound head begins with "ab": the pattern is tried on those only.
    head = _HEADS.match(a) if a.startswith("ab") else None
    other_head = _HEADS.match(b) if head is not None and b.startswith("ab") else None
    if head is not None and other_head is not None:
        a, b = a[head.end() :], _HEADS.sub("", b, count=1)  # Abdulmenaf / Abdulmanan: the rest
    shorter = min(len(a), len(b))
    if shorter >= 4:
        edits = OSA.distance(a, b, score_cutoff=2)
        if edits <= 1 or (edits == 2 and shorter >= 8):
            return PairKind.TYPO, max(0.85, lev)
    sim = lev
    if len(a_skel) >= 3 and len(b_skel) >= 3:
        sim = max(sim, _LEV(a_skel, b_skel) * 0.9)
    return (PairKind.ALIKE, sim) if sim >= PAIR_FLOOR else None


_letter_sets: Final[dict[str, int]] = {}


def letter_set(token: str) -> int:
    """The letters of ``token`` as bits (two letters may share one: a bound only loosens)."""
    letters = _letter_sets.get(token)
    if letters is None:
        letters = 0
        for letter in token:
            letters |= 1 << (ord(letter) & 31)  # a small int: a..z to bits 1..26
        if len(_letter_sets) >= 1 << 17:  # tokens recur; a bound on memory, not a policy
            _letter_sets.clear()
        _letter_sets[token] = letters
    return letters


def lacking(left: int, right: int) -> int:
    """How many letters one of two :func:`letter_set` has that the other lacks (the larger
    count): each takes an edit at least, so no spelling of one is fewer edits from the
    other (a transposition included)."""
    return max(_bits(left & ~right), _bits(right & ~left))


def _bits(word: int) -> int:
    """How many bits of a 32-bit ``word`` are set (in plain integer steps: compiled, a
    method call on an int costs more)."""
    word -= (word >> 1) & 0x55555555
    word = (word & 0x33333333) + ((word >> 2) & 0x33333333)
    word = (word + (word >> 4)) & 0x0F0F0F0F
    return ((word * 0x01010101) & 0xFFFFFFFF) >> 24


def _far_apart(a: str, a_skel: str, b: str, b_skel: str) -> bool:
    """Whether no rule of :func:`_spelled_alike` can take ``a`` and ``b`` for one name, by the
    letters one lacks of the other's: not the same skeleton, no compound head (each begins
    with "ab"), and too many edits for the similarity of the tokens or of their skeletons to
    reach :data:`PAIR_FLOOR` (a normalised similarity is at most one less the edits' share
    of the longer). A typo is then out of reach too: one edit keeps four letters alike at
    0.75, two keep the eight letters they need at 0.75."""
    if a_skel == b_skel or a.startswith("ab") or b.startswith("ab"):
        return False
    apart = lacking(letter_set(a), letter_set(b))
    floor = PAIR_FLOOR - 1e-9  # the edits' share is a ratio of small integers: far from it
    if 1.0 - apart / max(len(a), len(b)) >= floor:
        return False
    if len(a_skel) >= 3 and len(b_skel) >= 3:
        share = lacking(letter_set(a_skel), letter_set(b_skel)) / max(len(a_skel), len(b_skel))
        return 0.9 * (1.0 - share) < floor
    return True


def family_place(lt: tuple[str, ...], i: int, rt: tuple[str, ...], j: int) -> bool:
    """Tokens ``lt[i]`` and ``rt[j]`` of two Korean names may both be the family name: each a
    family name of the table standing first or last; and not the last ones when the first
    ones are one family name already ("Kim Hee-sun" / "Kim Hui-son": Sun / Son are then
    syllables of the given names, "Ji-hoon Song" / "Sung Ji-hoon" still two family names)."""
    last_l, last_r = len(lt) - 1, len(rt) - 1
    if i not in (0, last_l) or j not in (0, last_r):
        return False
    if not (korean_family(lt[i]) and korean_family(rt[j])):
        return False
    if i == 0 and j == 0:
        return True
    first_l, first_r = lt[0], rt[0]
    return not (
        korean_family(first_l)
        and korean_family(first_r)
        and (first_l == first_r or one_family_name(first_l, first_r))
    )


def token_similarity(a: str, a_skel: str, b: str, b_skel: str) -> float:
    """How alike two name tokens are, 0..1 (0 when they are different names)."""
    found = token_kind(a, a_skel, b, b_skel)
    return 0.0 if found is None else found[1]


def token_weight(token: str) -> float:
    """How much a token counts in coverage: an initial or a two-letter part less."""
    return 0.4 if len(token) == 1 else 0.7 if len(token) == 2 else 1.0


class TokenPair:
    """Two aligned tokens (query side, candidate side), their kind and similarity.

    A plain class, as each comparison of the pair scoring below: compiled, its ``__init__``
    runs natively, where a dataclass's generated one runs as Python (a tenth of a pair's
    scoring time). None is changed once made.
    """

    left: str
    right: str
    kind: PairKind
    similarity: float
    left_index: int
    right_index: int

    def __init__(
        self,
        left: str,
        right: str,
        kind: PairKind,
        similarity: float,
        left_index: int,
        right_index: int,
    ) -> None:
        self.left = left
        self.right = right
        self.kind = kind
        self.similarity = similarity
        self.left_index = left_index
        self.right_index = right_index

    def __repr__(self) -> str:
        return f"TokenPair({self.left!r}, {self.right!r}, {self.kind.name}, {self.similarity:.2f})"


def opens_head(token: str) -> bool:
    """Whether a compound head opens ``token`` (every head begins with "ab": the pattern is
    tried on those only)."""
    return token.startswith("ab") and _HEADS.match(token) is not None
