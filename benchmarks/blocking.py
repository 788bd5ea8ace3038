"""Blocking recall: the share of true matches the candidate index hands to the scorer.

- yente UN: the 683 UN persons (untreated) hidden among the 100,000 synthetic negatives;
  each treated row (typos, swaps, omissions) must bring back its untreated row.
- OFAC: each person listed under its primary name; each of its aliases, asked alone, must
  bring back the person.

    .venv/bin/python benchmarks/blocking.py [--quick]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contextlib

from _engines import engine
from speed import Row
from watchlink.formats import read_ofac
from watchlink.matching import Screener
from watchlink.model import BirthDate, Gender, Name, NameKind, PartialDate, Subject, Value

__all__ = ["rows"]

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SECTION = "blocking recall"


def yente_subjects(name: str, prefix: str) -> Iterator[Subject]:
    """Rows of a yente candidate-generation fixture as subjects ``{prefix}{row}``."""
    with (DATA / name).open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            subject = Subject(
                id=f"{prefix}{number}", agency="BENCH", names=[Name(row["full_name"])]
            )
            with contextlib.suppress(ValueError):
                subject.birth_dates.append(BirthDate(PartialDate.parse(row["date_of_birth"])))
            if row.get("nationality"):
                subject.nationalities.append(Value(row["nationality"]))
            if row.get("gender") in ("male", "female"):
                subject.gender = Gender(row["gender"])
            yield subject


def _finest(dates: list[BirthDate]) -> list[BirthDate]:
    """Drop a date that a more precise one of the list refines (1960 beside 1960-03-02)."""

    def refines(fine: PartialDate, coarse: PartialDate) -> bool:
        same_month = coarse.month is None or fine.month == coarse.month
        return fine != coarse and fine.year == coarse.year and same_month and coarse.day is None

    return [b for b in dates if not any(refines(o.date, b.date) for o in dates)]


def _recall(screener: Screener[object], pairs: list[tuple[Subject, str]]) -> tuple[float, float]:
    found = considered = 0
    for query, expected in pairs:
        candidates = screener.candidates(query)
        considered += len(candidates)
        found += expected in candidates
    return found / len(pairs), considered / len(pairs)


def yente_rows(quick: bool) -> list[Row]:
    """UN treated rows against the UN list hidden in the synthetic negatives."""
    chosen, label = engine()
    negatives = 10_000 if quick else 50_000
    listed = [*yente_subjects("yente_cgb_positives_un_untreated.csv", "un-")]
    for name in ("yente_cgb_negatives_global.csv", "yente_cgb_negatives_us.csv"):
        noise = yente_subjects(name, f"neg-{name[20:-4]}-")
        listed += [s for _, s in zip(range(negatives), noise, strict=False)]
    start = time.perf_counter()
    screener = Screener.build(listed, chosen)
    build = time.perf_counter() - start
    treated = list(yente_subjects("yente_cgb_positives_un_treated.csv", "q-"))
    pairs = [(query, f"un-{i}") for i, query in enumerate(treated)]
    changed = [
        p for p, u in zip(pairs, listed, strict=False) if p[0].names[0].full != u.names[0].full
    ]
    recall, mean = _recall(screener, pairs)
    hard, _ = _recall(screener, changed)
    what = f"UN treated in UN + {2 * negatives:,} negatives"
    return [
        Row(SECTION, what, label, f"{recall:.4f}", "≥ 0.995", f"{mean:.0f} candidates/query"),
        Row(SECTION, f"  of which the {len(changed)} altered rows", label, f"{hard:.4f}"),
        Row(SECTION, "  index build (s)", label, f"{build:.1f}", note=f"{len(listed):,} subjects"),
    ]


def ofac_rows(quick: bool) -> list[Row]:
    """Each OFAC alias alone must retrieve its person, listed under the primary name only.

    Many OFAC aliases are other names altogether (a kunya, a nickname: "EL CHATO"), which
    no name index can link; the spelling variants (aliases at least 60% alike the primary
    name, token set ratio on ASCII) are the fair test, the whole set is shown beside it.
    """
    from rapidfuzz import fuzz
    from rigour.text import ascii_text

    chosen, label = engine()
    listed, pairs, variants = [], [], []
    for _, result in read_ofac(DATA / "ofac_sdn.csv", "OFAC"):
        if isinstance(result, list):
            continue
        primary = [n for n in result.names if n.kind is NameKind.PRIMARY][:1]
        listed.append(replace(result, names=primary, birth_dates=_finest(result.birth_dates)))
        for alias in result.names:
            if alias.kind is not NameKind.PRIMARY:
                query = Subject(id=f"q-{result.id}", agency="BENCH", names=[Name(alias.full)])
                pairs.append((query, result.id))
                alike = fuzz.token_set_ratio(
                    ascii_text(alias.full).lower(), ascii_text(primary[0].full).lower()
                )
                if primary and alike >= 60:
                    variants.append((query, result.id))
    if quick:
        pairs, variants = pairs[:1500], variants[:1500]
    screener = Screener.build(listed, chosen)
    out = []
    for what, chosen_pairs in (("spelling-variant", variants), ("all", pairs)):
        recall, mean = _recall(screener, chosen_pairs)
        measure = f"OFAC {len(chosen_pairs):,} {what} aliases → {len(listed):,} persons"
        target = "≥ 0.995" if what != "all" else ""
        out.append(Row(SECTION, measure, label, f"{recall:.4f}", target, f"{mean:.0f} cand./query"))
    return out


def rows(quick: bool = False) -> list[Row]:
    """Blocking recall rows, or one row saying where to get the data."""
    if not DATA.is_dir():
        note = "reference data not found: put the files of shared/data beside the checkout"
        return [Row(SECTION, "skipped", "", "", note=note)]
    return yente_rows(quick) + ofac_rows(quick)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    from run import print_table

    print_table(rows(args.quick), "watchlink blocking recall")


if __name__ == "__main__":
    main()
