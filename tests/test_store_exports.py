"""The store's public surface, pinned; and the layer stays below services and the web."""

from __future__ import annotations

import subprocess
import sys

import watchlink.store

EXPORTS = [
    "AgencyRepository",
    "Database",
    "DecisionRepository",
    "EncounterRepository",
    "HitRepository",
    "LinkRepository",
    "RequestRepository",
    "SubjectRepository",
    "UnitOfWork",
    "all_metadata",
    "iter_screened_subjects",
    "metadata",
    "subjects_of_agency",
]


def test_the_public_names_are_pinned() -> None:
    assert sorted(watchlink.store.__all__) == EXPORTS
    for name in EXPORTS:
        assert getattr(watchlink.store, name) is not None


def test_the_store_imports_nothing_above_its_layer() -> None:
    code = (
        "import sys, watchlink.store, watchlink.store.migrate; "
        "from watchlink.store.metadata import all_metadata; all_metadata(); "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('watchlink', 'fastapi')))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.split()
    higher = ("watchlink.services", "watchlink.api", "watchlink.cli", "watchlink.web", "fastapi")
    above = [m for m in loaded if m.startswith(higher)]
    assert above == []
    assert "watchlink.store.tables_casework" in loaded
