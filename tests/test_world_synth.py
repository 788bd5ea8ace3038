"""The synthetic world: reproducible, the right size, and its ground truth is true."""

from __future__ import annotations

from collections import Counter

import pytest
from rapidfuzz.distance import DamerauLevenshtein

from watchlink.model import DocumentStatus, Encounter, LinkKind, NameKind, PartialDate
from watchlink.world.encounters import Truth, Variation
from watchlink.world.names import CULTURES
from watchlink.world.synth import SynthWorld, generate

NAME_VARIATIONS = {
    Variation.TRANSLITERATION,
    Variation.NATIVE_SCRIPT,
    Variation.ALIAS,
    Variation.SWAPPED_ORDER,
    Variation.MISSING_PART,
}


@pytest.fixture(scope="module")
def world() -> SynthWorld:
    return generate(seed=11, subjects=400, encounters=4000, listed_share=0.5)


@pytest.fixture(scope="module")
def encounters(world: SynthWorld) -> list[tuple[Encounter, Truth]]:
    return list(world.encounters())


def test_same_seed_same_world_and_another_seed_another() -> None:
    def dump(seed: int) -> tuple[list[object], list[object], list[object]]:
        w = generate(seed, subjects=60, encounters=200)
        return list(w.subjects()), list(w.links()), list(w.encounters())

    assert dump(3) == dump(3)
    other = dump(4)
    assert other[0] != dump(3)[0]
    assert other[2] != dump(3)[2]


@pytest.mark.parametrize(("subjects", "encounters"), [(0, 0), (1, 5), (7, 30), (250, 10)])
def test_sizes(subjects: int, encounters: int) -> None:
    w = generate(1, subjects, encounters, stolen_batches=2)
    assert sum(1 for _ in w.subjects()) == subjects + 2
    assert sum(1 for _ in w.encounters()) == encounters
    ids = [s.id for s in w.subjects()]
    assert len(set(ids)) == len(ids)


def test_subjects_carry_every_kind_of_value(world: SynthWorld) -> None:
    subjects = [world.subject(i) for i in range(world.subject_count)]
    assert len({s.sharing.distribution for s in subjects}) == 4
    assert len({s.sharing.handling for s in subjects}) == 4
    assert len({s.status for s in subjects}) == 3
    assert len({s.action_on_hit for s in subjects}) == 5
    assert {s.agency for s in subjects} >= {"FR-INT", "BE-POL", "DE-BKA", "TR-INT", "US-SEC"}
    kinds = {n.kind for s in subjects for n in s.names}
    assert kinds == set(NameKind)
    precisions = {b.date.precision for s in subjects for b in s.birth_dates}
    assert precisions == {"year", "month", "day"}
    scripts = "".join(n.full for s in subjects for n in s.names)
    assert any("\u0600" <= c <= "\u06ff" for c in scripts)  # Arabic
    assert any("\u0400" <= c <= "\u04ff" for c in scripts)  # Cyrillic
    passports = [d.number for s in subjects for d in s.documents if d.type == "passport"]
    assert len(passports) == len(set(passports))
    assert all(s.review_date is not None and s.legal_basis for s in subjects)


def test_stolen_batch_is_consecutive_and_marked_stolen(world: SynthWorld) -> None:
    (batch,) = world.batches
    record = next(iter(world.subjects()))
    numbers = [d.number for d in record.documents]
    assert record.id == batch.id and numbers == batch.numbers() and len(numbers) == 200
    assert [int(n[2:]) for n in numbers] == list(range(batch.first, batch.first + 200))
    assert {d.status for d in record.documents} == {DocumentStatus.STOLEN}
    assert [n.kind for n in record.names] == [NameKind.WEAK_ALIAS]  # a label, no person


def test_family_links_join_siblings_of_one_family_name(world: SynthWorld) -> None:
    links = list(world.links())
    family = [link for link in links if link.kind is LinkKind.FAMILY]
    assert len(family) > 10
    for link in family:
        a = world.identity(world.index_of(link.source_subject))
        b = world.identity(world.index_of(link.target_subject))
        assert (a.name.culture, a.name.family) == (b.name.culture, b.name.family)
        assert a.nationality == b.nationality


