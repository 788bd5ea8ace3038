"""Who receives a hit, in which role, and whether blind.

A hit reaches: the agency owning the matched subject; the agency that reported the
encounter (blind when the policy says its screener may not read the subject); and each
agency of the journey's destination country whose reach, under the subject's sharing
rules, includes the subject ("he is heading to Belgium"). An agency receives a hit once,
in the first of those roles that applies, so a reporter that is also in the destination
country keeps its reporter's (possibly blind) view.
"""

from __future__ import annotations

from dataclasses import dataclass

from watchlink.access import Action, Actor, Permission, Policy, Resource, is_blind, resource_of
from watchlink.model import Agency, Encounter, HitRecipient, HitRecipientRole, Subject

__all__ = ["Directory", "agency_reader", "route_hit"]


@dataclass(frozen=True, slots=True)
class Directory:
    """The agencies as routing needs them: country of each, partner groups of each."""

    agencies: tuple[Agency, ...]
    groups: dict[str, frozenset[str]]

    def country_of(self, code: str) -> str | None:
        """The agency's country, or None for an unknown agency."""
        return next((a.country for a in self.agencies if a.code == code), None)

    def in_country(self, country: str) -> list[str]:
        """Codes of the agencies of a country, by code."""
        return sorted(a.code for a in self.agencies if a.country == country)


def agency_reader(policy: Policy, code: str, country: str, groups: frozenset[str]) -> Actor:
    """An agency as a reader with every role that may read subjects: its reach, not a user's.

    Used to ask whether the subject's sharing rules let an agency read it at all.
    """
    roles = frozenset(
        r for r, granted in policy.roles.items() if Permission.SUBJECT_READ in granted
    )
    return Actor(user=f"agency:{code}", agency=code, country=country, roles=roles, groups=groups)


def route_hit(
    policy: Policy,
    directory: Directory,
    reporter: Actor,
    subject: Subject,
    encounter: Encounter,
) -> list[HitRecipient]:
    """The recipients of a hit of ``encounter`` on ``subject`` reported by ``reporter``."""
    resource = resource_of(subject, directory.country_of(subject.agency))
    routed: dict[str, HitRecipient] = {}
    routed[subject.agency] = HitRecipient(subject.agency, HitRecipientRole.OWNER, blind=False)
    if reporter.agency not in routed:
        blind = is_blind(reporter, resource, policy)
        routed[reporter.agency] = HitRecipient(reporter.agency, HitRecipientRole.REPORTER, blind)
    destination = encounter.destination_country
    if destination is not None:
        for code in directory.in_country(destination):
            if code in routed:
                continue
            reader = agency_reader(
                policy, code, destination, directory.groups.get(code, frozenset())
            )
            if _may_read(policy, reader, resource):
                routed[code] = HitRecipient(code, HitRecipientRole.DESTINATION, blind=False)
    return list(routed.values())


def _may_read(policy: Policy, reader: Actor, resource: Resource) -> bool:
    return policy.allowed(reader, Action.READ, resource).allow
