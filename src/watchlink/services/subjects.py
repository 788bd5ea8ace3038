"""Reading subjects through the policy, each read on the audit trail in its transaction.

Every path (get, list, search, count, export) selects with the visibility filter in
SQL, then hides fields whose own handling code is stricter than the record's. A
subject the caller may not see and a subject that does not exist give the same
``NotFound``; searching by a hidden alias or document finds nothing. Writes take the
owner and creator from the actor, never from the payload.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Engine, exists, func, select

from watchlink.access import (
    REDACTED_FIELDS,
    Action,
    Actor,
    Resource,
    SubjectColumns,
    field_visibility_filter,
    redact_subject,
    resource_of,
    subject_visibility_filter,
)
from watchlink.errors import AccessDenied, InputError, InputProblem, NotFound
from watchlink.model import AuditAction, Subject
from watchlink.services.audit import AuditTrail, Who

__all__ = ["UPDATABLE", "FieldTable", "SubjectReader", "SubjectStore", "SubjectWatcher"]

NOT_FOUND = "no subject with this id"
MAX_PAGE = 500
MAX_ID = 200


@dataclass(frozen=True, slots=True)
class FieldTable:
    """A table of one searchable field: its subject id, its text, its own handling code."""

    subject_id: ColumnElement[str]
    text: ColumnElement[str]
    handling: ColumnElement[str]


@dataclass(frozen=True, slots=True)
class SubjectStore:
    """Where the store keeps subjects, as this service reads and writes them."""

    id: ColumnElement[str]
    columns: SubjectColumns
    names: FieldTable
    documents: FieldTable
    load: Callable[[Connection, Sequence[str]], list[Subject]]
    save: Callable[[Connection, Subject], None]
    country_of: Callable[[Connection, str], str | None]
    # The agencies holding the owner's consent to onward use, by subject id (H2).
    consents_of: Callable[[Connection, Sequence[str]], Mapping[str, frozenset[str]]] | None = None

    def resource(self, conn: Connection, subject: Subject) -> Resource:
        """The subject's sharing facts for ``allowed``, its owner's consents included."""
        resource = resource_of(subject, self.country_of(conn, subject.agency))
        if self.consents_of is None:
            return resource
        held = self.consents_of(conn, [subject.id]).get(subject.id, frozenset())
        return dataclasses.replace(resource, consents=held)


class SubjectWatcher(Protocol):
    """Told of every committed change, e.g. the warm screening index."""

    def add(self, subject: Subject) -> None: ...

    def remove(self, subject_id: str) -> None: ...


UPDATABLE = frozenset(f.name for f in dataclasses.fields(Subject) if f.name not in ("id", "agency"))
"""Fields an update may change: everything but the id and the owner."""


class SubjectReader:
    """The read, create and update use cases on subjects."""

    def __init__(self, store: SubjectStore, audit: AuditTrail) -> None:
        self.store = store
        self.audit = audit
        self.policy = audit.policy
        self.watchers: list[SubjectWatcher] = []

    def watch(self, watcher: SubjectWatcher) -> None:
        """Tell ``watcher`` of each subject created or updated from now on (once each)."""
        if not any(w is watcher for w in self.watchers):
            self.watchers.append(watcher)

    def _changed(self, subject: Subject) -> None:
        for watcher in self.watchers:
            watcher.add(subject)

    def _visible(self, actor: Actor, action: Action) -> ColumnElement[bool]:
        return subject_visibility_filter(actor, self.store.columns, action, self.policy)

    def _field_match(
        self, actor: Actor, field: FieldTable, text: str, action: Action
    ) -> ColumnElement[bool]:
        """The subject has a field the actor may see whose text contains ``text``."""
        pattern = f"%{text.lower()}%"
        return exists().where(
            field.subject_id == self.store.id,
            func.lower(field.text).like(pattern),
            field_visibility_filter(actor, self.store.columns, field.handling, action, self.policy),
        )

    def _matching(self, actor: Actor, query: str | None, action: Action) -> ColumnElement[bool]:
        if query is not None and "\x00" in query:
            raise InputError("bad search text", [InputProblem("NUL character", field="q")])
        visible = self._visible(actor, action)
        if query is None or not query.strip():
            return visible
        text = query.strip()
        found = self._field_match(actor, self.store.names, text, action) | self._field_match(
            actor, self.store.documents, text, action
        )
        return visible & found

    def _redacted(
        self, conn: Connection, actor: Actor, action: Action, ids: Sequence[str]
    ) -> list[Subject]:
        shown: list[Subject] = []
        consents: Mapping[str, frozenset[str]] = {}
        if self.store.consents_of is not None and ids:
            consents = self.store.consents_of(conn, ids)
        for subject in self.store.load(conn, ids):
            resource = resource_of(subject, self.store.country_of(conn, subject.agency))
            held = consents.get(subject.id, frozenset())
            resource = dataclasses.replace(resource, consents=held)
            if self.policy.allowed(actor, action, resource).allow:  # belt and braces over SQL
                shown.append(redact_subject(actor, action, subject, resource, self.policy))
        return shown

    def get(self, engine: Engine, actor: Actor, subject_id: str) -> Subject:
        """One subject; the same ``NotFound`` whether it is missing or not the caller's to see."""
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            found = None
            if "\x00" not in subject_id and len(subject_id) <= MAX_ID:
                found = conn.execute(
                    select(self.store.id).where(
                        self.store.id == subject_id, self._visible(actor, Action.READ)
                    )
                ).first()
            shown = [] if found is None else self._redacted(conn, actor, Action.READ, [subject_id])
            records = [s.id for s in shown]
            self.audit.record(conn, Who.of(actor), AuditAction.READ, records, f"get {subject_id}")
        if not shown:
            raise NotFound(NOT_FOUND)
        return shown[0]

    def list_visible(
        self,
        engine: Engine,
        actor: Actor,
        query: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Subject]:
        """Visible subjects; with ``query``, those with a visible name or document containing it."""
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise InputError(
                "bad page", [InputProblem(f"limit 1-{MAX_PAGE}, offset >= 0", field="limit")]
            )
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            ids = list(
                conn.scalars(
                    select(self.store.id)
                    .where(self._matching(actor, query, Action.LIST))
                    .order_by(self.store.id)
                    .limit(limit)
                    .offset(offset)
                )
            )
            shown = self._redacted(conn, actor, Action.LIST, ids)
            what = f"list q={query!r} limit={limit} offset={offset}"
            self.audit.record(conn, Who.of(actor), AuditAction.SEARCH, [s.id for s in shown], what)
        return shown

    def count(self, engine: Engine, actor: Actor, query: str | None = None) -> int:
        """How many visible subjects match (the same set ``list`` pages through)."""
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            total = conn.execute(
                select(func.count()).select_from(
                    select(self.store.id)
                    .where(self._matching(actor, query, Action.LIST))
                    .subquery()
                )
            ).scalar_one()
            self.audit.record(conn, Who.of(actor), AuditAction.SEARCH, [], f"count q={query!r}")
        return int(total)

    def export(
        self, engine: Engine, actor: Actor, purpose: str, query: str | None = None
    ) -> list[Subject]:
        """What the caller may take out, for a stated purpose (H2: owner's consent)."""
        if not purpose.strip():
            raise InputError("an export needs a purpose", [InputProblem("empty", field="purpose")])
        verdict = self.policy.allowed(actor, Action.EXPORT, _own(actor))
        if not verdict.allow and verdict.reason.startswith("role-permission"):
            raise AccessDenied(f"export refused ({verdict.reason})")
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            ids = list(
                conn.scalars(
                    select(self.store.id)
                    .where(self._matching(actor, query, Action.EXPORT))
                    .order_by(self.store.id)
                )
            )
            shown = self._redacted(conn, actor, Action.EXPORT, ids)
            self.audit.record(
                conn,
                Who.of(actor),
                AuditAction.EXPORT,
                [s.id for s in shown],
                f"export q={query!r}",
                purpose,
            )
        return shown

    def data_subject_export(
        self, engine: Engine, actor: Actor, subject_id: str, purpose: str
    ) -> Subject:
        """Everything held on one subject that the caller may hand over, for a data-subject
        access request: other agencies' restricted fields (stricter handling, H2 without
        consent) are left out. Missing and not-visible give the same ``NotFound``."""
        if not purpose.strip():
            raise InputError("an export needs a purpose", [InputProblem("empty", field="purpose")])
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            found = None
            if "\x00" not in subject_id and len(subject_id) <= MAX_ID:
                found = conn.execute(
                    select(self.store.id).where(
                        self.store.id == subject_id, self._visible(actor, Action.EXPORT)
                    )
                ).first()
            shown = (
                [] if found is None else self._redacted(conn, actor, Action.EXPORT, [subject_id])
            )
            self.audit.record(
                conn,
                Who.of(actor),
                AuditAction.EXPORT,
                [s.id for s in shown],
                f"data-subject export {subject_id}",
                purpose,
            )
        if not shown:
            raise NotFound(NOT_FOUND)
        return shown[0]

    def create(self, engine: Engine, actor: Actor, subject: Subject) -> Subject:
        """Store a new subject of the actor's agency; a partner group must be one of its own."""
        if subject.agency != actor.agency:
            raise InputError(
                "the owner is the caller's agency", [InputProblem("not settable", field="agency")]
            )
        prefix = f"{actor.agency.lower()}-"
        if not subject.id.startswith(prefix):
            # Ids live in the agency's own namespace: "id in use" can then never tell an
            # agency that another agency holds a record under that id.
            problem = InputProblem(f"must start with {prefix!r}", field="id")
            raise InputError("a new subject's id starts with its agency's code", [problem])
        group = subject.sharing.partner_group
        if group is not None and group not in actor.groups:
            raise InputError(
                "the partner group is not one of the agency's",
                [InputProblem(f"not a member of {group!r}", field="sharing.partner_group")],
            )
        verdict = self.policy.allowed(actor, Action.WRITE, _own(actor))
        if not verdict.allow:
            raise AccessDenied(f"writing subjects is refused ({verdict.reason})")
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            taken = conn.execute(select(self.store.id).where(self.store.id == subject.id)).first()
            if taken is not None:
                raise InputError("choose another id", [InputProblem("id in use", field="id")])
            self.store.save(conn, subject)
            self.audit.record(conn, Who.of(actor), AuditAction.WRITE, [subject.id], "create")
        self._changed(subject)
        return subject

    def update(
        self, engine: Engine, actor: Actor, subject_id: str, changes: Mapping[str, Any]
    ) -> Subject:
        """Change fields of a subject of the actor's agency; the rest is kept as stored.

        Missing and not the caller's to write give the same ``NotFound``; the id and the
        owner never change; a partner group must be one of the agency's own.
        """
        unknown = sorted(set(changes) - UPDATABLE)
        if unknown:
            problems = [InputProblem("not changeable", field=name) for name in unknown]
            raise InputError("these fields cannot be changed", problems)
        sharing = changes.get("sharing")
        group = None if sharing is None else sharing.partner_group
        if group is not None and group not in actor.groups:
            raise InputError(
                "the partner group is not one of the agency's",
                [InputProblem(f"not a member of {group!r}", field="sharing.partner_group")],
            )
        verdict = self.policy.allowed(actor, Action.WRITE, _own(actor))
        if not verdict.allow:
            raise AccessDenied(f"writing subjects is refused ({verdict.reason})")
        with engine.begin() as conn:
            self.audit.claim_writer(conn)
            stored = []
            if "\x00" not in subject_id and len(subject_id) <= MAX_ID:
                stored = self.store.load(conn, [subject_id])
            current = stored[0] if stored else None
            if current is not None:
                resource = self.store.resource(conn, current)
                if not self.policy.allowed(actor, Action.WRITE, resource).allow:
                    current = None
            if current is None:
                self.audit.record(
                    conn, Who.of(actor), AuditAction.WRITE, [], f"update {subject_id}"
                )
                updated = None
            else:
                seen = redact_subject(actor, Action.READ, current, resource, self.policy)
                updated = dataclasses.replace(current, **_keeping_unseen(current, seen, changes))
                self.store.save(conn, updated)
                self.audit.record(conn, Who.of(actor), AuditAction.WRITE, [updated.id], "update")
                shown = self._shown(conn, actor, updated)
        if updated is None:
            raise NotFound(NOT_FOUND)
        self._changed(updated)
        return shown

    def _shown(self, conn: Connection, actor: Actor, subject: Subject) -> Subject:
        """A subject just written, as its writer may read it (the id and owner only when
        its role writes without reading)."""
        resource = self.store.resource(conn, subject)
        if not self.policy.allowed(actor, Action.READ, resource).allow:
            return Subject(id=subject.id, agency=subject.agency)
        return redact_subject(actor, Action.READ, subject, resource, self.policy)


def _keeping_unseen(current: Subject, seen: Subject, changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` with the items of each list it replaces that the writer may not read
    (a field of stricter handling) kept: a writer changes what it sees, and cannot drop
    what it does not."""
    kept = dict(changes)
    for name in REDACTED_FIELDS:
        if name in kept:
            visible = getattr(seen, name)
            hidden = [i for i in getattr(current, name) if not any(i is v for v in visible)]
            kept[name] = [*kept[name], *hidden]
    return kept


def _own(actor: Actor) -> Resource:
    """A record of the actor's own agency, to ask whether the role allows an action at all."""
    return Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
