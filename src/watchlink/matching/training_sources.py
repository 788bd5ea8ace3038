"""Readers of the public labelled data the model is fitted on (from ``../shared/data``).

OFAC's SDN list (individuals, with their aliases, dates and places of birth and addresses),
Wikidata Latin ↔ Arabic name tokens, and Splink's fake_1000 records (with city and email).
Each reader returns plain tuples; the pairs are built in ``training_pairs.py``. These readers
run only when training or benchmarking."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from watchlink.model import PartialDate

__all__ = [
    "OfacPerson",
    "default_data_dir",
    "read_ofac_persons",
    "read_splink_fake",
    "read_wikidata_arabic_tokens",
]

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_DOB = re.compile(r"DOB (?:circa )?(?:(\d{1,2}) )?(?:([A-Za-z]{3}) )?(\d{4})")
_NATIONALITY = re.compile(r"nationality ([A-Za-z ]+)")
_POB = re.compile(r"POB ([^;]+)")


def default_data_dir() -> Path:
    """``../shared/data`` beside the checkout (the reference data folder)."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


@dataclass(slots=True)
class OfacPerson:
    """One listed individual: entry number, names (primary first), dates and places of birth."""

    entry: int
    names: list[str]
    birth_dates: list[PartialDate] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # "street, city postcode, country"


def _natural_order(name: str) -> str:
    """``"BIN LADIN, Usama"`` → ``"Usama BIN LADIN"`` (OFAC writes the family name first)."""
    if "," in name:
        family, _, given = name.partition(",")
        return f"{given.strip()} {family.strip()}".strip()
    return name.strip()


def _dates(remarks: str) -> list[PartialDate]:
    out: list[PartialDate] = []
    for day, month, year in _DOB.findall(remarks):
        try:
            if month and month.lower() in _MONTHS:
                out.append(
                    PartialDate(int(year), _MONTHS[month.lower()], int(day) if day else None)
                )
            else:
                out.append(PartialDate(int(year)))
        except ValueError:
            continue
    return out


def read_ofac_persons(data_dir: Path) -> list[OfacPerson]:
    """Individuals of the SDN list with their aliases (``ofac_sdn.csv`` + ``ofac_alt.csv``)."""
    persons: dict[int, OfacPerson] = {}
    with (data_dir / "ofac_sdn.csv").open(encoding="utf-8", errors="replace") as handle:
        for row in csv.reader(handle):
            if len(row) < 12 or row[2].strip() != "individual":
                continue
            remarks = row[11].strip()
            person = OfacPerson(int(row[0]), [_natural_order(row[1])], _dates(remarks))
            person.nationalities = [n.strip() for n in _NATIONALITY.findall(remarks)]
            person.birth_places = [p.strip() for p in _POB.findall(remarks) if p.strip()]
            persons[person.entry] = person
    with (data_dir / "ofac_alt.csv").open(encoding="utf-8", errors="replace") as handle:
        for row in csv.reader(handle):
            if len(row) < 4 or not row[0].strip().isdigit():
                continue
            person_or_none = persons.get(int(row[0]))
            if person_or_none is not None and row[3].strip() not in ("", "-0-"):
                person_or_none.names.append(_natural_order(row[3]))
    _read_ofac_addresses(data_dir / "ofac_add.csv", persons)
    return sorted(persons.values(), key=lambda p: p.entry)


def _read_ofac_addresses(path: Path, persons: dict[int, OfacPerson]) -> None:
    """Each listed individual's addresses (street, city and postcode, country), when given."""
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for row in csv.reader(handle):
            if len(row) < 5 or not row[0].strip().isdigit():
                continue
            person = persons.get(int(row[0]))
            parts = [p.strip() for p in row[2:5] if p.strip() not in ("", "-0-")]
            if person is not None and parts:
                person.addresses.append(", ".join(parts))


def read_wikidata_arabic_tokens(data_dir: Path, min_count: int = 2) -> list[tuple[str, str, int]]:
    """``(latin, arabic, count)`` name-token pairs from Wikidata (letters of the Arabic joined)."""
    out: list[tuple[str, str, int]] = []
    path = data_dir / "translit_wikidata_en_ar_tokens_coling2018.tsv"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not parts[2].isdigit() or int(parts[2]) < min_count:
                continue
            out.append((parts[0], parts[1].replace(" ", ""), int(parts[2])))
    return out


def read_splink_fake(
    data_dir: Path,
) -> tuple[dict[str, tuple[str, str, str, str, str]], list[tuple[str, str, float]]]:
    """Splink's fake_1000: records ``id → (first, surname, dob, city, email)`` and labels."""
    records: dict[str, tuple[str, str, str, str, str]] = {}
    with (data_dir / "splink_fake_1000.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            records[row["unique_id"]] = (
                row["first_name"],
                row["surname"],
                row["dob"],
                row["city"],
                row["email"],
            )
    labels: list[tuple[str, str, float]] = []
    with (data_dir / "splink_fake_1000_labels.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            labels.append(
                (row["unique_id_l"], row["unique_id_r"], float(row["clerical_match_score"]))
            )
    return records, labels
