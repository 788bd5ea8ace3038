"""The policy decides single records with a reason; unknown sharing reaches the owner only."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchlink.access import (
    DEFAULT_POLICY,
    Action,
    Actor,
    BlindNotice,
    Permission,
    Resource,
    allowed,
    blind_notice,
    is_blind,
    load_role_permissions,
    redact_subject,
    resource_of,
    stricter,
)
from watchlink.api.app import create_app
from watchlink.errors import InputError
from watchlink.model import (
    ActionOnHit,
    Distribution,
    HandlingCode,
    IdentityDocument,
    Name,
    Role,
    Sharing,
    Subject,
)
from watchlink.services.access_wiring import load_policy
from watchlink.settings import Settings

FR_INT = Actor("alice", "FR-INT", "FR", frozenset({Role.ANALYST}), frozenset({"G5"}))
FR_POL = Actor("bruno", "FR-POL", "FR", frozenset({Role.ANALYST}))
BE_SUR = Actor("chloe", "BE-SUR", "BE", frozenset({Role.ANALYST}), frozenset({"G5"}))
DE_BKA = Actor("dieter", "DE-BKA", "DE", frozenset({Role.ANALYST}))


def record(
    distribution: str | None,
    handling: str | None = "H1",
    group: str | None = None,
    consents: frozenset[str] = frozenset(),
) -> Resource:
    return Resource("FR-INT", "FR", distribution, group, handling, consents)


@pytest.mark.parametrize(
    ("resource", "actor", "expected"),
    [
        (record("own_agency"), FR_INT, True),
        (record("own_agency"), FR_POL, False),
        (record("own_country"), FR_POL, True),
        (record("own_country"), BE_SUR, False),
        (record("partner_group", group="G5"), BE_SUR, True),
        (record("partner_group", group="G5"), DE_BKA, False),
        (record("partner_group", group=None), BE_SUR, False),
        (record("partner_group", group=""), FR_POL, False),
        (record("all_partners"), DE_BKA, True),
        (record("all_partners", handling="H3"), DE_BKA, False),
        (record("all_partners", handling="H3"), FR_INT, True),
        (record("all_partners", handling="H2"), DE_BKA, True),
        (record(None), FR_POL, False),
        (record(""), FR_POL, False),
        (record("everyone"), DE_BKA, False),
        (record("all_partners", handling=None), DE_BKA, False),
        (record("all_partners", handling="H9"), DE_BKA, False),
        (record("all_partners", handling="H9"), FR_INT, True),
    ],
)
def test_read_follows_distribution_and_handling(
    resource: Resource, actor: Actor, expected: bool
) -> None:
    verdict = allowed(actor, Action.READ, resource)
    assert verdict.allow is expected
    assert verdict.reason


@pytest.mark.parametrize(
    ("consents", "actor", "expected"),
    [
        (frozenset(), DE_BKA, False),
        (frozenset({"DE-BKA"}), DE_BKA, True),
        (frozenset(), FR_INT, True),
    ],
)
def test_h2_needs_the_owners_consent_to_export(
    consents: frozenset[str], actor: Actor, expected: bool
) -> None:
    verdict = allowed(actor, Action.EXPORT, record("all_partners", "H2", consents=consents))
    assert verdict.allow is expected
    if not expected:
        assert "H2" in verdict.reason


def test_h1_may_be_exported_within_the_distribution() -> None:
    assert allowed(DE_BKA, Action.EXPORT, record("all_partners")).allow


def test_only_the_owner_writes() -> None:
    assert allowed(FR_INT, Action.WRITE, record("all_partners")).allow
    verdict = allowed(DE_BKA, Action.WRITE, record("all_partners"))
    assert not verdict.allow
    assert "owning agency" in verdict.reason


@pytest.mark.parametrize(
    ("role", "action", "expected"),
    [
        (Role.BORDER_OFFICER, Action.READ, False),
        (Role.BORDER_OFFICER, Action.SCREEN, True),
        (Role.AUDITOR, Action.READ, False),
        (Role.AUDITOR, Action.READ_AUDIT, True),
        (Role.ANALYST, Action.READ_AUDIT, False),
        (Role.ADMIN, Action.MANAGE_USERS, True),
        (Role.LIAISON_OFFICER, Action.EXPORT, False),
    ],
)
def test_roles_grant_actions(role: Role, action: Action, expected: bool) -> None:
    actor = Actor("u", "FR-INT", "FR", frozenset({role}))
    verdict = allowed(actor, action, record("own_agency"))
    assert verdict.allow is expected
    if not expected:
        assert verdict.reason.startswith("role-permission")


def test_an_admin_manages_users_of_its_own_agency_only() -> None:
    admin = Actor("root", "FR-INT", "FR", frozenset({Role.ADMIN}))
    assert allowed(admin, Action.MANAGE_USERS, Resource(owner_agency="FR-INT")).allow
    assert not allowed(admin, Action.MANAGE_USERS, Resource(owner_agency="BE-SUR")).allow


def test_token_scopes_narrow_the_roles() -> None:
    scoped = Actor("svc", "FR-INT", "FR", frozenset({Role.ANALYST}), scopes=frozenset({"screen"}))
    assert allowed(scoped, Action.SCREEN, record("own_agency")).allow
    assert not allowed(scoped, Action.READ, record("own_agency")).allow


def test_unknown_roles_and_permissions_stop_configuration() -> None:
    table = load_role_permissions({"analyst": ["subject:read"]})
    assert table == {Role.ANALYST: frozenset({Permission.SUBJECT_READ})}
    with pytest.raises(InputError) as caught:
        load_role_permissions({"wizard": ["subject:read"], "analyst": ["subject:fly"]})
    reasons = " ".join(p.reason for p in caught.value.problems)
    assert "wizard" in reasons and "subject:fly" in reasons


@pytest.mark.parametrize(
    ("record_code", "field_code", "expected"),
    [
        ("H1", None, "H1"),
        ("H1", "H3", "H3"),
        ("H3", "H1", "H3"),
        ("H1", "H7", "H7"),
        ("H7", "H0", "H7"),
    ],
)
def test_a_field_takes_the_stricter_code(
    record_code: str, field_code: str | None, expected: str
) -> None:
    assert stricter(record_code, field_code) == expected


def test_a_stricter_field_is_filtered_on_its_own() -> None:
    subject = Subject(
        id="S-1",
        agency="FR-INT",
        names=[Name("Karim Testfall"), Name("K. T. Secret", handling=HandlingCode.H3)],
        documents=[IdentityDocument("X123", handling=HandlingCode.H3)],
        sharing=Sharing(Distribution.ALL_PARTNERS, handling=HandlingCode.H1),
    )
    resource = resource_of(subject, "FR")
    seen = redact_subject(DE_BKA, Action.READ, subject, resource)
    assert [n.full for n in seen.names] == ["Karim Testfall"]
    assert seen.documents == []
    owner_view = redact_subject(FR_INT, Action.READ, subject, resource)
    assert len(owner_view.names) == 2 and len(owner_view.documents) == 1


def test_partner_group_without_a_group_means_own_agency() -> None:
    subject = Subject(id="S-2", agency="FR-INT", sharing=Sharing(Distribution.PARTNER_GROUP))
    assert resource_of(subject, "FR").distribution == "own_agency"


def test_an_unknown_role_in_the_roles_file_stops_start_up(tmp_path: Path) -> None:
    roles = tmp_path / "roles.yaml"
    roles.write_text("analyst: [subject:read]\nwizard: [subject:read]\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        create_app(Settings(home=tmp_path, access_roles_file=roles))
    assert "wizard" in str(caught.value)
    roles.write_text("analyst: [subject:read, screen]\n", encoding="utf-8")
    app = create_app(Settings(home=tmp_path, access_roles_file=roles))
    policy = app.state.access_policy
    assert policy.roles == {Role.ANALYST: frozenset({Permission.SUBJECT_READ, Permission.SCREEN})}
    assert load_policy(Settings(home=tmp_path)) is DEFAULT_POLICY


def test_a_screener_who_may_not_read_gets_a_blind_notice_only() -> None:
    border = Actor("gr.border", "GR-BORDER", "GR", frozenset({Role.BORDER_OFFICER}))
    owner = Actor("fr.analyst", "FR-INT", "FR", frozenset({Role.ANALYST}))
    subject = record("all_partners")
    assert is_blind(border, subject) and not is_blind(owner, subject)
    notice = blind_notice("7f3a", ActionOnHit.DISCREET_CHECK, "FR-INT")
    assert notice.text == (
        "person of interest: discreet check, contact agency FR-INT, reference H-7f3a"
    )
    assert {f for f in BlindNotice.__slots__} == {"action", "contact_agency", "reference"}
