"""The rules of the policy; the defaults ship through the same mechanism as any other.

A rule either *allows* or *denies*. For one actor and action it yields a predicate over
the record's sharing fields. A record is allowed when at least one allow rule's
predicate holds and no deny rule's predicate holds. The same predicates are evaluated
in Python and compiled to SQL (see ``predicates``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from watchlink.access.actions import REQUIRED, Action, Permission, RolePermissions
from watchlink.access.actor import Actor
from watchlink.access.predicates import AllOf, AnyOf, Const, Field, FieldEq, FieldIn, Not, Pred
from watchlink.access.predicates import RecordHolds as Holds
from watchlink.model import Distribution, HandlingCode

__all__ = [
    "CONSENTS",
    "DEFAULT_RULES",
    "Rule",
    "permissions_of",
]

CONSENTS = "consents"  # set attribute: agencies the owner consented to onward use by

SUBJECT_ACTIONS = frozenset(
    {Action.READ, Action.LIST, Action.EXPORT, Action.SHARE_ONWARD, Action.WRITE}
)
ONWARD = frozenset({Action.EXPORT, Action.SHARE_ONWARD})
# Handling codes under which a record may reach beyond its owner at all.
REACHABLE = frozenset({HandlingCode.H0.value, HandlingCode.H1.value, HandlingCode.H2.value})


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: which actions it speaks to, its effect, its condition and its reason."""

    name: str
    effect: Literal["allow", "deny"]
    actions: frozenset[Action]
    condition: Callable[[Actor, Action, RolePermissions], Pred]
    reason: str

    def applies(self, action: Action) -> bool:
        """Whether the rule has anything to say about ``action``."""
        return action in self.actions


def permissions_of(actor: Actor, table: RolePermissions) -> frozenset[Permission]:
    """What the actor's roles grant, narrowed by its token's scopes when it has one."""
    granted: set[Permission] = set()
    for role in actor.roles:
        granted |= table.get(role, frozenset())
    if actor.scopes is not None:
        granted &= {p for p in Permission if p.value in actor.scopes}
    return frozenset(granted)


def _lacks_permission(actor: Actor, action: Action, table: RolePermissions) -> Pred:
    return Const(REQUIRED[action] not in permissions_of(actor, table))


def _owner(actor: Actor, _action: Action, _table: RolePermissions) -> Pred:
    return FieldEq(Field.OWNER_AGENCY, actor.agency)


def _within_distribution(actor: Actor, _action: Action, _table: RolePermissions) -> Pred:
    reach = AnyOf(
        (
            AllOf(
                (
                    FieldEq(Field.DISTRIBUTION, Distribution.OWN_COUNTRY.value),
                    FieldEq(Field.OWNER_COUNTRY, actor.country),
                )
            ),
            AllOf(
                (
                    FieldEq(Field.DISTRIBUTION, Distribution.PARTNER_GROUP.value),
                    FieldIn(Field.PARTNER_GROUP, actor.groups),
                )
            ),
            FieldEq(Field.DISTRIBUTION, Distribution.ALL_PARTNERS.value),
        )
    )
    return AllOf((FieldIn(Field.HANDLING, REACHABLE), reach))


def _h2_without_consent(actor: Actor, _action: Action, _table: RolePermissions) -> Pred:
    return AllOf(
        (
            FieldEq(Field.HANDLING, HandlingCode.H2.value),
            Not(FieldEq(Field.OWNER_AGENCY, actor.agency)),
            Not(Holds(CONSENTS, actor.agency)),
        )
    )


def _not_owner(actor: Actor, _action: Action, _table: RolePermissions) -> Pred:
    return Not(FieldEq(Field.OWNER_AGENCY, actor.agency))


def _always(_actor: Actor, _action: Action, _table: RolePermissions) -> Pred:
    return Const(True)


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(
        "role-permission",
        "deny",
        frozenset(Action),
        _lacks_permission,
        "the actor's roles (and token scopes) do not grant this action",
    ),
    Rule(
        "owner",
        "allow",
        SUBJECT_ACTIONS | {Action.MANAGE_USERS},
        _owner,
        "the record (or user) belongs to the actor's agency",
    ),
    Rule(
        "distribution",
        "allow",
        frozenset({Action.READ, Action.LIST, Action.EXPORT, Action.SHARE_ONWARD}),
        _within_distribution,
        "the record's distribution reaches the actor's agency",
    ),
    Rule(
        "h2-no-onward-use",
        "deny",
        ONWARD,
        _h2_without_consent,
        "H2: no onward sharing or export without the owner's consent",
    ),
    Rule(
        "only-owner-writes",
        "deny",
        frozenset({Action.WRITE}),
        _not_owner,
        "only the owning agency changes a record",
    ),
    Rule(
        "non-record-actions",
        "allow",
        frozenset({Action.SCREEN, Action.READ_AUDIT}),
        _always,
        "granted by role",
    ),
)
