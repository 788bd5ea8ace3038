"""OFAC's SDN list with its own aliases as positives (the half of the entries not trained on).

Positives: each entry's primary name against each of its aliases. Negatives: the primary
name against other entries' primary names sharing a name part (hard). Names only.
"""

from __future__ import annotations

import random
from collections import defaultdict

from quality_common import DATA, Row, logic_v2, prf, rapidfuzz_scorer, watchlink_scorer
from watchlink.matching.training_pairs import in_training_split
from watchlink.matching.training_sources import read_ofac_persons
from watchlink.model import Name, Subject

__all__ = ["ofac_rows"]

SECTION = "quality: OFAC aliases (held-out entries)"


def _subject(key: str, name: str) -> Subject:
    return Subject(id=key, agency="BENCH", names=[Name(name)])


def ofac_rows(quick: bool = False) -> list[Row]:
    """P/R/F1 on alias pairs and hard negatives for watchlink and the peers."""
    if not (DATA / "ofac_sdn.csv").exists():
        return [Row(SECTION, "skipped", "", "", note=f"no {DATA}/ofac_sdn.csv (moov-io/watchman)")]
    persons = [p for p in read_ofac_persons(DATA) if not in_training_split(p.entry)]
    rng = random.Random(11)
    pairs: list[tuple[Subject, Subject, bool]] = []
    by_token: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(persons):
        for token in {t.lower() for t in person.names[0].split() if len(t) > 2}:
            by_token[token].append(i)
    for i, person in enumerate(persons):
        primary = _subject(f"o{person.entry}", person.names[0])
        for j, alias in enumerate(person.names[1:]):
            pairs.append((primary, _subject(f"o{person.entry}a{j}", alias), True))
        tokens = sorted({t.lower() for t in person.names[0].split() if len(t) > 2})
        sharing = sorted({k for t in tokens for k in by_token[t] if k != i})
        for k in rng.sample(sharing, min(2, len(sharing))):
            other = persons[k]
            pairs.append((primary, _subject(f"o{other.entry}", other.names[0]), False))
    if quick:
        pairs = rng.sample(pairs, min(3_000, len(pairs)))
    labels = [y for _, _, y in pairs]
    systems = [("watchlink", watchlink_scorer())]
    peer = logic_v2()
    if peer is not None:
        systems.append(("logic-v2", peer))
    systems.append(("rapidfuzz", rapidfuzz_scorer()))
    rows: list[Row] = []
    positives = sum(labels)
    for label, (scorer, threshold) in systems:
        predicted = [scorer(a, b) >= threshold for a, b, _ in pairs]
        p, r, f = prf(labels, predicted)
        rows.append(
            Row(
                SECTION,
                f"{positives:,} alias pairs, {len(pairs) - positives:,} hard negatives",
                label,
                f"{f:.3f} (P {p:.3f} / R {r:.3f})",
                "",
                f"threshold {threshold}; names only",
            )
        )
    return rows
