"""Name features: tokens aligned order-insensitively, spelling and transliteration tolerant.

Each token of one name is paired with at most one token of the other, best pairs first, so
name order does not matter; a token left without a partner (a missing middle name, an extra
family name) lowers that side's coverage, and the model weighs the two sides separately.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from watchlink.normalize.names import NameForm

__all__ = ["NameComparison", "TokenPair", "compare_names", "token_similarity"]

_LEV = Levenshtein.normalized_similarity
SKELETON_SIM = 0.92  # same consonant skeleton: a romanisation variant (Mohamed / Muhammad)
INITIAL_SIM = 0.7  # an initial against a name that starts with it
PAIR_FLOOR = 0.55  # below this two tokens are different names, not variants


def token_similarity(a: str, a_skel: str, b: str, b_skel: str) -> float:
    """How alike two name tokens are, 0..1: equal, same skeleton, initial, or edit distance."""
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL_SIM if a[0] == b[0] else 0.0
    lev = _LEV(a, b)
    if a_skel == b_skel and len(a_skel) >= 2:
        return max(SKELETON_SIM, lev)
    skel = _LEV(a_skel, b_skel) * 0.9 if len(a_skel) >= 3 and len(b_skel) >= 3 else 0.0
    return max(lev, skel)


def _weight(token: str) -> float:
    return 0.4 if len(token) == 1 else 0.7 if len(token) == 2 else 1.0


@dataclass(frozen=True, slots=True)
class TokenPair:
    """Two aligned tokens (query side, candidate side) and their similarity."""

    left: str
    right: str
    similarity: float


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The alignment of two names and the figures the model reads from it."""

    left: NameForm
    right: NameForm
    pairs: tuple[TokenPair, ...]
    left_unmatched: tuple[str, ...]
    right_unmatched: tuple[str, ...]
    left_coverage: float  # weighted share of the left name found in the right, 0..1
    right_coverage: float
    whole: float  # similarity of the whole names (skeletons, order-free), 0..1
    weakest: float  # similarity of the weakest aligned pair (1 when no pairs)
    exact: bool

    @property
    def strength(self) -> float:
        """One number to pick the best of several name pairs."""
        return (
            0.4 * min(self.left_coverage, self.right_coverage)
            + 0.3 * max(self.left_coverage, self.right_coverage)
            + 0.3 * self.whole
        )


def compare_names(left: NameForm, right: NameForm) -> NameComparison:
    """Align the tokens of two names and measure coverage on each side."""
    lt, ls, rt, rs = left.tokens, left.skeletons, right.tokens, right.skeletons
    if left.sorted_key == right.sorted_key:
        pairs = tuple(TokenPair(t, t, 1.0) for t in lt)
        return NameComparison(left, right, pairs, (), (), 1.0, 1.0, 1.0, 1.0, True)
    cells: list[tuple[float, int, int]] = []
    for i, a in enumerate(lt):
        for j, b in enumerate(rt):
            sim = token_similarity(a, ls[i], b, rs[j])
            if sim >= PAIR_FLOOR:
                cells.append((sim, i, j))
    cells.sort(reverse=True)
    used_l: set[int] = set()
    used_r: set[int] = set()
    chosen: list[TokenPair] = []
    got_l = got_r = 0.0
    for sim, i, j in cells:
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        chosen.append(TokenPair(lt[i], rt[j], sim))
        got_l += _weight(lt[i]) * sim
        got_r += _weight(rt[j]) * sim
    total_l = sum(_weight(t) for t in lt) or 1.0
    total_r = sum(_weight(t) for t in rt) or 1.0
    whole = max(
        ratio(left.joined_skeleton, right.joined_skeleton) / 100.0,
        ratio(left.sorted_key, right.sorted_key) / 100.0,
    )
    return NameComparison(
        left=left,
        right=right,
        pairs=tuple(chosen),
        left_unmatched=tuple(t for i, t in enumerate(lt) if i not in used_l),
        right_unmatched=tuple(t for j, t in enumerate(rt) if j not in used_r),
        left_coverage=got_l / total_l,
        right_coverage=got_r / total_r,
        whole=whole,
        weakest=min((p.similarity for p in chosen), default=0.0),
        exact=False,
    )
