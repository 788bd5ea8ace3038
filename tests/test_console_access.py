"""Keyboard use, labels and narrow screens, on every console page, in headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from test_console_harness import Console, Desk, browser, console, desk, needs_chromium

__all__ = ["browser", "console"]  # fixtures imported for pytest

pytestmark = [pytest.mark.browser, needs_chromium]

PAGES = ["/", "/search?q=Kessaci", "/subjects/{subject}", "/requests", "/partners", "/reviews"]

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label'))
  .map(e => e.outerHTML)"""


DUPLICATE_IDS = """() => { const seen = new Set(), twice = [];
  for (const e of document.querySelectorAll('[id]')) {
    if (seen.has(e.id)) twice.push(e.id);
    seen.add(e.id);
  }
  return twice; }"""


def _path(console: Console, template: str) -> str:
    return template.format(subject=console.demo.story.subject)


def test_the_skip_link_comes_first_and_focus_is_visible(browser: Any, console: Console) -> None:
    french = desk(browser, console, "fr.analyst")
    try:
        page = french.page
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")  # onwards into the page, never trapped
        assert page.evaluate("document.activeElement.tagName") in ("A", "INPUT", "BUTTON")
        assert not french.errors
    finally:
        french.close()


@pytest.mark.parametrize("template", PAGES)
def test_every_control_has_a_label_it_fits_1280_and_nothing_logs_errors(
    browser: Any, console: Console, template: str
) -> None:
    french = desk(browser, console, "fr.analyst")
    try:
        french.goto(_path(console, template))
        assert french.page.evaluate(UNLABELLED) == []
        assert french.page.evaluate(DUPLICATE_IDS) == []
        assert french.page.evaluate("document.documentElement.scrollWidth") <= 1280
        assert french.page.locator("h1").count() == 1
        assert not french.errors
    finally:
        french.close()


@pytest.mark.parametrize("template", PAGES)
def test_pages_fit_a_phone_screen(browser: Any, console: Console, template: str) -> None:
    narrow = desk(browser, console, "fr.analyst", width=390, height=844)
    try:
        narrow.goto(_path(console, template))
        assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 390
        name = template.strip("/").split("?")[0].split("/")[0] or "inbox"
        narrow.shot(f"narrow-{name}")
        assert not narrow.errors
    finally:
        narrow.close()


def test_the_login_and_audit_pages_label_their_controls(browser: Any, console: Console) -> None:
    stranger = Desk(browser, console)
    auditor = desk(browser, console, "auditor")
    try:
        stranger.goto("/login")
        auditor.goto("/audit?user=fr.analyst")
        for opened in (stranger, auditor):
            assert opened.page.evaluate(UNLABELLED) == []
            assert opened.page.evaluate(DUPLICATE_IDS) == []
            assert not opened.errors
    finally:
        stranger.close()
        auditor.close()
