"""The console's browser-test harness: a real server on a demo world, and headless Chromium.

No tests here: fixtures for ``tests/test_console_*.py``. ``console`` starts uvicorn in
a thread on a free port, over a fresh SQLite database holding the demo world (with a
small synthetic bulk) whose Leros landing has been reported by the Greek border officer
(so France holds a hit and Greece a blind one), and a co-travel link has put the closed
file of the subject's brother back before France for review; the Belgian hotel registration is left
for a test to report over HTTP (``report``). ``browser`` is Debian's Chromium driven by
Playwright. Without
``/usr/bin/chromium`` every browser test is skipped, saying how to install it.
Screenshots go to ``var/screenshots/`` (not committed).
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SYNTHETIC_SUBJECTS = 300

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="the browser tests need Debian's Chromium: run scripts/install-chromium.sh as root",
)


@dataclass
class Console:
    """A served console: its base URL, database URL, app and demo world."""

    base: str
    database_url: str
    app: Any
    demo: Any
    tokens: dict[str, str] = field(default_factory=dict)

    def report(self, username: str, encounter_id: str) -> dict[str, Any]:
        """Report one of the demo's encounters over HTTP as ``username``'s desk."""
        import httpx

        from watchlink.services.world import encounter_to_json

        encounter = next(e for e in self.demo.encounters if e.id == encounter_id)
        body = encounter_to_json(encounter)
        body.pop("agency")
        body.pop("id")  # the server names it in the reporting agency's namespace
        body["occurred_at"] = encounter.occurred_at.replace(tzinfo=None).isoformat()
        response = httpx.post(
            f"{self.base}/api/v1/encounters",
            json=body,
            headers={"Authorization": f"Bearer {self.tokens[username]}"},
            timeout=30,
        )
        assert response.status_code in (200, 201), response.text
        found: dict[str, Any] = response.json()
        return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """The console served over a fresh SQLite database holding the demo world."""
    if not CHROMIUM.exists():
        pytest.skip("the browser tests need Debian's Chromium: run scripts/install-chromium.sh")
    import uvicorn

    from watchlink.api.app import create_app
    from watchlink.services.world import load_demo
    from watchlink.settings import Settings, get_settings
    from watchlink.store import Database
    from watchlink.world.demo import demo_world

    home = tmp_path_factory.mktemp("console-home")
    url = f"sqlite:///{home / 'watchlink.db'}"
    # The process settings name the same home and database as the app's, as `watchlink
    # serve` has them: services that read them (scheduled jobs) sign with the same key.
    environment = pytest.MonkeyPatch()
    environment.setenv("WATCHLINK_HOME", str(home))
    environment.setenv("WATCHLINK_DATABASE_URL", url)
    environment.setenv("WATCHLINK_ENVIRONMENT", "test")
    get_settings.cache_clear()
    database = Database(url)
    database.migrate()
    demo = demo_world(synthetic_subjects=SYNTHETIC_SUBJECTS)
    with database.unit_of_work() as uow:
        load_demo(uow, dataclasses.replace(demo, encounters=()))
    settings = Settings(environment="test", home=home, database_url=url)
    tokens = _report_landing(database, settings, demo)
    database.dispose()
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):  # wait for the socket, not for a time
        if server.started:
            break
        time.sleep(0.025)
    assert server.started, "the console server did not start"
    yield Console(f"http://127.0.0.1:{port}", url, app, demo, tokens)
    server.should_exit = True
    thread.join(timeout=15)
    environment.undo()
    get_settings.cache_clear()


def _report_landing(database: Any, settings: Any, demo: Any) -> dict[str, str]:
    """The Greek border officer reports the Leros landing; tokens for the reporting desks."""
    from watchlink.services.access_wiring import AccessContext
    from watchlink.services.screening import ScreeningService

    access = AccessContext.from_settings(settings, engine=database.engine)
    story = demo.story
    landing = [e for e in demo.encounters if e.id in (story.companion_entry, story.greek_entry)]
    with database.engine.begin() as conn:
        greek = access.auth.resolve(conn, "gr.border")
        tokens = {
            user: access.auth.issue_token(conn, None, user, ["screen"], timedelta(days=1)).token
            for user in ("gr.border", "be.police")
        }
    screening = ScreeningService(access.trail, settings.screening_threshold)
    with database.unit_of_work() as uow:
        screening.screen_batch(uow, greek, landing)
    _new_evidence_on_the_brother(database, access.trail, story)
    return tokens


def _new_evidence_on_the_brother(database: Any, trail: Any, story: Any) -> None:
    """A co-travel link names the brother, whose file was closed: a review task for FR-INT."""
    from watchlink.services.triggers import open_review_task
    from watchlink.world.people import AS_OF

    with database.unit_of_work() as uow:
        brother = uow.subjects.get(story.brother)
        evidence = {"linked_subject": story.subject, "kind": "co_traveller"}
        open_review_task(
            uow, brother, "link", "demo-link-brothers-cotravel", evidence, AS_OF, trail=trail
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("the browser tests need Debian's Chromium: run scripts/install-chromium.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Desk:
    """One logged-in browser context: a page plus the console errors it collected."""

    def __init__(self, browser: Any, console: Console, width: int = 1280, height: int = 800):
        self.console = console
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def goto(self, path: str) -> Any:
        """Open a console path; returns the response."""
        return self.page.goto(self.console.base + path)

    def login(self, username: str, password: str) -> None:
        """Log in through the form."""
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def expected_refusals(self, status: int, count: int) -> None:
        """Drop the ``count`` console messages of page loads refused on purpose with ``status``."""
        text = f"Failed to load resource: the server responded with a status of {status}"
        refused = [e for e in self.errors if e.startswith(text)]
        assert len(refused) == count, self.errors
        self.errors = [e for e in self.errors if not e.startswith(text)]

    def shot(self, name: str) -> Path:
        """A full-page screenshot under var/screenshots/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        """Close the context (and its page)."""
        self.context.close()


DEMO_PASSWORDS = {
    "fr.analyst": "demo-fr-analyst",
    "be.analyst": "demo-be-analyst",
    "gr.border": "demo-gr-border",
    "tr.liaison": "demo-tr-liaison",
    "auditor": "demo-auditor",
    "fr.supervisor": "demo-fr-supervisor",
}


def desk(browser: Any, console: Console, username: str, **size: int) -> Desk:
    """A browser context logged in as a demo user."""
    opened = Desk(browser, console, **size)
    opened.login(username, DEMO_PASSWORDS[username])
    return opened
