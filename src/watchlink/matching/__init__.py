"""The matching engine (layer L1): candidate retrieval, scoring and explanations.

Pure: imports only the model, normalisation, settings and errors; no database, no web.
"""

from watchlink.matching.index import Candidate, CandidateIndex, KeyKind
from watchlink.matching.screener import Engine, Match, Screener, shipped_engine

__all__ = [
    "Candidate",
    "CandidateIndex",
    "Engine",
    "KeyKind",
    "Match",
    "Screener",
    "shipped_engine",
]
