"""The console's own logic without a browser: urgency order, chart, map, form tokens,
safe redirects, static files, and the login/CSRF/redirect rules over HTTP on both
databases."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factories import make_encounter, make_subject
from watchlink.errors import AccessDenied, NotFound
from watchlink.model import ActionOnHit, ConcernLevel, HitState
from watchlink.services.hit_views import HitView
from watchlink.services.responsiveness import ResponsivenessRow
from watchlink.web.assets import read_static
from watchlink.web.geo import map_view
from watchlink.web.inbox import HitRow, urgency
from watchlink.web.pages import safe_next
from watchlink.web.partners import CHART_WIDTH, chart_bars
from watchlink.web.session import Console

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def _row(
    name: str,
    action: ActionOnHit,
    concern: ConcernLevel | None,
    minutes_ago: int,
    state: HitState = HitState.NEW,
) -> HitRow:
    subject = None if concern is None else make_subject(id=name, concern=concern)
    view = HitView(
        id=name, reference=f"H-{name}", blind=subject is None, role=None, state=state,
        created_at=T0 - timedelta(minutes=minutes_ago), action=action,
        contact_agency="FR-INT", notice="", subject=subject,
    )  # fmt: skip
    return HitRow(view, None)


def test_the_inbox_puts_open_hits_first_then_action_then_concern_then_freshness() -> None:
    rows = [
        _row("judged-arrest", ActionOnHit.ARREST, ConcernLevel.CRITICAL, 1, HitState.CONFIRMED),
        _row("notify-new", ActionOnHit.NOTIFY_ONLY, ConcernLevel.CRITICAL, 0),
        _row("discreet-high-old", ActionOnHit.DISCREET_CHECK, ConcernLevel.HIGH, 90),
        _row("discreet-high-new", ActionOnHit.DISCREET_CHECK, ConcernLevel.HIGH, 5),
        _row("discreet-low", ActionOnHit.DISCREET_CHECK, ConcernLevel.LOW, 1),
        _row("blind-refuse", ActionOnHit.REFUSE_ENTRY, None, 300, HitState.ACKNOWLEDGED),
    ]
    ordered = [r.view.id for r in sorted(rows, key=urgency)]
    assert ordered == [
        "blind-refuse",
        "discreet-high-new",
        "discreet-high-old",
        "discreet-low",
        "notify-new",
        "judged-arrest",
    ]


def test_chart_bars_stack_outcomes_scaled_to_the_busiest_agency() -> None:
    busy = ResponsivenessRow("FR-INT", None, 10, 6, 4, 3, 20.0, 70.0)
    quiet = ResponsivenessRow("BE-INT", None, 5, 5, 5, 0, 2.0, 3.0)
    fr, be = chart_bars([quiet, busy])  # the agency with overdue requests first
    assert fr.agency == "FR-INT" and be.agency == "BE-INT"
    assert [(s.kind, s.count) for s in fr.segments] == [
        ("ontime", 4), ("late", 2), ("open", 3), ("waiting", 1),
    ]  # fmt: skip
    assert sum(s.width for s in fr.segments) == pytest.approx(CHART_WIDTH)
    assert sum(s.width for s in be.segments) == pytest.approx(CHART_WIDTH / 2)
    assert chart_bars([]) == []


def test_the_map_marks_the_countries_crossed_and_zooms_to_them() -> None:
    shown = map_view(["GR"], [("TR", "GR", "landing"), ("GR", "BE", "onward"), ("XX", "GR", "")])
    assert shown.marked == {"GR", "TR", "BE"}
    assert len(shown.journeys) == 2
    assert shown.off_map == ["XX"]
    x, y, w, h = shown.view
    assert x >= 0 and y >= 0 and x + w <= shown.width and y + h <= shown.height
    assert w < shown.width  # zoomed in
    assert map_view([], []).view == (0, 0, shown.width, shown.height)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/subjects/x?y=1", "/subjects/x?y=1"),
        (None, "/"),
        ("https://elsewhere.example/", "/"),
        ("//elsewhere.example/", "/"),
        ("/\\elsewhere.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_after_login_the_console_only_goes_to_its_own_pages(
    target: str | None, expected: str
) -> None:
    assert safe_next(target) == expected


def test_a_form_token_is_bound_to_the_browser_cookie_and_the_key() -> None:
    mine = Console(None, b"key", "seed-" * 8)
    mine.check(mine.csrf)
    for forged in (None, "", Console(None, b"other", "seed-" * 8).csrf, mine.csrf[:-1] + "0"):
        with pytest.raises(AccessDenied):
            mine.check(forged)
    fresh = Console(None, b"key", "seed-" * 8, new_seed=True)  # no cookie came with the form
    with pytest.raises(AccessDenied):
        fresh.check(fresh.csrf)


@pytest.mark.parametrize("name", ["../templates/base.html", "nothing.css", "map.svg/"])
def test_only_shipped_static_files_are_served(name: str) -> None:
    with pytest.raises(NotFound):
        read_static(name)
    assert read_static("map.svg").startswith(b"<svg")


@pytest.fixture
def client(database: Any, tmp_path: Path) -> Any:
    from watchlink.api.app import create_app
    from watchlink.services.access_wiring import AccessContext
    from watchlink.settings import Settings
    from watchlink.world.agencies import AGENCIES

    settings = Settings(environment="test", home=tmp_path, database_url=database.url)
    with database.unit_of_work() as uow:
        uow.agencies.upsert(dataclasses.replace(AGENCIES[0]))
        uow.subjects.upsert(make_subject(id="fr-int-1"))
        uow.encounters.add(make_encounter())
    access = AccessContext.from_settings(settings, engine=database.engine)
    with database.engine.begin() as conn:
        access.auth.add_user(conn, None, "fr.desk", "FR-INT", ["analyst"], "a-long-password")
    with TestClient(create_app(settings), base_url="https://testserver") as opened:
        yield opened


def _token(page: str) -> str:
    marker = 'name="csrf" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_pages_need_a_session_and_forms_need_their_token(client: Any) -> None:
    first = client.get("/subjects/fr-int-1", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=%2Fsubjects%2Ffr-int-1"
    form = client.get("/login")
    assert "script-src 'self'" in form.headers["content-security-policy"]
    forged = client.post(
        "/login", data={"username": "fr.desk", "password": "a-long-password", "csrf": "x"}
    )
    assert forged.status_code == 403
    wrong = client.post(
        "/login",
        data={"username": "fr.desk", "password": "wrong-password", "csrf": _token(form.text)},
    )
    assert wrong.status_code == 200 and "wrong username or password" in wrong.text
    done = client.post(
        "/login",
        data={"username": "fr.desk", "password": "a-long-password", "csrf": _token(form.text),
              "next": "/subjects/fr-int-1"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/subjects/fr-int-1"
    subject = client.get("/subjects/fr-int-1")
    assert subject.status_code == 200 and "Karim Benyoussef" in subject.text
    assert client.get("/subjects/fr-int-404").status_code == 404
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    client.post("/logout", data={"csrf": _token(subject.text)})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_the_rank_string_sorts_like_the_urgency_key() -> None:
    rows = [
        _row("a", ActionOnHit.ARREST, ConcernLevel.CRITICAL, 1, HitState.CONFIRMED),
        _row("b", ActionOnHit.NOTIFY_ONLY, ConcernLevel.LOW, 0),
        _row("c", ActionOnHit.DISCREET_CHECK, ConcernLevel.HIGH, 90),
        _row("d", ActionOnHit.DISCREET_CHECK, ConcernLevel.HIGH, 5),
        _row("e", ActionOnHit.REFUSE_ENTRY, None, 300),
    ]
    assert sorted(rows, key=lambda r: r.rank) == sorted(rows, key=urgency)
    assert len({len(r.rank) for r in rows}) == 1


def test_the_console_package_exports_its_routers_and_every_module_says_what_it_exports() -> None:
    import importlib
    import pkgutil

    import watchlink.web as web

    assert web.__all__ == ["ROUTERS"]
    for info in pkgutil.iter_modules(web.__path__):
        module = importlib.import_module(f"watchlink.web.{info.name}")
        assert isinstance(module.__all__, list), info.name
        assert all(hasattr(module, name) for name in module.__all__), info.name


def test_every_console_page_is_left_out_of_the_api_schema(tmp_path: Path) -> None:
    import watchlink.web as web
    from watchlink.api.app import create_app
    from watchlink.settings import Settings

    assert all(router.include_in_schema is False for router in web.ROUTERS)
    paths = create_app(Settings(environment="test", home=tmp_path)).openapi()["paths"]
    console = {"/", "/login", "/logout", "/search", "/requests", "/partners", "/audit"}
    assert not console & set(paths)


def _console_login(client: Any, user: str, password: str) -> None:
    form = client.get("/login")
    done = client.post(
        "/login",
        data={"username": user, "password": password, "csrf": _token(form.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text


def test_the_audit_page_refuses_a_non_auditor_and_logs_an_auditors_reading(client: Any) -> None:
    from sqlalchemy import select

    from watchlink.store.tables_access import audit_events

    access = client.app.state.access
    with access.engine.begin() as conn:
        access.auth.add_user(conn, None, "fr.audit", "FR-INT", ["auditor"], "a-long-password")
        before = conn.execute(select(audit_events.c.seq).order_by(audit_events.c.seq)).all()
    _console_login(client, "fr.desk", "a-long-password")
    assert client.get("/audit").status_code == 403
    client.cookies.clear()
    _console_login(client, "fr.audit", "a-long-password")
    shown = client.get("/audit", params={"user": "fr.desk"})
    assert shown.status_code == 200
    with access.engine.connect() as conn:
        lines = conn.execute(select(audit_events).order_by(audit_events.c.seq)).all()
    assert all(line.actor != "fr.desk" or line.action != "audit_read" for line in lines)
    reading = lines[-1]
    assert (reading.actor, reading.action) == ("fr.audit", "audit_read")
    desk_lines = [str(line.seq) for line in lines[len(before) :] if line.actor == "fr.desk"]
    assert desk_lines and sorted(json.loads(reading.records)) == sorted(desk_lines)
    assert "user='fr.desk'" in reading.query


def test_the_request_forms_answer_with_the_thread_or_the_failure_page(client: Any) -> None:
    from watchlink.store import UnitOfWork
    from watchlink.world.agencies import AGENCIES

    partner = dataclasses.replace(AGENCIES[1])
    with UnitOfWork(client.app.state.access.engine) as uow:
        uow.agencies.upsert(partner)
    _console_login(client, "fr.desk", "a-long-password")
    listing = client.get("/requests", params={"box": "sent"})
    assert listing.status_code == 200
    form = {"csrf": _token(listing.text), "to_agency": partner.code,
            "title": "Travel history", "body": "Crossings since 2024?"}  # fmt: skip
    assert client.post("/requests", data={**form, "csrf": "forged"}).status_code == 403
    unknown = client.post("/requests", data={**form, "to_agency": "XX-NONE"})
    assert unknown.status_code == 422 and "Not possible" in unknown.text
    sent = client.post("/requests", data=form, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith(
        "/requests?box=sent#req-"
    )
    request_id = sent.headers["location"].split("#req-")[1]
    step = {"csrf": form["csrf"], "box": "sent"}
    refused = client.post(f"/requests/{request_id}/acknowledge", data=step)
    assert refused.status_code == 403 and "Not possible" in refused.text  # the receiver's step
    done = client.post(f"/requests/{request_id}/withdraw", data=step, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/requests?box=sent#req-{request_id}"
    assert client.post("/requests/unknown/close", data=step).status_code == 404
