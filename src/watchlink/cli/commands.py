"""The list of command modules; each has ``register(app: typer.Typer) -> None``."""

from __future__ import annotations

from types import ModuleType

from watchlink.cli import (
    access,
    compare,
    consents,
    database,
    interchange,
    jobs,
    monitoring,
    screen,
    server,
    world,
)
from watchlink.cli import delivery as delivery_commands
from watchlink.cli import requests as request_commands

__all__ = ["MODULES"]

MODULES: list[ModuleType] = [database, world, interchange, screen, server, access, compare]
MODULES += [request_commands, jobs]
MODULES += [monitoring]
MODULES += [delivery_commands]
MODULES += [consents]
