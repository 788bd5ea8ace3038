"""Listing a person from the console, in headless Chromium: the French analyst fills the
new-subject form and the person is screened at once; a bad value is named beside the form,
what was typed kept, nothing listed; a border officer's role gets no form."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from test_console_harness import Console, browser, console, desk, needs_chromium

__all__ = ["browser", "console"]  # fixtures imported for pytest

pytestmark = [pytest.mark.browser, needs_chromium]


def test_an_analyst_lists_a_person_and_the_next_crossing_hits_him(
    browser: Any, console: Console
) -> None:
    french = desk(browser, console, "fr.analyst")
    try:
        french.goto("/")
        french.page.get_by_role("link", name="New subject").click()
        french.page.wait_for_load_state()
        assert french.page.locator("#id").input_value() == "fr-int-"
        french.page.fill("#id", "fr-int-form-0001")
        french.page.fill("#names", "Octave Brumairel\nОктав Брюмерель")
        french.page.fill("#birth_dates", "1979-03-14")
        french.page.fill("#nationalities", "fr, be")
        french.page.select_option("#gender", "male")
        french.page.fill("#document_number", "QX7730021")
        french.page.fill("#document_country", "FR")
        french.page.select_option("#document_status", "stolen")
        french.page.fill("#legal_basis", "Fictional act, article 3")
        french.page.get_by_role("button", name="List this person").click()
        french.page.wait_for_load_state()
        assert french.page.url.endswith("/subjects/fr-int-form-0001")
        text = french.page.locator("main").inner_text()
        assert "Octave Brumairel" in text and "1979-03-14" in text and "QX7730021" in text
        french.shot("subject-new")
        assert not french.errors
    finally:
        french.close()
    token = console.tokens["gr.border"]  # the Greek border officer's desk
    crossing = {
        "kind": "border_entry",
        "occurred_at": "2026-11-29T10:00:00Z",
        "country": "GR",
        "person": {"names": ["Yannis Petridis"]},  # another name, on the stolen passport
        "document": {"number": "QX7730021", "country": "FR"},
    }
    answer = httpx.post(
        f"{console.base}/api/v1/encounters",
        json=crossing,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 201, answer.text
    [hit] = answer.json()["hits"]
    assert hit["blind"] is True and hit["contact_agency"] == "FR-INT"


def test_a_bad_value_is_named_beside_the_form_and_nothing_is_listed(
    browser: Any, console: Console
) -> None:
    french = desk(browser, console, "fr.analyst")
    try:
        french.goto("/subjects/new")
        french.page.fill("#id", "fr-int-form-0002")
        french.page.fill("#names", "Leontine Varagnac")
        french.page.fill("#birth_dates", "1981-13-40")
        french.page.get_by_role("button", name="List this person").click()
        french.page.wait_for_load_state()
        problems = french.page.locator("ul.problems").inner_text()
        assert "birth_dates" in problems and "1981-13-40" in problems
        assert french.page.locator("#names").input_value() == "Leontine Varagnac"
        french.shot("subject-new-problems")
        french.expected_refusals(422, 1)
        french.goto("/subjects/fr-int-form-0002")
        assert "Leontine" not in french.page.locator("main").inner_text()
        french.expected_refusals(404, 1)
        assert not french.errors
    finally:
        french.close()


def test_a_border_officer_has_no_form_to_list_anyone(browser: Any, console: Console) -> None:
    greek = desk(browser, console, "gr.border")
    try:
        greek.goto("/")
        assert greek.page.get_by_role("link", name="New subject").count() == 0
        response = greek.goto("/subjects/new")
        assert response.status == 403
        assert greek.page.locator("form.subject-form").count() == 0
        greek.expected_refusals(403, 1)
        assert not greek.errors
    finally:
        greek.close()
