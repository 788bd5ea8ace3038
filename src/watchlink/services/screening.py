"""Screening on ingest: store each encounter, screen it, and turn matches into routed hits.

``ScreeningService`` keeps the matching engine warm (``WarmScreener``). An encounter is
stored, its presented person screened against every listed subject (names, dates,
documents, the stolen/lost/forged document list), and each match at or above the
screening threshold becomes a hit, in the same transaction as: its recipients
(``routing``), one audit line, one outbox message per recipient (delivered later by the
dispatcher) and the monitoring trigger when one is installed. A document trail adds
hits too: a document presented at an earlier encounter that hit a subject (and was not
rejected) hits that subject again, wherever the document turns up.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from watchlink.access import Action, Actor, Resource
from watchlink.errors import AccessDenied, Conflict, InputError, InputProblem
from watchlink.matching import Match
from watchlink.model import AuditAction, Encounter, Hit, Subject
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.clock import Clock, SystemClock
from watchlink.services.routing import Directory, route_hit
from watchlink.services.screening_engine import WarmScreener, encounter_query, is_screened
from watchlink.store.hits_query import HitQueries
from watchlink.store.tables_casework import encounters as encounter_table
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["EncounterResult", "ScreenedHit", "ScreeningService", "load_directory"]

MAX_BATCH = 10_000
TRIGGERS_MODULE = "watchlink.services.triggers"


@dataclass(frozen=True, slots=True)
class ScreenedHit:
    """A hit just created, with the subject it matched (for the caller's view of it)."""

    hit: Hit
    subject: Subject
    document_alert: bool


@dataclass(slots=True)
class EncounterResult:
    """One encounter's outcome: stored and screened (with its hits), or refused (why)."""

    encounter: Encounter
    hits: list[ScreenedHit] = field(default_factory=list)
    error: InputProblem | None = None


def load_directory(uow: UnitOfWork) -> Directory:
    """The agencies and their partner groups, as routing reads them."""
    groups: dict[str, set[str]] = {}
    for group in uow.agencies.groups():
        for member in group.members:
            groups.setdefault(member, set()).add(group.code)
    return Directory(tuple(uow.agencies.list()), {code: frozenset(g) for code, g in groups.items()})


def _trigger() -> Callable[..., Any] | None:
    """``on_hit(uow, hit, subject, at, trail=...)`` of the monitoring triggers, when installed:
    a hit on a resting subject puts it back before its desk."""
    try:
        module = importlib.import_module(TRIGGERS_MODULE)
    except ModuleNotFoundError as error:
        if error.name != TRIGGERS_MODULE:
            raise
        return None
    found = getattr(module, "on_hit", None)
    return found if callable(found) else None


class ScreeningService:
    """Screens encounters against the warm list and creates, routes and queues hits."""

    def __init__(
        self,
        audit: AuditTrail,
        threshold: float,
        *,
        screener: WarmScreener | None = None,
        clock: Clock | None = None,
        top: int = 10,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.audit = audit
        self.policy = audit.policy
        self.threshold = threshold
        self.screener = screener if screener is not None else WarmScreener()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.top = top
        self.new_id = new_id
        self._on_hit = _trigger()

    def warm(self, uow: UnitOfWork) -> None:
        """Build the index from every subject in the database unless it is built."""
        self.screener.ensure(lambda: uow.subjects.iter_all(batch_size=2_000))

    def add(self, subject: Subject) -> None:
        """A subject was created or changed: index it (a closed one leaves the list)."""
        self.screener.add(subject)

    def remove(self, subject_id: str) -> None:
        """A subject was deleted: take it off the list."""
        self.screener.remove(subject_id)

    def screen_encounter(
        self, uow: UnitOfWork, actor: Actor, encounter: Encounter
    ) -> EncounterResult:
        """Store and screen one encounter; an id in use is a ``Conflict``."""
        result = self.screen_batch(uow, actor, [encounter])[0]
        if result.error is not None:
            if result.error.reason.startswith("id in use"):
                raise Conflict("an encounter with this id is already stored")
            raise InputError("the encounter is not valid", [result.error])
        return result

    def screen_batch(
        self, uow: UnitOfWork, actor: Actor, batch: Sequence[Encounter]
    ) -> list[EncounterResult]:
        """Store and screen many encounters in one transaction, with a result for each.

        An encounter whose id is in use (or repeated in the batch), or that is not the
        caller's agency's, is refused on its own; the others go through.
        """
        if len(batch) > MAX_BATCH:
            raise InputError(
                "too many encounters", [InputProblem(f"at most {MAX_BATCH}", field="encounters")]
            )
        verdict = self.policy.allowed(actor, Action.SCREEN, _own(actor))
        if not verdict.allow:
            raise AccessDenied(f"screening is refused ({verdict.reason})")
        conn = uow.connection
        self.audit.claim_writer(conn)
        self.warm(uow)
        results = [EncounterResult(e) for e in batch]
        self._refuse_invalid(uow, actor, results)
        accepted = [r for r in results if r.error is None]
        uow.encounters.bulk_insert(r.encounter for r in accepted)
        self.audit.record(
            conn,
            Who.of(actor),
            AuditAction.SCREEN,
            [r.encounter.id for r in accepted],
            f"screen {len(accepted)} encounter(s)",
        )
        if not accepted:
            return results
        queries = [encounter_query(r.encounter) for r in accepted]
        found = self.screener.screen_many(queries, self.threshold, self.top)
        matched = {m.subject_id for matches in found for m in matches}
        subjects = {s.id: s for s in uow.subjects.get_many(sorted(matched))}
        directory = load_directory(uow)
        queries_of = HitQueries(conn)
        for result, matches in zip(accepted, found, strict=True):
            self._hits_of(uow, queries_of, actor, directory, result, matches, subjects)
        return results

    def _refuse_invalid(
        self, uow: UnitOfWork, actor: Actor, results: list[EncounterResult]
    ) -> None:
        ids = [r.encounter.id for r in results]
        taken: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = select(encounter_table.c.id).where(encounter_table.c.id.in_(chunk))
            taken.update(uow.connection.scalars(query))
        seen: set[str] = set()
        for index, result in enumerate(results):
            encounter = result.encounter
            where = f"encounters.{index}.id" if len(results) > 1 else "id"
            if encounter.agency != actor.agency:
                result.error = InputProblem("the reporter is the caller's agency", field="agency")
            elif encounter.id in taken or encounter.id in seen:
                result.error = InputProblem("id in use: choose another id", field=where)
            seen.add(encounter.id)

    def _hits_of(
        self,
        uow: UnitOfWork,
        queries: HitQueries,
        actor: Actor,
        directory: Directory,
        result: EncounterResult,
        matches: list[Match],
        subjects: dict[str, Subject],
    ) -> None:
        encounter = result.encounter
        co_travellers: list[str] = []
        if encounter.group_ref:
            co_travellers = [
                e.id for e in uow.encounters.by_group(encounter.group_ref) if e.id != encounter.id
            ]
            queries.add_co_traveller(co_travellers, encounter.id)
        scored: dict[str, tuple[float, list[str], bool]] = {
            m.subject_id: (m.score, list(m.explanation), m.document_alert) for m in matches
        }
        if encounter.document is not None:
            for earlier in queries.trail(encounter.document.number, encounter.id):
                line = (
                    f'document "{encounter.document.number}" was presented at encounter '
                    f"{earlier.encounter_id} ({earlier.occurred_at:%Y-%m-%d}), "
                    "a hit on this subject"
                )
                score, explanation, alert = scored.get(earlier.subject_id, (0.0, [], False))
                if line not in explanation:
                    scored[earlier.subject_id] = (
                        max(score, earlier.score),
                        [line, *explanation],
                        alert,
                    )
        extra = sorted(set(scored) - set(subjects))
        subjects.update({s.id: s for s in uow.subjects.get_many(extra)})
        at = self.clock.now()
        for subject_id, (score, explanation, alert) in scored.items():
            subject = subjects.get(subject_id)
            if subject is None or not is_screened(subject):
                if subject is None:
                    self.screener.remove(subject_id)  # gone from the database
                continue
            hit = Hit(
                id=self.new_id(),
                encounter_id=encounter.id,
                subject_id=subject.id,
                score=score,
                explanation=explanation,
                created_at=at,
                recipients=route_hit(self.policy, directory, actor, subject, encounter),
                co_travellers=list(co_travellers),
            )
            uow.hits.add(hit)
            self.audit.record(
                uow.connection,
                Who.of(actor),
                AuditAction.WRITE,
                [hit.id, encounter.id, subject.id],
                "hit created",
            )
            for recipient in hit.recipients:
                payload = {
                    "hit_id": hit.id,
                    "encounter_id": encounter.id,
                    "role": recipient.role.value,
                    "blind": recipient.blind,
                }
                uow.outbox.add("hit", recipient.agency, hit.id, payload, at)
            if self._on_hit is not None:
                self._on_hit(uow, hit, subject, at, trail=self.audit)
            result.hits.append(ScreenedHit(hit, subject, alert))


def _own(actor: Actor) -> Resource:
    """A record of the actor's own agency, to ask whether the role allows an action."""
    return Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
