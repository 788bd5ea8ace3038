"""The public surface of the access package is pinned: a change to it is a decision."""

from __future__ import annotations

from pathlib import Path

import watchlink.access as access


def test_the_access_surface_is_pinned() -> None:
    assert sorted(access.__all__) == [
        "Action",
        "Actor",
        "BlindNotice",
        "DEFAULT_POLICY",
        "DEFAULT_ROLE_PERMISSIONS",
        "DEFAULT_RULES",
        "Permission",
        "Policy",
        "REDACTED_FIELDS",
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
    for name in access.__all__:
        assert getattr(access, name) is not None


def test_the_access_layer_imports_no_store_service_or_web() -> None:
    folder = Path(access.__file__ or "").parent
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for banned in ("watchlink.store", "watchlink.services", "fastapi", "watchlink.api"):
            assert banned not in source, (path.name, banned)
