"""Leftover parts of two aligned names paired after the best pairs are taken: two parts of
one name joined into one part of the other ("Abdul Bari" / "Abdulbari", "Rahman ... Abd" /
"Abdalrahman"), and a short part that is the initials of parts of the other ("JC" / "Jean
Claude") (:func:`leftover_joins`, :func:`acronyms`).
"""

from __future__ import annotations

from typing import Final

from rapidfuzz.distance import OSA

from watchlink.matching.tokens import (
    PairKind,
    TokenPair,
    dropped_head,
    lacking,
    letter_set,
    opens_head,
    token_kind,
)
from watchlink.normalize.given_names import groups_of
from watchlink.normalize.skeletons import (
    kept_letters,
    may_have_skeleton,
    skeleton,
    skeleton_letters,
)

__all__ = ["acronyms", "leftover_joins"]

_JOIN_SKELETON: Final = 4  # consonants a part must have to be two others joined by skeleton alone
_HEAD_PREFIXES: Final = frozenset(
    head[:end]
    for head in ("abdul", "abdel", "abdal", "abdol", "abdou", "abou")
    for end in range(1, len(head) + 1)
)  # a part that, with the next one joined to it, may begin a compound head


class _Part:
    """What the join search asks of one name part, as a part joined or as the target:
    worked out once per distinct part (a list repeats its names endlessly)."""

    letters: int
    letter_set: int  # its letters, as bits (tokens.letter_set)
    skeleton: str
    kept: int  # the letters its skeleton keeps, whatever it is joined to
    written: int  # the letters its skeleton is written in
    opens: bool  # a compound head opens it
    may_open: bool  # it may open a compound head, joined to the next part
    by_skeleton: bool  # long enough a skeleton to be two parts joined by skeleton
    named: bool  # by_skeleton, and a given name of a group (its variants are one name)

    def __init__(self, text: str) -> None:
        self.letters = len(text)
        self.letter_set = letter_set(text)
        self.skeleton = skeleton(text)
        self.kept = kept_letters(text)
        self.written = skeleton_letters(self.skeleton)
        self.opens = opens_head(text)
        self.may_open = self.opens or text in _HEAD_PREFIXES
        self.by_skeleton = len(self.skeleton) >= _JOIN_SKELETON
        self.named = self.by_skeleton and bool(groups_of(text))


_parts: Final[dict[str, _Part]] = {}


def _part(text: str) -> _Part:
    found = _parts.get(text)
    if found is None:
        if len(_parts) >= 1 << 16:  # parts recur; a bound on memory, not a policy
            _parts.clear()
        found = _parts[text] = _Part(text)
    return found


def _head_rule_may_take(joined: str, target: str, aim: _Part, typo: bool) -> bool:
    """Whether a rule of :func:`token_kind` other than the skeleton's and the given names'
    may take ``joined`` for at least a typo of ``target``, by what each needs: the same
    token or a typo (``typo``: two edits at most, so two letters longer or shorter at most
    and two letters lacking at most), a compound head one has and the other lacks (three to
    five letters more), or two heads and the rest a typo (two edits and heads of three to
    five letters: four letters more or less at most). A head written alone is one only
    against another head or with one slip, and a head's skeleton is too short to join by:
    what it takes, the typo has taken."""
    if typo and OSA.distance(joined, target, score_cutoff=2) <= 2:
        return True
    spread = len(joined) - len(target)
    if 3 <= abs(spread) <= 5 and (
        dropped_head(joined, target) is not None or dropped_head(target, joined) is not None
    ):
        return True
    return -4 <= spread <= 4 and aim.opens and opens_head(joined)


def _join_two(
    parts: tuple[str, ...], free: list[tuple[int, _Part]], target: str, same_script: bool
) -> tuple[int, int, PairKind, float] | None:
    """The first two of the ``free`` parts that, joined in that order, are at least a typo
    of ``target`` (their positions in ``parts``): a typo or the same skeleton, or, where a
    compound head may be part of it, whatever :func:`token_kind` takes for one."""
    aim = _part(target)
    # Most parts joined are nowhere near the target, and what each part is tells, before a
    # string is joined or a distance worked out. A typo is two edits at most: two letters
    # longer or shorter, and two letters lacking on either side, at most. The same skeleton
    # needs the letters a skeleton always keeps (l, m, n, r, b, f, k: skeletons.py) to be
    # the target's. A variant, by skeleton or by given name ("A Lex" / "Alexander", where a
    # head may be joined), needs a target of enough consonants to tell names apart: "Xu
    # Liu" is no "Gul" (kl), nor "Choe Yong" a "Xing" (knk).
    by_skeleton = aim.by_skeleton
    for x, first in free:
        head = aim.opens or first.may_open
        for y, second in free:
            if x == y:
                continue
            alike = by_skeleton and may_have_skeleton(first.kept | second.kept, aim.written)
            spread = first.letters + second.letters - aim.letters
            typo = (
                -2 <= spread <= 2
                and lacking(first.letter_set | second.letter_set, aim.letter_set) <= 2
            )
            if head:
                if not (alike or aim.named or typo) and not -5 <= spread <= 5:
                    continue  # too long or too short for any rule of a compound head
                joined = parts[x] + parts[y]
                if not (alike or aim.named or _head_rule_may_take(joined, target, aim, typo)):
                    continue  # no rule of token_kind could take it
            else:
                if not typo and not alike:
                    continue
                joined = parts[x] + parts[y]
                if (not typo or OSA.distance(joined, target, score_cutoff=2) > 2) and (
                    not alike or skeleton(joined) != aim.skeleton
                ):
                    continue  # neither a typo nor the same skeleton
            found = token_kind(joined, skeleton(joined), target, aim.skeleton, same_script)
            if found is None or found[0] < PairKind.TYPO:
                continue
            if found[0] == PairKind.VARIANT and not by_skeleton:
                continue  # "Xu Li" / "Gul": two edits apart, and a skeleton too short to tell
            return x, y, found[0], found[1]
    return None


def leftover_joins(
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
    profiles = [(i, _part(parts[i])) for i in free]  # made again only after a join
    for j, target in enumerate(targets):
        if j in used_targets:
            continue
        found = _join_two(parts, profiles, target, same)
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
        profiles = [(i, _part(parts[i])) for i in free]
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


def acronyms(
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
