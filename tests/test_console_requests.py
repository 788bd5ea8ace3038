"""Requests and partners in headless Chromium: France's silence on the Turkish request is
visible to partners, then France answers it in place and Turkey closes it."""

from __future__ import annotations

from typing import Any

import pytest

from test_console_harness import Console, browser, console, desk, needs_chromium

__all__ = ["browser", "console"]  # fixtures imported for pytest

pytestmark = [pytest.mark.browser, needs_chromium]


def test_partners_see_france_silent_on_an_overdue_request(browser: Any, console: Console) -> None:
    turkish = desk(browser, console, "tr.liaison")
    try:
        turkish.goto("/partners")
        row = turkish.page.locator("#responsiveness tr", has_text="FR-INT")
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == "1" and cells[-1] == "1"  # received one, one open and overdue
        assert turkish.page.locator(".chart rect.bar-open").count() == 1
        pair = turkish.page.locator("#pairs tr", has_text="TR-INT").inner_text()
        assert "FR-INT" in pair
        turkish.shot("partners")
        assert not turkish.errors
    finally:
        turkish.close()


def test_france_answers_the_overdue_turkish_request_and_turkey_reads_the_answer(
    browser: Any, console: Console
) -> None:
    request_id = console.demo.story.turkish_request
    french = desk(browser, console, "fr.analyst")
    try:
        french.goto("/requests")
        card = french.page.locator(f"#req-{request_id}")
        text = card.inner_text()
        assert "TR-INT → FR-INT" in text and "overdue" in text
        assert card.locator(".clock.late").is_visible()
        french.shot("requests-fr")
        card.get_by_label("Answer").fill("Known to us; under discreet check. Details follow.")
        card.get_by_role("button", name="Send answer").click()
        french.page.wait_for_load_state()
        card = french.page.locator(f"#req-{request_id}")
        assert card.get_attribute("data-state") == "answered"
        assert "Known to us" in card.inner_text()
        assert not french.errors
    finally:
        french.close()
    turkish = desk(browser, console, "tr.liaison")
    try:
        turkish.goto("/requests?box=sent")
        card = turkish.page.locator(f"#req-{request_id}")
        assert "Known to us" in card.inner_text()
        card.get_by_role("button", name="Close").click()
        turkish.page.wait_for_load_state()
        assert turkish.page.locator(f"#req-{request_id}").get_attribute("data-state") == "closed"
        assert not turkish.errors
    finally:
        turkish.close()


def test_a_third_agency_does_not_see_the_request(browser: Any, console: Console) -> None:
    belgian = desk(browser, console, "be.analyst")
    try:
        for box in ("received", "sent"):
            belgian.goto(f"/requests?box={box}")
            assert console.demo.story.turkish_request not in belgian.page.content()
        assert not belgian.errors
    finally:
        belgian.close()
