"""Screening on ingest: store each encounter, screen it, and turn matches into routed hits.

``ScreeningService`` keeps the matching engine warm (``WarmScreener``). An encounter's
presented person is screened against every listed subject (names, dates, documents, the
stolen/lost/forged document list) by the engine alone, before the call's transaction
begins (``screen_ahead``: on SQLite that transaction is the database's one writer). The
encounter is then stored, and each match at or above the screening threshold
(``settings.screening_threshold``), or presenting a stolen, lost or forged document,
becomes a hit, in the same transaction as: its recipients (``routing``), one outbox
message per recipient (delivered later by the dispatcher), the monitoring trigger, and
the call's one audit line, naming its encounters and every hit it created
(``screening_audit``), written last so the trail's head is held briefly.
A document trail adds hits too: a document presented at an earlier encounter that hit
a subject (and was not rejected) hits that subject again, wherever it turns up.

The writes of a call go in bulk, whatever its size: the encounters first (a single
one in an insert that skips an id already stored, with no read of the ids in use);
the hits, their recipients and their outbox messages one executemany each, the
bookings' co-travellers one read. The
agency directory is kept between calls (``screening_directory``): a local change to
agencies or partner groups applies at once, another process's within the catch-up
interval.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from watchlink.access import Action, Actor, Resource
from watchlink.errors import AccessDenied, Conflict, InputError, InputProblem
from watchlink.matching import Match
from watchlink.model import Encounter, Hit, Subject
from watchlink.services.audit import AuditTrail
from watchlink.services.clock import Clock, SystemClock
from watchlink.services.routing import Directory, route_hit
from watchlink.services.screening_audit import HeldTrail, screen_line
from watchlink.services.screening_directory import DirectoryCache
from watchlink.services.screening_engine import WarmScreener, encounter_query
from watchlink.services.screening_sync import CatchUp
from watchlink.services.screening_work import CallWork, Scored, follow_trail
from watchlink.store.hits_bulk import HitWriter
from watchlink.store.hits_query import HitQueries, TrailHit
from watchlink.store.mapping import document_key
from watchlink.store.outbox import NewMessage
from watchlink.store.unit_of_work import UnitOfWork

__all__ = [
    "EncounterResult",
    "ScreenedHit",
    "ScreeningService",
    "load_directory",
    "single_refusal",
]

MAX_BATCH = 10_000
TRIGGERS_MODULE = "watchlink.services.triggers_hits"


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
    namesakes_beyond: bool = False
    """Hit, with no birth date given, by a name more listed persons bear than it hit: only
    a birth date tells which, if any, it is (ask for it)."""


_DIRECTORY = DirectoryCache()


def load_directory(uow: UnitOfWork) -> Directory:
    """The agencies and their partner groups, as routing reads them: kept between calls,
    read again after a change in this process or at most 5 s after one elsewhere."""
    return _DIRECTORY.get(uow)


def _trigger() -> Callable[..., Any] | None:
    """``on_hits(uow, made, trail=...)`` of the monitoring triggers, when installed: the
    call's hits on resting subjects put them back before their desks."""
    try:
        module = importlib.import_module(TRIGGERS_MODULE)
    except ModuleNotFoundError as error:
        if error.name != TRIGGERS_MODULE:
            raise
        return None
    found = getattr(module, "on_hits", None)
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
        catch_up_every: timedelta = timedelta(seconds=5),
        directory: DirectoryCache | None = None,
    ) -> None:
        self.audit = audit
        self.policy = audit.policy
        self.threshold = threshold
        self.screener = screener if screener is not None else WarmScreener()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.top = top
        self.new_id = new_id
        self._on_hits = _trigger()
        self.catch_up = CatchUp(catch_up_every)
        self.directory = directory if directory is not None else DirectoryCache(catch_up_every)

    def warm(self, uow: UnitOfWork) -> None:
        """Build the index from every subject in the database unless it is built; once
        built, take in (every so often) what other processes changed."""

        def everything() -> Iterator[Subject]:
            self.catch_up.start(uow, self.clock.now())
            return uow.subjects.iter_screened(batch_size=2_000)

        self.screener.ensure(everything)
        now = self.clock.now()
        if self.catch_up.due(now):
            self.catch_up.run(uow, self.screener, now)

    def add(self, subject: Subject) -> None:
        """A subject was created or changed: index it (closed ones stay screened)."""
        self.screener.add(subject)

    def remove(self, subject_id: str) -> None:
        """A subject was deleted: take it off the list."""
        self.screener.remove(subject_id)

    def screen_encounter(
        self, uow: UnitOfWork, actor: Actor, encounter: Encounter
    ) -> EncounterResult:
        """Store and screen one encounter; an id in use is a ``Conflict``."""
        result = self.screen_batch(uow, actor, [encounter])[0]
        refused = single_refusal(result)
        if refused is not None:
            raise refused
        return result

    def screen_ahead(
        self, engine: Engine, actor: Actor, batch: Sequence[Encounter]
    ) -> list[list[Match]]:
        """The engine's matches for each encounter of a call, found before its transaction
        (pass them to :meth:`screen_batch` as ``ahead``).

        The engine needs no database, and a call's transaction is, on SQLite, the one
        writer of the whole database from its first statement: screened inside it, two
        server processes screen one after the other. Screened ahead, they screen side by
        side and take turns only to write. An encounter of another agency (refused in the
        call) is not screened. The index is caught up first, in a transaction of its own
        that only reads, when that is due.
        """
        self._check_call(actor, batch)
        if not self.screener.built or self.catch_up.due(self.clock.now()):
            with UnitOfWork(engine) as uow:
                self.warm(uow)
        own = [e.agency == actor.agency for e in batch]
        queries = [encounter_query(e) for e, mine in zip(batch, own, strict=True) if mine]
        found = iter(self.screener.screen_many(queries, self.threshold, self.top))
        return [next(found) if mine else [] for mine in own]

    def _check_call(self, actor: Actor, batch: Sequence[Encounter]) -> None:
        """Refuse a call too large, or one the actor's role may not make."""
        if len(batch) > MAX_BATCH:
            raise InputError(
                "too many encounters", [InputProblem(f"at most {MAX_BATCH}", field="encounters")]
            )
        verdict = self.policy.allowed(actor, Action.SCREEN, _own(actor))
        if not verdict.allow:
            raise AccessDenied(f"screening is refused ({verdict.reason})")

    def screen_batch(
        self,
        uow: UnitOfWork,
        actor: Actor,
        batch: Sequence[Encounter],
        ahead: Sequence[list[Match]] | None = None,
    ) -> list[EncounterResult]:
        """Store and screen many encounters in one transaction, with a result for each;
        ``ahead``, when given, holds each encounter's matches as :meth:`screen_ahead`
        found them before the transaction began.

        An encounter whose id is in use (or repeated in the batch), or that is not the
        caller's agency's, is refused on its own; the others go through.
        """
        self._check_call(actor, batch)
        if ahead is not None and len(ahead) != len(batch):
            raise ValueError("the matches found ahead are not those of this batch")
        conn = uow.connection
        self.audit.claim_writer(conn)
        self.warm(uow)
        results = [EncounterResult(e) for e in batch]
        self._refuse_invalid(actor, results)
        self._store_new(uow, results)
        accepted = [r for r in results if r.error is None]
        # Screen and read first, before the trail's head is locked (below).
        if ahead is not None:
            found = [ahead[i] for i, r in enumerate(results) if r.error is None]
        elif accepted:
            queries = [encounter_query(r.encounter) for r in accepted]
            found = self.screener.screen_many(queries, self.threshold, self.top)
        else:
            found = []
        matched = {m.subject_id for matches in found for m in matches}
        documents = [r.encounter.document.number for r in accepted if r.encounter.document]
        own = [r.encounter.id for r in accepted]  # stored above, no hit yet
        writer = HitWriter(conn)
        work = CallWork(
            directory=self.directory.get(uow),
            subjects={s.id: s for s in uow.subjects.get_many(sorted(matched))},
            trails=HitQueries(conn).trails(documents, exclude=own) if documents else {},
        )
        # The trail's head, once locked, stays locked until commit, so concurrent
        # screenings go one after the other from there: the call locks it as late as
        # it can (SQLite's single writer was claimed above). A call on a booking locks
        # it before it reads the booking's other encounters and hits, so two calls of
        # one booking see each other; a monitoring trigger that acts locks it before
        # it reads and writes (``HeldTrail``); otherwise the hits are written first and
        # the head is locked only to append the call's line.
        groups = {r.encounter.group_ref for r in accepted if r.encounter.group_ref}
        if groups:
            self.audit.lock_head(conn)
            work.groups = writer.group_members(groups)
        self._hits_all(uow, actor, writer, work, accepted, found)
        for result in accepted:
            result.namesakes_beyond = self._namesakes_beyond(result)
        held = HeldTrail(self.audit, locked=bool(groups))  # a trigger that acts locks it
        if self._on_hits is not None and work.made:  # the monitoring trigger, in order
            self._on_hits(uow, work.made, trail=held)
        line = screen_line(actor, [r.encounter.id for r in accepted], work.audited)
        self.audit.record_many(conn, [line, *held.held])
        return results

    def _hits_all(
        self,
        uow: UnitOfWork,
        actor: Actor,
        writer: HitWriter,
        work: CallWork,
        accepted: list[EncounterResult],
        found: list[list[Match]],
    ) -> None:
        """Make the hits of every accepted encounter, then store them in bulk."""
        for result, matches in zip(accepted, found, strict=True):
            self._hits_of(uow, actor, work, result, matches)
        work.store(uow, writer)

    def _namesakes_beyond(self, result: EncounterResult) -> bool:
        """Whether an encounter that hit, with no birth date given, bears a name more listed
        persons bear than it hit. Asked only once it hit: of a name that hits nothing, the
        caller learns nothing of who else is listed."""
        if not result.hits or result.encounter.person.birth_date is not None:
            return False
        query = encounter_query(result.encounter)
        return self.screener.namesakes(query) > len(result.hits)

    def _refuse_invalid(self, actor: Actor, results: list[EncounterResult]) -> None:
        """Refuse an encounter of another agency, or whose id an earlier one repeats."""
        seen: set[str] = set()
        for index, result in enumerate(results):
            encounter = result.encounter
            if encounter.agency != actor.agency:
                result.error = InputProblem("the reporter is the caller's agency", field="agency")
            elif encounter.id in seen:
                result.error = _id_in_use(index, len(results))
            seen.add(encounter.id)

    def _store_new(self, uow: UnitOfWork, results: list[EncounterResult]) -> None:
        """Store the encounters not refused; one whose id is already stored is refused."""
        valid = [r for r in results if r.error is None]
        stored = uow.encounters.add_new([r.encounter for r in valid]) if valid else set()
        for index, result in enumerate(results):
            if result.error is None and result.encounter.id not in stored:
                result.error = _id_in_use(index, len(results))

    @staticmethod
    def _co_travellers(work: CallWork, encounter: Encounter) -> list[str]:
        """The other encounters of the booking or group; their hits are flagged back."""
        if not encounter.group_ref:
            return []
        others = [e for e in work.groups.get(encounter.group_ref, []) if e != encounter.id]
        work.groups_new[encounter.id] = others
        return others

    def _hits_of(
        self,
        uow: UnitOfWork,
        actor: Actor,
        work: CallWork,
        result: EncounterResult,
        matches: list[Match],
    ) -> None:
        encounter = result.encounter
        co_travellers = self._co_travellers(work, encounter)
        scored = {
            m.subject_id: Scored(m.score, list(m.explanation), m.document_alert) for m in matches
        }
        key = None if encounter.document is None else document_key(encounter.document.number)
        for earlier in work.trails.get(key or "", []):
            if earlier.encounter_id != encounter.id:
                follow_trail(scored, encounter, earlier)
        extra = sorted(set(scored) - set(work.subjects))
        work.subjects.update({s.id: s for s in uow.subjects.get_many(extra)})
        at = self.clock.now()
        for subject_id, found in scored.items():
            subject = work.subjects.get(subject_id)
            if subject is None:
                self.screener.remove(subject_id)  # gone from the database
                continue
            hit = Hit(
                id=self.new_id(),
                encounter_id=encounter.id,
                subject_id=subject.id,
                score=found.score,
                explanation=found.explanation,
                created_at=at,
                recipients=route_hit(self.policy, work.directory, actor, subject, encounter),
                co_travellers=list(co_travellers),
            )
            work.made.append((hit, subject))
            work.audited += [hit.id, encounter.id, subject.id]
            for recipient in hit.recipients:
                payload = {
                    "hit_id": hit.id,
                    "encounter_id": encounter.id,
                    "role": recipient.role.value,
                    "blind": recipient.blind,
                }
                work.messages.append(NewMessage("hit", recipient.agency, hit.id, payload, at))
            if key is not None:  # later encounters of the batch follow this document too
                trail = TrailHit(hit.id, encounter.id, subject.id, hit.score, encounter.occurred_at)
                work.trails.setdefault(key, []).append(trail)
            result.hits.append(ScreenedHit(hit, subject, found.alert))


def single_refusal(result: EncounterResult) -> Exception | None:
    """An encounter refused in its call, as the error of a report of that one encounter:
    an id in use is a ``Conflict``, anything else an ``InputError`` naming the field of
    the encounter's own body ("encounters.3.id" in the call is "id")."""
    if result.error is None:
        return None
    if result.error.reason.startswith("id in use"):
        return Conflict("an encounter with this id is already stored")
    problem = result.error
    if problem.field is not None and problem.field.startswith("encounters."):
        problem = replace(problem, field=problem.field.split(".", 2)[-1])
    return InputError("the encounter is not valid", [problem])


def _id_in_use(index: int, count: int) -> InputProblem:
    """The refusal of an id already stored, or repeated in the call."""
    where = f"encounters.{index}.id" if count > 1 else "id"
    return InputProblem("id in use: choose another id", field=where)


def _own(actor: Actor) -> Resource:
    """A record of the actor's own agency, to ask whether the role allows an action."""
    return Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
