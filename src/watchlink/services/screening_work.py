"""What one screening call gathers and writes: its hits, messages and co-travel flags.

``ScreeningService`` loads what the call's encounters share once (directory, matched
subjects, document trails, bookings) into a ``CallWork``, makes each encounter's hits
into it, and stores them with ``store``: the co-travel flags on earlier hits of the
bookings, the hits with their recipients and the outbox messages, one statement per
table. ``follow_trail`` adds the hit a document's earlier hits call for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from watchlink.model import Encounter, Hit, Subject
from watchlink.services.routing import Directory
from watchlink.store.hits_bulk import HitWriter
from watchlink.store.hits_query import TrailHit
from watchlink.store.outbox import NewMessage
from watchlink.store.unit_of_work import UnitOfWork

__all__ = ["CallWork", "Scored", "follow_trail"]


@dataclass(slots=True)
class Scored:
    """A subject's score for one encounter, its explanation, and whether a document
    alert made it a hit."""

    score: float
    explanation: list[str]
    alert: bool


@dataclass(slots=True)
class CallWork:
    """What one screening call loads once and shares between its encounters."""

    directory: Directory
    subjects: dict[str, Subject]
    trails: dict[str, list[TrailHit]]
    groups: dict[str, list[str]] = field(default_factory=dict)  # booking → encounter ids
    groups_new: dict[str, list[str]] = field(default_factory=dict)  # call's encounter → others
    made: list[tuple[Hit, Subject]] = field(default_factory=list)  # to store, in order
    messages: list[NewMessage] = field(default_factory=list)  # one per hit recipient
    audited: list[str] = field(default_factory=list)  # hit, encounter, subject, ...

    def store(self, uow: UnitOfWork, writer: HitWriter) -> None:
        """The call's co-travel flags on earlier hits, its hits and their messages, in
        bulk: a statement per table."""
        flags: dict[str, list[str]] = {}
        new = set(self.groups_new)
        for encounter_id, others in self.groups_new.items():
            for other in others:
                if other not in new:  # the call's own hits list their group already
                    flags.setdefault(other, []).append(encounter_id)
        writer.flag_co_travellers(flags)
        writer.add_many(hit for hit, _ in self.made)
        uow.outbox.add_many(self.messages)


def follow_trail(scored: dict[str, Scored], encounter: Encounter, earlier: TrailHit) -> None:
    """A document that hit a subject at an earlier encounter hits it again here."""
    assert encounter.document is not None
    line = (
        f'document "{encounter.document.number}" was presented at encounter '
        f"{earlier.encounter_id} ({earlier.occurred_at:%Y-%m-%d}), a hit on this subject"
    )
    found = scored.setdefault(earlier.subject_id, Scored(0.0, [], False))
    if line not in found.explanation:
        found.score = max(found.score, earlier.score)
        found.explanation.insert(0, line)
