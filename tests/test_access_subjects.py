"""Subjects read through the policy: a canary another agency may not see never leaks.

The canary (owned by FR-INT, own country only) is probed by BE-SUR through every
read path of the service; its name, id and document number never come back, and a
foreign id fails exactly like a missing one. Mass assignment is refused.
"""

from __future__ import annotations

import dataclasses
import threading

import pytest
from sqlalchemy import Engine, select

from access_support import SUBJECT_STORE, access_engine, reader, trail
from watchlink.access import Action, Actor, Policy
from watchlink.access.actions import RolePermissions
from watchlink.access.predicates import AllOf, Const, Field, FieldEq, Pred
from watchlink.access.rules import DEFAULT_RULES, Rule
from watchlink.errors import AccessDenied, InputError, NotFound
from watchlink.model import (
    Distribution,
    HandlingCode,
    IdentityDocument,
    Name,
    Role,
    Sharing,
    Subject,
)
from watchlink.services.audit import AuditTrail
from watchlink.services.subjects import SubjectReader
from watchlink.store.tables_access import audit_events

__all__ = ["access_engine", "reader", "trail"]

FR = Actor("fr.analyst", "FR-INT", "FR", frozenset({Role.ANALYST}), frozenset({"G5"}))
FR_POL = Actor("fr.police", "FR-POL", "FR", frozenset({Role.ANALYST}))
BE = Actor("be.analyst", "BE-SUR", "BE", frozenset({Role.ANALYST}), frozenset({"G5"}))
CANARY_NAME = "Zephyrin Canarywood"
CANARY_ID = "fr-int-canary-0001"
CANARY_DOC = "CNRY998877"
SHARED_ID = "fr-int-shared-0002"
SECRET_ALIAS = "Quillon Hiddenalias"
SECRET_DOC = "HIDDEN55443"


def canary() -> Subject:
    return Subject(
        id=CANARY_ID,
        agency="FR-INT",
        names=[Name(CANARY_NAME)],
        documents=[IdentityDocument(CANARY_DOC)],
        sharing=Sharing(Distribution.OWN_COUNTRY, handling=HandlingCode.H1),
    )


def shared() -> Subject:
    return Subject(
        id=SHARED_ID,
        agency="FR-INT",
        names=[Name("Albert Sharedname"), Name(SECRET_ALIAS, handling=HandlingCode.H3)],
        documents=[IdentityDocument(SECRET_DOC, handling=HandlingCode.H3)],
        sharing=Sharing(Distribution.PARTNER_GROUP, "G5", HandlingCode.H2),
    )


@pytest.fixture
def world(access_engine: Engine, reader: SubjectReader) -> SubjectReader:
    reader.create(access_engine, FR, canary())
    reader.create(access_engine, FR, shared())
    return reader


def leaks(value: object) -> bool:
    text = repr(value)
    return any(secret in text for secret in (CANARY_NAME, CANARY_ID, CANARY_DOC))


def test_the_owner_and_its_country_see_the_canary(
    access_engine: Engine, world: SubjectReader
) -> None:
    assert world.get(access_engine, FR, CANARY_ID).names[0].full == CANARY_NAME
    assert world.get(access_engine, FR_POL, CANARY_ID).id == CANARY_ID
    assert [s.id for s in world.list_visible(access_engine, FR_POL)] == [CANARY_ID]


def test_a_foreign_id_fails_like_a_missing_one(access_engine: Engine, world: SubjectReader) -> None:
    with pytest.raises(NotFound) as foreign:
        world.get(access_engine, BE, CANARY_ID)
    with pytest.raises(NotFound) as missing:
        world.get(access_engine, BE, "no-such-subject")
    assert foreign.value.message == missing.value.message
    assert not leaks(foreign.value.message)


@pytest.mark.parametrize("query", [None, "", CANARY_NAME, "canary", CANARY_DOC, "cnry", CANARY_ID])
def test_no_read_path_leaks_the_canary(
    access_engine: Engine, world: SubjectReader, query: str | None
) -> None:
    listed = world.list_visible(access_engine, BE, query)
    assert not leaks(listed)
    assert world.count(access_engine, BE, query) == len(listed)
    assert not leaks(world.export(access_engine, BE, "probe", query))


def test_a_stricter_field_is_hidden_and_not_searchable(
    access_engine: Engine, world: SubjectReader
) -> None:
    seen = world.get(access_engine, BE, SHARED_ID)
    assert [n.full for n in seen.names] == ["Albert Sharedname"] and seen.documents == []
    assert world.list_visible(access_engine, BE, "hiddenalias") == []
    assert world.count(access_engine, BE, SECRET_DOC) == 0
    assert world.count(access_engine, FR, SECRET_DOC) == 1


def test_h2_records_are_not_exported_by_others(access_engine: Engine, world: SubjectReader) -> None:
    assert [s.id for s in world.list_visible(access_engine, BE)] == [SHARED_ID]
    assert world.export(access_engine, BE, "case 12") == []
    assert {s.id for s in world.export(access_engine, FR, "case 12")} == {CANARY_ID, SHARED_ID}


