"""Batches of blank passports reported stolen: consecutive numbers, no holder.

A stolen blank document has no person behind it, so the batch is recorded as a
subject of the reporting agency that carries only the documents, each with status
``stolen``, and a label as its one (weak alias) name so lists and FtM files can show
it: any encounter presenting one of the documents is a hit on the document alone,
whatever name is printed in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from watchlink.model import (
    ActionOnHit,
    ConcernLevel,
    Distribution,
    DocumentStatus,
    DocumentType,
    HandlingCode,
    IdentityDocument,
    Name,
    NameKind,
    Provenance,
    Sharing,
    Subject,
)

__all__ = ["StolenBatch"]


@dataclass(frozen=True, slots=True)
class StolenBatch:
    """``count`` blank passports of ``country`` numbered ``series + first`` onwards."""

    id: str
    agency: str  # the reporting agency
    country: str  # the issuing country of the blanks
    series: str  # letter prefix, e.g. "XS"
    first: int
    count: int
    reported_at: datetime

    def numbers(self) -> list[str]:
        """The consecutive document numbers of the batch."""
        return [f"{self.series}{self.first + k:07d}" for k in range(self.count)]

    def number(self, k: int) -> str:
        """The ``k``-th number of the batch (0-based)."""
        if not 0 <= k < self.count:
            raise IndexError(f"batch {self.id} has {self.count} documents, not {k + 1}")
        return f"{self.series}{self.first + k:07d}"

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and number in set(self.numbers())

    @property
    def label(self) -> str:
        """How lists show the batch, e.g. ``Stolen blank passports SY XS4210300-XS4210799``."""
        last = self.number(self.count - 1)
        return f"Stolen blank passports {self.country} {self.number(0)}-{last}"

    def as_subject(self) -> Subject:
        """The batch as a record of its reporter, shared with every partner."""
        prov = Provenance(self.agency, self.reported_at, self.reported_at)
        documents = [
            IdentityDocument(n, DocumentType.PASSPORT, self.country, DocumentStatus.STOLEN, prov)
            for n in self.numbers()
        ]
        return Subject(
            id=self.id,
            agency=self.agency,
            names=[Name(self.label, NameKind.WEAK_ALIAS, provenance=prov)],
            documents=documents,
            concern=ConcernLevel.HIGH,
            action_on_hit=ActionOnHit.SPECIFIC_CHECK,
            sharing=Sharing(Distribution.ALL_PARTNERS, None, HandlingCode.H0),
            legal_basis="Stolen and lost travel documents notice (synthetic)",
            notes=(
                f"Batch of {self.count} blank {self.country} passports reported stolen, "
                f"{self.number(0)} to {self.number(self.count - 1)}."
            ),
        )
