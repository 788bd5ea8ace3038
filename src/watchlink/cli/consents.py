"""``watchlink consent grant|revoke|list``: the owner's consent to onward use of H2 subjects.

Acts as a named user (``--as``), resolved from the database like a login: the same
policy (owning agency, writing role) and the same audit lines as the API.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from watchlink.access import Actor
from watchlink.services.access_wiring import AccessContext
from watchlink.services.consents import ConsentBook

__all__ = ["register"]

_out = Console()
consent_app = typer.Typer(
    help="The owner's consent to export or share an H2 subject onward.", no_args_is_help=True
)

As = Annotated[str, typer.Option("--as", help="The user acting, e.g. fr.supervisor.")]
SubjectId = Annotated[str, typer.Argument(help="The subject's id.")]
Agency = Annotated[str, typer.Argument(help="The agency consented to, e.g. BE-SUR.")]


def _context(username: str) -> tuple[AccessContext, Actor, ConsentBook]:
    context = AccessContext.from_settings()
    with context.engine.begin() as conn:
        actor = context.auth.resolve(conn, username)
    return context, actor, ConsentBook(context.trail)


@consent_app.command("grant")
def consent_grant(
    user: As,
    subject: SubjectId,
    agency: Agency,
    reason: Annotated[str, typer.Option(help="Why; kept with the grant and on the trail.")],
) -> None:
    """Consent to onward use of one of the user's agency's subjects by ``agency``."""
    context, actor, book = _context(user)
    made = book.grant(context.engine, actor, subject, agency, reason)
    _out.print(f"consent #{made.id}: {made.agency} may export {made.subject_id}")


@consent_app.command("revoke")
def consent_revoke(user: As, subject: SubjectId, agency: Agency) -> None:
    """Withdraw ``agency``'s consent; the grant is kept, marked revoked."""
    context, actor, book = _context(user)
    done = book.revoke(context.engine, actor, subject, agency)
    _out.print(f"consent #{done.id} revoked: {done.agency} may no longer export {done.subject_id}")


@consent_app.command("list")
def consent_list(user: As, subject: SubjectId) -> None:
    """Every grant on the subject, revoked ones included, oldest first."""
    context, actor, book = _context(user)
    found = book.list_for(context.engine, actor, subject)
    table = Table("id", "agency", "granted", "by", "revoked", "by", "reason")
    for c in found:
        revoked = "" if c.revoked_at is None else f"{c.revoked_at:%Y-%m-%d %H:%M}"
        table.add_row(
            str(c.id), c.agency, f"{c.granted_at:%Y-%m-%d %H:%M}", c.granted_by, revoked,
            c.revoked_by or "", c.reason,
        )  # fmt: skip
    _out.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``consent`` command group."""
    app.add_typer(consent_app, name="consent")
