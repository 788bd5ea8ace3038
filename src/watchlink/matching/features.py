"""Name features: tokens aligned order-insensitively, spelling and transliteration tolerant.

Each token of one name is paired with at most one token of the other, best pairs first, so
name order does not matter. Each pair is classed — the same, a romanisation variant (same
consonant skeleton), a typo (one edit, two in long names), an initial, or merely alike — and
a token left without a partner (a missing middle name, another family name) is counted on
its side. Names in the same syllabic script (Chinese, Korean, Thai...) are compared sign by
sign in that script, where romanisation would hide a different character.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.fuzz import ratio

from watchlink.matching.alignment import align
from watchlink.matching.tokens import (
    PairKind,
    TokenPair,
    family_place,
    token_kind,
    token_similarity,
)
from watchlink.normalize.given_names import equivalent_given_names
from watchlink.normalize.korean_spellings import korean_name, other_family_names
from watchlink.normalize.names import NameForm
from watchlink.normalize.skeletons import skeleton

__all__ = [
    "NameComparison",
    "PairKind",
    "TokenPair",
    "compare_names",
    "distinguishing",
    "gendered_forms",
    "token_similarity",
]

_LEV: Final = Levenshtein.normalized_similarity
SYLLABIC: Final = frozenset(["han", "hangul", "japanese", "thai", "khmer", "lao", "myanmar"])
# Scripts that leave most vowels unwritten: their romanisation guesses the vowels, so across
# scripts two tokens with one consonant skeleton are a spelling variant (عمر / Omar / Umar).
# Every other script writes its vowels, and its romanisation is held to Latin's rules: a
# Chinese "ming" is not "manan agha" because their consonants agree.
ABJADS: Final = frozenset(["arabic", "hebrew", "syriac", "thaana", "samaritan"])


class NameComparison:
    """The alignment of two names and the figures the model reads from it (a plain class,
    as :class:`~watchlink.matching.tokens.TokenPair`, for the same reason)."""

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
    distinct: tuple[str, ...]  # what tells two entities of one name apart, in words

    def __init__(
        self,
        left: NameForm,
        right: NameForm,
        pairs: tuple[TokenPair, ...],
        left_unmatched: tuple[str, ...],
        right_unmatched: tuple[str, ...],
        left_coverage: float,
        right_coverage: float,
        whole: float,
        exact: bool,
        order_swapped: bool,
        native: bool,
        distinct: tuple[str, ...] = (),
    ) -> None:
        self.left = left
        self.right = right
        self.pairs = pairs
        self.left_unmatched = left_unmatched
        self.right_unmatched = right_unmatched
        self.left_coverage = left_coverage
        self.right_coverage = right_coverage
        self.whole = whole
        self.exact = exact
        self.order_swapped = order_swapped
        self.native = native
        self.distinct = distinct

    def told_apart(self, distinct: tuple[str, ...]) -> NameComparison:
        """The same comparison, with what tells the two entities apart."""
        return NameComparison(
            self.left,
            self.right,
            self.pairs,
            self.left_unmatched,
            self.right_unmatched,
            self.left_coverage,
            self.right_coverage,
            self.whole,
            self.exact,
            self.order_swapped,
            self.native,
            distinct,
        )

    @property
    def conflicts(self) -> int:
        """Parts on each side without partner on the other; a distinguishing mark (another
        legal form, a series number, a subsidiary's extra word) counts as one such pair."""
        both = min(len(self.left_unmatched), len(self.right_unmatched))
        return max(both, 1 if self.distinct else 0)

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


def compare_names(left: NameForm, right: NameForm) -> NameComparison:
    """Align the tokens of two names and measure what is matched on each side.

    Arabic compounds are compared both joined (Abdelhamid) and apart (Abd al-Hamid): a list
    may write "Abdul" on its own where the other joins it. A legal form written joined to
    the name ("SiemensAG") is split off first. What sets two entities of one name
    apart is then added (:func:`distinguishing`).
    """
    left, right = _glued_form(left, right), _glued_form(right, left)
    best = _compare(left, right)
    if not best.exact and (left.unmerged is not None or right.unmerged is not None):
        other = _compare(left.unmerged or left, right.unmerged or right)
        best = other if other.strength > best.strength else best
    distinct = distinguishing(best)
    return best.told_apart(distinct) if distinct else best


def _glued_form(form: NameForm, other: NameForm) -> NameForm:
    """``form`` with the legal form of ``other`` split off the part it is written joined to
    ("SiemensAG" against "Siemens AG"), or ``form`` itself."""
    if form.legal_words or not other.legal_words:
        return form
    for i, token in enumerate(form.tokens):
        for word in other.legal_words:
            rest = token[: -len(word)]
            if token.endswith(word) and rest in other.tokens:
                tokens = (*form.tokens[:i], rest, *form.tokens[i + 1 :])
                return replace(
                    form,
                    tokens=tokens,
                    skeletons=tuple(skeleton(t) or t[:1] for t in tokens),
                    sorted_key=" ".join(sorted(tokens)),
                    legal_forms=other.legal_forms,
                    legal_words=frozenset([word]),
                    organisation=True,
                )
    return form


def distinguishing(names: NameComparison) -> tuple[str, ...]:
    """What tells apart two entities whose names otherwise agree, in words.

    Another kind of legal form (AG / GmbH; not AG / OAO, both joint-stock companies); a number
    or Roman numeral only one side has (Management Company 23, Solutions II, John Smith II:
    another of a series than the unnumbered one); and, in an organisation's name, a word only
    one side has (Banco Santander / Banco Santander México: a subsidiary, not the bank)."""
    left, right = names.left, names.right
    out: list[str] = []
    if left.legal_forms and right.legal_forms and not left.legal_forms & right.legal_forms:
        forms = f"{'/'.join(sorted(left.legal_forms))} ≠ {'/'.join(sorted(right.legal_forms))}"
        out.append(f"legal form {forms}")
    left_marks, right_marks = left.marks, right.marks
    marks = sorted(left_marks | right_marks) if bool(left_marks) != bool(right_marks) else []
    if marks:  # differing numbers on both sides are told apart by the alignment already
        out.append("number " + ", ".join(marks))
    if left.organisation or right.organisation:
        words = [t for t in names.left_unmatched + names.right_unmatched if t not in marks]
        if words:
            out.append("organisation's word " + ", ".join(words))
    for pair in names.pairs:
        if pair.kind != PairKind.SAME and gendered_forms(pair.left, pair.right):
            out.append(f"a woman's and a man's form of one family name: {pair.left} / {pair.right}")
    return tuple(out)


# A Slavic family name has a man's and a woman's form: Ivanov / Ivanova, Kowalski / Kowalska,
# Dostoevsky / Dostoevskaya. The two are relatives (husband and wife, brother and sister),
# the pair a list holds most often under one name: never one person.
_GENDERED: Final = (
    ("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("yn", "yna"), ("sky", "skaya"),
    ("skiy", "skaya"), ("skii", "skaya"), ("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"),
)  # fmt: skip


def gendered_forms(a: str, b: str) -> bool:
    """``a`` and ``b`` are one family name in its man's and its woman's form (one slip
    allowed in the stem: Baranov / Barynova)."""
    if not (a.endswith("a") or b.endswith("a")):  # every woman's ending does
        return False
    if equivalent_given_names(a, b):  # Yasmin / Yasmina: one given name
        return False
    for man, woman in ((a, b), (b, a)):
        if len(man) < 5:
            continue
        for his, hers in _GENDERED:
            if man.endswith(his) and woman.endswith(hers):
                stem, other = man[: -len(his)], woman[: -len(hers)]
                if OSA.distance(stem, other, score_cutoff=1) <= 1:
                    return True
    return False


def _variants_in_place(left: NameForm, right: NameForm, korean: bool = False) -> bool:
    """Names of as many parts agree part by part, in order, as spelling variants at least:
    one skeleton for the whole name is not enough (BWI / BAE, Chen / Chiang Kai-shek). Names
    spaced differently ("Abdel Hamid" / "Abdelhamid") have only the whole to go by. Two
    Korean family names (Song / Sung) first or last never agree (``korean``: both names
    written as Korean names are)."""
    if len(left.tokens) != len(right.tokens):
        return True
    for i, (a, sa, b, sb) in enumerate(
        zip(left.tokens, left.skeletons, right.tokens, right.skeletons, strict=True)
    ):
        family = korean and family_place(left.tokens, i, right.tokens, i)
        found = token_kind(a, sa, b, sb, True, korean, family)
        if found is not None and found[0] >= PairKind.VARIANT:
            continue
        if sa != sb or _LEV(a, b) < 0.5:  # "Un" / "On" yes, "Bwi" / "Bae" no
            return False
        if family and other_family_names(a, b):
            return False
    return True


_KOREAN: Final[dict[tuple[str, ...], bool]] = {}


def _korean(tokens: tuple[str, ...]) -> bool:
    """:func:`korean_name`, remembered: a query's name meets every candidate's."""
    found = _KOREAN.get(tokens)
    if found is None:
        if len(_KOREAN) >= 1 << 16:  # a bound on memory, not a policy
            _KOREAN.clear()
        found = _KOREAN[tokens] = korean_name(tokens)
    return found


def _compare(left: NameForm, right: NameForm) -> NameComparison:
    # Each attribute read once: a name form is a plain Python object, each read a lookup.
    script, other_script = left.script, right.script
    left_tokens, right_tokens = left.tokens, right.tokens
    native = script == other_script and script in SYLLABIC
    korean = not native and _korean(left_tokens) and _korean(right_tokens)
    skeleton_text = left.joined_skeleton
    same_written = (
        script == other_script == "latin"
        and len(skeleton_text) >= 5
        and skeleton_text == right.joined_skeleton
        and _LEV(left.latin.replace(" ", ""), right.latin.replace(" ", "")) >= 0.75
        and _variants_in_place(left, right, korean)
        and not any(map(gendered_forms, left_tokens, right_tokens))  # positional pairs
    )
    patronymic = left.patronymic and right.patronymic
    reordered = patronymic and left_tokens != right_tokens
    same_key = left.sorted_key == right.sorted_key
    if (native and left.native == right.native) or (
        not native and not reordered and (same_key or same_written)
    ):
        lt = _tokens(left, native)[0]
        same = native or same_key
        kind = PairKind.SAME if same else PairKind.VARIANT
        pairs = tuple(TokenPair(t, t, kind, 1.0, i, i) for i, t in enumerate(lt))
        return NameComparison(left, right, pairs, (), (), 1.0, 1.0, 1.0, True, False, native)
    lt, ls = _tokens(left, native)
    rt, rs = _tokens(right, native)
    spelled = script == other_script or not {script, other_script} & ABJADS
    aligned = align(lt, ls, rt, rs, spelled, joins=not native, korean=korean)
    chosen = aligned.pairs
    if native:
        whole = ratio(left.native, right.native) / 100.0
    else:
        whole = max(
            ratio(left.joined_skeleton, right.joined_skeleton) / 100.0,
            ratio(left.sorted_key, right.sorted_key) / 100.0,
        )
    swapped = patronymic and any(p.left_index == 0 and p.right_index != 0 for p in chosen)
    return NameComparison(
        left=left,
        right=right,
        pairs=chosen,
        left_unmatched=aligned.left_unmatched,
        right_unmatched=aligned.right_unmatched,
        left_coverage=aligned.left_coverage,
        right_coverage=aligned.right_coverage,
        whole=whole,
        exact=False,
        order_swapped=swapped,
        native=native,
    )