def test_every_read_is_on_the_trail(
    access_engine: Engine, world: SubjectReader, trail: AuditTrail
) -> None:
    world.list_visible(access_engine, BE, "zeph")
    with pytest.raises(NotFound):
        world.get(access_engine, BE, CANARY_ID)
    world.export(access_engine, FR, "case 7")
    with access_engine.connect() as conn:
        rows = conn.execute(
            select(audit_events.c.actor, audit_events.c.action, audit_events.c.purpose).order_by(
                audit_events.c.seq
            )
        ).all()
        assert trail.verify(conn) is None
    assert [tuple(r) for r in rows[-3:]] == [
        ("be.analyst", "search", None),
        ("be.analyst", "read", None),
        ("fr.analyst", "export", "case 7"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"agency": "BE-SUR"},
        {"sharing": Sharing(Distribution.PARTNER_GROUP, "G-NOT-MINE")},
    ],
)
def test_mass_assignment_is_refused(
    access_engine: Engine, reader: SubjectReader, change: dict[str, object]
) -> None:
    forged = dataclasses.replace(canary(), id="fr-int-forged-1", **change)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        reader.create(access_engine, FR, forged)
    assert reader.count(access_engine, FR) == 0


def test_roles_without_write_cannot_create(access_engine: Engine, reader: SubjectReader) -> None:
    border = Actor("gr.border", "FR-INT", "FR", frozenset({Role.BORDER_OFFICER}))
    with pytest.raises(AccessDenied):
        reader.create(access_engine, border, canary())


def test_a_data_subject_export_leaves_out_what_others_restrict(
    access_engine: Engine, world: SubjectReader, trail: AuditTrail
) -> None:
    own = world.data_subject_export(access_engine, FR, SHARED_ID, "DSAR 2026-17")
    assert SECRET_ALIAS in [n.full for n in own.names]
    with pytest.raises(NotFound):  # H2 of another agency: no export without consent
        world.data_subject_export(access_engine, BE, SHARED_ID, "DSAR 2026-17")
    with pytest.raises(NotFound):
        world.data_subject_export(access_engine, BE, CANARY_ID, "DSAR 2026-17")
    with pytest.raises(InputError):
        world.data_subject_export(access_engine, FR, SHARED_ID, " ")
    with access_engine.connect() as conn:
        purposes = conn.execute(
            select(audit_events.c.purpose).where(audit_events.c.action == "export")
        ).scalars()
        assert list(purposes) == ["DSAR 2026-17"] * 3


def test_concurrent_readers_and_writers_keep_one_chain(
    access_engine: Engine, world: SubjectReader, trail: AuditTrail
) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(6):
                world.list_visible(access_engine, BE if n % 2 else FR, "a")
                if n == 0:
                    world.create(
                        access_engine, FR, dataclasses.replace(canary(), id=f"fr-int-c-{i}")
                    )
                world.count(access_engine, FR_POL)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with access_engine.connect() as conn:
        assert trail.verify(conn) is None
    assert world.count(access_engine, FR) == 8


def _h3_not_for_analysts(actor: Actor, _action: Action, _roles: RolePermissions) -> Pred:
    return AllOf((Const(Role.ANALYST in actor.roles), FieldEq(Field.HANDLING, "H3")))


def test_a_writer_changes_what_it_sees_and_neither_reads_nor_drops_what_it_does_not(
    access_engine: Engine, world: SubjectReader, trail: AuditTrail
) -> None:
    """Under a stricter policy (analysts may not read H3 fields, even of their agency's own
    records, yet they write them), a change answers only what the writer may read, and the
    H3 alias and document it could not see are still on the record after it."""
    rule = Rule(
        "h3-not-for-analysts",
        "deny",
        frozenset({Action.READ, Action.LIST, Action.EXPORT}),
        _h3_not_for_analysts,
        "H3: not for analysts",
    )
    strict = AuditTrail(trail.key, 3, Policy(rules=(*DEFAULT_RULES, rule)))
    writer = SubjectReader(SUBJECT_STORE, strict)
    seen = writer.get(access_engine, FR, SHARED_ID)
    assert SECRET_ALIAS not in repr(seen) and SECRET_DOC not in repr(seen)
    answer = writer.update(access_engine, FR, SHARED_ID, {"names": [Name("Albert Renamed")]})
    assert SECRET_ALIAS not in repr(answer) and SECRET_DOC not in repr(answer)
    assert [n.full for n in answer.names] == ["Albert Renamed"]
    stored = world.get(access_engine, FR, SHARED_ID)  # the shipped policy: the owner sees all
    assert [n.full for n in stored.names] == ["Albert Renamed", SECRET_ALIAS]
    assert [d.number for d in stored.documents] == [SECRET_DOC]
