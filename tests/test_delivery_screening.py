"""Screening's hits, delivered: every recipient once, the blind one told ids only.

The screening service writes the hit and one outbox row per recipient in the
encounter's transaction; the dispatcher takes them from there, on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from delivery_support import Receiver, receiver
from screening_support import NOW, Desk, actor, add_agencies
from watchlink.model import (
    Encounter,
    EncounterKind,
    IdentityDocument,
    Name,
    PartialDate,
    PresentedPerson,
    Role,
    Subject,
)
from watchlink.services.delivery import Dispatcher
from watchlink.services.delivery_http import HttpxSender
from watchlink.services.delivery_secrets import SecretBox
from watchlink.services.webhooks import WebhookService
from watchlink.store.tables_casework import hit_recipients


@pytest.fixture
def desk(database: Any, tmp_path: Path) -> Desk:
    add_agencies(database, ("FR-INT", "FR"), ("GR-BOR", "GR"))
    return Desk(database, tmp_path)


@pytest.fixture
def endpoints(desk: Desk) -> Iterator[dict[str, Receiver]]:
    made = {
        agency: receiver(now=lambda: desk.clock.now().timestamp())
        for agency in ("FR-INT", "GR-BOR")
    }
    yield {agency: next(serving) for agency, serving in made.items()}
    for serving in made.values():
        serving.close()


def test_a_screened_hit_reaches_owner_and_blind_reporter_once_each(
    desk: Desk, endpoints: dict[str, Receiver], tmp_path: Path
) -> None:
    box = SecretBox.load_or_create(tmp_path / "keys" / "webhook-secrets.key")
    webhooks = WebhookService(desk.trail, box, desk.clock)
    with desk.database.engine.begin() as conn:
        for agency, hooks in endpoints.items():
            hooks.secret = webhooks.create(conn, None, agency, hooks.url).secret
    subject = Subject(
        id="fr-int-0001", agency="FR-INT", names=[Name("Octave Brumairel")],
        documents=[IdentityDocument("QX7730021", country="FR")],
    )  # fmt: skip
    with desk.database.unit_of_work() as uow:
        uow.subjects.upsert(subject)
    desk.screening.add(subject)
    border = actor(desk.database, "gr.officer", "GR-BOR", Role.BORDER_OFFICER)
    crossing = Encounter(
        id="gr-enc-1", kind=EncounterKind.BORDER_ENTRY, agency="GR-BOR", occurred_at=NOW,
        country="GR", person=PresentedPerson(["Octave Brumairel"], birth_date=PartialDate(1979)),
        document=IdentityDocument("QX7730021", country="FR"),
    )  # fmt: skip
    with desk.database.unit_of_work() as uow:
        (result,) = desk.screening.screen_batch(uow, border, [crossing])
    (screened,) = result.hits
    dispatcher = Dispatcher(desk.database.engine, HttpxSender(5), box, clock=desk.clock)

    report = dispatcher.run_once()
    again = dispatcher.run_once()

    assert (report.routed, report.accepted, again.sent) == (2, 2, 0)
    owner, reporter = endpoints["FR-INT"].requests, endpoints["GR-BOR"].requests
    assert len(owner) == len(reporter) == 1 and owner[0].signed and reporter[0].signed
    assert owner[0].body["data"] == {
        "hit_id": screened.hit.id, "encounter_id": "gr-enc-1", "role": "owner", "blind": False,
    }  # fmt: skip
    assert reporter[0].body["data"]["blind"] is True
    assert "Octave" not in str(reporter[0].body) and "fr-int-0001" not in str(reporter[0].body)
    with desk.database.engine.connect() as conn:
        marked = conn.execute(select(hit_recipients.c.agency, hit_recipients.c.delivered_at))
        assert dict(marked.all()) == {"FR-INT": NOW, "GR-BOR": NOW}
