"""The owner's consent opens an H2 subject to onward use by one agency, and only then.

FR-INT owns an H2 subject shared with partner group G5 (FR-INT, BE-SUR, DE-BKA). BE-SUR
and DE-BKA may read it but not export it until FR-INT consents for them, one agency at
a time; a revocation closes it again. The SQL filter that exports apply and ``allowed``
agree at every step, and every grant and revocation is an audit line on a trail that
still verifies.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from access_support import (
    FAST,
    SUBJECT_STORE,
    access_engine,
    directory,
    join,
    reader,
    trail,
)
from watchlink.access import Action, Actor, allowed, subject_visibility_filter
from watchlink.api.app import create_app
from watchlink.errors import AccessDenied, Conflict, InputError, NotFound
from watchlink.model import Distribution, HandlingCode, Name, Role, Sharing, Subject
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService
from watchlink.services.consents import ConsentBook
from watchlink.services.subjects import SubjectReader
from watchlink.settings import Settings
from watchlink.store import tables as t
from watchlink.store.policy_columns import subject_columns
from watchlink.store.tables_access import audit_events
from watchlink.store.tables_consents import subject_consents
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["access_engine", "reader", "trail"]

GROUPS = frozenset({"G5"})
FR = Actor("fr.analyst", "FR-INT", "FR", frozenset({Role.ANALYST}), GROUPS)
FR_LIAISON = Actor("fr.liaison", "FR-INT", "FR", frozenset({Role.LIAISON_OFFICER}), GROUPS)
FR_POL = Actor("fr.police", "FR-POL", "FR", frozenset({Role.ANALYST}))
BE = Actor("be.analyst", "BE-SUR", "BE", frozenset({Role.ANALYST}), GROUPS)
BE_LIAISON = Actor("be.liaison", "BE-SUR", "BE", frozenset({Role.LIAISON_OFFICER}), GROUPS)
DE = Actor("de.analyst", "DE-BKA", "DE", frozenset({Role.ANALYST}), GROUPS)
H2_ID = "fr-int-h2-0001"
ACTORS = (FR, FR_POL, BE, BE_LIAISON, DE)


def subject(subject_id: str, handling: HandlingCode, full: str) -> Subject:
    sharing = Sharing(Distribution.PARTNER_GROUP, "G5", handling)
    return Subject(id=subject_id, agency="FR-INT", names=[Name(full)], sharing=sharing)


@pytest.fixture
def book(trail: AuditTrail) -> ConsentBook:
    return ConsentBook(trail)


@pytest.fixture
def world(access_engine: Engine, reader: SubjectReader) -> SubjectReader:
    with access_engine.begin() as conn:
        for agency in ("FR-INT", "BE-SUR", "DE-BKA"):
            join(conn, "G5", agency)
    reader.create(access_engine, FR, subject(H2_ID, HandlingCode.H2, "Orla Consentfield"))
    reader.create(access_engine, FR, subject("fr-int-h1-0002", HandlingCode.H1, "Piet Openshare"))
    reader.create(access_engine, FR, subject("fr-int-h3-0003", HandlingCode.H3, "Quin Closedbook"))
    return reader


def exported(world: SubjectReader, engine: Engine, actor: Actor) -> set[str]:
    return {s.id for s in world.export(engine, actor, "case 31")}


def sql_and_policy(engine: Engine, actor: Actor, action: Action) -> tuple[set[str], set[str]]:
    """The ids the SQL filter selects, and those ``allowed`` allows one by one."""
    with engine.connect() as conn:
        where = subject_visibility_filter(actor, subject_columns(), action)
        by_sql = set(conn.scalars(select(t.subjects.c.id).where(where)))
        everyone = SUBJECT_STORE.load(conn, list(conn.scalars(select(t.subjects.c.id))))
        by_policy = {
            s.id for s in everyone if allowed(actor, action, SUBJECT_STORE.resource(conn, s)).allow
        }
    return by_sql, by_policy


def assert_paths_agree(engine: Engine) -> None:
    for actor in ACTORS:
        for action in (Action.EXPORT, Action.SHARE_ONWARD, Action.LIST):
            by_sql, by_policy = sql_and_policy(engine, actor, action)
            assert by_sql == by_policy, (actor.user, action)


def test_a_partner_reads_but_cannot_export_without_consent(
    access_engine: Engine, world: SubjectReader
) -> None:
    assert world.get(access_engine, BE, H2_ID).id == H2_ID
    assert exported(world, access_engine, BE) == {"fr-int-h1-0002"}
    with pytest.raises(NotFound):
        world.data_subject_export(access_engine, BE, H2_ID, "DSAR 4")
    assert_paths_agree(access_engine)


def test_consent_opens_export_to_that_agency_only_until_revoked(
    access_engine: Engine, world: SubjectReader, book: ConsentBook
) -> None:
    granted = book.grant(access_engine, FR, H2_ID, "BE-SUR", "joint case 31")
    assert granted.active and granted.granted_by == "fr.analyst"
    assert exported(world, access_engine, BE) == {H2_ID, "fr-int-h1-0002"}
    assert world.data_subject_export(access_engine, BE, H2_ID, "DSAR 4").id == H2_ID
    assert exported(world, access_engine, DE) == {"fr-int-h1-0002"}  # B is not A
    assert world.count(access_engine, BE) == 2  # listing never depended on consent
    assert_paths_agree(access_engine)

    revoked = book.revoke(access_engine, FR, H2_ID, "BE-SUR")
    assert revoked.id == granted.id and revoked.revoked_by == "fr.analyst"
    assert exported(world, access_engine, BE) == {"fr-int-h1-0002"}
    with pytest.raises(NotFound):
        world.data_subject_export(access_engine, BE, H2_ID, "DSAR 4")
    assert_paths_agree(access_engine)


def test_consents_are_append_only(
    access_engine: Engine, world: SubjectReader, book: ConsentBook
) -> None:
    first = book.grant(access_engine, FR, H2_ID, "BE-SUR", "case 31")
    withdrawn = book.revoke(access_engine, FR, H2_ID, "BE-SUR")
    again = book.grant(access_engine, FR, H2_ID, "BE-SUR", "case 32")
    book.grant(access_engine, FR, H2_ID, "DE-BKA", "case 32")
    listed = book.list_for(access_engine, FR_LIAISON, H2_ID)  # the owner's readers see them
    assert [(c.id, c.agency, c.active, c.reason) for c in listed] == [
        (first.id, "BE-SUR", False, "case 31"),
        (again.id, "BE-SUR", True, "case 32"),
        (listed[2].id, "DE-BKA", True, "case 32"),
    ]
    assert (listed[0].granted_at, listed[0].revoked_at) == (first.granted_at, withdrawn.revoked_at)
    assert listed[0].granted_at.tzinfo is not None and listed[0].revoked_by == "fr.analyst"
    assert exported(world, access_engine, DE) == {H2_ID, "fr-int-h1-0002"}
    assert_paths_agree(access_engine)


def test_consent_never_opens_what_distribution_or_h3_closes(
    access_engine: Engine, world: SubjectReader, book: ConsentBook
) -> None:
    book.grant(access_engine, FR, "fr-int-h3-0003", "BE-SUR", "case 31")
    book.grant(access_engine, FR, H2_ID, "FR-POL", "case 31")  # FR-POL is not in G5
    assert exported(world, access_engine, BE) == {"fr-int-h1-0002"}
    assert exported(world, access_engine, FR_POL) == set()
    assert_paths_agree(access_engine)


@pytest.mark.parametrize(
    ("actor", "error"),
    [
        (BE, NotFound),  # reads it, but it is not its record
        (DE, NotFound),
        (FR_POL, NotFound),  # same country, another agency
        (FR_LIAISON, AccessDenied),  # the owner's, but its role does not write
    ],
)
def test_only_the_owner_with_a_writing_role_grants_or_revokes(
    access_engine: Engine,
    world: SubjectReader,
    book: ConsentBook,
    actor: Actor,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        book.grant(access_engine, actor, H2_ID, actor.agency, "let me")
    with pytest.raises(error):
        book.grant(access_engine, actor, H2_ID, "DE-BKA", "let them")
    book.grant(access_engine, FR, H2_ID, "BE-SUR", "case 31")
    with pytest.raises(error):
        book.revoke(access_engine, actor, H2_ID, "BE-SUR")
    if error is NotFound:
        with pytest.raises(NotFound):
            book.list_for(access_engine, actor, H2_ID)
    with access_engine.connect() as conn:
        rows = conn.execute(select(subject_consents.c.agency, subject_consents.c.revoked_at))
        assert [tuple(r) for r in rows] == [("BE-SUR", None)]


def test_a_foreign_subject_fails_like_a_missing_one(
    access_engine: Engine, world: SubjectReader, book: ConsentBook
) -> None:
    with pytest.raises(NotFound) as foreign:
        book.grant(access_engine, BE, H2_ID, "DE-BKA", "probe")
    with pytest.raises(NotFound) as missing:
        book.grant(access_engine, BE, "be-sur-none", "DE-BKA", "probe")
    assert foreign.value.message == missing.value.message


@pytest.mark.parametrize(
    ("agency", "reason", "error"),
    [
        ("FR-INT", "case 31", InputError),  # the owner itself
        ("XX-NONE", "case 31", InputError),  # no such agency
        ("BE-SUR", "   ", InputError),
        ("BE-SUR", "x" * 501, InputError),
        ("BE\x00SUR", "case 31", InputError),
        ("", "case 31", InputError),
    ],
)
def test_a_bad_grant_is_refused(
    access_engine: Engine,
    world: SubjectReader,
    book: ConsentBook,
    agency: str,
    reason: str,
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        book.grant(access_engine, FR, H2_ID, agency, reason)
    with access_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(subject_consents)).scalar() == 0


def test_a_second_grant_conflicts_and_revoking_nothing_is_not_found(
    access_engine: Engine, world: SubjectReader, book: ConsentBook
) -> None:
    book.grant(access_engine, FR, H2_ID, "BE-SUR", "case 31")
    with pytest.raises(Conflict):
        book.grant(access_engine, FR, H2_ID, "BE-SUR", "case 31 again")
    with pytest.raises(NotFound):
        book.revoke(access_engine, FR, H2_ID, "DE-BKA")
    book.revoke(access_engine, FR, H2_ID, "BE-SUR")
    with pytest.raises(NotFound):
        book.revoke(access_engine, FR, H2_ID, "BE-SUR")


def test_a_grant_in_a_unit_of_work_rolls_back_with_it(
    access_engine: Engine, world: SubjectReader, book: ConsentBook, trail: AuditTrail
) -> None:
    with pytest.raises(RuntimeError), UnitOfWork(access_engine) as uow:
        book.grant(uow, FR, H2_ID, "BE-SUR", "case 31")
        raise RuntimeError("the rest of the command failed")
    with UnitOfWork(access_engine) as uow:
        assert book.list_for(uow, FR, H2_ID) == []
    assert exported(world, access_engine, BE) == {"fr-int-h1-0002"}
    with UnitOfWork(access_engine) as uow:
        book.grant(uow, FR, H2_ID, "BE-SUR", "case 31")
    assert exported(world, access_engine, BE) == {H2_ID, "fr-int-h1-0002"}
    with access_engine.connect() as conn:
        assert trail.verify(conn) is None


def test_every_grant_and_revocation_is_on_a_trail_that_verifies(
    access_engine: Engine, world: SubjectReader, book: ConsentBook, trail: AuditTrail
) -> None:
    book.grant(access_engine, FR, H2_ID, "BE-SUR", "joint case 31")
    book.revoke(access_engine, FR, H2_ID, "BE-SUR")
    with pytest.raises(NotFound):
        book.grant(access_engine, BE, H2_ID, "DE-BKA", "probe")
    book.list_for(access_engine, FR, H2_ID)
    with access_engine.connect() as conn:
        rows = conn.execute(
            select(
                audit_events.c.actor,
                audit_events.c.action,
                audit_events.c.records,
                audit_events.c.query,
                audit_events.c.purpose,
            )
            .where(audit_events.c.query.like("consent%"))
            .order_by(audit_events.c.seq)
        ).all()
        assert trail.verify(conn) is None
    assert [(r.actor, r.action, r.records, r.purpose) for r in rows] == [
        ("fr.analyst", "write", f'["{H2_ID}"]', "joint case 31"),
        ("fr.analyst", "write", f'["{H2_ID}"]', None),
        ("be.analyst", "write", "[]", None),
        ("fr.analyst", "read", f'["{H2_ID}"]', None),
    ]
    assert rows[0].query.startswith("consent grant BE-SUR #")
    assert rows[1].query.startswith("consent revoke BE-SUR #")


def test_a_deleted_subject_takes_its_consents_along(
    access_engine: Engine, world: SubjectReader, book: ConsentBook
) -> None:
    book.grant(access_engine, FR, H2_ID, "BE-SUR", "case 31")
    with UnitOfWork(access_engine) as uow:
        assert uow.subjects.delete(H2_ID)
    with access_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(subject_consents)).scalar() == 0


# --- over HTTP ------------------------------------------------------------------------

PASSWORD = "correct horse battery"


@pytest.fixture
def client(
    tmp_path: Path, access_engine: Engine, trail: AuditTrail, world: SubjectReader
) -> Iterator[TestClient]:
    app = create_app(Settings(home=tmp_path))
    context = AccessContext(access_engine, trail, AuthService(trail, directory, FAST))
    app.state.access = context
    app.state.subject_reader = world
    with access_engine.begin() as conn:
        for user, agency, role in (
            ("fr", "FR-INT", "analyst"),
            ("frl", "FR-INT", "liaison_officer"),
            ("be", "BE-SUR", "analyst"),
        ):
            context.auth.add_user(conn, None, user, agency, [role], PASSWORD)
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def login(client: TestClient, user: str) -> None:
    client.cookies.clear()
    response = client.post("/api/v1/auth/login", json={"username": user, "password": PASSWORD})
    assert response.status_code == 200, response.text


def test_consents_over_http(client: TestClient, access_engine: Engine, trail: AuditTrail) -> None:
    url = f"/api/v1/subjects/{H2_ID}/consents"
    export = {"purpose": "joint case 31"}
    login(client, "be")
    assert [s["id"] for s in client.post("/api/v1/subjects/export", json=export).json()] == [
        "fr-int-h1-0002"
    ]
    assert client.post(url, json={"agency": "BE-SUR", "reason": "mine"}).status_code == 404
    assert client.get(url).status_code == 404
    login(client, "frl")
    assert client.post(url, json={"agency": "BE-SUR", "reason": "x"}).status_code == 403
    login(client, "fr")
    assert client.post(url, json={"agency": "BE-SUR", "agency_x": 1}).status_code == 422
    made = client.post(url, json={"agency": "BE-SUR", "reason": "joint case 31"})
    assert made.status_code == 201, made.text
    assert made.json()["active"] and made.json()["granted_by"] == "fr"
    assert client.post(url, json={"agency": "BE-SUR", "reason": "again"}).status_code == 409
    login(client, "be")
    ids = [s["id"] for s in client.post("/api/v1/subjects/export", json=export).json()]
    assert ids == ["fr-int-h1-0002", H2_ID]
    login(client, "frl")
    listed = client.get(url)
    assert listed.status_code == 200 and [c["agency"] for c in listed.json()] == ["BE-SUR"]
    login(client, "fr")
    gone = client.delete(f"{url}/BE-SUR")
    assert gone.status_code == 200 and gone.json()["revoked_by"] == "fr"
    assert client.delete(f"{url}/BE-SUR").status_code == 404
    login(client, "be")
    assert [s["id"] for s in client.post("/api/v1/subjects/export", json=export).json()] == [
        "fr-int-h1-0002"
    ]
    with access_engine.connect() as conn:
        assert trail.verify(conn) is None
