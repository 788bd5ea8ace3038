"""Requests between agencies on both databases: deadlines, states, parties, sharing.

Only the two parties see a request; the sender reveals of the subject only what it may
share onward; an H3 note stays with its author. Time is a ManualClock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypedDict, Unpack

import pytest
from sqlalchemy import select

from requests_support import START, actor, clock, service, trail, world
from watchlink.access import Actor
from watchlink.errors import AccessDenied, Conflict, InputError, NotFound
from watchlink.model import HandlingCode, RequestPriority, RequestState, Role, SubjectStatus
from watchlink.services.audit import AuditTrail
from watchlink.services.clock import ManualClock
from watchlink.services.requests import RequestService
from watchlink.services.requests_escalation import KIND_ESCALATE, KIND_REMIND
from watchlink.services.requests_views import RequestView
from watchlink.store import Database, UnitOfWork
from watchlink.store.jobs import JobRepository
from watchlink.store.tables_access import audit_events
from watchlink.store.tables_ops import outbox

__all__ = ["clock", "service", "trail", "world"]  # fixtures used by name

FR, TR, BE = actor("FR-INT"), actor("TR-INT", Role.LIAISON_OFFICER), actor("BE-INT")


class _Details(TypedDict, total=False):
    """What a test may set on a request beyond parties and title (else the service's default)."""

    priority: RequestPriority
    subject_id: str | None
    hit_id: str | None
    handling: HandlingCode


class _Request(_Details, total=False):
    """A request's parties, title and details, as a parametrised case gives them."""

    who: Actor
    to: str
    title: str


def _send(
    db: Database,
    svc: RequestService,
    who: Actor = TR,
    to: str = "FR-INT",
    title: str = "Known to you?",
    **kw: Unpack[_Details],
) -> RequestView:
    with db.unit_of_work() as uow:
        return svc.send(uow, who, to, title, "Please advise.", **kw)


@pytest.mark.parametrize(
    ("priority", "hours"),
    [(RequestPriority.URGENT, 12), (RequestPriority.HIGH, 72), (RequestPriority.NORMAL, 336)],
)
def test_the_deadline_follows_the_priority_and_follow_ups_are_scheduled(
    world: Database, service: RequestService, priority: RequestPriority, hours: int
) -> None:
    sent = _send(world, service, priority=priority)
    assert sent.state == "sent" and not sent.overdue
    assert sent.deadline == START + timedelta(hours=hours)
    with world.unit_of_work() as uow:
        jobs = JobRepository(uow.connection)
        remind = jobs.of_kind(KIND_REMIND)
        escalate = jobs.of_kind(KIND_ESCALATE)
        told = uow.connection.execute(select(outbox.c.kind, outbox.c.recipient)).all()
        lines = uow.connection.execute(select(audit_events.c.query)).scalars().all()
    assert [j.due_at for j in remind] == [START + timedelta(hours=hours * 0.75)]
    assert [j.due_at for j in escalate] == [sent.deadline + timedelta(seconds=1)]
    assert told == [("request", "FR-INT")]
    assert "send request to FR-INT" in lines


def test_the_settings_set_the_deadlines(world: Database, trail, clock) -> None:  # type: ignore[no-untyped-def]
    from watchlink.services.requests_views import RequestTerms
    from watchlink.settings import Settings

    terms = RequestTerms.from_settings(Settings(request_deadline_urgent_hours=2))
    sent = _send(world, RequestService(trail, clock, terms), priority=RequestPriority.URGENT)
    assert sent.deadline == START + timedelta(hours=2)


def test_sent_acknowledged_answered_closed(world: Database, service: RequestService) -> None:
    request_id = _send(world, service).id
    with world.unit_of_work() as uow:
        assert service.acknowledge(uow, FR, request_id).state == "acknowledged"
    with world.unit_of_work() as uow:
        answered = service.reply(uow, FR, request_id, "Known, under watch.", answer=True)
    assert answered.state == "answered"
    assert [m.body for m in answered.messages] == ["Please advise.", "Known, under watch."]
    with world.unit_of_work() as uow:
        closed = service.close(uow, TR, request_id)
    assert closed.state == "closed"
    assert [e.kind for e in closed.events] == ["sent", "acknowledged", "answered", "closed"]
    with world.unit_of_work() as uow, pytest.raises(Conflict):
        service.reply(uow, TR, request_id, "one more thing")


@pytest.mark.parametrize(
    ("act", "who", "error"),
    [
        ("acknowledge", TR, AccessDenied),  # the sender does not acknowledge its own
        ("answer", TR, AccessDenied),
        ("close", FR, AccessDenied),  # only the sender closes
        ("withdraw", FR, AccessDenied),
        ("close", TR, Conflict),  # not answered yet
        ("escalate", TR, AccessDenied),  # the sender does not climb the receiver's chain
    ],
)
def test_each_side_does_only_its_own_acts(
    world: Database, service: RequestService, act: str, who: Actor, error: type[Exception]
) -> None:
    request_id = _send(world, service).id
    acts: dict[str, Callable[[UnitOfWork], object]] = {
        "acknowledge": lambda uow: service.acknowledge(uow, who, request_id),
        "answer": lambda uow: service.reply(uow, who, request_id, "x", answer=True),
        "close": lambda uow: service.close(uow, who, request_id),
        "withdraw": lambda uow: service.withdraw(uow, who, request_id),
        "escalate": lambda uow: service.escalate(uow, who, request_id),
    }
    with world.unit_of_work() as uow, pytest.raises(error):
        acts[act](uow)


def test_withdrawn_requests_take_no_answer(world: Database, service: RequestService) -> None:
    request_id = _send(world, service).id
    with world.unit_of_work() as uow:
        assert service.withdraw(uow, TR, request_id).state == "withdrawn"
    with world.unit_of_work() as uow, pytest.raises(Conflict):
        service.reply(uow, FR, request_id, "late answer", answer=True)


@pytest.mark.parametrize("act", ["get", "acknowledge", "answer", "message", "escalate", "close"])
def test_an_agency_not_party_to_a_request_cannot_touch_it(
    world: Database, service: RequestService, act: str
) -> None:
    request_id = _send(world, service).id
    acts: dict[str, Callable[[UnitOfWork], object]] = {
        "get": lambda uow: service.get(uow, BE, request_id),
        "acknowledge": lambda uow: service.acknowledge(uow, BE, request_id),
        "answer": lambda uow: service.reply(uow, BE, request_id, "x", answer=True),
        "message": lambda uow: service.reply(uow, BE, request_id, "x"),
        "escalate": lambda uow: service.escalate(uow, BE, request_id),
        "close": lambda uow: service.close(uow, BE, request_id),
    }
    with world.unit_of_work() as uow, pytest.raises(NotFound, match="no request with this id"):
        acts[act](uow)
    with world.unit_of_work() as uow:
        assert service.list_requests(uow, BE, "received") == []
        assert service.list_requests(uow, BE, "sent") == []
        assert service.get(uow, FR, request_id).state == "sent"  # nothing changed


def test_roles_without_desk_work_cannot_send_or_read(
    world: Database, service: RequestService
) -> None:
    request_id = _send(world, service).id
    for role in (Role.ADMIN, Role.AUDITOR, Role.BORDER_OFFICER):
        with world.unit_of_work() as uow, pytest.raises(AccessDenied):
            service.get(uow, actor("FR-INT", role), request_id)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"to": "FR-INT", "who": FR}, "to"),  # to oneself
        ({"to": "XX-NOPE"}, "to"),
        ({"title": "  "}, "title"),
        ({"handling": HandlingCode.H3}, "handling"),
    ],
)
def test_bad_requests_say_which_field(
    world: Database, service: RequestService, bad: _Request, field: str
) -> None:
    with pytest.raises(InputError) as raised:
        _send(world, service, **bad)
    assert raised.value.problems[0].field == field


