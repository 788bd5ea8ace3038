"""The public surface of screening and hits, pinned; services stay free of the web."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import pytest

from watchlink.services import (
    hit_views,
    hits,
    routing,
    screening,
    screening_calls,
    screening_engine,
    screening_keeper,
    screening_sync,
)
from watchlink.store import hits_query

SURFACE: list[tuple[ModuleType, list[str]]] = [
    (
        screening,
        ["EncounterResult", "ScreenedHit", "ScreeningService", "load_directory", "single_refusal"],
    ),
    (screening_calls, ["MOST_PER_CALL", "SharedCalls"]),
    (screening_engine, ["FREEZE_FROM", "WarmScreener", "encounter_query"]),
    (screening_sync, ["CatchUp", "LOOK_BACK"]),
    (screening_keeper, ["IndexKeeper"]),
    (routing, ["Directory", "agency_reader", "route_hit"]),
    (hits, ["MAX_INBOX", "HitService"]),
    (hit_views, ["HitView", "agency_state", "blind_for", "hidden_texts", "view_hit"]),
    (hits_query, ["HitQueries", "InboxRow", "TrailHit"]),
]


@pytest.mark.parametrize(("module", "names"), SURFACE, ids=lambda v: getattr(v, "__name__", ""))
def test_the_public_names_are_pinned(module: ModuleType, names: list[str]) -> None:
    assert sorted(module.__all__) == sorted(names)
    for name in names:
        assert getattr(module, name) is not None


def test_screening_and_hit_services_never_load_the_web() -> None:
    code = (
        "import sys, watchlink.services.screening, watchlink.services.hits; "
        "print(' '.join(sorted(m for m in sys.modules "
        "if m.startswith(('watchlink', 'fastapi', 'starlette')))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.split()
    assert [m for m in loaded if m.startswith(("fastapi", "starlette", "watchlink.api"))] == []
    assert [m for m in loaded if m.startswith(("watchlink.web", "watchlink.cli"))] == []
