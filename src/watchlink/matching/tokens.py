"""Name tokens compared two by two, and aligned: the token level of name matching.

Two tokens are the same, a romanisation variant (same consonant skeleton), a typo (one
edit, two in long names), an initial, or merely alike (:func:`token_kind`). Two token lists
are aligned best pairs first, each token used once, two leftover parts of one name may
together be one part of the other ("Abdul Bari" / "Abdulbari"), and a leftover short part
may be the initials of leftover parts of the other ("JC" / "Jean Claude") (:func:`align`).
Between two names written as Korean names are, the romanisations of one Korean family name
or syllable are variants and two Korean family names are not (Pak / Park, Song / Sung).

Everything here is a pure function of strings, and a watchlist repeats the same name parts
endlessly (Mohamed, Ali, Kim...): the kind of a token pair is cached, so a query meeting
the common names of a list again pays for them once.
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from watchlink.normalize.given_names import equivalent_given_names
from watchlink.normalize.korean_spellings import (
    korean_family,
    one_family_name,
    other_family_names,
    same_syllable,
)
from watchlink.normalize.names import skeleton

__all__ = [
    "PAIR_FLOOR",
    "Alignment",
    "PairKind",
    "TokenPair",
    "align",
    "dropped_head",
    "family_place",
    "token_kind",
    "token_similarity",
    "token_weight",
]

_LEV = Levenshtein.normalized_similarity
PAIR_FLOOR = 0.55  # below this two tokens are different names, not variants
_JOIN_SKELETON = 4  # consonants a part must have to be two others joined by skeleton alone


class PairKind(IntEnum):
    """How two aligned tokens relate, strongest first."""

    SAME = 5
    VARIANT = 4  # same consonant skeleton: Mohamed / Muhammad, Youssef / يوسف
    TYPO = 3  # one edit (two in long names), transpositions included
    INITIAL = 2  # "J" against "John"
    ALIKE = 1  # similar but not a known kind of variant: likely another name


_VOWELS = frozenset("aeiouyw")
# Compound heads of Arabic names; the part after them is the distinctive one.
_HEADS = re.compile(r"^(?:abd(?:ul|el|al|ol|ou|u)?|abu|abou)")
_HEAD_PREFIXES = frozenset(
    head[:end]
    for head in ("abdul", "abdel", "abdal", "abdol", "abdou", "abou")
    for end in range(1, len(head) + 1)
)  # a part that, with the next one joined to it, may begin a compound head


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


@lru_cache(maxsize=1 << 18)  # token pairs repeat: common names meet again and again
def token_kind(
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
    if equivalent_given_names(a, b):  # Ted / Theodore, John / Juan, Ibrahim / Abraham
        return PairKind.VARIANT, 0.9
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


def _opens_head(token: str) -> bool:
    """Whether a compound head opens ``token`` (every head begins with "ab": the pattern is
    tried on those only)."""
    return token.startswith("ab") and _HEADS.match(token) is not None


class _Parts:
    """The free parts of one name that two may join into a part of the other, with what
    the join search asks of each, worked out once for every target tried."""

    free: list[int]  # positions in the name
    letters: list[int]  # and, for each, its length
    heads: list[bool]  # whether it may open a compound head
    parts: tuple[str, ...]
    _consonants: list[int] | None

    def __init__(self, parts: tuple[str, ...], free: list[int]) -> None:
        self.parts = parts
        self.free = free
        self.letters = [len(parts[x]) for x in free]
        self.heads = [parts[x] in _HEAD_PREFIXES or _opens_head(parts[x]) for x in free]
        self._consonants = None

    def consonants(self) -> list[int]:
        """The length of each one's skeleton (asked only by a target long enough to be
        joined by skeleton)."""
        if self._consonants is None:
            self._consonants = [len(skeleton(self.parts[x])) for x in self.free]
        return self._consonants


def _join_two(
    parts: tuple[str, ...], free: _Parts, target: str, same_script: bool
) -> tuple[int, int, PairKind, float] | None:
    """The first two of the ``free`` parts that, joined in that order, are at least a typo
    of ``target`` (their positions in ``parts``)."""
    target_skeleton, target_head = skeleton(target), _opens_head(target)
    # Most parts joined are nowhere near the target: their lengths tell, before a string is
    # joined or a distance worked out. A typo is two edits at most, so two letters longer or
    # shorter at most; the same skeleton needs about as many consonants (the joint may merge
    # or add one or two), and enough of them to tell names apart: "Xu Liu" is no "Gul"
    # (kl), nor "Choe Yong" a "Xing" (knk).
    by_skeleton = len(target_skeleton) >= _JOIN_SKELETON
    letters = free.letters
    consonants = free.consonants() if by_skeleton else []  # read only by_skeleton
    for a, x in enumerate(free.free):
        first = parts[x]
        head = target_head or free.heads[a]
        for b, y in enumerate(free.free):
            if x == y:
                continue
            if head:
                joined = first + parts[y]
            else:
                typo = abs(letters[a] + letters[b] - len(target)) <= 2
                alike = (
                    by_skeleton and abs(consonants[a] + consonants[b] - len(target_skeleton)) <= 3
                )
                if not typo and not alike:
                    continue
                joined = first + parts[y]
                if (not typo or OSA.distance(joined, target, score_cutoff=2) > 2) and (
                    not alike or skeleton(joined) != target_skeleton
                ):
                    continue  # neither a head rule, nor a typo, nor the same skeleton
            found = token_kind(joined, skeleton(joined), target, target_skeleton, same_script)
            if found is None or found[0] < PairKind.TYPO:
                continue
            if found[0] == PairKind.VARIANT and len(target_skeleton) < _JOIN_SKELETON:
                continue  # "Xu Li" / "Gul": two edits apart, and a skeleton too short to tell
            return x, y, found[0], found[1]
    return None


def _join_leftovers(
    lt: tuple[str, ...], used_l: set[int], rt: tuple[str, ...], used_r: set[int], same: bool
) -> list[TokenPair]:
    """Two unmatched parts of one name that together are one part of the other, in either
    order: "Adbul Bari" / "Abdulbari", "Rahman ... Abd" / "Abdalrahman"."""
    return _joins_into(lt, used_l, rt, used_r, same, False) + _joins_into(
        rt, used_r, lt, used_l, same, True
    )


def _joins_into(
    parts: tuple[str, ...],
    used_parts: set[int],
    targets: tuple[str, ...],
    used_targets: set[int],
    same: bool,
    right_joined: bool,
) -> list[TokenPair]:
    """Pairs of two free ``parts`` joined into one free target; ``right_joined`` when the
    parts are the candidate's (the pair is then written target first)."""
    out: list[TokenPair] = []
    free = [i for i in range(len(parts)) if i not in used_parts]
    if not 2 <= len(free) <= 4:  # too many parts left is no near miss of one name
        return out
    search = _Parts(parts, free)  # made again only after a join
    for j, target in enumerate(targets):
        if j in used_targets:
            continue
        found = _join_two(parts, search, target, same)
        if found is None:
            continue
        x, y, kind, sim = found
        used_parts.update((x, y))
        used_targets.add(j)
        joined = f"{parts[x]} {parts[y]}"
        if right_joined:
            out.append(TokenPair(target, joined, kind, sim, j, x))
        else:
            out.append(TokenPair(joined, target, kind, sim, x, j))
        free = [i for i in free if i != x and i != y]
        if len(free) < 2:
            return out
        search = _Parts(parts, free)
    return out


