"""Speed and memory of screening, beside the peers, on the seeded synthetic world.

For each list size: index build time and memory, single-query queries/s with p50/p99
latency (one process), blocking recall on the world's encounters, and batch scoring
pairs/s; then nomenklatura's logic-v2 and a rapidfuzz baseline on the same pairs.

    .venv/bin/python benchmarks/speed.py [--quick] [--sizes 10000,100000,1000000]
        [--seed 8 --queries 20000]   # another world, more encounters: a held-out check
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _engines import engine, ftm_person  # sibling module of a script
from watchlink.matching import Screener
from watchlink.model import BirthDate, Name, Subject, Value

__all__ = ["Row", "rows"]

QUERIES = 4_000  # a tenth are listed subjects in disguise: ~400 for blocking recall
PEER_PAIRS = 2_000  # logic-v2 is slow: score a sample of the same pairs
LEAN = 20  # a second setting: fewer candidates scored, faster, at some recall
SHOWN = 10  # matches shown for a query
OUTSCORED_SEARCH = 2_000  # candidates scored to see how many namesakes outscore a miss


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the benchmark table."""

    section: str
    measure: str
    system: str
    value: str
    target: str = ""
    note: str = ""


def rss_bytes() -> int:
    """Resident memory of this process."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class Timed:
    """Wraps an iterable and adds up the time spent producing its items (to subtract it)."""

    def __init__(self, items: Iterable[Subject]) -> None:
        self.items, self.spent = items, 0.0

    def __iter__(self) -> Iterator[Subject]:
        it = iter(self.items)
        while True:
            start = time.process_time()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                self.spent += time.process_time() - start
            yield item


def query_subject(encounter: Any) -> Subject:
    """An encounter's presented person as a query subject."""
    person = encounter.person
    names = [Name(n, given=person.given, family=person.family) for n in person.names]
    subject = Subject(id=encounter.id, agency=encounter.agency, names=names)
    if person.birth_date is not None:
        subject.birth_dates.append(BirthDate(person.birth_date))
    if person.nationality is not None:
        subject.nationalities.append(Value(person.nationality))
    subject.gender = person.gender
    if encounter.document is not None:
        subject.documents.append(encounter.document)
    return subject


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure_size(size: int, queries: int, seed: int = 7) -> tuple[list[Row], list[Any]]:
    """Rows for one list size, and (query, listed) subject pairs for the scorer comparisons."""
    from watchlink.world.synth import generate

    chosen, label = engine()
    world = generate(seed, size, queries)
    section = f"speed {size:,} subjects"
    gc.collect()
    before = rss_bytes()
    feed = Timed(world.subjects())
    start = time.process_time()  # CPU time: the machine may be shared
    screener = Screener.build(feed, chosen)
    build = time.process_time() - start - feed.spent
    gc.collect()
    memory = rss_bytes() - before
    out = [
        Row(section, "index build (s, CPU)", label, f"{build:.1f}", "≤ 120 at 1M"),
        Row(section, "index memory (MiB, RSS)", label, f"{memory / 2**20:,.0f}", "≤ 4096 at 1M"),
    ]
    encounters = list(world.encounters())
    asked = [query_subject(encounter) for encounter, _ in encounters]
    truths = [truth.subject_id for _, truth in encounters]
    default = screener.index.limit
    for limit in (default, LEAN):
        screener.index.limit = limit
        out += _single(screener, asked, truths, section, f"{limit} candidates", label)
    screener.index.limit = default
    out += _bulk(screener, asked, section, label)
    pairs: list[tuple[Subject, str]] = []
    for query in asked:
        pairs.extend((query, subject_id) for subject_id in screener.candidates(query)[:10])
    listed = {}
    for _, subject_id in pairs:
        if subject_id not in listed:
            listed[subject_id] = _listed(world, subject_id)
    return out, [(query, listed[subject_id]) for query, subject_id in pairs]


