"""yente's candidate-generation fixtures: the UN list, its typo'd twin, 100,000 negatives.

Typo'd recall: each *treated* UN row (typos, swaps, omissions) is screened against the
*untreated* list; it is found when its own row scores at the threshold. False positives:
the share of the 100,000 synthetic negatives that hit any listed person. Arabic script:
UN names rendered in Arabic script token by token (Google's and Wikidata's public
transliteration tables), screened by name alone; recall at the threshold where at most 1%
of the Arabic-script negatives hit.
"""

from __future__ import annotations

import contextlib
import csv
import random
from collections import Counter, defaultdict
from pathlib import Path

from quality_blocking import KeyIndex
from quality_common import DATA, Row, Scorer, logic_v2, rapidfuzz_scorer, watchlink_scorer
from watchlink.matching.record import prepare
from watchlink.model import BirthDate, Gender, Name, PartialDate, Subject, Value
from watchlink.normalize.text import dominant_script

__all__ = ["arabic_rows", "read_people", "un_rows"]

SECTION = "quality: yente UN list"
ARABIC = "quality: Arabic script ↔ Latin (UN list)"
FILES = ("yente_cgb_positives_un_untreated.csv", "yente_cgb_negatives_global.csv")


def _country(text: str) -> str | None:
    from followthemoney.types import registry

    code = registry.country.clean(text.strip()) if text.strip() else None
    return code.upper() if code else None


def read_people(path: Path, prefix: str, *, names_only: bool = False) -> list[Subject]:
    """The rows of a yente fixture as subjects."""
    out: list[Subject] = []
    with path.open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            subject = Subject(id=f"{prefix}{i}", agency="BENCH", names=[Name(row["full_name"])])
            if not names_only:
                with contextlib.suppress(ValueError):
                    subject.birth_dates = [BirthDate(PartialDate.parse(row["date_of_birth"]))]
                code = _country(row["nationality"])
                subject.nationalities = [Value(code)] if code else []
                gender = row["gender"].strip().lower()
                subject.gender = Gender(gender) if gender in ("male", "female") else None
            out.append(subject)
    return out


def _best(scorer: Scorer, query: Subject, candidates: list[Subject]) -> dict[str, float]:
    return {c.id: scorer(query, c) for c in candidates}


def _screen(
    index: KeyIndex, by_id: dict[str, Subject], queries: list[Subject], scorer: Scorer
) -> list[dict[str, float]]:
    """For each query: score of every retrieved candidate (by subject id)."""
    out: list[dict[str, float]] = []
    for query in queries:
        found = index.candidates(prepare(query))
        out.append(_best(scorer, query, [by_id[r.id] for r in found]))
    return out


def _systems() -> list[tuple[str, tuple[Scorer, float]]]:
    systems: list[tuple[str, tuple[Scorer, float]]] = [("watchlink", watchlink_scorer())]
    peer = logic_v2()
    if peer is not None:
        systems.append(("logic-v2", peer))
    systems.append(("rapidfuzz", rapidfuzz_scorer()))
    return systems


def _missing() -> Row | None:
    absent = [f for f in FILES if not (DATA / f).exists()]
    if absent:
        note = f"no {DATA}/{absent[0]} (opensanctions/yente contrib/candidate_generation_benchmark)"
        return Row(SECTION, "skipped", "", "", note=note)
    return None


