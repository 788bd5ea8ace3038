"""Helpers for the tests that start ``watchlink serve`` with several workers: a free port,
FR-INT's listed subjects with GR-BOR's screening token, and counting rows."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from screening_support import add_agencies
from watchlink.model import Distribution, Name, Sharing, Subject
from watchlink.services.access_wiring import AccessContext
from watchlink.settings import Settings
from watchlink.store import Database

__all__ = ["CLI", "NAMES", "PASSWORD", "count", "free_port", "screening_token", "server_env"]

CLI = "from watchlink.cli.main import main; main()"
PASSWORD = "correct horse battery"
NAMES = ["Octave Brumairel", "Ilse Varnholt", "Casimir Oudekerk"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def screening_token(database: Database, home: Path) -> str:
    """FR-INT's subjects, GR-BOR's border officer, and that officer's screening token."""
    add_agencies(database, ("FR-INT", "FR"), ("GR-BOR", "GR"))
    with database.unit_of_work() as uow:
        for number, name in enumerate(NAMES, start=1):
            sharing = Sharing(Distribution.ALL_PARTNERS)
            uow.subjects.upsert(
                Subject(
                    id=f"fr-int-{number:04d}", agency="FR-INT", names=[Name(name)], sharing=sharing
                )
            )
    context = AccessContext.from_settings(Settings(home=home, database_url=database.url))
    try:
        with context.engine.begin() as conn:
            context.auth.add_user(conn, None, "desk", "GR-BOR", ["border_officer"], PASSWORD)
            return context.auth.issue_token(conn, None, "desk", ["screen"]).token
    finally:
        context.engine.dispose()


def count(database: Database, query: Any) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def server_env(database: Database, home: Path) -> dict[str, str]:
    """The environment of a ``watchlink serve`` on ``database`` with its home in ``home``,
    the scheduler off (its sweeps would hold the audit chain while the test counts)."""
    return {
        **os.environ,
        "WATCHLINK_DATABASE_URL": database.url,
        "WATCHLINK_HOME": str(home),
        "WATCHLINK_ENVIRONMENT": "development",
        "WATCHLINK_SCHEDULER_ENABLED": "false",
    }