def _single(
    screener: Screener[Any],
    asked: list[Subject],
    truths: list[str | None],
    section: str,
    setting: str,
    label: str,
) -> list[Row]:
    """Queries/s and latency of ``screen`` (hits explained), then blocking recall."""
    latencies = []
    cut = screener.threshold("screening")  # a border check wants the hits, explained
    cpu = time.process_time()  # queries/s on CPU time: the machine may be shared
    for query in asked:
        start = time.perf_counter()
        screener.screen(query, top=SHOWN, threshold=cut)
        latencies.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    retrieval = []
    found = total = considered = dated_found = dated = told = 0
    outscored: list[int] = []  # for each undated miss: how many namesakes score as high
    for query, truth in zip(asked, truths, strict=True):
        start = time.perf_counter()
        candidates = screener.candidates(query)
        retrieval.append(time.perf_counter() - start)
        considered += len(candidates)
        if truth is not None:
            total += 1
            found += truth in candidates
            if query.birth_dates:
                dated += 1
                dated_found += truth in candidates
            elif truth not in candidates:
                outscored.append(_outscored_by(screener, query, truth))
                told += screener.namesakes(query) > SHOWN
    recall = found / total if total else float("nan")
    dated_recall = dated_found / dated if dated else float("nan")
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    return [
        Row(
            section,
            f"single query/s on CPU time ({setting})",
            label,
            f"{len(asked) / cpu:,.0f}",
            "≥ 500 at 1M",
        ),
        Row(
            section,
            "  latency p50 / p99 (ms)",
            label,
            f"{1000 * p50:.2f} / {1000 * p99:.2f}",
            "p99 ≤ 25",
        ),
        Row(
            section,
            "  of which retrieval p50 (ms)",
            label,
            f"{1000 * statistics.median(retrieval):.2f}",
        ),
        Row(
            section,
            f"  blocking recall ({total} listed in disguise)",
            label,
            f"{recall:.4f}",
            "≥ 0.995",
        ),
        Row(
            section,
            f"  of which the {dated} with a birth date",
            label,
            f"{dated_recall:.4f}",
        ),
        Row(
            section,
            f"  misses without a birth date ({len(outscored)}): outscored by (median)",
            label,
            f"{statistics.median(outscored):,.0f}" if outscored else "-",
            note="namesakes the scorer puts at least as high as the listed one, "
            f"{OUTSCORED_SEARCH:,} searched; {sorted(outscored)}",
        ),
        Row(
            section,
            "    of which told to ask for a birth date",
            label,
            f"{told} of {len(outscored)}",
            note=f"more namesakes listed than the {SHOWN} matches shown (Screener.namesakes)",
        ),
        Row(section, "  candidates per query (mean)", label, f"{considered / len(asked):.1f}"),
    ]


def _bulk(screener: Screener[Any], asked: list[Subject], section: str, label: str) -> list[Row]:
    """``watchlink screen``'s stream (a file of queries in, one line each out) in one process
    and in two forked after the index is built: queries/s of wall time, file and JSON
    included. A first pass, not measured, fills the caches both then start with (the
    forked processes inherit them): measured first, one process would pay for them alone."""
    import tempfile

    from rich.progress import Progress

    from watchlink.cli.screen import _stream
    from watchlink.formats import write_ftm_lines

    out: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        queries = Path(folder) / "queries.jsonl"
        with queries.open("w", encoding="utf-8") as handle:
            write_ftm_lines(asked, handle)
        alone = 0.0
        for workers in (0, 1, 2):  # 0: the warm-up pass, in one process
            with Progress(disable=True) as bar:
                bar.add_task("screening", total=len(asked))
                start = time.perf_counter()
                _stream(
                    screener,
                    queries,
                    Path(folder) / "hits.jsonl",
                    top=SHOWN,
                    threshold=None,
                    use="screening",
                    bar=bar,
                    workers=max(1, workers),
                )
                rate = len(asked) / (time.perf_counter() - start)
            if not workers:
                continue
            alone = alone or rate
            out.append(
                Row(
                    section,
                    f"bulk screening, {workers} process(es) (queries/s, wall time)",
                    label,
                    f"{rate:,.0f}",
                    note="watchlink screen --workers: file in, lines out"
                    + ("" if workers == 1 else f"; ×{rate / alone:.2f} of one process"),
                )
            )
    return out


def _outscored_by(screener: Screener[Any], query: Subject, truth: str) -> int:
    """How many subjects score at least as high as the listed one for a query the candidate
    list missed, searched among the best ``OUTSCORED_SEARCH`` by the index (all of them when
    it is not even there): a query with no birth date and hundreds of namesakes, where the
    listed one would not be among the best shown even if scored."""
    matches = screener.screen(query, top=OUTSCORED_SEARCH, candidates=OUTSCORED_SEARCH)
    scores = {m.subject_id: m.score for m in matches}
    if truth not in scores:
        return len(matches)
    listed = scores.pop(truth)
    return sum(score >= listed for score in scores.values())


