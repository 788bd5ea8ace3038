"""Name features: tokens aligned order-insensitively, spelling and transliteration tolerant.

Each token of one name is paired with at most one token of the other, best pairs first, so
name order does not matter. Each pair is classed — the same, a romanisation variant (same
consonant skeleton), a typo (one edit, two in long names), an initial, or merely alike — and
a token left without a partner (a missing middle name, another family name) is counted on
its side. Names in the same syllabic script (Chinese, Korean, Thai...) are compared sign by
sign in that script, where romanisation would hide a different character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.fuzz import ratio

from watchlink.normalize.names import NameForm, skeleton

__all__ = ["NameComparison", "PairKind", "TokenPair", "compare_names", "token_similarity"]

_LEV = Levenshtein.normalized_similarity
PAIR_FLOOR = 0.55  # below this two tokens are different names, not variants
SYLLABIC = frozenset(["han", "hangul", "japanese", "thai", "khmer", "lao", "myanmar"])


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


def _short_variant(a: str, b: str, lev: float, same_script: bool) -> bool:
    """Short skeletons (Omar ``mr``, Ali ``l``) need more: written in one script on both sides the
    same first letter (Omar ≠ Amir), across scripts at least the same kind of first letter
    (Ayman ≠ Mun), and never too far apart in spelling."""
    if lev < 0.34:
        return False
    if same_script:
        return a[0] == b[0]
    return (a[0] in _VOWELS) == (b[0] in _VOWELS)


def _kind(
    a: str, a_skel: str, b: str, b_skel: str, same_script: bool = True
) -> tuple[PairKind, float] | None:
    if a == b:
        return PairKind.SAME, 1.0
    if len(a) == 1 or len(b) == 1:
        return (PairKind.INITIAL, 0.7) if a[0] == b[0] else None
    lev = _LEV(a, b)
    if (
        a_skel == b_skel
        and (lev >= 0.4 or not same_script)  # across scripts only the skeleton counts
        and (len(a_skel) >= 3 or _short_variant(a, b, lev, same_script))
    ):
        return PairKind.VARIANT, max(0.92, lev)
    head = _HEADS.match(a)
    if head is not None and a[head.end() :] == b and len(b) >= 4:
        return PairKind.TYPO, 0.85  # "Abdul Abbas" / "Abbas": the compound head dropped
    other_head = _HEADS.match(b)
    if other_head is not None and b[other_head.end() :] == a and len(a) >= 4:
        return PairKind.TYPO, 0.85
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


def token_similarity(a: str, a_skel: str, b: str, b_skel: str) -> float:
    """How alike two name tokens are, 0..1 (0 when they are different names)."""
    found = _kind(a, a_skel, b, b_skel)
    return 0.0 if found is None else found[1]


def _weight(token: str) -> float:
    return 0.4 if len(token) == 1 else 0.7 if len(token) == 2 else 1.0


@dataclass(frozen=True, slots=True)
class TokenPair:
    """Two aligned tokens (query side, candidate side), their kind and similarity."""

    left: str
    right: str
    kind: PairKind
    similarity: float
    left_index: int
    right_index: int


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The alignment of two names and the figures the model reads from it."""

    left: NameForm
    right: NameForm
    pairs: tuple[TokenPair, ...]
    left_unmatched: tuple[str, ...]
    right_unmatched: tuple[str, ...]
    left_coverage: float  # weighted share of the left name strongly matched in the right
    right_coverage: float
    whole: float  # similarity of the whole names (skeletons, order-free), 0..1
    exact: bool
    order_swapped: bool  # patronymic names (bin, ibn) whose first names trade places
    native: bool  # compared sign by sign in a shared syllabic script

    @property
    def strength(self) -> float:
        """One number to pick the best of several name pairs."""
        return (
            0.4 * min(self.left_coverage, self.right_coverage)
            + 0.3 * max(self.left_coverage, self.right_coverage)
            + 0.3 * self.whole
        )

    def count(self, kind: PairKind) -> int:
        """How many aligned pairs are of ``kind``."""
        return sum(1 for p in self.pairs if p.kind == kind)


