"""The one access policy (layer L1): single decisions and the SQL filter, from the same rules."""

from watchlink.access.actions import (
    DEFAULT_ROLE_PERMISSIONS,
    Action,
    Permission,
    RolePermissions,
    load_role_permissions,
)
from watchlink.access.actor import Actor
from watchlink.access.fields import (
    REDACTED_FIELDS,
    field_visibility_filter,
    redact_subject,
    stricter_sql,
)
from watchlink.access.hits import BlindNotice, blind_notice, is_blind
from watchlink.access.policy import (
    DEFAULT_POLICY,
    Policy,
    Resource,
    SubjectColumns,
    Verdict,
    allowed,
    resource_of,
    stricter,
    subject_visibility_filter,
)
from watchlink.access.rules import DEFAULT_RULES, Rule, permissions_of

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_ROLE_PERMISSIONS",
    "DEFAULT_RULES",
    "REDACTED_FIELDS",
    "Action",
    "Actor",
    "BlindNotice",
    "Permission",
    "Policy",
    "Resource",
    "RolePermissions",
    "Rule",
    "SubjectColumns",
    "Verdict",
    "allowed",
    "blind_notice",
    "field_visibility_filter",
    "is_blind",
    "load_role_permissions",
    "permissions_of",
    "redact_subject",
    "resource_of",
    "stricter",
    "stricter_sql",
    "subject_visibility_filter",
]
