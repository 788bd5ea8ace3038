"""The hit workflow: an agency's inbox, one hit's detail, acknowledge, confirm, reject.

Only agencies a hit was routed to know it exists: to any other, it is the same
``NotFound`` as a missing id. Each viewer sees the hit as ``hit_views`` allows. Reviews
are append-only: a new one supersedes the last, nothing is overwritten; each is on the
audit trail in its transaction. A confirmation or a rejection (a judgement on the
identity, so only by a viewer who may read the subject) is also kept as a labelled
pair for the matching model to learn from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select

from watchlink.access import Action, Actor, Resource, resource_of, subject_visibility_filter
from watchlink.errors import AccessDenied, InputError, InputProblem, NotFound
from watchlink.formats.ftm import subject_to_ftm
from watchlink.model import AuditAction, Hit, HitReview, HitState, Subject
from watchlink.services.access_wiring import store_subject_store
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.clock import Clock, SystemClock
from watchlink.services.hit_views import HitView, blind_for, view_hit
from watchlink.services.screening import ScreenedHit, load_directory
from watchlink.services.world import encounter_to_json
from watchlink.store.hits_query import HitQueries
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["MAX_INBOX", "HitService"]

NOT_FOUND = "no hit with this id"
MAX_INBOX = 500
MAX_TEXT = 2_000
_FINAL = (HitState.CONFIRMED, HitState.REJECTED)


class HitService:
    """Inbox, detail and reviews of hits, each through the policy and on the trail."""

    def __init__(self, audit: AuditTrail, clock: Clock | None = None) -> None:
        self.audit = audit
        self.policy = audit.policy
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._store = store_subject_store()

    def _require_screening(self, actor: Actor) -> None:
        own = Resource(owner_agency=actor.agency, owner_country=actor.country, handling="H1")
        verdict = self.policy.allowed(actor, Action.SCREEN, own)
        if not verdict.allow:
            raise AccessDenied(f"hits are refused ({verdict.reason})")

    def _views(
        self,
        uow: UnitOfWork,
        actor: Actor,
        hits: Sequence[Hit],
        reporters: Mapping[str, str] | None = None,
        known: Mapping[str, Subject] | None = None,
    ) -> list[HitView]:
        """Views of many hits, loading what they share once (``reporters``: encounter id →
        reporting agency, ``known``: subjects by id, when the caller has them)."""
        if not hits:
            return []
        subjects = dict(known or {})
        missing = sorted({h.subject_id for h in hits} - set(subjects))
        subjects.update({s.id: s for s in uow.subjects.get_many(missing)})
        directory = load_directory(uow)
        if reporters is None:
            reporters = HitQueries(uow.connection).reporters(h.encounter_id for h in hits)
        prepared = []
        for hit in hits:
            subject = subjects.get(hit.subject_id)
            reporter = reporters.get(hit.encounter_id)
            if subject is None or reporter is None:
                continue  # the subject was deleted since: nothing left to show
            resource = resource_of(subject, directory.country_of(subject.agency))
            prepared.append((hit, subject, resource, reporter))
        reading = {s.id for h, s, r, _ in prepared if not blind_for(self.policy, actor, h, r)}
        links = HitQueries(uow.connection).links_of(reading)
        ends = {
            e
            for found in links.values()
            for k in found
            for e in (k.source_subject, k.target_subject)
        }
        readable = self._readable(uow, actor, ends - reading) | reading
        return [
            view_hit(
                self.policy, actor, hit, subject, resource, reporter,
                links.get(subject.id, []), readable,
            )
            for hit, subject, resource, reporter in prepared
        ]  # fmt: skip

    def _readable(self, uow: UnitOfWork, actor: Actor, ids: set[str]) -> frozenset[str]:
        """Those of ``ids`` naming subjects the actor may read (the policy's SQL filter)."""
        if not ids:
            return frozenset()
        store = self._store
        visible = subject_visibility_filter(actor, store.columns, Action.READ, self.policy)
        found: set[str] = set()
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            query = select(store.id).where(store.id.in_(chunk), visible)
            found.update(uow.connection.scalars(query))
        return frozenset(found)

    def views_of(
        self, uow: UnitOfWork, actor: Actor, screened: Sequence[ScreenedHit]
    ) -> list[HitView]:
        """Hits the actor just reported, as it may see them: those it may read best first,
        then the blind ones by reference, so their order says nothing of their scores."""
        hits = [s.hit for s in screened]
        reporters = {h.encounter_id: actor.agency for h in hits}
        known = {s.subject.id: s.subject for s in screened}
        views = self._views(uow, actor, hits, reporters, known)
        return sorted(views, key=lambda v: (v.blind, -(v.score or 0.0), v.reference))

    def inbox(
        self,
        uow: UnitOfWork,
        actor: Actor,
        state: HitState | None = None,
        since: datetime | None = None,
        blind: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[HitView]:
        """The hits routed to the actor's agency, newest first, as the actor may see them.

        ``state`` and ``blind`` filter on what the actor sees (a blind hit's state is its
        own agency's), so a filter never reveals what the view withholds.
        """
        if not 1 <= limit <= MAX_INBOX or offset < 0:
            problem = InputProblem(f"limit 1-{MAX_INBOX}, offset >= 0", field="limit")
            raise InputError("bad page", [problem])
        self._require_screening(actor)
        self.audit.claim_writer(uow.connection)
        queries = HitQueries(uow.connection)
        shown: list[HitView] = []
        skipped, cursor, chunk = 0, 0, 200
        prefilter = False if blind is False else None  # an unblinded row may still view blind
        while len(shown) < limit:
            rows = queries.inbox(actor.agency, since, prefilter, chunk, cursor)
            cursor += len(rows)
            hits = {h.id: h for h in uow.hits.get_many([r.hit_id for r in rows])}
            ordered = [hits[r.hit_id] for r in rows if r.hit_id in hits]
            for view in self._views(uow, actor, ordered):
                if state is not None and view.state is not state:
                    continue
                if blind is not None and view.blind is not blind:
                    continue
                if skipped < offset:
                    skipped += 1
                    continue
                if len(shown) < limit:
                    shown.append(view)
            if len(rows) < chunk:
                break
        query = (
            f"hits inbox state={state} since={since} blind={blind} limit={limit} offset={offset}"
        )
        self.audit.record(
            uow.connection, Who.of(actor), AuditAction.SEARCH, [v.id for v in shown], query
        )
        return shown

    def _routed(self, uow: UnitOfWork, actor: Actor, hit_id: str) -> Hit:
        if len(hit_id) > 200 or "\x00" in hit_id:
            raise NotFound(NOT_FOUND)
        if HitQueries(uow.connection).recipient(hit_id, actor.agency) is None:
            raise NotFound(NOT_FOUND)
        hit = uow.hits.get(hit_id)
        if hit is None:
            raise NotFound(NOT_FOUND)
        return hit

    def _view(self, uow: UnitOfWork, actor: Actor, hit: Hit) -> HitView:
        views = self._views(uow, actor, [hit])
        if not views:
            raise NotFound(NOT_FOUND)
        return views[0]

    def detail(self, uow: UnitOfWork, actor: Actor, hit_id: str) -> HitView:
        """One hit routed to the actor's agency; ``NotFound`` alike for others and missing."""
        self._require_screening(actor)
        self.audit.claim_writer(uow.connection)
        hit = self._routed(uow, actor, hit_id)
        view = self._view(uow, actor, hit)
        records = [hit.id] if view.blind else [hit.id, hit.subject_id]
        self.audit.record(uow.connection, Who.of(actor), AuditAction.READ, records, "hit detail")
        return view

    def acknowledge(
        self, uow: UnitOfWork, actor: Actor, hit_id: str, action_taken: str | None = None
    ) -> HitView:
        """The actor's agency has seen the hit (and says what it did, when it did)."""
        return self._review(uow, actor, hit_id, HitState.ACKNOWLEDGED, None, action_taken)

    def confirm(
        self, uow: UnitOfWork, actor: Actor, hit_id: str, reason: str, action_taken: str | None
    ) -> HitView:
        """A true match: the person is the subject. Kept as a labelled pair."""
        return self._review(uow, actor, hit_id, HitState.CONFIRMED, reason, action_taken)

    def reject(
        self, uow: UnitOfWork, actor: Actor, hit_id: str, reason: str, action_taken: str | None
    ) -> HitView:
        """Not the person. Kept as a labelled pair."""
        return self._review(uow, actor, hit_id, HitState.REJECTED, reason, action_taken)

    def _review(
        self,
        uow: UnitOfWork,
        actor: Actor,
        hit_id: str,
        state: HitState,
        reason: str | None,
        action_taken: str | None,
    ) -> HitView:
        _check_text(reason, "reason", required=state in _FINAL)
        _check_text(action_taken, "action_taken", required=False)
        self._require_screening(actor)
        conn = uow.connection
        self.audit.claim_writer(conn)
        hit = self._routed(uow, actor, hit_id)
        view = self._view(uow, actor, hit)
        if state in _FINAL and view.blind:
            raise AccessDenied(
                "only a reader of the subject confirms or rejects; acknowledge with the "
                "action taken, and contact the agency named in the notice"
            )
        at = self.clock.now()
        review = HitReview(state, actor.user, actor.agency, at, reason, action_taken)
        current = hit.state
        new_state = current if state is HitState.ACKNOWLEDGED and current in _FINAL else state
        HitQueries(conn).append_review(hit.id, review, new_state)
        records = [hit.id] if view.blind else [hit.id, hit.subject_id]
        self.audit.record(conn, Who.of(actor), AuditAction.WRITE, records, f"hit {state.value}")
        if state in _FINAL:
            self._label(uow, actor, hit, state is HitState.CONFIRMED, at)
        updated = uow.hits.get(hit.id)
        assert updated is not None
        return self._view(uow, actor, updated)

    def _label(self, uow: UnitOfWork, actor: Actor, hit: Hit, is_match: bool, at: datetime) -> None:
        encounter = uow.encounters.get(hit.encounter_id)
        subject = uow.subjects.get(hit.subject_id)
        if encounter is None or subject is None:
            return
        HitQueries(uow.connection).add_labelled_pair(
            encounter.id,
            subject.id,
            encounter_to_json(encounter),
            _subject_record(subject),
            is_match,
            f"hit-review:{hit.id}",
            actor.user,
            at,
        )


def _subject_record(subject: Subject) -> dict[str, object]:
    """The subject as judged, as a FollowTheMoney entity (the model's training shape)."""
    return subject_to_ftm(subject)


def _check_text(text: str | None, field: str, *, required: bool) -> None:
    if text is None or not text.strip():
        if required:
            raise InputError(f"a {field} is required", [InputProblem("empty", field=field)])
        return
    if len(text) > MAX_TEXT or "\x00" in text:
        problem = InputProblem(f"at most {MAX_TEXT} characters, no NUL", field=field)
        raise InputError(f"the {field} is not valid", [problem])
