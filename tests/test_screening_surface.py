"""The public surface of the screening call's helpers, pinned (beside test_screening_exports)."""

from __future__ import annotations

from types import ModuleType

import pytest

from watchlink.services import audit, screening_audit, screening_directory, screening_work
from watchlink.store import hits_bulk, outbox

SURFACE: list[tuple[ModuleType, list[str]]] = [
    (audit, ["AuditQuery", "AuditTrail", "Line", "Who"]),
    (screening_audit, ["HeldTrail", "screen_line", "screen_query"]),
    (screening_directory, ["DirectoryCache", "read_directory"]),
    (screening_work, ["CallWork", "Scored", "follow_trail"]),
    (hits_bulk, ["HitWriter"]),
    (outbox, ["NewMessage", "OutboxMessage", "OutboxRepository"]),
]


@pytest.mark.parametrize(("module", "names"), SURFACE, ids=lambda v: getattr(v, "__name__", ""))
def test_the_public_names_are_pinned(module: ModuleType, names: list[str]) -> None:
    assert sorted(module.__all__) == sorted(names)
    for name in names:
        assert getattr(module, name) is not None
