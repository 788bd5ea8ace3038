"""The owner's consent to onward use of an H2 subject: grant, revoke, list.

H2 records may not be exported or shared onward by another agency without the
owner's consent (rule ``h2-no-onward-use``). Consent is given per subject and per
agency by the owning agency's users who may write the subject (``Action.WRITE``
through the policy), and is append-only: revoking marks the grant revoked, granting
again adds a new grant. Every grant, revocation and listing is one audit line in the
same transaction. A subject the caller may not write (or, for listing, does not own)
fails exactly like a missing one.

Consent counts whenever the record is H2: a grant made while the record is H1 takes
effect if its owner raises it to H2 later, and a revocation at once in every path
(the SQL filter and ``allowed`` read the same rows).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select

from watchlink.access import Action, Actor, Resource, resource_of
from watchlink.errors import AccessDenied, Conflict, InputError, InputProblem, NotFound
from watchlink.model import AuditAction, Subject
from watchlink.services.audit import AuditTrail, Who
from watchlink.store.consents import Consent, ConsentRepository, consenting
from watchlink.store.repositories import AgencyRepository
from watchlink.store.subjects import SubjectRepository
from watchlink.store.tables import subjects
from watchlink.store.tables_access import database_now
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["Consent", "ConsentBook"]

NOT_FOUND = "no subject with this id"
MAX_ID = 200
MAX_REASON = 500
MAX_AGENCY = 32


def _usable(value: str, longest: int) -> bool:
    return 0 < len(value) <= longest and "\x00" not in value


def _checked_reason(reason: str) -> str:
    text = reason.strip()
    if not text or len(text) > MAX_REASON or "\x00" in text:
        problem = InputProblem(f"1-{MAX_REASON} characters, no NUL", field="reason")
        raise InputError("a consent needs a reason", [problem])
    return text


def _checked_agency(agency: str) -> str:
    if not _usable(agency, MAX_AGENCY):
        problem = InputProblem(f"an agency code of 1-{MAX_AGENCY} characters", field="agency")
        raise InputError("bad agency", [problem])
    return agency


def _now(conn: Connection) -> datetime:
    """The database's clock as an aware UTC time (as the table reads times back)."""
    return database_now(conn).replace(tzinfo=UTC)


@contextmanager
def _transaction(target: Engine | UnitOfWork) -> Iterator[Connection]:
    """The caller's unit of work, or a new transaction on the engine."""
    if isinstance(target, UnitOfWork):
        yield target.connection
    else:
        with target.begin() as conn:
            yield conn


class ConsentBook:
    """The use cases on consents, deciding with the audit trail's policy."""

    def __init__(self, audit: AuditTrail) -> None:
        self.audit = audit
        self.policy = audit.policy

    def _resource(self, conn: Connection, subject: Subject) -> Resource:
        country = AgencyRepository(conn).country_of(subject.agency)
        held = consenting(conn, [subject.id]).get(subject.id, frozenset())
        return dataclasses.replace(resource_of(subject, country), consents=held)

    def _subject(
        self, conn: Connection, actor: Actor, subject_id: str, action: Action
    ) -> Subject | None:
        """The subject when the actor owns it and may do ``action`` on it, else None."""
        if not _usable(subject_id, MAX_ID):
            return None
        query = select(subjects.c.id).where(subjects.c.id == subject_id)
        if action is Action.WRITE:  # one change to a subject's consents at a time
            query = query.with_for_update()  # a row lock on PostgreSQL
        found = conn.execute(query).first()
        subject = None if found is None else SubjectRepository(conn).get(subject_id)
        if subject is None or subject.agency != actor.agency:
            return None
        if not self.policy.allowed(actor, action, self._resource(conn, subject)).allow:
            return None
        return subject

    def _may_write_at_all(self, actor: Actor) -> None:
        own = Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
        verdict = self.policy.allowed(actor, Action.WRITE, own)
        if not verdict.allow:
            raise AccessDenied(f"managing consents is refused ({verdict.reason})")

    def grant(
        self,
        target: Engine | UnitOfWork,
        actor: Actor,
        subject_id: str,
        agency: str,
        reason: str,
    ) -> Consent:
        """The owner consents to onward use of the subject by ``agency``; returns the grant.

        ``Conflict`` when that agency already holds consent; ``InputError`` for an
        unknown agency or the owner itself.
        """
        agency = _checked_agency(agency)
        reason = _checked_reason(reason)
        self._may_write_at_all(actor)
        consent = None
        with _transaction(target) as conn:
            self.audit.claim_writer(conn)
            subject = self._subject(conn, actor, subject_id, Action.WRITE)
            if subject is None:
                query = f"consent grant {agency} on {subject_id}"
                self.audit.record(conn, Who.of(actor), AuditAction.WRITE, [], query)
            else:
                if agency == subject.agency:
                    problem = InputProblem("the owner needs no consent", field="agency")
                    raise InputError("consent is for another agency", [problem])
                if AgencyRepository(conn).get(agency) is None:
                    problem = InputProblem(f"unknown agency {agency!r}", field="agency")
                    raise InputError("consent is for a known agency", [problem])
                book = ConsentRepository(conn)
                if book.active(subject.id, agency) is not None:
                    raise Conflict(f"{agency} already holds consent on this subject")
                consent = book.grant(subject.id, agency, actor.user, _now(conn), reason)
                query = f"consent grant {agency} #{consent.id}"
                self.audit.record(
                    conn, Who.of(actor), AuditAction.WRITE, [subject.id], query, reason
                )
        if consent is None:
            raise NotFound(NOT_FOUND)
        return consent

    def revoke(
        self, target: Engine | UnitOfWork, actor: Actor, subject_id: str, agency: str
    ) -> Consent:
        """Withdraw ``agency``'s consent on the subject; returns the revoked grant.

        ``NotFound`` when the agency holds no consent in force.
        """
        agency = _checked_agency(agency)
        self._may_write_at_all(actor)
        revoked = None
        with _transaction(target) as conn:
            self.audit.claim_writer(conn)
            subject = self._subject(conn, actor, subject_id, Action.WRITE)
            if subject is None:
                query = f"consent revoke {agency} on {subject_id}"
                self.audit.record(conn, Who.of(actor), AuditAction.WRITE, [], query)
            else:
                book = ConsentRepository(conn)
                held = book.active(subject.id, agency)
                if held is None:
                    raise NotFound(f"{agency} holds no consent on this subject")
                at = _now(conn)
                book.revoke(held.id, actor.user, at)
                revoked = dataclasses.replace(held, revoked_at=at, revoked_by=actor.user)
                query = f"consent revoke {agency} #{held.id}"
                self.audit.record(conn, Who.of(actor), AuditAction.WRITE, [subject.id], query)
        if revoked is None:
            raise NotFound(NOT_FOUND)
        return revoked

    def list_for(self, target: Engine | UnitOfWork, actor: Actor, subject_id: str) -> list[Consent]:
        """Every grant on a subject of the actor's agency, revoked ones included, oldest first."""
        found = None
        with _transaction(target) as conn:
            self.audit.claim_writer(conn)
            subject = self._subject(conn, actor, subject_id, Action.READ)
            if subject is not None:
                found = ConsentRepository(conn).for_subject(subject.id)
            records = [] if subject is None else [subject.id]
            query = f"consents of {subject_id}"
            self.audit.record(conn, Who.of(actor), AuditAction.READ, records, query)
        if found is None:
            raise NotFound(NOT_FOUND)
        return found
