"""The audit of one screening call: one line naming what the call screened and created.

A screening call writes a single ``screen`` line when it is done: its records are the
encounters screened, then, for each hit created, the hit, its encounter and its
subject, so an auditor who searches the trail for a hit id (or the encounter, or the
subject) finds the line that created it. The monitoring trigger of a hit may record
lines of its own (a review task on a resting subject); they are held by ``HeldTrail``
and appended right after the call's line, in the same visit to the trail's head
(``AuditTrail.record_many``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from watchlink.access import Actor
from watchlink.model import AuditAction
from watchlink.services.audit import AuditTrail, Line, Who

__all__ = ["HeldTrail", "screen_line", "screen_query"]


def screen_query(encounters: int, hits: int) -> str:
    """How the screening line describes itself, and how its records are laid out."""
    text = f"screen {encounters} encounter(s)"
    if hits:
        text += f"; {hits} hit(s) created, each as hit, encounter, subject after the encounters"
    return text


class HeldTrail(AuditTrail):
    """The trail as a screening call lends it to the monitoring trigger.

    ``claim_writer`` takes the head's lock at once (what the trigger reads and writes
    is serialised with the other writers, as when it wrote its own lines); ``record``
    and ``record_many`` hold the lines, for the call to append after its own, and
    return 0 for each: a line's sequence number is known only then.
    """

    def __init__(self, trail: AuditTrail, *, locked: bool = False) -> None:
        super().__init__(trail.key, trail.checkpoint_every, trail.policy)
        self.held: list[Line] = []
        self.locked = locked  # whether the call holds the head's lock already

    def claim_writer(self, conn: Connection) -> None:
        """Lock the trail's head now (once), until the call commits."""
        if not self.locked:
            self.lock_head(conn)
            self.locked = True

    def record(
        self,
        conn: Connection,
        who: Who,
        action: AuditAction,
        records: Sequence[str] = (),
        query: str | None = None,
        purpose: str | None = None,
    ) -> int:
        """Hold the line, to be written after the call's own; 0 until then."""
        self.held.append(Line(who, action, list(records), query, purpose))
        return 0

    def record_many(self, conn: Connection, lines: Sequence[Line]) -> list[int]:
        """Hold the lines, in order, as ``record`` does each; 0 for each until then."""
        self.held.extend(lines)
        return [0] * len(lines)


def screen_line(actor: Actor, encounters: Sequence[str], created: Sequence[str]) -> Line:
    """The call's line: the encounters screened, then ``created`` (hit, encounter,
    subject of each hit the call created)."""
    query = screen_query(len(encounters), len(created) // 3)
    return Line(Who.of(actor), AuditAction.SCREEN, [*encounters, *created], query)
