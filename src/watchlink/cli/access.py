"""``watchlink user add|disable|token`` and ``watchlink audit verify|purge``.

The CLI acts as the local operator: whoever runs it on the server already holds the
database, so it is trusted for user management, and every act is on the audit trail.
"""

from __future__ import annotations

import getpass
from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console

from watchlink.errors import InputError, InputProblem
from watchlink.model import AuditAction
from watchlink.services.access_wiring import AccessContext
from watchlink.services.audit import Who
from watchlink.settings import get_settings

__all__ = ["register"]

_out = Console()
_err = Console(stderr=True)
OPERATOR = Who("local-operator", "", "cli")

user_app = typer.Typer(help="Manage users and their API tokens.", no_args_is_help=True)
token_app = typer.Typer(help="Issue and revoke API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="Verify and purge the audit trail.", no_args_is_help=True)
user_app.add_typer(token_app, name="token")


def _password(given: str | None) -> str:
    if given is not None:
        return given
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise InputError("the passwords differ", [InputProblem("retype it", field="password")])
    return first


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name, unique.")],
    agency: Annotated[str, typer.Option(help="The user's agency code, e.g. FR-INT.")],
    role: Annotated[
        list[str],
        typer.Option(
            help="Role, repeatable: admin, supervisor, analyst, liaison_officer, "
            "border_officer, auditor."
        ),
    ],
    password: Annotated[
        str | None,
        typer.Option(help="Password (at least 10 characters); asked for when omitted."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
) -> None:
    """Create a user of one agency with its roles."""
    context = AccessContext.from_settings()
    with context.engine.begin() as conn:
        context.auth.add_user(conn, None, username, agency, role, _password(password), name)
    _out.print(f"user {username} added to {agency} as {', '.join(role)}")


@user_app.command("disable")
def user_disable(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Disable a user: its sessions and tokens stop working at once."""
    context = AccessContext.from_settings()
    with context.engine.begin() as conn:
        context.auth.disable_user(conn, None, username)
    _out.print(f"user {username} disabled")


@token_app.command("issue")
def token_issue(
    username: Annotated[str, typer.Argument(help="The user the token acts for.")],
    scope: Annotated[
        list[str],
        typer.Option(help="Permission, repeatable, e.g. screen or subject:read."),
    ],
    days: Annotated[int, typer.Option(help="Days until it expires (1-365).")] = 90,
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
) -> None:
    """Issue a scoped, expiring token; it is shown once and stored hashed."""
    context = AccessContext.from_settings()
    with context.engine.begin() as conn:
        issued = context.auth.issue_token(conn, None, username, scope, timedelta(days=days), label)
    _out.print(f"token {issued.id} expires {issued.expires_at:%Y-%m-%d %H:%M} UTC")
    typer.echo(issued.token)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="The token's id.")]) -> None:
    """Revoke a token at once."""
    context = AccessContext.from_settings()
    with context.engine.begin() as conn:
        context.auth.revoke_token(conn, None, token_id)
    _out.print(f"token {token_id} revoked")


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain and check the signatures; exit 1 naming the first bad line."""
    context = AccessContext.from_settings()
    with context.engine.connect() as conn:
        problem = context.trail.verify(conn)
    if problem is not None:
        _err.print(f"[bold red]audit trail broken[/] at line {problem.seq}: {problem.reason}")
        raise typer.Exit(1)
    _out.print("audit trail intact")


@audit_app.command("purge")
def audit_purge(
    days: Annotated[
        int | None, typer.Option(help="Retention in days (default: the configured one).")
    ] = None,
) -> None:
    """Clear the content of lines older than the retention period; hashes stay."""
    context = AccessContext.from_settings()
    retention = days if days is not None else get_settings().audit_retention_days
    with context.engine.begin() as conn:
        purged = context.trail.purge(conn, retention)
        context.trail.record(
            conn, OPERATOR, AuditAction.WRITE, [], f"audit purge older_than_days={retention}"
        )
    _out.print(f"{purged} audit lines purged (hashes kept)")


def register(app: typer.Typer) -> None:
    """Add the ``user`` and ``audit`` command groups."""
    app.add_typer(user_app, name="user")
    app.add_typer(audit_app, name="audit")