def _listed(world: Any, subject_id: str) -> Subject:
    try:
        return world.subject(world.index_of(subject_id))  # type: ignore[no-any-return]
    except (KeyError, ValueError):
        return next(b.as_subject() for b in world.batches if b.as_subject().id == subject_id)


def measure_scorers(pairs: list[tuple[Subject, Subject]]) -> list[Row]:
    """Pairs/s of the shipped scorer, nomenklatura logic-v2 and rapidfuzz on the same pairs."""
    chosen, label = engine()
    section = "batch scoring (pairs/s on CPU time, one process)"
    prepared = [(chosen.prepare(q), chosen.prepare(c)) for q, c in pairs]
    start = time.process_time()
    for query, listed in prepared:
        chosen.score(query, listed)
    ours = len(prepared) / (time.process_time() - start)
    from watchlink.matching.native import native_active

    built = "compiled (make native)" if native_active() else "source: make native not run"
    out = [Row(section, f"{len(prepared):,} candidate pairs", label, f"{ours:,.0f}", "≥ 1M", built)]
    try:
        from nomenklatura.matching import LogicV2, ScoringConfig
    except ImportError:
        out.append(Row(section, "peer", "logic-v2", "skipped", note="pip install watchlink[bench]"))
    else:
        sample = pairs[:PEER_PAIRS]
        entities = [(ftm_person(q), ftm_person(c)) for q, c in sample]
        config = ScoringConfig.defaults()
        start = time.process_time()
        for query, listed in entities:
            LogicV2.compare(query, listed, config)
        theirs = len(entities) / (time.process_time() - start)
        note = f"watchlink ×{ours / theirs:,.1f}"
        out.append(
            Row(section, f"{len(entities):,} of the pairs", "logic-v2", f"{theirs:,.0f}", note=note)
        )
    from rapidfuzz import fuzz, process

    left = [q.primary_name for q, _ in pairs]
    right = [c.primary_name for _, c in pairs]
    start = time.process_time()
    process.cpdist(left, right, scorer=fuzz.token_sort_ratio, workers=1)
    fuzzy = len(pairs) / (time.process_time() - start)
    note = f"watchlink ×{ours / fuzzy:,.2f} (names only)"
    out.append(
        Row(section, f"{len(pairs):,} pairs", "rapidfuzz token_sort", f"{fuzzy:,.0f}", note=note)
    )
    return out + measure_compare(pairs)


def measure_compare(pairs: list[tuple[Subject, Subject]]) -> list[Row]:
    """``watchlink compare`` on the same pairs as FtM JSON lines: pairs/s, 1 and 2 processes."""
    import io
    import tempfile

    from watchlink.cli.compare import compare_file

    section = "batch scoring: watchlink compare (pairs/s, wall time, parsing included)"
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pairs.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for n, (query, listed) in enumerate(pairs):
                line = {
                    "id": n,
                    "left": ftm_person(query).to_dict(),
                    "right": ftm_person(listed).to_dict(),
                }
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        alone = 0.0
        for workers in (1, 2):
            start = time.perf_counter()
            compare_file(path, io.StringIO(), workers=workers)
            rate = len(pairs) / (time.perf_counter() - start)
            alone = alone or rate
            note = "" if workers == 1 else f"×{rate / alone:.2f} of one process"
            rows.append(
                Row(
                    section,
                    f"{len(pairs):,} pairs, {workers} process(es)",
                    "watchlink",
                    f"{rate:,.0f}",
                    "≥ 1M on 2 cores",
                    note,
                )
            )
    return rows


def rows(
    quick: bool = False, sizes: list[int] | None = None, seed: int = 7, queries: int | None = None
) -> list[Row]:
    """Every speed row, small sizes in quick mode; another ``seed`` draws another world."""
    sizes = sizes or ([2_000, 10_000] if quick else [10_000, 100_000, 1_000_000])
    out: list[Row] = []
    pairs: list[Any] = []
    for size in sizes:
        size_rows, pairs = measure_size(size, queries or (500 if quick else QUERIES), seed)
        out += size_rows
    out += measure_scorers(pairs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--sizes", help="comma-separated list sizes, e.g. 10000,100000")
    parser.add_argument("--seed", type=int, default=7, help="another world: a held-out check")
    parser.add_argument("--queries", type=int, help=f"encounters screened (default {QUERIES:,})")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else None
    from run import print_table

    print_table(rows(args.quick, sizes, args.seed, args.queries), "watchlink speed")


if __name__ == "__main__":
    main()
