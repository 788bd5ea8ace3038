"""``watchlink init`` and ``watchlink agency add|list``: the database and its agencies.

``init`` creates the database (SQLite under ``WATCHLINK_HOME`` unless
``WATCHLINK_DATABASE_URL`` names another) or upgrades its schema to the newest
revision; running it again changes nothing. The agency commands need an initialised
database and say so when it is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from watchlink.errors import InputError, InputProblem, WatchlinkError
from watchlink.model import Agency, AgencyKind
from watchlink.store import Database, UnitOfWork
from watchlink.store.migrate import head_revision

__all__ = ["agency_add", "agency_list", "init", "register"]

_out = Console()
_err = Console(stderr=True)
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

agency_app = typer.Typer(
    help="Add and list the agencies that share watchlists.", no_args_is_help=True
)


@contextmanager
def _database() -> Iterator[Database]:
    database = Database.from_settings()
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def _unit_of_work() -> Iterator[UnitOfWork]:
    """A unit of work on the configured database, which must be at the newest revision."""
    with _database() as database:
        current, head = database.current_revision(), head_revision()
        if current != head:
            state = "not initialised" if current is None else f"at revision {current}, not {head}"
            raise WatchlinkError(f"the database is {state}: run `watchlink init` first")
        with database.unit_of_work() as uow:
            yield uow


def init() -> None:
    """Create the database, or upgrade its schema to the newest revision (safe to rerun)."""
    with _database() as database:
        before = database.current_revision()
        database.migrate()
        after = database.current_revision()
        where = repr(database).removeprefix("Database(").removesuffix(")")
    if before == after:
        _out.print(f"database {where} is up to date (revision {after})", highlight=False)
    else:
        was = "new" if before is None else f"revision {before}"
        _out.print(f"database {where}: {was} → revision {after}", highlight=False)


@agency_app.command("add")
def agency_add(
    code: Annotated[str, typer.Argument(help="Short stable code, e.g. FR-INT (A-Z, 0-9, -).")],
    name: Annotated[str, typer.Option(help="The agency's name.")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 country, e.g. FR.")],
    kind: Annotated[
        str, typer.Option(help="intelligence, police, border or partner.")
    ] = AgencyKind.POLICE.value,
    contact: Annotated[
        str | None, typer.Option(help="National contact point for escalations.")
    ] = None,
    officers: Annotated[
        int | None, typer.Option(min=0, help="Staff available for monitoring, when known.")
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Replace the agency if the code exists.")
    ] = False,
) -> None:
    """Add an agency (or, with --update, replace the one with the same code)."""
    agency = _checked(code, name, country, kind, contact, officers)
    with _unit_of_work() as uow:
        if update:
            uow.agencies.upsert(agency)
        elif not uow.agencies.add(agency):
            raise InputError(
                f"agency {agency.code} exists",
                [InputProblem("code in use; pass --update to replace it", field="code")],
            )
    _out.print(
        f"agency {agency.code} ({agency.country}, {agency.kind.value}) saved", highlight=False
    )


def _checked(
    code: str, name: str, country: str, kind: str, contact: str | None, officers: int | None
) -> Agency:
    """The agency the options describe, or every problem with them at once."""
    code, country, kind = code.strip().upper(), country.strip().upper(), kind.strip().lower()
    problems: list[InputProblem] = []
    if not _CODE.match(code):
        problems.append(InputProblem("2-32 characters: A-Z, 0-9 and -", field="code"))
    if not name.strip():
        problems.append(InputProblem("must not be empty", field="--name"))
    if not _COUNTRY.match(country):
        problems.append(InputProblem("two letters (ISO 3166-1 alpha-2)", field="--country"))
    kinds = [k.value for k in AgencyKind]
    if kind not in kinds:
        problems.append(InputProblem(f"one of {', '.join(kinds)}", field="--kind"))
    if problems:
        raise InputError("cannot add that agency", problems)
    return Agency(code, name.strip(), country, AgencyKind(kind), contact, officers)


@agency_app.command("list")
def agency_list() -> None:
    """List the agencies, by code."""
    with _unit_of_work() as uow:
        agencies = uow.agencies.list()
    table = Table(title=f"{len(agencies)} agencies")
    for column in ("code", "country", "kind", "officers", "name", "contact"):
        table.add_column(column)
    for a in agencies:
        officers = "" if a.officers is None else str(a.officers)
        table.add_row(a.code, a.country, a.kind.value, officers, a.name, a.contact or "")
    _out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``init`` and the ``agency`` group."""
    app.command()(init)
    app.add_typer(agency_app, name="agency")