def _spelled(acronym: str, parts: tuple[str, ...], free: list[int]) -> list[int] | None:
    """Positions of consecutive ``free`` parts whose first letters spell ``acronym``."""
    size = len(acronym)
    for start in range(len(free) - size + 1):
        run = free[start : start + size]
        if run[-1] - run[0] == size - 1 and all(
            parts[i][0] == letter for i, letter in zip(run, acronym, strict=True)
        ):
            return run
    return None


def _acronyms(
    lt: tuple[str, ...], used_l: set[int], rt: tuple[str, ...], used_r: set[int]
) -> list[TokenPair]:
    """An unmatched short part that is the initials of unmatched parts of the other name, in
    order: "US" / "United States", "JC" / "Jean Claude", "PLA" / "People's Liberation Army".
    Two letters that are a whole name ("N.N.") stand for no one in particular."""
    out: list[TokenPair] = []
    for flip in (False, True):
        a, used_a, b, used_b = (rt, used_r, lt, used_l) if flip else (lt, used_l, rt, used_r)
        for i, token in enumerate(a):
            if i in used_a or not 2 <= len(token) <= 5 or not token.isalpha():
                continue
            if len(token) == 2 and len(a) == 1:
                continue
            run = _spelled(token, b, [j for j in range(len(b)) if j not in used_b])
            if run is None:
                continue
            used_a.add(i)
            used_b.update(run)
            spelled = " ".join(b[j] for j in run)
            pair = (spelled, token, run[0], i) if flip else (token, spelled, i, run[0])
            out.append(TokenPair(pair[0], pair[1], PairKind.INITIAL, 0.7, pair[2], pair[3]))
    return out


