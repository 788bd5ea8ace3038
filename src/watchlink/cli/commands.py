"""The list of command modules; each has ``register(app: typer.Typer) -> None``."""

from __future__ import annotations

from types import ModuleType

__all__ = ["MODULES"]

MODULES: list[ModuleType] = []
