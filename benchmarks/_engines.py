"""Engines for the speed benchmark: the shipped one, else a plain stand-in, and the peers.

The stand-in (ASCII-folded name tokens, rapidfuzz on the joined name) is only used when the
shipped scoring model is not importable, and the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from watchlink.matching import Engine, shipped_engine
from watchlink.model import Subject

__all__ = ["engine", "ftm_person"]


@dataclass(frozen=True, slots=True)
class _Plain:
    name: str
    tokens: frozenset[str]
    documents: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Said:
    text: str


@dataclass(frozen=True, slots=True)
class _Scored:
    probability: float
    contributions: tuple[_Said, ...]


def _fold(text: str) -> str:
    from rigour.text import ascii_text

    return str(ascii_text(text)).lower()


def _prepare(subject: Subject) -> _Plain:
    names = [_fold(n) for n in subject.all_names()]
    tokens = frozenset(t for n in names for t in n.replace("-", " ").split() if len(t) > 1)
    documents = frozenset(d.number.upper().replace(" ", "") for d in subject.documents)
    return _Plain(names[0] if names else "", tokens, documents)


def _score(query: _Plain, listed: _Plain) -> _Scored:
    if query.documents & listed.documents:
        return _Scored(1.0, (_Said("same document number"),))
    ratio = fuzz.token_sort_ratio(query.name, listed.name) / 100.0
    return _Scored(ratio, (_Said(f"names {ratio:.0%} alike"),))


def engine() -> tuple[Engine[Any], str]:
    """The shipped engine and its label, else the stand-in and a label that says so."""
    try:
        return shipped_engine(), "watchlink"
    except ImportError:
        stand_in: Engine[_Plain] = Engine(
            prepare=_prepare,
            name_keys=lambda r: r.tokens,
            document_keys=lambda r: r.documents,
            score=_score,
            thresholds={"screening": 0.8, "deduplication": 0.92},
        )
        return stand_in, "watchlink (stand-in scorer)"


def ftm_person(subject: Subject) -> Any:
    """The subject as a FollowTheMoney Person, for the peers."""
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
        entity.add("passportNumber", document.number)
    if subject.gender is not None:
        entity.add("gender", subject.gender.value)
    return entity