def un_rows(quick: bool = False) -> list[Row]:
    """Typo'd recall and false-positive rate for watchlink and the peers."""
    if (missing := _missing()) is not None:
        return [missing]
    listed = read_people(DATA / FILES[0], "un")
    treated = read_people(DATA / "yente_cgb_positives_un_treated.csv", "q")
    changed = [
        i
        for i, (a, b) in enumerate(zip(listed, treated, strict=True))
        if a.names[0].full != b.names[0].full
    ]
    negatives = read_people(DATA / FILES[1], "g") + read_people(
        DATA / "yente_cgb_negatives_us.csv", "u"
    )
    index = KeyIndex(prepare(s) for s in listed)
    by_id = {s.id: s for s in listed}
    rng = random.Random(7)
    peer_negatives = rng.sample(negatives, 5_000 if quick else 10_000)
    rows: list[Row] = []
    for label, (scorer, threshold) in _systems():
        found = _screen(index, by_id, treated, scorer)
        hits = [found[i].get(f"un{i}", 0.0) >= threshold for i in range(len(treated))]
        recall_all = sum(hits) / len(hits)
        recall_changed = sum(hits[i] for i in changed) / len(changed)
        sample = negatives if label == "watchlink" and not quick else peer_negatives
        negative_hits = _screen(index, by_id, sample, scorer)
        fp = sum(1 for scores in negative_hits if any(v >= threshold for v in scores.values()))
        note = f"threshold {threshold}"
        rows += [
            Row(
                SECTION,
                f"typo'd recall ({len(changed)} changed rows)",
                label,
                f"{recall_changed:.3f}",
                "≥ 0.99" if label == "watchlink" else "",
                note,
            ),
            Row(SECTION, f"recall (all {len(treated)} rows)", label, f"{recall_all:.3f}", "", note),
            Row(
                SECTION,
                f"false positives ({len(sample):,} negatives)",
                label,
                f"{fp / len(sample):.4%}",
                "≤ 0.1%" if label == "watchlink" else "",
                f"{fp} negatives hit; " + note,
            ),
        ]
    return rows


def _arabic_table() -> dict[str, str]:
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    with (DATA / "translit_google_ar2en_wikipedia.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                votes[parts[1].lower()][parts[0]] += 1
    path = DATA / "translit_wikidata_en_ar_tokens_coling2018.tsv"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[2].isdigit():
                votes[parts[0].lower()][parts[1].replace(" ", "")] += int(parts[2])
    return {latin: counts.most_common(1)[0][0] for latin, counts in sorted(votes.items())}


def _recall_at_fp(
    positives: list[float], negatives: list[float], max_fp: float = 0.01
) -> tuple[float, float]:
    """Recall at the lowest threshold whose false-positive share is ≤ ``max_fp``."""
    ordered = sorted(negatives, reverse=True)
    allowed = int(max_fp * len(ordered))
    threshold = (ordered[allowed] + 1e-9) if allowed < len(ordered) else 0.0
    recall = sum(1 for p in positives if p >= threshold) / len(positives)
    return recall, threshold


def arabic_rows(quick: bool = False) -> list[Row]:
    """Recall of Arabic-script renderings of UN names at ≤ 1% false positives."""
    if (missing := _missing()) is not None:
        return [Row(ARABIC, "skipped", "", "", note=missing.note)]
    table = _arabic_table()
    listed = read_people(DATA / FILES[0], "un", names_only=True)
    queries: list[tuple[int, Subject]] = []
    for i, subject in enumerate(listed):
        words = subject.names[0].full.lower().replace(",", " ").replace("-", " ").split()
        if words and all(w in table for w in words):
            arabic = " ".join(table[w] for w in words)
            queries.append((i, Subject(id=f"ar{i}", agency="BENCH", names=[Name(arabic)])))
    negatives = [
        s
        for s in read_people(DATA / FILES[1], "g", names_only=True)
        if dominant_script(s.names[0].full) == "arabic"
    ]
    index = KeyIndex(prepare(s) for s in listed)
    by_id = {s.id: s for s in listed}
    rows: list[Row] = []
    for label, (scorer, _) in _systems():
        positive_scores = [
            scorer(q, listed[i])
            if any(r.id == f"un{i}" for r in index.candidates(prepare(q)))
            else 0.0
            for i, q in queries
        ]
        negative_scores = [
            max(s.values(), default=0.0) for s in _screen(index, by_id, negatives, scorer)
        ]
        recall, threshold = _recall_at_fp(positive_scores, negative_scores)
        rows.append(
            Row(
                ARABIC,
                f"recall at ≤ 1% FP ({len(queries)} names, {len(negatives):,} negatives)",
                label,
                f"{recall:.3f}",
                "≥ 0.85" if label == "watchlink" else "",
                f"names only; threshold {threshold:.3f}",
            )
        )
    return rows
