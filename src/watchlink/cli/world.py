"""``watchlink synth`` and ``watchlink demo``: make a synthetic world, load the demo story."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from watchlink.errors import InputError, InputProblem
from watchlink.world.demo import DEMO_USERS, DemoWorld, demo_world
from watchlink.world.synth import SynthWorld, generate

__all__ = ["register"]

_console = Console()


@contextmanager
def _unit_of_work() -> Iterator[Any]:
    """One unit of work on the configured database, closed afterwards; the statistics of
    the subject tables taken again after a large write (``configured_unit_of_work``)."""
    from watchlink.store.database import configured_unit_of_work

    with configured_unit_of_work() as uow:
        yield uow


@contextmanager
def _bars(totals: dict[str, int | None]) -> Iterator[Progress]:
    """A rich progress display with one bar per stage."""
    columns = (
        TextColumn("{task.description:<11}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=_console, transient=False) as bars:
        for stage, total in totals.items():
            bars.add_task(stage, total=total, key=stage)
        yield bars


def _advance(bars: Progress) -> Callable[[str, int], None]:
    ids = {task.fields["key"]: task.id for task in bars.tasks}

    def progress(stage: str, advance: int) -> None:
        bars.advance(ids[stage], advance)

    return progress


def synth(
    subjects: Annotated[int, typer.Option("--subjects", "-n", help="Listed persons to make.")],
    encounters: Annotated[
        int, typer.Option("--encounters", "-e", help="Encounters (with ground truth) to make.")
    ] = 0,
    seed: Annotated[int, typer.Option(help="Same seed, same world.")] = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write JSON lines here (subjects as FtM entities, links, encounters, "
            "truth) instead of loading the database."
        ),
    ] = None,
    stolen_batches: Annotated[int, typer.Option(help="Batches of stolen blank passports.")] = 1,
) -> None:
    """Make a seeded synthetic world: agencies, subjects, family links, encounters.

    Names are common names of several cultures, combined at random (Arabic names in
    French, English, German and Dutch spellings and Arabic script; Turkish; Slavic in
    Latin and Cyrillic; Western). Each encounter comes with its ground truth: which
    subject it is, if any, and how it differs (transliteration, alias, swapped order,
    typo, partial or swapped date, other or stolen document).
    """
    problems = []
    if subjects < 0:
        problems.append(InputProblem("must be 0 or more", field="--subjects"))
    if subjects >= 10_000_000:
        problems.append(InputProblem("must be below 10,000,000", field="--subjects"))
    if encounters < 0:
        problems.append(InputProblem("must be 0 or more", field="--encounters"))
    if problems:
        raise InputError("cannot make that world", problems)
    world = generate(seed, subjects, encounters, stolen_batches=stolen_batches)
    if out is not None:
        _write(world, out)
    else:
        _load(world)


def _write(world: SynthWorld, out: Path) -> None:
    from watchlink.services.world import write_world

    batch_docs = sum(b.count for b in world.batches)
    totals: dict[str, int | None] = {
        "subjects": world.subject_count + len(world.batches),
        "links": None,
        "encounters": world.encounter_count,
    }
    with _bars(totals) as bars:
        written = write_world(world, out, _advance(bars))
    _console.print(
        f"wrote {written.subjects:,} subjects ({batch_docs:,} stolen passports in "
        f"{len(world.batches)} batch record(s)), {written.links:,} links and "
        f"{written.encounters:,} encounters with ground truth to {out}/"
    )


def _load(world: SynthWorld) -> None:
    from watchlink.services.world import load_world

    totals: dict[str, int | None] = {
        "subjects": world.subject_count + len(world.batches),
        "links": None,
        "encounters": world.encounter_count,
    }
    with _unit_of_work() as uow, _bars(totals) as bars:
        loaded = load_world(uow, world, _advance(bars))
    _console.print(f"loaded {loaded}")


def _print_demo(demo: DemoWorld) -> None:
    agencies = Table(title="Agencies")
    for column in ("code", "country", "kind", "officers", "name"):
        agencies.add_column(column)
    for a in demo.agencies:
        officers = "" if a.officers is None else str(a.officers)
        agencies.add_row(a.code, a.country, a.kind.value, officers, a.name)
    _console.print(agencies)
    people = Table(title="The story")
    for column in ("id", "owner", "name", "status"):
        people.add_column(column)
    for s in demo.subjects:
        people.add_row(s.id, s.agency, s.primary_name, s.status.value)
    _console.print(people)
    for r in demo.requests:
        _console.print(f"  request {r.id}: {r.from_agency} → {r.to_agency}, {r.state.value}")
    for d in demo.decisions:
        _console.print(f"  decision {d.id}: {d.kind.value} on {d.subject_id}: {d.reason}")
    for e in demo.encounters:
        doc = "" if e.document is None else f" on passport {e.document.number}"
        _console.print(f"  encounter {e.id}: {e.person.names[0]}{doc}, {e.site}, {e.country}")
    logins = Table(title="Demo logins (development only)")
    for column in ("username", "password", "agency", "role"):
        logins.add_column(column)
    for user in DEMO_USERS:
        logins.add_row(user.username, user.password, user.agency, user.role.value)
    _console.print(logins)


def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing if agencies already exist.")
    ] = False,
    synthetic: Annotated[
        int, typer.Option(help="Synthetic subjects filling the lists around the story.")
    ] = 6000,
) -> None:
    """Load the demo world (fictional people only) and print it, with the demo logins.

    The story: a subject of the French list returns from Syria through Greece on a
    passport from a stolen blank batch and goes on to Belgium; a Turkish request about
    him is unanswered; his brother's surveillance was stopped two years ago; a US
    partner list names both; the French list is long and its officers few.
    """
    import dataclasses

    from watchlink.services.demo_reports import report_demo_encounters
    from watchlink.services.world import load_demo
    from watchlink.store import Database

    world = demo_world(synthetic)
    totals: dict[str, int | None] = {"subjects": synthetic + len(world.subjects), "links": None}
    lists_only = dataclasses.replace(world, encounters=())  # the desks report them below
    with _unit_of_work() as uow, _bars(totals) as bars:
        loaded = load_demo(uow, lists_only, _advance(bars), if_empty=if_empty)
    if loaded is None:
        _console.print("agencies already exist: demo not loaded (--if-empty)")
    else:
        database = Database.from_settings()
        try:
            hits = report_demo_encounters(database, world)
        finally:
            database.dispose()
        reported = len(world.encounters)
        _console.print(
            f"the desks reported {reported} encounters, screened on arrival: {hits} hits"
        )
    _print_demo(world)


def register(app: typer.Typer) -> None:
    """Add ``synth`` and ``demo`` to the app."""
    app.command()(synth)
    app.command()(demo)
