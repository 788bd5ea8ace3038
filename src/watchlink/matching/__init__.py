"""The matching engine (layer L1): candidate retrieval, scoring and explanations.

Pure: imports only the model, normalisation, settings and errors; no database, no web.
"""

from watchlink.matching.native import use_fresh_native

use_fresh_native()  # before any compiled module is imported: a stale build never answers

from watchlink.matching.index import Candidate, CandidateIndex, KeyKind  # noqa: E402
from watchlink.matching.screener import Engine, Match, Screener, shipped_engine  # noqa: E402

__all__ = [
    "Candidate",
    "CandidateIndex",
    "Engine",
    "KeyKind",
    "Match",
    "Screener",
    "shipped_engine",
]
