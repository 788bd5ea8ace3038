"""The monitoring and review modules' public surface, pinned; and each stays in its layer."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

EXPORTS = {
    "watchlink.services.monitoring": [
        "DECIDABLE", "DecisionInput", "MonitoringService", "owned_subject", "usable_id",
    ],
    "watchlink.services.triggers": [
        "RESTING", "SYSTEM_USER", "TRIGGER_WEIGHTS", "default_trail", "desk_actor",
        "hit_evidence", "may_read", "on_hit", "on_import_match", "on_link", "on_request",
        "open_review_task", "reopening", "store_review_task",
    ],
    "watchlink.services.triggers_hits": ["on_hits"],
    "watchlink.services.review": [
        "REVIEW_USER", "SWEEP_EVERY", "SWEEP_JOB", "SweepReport", "register_jobs", "sweep",
    ],
    "watchlink.services.review_queue": ["ReviewService"],
    "watchlink.services.review_periods": ["ReviewPeriods"],
    "watchlink.services.links": ["LinkInput", "LinkService"],
    "watchlink.services.import_matches": ["ImportMatchWatcher"],
    "watchlink.store.monitoring": [
        "OPEN", "RESOLVED", "Extension", "Retention", "RetentionRepository", "ReviewTask",
        "ReviewTaskRepository", "decision_history", "in_force_order", "set_monitoring_state",
    ],
    "watchlink.store.monitoring_bulk": ["ReviewTaskWriter"],
}  # fmt: skip


@pytest.mark.parametrize("module", sorted(EXPORTS))
def test_the_public_names_are_pinned(module: str) -> None:
    loaded = importlib.import_module(module)
    assert sorted(loaded.__all__) == sorted(EXPORTS[module])
    for name in EXPORTS[module]:
        assert getattr(loaded, name) is not None


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        (
            "watchlink.services.review",
            ("watchlink.api", "watchlink.cli", "watchlink.web", "fastapi"),
        ),
        (
            "watchlink.services.links",
            ("watchlink.api", "watchlink.cli", "watchlink.web", "fastapi"),
        ),
        ("watchlink.store.monitoring", ("watchlink.services", "watchlink.api", "fastapi")),
        ("watchlink.store.monitoring_bulk", ("watchlink.services", "watchlink.api", "fastapi")),
        (
            "watchlink.services.triggers_hits",
            ("watchlink.api", "watchlink.cli", "watchlink.web", "fastapi"),
        ),
    ],
)
def test_each_module_imports_nothing_above_its_layer(
    module: str, forbidden: tuple[str, ...]
) -> None:
    code = (
        f"import sys, {module}; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('watchlink', 'fastapi')))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert [m for m in done.stdout.split() if m.startswith(forbidden)] == []
