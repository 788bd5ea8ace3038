"""The SQL filter selects exactly the records ``allowed`` allows (same rules, two forms).

Runs on a small table of sharing fields in in-memory SQLite, with random records and
actors, including unknown and missing values; the database-backed equivalence over
the real tables is the state machine in ``test_access_state_machine.py``.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    exists,
    select,
)

from watchlink.access import (
    Action,
    Actor,
    Resource,
    SubjectColumns,
    allowed,
    field_visibility_filter,
    stricter,
    subject_visibility_filter,
)
from watchlink.model import Role

AGENCIES = {"FR-INT": "FR", "FR-POL": "FR", "BE-SUR": "BE", "DE-BKA": "DE"}
GROUPS = ["G1", "G2"]
meta = MetaData()
records = Table(
    "records",
    meta,
    Column("id", Integer, primary_key=True),
    Column("owner", String),
    Column("country", String),
    Column("distribution", String),
    Column("grp", String),
    Column("handling", String),
    Column("field_handling", String),
)
consents = Table("consents", meta, Column("record_id", Integer), Column("agency", String))
engine = create_engine("sqlite://")
meta.create_all(engine)

maybe = st.one_of(st.none(), st.just(""), st.just("junk"))
resources = st.builds(
    Resource,
    owner_agency=st.sampled_from(sorted(AGENCIES)),
    owner_country=st.none(),
    distribution=st.one_of(
        st.sampled_from(["own_agency", "own_country", "partner_group", "all_partners"]), maybe
    ),
    partner_group=st.one_of(st.sampled_from(GROUPS), maybe),
    handling=st.one_of(st.sampled_from(["H0", "H1", "H2", "H3"]), maybe),
    consents=st.frozensets(st.sampled_from(sorted(AGENCIES)), max_size=2),
)
field_codes = st.one_of(st.none(), st.sampled_from(["H0", "H1", "H2", "H3", "H8"]))
actors = st.builds(
    lambda agency, roles, groups: Actor("u", agency, AGENCIES[agency], roles, groups),
    st.sampled_from(sorted(AGENCIES)),
    st.frozensets(st.sampled_from(list(Role)), max_size=2),
    st.frozensets(st.sampled_from(GROUPS)),
)

COLUMNS = SubjectColumns(
    owner_agency=records.c.owner,
    owner_country=records.c.country,
    distribution=records.c.distribution,
    partner_group=records.c.grp,
    handling=records.c.handling,
    consents=lambda agency: exists().where(
        consents.c.record_id == records.c.id, consents.c.agency == agency
    ),
)


@pytest.mark.parametrize("action", [Action.READ, Action.LIST, Action.EXPORT, Action.WRITE])
@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(resources, field_codes), min_size=1, max_size=12),
    actor=actors,
)
def test_filter_equals_allowed(
    action: Action, rows: list[tuple[Resource, str | None]], actor: Actor
) -> None:
    with engine.begin() as conn:
        conn.execute(consents.delete())
        conn.execute(records.delete())
        for index, (resource, field_code) in enumerate(rows):
            conn.execute(
                records.insert().values(
                    id=index,
                    owner=resource.owner_agency,
                    country=AGENCIES[resource.owner_agency or ""],
                    distribution=resource.distribution,
                    grp=resource.partner_group,
                    handling=resource.handling,
                    field_handling=field_code,
                )
            )
            for agency in resource.consents:
                conn.execute(consents.insert().values(record_id=index, agency=agency))
        seen = set(
            conn.scalars(
                select(records.c.id).where(subject_visibility_filter(actor, COLUMNS, action))
            )
        )
        seen_fields = set(
            conn.scalars(
                select(records.c.id).where(
                    field_visibility_filter(actor, COLUMNS, records.c.field_handling, action)
                )
            )
        )
    expected: set[int] = set()
    expected_fields: set[int] = set()
    for index, (resource, field_code) in enumerate(rows):
        full = dataclasses.replace(resource, owner_country=AGENCIES[resource.owner_agency or ""])
        if allowed(actor, action, full).allow:
            expected.add(index)
        narrowed = dataclasses.replace(full, handling=stricter(full.handling, field_code))
        if allowed(actor, action, narrowed).allow:
            expected_fields.add(index)
    assert seen == expected
    assert seen_fields == expected_fields


def test_screening_runs_against_everything_and_reading_does_not() -> None:
    border = Actor("gr.border", "BE-SUR", "BE", frozenset({Role.BORDER_OFFICER}))
    with engine.begin() as conn:
        conn.execute(consents.delete())
        conn.execute(records.delete())
        conn.execute(
            records.insert().values(
                id=1, owner="FR-INT", country="FR", distribution="own_agency", handling="H3"
            )
        )
        screened = conn.scalars(
            select(records.c.id).where(subject_visibility_filter(border, COLUMNS, Action.SCREEN))
        )
        assert list(screened) == [1]
        listed = conn.scalars(
            select(records.c.id).where(subject_visibility_filter(border, COLUMNS, Action.LIST))
        )
        assert list(listed) == []
