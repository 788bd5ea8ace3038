"""A state machine of agencies, users, partner groups and subjects with random sharing.

After each step, every user's visible set through the SQL filter (with the actor
resolved afresh from the database) equals the pure model's set through ``allowed``,
and the audit trail, which logged every listing, still verifies.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, delete, insert, select

from access_support import FAST, SUBJECT_STORE, add_agency, directory, join, leave, reset
from watchlink.access import Action, Resource, allowed, subject_visibility_filter
from watchlink.model import AuditAction, Role
from watchlink.services.audit import AuditTrail, Who
from watchlink.services.audit_chain import SigningKey
from watchlink.services.auth import AuthService
from watchlink.store import Database
from watchlink.store import tables as t

COUNTRIES = ["FR", "BE", "DE"]
DISTRIBUTIONS = ["own_agency", "own_country", "partner_group", "all_partners", "", "bogus"]
HANDLING = ["H0", "H1", "H2", "H3", "H9"]
READER_ROLES = [Role.ANALYST, Role.SUPERVISOR, Role.LIAISON_OFFICER, Role.BORDER_OFFICER]
NOW = datetime(2026, 1, 1, tzinfo=UTC)


class SharingMachine(RuleBasedStateMachine):
    """Random worlds; the database's answer and the model's must agree after every step."""

    agency_codes = Bundle("agencies")
    group_codes = Bundle("groups")

    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.engine: Engine = ENGINE[0]
        reset(self.engine)
        with self.engine.begin() as conn:
            conn.execute(delete(t.agencies))
        self.trail = AuditTrail(SigningKey.load_or_create(Path(self.tmp.name) / "k"), 5)
        self.trail.ensure_head(self.engine)
        self.auth = AuthService(self.trail, directory, FAST)
        # the model
        self.countries: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.users: dict[str, tuple[str, Role]] = {}
        self.records: dict[str, Resource] = {}

    def teardown(self) -> None:
        self.tmp.cleanup()

    @rule(target=agency_codes, country=st.sampled_from(COUNTRIES))
    def add_agency(self, country: str) -> str:
        code = f"{country}-{len(self.countries)}"
        with self.engine.begin() as conn:
            add_agency(conn, code, country)
        self.countries[code] = country
        return code

    @rule(target=group_codes)
    def add_group(self) -> str:
        code = f"G{len(self.members)}"
        self.members[code] = set()
        return code

    @rule(group=group_codes, agency=agency_codes)
    def join(self, group: str, agency: str) -> None:
        if agency in self.members[group]:
            return
        with self.engine.begin() as conn:
            join(conn, group, agency)
        self.members[group].add(agency)

    @rule(group=group_codes, agency=agency_codes)
    def leave(self, group: str, agency: str) -> None:
        with self.engine.begin() as conn:
            leave(conn, group, agency)
        self.members[group].discard(agency)

    @rule(agency=agency_codes, role=st.sampled_from(READER_ROLES))
    def add_user(self, agency: str, role: Role) -> None:
        name = f"user{len(self.users)}"
        with self.engine.begin() as conn:
            self.auth.add_user(conn, None, name, agency, [role.value], "a long enough secret")
        self.users[name] = (agency, role)

    @rule(
        agency=agency_codes,
        distribution=st.sampled_from(DISTRIBUTIONS),
        group=st.one_of(st.none(), group_codes, st.just("G-unknown")),
        handling=st.sampled_from(HANDLING),
    )
    def add_subject(self, agency: str, distribution: str, group: str | None, handling: str) -> None:
        key = f"s{len(self.records) + 1}"
        with self.engine.begin() as conn:  # raw rows: unknown sharing values included
            conn.execute(
                insert(t.subjects).values(
                    id=key,
                    agency=agency,
                    concern=2,
                    action_on_hit="notify_only",
                    status="active",
                    distribution=distribution,
                    partner_group=group,
                    handling=handling,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        self.records[key] = Resource(agency, self.countries[agency], distribution, group, handling)

    @rule(group=consumes(group_codes))
    def dissolve_group(self, group: str) -> None:
        with self.engine.begin() as conn:
            leave(conn, group)
        self.members[group] = set()

    @precondition(lambda self: bool(self.users))
    @invariant()
    def visible_sets_agree(self) -> None:
        for name, (agency, role) in self.users.items():
            with self.engine.begin() as conn:
                actor = self.auth.resolve(conn, name)
                seen = set(
                    conn.scalars(
                        select(t.subjects.c.id).where(
                            subject_visibility_filter(actor, SUBJECT_STORE.columns)
                        )
                    )
                )
                self.trail.record(conn, Who.of(actor), AuditAction.SEARCH, sorted(seen))
            groups = frozenset(g for g, m in self.members.items() if agency in m)
            assert actor.groups == groups and actor.roles == {role}
            expected = {
                key
                for key, resource in self.records.items()
                if allowed(actor, Action.LIST, resource).allow
            }
            assert seen == expected, (name, agency, role)

    @invariant()
    def audit_chain_verifies(self) -> None:
        with self.engine.connect() as conn:
            assert self.trail.verify(conn) is None


ENGINE: list[Engine] = []  # the test's database, handed to each run of the machine


RUN = settings(
    max_examples=int(os.environ.get("WATCHLINK_STATE_EXAMPLES", "25")),
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_sharing_machine(database: Database) -> None:
    ENGINE[:] = [database.engine]
    run_state_machine_as_test(SharingMachine, settings=RUN)