class Alignment:
    """Two token lists aligned: the pairs, the tokens left over, the weighted coverage (a
    plain class, as :class:`TokenPair`)."""

    pairs: tuple[TokenPair, ...]
    left_unmatched: tuple[str, ...]
    right_unmatched: tuple[str, ...]
    left_coverage: float  # weighted share of the left tokens strongly matched on the right
    right_coverage: float

    def __init__(
        self,
        pairs: tuple[TokenPair, ...],
        left_unmatched: tuple[str, ...],
        right_unmatched: tuple[str, ...],
        left_coverage: float,
        right_coverage: float,
    ) -> None:
        self.pairs = pairs
        self.left_unmatched = left_unmatched
        self.right_unmatched = right_unmatched
        self.left_coverage = left_coverage
        self.right_coverage = right_coverage


def align(
    lt: tuple[str, ...],
    ls: tuple[str, ...],
    rt: tuple[str, ...],
    rs: tuple[str, ...],
    same_script: bool,
    joins: bool = True,
    korean: bool = False,
) -> Alignment:
    """Align tokens ``lt`` (skeletons ``ls``) with ``rt`` (``rs``), best pairs first, then
    (with ``joins``) two leftovers of one side against one leftover of the other, or a short
    leftover against the parts it is the initials of, then the merely alike pairs. With
    ``korean`` both names are written as Korean names are (:func:`token_kind`)."""
    cells: list[tuple[float, int, int, int, PairKind]] = []
    for i, a in enumerate(lt):
        for j, b in enumerate(rt):
            family = korean and family_place(lt, i, rt, j)
            found = token_kind(a, ls[i], b, rs[j], same_script, korean, family)
            if found is not None:
                cells.append((found[1], -abs(i - j), i, j, found[0]))
    cells.sort(reverse=True)
    used_l: set[int] = set()
    used_r: set[int] = set()
    chosen: list[TokenPair] = []
    got_l = got_r = 0.0
    for sim, _, i, j, kind in cells:
        if i in used_l or j in used_r or kind == PairKind.ALIKE:
            continue
        used_l.add(i)
        used_r.add(j)
        chosen.append(TokenPair(lt[i], rt[j], kind, sim, i, j))
        got_l += token_weight(lt[i]) * sim
        got_r += token_weight(rt[j]) * sim
    if joins:
        for pair in _join_leftovers(lt, used_l, rt, used_r, same_script):
            chosen.append(pair)
            got_l += pair.similarity * sum(token_weight(t) for t in pair.left.split())
            got_r += pair.similarity * sum(token_weight(t) for t in pair.right.split())
        for pair in _acronyms(lt, used_l, rt, used_r):
            chosen.append(pair)
            got_l += pair.similarity * sum(token_weight(t) for t in pair.left.split())
            got_r += pair.similarity * sum(token_weight(t) for t in pair.right.split())
    # Merely alike parts pair up last: "Patr ushev" is one "Patrushev" before "ushev" is
    # taken for a name like it.
    for sim, _, i, j, kind in cells:
        if kind == PairKind.ALIKE and i not in used_l and j not in used_r:
            used_l.add(i)
            used_r.add(j)
            chosen.append(TokenPair(lt[i], rt[j], kind, sim, i, j))
    total_l = sum(token_weight(t) for t in lt) or 1.0
    total_r = sum(token_weight(t) for t in rt) or 1.0
    # A compound head one side has and the other lacks ("Abdul Mohammed" / "Mohammed") is a
    # part of its own: beside "Shah Mohammed" it is "Abdul" against "Shah", not one name.
    typos = [p for p in chosen if p.kind == PairKind.TYPO]
    heads_l = tuple(h for p in typos if (h := dropped_head(p.left, p.right)) is not None)
    heads_r = tuple(h for p in typos if (h := dropped_head(p.right, p.left)) is not None)
    return Alignment(
        pairs=tuple(chosen),
        left_unmatched=tuple(t for i, t in enumerate(lt) if i not in used_l) + heads_l,
        right_unmatched=tuple(t for j, t in enumerate(rt) if j not in used_r) + heads_r,
        left_coverage=got_l / total_l,
        right_coverage=got_r / total_r,
    )