def _tokens(form: NameForm, native: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if native:
        signs = tuple(form.native)
        return signs, signs
    return form.tokens, form.skeletons


def _join_two(
    parts: tuple[str, ...], free: list[int], target: str, same_script: bool
) -> tuple[int, int, PairKind, float] | None:
    for x in free:
        for y in free:
            if x == y:
                continue
            joined = parts[x] + parts[y]
            found = _kind(joined, skeleton(joined), target, skeleton(target), same_script)
            if found is not None and found[0] >= PairKind.TYPO:
                return x, y, found[0], found[1]
    return None


def _join_leftovers(
    lt: tuple[str, ...], used_l: set[int], rt: tuple[str, ...], used_r: set[int], same: bool
) -> list[TokenPair]:
    """Two unmatched parts of one name that together are one part of the other, in either
    order: "Adbul Bari" / "Abdulbari", "Rahman ... Abd" / "Abdalrahman"."""
    out: list[TokenPair] = []
    for j, target in enumerate(rt):
        free = [i for i in range(len(lt)) if i not in used_l]
        if j in used_r or len(free) < 2 or len(free) > 4:
            continue
        found = _join_two(lt, free, target, same)
        if found is not None:
            x, y, kind, sim = found
            used_l.update((x, y))
            used_r.add(j)
            out.append(TokenPair(f"{lt[x]} {lt[y]}", target, kind, sim, x, j))
    for i, target in enumerate(lt):
        free = [j for j in range(len(rt)) if j not in used_r]
        if i in used_l or len(free) < 2 or len(free) > 4:
            continue
        found = _join_two(rt, free, target, same)
        if found is not None:
            x, y, kind, sim = found
            used_r.update((x, y))
            used_l.add(i)
            out.append(TokenPair(target, f"{rt[x]} {rt[y]}", kind, sim, i, x))
    return out


def compare_names(left: NameForm, right: NameForm) -> NameComparison:
    """Align the tokens of two names and measure what is matched on each side.

    Arabic compounds are compared both joined (Abdelhamid) and apart, without their head
    (Abd al-Hamid → Hamid): a list may write "Abdul" on its own where the other joins it.
    """
    best = _compare(left, right)
    if best.exact or (left.unmerged is None and right.unmerged is None):
        return best
    other = _compare(left.unmerged or left, right.unmerged or right)
    return other if other.strength > best.strength else best


def _compare(left: NameForm, right: NameForm) -> NameComparison:
    native = left.script == right.script and left.script in SYLLABIC
    same_written = (
        left.script == right.script == "latin"
        and len(left.joined_skeleton) >= 5
        and left.joined_skeleton == right.joined_skeleton
        and _LEV(left.latin.replace(" ", ""), right.latin.replace(" ", "")) >= 0.75
    )
    reordered = left.patronymic and right.patronymic and left.tokens != right.tokens
    if (native and left.native == right.native) or (
        not native and not reordered and (left.sorted_key == right.sorted_key or same_written)
    ):
        lt = _tokens(left, native)[0]
        same = native or left.sorted_key == right.sorted_key
        kind = PairKind.SAME if same else PairKind.VARIANT
        pairs = tuple(TokenPair(t, t, kind, 1.0, i, i) for i, t in enumerate(lt))
        return NameComparison(left, right, pairs, (), (), 1.0, 1.0, 1.0, True, False, native)
    lt, ls = _tokens(left, native)
    rt, rs = _tokens(right, native)
    same_script = left.script == right.script
    cells: list[tuple[float, int, int, int, PairKind]] = []
    for i, a in enumerate(lt):
        for j, b in enumerate(rt):
            found = _kind(a, ls[i], b, rs[j], same_script)
            if found is not None:
                cells.append((found[1], -abs(i - j), i, j, found[0]))
    cells.sort(reverse=True)
    used_l: set[int] = set()
    used_r: set[int] = set()
    chosen: list[TokenPair] = []
    got_l = got_r = 0.0
    for sim, _, i, j, kind in cells:
        if i in used_l or j in used_r:
            continue
        used_l.add(i)
        used_r.add(j)
        chosen.append(TokenPair(lt[i], rt[j], kind, sim, i, j))
        if kind >= PairKind.INITIAL:
            got_l += _weight(lt[i]) * sim
            got_r += _weight(rt[j]) * sim
    if not native:
        for pair in _join_leftovers(lt, used_l, rt, used_r, same_script):
            chosen.append(pair)
            got_l += pair.similarity * sum(_weight(t) for t in pair.left.split())
            got_r += pair.similarity * sum(_weight(t) for t in pair.right.split())
    total_l = sum(_weight(t) for t in lt) or 1.0
    total_r = sum(_weight(t) for t in rt) or 1.0
    if native:
        whole = ratio(left.native, right.native) / 100.0
    else:
        whole = max(
            ratio(left.joined_skeleton, right.joined_skeleton) / 100.0,
            ratio(left.sorted_key, right.sorted_key) / 100.0,
        )
    swapped = (
        left.patronymic
        and right.patronymic
        and any(p.left_index == 0 and p.right_index != 0 for p in chosen)
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
        exact=False,
        order_swapped=swapped,
        native=native,
    )
