"""The demo story's encounters reported the way the desks report them: screened on arrival.

``watchlink demo`` loads the lists first, then has each reporting desk (the Greek border
officer, the Belgian police) report its encounters through the screening service, so the
hits are made, routed and queued for delivery exactly as in service: France and Belgium
find theirs in the console's inbox, the Greek officer a blind one.
"""

from __future__ import annotations

from collections import defaultdict

from watchlink.access import Actor
from watchlink.model import Encounter
from watchlink.services.access_wiring import load_policy
from watchlink.services.audit import AuditTrail
from watchlink.services.screening import ScreeningService
from watchlink.settings import Settings, get_settings
from watchlink.store import Database
from watchlink.world.demo import DemoWorld

__all__ = ["report_demo_encounters"]


def _reporter(database: Database, demo: DemoWorld, agency: str) -> Actor:
    """The demo login of the reporting agency, as the actor who reports."""
    user = next(u for u in demo.users if u.agency == agency)
    with database.unit_of_work() as uow:
        found = uow.agencies.get(agency)
        if found is None:
            raise LookupError(f"the demo has no agency {agency}")
        groups = frozenset(uow.agencies.groups_of(agency))
    return Actor(user.username, agency, found.country, frozenset({user.role}), groups)


def report_demo_encounters(
    database: Database, demo: DemoWorld, settings: Settings | None = None
) -> int:
    """Screen the story's encounters, each desk's in its own transaction; returns the hits."""
    settings = settings or get_settings()
    trail = AuditTrail.from_settings(settings, load_policy(settings))
    trail.ensure_head(database.engine)
    screening = ScreeningService(trail, settings.screening_threshold)
    by_desk: dict[str, list[Encounter]] = defaultdict(list)
    for encounter in demo.encounters:
        by_desk[encounter.agency].append(encounter)
    hits = 0
    for agency, encounters in by_desk.items():
        reporter = _reporter(database, demo, agency)
        with database.unit_of_work() as uow:
            for result in screening.screen_batch(uow, reporter, encounters):
                hits += len(result.hits)
    return hits
