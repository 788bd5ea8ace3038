"""Two names' token lists aligned: best pairs first, each token used once, then the
leftovers joined or read as initials (``joins.py``), then the merely alike pairs; with the
weighted share of each name covered.
"""

from __future__ import annotations

from watchlink.matching.joins import acronyms, leftover_joins
from watchlink.matching.tokens import (
    PairKind,
    TokenPair,
    dropped_head,
    family_place,
    met_kind,
    token_kind,
    token_weight,
)

__all__ = ["Alignment", "align"]


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
            if korean:
                family = family_place(lt, i, rt, j)
                found = token_kind(a, ls[i], b, rs[j], same_script, korean, family)
            else:
                found = met_kind(a, ls[i], b, rs[j], same_script)
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
        for pair in leftover_joins(lt, used_l, rt, used_r, same_script):
            chosen.append(pair)
            got_l += pair.similarity * sum(token_weight(t) for t in pair.left.split())
            got_r += pair.similarity * sum(token_weight(t) for t in pair.right.split())
        for pair in acronyms(lt, used_l, rt, used_r):
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
