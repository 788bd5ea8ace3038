"""The shipped model: calibrated probabilities, hard negatives, alarms and explanations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from watchlink.matching.features_record import FEATURES
from watchlink.matching.record import prepare
from watchlink.matching.scoring import ALARM_PROBABILITY, MatchModel, load_model, score, score_many
from watchlink.matching.training_sources import default_data_dir
from watchlink.model import (
    BirthDate,
    DocumentStatus,
    DocumentType,
    IdentityDocument,
    Name,
    PartialDate,
    Subject,
)


def person(name: str, born: str | None = None, document: IdentityDocument | None = None) -> Subject:
    return Subject(
        id=name,
        agency="TEST",
        names=[Name(name)],
        birth_dates=[] if born is None else [BirthDate(PartialDate.parse(born))],
        documents=[] if document is None else [document],
    )


def probability(left: Subject, right: Subject) -> float:
    return score(prepare(left), prepare(right)).probability


THRESHOLD = load_model().threshold("default")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (person("Karim Haddad", "1981-04-02"), person("Kareem Hadad", "1981-04-02")),
        (person("Mohammed Abdelhamid", "1970"), person("محمد عبد الحميد", "1970-03-04")),
        (person("Youssef Benali", "1990-05-06"), person("Yusuf Ben Ali", "1990-06-05")),
        (person("Haddad, Karim"), person("Karim Haddad")),
        (person("Osama bin Laden"), person("Usama Bin Ladin")),
        (person("Vladimir Putin"), person("Владимир Путин")),
        (person("Leila Mansour", "1975"), person("Leila K. Mansour", "1975-11-02")),
    ],
)
def test_true_matches_score_above_the_threshold(left: Subject, right: Subject) -> None:
    assert probability(left, right) >= THRESHOLD


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # different people sharing a common family name and birth year
        (person("Ahmed Khan", "1980"), person("Imran Khan", "1980")),
        (person("Mohamed Ali", "1975-01-01"), person("Hassan Ali", "1975")),
        (person("Kim Yong Chol", "1960"), person("Kim Yong Nam", "1960")),
        # another real name, one letter-shape away
        (person("Christopher Luxford"), person("Christopher Luxon")),
        (person("Masoud Pezeshfar"), person("Masoud Pezeshkian")),
        # father and son
        (person("Ahmad bin Hasan al-Ubaidi"), person("Hasan bin Ahmad al-Ubaidi")),
        (person("Karim Haddad"), person("Olga Ivanova")),
    ],
)
def test_hard_negatives_score_below_the_threshold(left: Subject, right: Subject) -> None:
    assert probability(left, right) < THRESHOLD


def test_namesakes_born_apart_are_no_duplicates() -> None:
    born_apart = probability(
        person("Karim Haddad", "1981-04-02"), person("Karim Haddad", "1955-10-30")
    )
    assert born_apart < load_model().threshold("deduplication")
    assert born_apart < probability(person("Karim Haddad"), person("Karim Haddad"))


def test_more_evidence_means_a_higher_probability() -> None:
    name_only = probability(person("Karim Haddad"), person("Kareem Hadad"))
    with_date = probability(
        person("Karim Haddad", "1981-04-02"), person("Kareem Hadad", "1981-04-02")
    )
    with_conflict = probability(
        person("Karim Haddad", "1981-04-02"), person("Kareem Hadad", "1950-12-30")
    )
    assert with_conflict < name_only < with_date


@pytest.mark.parametrize(
    "status", [DocumentStatus.STOLEN, DocumentStatus.LOST, DocumentStatus.FORGED]
)
def test_a_reported_document_is_a_hit_whatever_the_name(status: DocumentStatus) -> None:
    listed = person("Omar Farouk", document=IdentityDocument("XA1234567", status=status))
    presented = person("Jan Novak", "1970", IdentityDocument("xa 1234567"))
    scored = score(prepare(presented), prepare(listed))
    assert scored.probability >= ALARM_PROBABILITY
    assert scored.contributions[0].feature == "document_alarm"
    assert status.value in scored.contributions[0].text


def test_a_valid_document_alone_is_no_alarm() -> None:
    listed = person("Omar Farouk", document=IdentityDocument("XA1234567", DocumentType.PASSPORT))
    scored = score(
        prepare(person("Jan Novak", document=IdentityDocument("ZZ999"))), prepare(listed)
    )
    assert scored.probability < ALARM_PROBABILITY
    assert all(c.feature != "document_alarm" for c in scored.contributions)


def test_explanation_names_the_cross_script_match() -> None:
    scored = score(prepare(person("Abdelhamid")), prepare(person("عبد الحميد")))
    assert scored.explanation[0] == '"Abdelhamid" ≈ "عبد الحميد": same name in Arabic script'


def test_explanation_says_what_differs() -> None:
    scored = score(prepare(person("Ahmed Khan", "1980")), prepare(person("Imran Khan", "1980")))
    text = " | ".join(scored.explanation)
    assert "only in query: ahmed" in text and "only in candidate: imran" in text
    assert "same year of birth" in text


def test_contributions_add_up_to_the_probability() -> None:
    import math

    model = load_model()
    scored = score(prepare(person("Karim Haddad", "1981")), prepare(person("Kareem Hadad", "1981")))
    logit = model.intercept + sum(c.value * c.weight for c in scored.contributions)
    assert 1 / (1 + math.exp(-logit)) == pytest.approx(scored.probability)


def test_score_many_agrees_with_score() -> None:
    query = prepare(person("Karim Haddad"))
    candidates = [prepare(person(n)) for n in ("Kareem Hadad", "Olga Ivanova")]
    many = [s.probability for s in score_many(query, candidates)]
    assert many == [score(query, c).probability for c in candidates]


def test_a_pair_scored_unexplained_explains_itself_when_read_as_when_scored_explained() -> None:
    query = prepare(person("Karim Haddad", "1981-04-02"))
    candidates = [
        prepare(person(n, born))
        for n, born in (("Kareem Hadad", "1981"), ("Karim Haddad", "1990"), ("Olga Ivanova", None))
    ]
    lazy = score_many(query, candidates)
    eager = [score(query, c) for c in candidates]
    assert [s.explanation for s in lazy] == [s.explanation for s in eager]
    assert [s.contributions for s in lazy] == [s.contributions for s in eager]
    assert all(s.explanation for s in lazy)


def test_thresholds_per_use() -> None:
    model = load_model()
    assert model.threshold("screening") <= model.threshold("default")
    assert model.threshold("default") <= model.threshold("deduplication")
    with pytest.raises(ValueError, match="unknown use"):
        model.threshold("gossip")


def test_model_file_round_trips() -> None:
    model = load_model()
    assert MatchModel.from_json(model.to_json()) == model
    assert model.features == FEATURES


def test_a_model_file_short_of_a_weight_is_refused() -> None:
    """Scores add each feature's value times its weight: a missing weight would silently
    drop the features after it."""
    data = json.loads(load_model().to_json())
    data["weights"] = data["weights"][:-1]
    with pytest.raises(ValueError, match="weights for"):
        MatchModel.from_json(json.dumps(data))


@pytest.mark.slow
@pytest.mark.skipif(
    not (default_data_dir() / "ofac_sdn.csv").exists(), reason="needs ../shared/data"
)
def test_training_is_reproducible(tmp_path: Path) -> None:
    from watchlink.matching.training import MODEL_PATH, main

    main([str(default_data_dir()), str(tmp_path / "a.json")])
    main([str(default_data_dir()), str(tmp_path / "b.json")])
    first = (tmp_path / "a.json").read_bytes()
    assert first == (tmp_path / "b.json").read_bytes()
    assert first == MODEL_PATH.read_bytes(), "the shipped model is stale: run make train"
