"""Name-pair quality on nomenklatura's name bench (``nk_name_bench_cases.csv``)."""

from __future__ import annotations

import csv

from quality_common import (
    DATA,
    Row,
    Scorer,
    f1_row_values,
    logic_v2,
    rapidfuzz_scorer,
    watchlink_scorer,
)
from watchlink.model import Name, Subject

__all__ = ["name_bench_rows", "read_cases"]

SOURCE = "nomenklatura contrib/name_bench/cases.csv (MIT)"


def read_cases() -> list[tuple[str, str, str, bool]]:
    """``(schema, name1, name2, is_match)`` per case."""
    with (DATA / "nk_name_bench_cases.csv").open(encoding="utf-8") as handle:
        return [
            (row["schema"], row["name1"], row["name2"], row["is_match"].strip().lower() == "true")
            for row in csv.DictReader(handle)
        ]


def _subject(i: int, name: str) -> Subject:
    return Subject(id=f"n{i}", agency="BENCH", names=[Name(name)])


def _scores(scorer: Scorer, cases: list[tuple[str, str, str, bool]]) -> list[float]:
    return [
        scorer(_subject(2 * i, a), _subject(2 * i + 1, b)) for i, (_, a, b, _) in enumerate(cases)
    ]


def name_bench_rows() -> list[Row]:
    """F1 on all pairs and on persons, for watchlink and the peers."""
    section = "quality: name bench F1 (P/R)"
    if not (DATA / "nk_name_bench_cases.csv").exists():
        return [
            Row(section, "skipped", "", "", note=f"no {DATA}/nk_name_bench_cases.csv ({SOURCE})")
        ]
    cases = read_cases()
    persons = [i for i, c in enumerate(cases) if c[0] == "Person"]
    systems = [("watchlink", watchlink_scorer()), ("rapidfuzz", rapidfuzz_scorer())]
    peer = logic_v2()
    if peer is not None:
        systems.insert(1, ("logic-v2", peer))
    rows: list[Row] = []
    labels = [c[3] for c in cases]
    for label, (scorer, threshold) in systems:
        scores = _scores(scorer, cases)
        rows.append(
            Row(
                section,
                f"all {len(cases)} pairs",
                label,
                f1_row_values(labels, scores, threshold),
                "≥ 0.90" if label == "watchlink" else "",
                f"threshold {threshold}",
            )
        )
        rows.append(
            Row(
                section,
                f"{len(persons)} person pairs",
                label,
                f1_row_values(
                    [labels[i] for i in persons], [scores[i] for i in persons], threshold
                ),
                "≥ 0.88" if label == "watchlink" else "",
                f"threshold {threshold}",
            )
        )
    return rows
