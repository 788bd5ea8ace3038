"""``POST /match/{dataset}`` answers yente's request with yente's response, need-to-know.

The recorded pair (``fixtures/yente_match_request.json`` → ``yente_match_response.json``,
fictional people) pins the whole shape. The other tests: only readable subjects come
back, a hidden alias neither shows nor scores, datasets, errors, the audit line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from access_support import FAST, SUBJECT_STORE, access_engine, directory, join, trail
from watchlink.api.app import create_app
from watchlink.model import (
    BirthDate,
    Distribution,
    HandlingCode,
    IdentityDocument,
    Name,
    NameKind,
    PartialDate,
    Provenance,
    Sharing,
    Subject,
    Value,
)
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService
from watchlink.settings import Settings
from watchlink.store.tables_access import audit_events

__all__ = ["access_engine", "trail"]

FIXTURES = Path(__file__).parent / "fixtures"
PASSWORD = "correct horse battery"
FIRST = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
LAST = datetime(2026, 10, 2, 17, 5, 12, tzinfo=UTC)


def person(
    subject_id: str,
    agency: str,
    names: list[Name],
    born: PartialDate | None = None,
    sharing: Sharing | None = None,
    **extra: Any,
) -> Subject:
    prov = Provenance(agency, FIRST, LAST)
    for name in names:
        name.provenance = prov
    return Subject(
        id=subject_id,
        agency=agency,
        names=names,
        birth_dates=[] if born is None else [BirthDate(born, prov)],
        sharing=sharing or Sharing(Distribution.PARTNER_GROUP, "G5", HandlingCode.H1),
        **extra,
    )


SUBJECTS = [
    person(
        "fr-int-0001",
        "FR-INT",
        [Name("Orlando Vintermere", NameKind.PRIMARY, "Orlando", "Vintermere")],
        PartialDate(1979, 3, 14),
        nationalities=[Value("FR")],
        documents=[IdentityDocument("FV7731204", country="FR")],
    ),
    person(
        "fr-int-0002",
        "FR-INT",
        [Name("Orlanda Vintermere", NameKind.PRIMARY, "Orlanda", "Vintermere")],
        PartialDate(1985, 11, 2),
    ),
    person(  # BE-SUR's own: no one else may read it
        "be-sur-0001",
        "BE-SUR",
        [Name("Orlando Vintermere", NameKind.PRIMARY, "Orlando", "Vintermere")],
        PartialDate(1979, 3, 14),
        sharing=Sharing(Distribution.OWN_AGENCY, None, HandlingCode.H1),
    ),
    person(  # shared with G5, but its alias is H3: the owner's eyes only
        "fr-int-0003",
        "FR-INT",
        [
            Name("Perpetua Quillfeather", NameKind.PRIMARY, "Perpetua", "Quillfeather"),
            Name("Tamsin Orrowdale", NameKind.ALIAS, handling=HandlingCode.H3),
        ],
        PartialDate(1990, 6, 30),
    ),
]


@pytest.fixture
def context(access_engine: Engine, trail: AuditTrail) -> AccessContext:
    context = AccessContext(access_engine, trail, AuthService(trail, directory, FAST))
    with access_engine.begin() as conn:
        join(conn, "G5", "FR-INT")
        join(conn, "G5", "BE-SUR")
        for subject in SUBJECTS:
            SUBJECT_STORE.save(conn, subject)
        for user, agency, role in (
            ("fr", "FR-INT", "analyst"),
            ("be", "BE-SUR", "analyst"),
            ("guard", "DE-BKA", "border_officer"),
        ):
            context.auth.add_user(conn, None, user, agency, [role], PASSWORD)
    return context


@pytest.fixture
def client(tmp_path: Path, context: AccessContext) -> Iterator[TestClient]:
    app = create_app(Settings(home=tmp_path))
    app.state.access = context
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def token(context: AccessContext, user: str) -> dict[str, str]:
    with context.engine.begin() as conn:
        issued = context.auth.issue_token(conn, None, user, ["subject:read", "screen"])
    return {"Authorization": f"Bearer {issued.token}"}


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def query(**properties: list[str]) -> dict[str, Any]:
    return {"queries": {"q": {"schema": "Person", "properties": properties}}}


def test_the_recorded_request_gets_the_recorded_response(
    client: TestClient, context: AccessContext
) -> None:
    response = client.post(
        "/match/default?threshold=0.7&cutoff=0.3&limit=5&algorithm=best",
        json=load("yente_match_request.json"),
        headers=token(context, "fr"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-batch-size"] == "3"
    if os.environ.get("WATCHLINK_RECORD_FIXTURES"):  # set to re-record, then review the diff
        text = json.dumps(response.json(), indent=2, ensure_ascii=False) + "\n"
        (FIXTURES / "yente_match_response.json").write_text(text, encoding="utf-8")
    assert response.json() == load("yente_match_response.json")


def test_another_agency_sees_only_what_it_may_read(
    client: TestClient, context: AccessContext
) -> None:
    body = query(name=["Orlando Vintermere"], birthDate=["1979-03-14"])
    answer = client.post("/match/default", json=body, headers=token(context, "be")).json()
    ids = [r["id"] for r in answer["responses"]["q"]["results"]]
    assert ids == ["be-sur-0001", "fr-int-0001"]  # FR's is shared with G5; BE's own
    answer = client.post("/match/default", json=body, headers=token(context, "fr")).json()
    assert "be-sur-0001" not in [r["id"] for r in answer["responses"]["q"]["results"]]


def test_a_hidden_alias_neither_shows_nor_scores(
    client: TestClient, context: AccessContext
) -> None:
    body = query(name=["Tamsin Orrowdale"], birthDate=["1990-06-30"])
    seen = client.post("/match/default?cutoff=0", json=body, headers=token(context, "be")).json()
    for result in seen["responses"]["q"]["results"]:
        assert "Tamsin Orrowdale" not in json.dumps(result)
        assert not result["match"]
    owner = client.post("/match/default", json=body, headers=token(context, "fr")).json()
    assert [r["id"] for r in owner["responses"]["q"]["results"]] == ["fr-int-0003"]
    assert owner["responses"]["q"]["results"][0]["match"] is True


def test_a_border_officer_reads_nothing_here(client: TestClient, context: AccessContext) -> None:
    body = query(name=["Orlando Vintermere"])
    answer = client.post("/match/default", json=body, headers=token(context, "guard")).json()
    assert answer["responses"]["q"]["results"] == []
    assert answer["responses"]["q"]["total"] == {"value": 0, "relation": "eq"}


def test_a_dataset_per_agency_and_the_catalog(client: TestClient, context: AccessContext) -> None:
    auth = token(context, "be")
    body = query(name=["Orlando Vintermere"], birthDate=["1979-03-14"])
    answer = client.post("/match/fr-int", json=body, headers=auth).json()
    assert [r["id"] for r in answer["responses"]["q"]["results"]] == ["fr-int-0001"]
    assert client.post("/match/nowhere", json=body, headers=auth).status_code == 404
    catalog = client.get("/catalog", headers=auth).json()
    assert [d["name"] for d in catalog["datasets"]] == [
        "default",
        "be-sur",
        "de-bka",
        "fr-int",
        "fr-pol",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"queries": {"q": {"schema": "Spaceship", "properties": {}}}}, "queries.q.schema"),
        ({"queries": {"q": {"schema": "Note", "properties": {}}}}, "queries.q.schema"),
        ({"queries": {"q": {"schema": "Person", "properties": {}}}}, "queries.q.properties"),
        ({"queries": {}}, "queries"),
        ({"queries": {f"q{i}": {"schema": "Person", "properties": {}} for i in range(101)}}, None),
        ({"queries": "nope"}, "queries"),
    ],
)
def test_bad_queries_are_422_with_the_field(
    client: TestClient, context: AccessContext, body: Any, field: str | None
) -> None:
    response = client.post("/match/default", json=body, headers=token(context, "fr"))
    assert response.status_code == 422, response.text
    fields = [p["field"] for p in response.json()["error"]["problems"]]
    assert field is None or any(f.startswith(field) for f in fields), fields


def test_protocol_errors(client: TestClient, context: AccessContext) -> None:
    auth = token(context, "fr")
    assert client.post("/match/default", json=query(name=["X Y"])).status_code == 401
    assert client.get("/match/default", headers=auth).status_code == 405
    bad = client.post("/match/default", content=b"{not json", headers=auth)
    assert bad.status_code == 422
    unknown = client.post("/match/default?algorithm=magic", json=query(name=["X Y"]), headers=auth)
    assert unknown.status_code == 422
    zero = client.post("/match/default?limit=0", json=query(name=["X"]), headers=auth)
    assert zero.status_code == 422


def test_a_company_query_has_no_results_and_unknown_properties_are_skipped(
    client: TestClient, context: AccessContext
) -> None:
    body = {
        "queries": {
            "c": {"schema": "Company", "properties": {"name": ["Vintermere Holdings"]}},
            "p": {
                "schema": "Person",
                "properties": {"name": "Orlando Vintermere", "colour": "red"},
            },
        }
    }
    answer = client.post("/match/default", json=body, headers=token(context, "fr")).json()
    assert answer["responses"]["c"]["results"] == []
    assert answer["responses"]["p"]["query"]["properties"] == {"name": ["Orlando Vintermere"]}


def test_each_request_is_one_audit_line_naming_what_was_shown(
    client: TestClient, context: AccessContext
) -> None:
    body = query(name=["Orlando Vintermere"], birthDate=["1979-03-14"])
    client.post("/match/default", json=body, headers=token(context, "fr"))
    with context.engine.connect() as conn:
        rows = conn.execute(
            select(audit_events.c.action, audit_events.c.records, audit_events.c.query).where(
                audit_events.c.query.like("match %")
            )
        ).all()
        assert context.trail.verify(conn) is None
    assert len(rows) == 1
    assert "fr-int-0001" in str(rows[0].records)


def test_a_subject_added_after_start_is_matched_by_the_warm_engine(
    client: TestClient, context: AccessContext
) -> None:
    auth = token(context, "fr")
    body = query(name=["Wendeline Oakhurst"])
    before = client.post("/match/default", json=body, headers=auth).json()
    assert before["responses"]["q"]["results"] == []
    with context.engine.begin() as conn:
        issued = context.auth.issue_token(conn, None, "fr", ["subject:write"])
    created = client.post(
        "/api/v1/subjects",
        json={"id": "fr-int-0777", "names": [{"full": "Wendeline Oakhurst"}]},
        headers={"Authorization": f"Bearer {issued.token}"},
    )
    assert created.status_code == 201, created.text
    after = client.post("/match/default", json=body, headers=auth).json()
    assert [r["id"] for r in after["responses"]["q"]["results"]] == ["fr-int-0777"]


def test_algorithms_lists_the_names_match_accepts(
    client: TestClient, context: AccessContext
) -> None:
    answer = client.get("/algorithms", headers=token(context, "fr")).json()
    names = [a["name"] for a in answer["algorithms"]]
    assert answer["default"] in names and "logic-v2" in names
    assert answer["algorithms"][0]["features"]["doc_exact"]["coefficient"] > 0


def test_hidden_namesakes_do_not_crowd_out_a_readable_subject(
    tmp_path: Path, context: AccessContext
) -> None:
    name = [Name("Ignatius Pemberthwaite", NameKind.PRIMARY, "Ignatius", "Pemberthwaite")]
    own = Sharing(Distribution.OWN_AGENCY, None, HandlingCode.H1)
    with context.engine.begin() as conn:
        for n in range(120):  # Belgium's own namesakes: France may not read them
            hidden = person(f"be-sur-h{n:03d}", "BE-SUR", list(name), PartialDate(1970, 1, 1))
            SUBJECT_STORE.save(conn, replace(hidden, sharing=own))
        shared = person("be-sur-zz-shared", "BE-SUR", list(name), PartialDate(1970, 1, 1))
        SUBJECT_STORE.save(conn, shared)  # shared with G5, and last of all the equals
    app = create_app(Settings(home=tmp_path))
    app.state.access = context
    body = query(name=["Ignatius Pemberthwaite"], birthDate=["1970-01-01"])
    with TestClient(app, base_url="https://testserver") as client:
        answer = client.post("/match/default", json=body, headers=token(context, "fr")).json()
    assert [r["id"] for r in answer["responses"]["q"]["results"]] == ["be-sur-zz-shared"]


def test_every_model_feature_is_described_for_yente_clients() -> None:
    from watchlink.matching.features_record import FEATURES
    from watchlink.services.yente import FEATURE_DOCS

    assert set(FEATURE_DOCS) == set(FEATURES)