def test_asking_about_a_subject_one_cannot_read_is_not_found(
    world: Database, service: RequestService
) -> None:
    with pytest.raises(NotFound, match="no subject"):
        _send(world, service, who=TR, to="FR-INT", subject_id="s-own")
    with pytest.raises(NotFound, match="no subject"):
        _send(world, service, who=TR, to="FR-INT", subject_id="s-missing")


def test_the_receiver_sees_the_subject_only_as_the_sender_may_share_it(
    world: Database, service: RequestService
) -> None:
    # an analyst may read its own subject but not share it onward: the subject is withheld
    plain = _send(world, service, who=FR, to="TR-INT", subject_id="s-own")
    # a supervisor may share it onward: its shareable summary crosses
    supervisor = actor("FR-INT", Role.SUPERVISOR)
    shared = _send(world, service, who=supervisor, to="TR-INT", subject_id="s-own")
    # an H3 record never leaves its owner, whoever asks
    secret = _send(world, service, who=supervisor, to="TR-INT", subject_id="s-h3")
    with world.unit_of_work() as uow:
        seen_plain = service.get(uow, TR, plain.id)
        seen_shared = service.get(uow, TR, shared.id)
        seen_secret = service.get(uow, TR, secret.id)
        own_view = service.get(uow, FR, plain.id)
    assert seen_plain.subject_withheld and seen_plain.subject_id is None
    assert seen_plain.subject_summary is None
    assert seen_shared.subject_id == "s-own" and not seen_shared.subject_withheld
    assert seen_shared.subject_summary is not None
    assert "Karim Benyoussef" in seen_shared.subject_summary["names"]
    assert "Abu Yasin" in seen_shared.subject_summary["names"]  # H2: the owner may share it
    assert seen_secret.subject_withheld and seen_secret.subject_summary is None
    assert own_view.subject_id == "s-own"  # the sender reads its own subject


