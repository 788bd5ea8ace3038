"""The live inbox loses nothing when its stream is cut: on reconnecting it takes the hits
afresh from the server. Here the stream is cut for good (every connection the browser
opens is answered by an empty stream), so a hit reported meanwhile can only reach the
page through that catch-up."""

from __future__ import annotations

from typing import Any

import pytest

from test_console_harness import Console, browser, console, desk, needs_chromium

__all__ = ["browser", "console"]  # fixtures imported for pytest

pytestmark = [pytest.mark.browser, needs_chromium]

EMPTY_STREAM = {"status": 200, "content_type": "text/event-stream", "body": "retry: 200\n\n"}


def test_a_hit_reported_while_the_stream_is_cut_appears_after_reconnecting(
    browser: Any, console: Console
) -> None:
    belgian = desk(browser, console, "be.analyst")
    try:
        page = belgian.page
        reported: list[bool] = []

        def cut(route: Any) -> None:
            if not reported:  # the first reconnection: meanwhile, the hotel reports him
                console.report("be.police", console.demo.story.hotel)
                reported.append(True)
            route.fulfill(**EMPTY_STREAM)

        page.route("**/api/v1/hits/stream*", cut)
        belgian.goto("/")
        assert page.locator("article.hit", has_text="Kessaci").count() == 0
        page.evaluate("window.notReloaded = true")
        page.locator("article.hit", has_text="Adnane Kessaci").first.wait_for()
        assert page.evaluate("window.notReloaded") is True
        assert reported
        assert not belgian.errors
    finally:
        belgian.close()
