"""Leftover parts of two aligned names paired after the best pairs are taken: two parts of
one name joined into one part of the other ("Abdul Bari" / "Abdulbari", "Rahman ... Abd" /
"Abdalrahman"), and a short part that is the initials of parts of the other ("JC" / "Jean
Claude") (:func:`leftover_joins`, :func:`acronyms`).
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from watchlink.matching.tokens import PairKind, TokenPair, opens_head, token_kind
from watchlink.normalize.names import skeleton

__all__ = ["acronyms", "leftover_joins"]

_JOIN_SKELETON = 4  # consonants a part must have to be two others joined by skeleton alone
_HEAD_PREFIXES = frozenset(
    head[:end]
    for head in ("abdul", "abdel", "abdal", "abdol", "abdou", "abou")
    for end in range(1, len(head) + 1)
)  # a part that, with the next one joined to it, may begin a compound head


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
        self.heads = [parts[x] in _HEAD_PREFIXES or opens_head(parts[x]) for x in free]
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
    target_skeleton, target_head = skeleton(target), opens_head(target)
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
