"""Blind hits: what a screener who may not read the subject is told, and nothing more.

When screening matches a subject the screening agency may not read, the hit still
reaches it, blind: the action to take, whom to contact and a reference. No name,
score, explanation, link or count crosses; the owner sees the full encounter.
"""

from __future__ import annotations

from dataclasses import dataclass

from watchlink.access.actions import Action
from watchlink.access.actor import Actor
from watchlink.access.policy import DEFAULT_POLICY, Policy, Resource
from watchlink.model import ActionOnHit

__all__ = ["BlindNotice", "blind_notice", "is_blind"]


@dataclass(frozen=True, slots=True)
class BlindNotice:
    """The whole of what a blind recipient learns about a hit."""

    action: ActionOnHit
    contact_agency: str
    reference: str

    @property
    def text(self) -> str:
        """One sentence for the desk."""
        action = self.action.value.replace("_", " ")
        return (
            f"person of interest: {action}, contact agency {self.contact_agency}, "
            f"reference {self.reference}"
        )


def is_blind(actor: Actor, subject: Resource, policy: Policy = DEFAULT_POLICY) -> bool:
    """Whether the actor receives the hit blind: it may not read the matched subject."""
    return not policy.allowed(actor, Action.READ, subject).allow


def blind_notice(hit_id: str, action: ActionOnHit, owner_agency: str) -> BlindNotice:
    """The notice for a blind recipient, built from the hit id, the action and the owner only."""
    return BlindNotice(action=action, contact_agency=owner_agency, reference=f"H-{hit_id}")
