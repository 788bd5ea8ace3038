"""The screener's contract (build, add, remove, screen, thresholds) on a small plain engine.

The engine here is deliberately simple (name tokens and Jaccard overlap) so that each test
reads as a statement about retrieval and ranking, not about the shipped scoring model;
``test_matching_screener_shipped.py`` runs the same API on the shipped engine.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from watchlink.matching.screener import Engine, Screener
from watchlink.model import BirthDate, DocumentStatus, IdentityDocument, Name, PartialDate, Subject


@dataclass(frozen=True)
class Said:
    text: str


@dataclass(frozen=True)
class Scored:
    probability: float
    contributions: list[Said]


@dataclass(frozen=True)
class Tokens:
    names: frozenset[str]
    documents: frozenset[str]


def prepare(subject: Subject) -> Tokens:
    names = frozenset(part for full in subject.all_names() for part in full.lower().split())
    return Tokens(names, frozenset(d.number.upper() for d in subject.documents))


def overlap(query: Tokens, listed: Tokens) -> Scored:
    if query.documents & listed.documents:
        return Scored(1.0, [Said("same document number")])
    shared = query.names & listed.names
    jaccard = len(shared) / max(len(query.names | listed.names), 1)
    return Scored(jaccard, [Said(f"shared name parts: {', '.join(sorted(shared))}")])


ENGINE = Engine(
    prepare=prepare,
    name_keys=lambda r: r.names,
    document_keys=lambda r: r.documents,
    score=overlap,
    thresholds={"screening": 0.5, "deduplication": 0.9},
)


def person(
    subject_id: str, name: str, born: int | None = None, document: IdentityDocument | None = None
) -> Subject:
    return Subject(
        id=subject_id,
        agency="FR-DGSI",
        names=[Name(name)],
        birth_dates=[] if born is None else [BirthDate(PartialDate(born))],
        documents=[] if document is None else [document],
    )


WATCHLIST = [
    person("s1", "Karim Haddad Nasser", 1981),
    person("s2", "Karim Haddad", 1990),
    person("s3", "Leila Mansour", 1975),
]


def screener() -> Screener[Tokens]:
    return Screener.build(WATCHLIST, ENGINE)


def test_screen_ranks_and_explains() -> None:
    matches = screener().screen(person("q", "Karim Haddad"))
    assert [m.subject_id for m in matches] == ["s2", "s1"]
    assert matches[0].score == 1.0 and matches[0].is_match
    assert matches[0].explanation == ["shared name parts: haddad, karim"]


@pytest.mark.parametrize(
    ("use", "expected"),
    [("screening", {"s1": True, "s2": True}), ("deduplication", {"s1": False, "s2": True})],
)
def test_per_use_thresholds(use: str, expected: dict[str, bool]) -> None:
    matches = screener().screen(person("q", "Karim Haddad"), use=use)
    assert {m.subject_id: m.is_match for m in matches} == expected


def test_unknown_use_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown use"):
        screener().screen(person("q", "Karim"), use="border")


def test_explicit_threshold_drops_weaker_matches_and_top_bounds() -> None:
    s = screener()
    assert [m.subject_id for m in s.screen(person("q", "Karim Haddad"), threshold=0.9)] == ["s2"]
    assert len(s.screen(person("q", "Karim Haddad"), top=1)) == 1


def test_add_replace_and_remove() -> None:
    s = screener()
    s.add(person("s4", "Youssef Benali"))
    assert [m.subject_id for m in s.screen(person("q", "Youssef Benali"))] == ["s4"]
    s.add(person("s4", "Yusuf Ben Ali"))  # same id: replaces
    assert s.screen(person("q", "Youssef Benali")) == []
    assert len(s) == 4
    assert s.remove("s3") and not s.remove("s3")
    assert s.screen(person("q", "Leila Mansour")) == [] and "s3" not in s


def test_stolen_document_is_returned_beyond_top_whatever_the_name() -> None:
    stolen = IdentityDocument("P1234567", status=DocumentStatus.STOLEN)
    s = Screener.build([*WATCHLIST, person("s9", "Omar Farouk", document=stolen)], ENGINE)
    query = person("q", "Karim Haddad", document=IdentityDocument("p1234567"))
    matches = s.screen(query, top=1, threshold=0.99)
    assert {m.subject_id for m in matches} == {"s2", "s9"}
    assert [m.document_alert for m in matches if m.subject_id == "s9"] == [True]


def test_birth_year_picks_the_candidate_between_namesakes() -> None:
    namesakes = [person("a", "Ali Hassan", 1970), person("b", "Ali Hassan", 1985)]
    s = Screener.build(namesakes, ENGINE, candidates=1)  # room to score one of the two only
    assert [m.subject_id for m in s.screen(person("q", "Ali Hassan", 1985))] == ["b"]
    assert [m.subject_id for m in s.screen(person("q", "Ali Hassan", 1970))] == ["a"]


def test_screen_many_streams_each_query() -> None:
    results = list(screener().screen_many([person("q1", "Leila Mansour"), person("q2", "Nobody")]))
    assert [(q.id, [m.subject_id for m in found]) for q, found in results] == [
        ("q1", ["s3"]),
        ("q2", []),
    ]


def test_later_duplicate_ids_in_build_replace_earlier() -> None:
    s = Screener.build([person("x", "Anna Petrova"), person("x", "Olga Sidorova")], ENGINE)
    assert len(s) == 1
    assert s.screen(person("q", "Anna Petrova")) == []


def test_a_build_reads_its_subjects_with_the_collector_off_and_restores_it() -> None:
    seen: list[bool] = []

    def read() -> Iterator[Subject]:
        for subject in WATCHLIST:
            seen.append(gc.isenabled())
            yield subject

    assert gc.isenabled()
    Screener.build(read(), ENGINE)
    assert seen == [False] * len(WATCHLIST)
    assert gc.isenabled()


def test_a_failed_build_restores_the_collector_and_leaves_it_off_if_it_was() -> None:
    def broken() -> Iterator[Subject]:
        yield WATCHLIST[0]
        raise OSError("the list could not be read")

    with pytest.raises(OSError, match="could not be read"):
        Screener.build(broken(), ENGINE)
    assert gc.isenabled()
    gc.disable()
    try:
        Screener.build(WATCHLIST, ENGINE)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_query_scores_each_candidate_once_and_explains_from_that_score() -> None:
    scored: list[tuple[str, str]] = []

    def counted(query: Tokens, listed: Tokens) -> Scored:
        scored.append((" ".join(sorted(query.names)), " ".join(sorted(listed.names))))
        return overlap(query, listed)

    s = Screener.build(WATCHLIST, replace(ENGINE, score=counted))
    matches = s.screen(person("q", "Karim Haddad"), threshold=0.0)
    assert {m.subject_id for m in matches} == {"s1", "s2"}
    assert len(scored) == len(set(scored)) == len(s.candidates(person("q", "Karim Haddad")))
    assert matches[0].explanation == ["shared name parts: haddad, karim"]


def test_candidates_are_the_subjects_the_index_would_score() -> None:
    s = screener()
    assert set(s.candidates(person("q", "Karim"))) == {"s1", "s2"}
    assert s.candidates(person("q", "Leila Mansour")) == ["s3"]
    assert s.candidates(person("q", "Nobody")) == []


def test_full_birth_date_even_with_day_and_month_swapped_picks_between_namesakes() -> None:
    def born(subject_id: str, date: str) -> Subject:
        subject = person(subject_id, "Ali Hassan")
        subject.birth_dates = [BirthDate(PartialDate.parse(date))]
        return subject

    namesakes = [born("a", "1980-04-02"), born("b", "1980-07-09"), born("c", "1980-02-04")]
    s = Screener.build(namesakes, ENGINE, candidates=1)
    assert [m.subject_id for m in s.screen(born("q", "1980-09-07"))] == ["b"]
    assert [m.subject_id for m in s.screen(born("q", "1980-04-02"))] == ["a"]  # exact first


def test_subject_keys_file_names_documents_dates_and_compounds() -> None:
    from dataclasses import replace

    from watchlink.matching.screener import subject_keys

    engine = replace(ENGINE, year_combined=("has",))
    record = prepare(person("x", "Ali Hassan", document=IdentityDocument("AB123")))
    keys = subject_keys(engine, record, [19800407])
    assert keys == {
        "n:ali",
        "n:hassan",
        "d:AB123",
        "y:1980",
        "b:1980-04",
        "b:1980-04-07",
        "b:1980-07-04",  # day and month swapped
        "c:hassan|1980",  # only the name keys the engine asks for are compounded
    }
    assert subject_keys(engine, record, [19800000]) == {
        "n:ali",
        "n:hassan",
        "d:AB123",
        "y:1980",
        "c:hassan|1980",
    }


def test_the_shipped_engine_keeps_one_copy_of_repeated_places_and_addresses() -> None:
    from watchlink.model import Value

    def listed(subject_id: str, name: str) -> Subject:
        subject = Subject(id=subject_id, agency="FR-INT", names=[Name(name)])
        subject.birth_places.append(Value("Lyon, France"))
        subject.addresses.append(Value("12 rue des Lilas, 69003 Lyon"))
        return subject

    subjects = [listed("a", "Odile Marchetti"), listed("b", "Jules Ferrandou")]
    screener: Screener[Any] = Screener.build(subjects)
    first, second = (screener._records[screener._doc_of[i]] for i in ("a", "b"))
    assert first is not None and second is not None
    assert first.birth_places is second.birth_places
    assert first.addresses is second.addresses