def _expected_names(world: SynthWorld, truth: Truth) -> set[tuple[str, str]]:
    """(given, family) the presented name must be, before any typo."""
    assert truth.subject_id is not None
    index = world.index_of(truth.subject_id)
    who, subject = world.identity(index), world.subject(index)
    culture = CULTURES[who.name.culture]
    primary = subject.names[0]
    listed = {n.full for n in subject.names}
    own = (primary.given or "", primary.family or "")
    variations = set(truth.variations)
    if Variation.TRANSLITERATION in variations:
        styles = [s for s in culture.latin_styles if who.name.full(s) not in listed]
        return {who.name.parts(s) for s in styles}
    if Variation.NATIVE_SCRIPT in variations:
        assert culture.native is not None
        return {who.name.parts(culture.native)}
    if Variation.ALIAS in variations:
        return {(n.given or "", n.family or "") for n in subject.names[1:] if n.given}
    if Variation.SWAPPED_ORDER in variations:
        return {(own[1], own[0])}
    if Variation.MISSING_PART in variations:
        assert len(who.name.given) > 1
        style = next(s for s in culture.styles if who.name.full(s) == primary.full)
        table = culture.female if who.name.female else culture.male
        return {(table[who.name.given[0]][culture.styles.index(style)], own[1])}
    return {own}


def test_ground_truth_of_names(
    world: SynthWorld, encounters: list[tuple[Encounter, Truth]]
) -> None:
    seen: Counter[Variation] = Counter()
    for encounter, truth in encounters:
        if truth.subject_id is None:
            continue
        seen.update(truth.variations)
        person = encounter.person
        got = (person.given or "", person.family or "")
        expected = _expected_names(world, truth)
        if Variation.TYPO in truth.variations:
            assert got not in expected
            best = min(
                DamerauLevenshtein.distance(f"{got[0]} {got[1]}", f"{g} {f}") for g, f in expected
            )
            assert best == 1, (truth, got, expected)
        else:
            assert got in expected, (truth, got, expected)
        assert person.names == [f"{got[0]} {got[1]}"]
    assert set(seen) >= NAME_VARIATIONS | {Variation.EXACT, Variation.TYPO}


def test_ground_truth_of_dates_and_documents(
    world: SynthWorld, encounters: list[tuple[Encounter, Truth]]
) -> None:
    batch_numbers = set(world.batches[0].numbers())
    for encounter, truth in encounters:
        shown = encounter.document
        if truth.subject_id is None:
            if Variation.STOLEN_DOCUMENT in truth.variations:
                assert shown is not None and shown.number == truth.stolen_document
                assert shown.number in batch_numbers
            continue
        who = world.identity(world.index_of(truth.subject_id))
        b = who.birth
        variations = set(truth.variations)
        expected_date: PartialDate | None = PartialDate(b.year, b.month, b.day)
        if Variation.PARTIAL_DATE in variations:
            expected_date = PartialDate(b.year)
        elif Variation.SWAPPED_DAY_MONTH in variations:
            expected_date = PartialDate(b.year, b.day, b.month)
        elif Variation.NO_DATE in variations:
            expected_date = None
        assert encounter.person.birth_date == expected_date
        if Variation.NO_DOCUMENT in variations:
            assert shown is None
        elif Variation.STOLEN_DOCUMENT in variations:
            assert shown is not None and shown.number in batch_numbers
            assert truth.stolen_document == shown.number
        elif Variation.OTHER_DOCUMENT in variations:
            assert shown is not None and shown.number != who.passport
        else:
            assert shown is not None and shown.number == who.passport


def test_namesakes_share_a_name_but_not_a_birth_date(
    world: SynthWorld, encounters: list[tuple[Encounter, Truth]]
) -> None:
    namesakes = [(e, t) for e, t in encounters if t.namesake_of is not None]
    assert namesakes
    for encounter, truth in namesakes:
        assert truth.subject_id is None and truth.namesake_of is not None
        who = world.identity(world.index_of(truth.namesake_of))
        spellings = {who.name.full(s) for s in CULTURES[who.name.culture].styles}
        assert encounter.person.names[0] in spellings
        assert encounter.person.birth_date != PartialDate(
            who.birth.year, who.birth.month, who.birth.day
        )


def test_most_encounters_are_innocent_by_default() -> None:
    w = generate(5, subjects=100, encounters=2000)
    listed = sum(1 for _, t in w.encounters() if t.subject_id is not None)
    assert 100 < listed < 320
