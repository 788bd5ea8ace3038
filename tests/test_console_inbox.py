"""The inbox in headless Chromium: each desk's hits, blind hits, acting on a hit in place,
and a new hit arriving live over the stream."""

from __future__ import annotations

from typing import Any

import pytest

from test_console_harness import Console, browser, console, desk, needs_chromium

__all__ = ["browser", "console"]  # fixtures imported for pytest

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_french_analyst_sees_the_landing_hit_and_acts_on_it(
    browser: Any, console: Console
) -> None:
    french = desk(browser, console, "fr.analyst")
    try:
        cards = french.page.locator("article.hit")
        assert cards.count() >= 1
        card = french.page.locator("article.hit", has_text="Adnane Kessaci").first
        assert card.is_visible()
        assert "discreet check" in card.inner_text()
        french.shot("inbox-fr")
        card.get_by_label("Action taken (optional)").fill("Surveillance team told")
        card.get_by_role("button", name="Acknowledge").click()
        french.page.wait_for_load_state()
        card = french.page.locator("article.hit", has_text="Adnane Kessaci").first
        assert card.get_attribute("data-state") == "acknowledged"
        card.get_by_label("Reason").fill("Same date of birth once day and month are swapped")
        card.get_by_role("button", name="Confirm: same person").click()
        french.page.wait_for_load_state()
        card = french.page.locator("article.hit", has_text="Adnane Kessaci").first
        assert card.get_attribute("data-state") == "confirmed"
        card.locator("summary", has_text="review").click()
        assert "Surveillance team told" in card.inner_text()
        assert not french.errors
    finally:
        french.close()


def test_the_greek_border_officer_sees_a_blind_hit_and_nothing_of_the_subject(
    browser: Any, console: Console
) -> None:
    greek = desk(browser, console, "gr.border")
    try:
        assert greek.page.locator("article.hit:not(.blind)").count() == 0
        assert greek.page.locator("nav a", has_text="Search").count() == 0  # reads no subject
        card = greek.page.locator("article.hit.blind", has_text="contact FR-INT").first
        assert card.is_visible()
        text = card.inner_text()
        assert "Blind hit" in text and "discreet check" in text
        assert card.get_by_role("button", name="Confirm: same person").count() == 0
        page = greek.page.content()
        for secret in ("Kessaci", "Adnane", console.demo.story.subject, "19FR52817"):
            assert secret not in page
        greek.shot("inbox-gr-blind")
        card.get_by_role("button", name="Acknowledge").click()
        greek.page.wait_for_load_state()
        card = greek.page.locator("article.hit.blind", has_text="contact FR-INT").first
        assert card.get_attribute("data-state") == "acknowledged"
        assert not greek.errors
    finally:
        greek.close()


def test_the_belgian_analyst_sees_the_hotel_hit_arrive_live_without_a_reload(
    browser: Any, console: Console
) -> None:
    belgian = desk(browser, console, "be.analyst")
    try:
        page = belgian.page
        assert page.locator("article.hit", has_text="Kessaci").count() == 0
        page.wait_for_selector("#live-status:has-text('Live')")  # the stream is open
        page.evaluate("window.notReloaded = true")
        console.report("be.police", console.demo.story.hotel)  # Belgian police, Charleroi
        card = page.locator("article.hit.fresh", has_text="Adnane Kessaci").first
        card.wait_for()  # inserted from the stream
        assert page.evaluate("window.notReloaded") is True
        assert "hotel registration" in card.inner_text()
        assert "received as destination" in card.inner_text()
        ranks = [c.get_attribute("data-rank") for c in page.locator("article.hit").all()]
        assert ranks == sorted(ranks)  # live hits take their place in urgency order
        assert "Walid" not in belgian.page.content()
        belgian.shot("inbox-be")
        assert not belgian.errors
    finally:
        belgian.close()
