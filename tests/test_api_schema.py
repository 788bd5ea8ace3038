"""schemathesis against the app's own OpenAPI: no operation answers a 5xx, whatever it is sent.

Every operation of ``/openapi.json`` is called in-process (ASGI) with inputs generated
from its schema (valid and invalid), as an analyst holding an API token, on SQLite and
PostgreSQL; the only check is ``not_a_server_error``. Examples are few per operation so
the suite stays fast; the generator still reaches bodies, query strings and paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from sqlalchemy import Engine

from access_support import FAST, SUBJECT_STORE, access_engine, directory, join, trail
from watchlink.api.app import create_app
from watchlink.model import BirthDate, Distribution, Name, PartialDate, Sharing, Subject
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import AuditTrail
from watchlink.services.auth import AuthService
from watchlink.settings import Settings

__all__ = ["access_engine", "trail"]

EXAMPLES = 8
"""Generated cases per operation: enough to reach bodies and parameters, quick to run."""
SCOPES = ["subject:read", "subject:export", "subject:write", "screen"]

T = TypeVar("T")
E = TypeVar("E", bound=Exception)


def _ok(result: Ok[T] | Err[E]) -> T:
    """The value of a schema result; the schema's own error if the operation did not load."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


@pytest.fixture
def token(access_engine: Engine, trail: AuditTrail) -> tuple[AccessContext, str]:
    """The test context and an analyst's API token, with two listed subjects to find."""
    context = AccessContext(access_engine, trail, AuthService(trail, directory, FAST))
    with access_engine.begin() as conn:
        join(conn, "G5", "FR-INT")
        join(conn, "G5", "BE-SUR")
        for index, (name, born) in enumerate((("Ottoline Brackenridge", 1983), ("Ivo Sarn", 1990))):
            SUBJECT_STORE.save(
                conn,
                Subject(
                    id=f"fr-int-{index}",
                    agency="FR-INT",
                    names=[Name(name)],
                    birth_dates=[BirthDate(PartialDate(born))],
                    sharing=Sharing(Distribution.PARTNER_GROUP, "G5"),
                ),
            )
        context.auth.add_user(conn, None, "ana", "FR-INT", ["analyst"], "a long password")
        issued = context.auth.issue_token(conn, None, "ana", SCOPES)
    return context, issued.token


def test_no_operation_answers_a_server_error(
    tmp_path: Path, token: tuple[AccessContext, str]
) -> None:
    context, raw = token
    app = create_app(Settings(home=tmp_path))
    app.state.access = context
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {raw}"}
    failures: list[str] = []
    operations = [_ok(result) for result in schema.get_all_operations()]
    assert len(operations) > 10

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            check()
        except Exception as failure:  # every operation is tried; all failures are listed
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    assert not failures, "\n\n".join(failures)
