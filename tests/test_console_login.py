"""The console's login, navigation and need-to-know, in headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from test_console_harness import Console, Desk, browser, console, desk, needs_chromium

__all__ = ["browser", "console"]  # fixtures imported for pytest

pytestmark = [pytest.mark.browser, needs_chromium]


def test_login_form_refuses_a_wrong_password_and_admits_the_right_one(
    browser: Any, console: Console
) -> None:
    opened = Desk(browser, console)
    try:
        opened.goto("/")
        assert "/login" in opened.page.url  # the inbox sends strangers to the login form
        opened.page.fill("#username", "fr.analyst")
        opened.page.fill("#password", "not-the-password")
        opened.page.click("button[type=submit]")
        assert opened.page.locator("#login-error").is_visible()
        opened.shot("login")
        opened.login("fr.analyst", "demo-fr-analyst")
        assert opened.page.url.rstrip("/") == console.base
        assert "FR-INT" in opened.page.locator("header .who").inner_text()
        opened.page.click("header .who button")  # log out
        opened.page.wait_for_load_state()
        assert "/login" in opened.page.url
        opened.goto("/")
        assert "/login" in opened.page.url
        assert not opened.errors
    finally:
        opened.close()


def test_a_post_without_the_form_token_is_refused(browser: Any, console: Console) -> None:
    opened = desk(browser, console, "fr.analyst")
    try:
        response = opened.page.request.post(
            console.base + "/logout", form={"csrf": "forged"}, max_redirects=0
        )
        assert response.status == 403
        opened.goto("/")  # still logged in
        assert "/login" not in opened.page.url
    finally:
        opened.close()


def test_each_analyst_sees_own_restricted_subjects_and_not_the_others(
    browser: Any, console: Console
) -> None:
    story = console.demo.story
    french = desk(browser, console, "fr.analyst")
    belgian = desk(browser, console, "be.analyst")
    try:
        french.goto(f"/subjects/{story.brother}")  # FR-INT only: own agency distribution
        assert french.page.locator("h1").inner_text() == "Walid Kessaci"
        french.shot("subject-fr-walid")
        response = belgian.goto(f"/subjects/{story.brother}")
        assert response.status == 404
        assert "Walid" not in belgian.page.content()
        belgian.goto("/search?q=Kessaci")
        results = belgian.page.locator("table.results").inner_text()
        assert "Adnane Kessaci" in results  # shared with the CT partner group
        assert "Walid Kessaci" not in results
        french.goto("/search?q=Kessaci")
        assert "Walid Kessaci" in french.page.locator("table.results").inner_text()
        belgian_only = _own_agency_subject(console, "BE-INT")
        if belgian_only is not None:
            assert belgian.goto(f"/subjects/{belgian_only}").status == 200
            assert french.goto(f"/subjects/{belgian_only}").status == 404
        french.expected_refusals(404, 0 if belgian_only is None else 1)
        belgian.expected_refusals(404, 1)
        assert not french.errors and not belgian.errors
    finally:
        french.close()
        belgian.close()


def _own_agency_subject(console: Console, agency: str) -> str | None:
    """A synthetic subject shared with its own agency only, if the demo made one."""
    from sqlalchemy import create_engine, select

    from watchlink.store import tables as t

    engine = create_engine(console.database_url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                select(t.subjects.c.id)
                .where(t.subjects.c.agency == agency, t.subjects.c.distribution == "own_agency")
                .limit(1)
            ).scalar_one_or_none()
    finally:
        engine.dispose()
    return None if found is None else str(found)
