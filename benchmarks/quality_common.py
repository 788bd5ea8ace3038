"""Shared parts of the quality benchmarks: rows, precision/recall/F1, and the three scorers.

Each scorer takes two subjects and returns a score in 0..1: watchlink (the shipped model),
nomenklatura's logic-v2 (OpenSanctions' best matcher, on FtM entities) and a rapidfuzz
baseline (token-sort ratio of the ASCII-folded primary names).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from watchlink.matching.record import prepare
from watchlink.matching.scoring import load_model, score
from watchlink.model import Subject
from watchlink.normalize.text import ascii_fold

__all__ = [
    "DATA",
    "RAPIDFUZZ_THRESHOLD",
    "Row",
    "Scorer",
    "f1_row_values",
    "logic_v2",
    "prf",
    "rapidfuzz_scorer",
    "watchlink_scorer",
]

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
RAPIDFUZZ_THRESHOLD = 0.85
LOGIC_V2_THRESHOLD = 0.7
Scorer = Callable[[Subject, Subject], float]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the benchmark table."""

    section: str
    measure: str
    system: str
    value: str
    target: str = ""
    note: str = ""


def prf(labels: Sequence[bool], predicted: Sequence[bool]) -> tuple[float, float, float]:
    """Precision, recall and F1."""
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def f1_row_values(labels: Sequence[bool], scores: Sequence[float], threshold: float) -> str:
    """``F1 (P/R)`` at ``threshold``, as printed in the table."""
    p, r, f = prf(labels, [s >= threshold for s in scores])
    return f"{f:.3f} (P {p:.3f} / R {r:.3f})"


def watchlink_scorer() -> tuple[Scorer, float]:
    """The shipped model and its default threshold."""
    model = load_model()

    def run(left: Subject, right: Subject) -> float:
        return score(prepare(left), prepare(right), model, explained=False).probability

    return run, model.threshold("default")


def _ftm(subject: Subject) -> Any:
    from followthemoney import model

    entity = model.make_entity("Person")
    entity.id = subject.id
    for name in subject.all_names():
        entity.add("name", name)
    for birth in subject.birth_dates:
        entity.add("birthDate", str(birth.date))
    for nationality in subject.nationalities:
        entity.add("nationality", nationality.value.lower())
    for document in subject.documents:
        entity.add("idNumber", document.number)
    if subject.gender is not None:
        entity.add("gender", subject.gender.value)
    return entity


def logic_v2() -> tuple[Scorer, float] | None:
    """nomenklatura's logic-v2 at its 0.7 threshold, or None when not installed."""
    try:
        from nomenklatura.matching import LogicV2, ScoringConfig
    except ImportError:
        return None
    config = ScoringConfig.defaults()

    def run(left: Subject, right: Subject) -> float:
        return float(LogicV2.compare(_ftm(left), _ftm(right), config).score)

    return run, LOGIC_V2_THRESHOLD


def rapidfuzz_scorer() -> tuple[Scorer, float]:
    """Best token-sort ratio over the two subjects' names (ASCII-folded), 0..1."""

    def run(left: Subject, right: Subject) -> float:
        best = 0.0
        for a in left.all_names():
            for b in right.all_names():
                best = max(
                    best, fuzz.token_sort_ratio(ascii_fold(a).lower(), ascii_fold(b).lower())
                )
        return best / 100.0

    return run, RAPIDFUZZ_THRESHOLD
