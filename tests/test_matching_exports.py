"""The public surface of ``watchlink.matching`` is explicit and pinned."""

from __future__ import annotations

import watchlink.matching

EXPECTED = {
    "Candidate",
    "CandidateIndex",
    "Engine",
    "KeyKind",
    "Match",
    "Screener",
    "shipped_engine",
}


def test_public_surface_is_pinned() -> None:
    assert set(watchlink.matching.__all__) == EXPECTED


def test_every_export_exists_and_belongs_to_the_package() -> None:
    for name in watchlink.matching.__all__:
        member = getattr(watchlink.matching, name)
        assert member.__module__.startswith("watchlink.matching"), name
