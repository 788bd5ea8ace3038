"""The one policy: ``allowed`` for a single decision, and the SQL filter for queries.

Both are derived from the same list of rules (``rules.DEFAULT_RULES`` unless a policy
is built with others), so whatever a list, search, count or export returns is exactly
the set of records for which ``allowed`` says yes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, not_, or_
from sqlalchemy.sql.expression import false

from watchlink.access.actions import DEFAULT_ROLE_PERMISSIONS, Action, RolePermissions
from watchlink.access.actor import Actor
from watchlink.access.predicates import Field, compile_sql, evaluate
from watchlink.access.rules import CONSENTS, DEFAULT_RULES, Rule
from watchlink.model import Distribution, HandlingCode, Subject

__all__ = [
    "DEFAULT_POLICY",
    "HANDLING_ORDER",
    "Policy",
    "Resource",
    "SubjectColumns",
    "Verdict",
    "allowed",
    "resource_of",
    "stricter",
    "subject_visibility_filter",
]

HANDLING_ORDER: tuple[str, ...] = tuple(h.value for h in HandlingCode)


def stricter(record: str | None, own: str | None) -> str | None:
    """The stricter of a record's and a field's handling code; unknown codes win."""
    if own is None or own == "":
        return record
    if record is None or record not in HANDLING_ORDER:
        return record  # an unknown record code already reaches the owner only
    if own not in HANDLING_ORDER:
        return own
    return max(record, own, key=HANDLING_ORDER.index)


@dataclass(frozen=True, slots=True)
class Verdict:
    """A decision and the reason for it, always."""

    allow: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allow


@dataclass(frozen=True, slots=True)
class Resource:
    """The sharing facts of one record (or of a user, for user management).

    Values are kept as plain strings: whatever the database holds, known or not, is
    judged as it is, and anything unknown reaches the owner only.
    """

    owner_agency: str | None = None
    owner_country: str | None = None
    distribution: str | None = None
    partner_group: str | None = None
    handling: str | None = None
    consents: frozenset[str] = field(default_factory=frozenset)

    def fields(self) -> dict[Field, str | None]:
        """The record's fields as the predicates read them."""
        return {
            Field.OWNER_AGENCY: self.owner_agency,
            Field.OWNER_COUNTRY: self.owner_country,
            Field.DISTRIBUTION: self.distribution,
            Field.PARTNER_GROUP: self.partner_group,
            Field.HANDLING: self.handling,
        }


def resource_of(subject: Subject, owner_country: str | None) -> Resource:
    """The resource of a subject; a field's stricter handling is applied by the caller."""
    sharing = subject.sharing
    distribution = sharing.distribution
    if distribution is Distribution.PARTNER_GROUP and not sharing.partner_group:
        distribution = Distribution.OWN_AGENCY
    return Resource(
        owner_agency=subject.agency,
        owner_country=owner_country,
        distribution=distribution.value,
        partner_group=sharing.partner_group,
        handling=sharing.handling.value,
    )


@dataclass(frozen=True, slots=True)
class SubjectColumns:
    """Where the sharing fields live in a query: one column expression per field.

    ``owner_country`` is usually a scalar subquery on the agencies table;
    ``consents`` (optional) tests whether the owner consented to onward use by an agency.
    """

    owner_agency: ColumnElement[str]
    owner_country: ColumnElement[str]
    distribution: ColumnElement[str]
    partner_group: ColumnElement[str]
    handling: ColumnElement[str]
    consents: Callable[[str], ColumnElement[bool]] | None = None

    def mapping(self) -> dict[Field, ColumnElement[str]]:
        """The columns by field."""
        return {
            Field.OWNER_AGENCY: self.owner_agency,
            Field.OWNER_COUNTRY: self.owner_country,
            Field.DISTRIBUTION: self.distribution,
            Field.PARTNER_GROUP: self.partner_group,
            Field.HANDLING: self.handling,
        }


@dataclass(frozen=True, slots=True)
class Policy:
    """A list of rules and a role table; decides single records and builds SQL filters."""

    rules: tuple[Rule, ...] = DEFAULT_RULES
    roles: RolePermissions = field(default_factory=lambda: DEFAULT_ROLE_PERMISSIONS)

    def allowed(self, actor: Actor, action: Action, resource: Resource) -> Verdict:
        """Allowed when an allow rule holds and no deny rule does; the reason says which."""
        fields = resource.fields()
        sets = {CONSENTS: resource.consents}
        granted: Rule | None = None
        for rule in self.rules:
            if not rule.applies(action):
                continue
            holds = evaluate(rule.condition(actor, action, self.roles), fields, sets)
            if holds and rule.effect == "deny":
                return Verdict(False, f"{rule.name}: {rule.reason}")
            if holds and granted is None:
                granted = rule
        if granted is None:
            return Verdict(False, f"no rule grants {action.value} on this record to the agency")
        return Verdict(True, f"{granted.name}: {granted.reason}")

    def filter(
        self, actor: Actor, columns: SubjectColumns, action: Action = Action.LIST
    ) -> ColumnElement[bool]:
        """The SQL condition selecting exactly the rows ``allowed`` would allow."""
        mapping = columns.mapping()
        sets = {} if columns.consents is None else {CONSENTS: columns.consents}
        allows: list[ColumnElement[bool]] = []
        denies: list[ColumnElement[bool]] = []
        for rule in self.rules:
            if not rule.applies(action):
                continue
            sql = compile_sql(rule.condition(actor, action, self.roles), mapping, sets)
            (allows if rule.effect == "allow" else denies).append(sql)
        if not allows:
            return false()
        return and_(or_(*allows), not_(or_(false(), *denies)))


DEFAULT_POLICY = Policy()


def allowed(
    actor: Actor, action: Action, resource: Resource, policy: Policy = DEFAULT_POLICY
) -> Verdict:
    """Decide one action on one record with the policy (the shipped one by default)."""
    return policy.allowed(actor, action, resource)


def subject_visibility_filter(
    actor: Actor,
    tables: SubjectColumns,
    action: Action = Action.LIST,
    policy: Policy = DEFAULT_POLICY,
) -> ColumnElement[bool]:
    """The SQL condition that list, search, count, export and screening queries apply.

    With ``Action.SCREEN`` it selects every subject for an actor allowed to screen:
    screening runs against the whole watchlist, and what each recipient of a hit may
    see is decided per hit (``is_blind``), never by leaving subjects out of the match.
    """
    return policy.filter(actor, tables, action)
