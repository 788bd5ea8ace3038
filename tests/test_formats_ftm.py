"""FollowTheMoney entity JSON: round trips (FtM in → FtM out) and every bad line reported."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlink.errors import InputError
from watchlink.formats.ftm import read_ftm_lines, subject_from_ftm, subject_to_ftm
from watchlink.model import (
    ActionOnHit,
    BirthDate,
    ConcernLevel,
    Distribution,
    DocumentStatus,
    DocumentType,
    Gender,
    HandlingCode,
    IdentityDocument,
    Name,
    NameKind,
    PartialDate,
    Provenance,
    Sharing,
    Subject,
    SubjectStatus,
    Value,
)

AGENCY = "FR-INT"
T = TypeVar("T")

# Letters of several scripts plus the characters that separators and quoting care about.
_ALPHABET = st.sampled_from(list("abcdefghijkl ABCDEF-'éüçمحمدعبدМихаил;:\\,\"./"))
text = st.text(_ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)
countries = st.sampled_from(["FR", "BE", "DE", "NL", "GR", "TR", "US", "SY", "MA"])
partial_dates = st.builds(
    PartialDate,
    year=st.integers(1930, 2010),
    month=st.none() | st.integers(1, 12),
).flatmap(
    lambda d: (
        st.just(d)
        if d.month is None
        else st.sampled_from([d, PartialDate(d.year, d.month, 1), PartialDate(d.year, d.month, 28)])
    )
)


@st.composite
def subjects(draw: st.DrawFn, with_seen: bool = True) -> Subject:
    """A subject that any lossless format must give back unchanged."""
    seen = (
        draw(st.none() | st.datetimes(datetime(2000, 1, 1), datetime(2030, 1, 1)))
        if with_seen
        else None
    )
    prov = Provenance(AGENCY, seen, seen)

    def values(items: st.SearchStrategy[T], max_size: int = 3) -> list[T]:
        return draw(st.lists(items, max_size=max_size, unique=True))

    names: list[Name] = []
    for kind in NameKind:  # grouped by kind, in the order the formats write them
        min_size = 1 if kind is NameKind.PRIMARY else 0
        fulls = draw(st.lists(text, min_size=min_size, max_size=3, unique=True))
        names += [Name(full, kind, provenance=prov) for full in fulls]
    primaries = [n for n in names if n.kind is NameKind.PRIMARY]
    for part in ("given", "family"):  # parts on a prefix of the primary names, all distinct
        parts = draw(st.lists(text, max_size=len(primaries), unique=True))
        for name, value in zip(primaries, parts, strict=False):
            setattr(name, part, value)
    distribution = draw(st.sampled_from(Distribution))
    group = draw(text) if distribution is Distribution.PARTNER_GROUP else None
    docs = draw(
        st.lists(
            st.builds(
                IdentityDocument,
                number=text,
                type=st.sampled_from(DocumentType),
                country=st.none() | countries,
                status=st.sampled_from(DocumentStatus),
                provenance=st.just(prov),
            ),
            max_size=3,
            unique_by=lambda d: (d.type, d.number),
        )
    )
    return Subject(
        id=draw(text),
        agency=AGENCY,
        names=names,
        birth_dates=[BirthDate(d, provenance=prov) for d in values(partial_dates)],
        birth_places=[Value(v, prov) for v in values(text)],
        nationalities=[Value(v, prov) for v in values(countries)],
        gender=draw(st.none() | st.sampled_from(Gender)),
        documents=docs,
        phones=[Value(v, prov) for v in values(text)],
        emails=[Value(f"{v}@example.org", prov) for v in values(text)],
        addresses=[Value(v, prov) for v in values(text)],
        concern=draw(st.sampled_from(ConcernLevel)),
        action_on_hit=draw(st.sampled_from(ActionOnHit)),
        status=draw(st.sampled_from(SubjectStatus)),
        legal_basis=draw(st.none() | text),
        review_date=draw(st.none() | st.dates(date(2020, 1, 1), date(2035, 1, 1))),
        sharing=Sharing(distribution, group, draw(st.sampled_from(HandlingCode))),
        notes=draw(st.none() | text),
    )


@settings(max_examples=150, deadline=None)
@given(subjects())
def test_subject_to_ftm_and_back_is_the_same_subject(subject: Subject) -> None:
    entity = json.loads(json.dumps(subject_to_ftm(subject)))
    assert subject_from_ftm(entity, AGENCY) == subject
    assert subject_to_ftm(subject_from_ftm(entity, AGENCY)) == entity  # FtM in → FtM out


def plain_entity() -> dict[str, object]:
    """An entity as another FtM tool writes it (no watchlink object), in canonical form."""
    return {
        "id": "os-fict-0001",
        "schema": "Person",
        "properties": {
            "address": ["12 rue des Lilas, Lille"],
            "alias": ["Abdelhamid Benali", "عبد الحميد بن علي"],
            "birthDate": ["1987-03-14", "1988"],
            "birthPlace": ["Roubaix"],
            "email": ["a.benali@example.org"],
            "firstName": ["Abdelhamid"],
            "gender": ["male"],
            "idNumber": ["ID-778812"],
            "lastName": ["Ben Ali"],
            "name": ["Abdelhamid Ben Ali"],
            "nationality": ["fr", "ma"],
            "notes": ["Fictional person for tests."],
            "passportNumber": ["19FX48213"],
            "phone": ["+33 6 00 00 00 01"],
            "previousName": ["Abd al-Hamid Ben Ali"],
            "weakAlias": ["Abou Hamid"],
        },
        "first_seen": "2024-05-01T10:00:00",
        "last_seen": "2025-01-02T08:30:00",
    }


def test_a_plain_ftm_entity_comes_out_with_the_same_properties() -> None:
    entity = plain_entity()
    subject = subject_from_ftm(entity, AGENCY)
    out = subject_to_ftm(subject)
    assert out["properties"] == entity["properties"]
    assert (out["first_seen"], out["last_seen"]) == (entity["first_seen"], entity["last_seen"])
    assert subject.names[0].given == "Abdelhamid" and subject.names[0].family == "Ben Ali"
    assert [d.type for d in subject.documents] == [DocumentType.PASSPORT, DocumentType.ID_CARD]


def test_watchlink_fields_travel_in_the_watchlink_object() -> None:
    entity = plain_entity() | {
        "watchlink": {
            "concern": "critical",
            "action_on_hit": "discreet_check",
            "status": "dormant",
            "legal_basis": "Art. L.811-3",
            "review_date": "2026-06-30",
            "distribution": "partner_group",
            "partner_group": "WEST-PG",
            "handling": "H2",
            "documents": [
                {"type": "passport", "number": "19FX48213", "country": "FR", "status": "stolen"}
            ],
        }
    }
    subject = subject_from_ftm(entity, AGENCY)
    assert subject.concern is ConcernLevel.CRITICAL
    assert subject.sharing == Sharing(Distribution.PARTNER_GROUP, "WEST-PG", HandlingCode.H2)
    assert subject.documents[0].status is DocumentStatus.STOLEN
    assert len(subject.documents) == 2  # the stolen passport is not doubled by passportNumber
    assert subject_to_ftm(subject)["watchlink"]["documents"][0]["status"] == "stolen"


def test_names_from_parts_only_and_citizenship_as_nationality() -> None:
    entity = {
        "id": "x1",
        "schema": "Person",
        "properties": {
            "firstName": ["Youssef"],
            "lastName": ["Amrani"],
            "citizenship": ["Morocco"],
        },
    }
    subject = subject_from_ftm(entity, AGENCY)
    assert subject.primary_name == "Youssef Amrani"
    assert [v.value for v in subject.nationalities] == ["MA"]


def person(props: dict[str, list[str]], **top: object) -> str:
    """One JSON line of a Person with these properties (and top-level keys)."""
    return json.dumps({"id": "b", "schema": "Person", "properties": props, **top})


X = {"name": ["X"]}
BAD_LINES = [
    ("{not json", None, "malformed JSON"),
    (person(X | {"birthDate": ["1987-13-01"]}), "birthDate", "month"),
    (person(X | {"gender": ["alien"]}), "gender", "unknown value"),
    (person(X, watchlink={"action_on_hit": "shoot"}), "watchlink.action_on_hit", "unknown value"),
    (person(X, watchlink={"concern": "extreme"}), "watchlink.concern", "unknown level"),
    (person(X, watchlink={"colour": "red"}), "watchlink.colour", "unknown field"),
    (person(X | {"nationality": ["Atlantis"]}), "nationality", "unknown country"),
    (person(X | {"nmae": ["Y"]}), "nmae", "not a property"),
    (person(X | {"email": ["nobody"]}), "email", "not an email"),
    (person(X, id=""), "id", "id"),
    (person(X, schema="Company"), "schema", "persons"),
    (person({"phone": ["+33 1"]}), "name", "at least one name"),
    ('["a list"]', None, "JSON object"),
]


@pytest.mark.parametrize(("line", "field", "reason"), BAD_LINES)
def test_a_bad_line_is_reported_with_its_line_and_field(
    tmp_path: Path, line: str, field: str | None, reason: str
) -> None:
    path = tmp_path / "list.ftm.json"
    good = json.dumps(plain_entity())
    path.write_text(f"{good}\n\n{line}\n{good}\n", encoding="utf-8")
    results = list(read_ftm_lines(path, AGENCY))
    assert [n for n, _ in results] == [1, 3, 4]
    bad = results[1][1]
    assert isinstance(bad, list)
    assert any(p.field == field and reason in p.reason and p.line == 3 for p in bad), bad
    assert all(p.source == str(path) for p in bad)
    assert isinstance(results[0][1], Subject) and isinstance(results[2][1], Subject)


def test_subject_from_ftm_raises_with_every_problem() -> None:
    entity = {
        "id": "b",
        "schema": "Person",
        "properties": {"name": ["X"], "gender": ["?"], "birthDate": ["soon"]},
    }
    with pytest.raises(InputError) as caught:
        subject_from_ftm(entity, AGENCY)
    assert {p.field for p in caught.value.problems} == {"gender", "birthDate"}


def test_coded_values_are_read_whatever_their_case_and_a_wrong_one_lists_the_allowed() -> None:
    entity = {
        "id": "p1",
        "schema": "Person",
        "properties": {"name": ["Lina Sabbagh"], "gender": ["FEMALE"]},
        "watchlink": {"documents": [{"number": "XK220931", "status": " Stolen "}]},
    }
    subject = subject_from_ftm(entity, "FR-DGSI")
    assert subject.gender is Gender.FEMALE
    assert subject.documents[0].status is DocumentStatus.STOLEN
    entity["watchlink"] = {"documents": [{"number": "XK220931", "status": "missing"}]}
    with pytest.raises(InputError) as raised:
        subject_from_ftm(entity, "FR-DGSI")
    (problem,) = raised.value.problems
    assert problem.field == "watchlink.documents[0].status"
    assert "'missing'" in problem.reason and "stolen" in problem.reason
