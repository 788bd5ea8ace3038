"""The scoring model: features combined by fitted weights into a calibrated match probability.

The model is data (``matching/data/model.json``: feature names, weights, intercept and the
per-use thresholds), fitted by ``python -m watchlink.matching.training`` and read once.
A document reported stolen, lost or forged that matches the query's document is a hit on its
own, whatever the name: the probability is raised to at least :data:`ALARM_PROBABILITY`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from watchlink.matching.contribution import Contribution
from watchlink.matching.explain import explain
from watchlink.matching.features_record import (
    ALARM_PROBABILITY,
    FEATURES,
    NameMemo,
    PairFeatures,
    pair_features,
    probability_of,
)
from watchlink.matching.record import PreparedRecord

__all__ = [
    "ALARM_PROBABILITY",
    "Contribution",
    "MatchModel",
    "Scored",
    "load_model",
    "score",
    "score_many",
]


class Scored:
    """A pair's calibrated match probability and the contributions that explain it.

    Scored without its explanation (``score(..., explained=False)``, ``score_many``), a pair
    keeps its features and works the contributions out when they are first read: a query
    scores fifty candidates and explains the few it returns.
    """

    __slots__ = ("_contributions", "_features", "_model", "probability")

    def __init__(
        self,
        probability: float,
        contributions: list[Contribution] | None = None,
        features: PairFeatures | None = None,
        model: MatchModel | None = None,
    ) -> None:
        self.probability = probability
        self._contributions = contributions
        self._features = features
        self._model = model

    def __repr__(self) -> str:
        return f"Scored(probability={self.probability!r})"

    @property
    def contributions(self) -> list[Contribution]:
        """What each feature that fired added, strongest first."""
        if self._contributions is None:
            features, model = self._features, self._model
            self._contributions = (
                []
                if features is None or model is None
                else explain(features, model.features, model.weights)
            )
            self._features = self._model = None
        return self._contributions

    def is_match(self, model: MatchModel | None = None, use: str = "default") -> bool:
        """Whether the probability reaches the threshold for ``use`` (screening, deduplication)."""
        return self.probability >= (model or load_model()).threshold(use)

    @property
    def explanation(self) -> list[str]:
        """The contributions' sentences, strongest first."""
        return [c.text for c in self.contributions]


@dataclass(frozen=True, slots=True)
class MatchModel:
    """Fitted weights per feature, an intercept, and the thresholds of each use."""

    version: str
    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    thresholds: dict[str, float]

    def threshold(self, use: str = "default") -> float:
        """The probability at or above which a pair is a match for ``use``."""
        if use not in self.thresholds:
            known = ", ".join(sorted(self.thresholds))
            raise ValueError(f"unknown use {use!r}; expected one of {known}")
        return self.thresholds[use]

    def to_json(self) -> str:
        """The model file's text (stable key order, rounded weights: reproducible bytes)."""
        data = {
            "version": self.version,
            "features": list(self.features),
            "weights": [round(w, 6) for w in self.weights],
            "intercept": round(self.intercept, 6),
            "thresholds": {k: round(v, 4) for k, v in sorted(self.thresholds.items())},
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        """Read a model file; its features must be the ones this code computes."""
        data = json.loads(text)
        features = tuple(data["features"])
        if features != FEATURES:
            raise ValueError("the model file was fitted for another feature set; run make train")
        if len(data["weights"]) != len(features):
            raise ValueError(
                f"the model file has {len(data['weights'])} weights for {len(features)} features"
            )
        return cls(
            version=str(data["version"]),
            features=features,
            weights=tuple(float(w) for w in data["weights"]),
            intercept=float(data["intercept"]),
            thresholds={str(k): float(v) for k, v in data["thresholds"].items()},
        )


@lru_cache(maxsize=1)
def load_model() -> MatchModel:
    """The model shipped in the package (read once)."""
    text = resources.files("watchlink.matching").joinpath("data/model.json").read_text("utf-8")
    return MatchModel.from_json(text)


def score(
    query: PreparedRecord,
    candidate: PreparedRecord,
    model: MatchModel | None = None,
    *,
    explained: bool = True,
    memo: NameMemo | None = None,
) -> Scored:
    """The match probability of ``candidate`` for ``query``, with its explanation; ``memo``
    reuses the name comparisons of ``query``'s earlier pairs (see :data:`NameMemo`)."""
    model = model or load_model()
    features = pair_features(query, candidate, memo)
    probability = probability_of(features, model.weights, model.intercept)
    if not explained:
        return Scored(probability, None, features, model)
    return Scored(probability, explain(features, model.features, model.weights))


def score_many(
    query: PreparedRecord,
    candidates: Iterable[PreparedRecord],
    model: MatchModel | None = None,
    *,
    explained: bool = False,
) -> list[Scored]:
    """Score one query against many candidates, each explained on request or when its
    contributions are first read (for speed). A name the list holds once for several
    candidates (namesakes) is compared to the query once."""
    model = model or load_model()
    memo: NameMemo = {}
    if explained:
        return [score(query, c, model, memo=memo) for c in candidates]
    weights, intercept = model.weights, model.intercept
    scored = []
    for candidate in candidates:  # score()'s steps, without its per-pair lookups
        features = pair_features(query, candidate, memo)
        scored.append(Scored(probability_of(features, weights, intercept), None, features, model))
    return scored
