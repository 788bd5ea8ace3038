"""Search, the subject page and the audit view in headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from test_console_harness import Console, browser, console, desk, needs_chromium

__all__ = ["browser", "console"]  # fixtures imported for pytest

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.parametrize(
    "typed",
    ["Adnan Qassasi", "عدنان قصاصي", "KESSACI Adnane"],
    ids=["english-spelling", "arabic-script", "swapped-order"],
)
def test_search_finds_the_subject_through_the_matching_engine(
    browser: Any, console: Console, typed: str
) -> None:
    french = desk(browser, console, "fr.analyst")
    try:
        french.goto("/search")
        french.page.get_by_label("Name in any script, or document number").fill(typed)
        french.page.get_by_role("button", name="Search").click()
        french.page.wait_for_load_state()
        row = french.page.locator("table.results tr", has_text="Adnane Kessaci").first
        assert row.locator(".score").is_visible()  # scored by the engine, not text only
        if typed == "عدنان قصاصي":
            french.shot("search-arabic")
        assert not french.errors
    finally:
        french.close()


def test_search_keeps_the_french_only_brother_from_the_belgian(
    browser: Any, console: Console
) -> None:
    belgian = desk(browser, console, "be.analyst")
    try:
        belgian.goto("/search?q=Walid+Kessaci")
        found = belgian.page.locator("table.results a").all_inner_texts()
        assert "Adnane Kessaci" in found  # the search ran, and shows what Belgium may read
        assert "Walid Kessaci" not in found
        assert not belgian.errors
    finally:
        belgian.close()


def test_the_subject_page_shows_identity_monitoring_hits_and_the_map(
    browser: Any, console: Console
) -> None:
    story = console.demo.story
    french = desk(browser, console, "fr.analyst")
    try:
        french.goto(f"/subjects/{story.subject}")
        page = french.page
        assert page.locator("h1").inner_text() == "Adnane Kessaci"
        identity = page.locator("section", has=page.locator("#h-identity")).inner_text()
        assert "عدنان قصاصي" in identity and "FR-INT" in identity  # every script, provenance
        monitoring = page.locator("section", has=page.locator("#h-monitoring")).inner_text()
        assert "start" in monitoring
        hits = page.locator("section", has=page.locator("#h-hits")).inner_text()
        assert "%" in hits and "birth" in hits.lower()  # the score's explanation
        assert page.locator(".map path.marked").count() >= 2  # Turkey and Greece at least
        assert page.locator(".map line").count() >= 1
        asked = page.locator("section", has=page.locator("#h-requests")).inner_text()
        assert "known to you?" in asked and "overdue" in asked
        links = page.locator("section", has=page.locator("#h-links")).inner_text()
        assert "Walid Kessaci" in links
        french.shot("subject-fr-adnane")
        assert not french.errors
    finally:
        french.close()


def test_the_auditor_filters_the_trail_and_verifies_the_chain(
    browser: Any, console: Console
) -> None:
    story = console.demo.story
    french = desk(browser, console, "fr.analyst")
    french.goto(f"/subjects/{story.subject}")
    french.close()
    auditor = desk(browser, console, "auditor")
    try:
        page = auditor.page
        assert page.url.endswith("/audit")  # an auditor lands on the trail
        page.get_by_label("User").fill("fr.analyst")
        page.get_by_label("Subject or record id").fill(story.subject)
        page.get_by_role("button", name="Show lines").click()
        page.wait_for_load_state()
        rows = page.locator("table.audit tbody tr")
        assert rows.count() >= 1
        for i in range(rows.count()):
            assert "fr.analyst" in rows.nth(i).inner_text()
        auditor.shot("audit")
        page.get_by_role("button", name="Verify now").click()
        page.wait_for_load_state()
        assert page.locator("#verify-result").inner_text() == "Chain intact."
        assert not auditor.errors
    finally:
        auditor.close()


def test_the_audit_view_is_refused_to_an_analyst(browser: Any, console: Console) -> None:
    french = desk(browser, console, "fr.analyst")
    try:
        assert french.page.locator("nav a", has_text="Audit").count() == 0
        assert french.goto("/audit").status == 403
        french.expected_refusals(403, 1)
        assert not french.errors
    finally:
        french.close()


def test_france_resolves_the_brothers_review_with_a_decision(
    browser: Any, console: Console
) -> None:
    story = console.demo.story
    french = desk(browser, console, "fr.analyst")
    try:
        page = french.page
        french.goto("/reviews")
        queued = page.locator("#review-queue tbody tr", has_text=story.brother)
        assert "link" in queued.inner_text()
        french.shot("reviews")
        queued.get_by_role("link", name=story.brother).click()
        page.wait_for_load_state()
        monitoring = page.locator("section", has=page.locator("#h-monitoring"))
        assert "reopen for review" in monitoring.inner_text()
        task = page.locator("#reviews li").first
        assert "link" in task.inner_text()
        task.locator("summary", has_text="Resolve").click()
        task.get_by_label("What was made of the evidence").fill("Travelled with his brother")
        task.get_by_label("Decision").select_option("start")
        task.get_by_label("Level of concern").select_option(str(3))
        french.shot("subject-fr-walid-review")
        task.get_by_role("button", name="Resolve").click()
        page.wait_for_load_state()
        monitoring = page.locator("section", has=page.locator("#h-monitoring"))
        latest = monitoring.locator("ol.timeline li").first.inner_text()
        assert latest.startswith("start") and "in force" in latest
        assert "Travelled with his brother" in latest
        assert page.locator("#reviews").count() == 0
        assert "active" in page.locator(".subject-head").inner_text()
        french.goto("/reviews")
        assert page.locator("#review-queue tbody tr", has_text=story.brother).count() == 0
        assert not french.errors
    finally:
        french.close()