def test_a_subject_the_receiver_may_read_is_shown_by_id(
    world: Database, service: RequestService
) -> None:
    sent = _send(world, service, who=FR, to="TR-INT", subject_id="s-open")
    with world.unit_of_work() as uow:
        seen = service.get(uow, TR, sent.id)
    assert seen.subject_id == "s-open" and seen.subject_summary is None


def test_an_h3_note_stays_with_its_author(world: Database, service: RequestService) -> None:
    request_id = _send(world, service).id
    with world.unit_of_work() as uow:
        service.reply(uow, FR, request_id, "internal: ask the DGSI desk", HandlingCode.H3)
        service.reply(uow, FR, request_id, "We are checking.", HandlingCode.H2)
    with world.unit_of_work() as uow:
        mine = service.get(uow, FR, request_id)
        theirs = service.get(uow, TR, request_id)
        told = uow.connection.execute(select(outbox.c.kind).order_by(outbox.c.id)).scalars().all()
    assert [m.handling for m in mine.messages] == ["H1", "H3", "H2"]
    assert [m.body for m in theirs.messages] == ["Please advise.", "We are checking."]
    assert told == ["request", "request.message"]  # the note was not sent anywhere


def test_lists_of_received_sent_and_overdue(
    world: Database, service: RequestService, clock: ManualClock
) -> None:
    urgent = _send(world, service, priority=RequestPriority.URGENT).id
    clock.advance(minutes=1)
    normal = _send(world, service, priority=RequestPriority.NORMAL).id
    mine = _send(world, service, who=FR, to="TR-INT").id
    clock.advance(hours=13)
    with world.unit_of_work() as uow:
        received = service.list_requests(uow, FR, "received")
        sent = service.list_requests(uow, FR, "sent")
        overdue = service.list_requests(uow, FR, "received", overdue=True)
        on_time = service.list_requests(uow, FR, "received", overdue=False)
        acknowledged = service.list_requests(uow, FR, "received", RequestState.ACKNOWLEDGED)
    assert [r.id for r in received] == [urgent, normal]
    assert [r.id for r in sent] == [mine]
    assert [(r.id, r.overdue) for r in overdue] == [(urgent, True)]
    assert [r.id for r in on_time] == [normal]
    assert acknowledged == []


