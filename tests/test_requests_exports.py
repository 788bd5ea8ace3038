"""The public surface and the layers of the requests and scheduler modules."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import watchlink

MODULES = {
    "watchlink.services.clock": {"Clock", "FixedClock", "ManualClock", "SystemClock"},
    "watchlink.services.scheduler": {"JobRegistry", "run_due", "schedule", "run_forever"},
    "watchlink.services.requests": {"RequestService"},
    "watchlink.services.requests_views": {"RequestTerms", "RequestView", "view_of"},
    "watchlink.services.requests_escalation": {"Escalator", "default_chain"},
    "watchlink.services.requests_sweep": {"SweepReport", "sweep_requests"},
    "watchlink.services.requests_sharing": {"subject_share", "reads_subject", "sees_hit"},
    "watchlink.services.requests_attachments": {"AttachmentService", "AttachmentStore"},
    "watchlink.services.requests_jobs": {"register_jobs", "register_request_jobs"},
    "watchlink.services.responsiveness": {"ResponsivenessService"},
    "watchlink.store.jobs": {"Job", "JobRepository"},
    "watchlink.store.requests_store": {"RequestCaseRepository", "EscalationStep"},
    "watchlink.store.requests_stats": {"responsiveness_rows", "percentile"},
    "watchlink.store.tables_requests": {"escalation_steps", "request_events"},
}
LOWER = {"store": ("watchlink.services", "watchlink.api", "watchlink.cli", "watchlink.web")}
LOWER["services"] = ("watchlink.api", "watchlink.cli", "watchlink.web", "fastapi")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_exports_what_it_promises(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert MODULES[name] <= exported
    assert all(hasattr(module, item) for item in exported)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_imports_only_downward(name: str) -> None:
    layer = name.split(".")[1]
    path = Path(watchlink.__file__).parent.joinpath(*name.split(".")[1:]).with_suffix(".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    forbidden = LOWER.get(layer, ())
    assert [m for m in imported if m.startswith(forbidden)] == []