def test_a_partner_asking_about_a_resting_subject_brings_it_back_for_review(
    world: Database, service: RequestService
) -> None:
    with world.unit_of_work() as uow:
        subject = uow.subjects.get("s-open")
        assert subject is not None
        subject.status = SubjectStatus.DORMANT
        uow.subjects.upsert(subject)
    sent = _send(world, service, who=TR, to="FR-INT", subject_id="s-open")
    with world.unit_of_work() as uow:
        rows = uow.connection.execute(
            select(outbox.c.recipient, outbox.c.payload).where(outbox.c.kind == "review_task")
        ).all()
    assert [(r.recipient, r.payload["trigger"]) for r in rows] == [("FR-INT", "request")]
    assert sent.subject_id == "s-open"


@pytest.mark.parametrize("bad", ["\x00", "x" * 201, ""])
def test_ids_the_database_cannot_hold_are_simply_not_found(
    world: Database, service: RequestService, bad: str
) -> None:
    with world.unit_of_work() as uow, pytest.raises(NotFound):
        service.get(uow, FR, bad)
    with pytest.raises(NotFound):
        _send(world, service, subject_id=bad or "\x00")
    with pytest.raises(InputError):
        _send(world, service, to=bad)


def test_a_request_about_a_hit_shows_it_only_to_the_hit_s_recipients(
    world: Database, service: RequestService
) -> None:
    from watchlink.model import Hit, HitRecipient, HitRecipientRole

    with world.unit_of_work() as uow:
        recipients = [HitRecipient("FR-INT", HitRecipientRole.OWNER)]
        uow.hits.add(
            Hit("hit-1", "enc-1", "s-open", 0.93, ["names agree"], START, recipients=recipients)
        )
    sent = _send(world, service, who=FR, to="TR-INT", hit_id="hit-1")
    with world.unit_of_work() as uow:
        assert service.get(uow, FR, sent.id).hit_id == "hit-1"
        assert service.get(uow, TR, sent.id).hit_id is None
    with pytest.raises(NotFound, match="no hit"):
        _send(world, service, who=TR, to="FR-INT", hit_id="hit-1")


def test_lists_come_a_page_at_a_time(
    world: Database, service: RequestService, clock: ManualClock
) -> None:
    ids = []
    for _ in range(5):
        ids.append(_send(world, service).id)
        clock.advance(minutes=1)
    with world.unit_of_work() as uow:
        first = service.list_requests(uow, FR, "received", limit=2)
        last = service.list_requests(uow, FR, "received", limit=2, offset=4)
    assert [r.id for r in first] == ids[:2] and [r.id for r in last] == ids[4:]
    with world.unit_of_work() as uow, pytest.raises(InputError):
        service.list_requests(uow, FR, "received", limit=0)


def test_an_h2_subject_goes_onward_in_a_request_only_with_the_owners_consent(
    world: Database, trail: AuditTrail
) -> None:
    from factories import make_subject
    from watchlink.model import Distribution, Sharing
    from watchlink.services.consents import ConsentBook
    from watchlink.services.requests_sharing import subject_share

    h2 = Sharing(Distribution.ALL_PARTNERS, None, HandlingCode.H2)
    with world.unit_of_work() as uow:
        uow.subjects.upsert(make_subject(id="s-h2", sharing=h2))
    belgian = actor("BE-INT", Role.SUPERVISOR)
    with world.unit_of_work() as uow:
        before = subject_share(uow, trail.policy, belgian, "s-h2")
    assert before.summary == {}  # readable by Belgium, but not Belgium's to pass on
    ConsentBook(trail).grant(world.engine, actor("FR-INT", Role.SUPERVISOR), "s-h2", "BE-INT",
                             "joint investigation")  # fmt: skip
    with world.unit_of_work() as uow:
        after = subject_share(uow, trail.policy, belgian, "s-h2")
    assert after.summary and "Karim Benyoussef" in after.summary["names"]
